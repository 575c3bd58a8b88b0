/* What the ip-like applets and the ip personality share (include/ipreq.h):
 * each calls these with its own words' meaning spelled out in arguments. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "ipreq.h"

/* ------------------------------------------------------------ link set */

enum ls_kind { LS_MASTER, LS_NETNS, LS_NAME, LS_MTU, LS_ADDRESS, LS_TXQLEN, LS_FLAG };
/* once: ip refuses it given twice (its duparg), under this name; the
 * applet iplink takes every keyword once */
static const struct {
	char word[13];
	unsigned char kind;
	unsigned short flag;	/* LS_FLAG: the IFF_* bit its on sets (arp: clears) */
	const char *once;
} ls_words[] = {
	{ "master", LS_MASTER, 0, NULL }, { "netns", LS_NETNS, 0, "netns" },
	{ "name", LS_NAME, 0, "name" }, { "mtu", LS_MTU, 0, "mtu" },
	{ "address", LS_ADDRESS, 0, NULL }, { "txqueuelen", LS_TXQLEN, 0, "txqueuelen" },
	{ "txqlen", LS_TXQLEN, 0, "txqueuelen" }, { "qlen", LS_TXQLEN, 0, "txqueuelen" },
	{ "promisc", LS_FLAG, IFF_PROMISC, NULL }, { "allmulticast", LS_FLAG, IFF_ALLMULTI, NULL },
	{ "multicast", LS_FLAG, IFF_MULTICAST, NULL }, { "arp", LS_FLAG, IFF_NOARP, NULL },
};
#define LS_NWORDS (sizeof(ls_words) / sizeof(ls_words[0]))

void linkset_init(struct linkset *s)
{
	static const struct link_req init = LINK_REQ_INIT(0);

	memset(s, 0, sizeof(*s));
	s->rq = init;
}

static int ls_arg(struct nsb *c, struct linkset *s, unsigned int k, const char *arg,
		  int flags)
{
	unsigned long v;
	int r;

	switch (ls_words[k].kind) {
	case LS_FLAG:
		r = nsb_word(arg, "off\0on\0");
		if (r < 0)
			return nsb_usage(c, arg, "on or off expected");
		s->rq.change |= ls_words[k].flag;
		/* ip's arp on is IFF_NOARP off */
		if (r ^ (ls_words[k].flag == IFF_NOARP))
			s->rq.flags |= ls_words[k].flag;
		else
			s->rq.flags &= ~ls_words[k].flag;
		return 0;
	case LS_TXQLEN:
		if (num_parse(arg, 0, 0x7fffffff, &v))
			return nsb_usage(c, arg, "invalid queue length");
		s->rq.txqlen = v;
		return 0;
	case LS_MTU:
		if (num_parse(arg, 68, 65536, &v))
			return nsb_usage(c, arg, "invalid MTU");
		s->rq.mtu = v;
		return 0;
	case LS_ADDRESS:
		if (mac_parse(arg, s->mac))
			return nsb_usage(c, arg, "invalid MAC address");
		s->rq.mac = s->mac;
		return 0;
	case LS_NETNS:
		if ((flags & LINKSET_IP) && !num_parse(arg, 1, 0x7fffffff, &v)) {
			fmt_buf(s->nspath, sizeof(s->nspath), "/proc/%lu/ns/net", v);
			s->netns = s->nspath;
			return 0;
		}
		if (nsb_netns_arg(c, arg))
			return 2;
		s->netns = arg;
		return 0;
	}
	if (!ifname_valid(arg))
		return nsb_usage(c, arg, "invalid interface name");
	if (ls_words[k].kind == LS_MASTER)
		s->master = arg;
	else
		s->rq.name = arg;
	return 0;
}

int linkset_word(struct nsb *c, struct linkset *s, int argc, char **argv, int *i, int flags)
{
	const char *w = argv[*i];
	unsigned int k;
	int r;

	if (!strcmp(w, "up") || !strcmp(w, "down")) {
		s->rq.up = w[0] == 'u';
		return 1;
	}
	if (!strcmp(w, "nomaster")) {
		s->rq.master = 0;
		s->master = NULL;
		return 1;
	}
	for (k = 0; k < LS_NWORDS && strcmp(w, ls_words[k].word); k++)
		;
	if (k == LS_NWORDS)
		return 0;
	if (*i + 1 >= argc)
		return nsb_usage(c, w, "missing argument");
	if (flags & LINKSET_IP) {
		/* ip's: some once, by their kind (txqlen after qlen too) */
		if (ls_words[k].once && s->seen & 1u << (LS_NWORDS + ls_words[k].kind)) {
			s->dup = ls_words[k].once;
			return LINKSET_DUP;
		}
		s->seen |= 1u << (LS_NWORDS + ls_words[k].kind);
	} else if (s->seen & 1u << k) {
		s->dup = ls_words[k].word;
		return LINKSET_DUP;
	}
	s->seen |= 1u << k;
	r = ls_arg(c, s, k, argv[++*i], flags);
	return r ? r : 1;
}

int linkset_send(struct nsb *c, struct mnl_socket *nl, const char *dev, struct linkset *s)
{
	int r, nsfd = -1;

	r = s->rq.index = link_index(c, nl, dev);
	if (r < 0)
		return nsb_fail(c, dev, r);
	if (s->master) {
		r = s->rq.master = link_index(c, nl, s->master);
		if (r < 0)
			return nsb_fail(c, s->master, r);
	}
	if (s->netns) {
		nsfd = s->rq.nsfd = ns_open(s->netns);
		if (nsfd < 0)
			return nsb_fail(c, s->netns, nsfd);
	}
	r = link_change(c, nl, &s->rq);
	if (nsfd >= 0)
		close(nsfd);
	return r;
}

/* ---------------------------------------------------------- addr flush */

int addr_flush(struct nsb *c, struct mnl_socket *nl, const char *dev, int family)
{
	struct ifaddr_info *av;
	struct nsb_prefix p;
	int idx = link_index(c, nl, dev), na, k, r = 0;

	if (idx < 0)
		return nsb_fail(c, dev, idx);
	na = ifaddr_list(c, nl, family, &av);
	if (na < 0)
		return nsb_fail(c, dev, na);
	for (k = 0; k < na && !r; k++) {
		if (av[k].index != idx)
			continue;
		p.family = av[k].family;
		p.plen = av[k].plen;
		memcpy(p.addr, av[k].local, sizeof(p.addr));
		r = ifaddr_change(c, nl, RTM_DELADDR, idx, &p);
		/* deleting a primary IPv4 address takes its secondaries along */
		if (r == -EADDRNOTAVAIL)
			r = 0;
	}
	free(av);
	return r ? nsb_fail(c, dev, r) : 0;
}

int scope_arg(struct nsb *c, const char *s, unsigned char *scope)
{
	return name_parse(show_scopes, s, scope) ? nsb_usage(c, s, "invalid scope") : 0;
}

/* -------------------------------------------------------------- route */

/* ip route's keywords; the applet iproute takes the first five */
enum rt_word { W_VIA, W_SRC, W_DEV, W_METRIC, W_SCOPE, W_OIF, W_PREFERENCE, W_PRIORITY,
	       W_PROTO, W_PROTOCOL, W_TABLE, W_TO, W_ONLINK };
static const char rt_words[] = "via\0src\0dev\0metric\0scope\0oif\0preference\0priority\0"
	"proto\0protocol\0table\0to\0onlink\0";
#define W_APPLET_LAST W_SCOPE

/* the route types (show_rtypes' numbers) nsbox adds; ip's others are refused */
static int type_ok(int t)
{
	return t == RTN_UNICAST || t == RTN_BLACKHOLE || t == RTN_UNREACHABLE ||
	       t == RTN_PROHIBIT || t == RTN_THROW;
}

static int addr_arg(struct nsb *c, const char *w, struct route_info *rt, unsigned char *to)
{
	struct nsb_prefix p;

	if (addr_parse(w, rt->family, &p))
		return nsb_usage(c, w, "invalid address");
	rt->family = p.family;
	memcpy(to, p.addr, sizeof(p.addr));
	return 0;
}

static int proto_arg(struct nsb *c, const char *s, unsigned char *proto)
{
	return name_parse(show_protos, s, proto) ? nsb_usage(c, s, "invalid protocol") : 0;
}

static int unsup(struct rtargs *a, const char *w)
{
	a->unsup = w;
	return RT_UNSUP;
}

/* [TYPE] PREFIX|default at argv[*i] (the applet: PREFIX alone) */
static int rt_dst(struct nsb *c, struct rtargs *a, int argc, char **argv, int *i,
		  struct route_info *rt)
{
	const char *w = argv[*i];
	struct nsb_prefix p;
	int k;

	/* as ip: a type goes just before the prefix */
	for (k = 1; a->dialect == RT_IP && k < 12; k++)
		if (!strcmp(w, show_rtypes[k])) {
			if (!type_ok(k) || a->use != RT_USE_CHANGE)
				return unsup(a, w);
			rt->type = k;
			if (++*i >= argc)
				return nsb_usage(c, "to", "missing argument");
			w = argv[*i];
			break;
		}
	if (!strcmp(w, "default"))
		return 0;
	/* a selector: anything else is not supported (root, match), host
	 * bits are ignored */
	if (prefix_parse(w, rt->family, &p, 0))
		return a->use != RT_USE_CHANGE ? unsup(a, w) : nsb_usage(c, w, "invalid prefix");
	rt->family = p.family;
	rt->dst_len = p.plen;
	rt->has_dst = 1;
	memcpy(rt->dst, p.addr, sizeof(rt->dst));
	prefix_clear_host(&p);
	if (memcmp(p.addr, rt->dst, sizeof(rt->dst)) && a->use == RT_USE_CHANGE)
		return nsb_usage(c, w, a->dialect == RT_APPLET ? "invalid prefix"
				 : "invalid prefix for its length");
	memcpy(rt->dst, p.addr, sizeof(rt->dst));
	return 0;
}

/* keyword k's argument arg into rt */
static int rt_kw(struct nsb *c, struct rtargs *a, enum rt_word k, const char *arg,
		 struct route_info *rt)
{
	unsigned long v;
	int t;

	switch (k) {
	case W_VIA:
		rt->has_gw = 1;
		return addr_arg(c, arg, rt, rt->gw);
	case W_SRC:
		rt->has_src = 1;
		return addr_arg(c, arg, rt, rt->src);
	case W_DEV:
	case W_OIF:
		if (!ifname_valid(arg))
			return nsb_usage(c, arg, "invalid interface name");
		a->dev = arg;
		return 0;
	case W_METRIC:
	case W_PREFERENCE:
	case W_PRIORITY:
		if (num_parse(arg, 0, 0xffffffffUL, &v))
			return nsb_usage(c, arg, "invalid metric");
		rt->metric = v;
		rt->has_metric = 1;
		return 0;
	case W_SCOPE:
		a->got |= RT_GOT_SCOPE;
		return scope_arg(c, arg, &rt->scope);
	case W_PROTO:
	case W_PROTOCOL:
		a->got |= RT_GOT_PROTO;
		return proto_arg(c, arg, &rt->protocol);
	default:
		break;
	}
	/* table: ip's names in rt_tables, or a number */
	t = nsb_word(arg, "default\0main\0local\0");
	v = RT_TABLE_DEFAULT + t;
	if (t < 0 && num_parse(arg, 1, 0xffffffffUL, &v)) {
		a->unsup_arg = arg;
		return unsup(a, "table");
	}
	rt->table = v;
	return 0;
}

int rt_parse(struct nsb *c, struct rtargs *a, int argc, char **argv, struct route_info *rt)
{
	unsigned int seen = 0;
	int i, k, r, have = 0;

	rt->family = a->family;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		k = nsb_word(w, rt_words);
		if (a->dialect == RT_APPLET ? !i : k < 0 || k == W_TO) {
			if (k == W_TO && a->dialect == RT_IP && ++i >= argc)
				return nsb_usage(c, "to", "missing argument");
			if (have)
				return unsup(a, argv[i]);
			r = rt_dst(c, a, argc, argv, &i, rt);
			if (r)
				return r;
			have = 1;
			continue;
		}
		/* the applet: its five words, each once */
		if (a->dialect == RT_APPLET &&
		    ((k > W_APPLET_LAST && nsb_usage(c, w, "unknown keyword")) ||
		     nsb_keyword(c, w, arg, rt_words, &seen)))
			return 2;
		if (a->use != RT_USE_CHANGE && k != W_TABLE &&
		    (k != W_DEV || a->use == RT_USE_SHOW))
			return unsup(a, w);
		if (k == W_ONLINK) {
			rt->flags |= RTNH_F_ONLINK;
			continue;
		}
		if (!arg)
			return nsb_usage(c, w, "missing argument");
		i++;
		r = rt_kw(c, a, k, arg, rt);
		if (r)
			return r;
	}
	a->got |= have ? RT_GOT_DST : 0;
	if (!have && a->use == RT_USE_CHANGE)
		return nsb_usage(c, "PREFIX", "missing operand");
	if (rt->family == AF_UNSPEC)
		rt->family = AF_INET;
	return 0;
}

/* iproute -e add: the route there must be the one asked for (as far as
 * asked); anything else is an error naming what the existing one has */
static int same_route(struct nsb *c, struct mnl_socket *nl, const struct route_info *rt,
		      const char *dst)
{
	struct route_info *v, *e;
	struct link_info li;
	char a[64];
	const char *k = NULL;
	int n = route_list(c, nl, rt->family, rt->table ? rt->table : RT_TABLE_MAIN, &v), i;
	int al = addr_len(rt->family);

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
				fmt_buf(a, sizeof(a), "none");
		} else if (rt->oif && e->oif != rt->oif) {
			k = "dev";
			fmt_buf(a, sizeof(a), "%s", link_get(c, nl, e->oif, NULL, &li) ? "?" : li.name);
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

int rt_change(struct nsb *c, struct mnl_socket *nl, enum rt_op op, int idem,
	      const struct rtargs *a, struct route_info *rt, const char *subject)
{
	static const int flags[] = {
		[RTOP_ADD] = NLM_F_CREATE | NLM_F_EXCL,
		[RTOP_REPLACE] = NLM_F_CREATE | NLM_F_REPLACE,
		[RTOP_CHANGE] = NLM_F_REPLACE, [RTOP_APPEND] = NLM_F_CREATE | NLM_F_APPEND,
	};
	int r;

	/* iproute2's defaults: type unicast and proto boot when adding (a
	 * delete matches any type); without scope, a delete matches any, an
	 * IPv4 unicast route without a gateway is on-link */
	if (op != RTOP_DEL && !rt->type)
		rt->type = RTN_UNICAST;
	if (!(a->got & RT_GOT_PROTO) && op != RTOP_DEL)
		rt->protocol = RTPROT_BOOT;
	if (!(a->got & RT_GOT_SCOPE))
		rt->scope = rt->family == AF_INET6 ? RT_SCOPE_UNIVERSE
			  : op == RTOP_DEL ? RT_SCOPE_NOWHERE
			  : rt->has_gw || rt->type != RTN_UNICAST ? RT_SCOPE_UNIVERSE
			  : RT_SCOPE_LINK;
	if (a->dev) {
		rt->oif = link_index(c, nl, a->dev);
		if (rt->oif < 0)
			return nsb_fail(c, a->dev, rt->oif);
	}
	r = route_change(c, nl, op == RTOP_DEL ? RTM_DELROUTE : RTM_NEWROUTE,
			 op == RTOP_DEL ? 0 : flags[op], rt);
	if (idem && r == -EEXIST)
		return same_route(c, nl, rt, subject);
	return idem && r == -ESRCH ? 0 : r;
}
