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

static const char *ifname(const struct link_info *v, int n, int index, char *buf,
			  size_t len)
{
	const struct link_info *li = link_find(v, n, index);

	if (li)
		return li->name;
	snprintf(buf, len, "if%d", index);
	return buf;
}

static void show_route(struct json *j, const struct route_info *rt,
		       const struct link_info *v, int n, int get)
{
	static const char types[][12] = {
		"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
		"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"
	};
	static const char prefs[][8] = { "medium", "high", "", "low" };
	char d[64], g[64], s[64], db[24], pb[12], sb[12];
	const char *proto = NULL, *scope = NULL, *type = NULL, *pref = NULL, *dev = NULL;

	if (rt->has_dst) {
		addr_ntop(rt->family, rt->dst, d, sizeof(d));
		if (!get)
			snprintf(d + strlen(d), sizeof(d) - strlen(d), "/%d", rt->dst_len);
	} else {
		snprintf(d, sizeof(d), "default");
	}
	if (rt->has_dst && rt->dst_len == addr_len(rt->family) * 8 && !get)
		*strchr(d, '/') = '\0';
	if (rt->has_gw)
		addr_ntop(rt->family, rt->gw, g, sizeof(g));
	if (rt->has_src)
		addr_ntop(rt->family, rt->src, s, sizeof(s));
	if (rt->oif)
		dev = ifname(v, n, rt->oif, db, sizeof(db));
	/* ip leaves out what is usual: unicast, proto boot, scope universe */
	if (rt->type != RTN_UNICAST)
		type = rt->type < 12 ? types[rt->type] : "unknown";
	if (rt->protocol != RTPROT_BOOT && !get)
		proto = show_proto(rt->protocol, pb, sizeof(pb));
	if (rt->scope && !get)
		scope = show_scope(rt->scope, sb, sizeof(sb));
	if (rt->pref >= 0 && rt->pref < 4 && !get)
		pref = prefs[rt->pref];
	if (!j) {
		if (type)
			printf("%s ", type);
		printf("%s", d);
		if (rt->has_gw)
			printf(" via %s", g);
		if (rt->oif)
			printf(" dev %s", dev);
		if (proto)
			printf(" proto %s", proto);
		if (scope)
			printf(" scope %s", scope);
		if (rt->has_src)
			printf(" src %s", s);
		if (rt->has_metric)
			printf(" metric %u", rt->metric);
		if (rt->flags & RTNH_F_ONLINK)
			printf(" onlink");
		if (rt->flags & RTNH_F_LINKDOWN)
			printf(" linkdown");
		if (pref)
			printf(" pref %s", pref);
		putchar('\n');
		return;
	}
	json_open(j, '{');
	if (type)
		json_kstr(j, "type", type);
	json_kstr(j, "dst", d);
	if (rt->has_gw)
		json_kstr(j, "gateway", g);
	if (rt->oif)
		json_kstr(j, "dev", dev);
	if (proto)
		json_kstr(j, "protocol", proto);
	if (scope)
		json_kstr(j, "scope", scope);
	if (rt->has_src)
		json_kstr(j, "prefsrc", s);
	if (rt->has_metric)
		json_kint(j, "metric", rt->metric);
	json_key(j, "flags");
	json_open(j, '[');
	if (rt->flags & RTNH_F_ONLINK)
		json_str(j, "onlink");
	if (rt->flags & RTNH_F_LINKDOWN)
		json_str(j, "linkdown");
	json_close(j, '[');
	if (pref)
		json_kstr(j, "pref", pref);
	json_close(j, '{');
}

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
		show_route(json ? &j : NULL, &rv[i], v, n, get != NULL);
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
		  const char *cmd, int family, int idem)
{
	struct route_info rt = ROUTE_INFO_INIT;
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *dst = argv[i++], *dev = NULL, *subject;
	unsigned long v;
	unsigned int seen = 0;
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

		if (nsb_keyword(c, w, arg, route_words, &seen))
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
	if (idem && r == -EEXIST && op == RTM_NEWROUTE)
		return same_route(c, nl, &rt, dst);
	if (idem && r == -ESRCH && op == RTM_DELROUTE)
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
