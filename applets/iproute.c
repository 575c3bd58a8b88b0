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

static const char route_words[] = "via\0dev\0metric\0src\0scope\0";
enum { R_SHOW, R_GET, R_ADD, R_DEL, R_REPLACE };
static const char cmds[] = "show\0get\0add\0del\0replace\0";
static const char scopes[] = "host\0link\0global\0";
static const unsigned char scope_ids[] = { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_SCOPE_UNIVERSE };

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

/* via, src, dev, metric, scope: into rt (family settles on the first
 * address), *dev and *scope.  0, or 2 after the usage message. */
static int route_args(struct nsb *c, int argc, char **argv, int i, struct route_info *rt,
		      int *family, const char **dev, int *scope)
{
	unsigned long v;
	unsigned int seen = 0;

	for (; i < argc; i++) {
		const char *w = argv[i], *arg = argv[i + 1];

		if (nsb_keyword(c, w, arg, route_words, &seen))
			return 2;
		i++;
		if (!strcmp(w, "via")) {
			if (addr_arg(c, arg, family, rt->gw, &rt->has_gw))
				return 2;
		} else if (!strcmp(w, "src")) {
			if (addr_arg(c, arg, family, rt->src, &rt->has_src))
				return 2;
		} else if (!strcmp(w, "dev")) {
			if (!ifname_valid(arg))
				return nsb_usage(c, arg, "invalid interface name");
			*dev = arg;
		} else if (!strcmp(w, "metric")) {
			if (num_parse(arg, 0, 0xffffffffUL, &v))
				return nsb_usage(c, arg, "invalid metric");
			rt->metric = v;
			rt->has_metric = 1;
		} else if (nsb_word(arg, scopes) >= 0) {
			*scope = scope_ids[nsb_word(arg, scopes)];
		} else {
			return nsb_usage(c, arg, "invalid scope");
		}
	}
	return 0;
}

/* add -e: the route there must be the one asked for (as far as asked);
 * anything else is an error naming what the existing one has instead */
static int same_route(struct nsb *c, struct mnl_socket *nl, const struct route_info *rt,
		      const char *dst)
{
	struct route_info *v, *e;
	struct link_info li;
	char a[64];
	const char *k = NULL;
	int n = route_list(c, nl, rt->family, &v), i, al = addr_len(rt->family);

	if (n < 0)
		return nsb_fail(c, dst, n);
	for (i = 0; i < n; i++) {
		e = &v[i];
		if (e->has_dst != rt->has_dst || e->dst_len != rt->dst_len ||
		    memcmp(e->dst, rt->dst, al) || (rt->has_metric && e->metric != rt->metric))
			continue;
		if (e->has_gw != rt->has_gw || memcmp(e->gw, rt->gw, al)) {
			k = "via";
			if (e->has_gw)
				addr_ntop(rt->family, e->gw, a, sizeof(a));
			else
				snprintf(a, sizeof(a), "none");
		} else if (rt->oif && e->oif != rt->oif) {
			k = "dev";
			snprintf(a, sizeof(a), "%s", link_get(c, nl, e->oif, NULL, &li) ? "?" : li.name);
		} else if (rt->has_src && memcmp(e->src, rt->src, al)) {
			k = "src";
			addr_ntop(rt->family, e->src, a, sizeof(a));
		}
		break;
	}
	free(v);
	if (k)
		return nsb_msg(c, 1, dst, "exists with %s %s", k, a);
	return i < n ? 0 : nsb_fail(c, dst, -EEXIST);
}

static int change(struct nsb *c, const char *netns, int argc, char **argv, int i,
		  int cmd, int family, int idem)
{
	struct route_info rt = ROUTE_INFO_INIT;
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *dst = argv[i++], *dev = NULL, *subject;
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
	if (route_args(c, argc, argv, i, &rt, &family, &dev, &scope))
		return 2;
	rt.family = family == AF_UNSPEC ? AF_INET : family;
	/* ip's defaults: a route without a gateway is on-link; a delete
	 * without scope matches any (RT_SCOPE_NOWHERE) */
	if (cmd == R_DEL) {
		op = RTM_DELROUTE;
		rt.scope = scope >= 0 ? scope : RT_SCOPE_NOWHERE;
	} else {
		op = RTM_NEWROUTE;
		flags = NLM_F_CREATE | (cmd == R_ADD ? NLM_F_EXCL : NLM_F_REPLACE);
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
	if (idem && r == -EEXIST && op == RTM_NEWROUTE)
		return same_route(c, nl, &rt, dst);
	if (idem && r == -ESRCH && op == RTM_DELROUTE)
		r = 0;
	return r ? nsb_fail(c, subject, r) : 0;
}

int iproute_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_ipopts o = { NULL, 0, 0, AF_UNSPEC, 0 };
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *word = "show";
	int cmd, i, r;

	/* options come first; the first other word is the command */
	i = nsb_ipopts(c, argc, argv, opts, &o, &word);
	if (i < 0)
		return 2;
	if (nsb_netns_arg(c, o.netns))
		return 2;
	cmd = nsb_word(word, cmds);
	if (cmd == R_ADD || cmd == R_DEL || cmd == R_REPLACE) {
		if (i >= argc)
			return nsb_usage(c, "PREFIX", "missing operand");
		return change(c, o.netns, argc, argv, i, cmd, o.family, o.idem);
	}
	if (cmd == R_GET) {
		if (i >= argc)
			return nsb_usage(c, "ADDR", "missing operand");
		if (argc - i > 1)
			return nsb_usage(c, argv[i + 1], "unexpected argument");
		if (addr_parse(argv[i], o.family, &p))
			return nsb_usage(c, argv[i], "invalid address");
	} else if (cmd != R_SHOW) {
		return nsb_usage(c, word, "unknown command");
	} else if (i < argc) {
		return nsb_usage(c, argv[i], "unexpected argument");
	}
	r = nl_sock(c, o.netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, o.netns, r);
	return show(c, nl, o.family == AF_UNSPEC ? AF_INET : o.family, o.json,
		    cmd == R_GET ? &p : NULL);
}
