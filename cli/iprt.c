/* ip route for the ip personality: add, del, replace, change, append,
 * get, show and flush of a table (main unless told), with iproute2's
 * defaults. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "ip.h"

/* the applet iproute takes the first five */
static const char words[] = "via\0src\0dev\0metric\0scope\0oif\0preference\0priority\0"
	"proto\0protocol\0table\0to\0onlink\0";
enum { W_VIA, W_SRC, W_DEV, W_METRIC, W_SCOPE, W_OIF, W_PROTO = 8, W_TABLE = 10, W_TO,
       W_ONLINK };

/* the route types (show_rtypes' numbers) nsbox adds: unicast, blackhole,
 * unreachable, prohibit and throw; ip's others are refused */
#define TYPES_OK 0x3c2

/* what parse saw besides rt's own fields */
enum { GOT_SCOPE = 1, GOT_PROTO = 2, GOT_DST = 4 };

static int addr_arg(struct ipc *ip, const char *w, struct route_info *rt, unsigned char *to)
{
	struct nsb_prefix p;

	if (addr_parse(w, rt->family, &p))
		return nsb_usage(ip->c, w, "invalid address");
	rt->family = p.family;
	memcpy(to, p.addr, sizeof(p.addr));
	return 0;
}

static int proto_arg(struct ipc *ip, const char *s, unsigned char *proto)
{
	static const char names[][8] = { "redirect", "kernel", "boot", "static" };
	unsigned long n;
	size_t k;

	for (k = 0; k < 4; k++)
		if (!strcmp(s, names[k])) {
			*proto = k + 1;
			return 0;
		}
	if (!strcmp(s, "ra") || !strcmp(s, "dhcp"))
		n = s[0] == 'r' ? RTPROT_RA : RTPROT_DHCP;
	else if (num_parse(s, 0, 255, &n))
		return nsb_usage(ip->c, s, "invalid protocol");
	*proto = n;
	return 0;
}

/* [to] [TYPE] PREFIX|default and the keywords that follow, into rt; for
 * show and flush (ip->sel) the prefix is optional and only table (and
 * flush's dev) may follow */
static int parse(struct ipc *ip, int argc, char **argv, struct route_info *rt,
		 const char **dev, unsigned int *got)
{
	struct nsb_prefix p;
	unsigned long v;
	unsigned int seen = 0;
	int i, k, have = 0;
	unsigned char sc;

	rt->family = ip->family;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		k = nsb_word(w, words);
		if (ip->applet ? !i : k < 0 || k == W_TO) {
			if (k == W_TO && !ip->applet)
				w = argv[++i];
			/* as ip: a type goes just before the prefix */
			for (k = 1; !have && w && k < 12 && !ip->applet; k++)
				if (!strcmp(w, show_rtypes[k])) {
					if (!(TYPES_OK >> k & 1) || ip->sel)
						return ip_unsup(ip, w, NULL);
					rt->type = k;
					w = argv[++i];
					break;
				}
			if (!w || have)
				return w ? ip_unsup(ip, w, NULL) : nsb_usage(ip->c, "to", "missing argument");
			have = 1;
			if (!strcmp(w, "default"))
				continue;
			/* a selector: anything else is not supported (root,
			 * match), host bits are ignored */
			if (prefix_parse(w, rt->family, &p, 0))
				return ip->sel ? ip_unsup(ip, w, NULL)
					       : nsb_usage(ip->c, w, "invalid prefix");
			rt->family = p.family;
			rt->dst_len = p.plen;
			rt->has_dst = 1;
			memcpy(rt->dst, p.addr, sizeof(rt->dst));
			prefix_clear_host(&p);
			if (memcmp(p.addr, rt->dst, sizeof(rt->dst)) && !ip->sel)
				return nsb_usage(ip->c, w, ip->applet ? "invalid prefix"
						 : "invalid prefix for its length");
			memcpy(rt->dst, p.addr, sizeof(rt->dst));
			continue;
		}
		/* the applet: its five words, each once */
		if (ip->applet && ((k > W_SCOPE && nsb_usage(ip->c, w, "unknown keyword")) ||
				   nsb_keyword(ip->c, w, arg, words, &seen)))
			return 2;
		if (ip->sel && k != W_TABLE && (k != W_DEV || ip->sel == IP_SHOW))
			return ip_unsup(ip, w, NULL);
		if (k == W_ONLINK) {
			rt->flags |= RTNH_F_ONLINK;
			continue;
		}
		if (!arg)
			return nsb_usage(ip->c, w, "missing argument");
		i++;
		switch (k) {
		case W_VIA:
			rt->has_gw = 1;
			if (addr_arg(ip, arg, rt, rt->gw))
				return 2;
			break;
		case W_SRC:
			rt->has_src = 1;
			if (addr_arg(ip, arg, rt, rt->src))
				return 2;
			break;
		case W_DEV:
		case W_OIF:
			if (!ifname_valid(arg))
				return nsb_usage(ip->c, arg, "invalid interface name");
			*dev = arg;
			break;
		case W_METRIC:
		case W_OIF + 1:
		case W_OIF + 2:
			if (num_parse(arg, 0, 0xffffffffUL, &v))
				return nsb_usage(ip->c, arg, "invalid metric");
			rt->metric = v;
			rt->has_metric = 1;
			break;
		case W_SCOPE:
			if (ip_scope(ip, arg, &sc))
				return 2;
			rt->scope = sc;
			*got |= GOT_SCOPE;
			break;
		case W_PROTO:
		case W_PROTO + 1:
			if (proto_arg(ip, arg, &rt->protocol))
				return 2;
			*got |= GOT_PROTO;
			break;
		default:
			/* ip's names in rt_tables, or a number */
			k = nsb_word(arg, "default\0main\0local\0");
			v = RT_TABLE_DEFAULT + k;
			if (k < 0 && num_parse(arg, 1, 0xffffffffUL, &v))
				return ip_unsup(ip, "table", arg);
			rt->table = v;
		}
	}
	*got |= have * GOT_DST;
	if (!have && !ip->sel)
		return nsb_usage(ip->c, "PREFIX", "missing operand");
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
	int n = route_list(c, nl, rt->family, rt->table ? rt->table : RT_TABLE_MAIN, &v), i, al = addr_len(rt->family);

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

static int change(struct ipc *ip, int cmd, int argc, char **argv)
{
	static const int flags[] = {
		[IP_ADD] = NLM_F_CREATE | NLM_F_EXCL, [IP_REPLACE] = NLM_F_CREATE | NLM_F_REPLACE,
		[IP_CHANGE] = NLM_F_REPLACE, [IP_APPEND] = NLM_F_CREATE | NLM_F_APPEND,
	};
	struct route_info rt = ROUTE_INFO_INIT;
	struct mnl_socket *nl;
	const char *dev = NULL;
	unsigned int got = 0;
	int r;

	if (parse(ip, argc, argv, &rt, &dev, &got))
		return 2;
	/* iproute2's defaults: type unicast and proto boot when adding (a
	 * delete matches any type); without scope, a delete matches any, an
	 * IPv4 unicast route without a gateway is on-link */
	if (cmd != IP_DEL && !rt.type)
		rt.type = RTN_UNICAST;
	if (!(got & GOT_PROTO) && cmd != IP_DEL)
		rt.protocol = RTPROT_BOOT;
	if (!(got & GOT_SCOPE))
		rt.scope = rt.family == AF_INET6 ? RT_SCOPE_UNIVERSE
			 : cmd == IP_DEL ? RT_SCOPE_NOWHERE
			 : rt.has_gw || rt.type != RTN_UNICAST ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
	if (ip_sock(ip, &nl))
		return 1;
	if (dev) {
		rt.oif = link_index(ip->c, nl, dev);
		if (rt.oif < 0)
			return nsb_fail(ip->c, dev, rt.oif);
	}
	r = route_change(ip->c, nl, cmd == IP_DEL ? RTM_DELROUTE : RTM_NEWROUTE,
			 cmd == IP_DEL ? 0 : flags[cmd], &rt);
	if (ip->idem && r == -EEXIST)
		return same_route(ip->c, nl, &rt, argv[0]);
	if (ip->idem && r == -ESRCH)
		r = 0;
	return r ? nsb_fail(ip->c, argv[0], r) : 0;
}

int ip_routes(struct ipc *ip, struct mnl_socket *nl, const struct route_info *s,
	      unsigned int got, struct route_info **out)
{
	struct route_info *v = NULL, *r;
	int n = route_list(ip->c, nl, ip->family == AF_UNSPEC ? AF_INET : ip->family,
			   s->table ? s->table : RT_TABLE_MAIN, &v), i, k = 0;

	for (i = 0; i < n; i++) {
		r = &v[i];
		/* as ip's selector: the prefix exactly (of -4/-6's family) */
		if ((!s->oif || r->oif == s->oif) && (!(got & GOT_DST) || (r->family == s->family &&
		    r->dst_len == s->dst_len && !memcmp(r->dst, s->dst, sizeof(r->dst)))))
			v[k++] = *r;
	}
	*out = v;
	return n < 0 ? n : k;
}

/* show|flush [table T] [dev DEV] [[to] PREFIX|default], flush cache */
static int show_flush(struct ipc *ip, int cmd, int argc, char **argv, struct route_info *s)
{
	struct route_info *rv;
	struct mnl_socket *nl;
	const char *dev = NULL;
	unsigned int got = 0;
	int i, n, r = 0;

	if (cmd == IP_FLUSH && argc == 1 && !strcmp(argv[0], "cache"))
		return 0;	/* IPv4 has had no route cache since Linux 3.6 */
	ip->sel = cmd;
	if (parse(ip, argc, argv, s, &dev, &got))
		return 2;
	if (cmd == IP_SHOW)
		return ip_show_routes(ip, NULL, s, got);
	if (!argc)
		return nsb_usage(ip->c, "dev", "missing operand");
	if (ip_sock(ip, &nl))
		return 1;
	if (dev && (s->oif = link_index(ip->c, nl, dev)) < 0)
		return nsb_fail(ip->c, dev, s->oif);
	n = ip_routes(ip, nl, s, got, &rv);
	if (n < 0)
		return nsb_fail(ip->c, "flush", n);
	for (i = 0; i < n && !r; i++) {
		r = route_change(ip->c, nl, RTM_DELROUTE, 0, &rv[i]);
		if (r == -ESRCH)
			r = 0;	/* gone with an earlier one */
	}
	free(rv);
	return r ? nsb_fail(ip->c, dev ? dev : "flush", r) : 0;
}

int ip_route(struct ipc *ip, int cmd, int argc, char **argv)
{
	struct nsb_prefix p;
	struct route_info s = ROUTE_INFO_INIT;

	switch (cmd) {
	case IP_SHOW:
	case IP_FLUSH:
		return show_flush(ip, cmd, argc, argv, &s);
	case IP_GET:
		if (argc && !strcmp(argv[0], "to"))
			argc--, argv++;
		if (!argc)
			return nsb_usage(ip->c, "ADDR", "missing operand");
		if (argc > 1)
			return ip_unsup(ip, argv[1], NULL);
		if (prefix_parse(argv[0], ip->family, &p, 0))
			return nsb_usage(ip->c, argv[0], "invalid address");
		return ip_show_routes(ip, &p, &s, 0);
	case IP_SET:
		return ip_unsup(ip, ip->cmd, NULL);
	}
	return change(ip, cmd, argc, argv);
}

int iproute_change(struct nsb *c, const struct nsb_ipopts *o, int cmd, int argc, char **argv)
{
	static const unsigned char ops[] = { IP_ADD, IP_DEL, IP_REPLACE };
	struct ipc ip = { .c = c, .netns = o->netns, .family = o->family, .applet = 1,
			  .idem = o->idem };

	return change(&ip, ops[cmd], argc, argv);
}
