/* The shapes ip prints, shared by iplink, ipaddr and iproute: text close to
 * ip's, and JSON with ip -j's key names.  Writes to stdout, as json.c does;
 * a NULL struct json means text. */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
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

static const char *num(unsigned int v, char *buf, size_t len)
{
	fmt_buf(buf, len, "%u", v);
	return buf;
}

const char *show_scope(int scope, char *buf, size_t len)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	}
	return num(scope, buf, len);
}

const char *show_proto(int proto, char *buf, size_t len)
{
	static const char names[][9] = {
		"unspec", "redirect", "kernel", "boot", "static"
	};

	if (proto < 5)
		return names[proto];
	if (proto == 9)
		return "ra";
	if (proto == 16)
		return "dhcp";
	return num(proto, buf, len);
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

/* mode 0: the applets' short line; SHOW_IP adds qdisc, group and qlen as
 * ip prints them, SHOW_MODE (ip link) the link mode too.  peerns names the
 * veth peer's namespace (ip's link-netns); NULL prints its number. */
void show_link_ip(struct json *j, const struct link_info *li, const struct link_info *all,
		  int n, int mode, const char *peerns)
{
	const struct link_info *peer = NULL, *master = NULL;
	char a[100], b[100], t[16], at[24] = "", g[12];
	const char *group = li->group ? num(li->group, g, sizeof(g)) : "default";
	const char *lmode = li->linkmode ? "DORMANT" : "DEFAULT";
	int ip = mode & SHOW_IP;

	if (li->link && li->netnsid < 0) {
		peer = link_find(all, n, li->link);
		fmt_buf(at, sizeof(at), "@%s", peer ? peer->name : "");
		if (!peer)
			fmt_buf(at, sizeof(at), "@if%d", li->link);
	} else if (li->link) {
		fmt_buf(at, sizeof(at), "@if%d", li->link);
	}
	if (li->master)
		master = link_find(all, n, li->master);
	if (j) {
		json_kint(j, "ifindex", li->index);
		if (peer)
			json_kstr(j, "link", peer->name);
		else if (li->link)
			json_kint(j, "link_index", li->link);
		json_kstr(j, "ifname", li->name);
		json_key(j, "flags");
		json_open(j, '[');
	} else {
		fmt_out("%d: %s%s: <", li->index, li->name, at);
	}
	show_flags(j, li, peer);
	if (j) {
		json_close(j, '[');
		json_kint(j, "mtu", li->mtu);
		if (ip && li->qdisc[0] && !(mode & SHOW_V6))
			json_kstr(j, "qdisc", li->qdisc);
		if (master)
			json_kstr(j, "master", master->name);
		json_kstr(j, "operstate", show_operstate(li->operstate));
		if (mode & SHOW_MODE)
			json_kstr(j, "linkmode", lmode);
		if (ip && !(mode & SHOW_V6))
			json_kstr(j, "group", group);
		if (ip && li->txqlen)
			json_kint(j, "txqlen", (int)li->txqlen);
		if (mode & SHOW_NOL2)
			return;
		json_kstr(j, "link_type", link_type(li->type, t, sizeof(t)));
		if (li->addrlen)
			json_kstr(j, "address", mac_format(li->addr, li->addrlen, a, sizeof(a)));
		if (li->brdlen)
			json_kstr(j, "broadcast", mac_format(li->brd, li->brdlen, b, sizeof(b)));
		if (li->link && li->netnsid >= 0)
			json_kint(j, "link_netnsid", li->netnsid);
		return;
	}
	fmt_out("> mtu %d", li->mtu);
	if (ip && li->qdisc[0] && !(mode & SHOW_V6))
		fmt_out(" qdisc %s", li->qdisc);
	if (master)
		fmt_out(" master %s", master->name);
	fmt_out(" state %s", show_operstate(li->operstate));
	if (mode & SHOW_MODE)
		fmt_out(" mode %s", lmode);
	if (ip && !(mode & SHOW_V6))
		fmt_out(" group %s", group);
	/* ip: a signed number, none for 0 (but the blank before it) */
	if (ip)
		fmt_out(li->txqlen ? " qlen %d" : " ", (int)li->txqlen);
	putchar('\n');
	if (mode & SHOW_NOL2)
		return;
	fmt_out("    link/%s", link_type(li->type, t, sizeof(t)));
	if (li->addrlen)
		fmt_out(" %s", mac_format(li->addr, li->addrlen, a, sizeof(a)));
	if (li->brdlen)
		fmt_out(" brd %s", mac_format(li->brd, li->brdlen, b, sizeof(b)));
	if (li->link && li->netnsid >= 0 && peerns)
		fmt_out(" link-netns %s", peerns);
	else if (li->link && li->netnsid >= 0)
		fmt_out(" link-netnsid %d", li->netnsid);
	putchar('\n');
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

	if (rt->has_dst) {
		addr_ntop(rt->family, rt->dst, d, sizeof(d));
		if (!get)
			fmt_buf(d + strlen(d), sizeof(d) - strlen(d), "/%d", rt->dst_len);
	} else {
		fmt_buf(d, sizeof(d), "default");
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
		type = rt->type < 12 ? show_rtypes[rt->type] : "unknown";
	if (rt->protocol != RTPROT_BOOT && !get)
		proto = show_proto(rt->protocol, pb, sizeof(pb));
	if (rt->scope && !get)
		scope = show_scope(rt->scope, sb, sizeof(sb));
	if (rt->pref >= 0 && rt->pref < 4 && !get)
		pref = prefs[rt->pref];
	if (!j) {
		if (type)
			fmt_out("%s ", type);
		fmt_out("%s", d);
		if (rt->has_gw)
			fmt_out(" via %s", g);
		if (rt->oif)
			fmt_out(" dev %s", dev);
		if (proto)
			fmt_out(" proto %s", proto);
		if (scope)
			fmt_out(" scope %s", scope);
		if (rt->has_src)
			fmt_out(" src %s", s);
		if (rt->has_metric)
			fmt_out(" metric %u", rt->metric);
		if (rt->flags & RTNH_F_ONLINK)
			fmt_out(" onlink");
		if (rt->flags & RTNH_F_LINKDOWN)
			fmt_out(" linkdown");
		if (pref)
			fmt_out(" pref %s", pref);
		if (ip && get && rt->has_uid)
			fmt_out(" uid %u", rt->uid);
		/* ip ends each word with a blank, but for pref's */
		puts(!ip || pref ? "" : get ? " \n    cache " : " ");
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
	if (ip && get && rt->has_uid)
		json_kint(j, "uid", rt->uid);
	if (ip && get) {
		json_key(j, "cache");
		json_open(j, '[');
		json_close(j, '[');
	}
	json_close(j, '{');
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
