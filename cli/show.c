/* The shapes ip prints, shared by iplink, ipaddr and iproute: text close to
 * ip's, and JSON with ip -j's key names.  Writes to stdout, as json.c does;
 * a NULL struct json means text. */
/* Over 500 lines: ip's text and JSON shapes of links, addresses, routes and
 * counters, each written once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include "cli.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000
#endif

/* ip's order, which ip -j keeps in its "flags" array: each flag's bit
 * number, and its name in flagwords (one string, no table of pointers) */
#define B(f) __builtin_ctz(f)
static const unsigned char flagbits[] = {
	B(IFF_LOOPBACK), B(IFF_BROADCAST), B(IFF_POINTOPOINT), B(IFF_MULTICAST),
	B(IFF_NOARP), B(IFF_ALLMULTI), B(IFF_PROMISC), B(IFF_MASTER), B(IFF_SLAVE),
	B(IFF_DEBUG), B(IFF_DYNAMIC), B(IFF_AUTOMEDIA), B(IFF_PORTSEL),
	B(IFF_NOTRAILERS), B(IFF_UP), B(IFF_LOWER_UP), B(IFF_DORMANT), B(IFF_ECHO),
};
#undef B
static const char flagwords[] = "LOOPBACK\0BROADCAST\0POINTOPOINT\0MULTICAST\0NOARP\0"
	"ALLMULTI\0PROMISC\0MASTER\0SLAVE\0DEBUG\0DYNAMIC\0AUTOMEDIA\0PORTSEL\0"
	"NOTRAILERS\0UP\0LOWER_UP\0DORMANT\0ECHO";

const char show_rtypes[12][12] = {
	"unspec", "unicast", "local", "broadcast", "anycast", "multicast",
	"blackhole", "unreachable", "prohibit", "throw", "nat", "xresolve"
};

static const char operstates[][16] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
};

const char *show_operstate(int state)
{
	return state >= 0 && state < 7 ? operstates[state] : "UNKNOWN";
}

const char *show_prefix(int family, const void *a, int plen, char *buf, size_t len)
{
	size_t n = strlen(addr_ntop(family, a, buf, len));

	fmt_buf(buf + n, len - n, "/%d", plen);
	return buf;
}

static const char *num(unsigned int v, char *buf, size_t len)
{
	fmt_buf(buf, len, "%u", v);
	return buf;
}

/* iproute2's rt_scopes and rt_protos, the names ip prints and reads */
const struct nsb_name show_scopes[] = {
	{ RT_SCOPE_UNIVERSE, "global" }, { RT_SCOPE_SITE, "site" }, { RT_SCOPE_LINK, "link" },
	{ RT_SCOPE_HOST, "host" }, { RT_SCOPE_NOWHERE, "nowhere" }, { 0, "" }
};
const struct nsb_name show_protos[] = {
	{ 0, "unspec" }, { 1, "redirect" }, { 2, "kernel" }, { 3, "boot" }, { 4, "static" },
	{ 8, "gated" }, { 9, "ra" }, { 10, "mrt" }, { 11, "zebra" }, { 12, "bird" },
	{ 13, "dnrouted" }, { 14, "xorp" }, { 15, "ntk" }, { 16, "dhcp" }, { 18, "keepalived" },
	{ 42, "babel" }, { 99, "openr" }, { 186, "bgp" }, { 187, "isis" }, { 188, "ospf" },
	{ 189, "rip" }, { 192, "eigrp" }, { 0, "" }
};

const char *show_name(const struct nsb_name *t, unsigned int v, char *buf, size_t len)
{
	for (; t->name[0]; t++)
		if (t->v == v)
			return t->name;
	return num(v, buf, len);
}

int name_parse(const struct nsb_name *t, const char *s, unsigned char *v)
{
	unsigned long n;

	for (; t->name[0]; t++)
		if (!strcmp(s, t->name)) {
			*v = t->v;
			return 0;
		}
	if (num_parse(s, 0, 255, &n))
		return -1;
	*v = (unsigned char)n;
	return 0;
}

static const char *link_type(unsigned int type, char *buf, size_t len)
{
	switch (type) {
	case ARPHRD_ETHER: return "ether";
	case ARPHRD_LOOPBACK: return "loopback";
	case ARPHRD_NONE: return "none";
	case ARPHRD_VOID: return "void";
	}
	fmt_buf(buf, len, "[%u]", type);
	return buf;
}

static void put(struct json *j, int *first, const char *s)
{
	if (j)
		json_str(j, s);
	else
		fmt_out("%s%s", *first ? "" : ",", s);
	*first = 0;
}

void show_flags(struct json *j, const struct link_info *li, const struct link_info *peer)
{
	unsigned int flags = li->flags;
	const char *w = flagwords;
	size_t i;
	int first = 1;

	/* ip's words: no carrier on an up link, and "M-DOWN" when the link
	 * this one sits on is down */
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		put(j, &first, "NO-CARRIER");
	for (i = 0; i < sizeof(flagbits); i++, w += strlen(w) + 1)
		if (flags >> flagbits[i] & 1)
			put(j, &first, w);
	if (peer && !(peer->flags & IFF_UP))
		put(j, &first, "M-DOWN");
}

void show_link(struct json *j, const struct link_info *li,
	       const struct link_info *all, int n)
{
	show_link_ip(j, li, all, n, 0, NULL);
}

const struct link_info *show_ifname(struct json *j, const struct link_info *li,
				    const struct link_info *all, int n, char name[40])
{
	const struct link_info *peer = li->link && li->netnsid < 0 ?
				       link_find(all, n, li->link) : NULL;

	print_str(j, "link", NULL, peer ? peer->name : NULL);
	if (!peer && li->link)
		print_int(j, "link_index", NULL, li->link);
	print_str(j, "ifname", NULL, li->name);
	if (peer)
		fmt_buf(name, 40, "%s@%s", li->name, peer->name);
	else if (li->link)
		fmt_buf(name, 40, "%s@if%d", li->name, li->link);
	else
		fmt_buf(name, 40, "%s", li->name);
	return peer;
}

/* mode 0: the applets' short line; SHOW_IP adds qdisc, group and qlen as
 * ip prints them, SHOW_MODE (ip link) the link mode too.  peerns names the
 * veth peer's namespace (ip's link-netns); NULL prints its number. */
void show_link_ip(struct json *j, const struct link_info *li, const struct link_info *all,
		  int n, int mode, const char *peerns)
{
	const struct link_info *peer, *master = NULL;
	char a[100], b[100], t[16], name[40], g[12];
	const char *group = li->group ? num(li->group, g, sizeof(g)) : "default";
	const char *lmode = li->linkmode ? "DORMANT" : "DEFAULT";
	int ip = mode & SHOW_IP;

	if (li->master)
		master = link_find(all, n, li->master);
	print_int(j, "ifindex", "%lld: ", li->index);
	peer = show_ifname(j, li, all, n, name);
	print_str(j, NULL, "%s: <", name);
	print_open(j, "flags", '[');
	show_flags(j, li, peer);
	print_close(j, '[');
	print_int(j, "mtu", "> mtu %lld", li->mtu);
	print_str(j, "qdisc", " qdisc %s", ip && li->qdisc[0] && !(mode & SHOW_V6) ? li->qdisc : NULL);
	print_str(j, "master", " master %s", master ? master->name : NULL);
	print_str(j, "operstate", " state %s", show_operstate(li->operstate));
	print_str(j, "linkmode", " mode %s", mode & SHOW_MODE ? lmode : NULL);
	print_str(j, "group", " group %s", ip && !(mode & SHOW_V6) ? group : NULL);
	/* ip: a signed number, none for 0 (but the blank before it) */
	if (ip)
		print_int(j, li->txqlen ? "txqlen" : NULL, li->txqlen ? " qlen %lld" : " ",
			  (int)li->txqlen);
	print_str(j, NULL, "\n", "");
	if (mode & SHOW_NOL2)
		return;
	print_str(j, "link_type", "    link/%s", link_type(li->type, t, sizeof(t)));
	print_str(j, "address", " %s",
		  li->addrlen ? mac_format(li->addr, li->addrlen, a, sizeof(a)) : NULL);
	print_str(j, "broadcast", " brd %s",
		  li->brdlen ? mac_format(li->brd, li->brdlen, b, sizeof(b)) : NULL);
	if (li->link && li->netnsid >= 0) {
		print_str(j, NULL, " link-netns %s", peerns);
		print_int(j, "link_netnsid", peerns ? NULL : " link-netnsid %lld", li->netnsid);
	}
	print_str(j, NULL, "\n", "");
}

/* IFA_F_* bit by bit, as ip names them; IFA_F_PERMANENT's bit shows as
 * "dynamic" when clear, IFA_F_SECONDARY's as "temporary" for IPv6 */
static const char aflags[][15] = {
	"secondary", "nodad", "optimistic", "dadfailed", "home", "deprecated",
	"tentative", "dynamic", "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy"
};
/* the ones the ipaddr applet shows */
#define APPLET_AFLAGS (IFA_F_NODAD | IFA_F_DADFAILED | IFA_F_DEPRECATED | IFA_F_TENTATIVE | \
		       IFA_F_NOPREFIXROUTE)

static void lifetime(unsigned int s, char *buf, size_t len)
{
	if (s == 0xffffffffu)
		fmt_buf(buf, len, "forever");
	else
		fmt_buf(buf, len, "%usec", s);
}

void show_addr(struct json *j, const struct ifaddr_info *a, int mode)
{
	char l[64], b[64], s[12], vl[16], pl[16];
	unsigned int k, f = a->flags ^ IFA_F_PERMANENT;
	unsigned int shown = mode & SHOW_FEW ? 0 : mode & SHOW_IP ? 0xfff : APPLET_AFLAGS;
	const char *label = a->label[0] && !(mode & SHOW_FEW) ? a->label : NULL;

	print_open(j, NULL, '{');
	print_str(j, "family", "    %s", a->family == AF_INET ? "inet" : "inet6");
	print_str(j, "local", " %s", addr_ntop(a->family, a->local, l, sizeof(l)));
	print_int(j, "prefixlen", "/%lld", a->plen);
	print_str(j, "broadcast", " brd %s", a->has_brd && !(mode & SHOW_FEW) ?
		  addr_ntop(a->family, a->brd, b, sizeof(b)) : NULL);
	print_str(j, "scope", " scope %s", show_name(show_scopes, a->scope, s, sizeof(s)));
	for (k = 0; k < 12; k++) {
		const char *w = !k && a->family == AF_INET6 ? "temporary" : aflags[k];

		if (!(shown & f & 1u << k))
			continue;
		if (j) {
			json_key(j, w);
			json_bool(j, 1);
		} else {
			fmt_out(" %s", w);
		}
	}
	print_str(j, "label", " %s", label);
	if (mode & SHOW_IP) {
		/* ip: a blank after each word, but for the label's */
		print_str(j, NULL, " ", label ? NULL : "");
		print_int(j, "valid_life_time", NULL, a->valid);
		print_int(j, "preferred_life_time", NULL, a->preferred);
		lifetime(a->valid, vl, sizeof(vl));
		lifetime(a->preferred, pl, sizeof(pl));
		if (!j)
			fmt_out("\n       valid_lft %s preferred_lft %s", vl, pl);
	}
	print_str(j, NULL, "\n", "");
	print_close(j, '{');
}

static const char *ifname(const struct link_info *v, int n, int index, char *buf,
			  size_t len)
{
	const struct link_info *li = link_find(v, n, index);

	if (li)
		return li->name;
	fmt_buf(buf, len, "if%d", index);
	return buf;
}

/* mode SHOW_GET: an answer of route get; SHOW_IP: ip's text (a blank after
 * every word, and route get's uid and cache lines). */
void show_route(struct json *j, const struct route_info *rt,
		const struct link_info *v, int n, int mode)
{
	static const char prefs[][8] = { "medium", "high", "", "low" };
	char d[64], g[64], s[64], db[24], pb[12], sb[12];
	const char *proto = NULL, *scope = NULL, *type = NULL, *pref = NULL, *dev = NULL;
	int get = mode & SHOW_GET, ip = mode & SHOW_IP;

	if (!rt->has_dst)
		fmt_buf(d, sizeof(d), "default");
	else if (get || rt->dst_len == addr_len(rt->family) * 8)
		addr_ntop(rt->family, rt->dst, d, sizeof(d));
	else
		show_prefix(rt->family, rt->dst, rt->dst_len, d, sizeof(d));
	if (rt->has_gw)
		addr_ntop(rt->family, rt->gw, g, sizeof(g));
	if (rt->has_src)
		addr_ntop(rt->family, rt->src, s, sizeof(s));
	if (rt->oif)
		dev = ifname(v, n, rt->oif, db, sizeof(db));
	/* ip leaves out what is usual: unicast, proto boot, scope universe */
	if (rt->type != RTN_UNICAST)
		type = rt->type < 12 ? show_rtypes[rt->type] : "unknown";
	if (rt->protocol != RTPROT_BOOT && !get)
		proto = show_name(show_protos, rt->protocol, pb, sizeof(pb));
	if (rt->scope && !get)
		scope = show_name(show_scopes, rt->scope, sb, sizeof(sb));
	if (rt->pref >= 0 && rt->pref < 4 && !get)
		pref = prefs[rt->pref];
	print_open(j, NULL, '{');
	print_str(j, "type", "%s ", type);
	print_str(j, "dst", "%s", d);
	print_str(j, "gateway", " via %s", rt->has_gw ? g : NULL);
	print_str(j, "dev", " dev %s", dev);
	print_str(j, "protocol", " proto %s", proto);
	print_str(j, "scope", " scope %s", scope);
	print_str(j, "prefsrc", " src %s", rt->has_src ? s : NULL);
	if (rt->has_metric)
		print_int(j, "metric", " metric %lld", rt->metric);
	print_open(j, "flags", '[');
	print_str(j, "", " onlink", rt->flags & RTNH_F_ONLINK ? "onlink" : NULL);
	print_str(j, "", " linkdown", rt->flags & RTNH_F_LINKDOWN ? "linkdown" : NULL);
	print_close(j, '[');
	print_str(j, "pref", " pref %s", pref);
	if (ip && get && rt->has_uid)
		print_int(j, "uid", " uid %lld", rt->uid);
	/* ip ends each word with a blank, but for pref's; route get's
	 * answer has an empty cache */
	print_str(j, NULL, "%s\n", !ip || pref ? "" : get ? " \n    cache " : " ");
	if (ip && get) {
		print_open(j, "cache", '[');
		print_close(j, '[');
	}
	print_close(j, '{');
}

void show_stats(struct json *j, const struct link_info *li)
{
	/* ip -s -j's keys (its fifth RX counter is over_errors where the
	 * text has missed), then the text's own column heads: char arrays,
	 * not pointers that would be relocated at startup */
	static const char key[2][7][15] = {
		{ "bytes", "packets", "errors", "dropped", "over_errors", "multicast", "compressed" },
		{ "bytes", "packets", "errors", "dropped", "carrier_errors", "collisions", "compressed" },
	}, head[2][2][8] = { { "missed", "mcast" }, { "carrier", "collsns" } };
	/* ip's columns: as wide as the widest of its heads and numbers */
	int w[7] = { 10, 7, 6, 7, 7, 7, 10 }, d, i, n;
	const uint64_t *v;
	char b[24];

	if (!li->has_stats)
		return;
	for (i = 0; i < 14; i++) {
		n = fmt_buf(b, sizeof(b), "%llu", (unsigned long long)li->stats[i]);
		if (n > w[i % 7])
			w[i % 7] = n;
	}
	if (j) {
		json_key(j, "stats64");
		json_open(j, '{');
	}
	for (d = 0; d < 2; d++) {
		v = li->stats + 7 * d;
		/* like ip, compressed only when there is any */
		n = v[6] ? 7 : 6;
		if (j) {
			json_key(j, d ? "tx" : "rx");
			json_open(j, '{');
			for (i = 0; i < n; i++) {
				fmt_buf(b, sizeof(b), "%llu", (unsigned long long)
					 (d || i != 4 ? v[i] : li->stats[LS_RX_OVER]));
				json_kraw(j, key[d][i], b);
			}
			json_close(j, '{');
			continue;
		}
		fmt_out("    %cX: %*s", d ? 'T' : 'R', w[0] - 4, "bytes");
		for (i = 1; i < 7; i++)
			fmt_out(" %*s", w[i], i >= n ? "" : i == 4 || i == 5 ? head[d][i - 4] : key[d][i]);
		fmt_out("\n    ");
		for (i = 0; i < n; i++)
			fmt_out("%*llu ", w[i], (unsigned long long)v[i]);
		putchar('\n');
	}
	if (j)
		json_close(j, '{');
}

/* -br: "NAME@PEER  STATE  MAC <FLAGS>" (na < 0) or "... ADDR/LEN ..." */
static void brief(struct json *j, const struct link_info *li, const struct link_info *v,
		  int n, const struct ifaddr_info *av, int na)
{
	const struct link_info *peer;
	char name[40], a[100];
	int k;

	print_open(j, NULL, '{');
	peer = show_ifname(j, li, v, n, name);
	print_str(j, NULL, "%-16s ", name);
	print_str(j, "operstate", "%-14s ", show_operstate(li->operstate));
	if (na < 0) {
		print_str(j, "address", "%s ",
			  li->addrlen ? mac_format(li->addr, li->addrlen, a, sizeof(a)) : NULL);
		print_open(j, "flags", '[');
		print_str(j, NULL, "<", "");
		show_flags(j, li, peer);
		print_close(j, '[');
		print_str(j, NULL, "> ", "");
	} else {
		print_open(j, "addr_info", '[');
	}
	for (k = 0; k < na; k++) {
		if (av[k].index != li->index)
			continue;
		print_open(j, NULL, '{');
		print_str(j, "local", "%s", addr_ntop(av[k].family, av[k].local, a, sizeof(a)));
		print_int(j, "prefixlen", "/%lld ", av[k].plen);
		print_close(j, '{');
	}
	if (na >= 0)
		print_close(j, '[');
	print_close(j, '{');
	print_str(j, NULL, "\n", "");
}

int show_links(struct nsb *c, struct mnl_socket *nl, const struct show_req *q)
{
	struct link_info *v = NULL, one[3];
	struct ifaddr_info *av = NULL;
	struct json j = { 0 }, *jp = q->json ? &j : NULL;
	int n, na = 0, i, k, count, r = 0;

	n = link_show_set(c, nl, q->dev, one, &v);
	if (n < 0)
		return nsb_fail(c, q->dev ? q->dev : "show", n);
	if (q->addrs && (na = ifaddr_list(c, nl, q->family, &av)) < 0) {
		r = nsb_fail(c, "show", na);
		goto out;
	}
	print_open(jp, NULL, '[');
	for (i = 0; i < (q->dev ? 1 : n); i++) {
		const struct link_info *li = &v[i];
		const char *pns = NULL;

		for (count = k = 0; k < na; k++)
			count += av[k].index == li->index;
		/* as ip: with -4 or -6, links without such addresses are left
		 * out; with up, links that are down (-j: as an empty object) */
		if (q->addrs && q->family != AF_UNSPEC && !count)
			continue;
		if (q->up && !(li->flags & IFF_UP)) {
			print_open(jp, NULL, '{');
			print_close(jp, '{');
			continue;
		}
		if (q->brief) {
			brief(jp, li, v, n, av, q->addrs ? na : -1);
			continue;
		}
		if (li->link && li->netnsid >= 0 && !jp && q->nsname)
			pns = q->nsname(q->ctx, li->netnsid);
		print_open(jp, NULL, '{');
		show_link_ip(jp, li, v, n, q->mode, pns);
		if (q->stats)
			show_stats(jp, li);
		if (q->addrs)
			print_open(jp, "addr_info", '[');
		for (k = 0; k < na; k++)
			if (av[k].index == li->index)
				show_addr(jp, &av[k], q->mode & SHOW_IP);
		if (q->addrs)
			print_close(jp, '[');
		print_close(jp, '{');
	}
	print_close(jp, '[');
out:
	free(av);
	if (v != one)
		free(v);
	return r;
}

int show_routes(struct nsb *c, struct mnl_socket *nl, int json, int mode,
		const struct nsb_prefix *get, show_rlist_fn *list, const void *ctx)
{
	struct link_info *v = NULL;
	struct route_info *rv = NULL, one = ROUTE_INFO_INIT;
	struct json j = { 0 }, *jp = json ? &j : NULL;
	int n, nr, i, r = 0;

	n = link_list(c, nl, &v);
	if (n < 0)
		return nsb_fail(c, "show", n);
	if (get) {
		r = route_get(c, nl, get, &one);
		nr = r ? r : 1;
		rv = &one;
	} else {
		nr = list(c, nl, ctx, &rv);
	}
	if (nr < 0) {
		r = nsb_fail(c, get ? "get" : "show", nr);
		goto out;
	}
	print_open(jp, NULL, '[');
	for (i = 0; i < nr; i++)
		show_route(jp, &rv[i], v, n, mode | (get ? SHOW_GET : 0));
	print_close(jp, '[');
out:
	if (rv != &one)
		free(rv);
	free(v);
	return r;
}
