/* iproute [-n NETNS] [-j] [-4|-6] [show]
 * iproute [-n NETNS] [-e] add|del|replace PREFIX|default [via GW] [dev DEV] [metric N]
 *                         [src ADDR] [scope host|link|global]
 * iproute [-n NETNS] [-j] get ADDR
 *
 * Show or change the main routing table, or ask which route an address
 * takes, as ip route does.
 *   -n NETNS   act inside NETNS (a name under /run/netns, or a path)
 *   -j         JSON with ip -j's keys (dst, gateway, dev, metric, ...)
 *   -4, -6     IPv4 (the default for show) or IPv6
 *   -e         add: succeed when the route exists; del: when it is gone
 * A route without via has scope link, as with ip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "cli.h"

static const struct nsb_optdef opts[] = {
	{ "-n", 'n', 1 },
	{ "-j", 'j', 0 },
	{ "-e", 'e', 0 },
	{ "-4", '4', 0 },
	{ "-6", '6', 0 },
	{ 0 }
};

static const char *const route_words[] = { "via", "dev", "metric", "src", "scope", NULL };

static int show(struct nsb *c, struct mnl_socket *nl, int family, int json,
		const struct nsb_prefix *get)
{
	struct link_info *v = NULL;
	struct route_info *rv = NULL, one = ROUTE_INFO_INIT;
	struct json j = { 0 };
	int n, nr, i, r = 0;

	n = link_list(c, nl, &v);
	if (n < 0)
		return nsb_fail(c, "show", n);
	if (get) {
		r = route_get(c, nl, get, &one);
		nr = r ? r : 1;
		rv = &one;
	} else {
		nr = route_list(c, nl, family, &rv);
	}
	if (nr < 0) {
		r = nsb_fail(c, get ? "get" : "show", nr);
		goto out;
	}
	if (json)
		json_open(&j, '[');
	for (i = 0; i < nr; i++)
		show_route(json ? &j : NULL, &rv[i], v, n, get ? SHOW_GET : 0);
	if (json)
		json_close(&j, '[');
out:
	if (rv != &one)
		free(rv);
	free(v);
	return r;
}

/* the family of a route comes from whichever address the user gave */
static int addr_arg(struct nsb *c, const char *w, int *family, unsigned char *to, int *has)
{
	struct nsb_prefix p;

	if (addr_parse(w, *family, &p))
		return nsb_usage(c, w, "invalid address");
	*family = p.family;
	memcpy(to, p.addr, sizeof(p.addr));
	*has = 1;
	return 0;
}

static int change(struct nsb *c, const char *netns, int argc, char **argv, int i,
		  const char *cmd, int family, int idem)
{
	struct route_info rt = ROUTE_INFO_INIT;
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *dst = argv[i++], *dev = NULL, *subject;
	unsigned long v;
	int r, scope = -1, op, flags = 0;

	if (strcmp(dst, "default")) {
		if (prefix_parse(dst, family, &p, 0))
			return nsb_usage(c, dst, "invalid prefix");
		rt.family = family = p.family;
		rt.dst_len = p.plen;
		rt.has_dst = 1;
		memcpy(rt.dst, p.addr, sizeof(rt.dst));
		prefix_clear_host(&p);
		if (memcmp(p.addr, rt.dst, sizeof(rt.dst)))
			return nsb_usage(c, dst, "invalid prefix");
	}
	for (; i < argc; i++) {
		const char *w = argv[i], *arg = argv[i + 1];

		if (nsb_keyword(c, w, arg, route_words))
			return 2;
		i++;
		if (!strcmp(w, "via")) {
			if (addr_arg(c, arg, &family, rt.gw, &rt.has_gw))
				return 2;
		} else if (!strcmp(w, "src")) {
			if (addr_arg(c, arg, &family, rt.src, &rt.has_src))
				return 2;
		} else if (!strcmp(w, "dev")) {
			if (!ifname_valid(arg))
				return nsb_usage(c, arg, "invalid interface name");
			dev = arg;
		} else if (!strcmp(w, "metric")) {
			if (num_parse(arg, 0, 0xffffffffUL, &v))
				return nsb_usage(c, arg, "invalid metric");
			rt.metric = v;
			rt.has_metric = 1;
		} else if (!strcmp(arg, "host") || !strcmp(arg, "link") || !strcmp(arg, "global")) {
			scope = arg[0] == 'h' ? RT_SCOPE_HOST : arg[0] == 'l' ? RT_SCOPE_LINK
					      : RT_SCOPE_UNIVERSE;
		} else {
			return nsb_usage(c, arg, "invalid scope");
		}
	}
	rt.family = family == AF_UNSPEC ? AF_INET : family;
	/* ip's defaults: a route without a gateway is on-link; a delete
	 * without scope matches any (RT_SCOPE_NOWHERE) */
	if (!strcmp(cmd, "del")) {
		op = RTM_DELROUTE;
		rt.scope = scope >= 0 ? scope : RT_SCOPE_NOWHERE;
	} else {
		op = RTM_NEWROUTE;
		flags = NLM_F_CREATE | (cmd[0] == 'a' ? NLM_F_EXCL : NLM_F_REPLACE);
		rt.protocol = RTPROT_BOOT;
		rt.scope = scope >= 0 ? scope
			 : rt.family == AF_INET && !rt.has_gw ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
	}
	rt.type = RTN_UNICAST;
	r = nl_sock(c, netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, netns, r);
	if (dev) {
		rt.oif = link_index(c, nl, dev);
		if (rt.oif < 0)
			return nsb_fail(c, dev, rt.oif);
	}
	r = route_change(c, nl, op, flags, &rt);
	subject = dst;
	if (idem && r == (op == RTM_NEWROUTE ? -EEXIST : -ESRCH))
		r = 0;
	return r ? nsb_fail(c, subject, r) : 0;
}

int iproute_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_ipopts o = { NULL, 0, 0, AF_UNSPEC };
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *netns = NULL, *cmd = "show";
	int json, idem, family, i, r;

	/* options come first; the first other word is the command */
	i = nsb_ipopts(c, argc, argv, opts, &o, &cmd);
	if (i < 0)
		return 2;
	netns = o.netns;
	json = o.json;
	idem = o.idem;
	family = o.family;
	if (netns && !strchr(netns, '/') && !ns_name_valid(netns))
		return nsb_usage(c, netns, "invalid namespace name");
	if (!strcmp(cmd, "add") || !strcmp(cmd, "del") || !strcmp(cmd, "replace")) {
		if (i >= argc)
			return nsb_usage(c, "PREFIX", "missing operand");
		return change(c, netns, argc, argv, i, cmd, family, idem);
	}
	if (!strcmp(cmd, "get")) {
		if (i >= argc)
			return nsb_usage(c, "ADDR", "missing operand");
		if (argc - i > 1)
			return nsb_usage(c, argv[i + 1], "unexpected argument");
		if (addr_parse(argv[i], family, &p))
			return nsb_usage(c, argv[i], "invalid address");
	} else if (strcmp(cmd, "show")) {
		return nsb_usage(c, cmd, "unknown command");
	} else if (i < argc) {
		return nsb_usage(c, argv[i], "unexpected argument");
	}
	r = nl_sock(c, netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, netns, r);
	return show(c, nl, family == AF_UNSPEC ? AF_INET : family, json,
		    cmd[0] == 'g' ? &p : NULL);
}
