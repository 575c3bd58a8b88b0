/* The NAT rule grammar: natmasq's and natdnat's arguments read into a
 * struct nat_args, and the canonical command a rule's comment holds.  The
 * applets natmasq and natdnat parse their command lines with it, and the
 * iptables personality reads the rules they made back with it (c NULL:
 * nothing printed).  API: include/cli.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include "cli.h"

enum { O_O = NAT_O_OWN };

static const struct nsb_optdef masq_opts[] = {
	NAT_OPTS,
	{ "-o", O_O, 1 },
	{ 0 }
};

int natmasq_parse(struct nsb *c, int argc, char **argv, struct nat_args *a)
{
	struct nsb_opts st = { 0 };
	int k;

	memset(a, 0, sizeof(*a));
	a->n.masq = 1;
	a->n.maker = NFT_BY_NATMASQ;
	while ((k = nsb_opt(c, &st, argc, argv, masq_opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (nat_opt(a, k, st.arg))
			continue;
		if (k == O_O) {
			a->change = 1;
			a->n.ifneg = st.arg[0] == '!';
			if (!ifname_valid(st.arg + a->n.ifneg))
				return nsb_usage(c, st.arg, "invalid interface name");
			fmt_buf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg + a->n.ifneg);
			continue;
		}
		if (a->ops[0])
			return nsb_usage(c, st.arg, "unexpected argument");
		a->ops[0] = st.arg;
		if (prefix_parse(st.arg, AF_UNSPEC, &a->n.src, 0))
			return nsb_usage(c, st.arg, "invalid prefix");
		prefix_clear_host(&a->n.src);
	}
	if (a->change && !a->ops[0])
		return nsb_usage(c, "SRC_CIDR", "missing operand");
	return 0;
}

/* The command in canonical form: what the rule's comment says. */
void natmasq_describe(const struct nft_nat *n, char *buf, size_t len)
{
	char a[48];
	int o = fmt_buf(buf, len, "natmasq %s/%d",
			 addr_ntop(n->src.family, n->src.addr, a, sizeof(a)), n->src.plen);

	if (n->ifname[0])
		fmt_buf(buf + o, len - o, " -o %s%s", n->ifneg ? "!" : "", n->ifname);
}

enum { O_P = NAT_O_OWN, O_I };

static const struct nsb_optdef dnat_opts[] = {
	NAT_OPTS,
	{ "-p", O_P, 1 },
	{ "-i", O_I, 1 },
	{ 0 }
};

static int loopback(const struct nsb_prefix *p)
{
	static const unsigned char one[16] = { [15] = 1 };

	return p->family == AF_INET ? p->addr[0] == 127 :
	       p->family == AF_INET6 && !memcmp(p->addr, one, 16);
}

/* :: and ::ffff:a.b.c.d (IPv4-mapped) never travel as an IPv6 address:
 * a rule with one could never match or forward */
static int not_on_wire(const struct nsb_prefix *p)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const unsigned char none[16];

	return p->family == AF_INET6 &&
	       (!memcmp(p->addr, mapped, 12) || !memcmp(p->addr, none, 16));
}

static int operand(struct nsb *c, struct nat_args *a, const char *s)
{
	struct nft_nat *n = &a->n;
	struct nsb_prefix *p = &n->to;
	int r;

	if (!a->ops[0]) {
		a->ops[0] = s;
		p = &n->dst;
		r = dport_parse(s, p, &n->lo, &n->hi);
		n->has_dst = p->family != AF_UNSPEC;
	} else if (!a->ops[1]) {
		a->ops[1] = s;
		r = dnat_to_parse(s, p, &n->toport);
	} else {
		return nsb_usage(c, s, "unexpected argument");
	}
	if (r == -ERANGE)
		return nsb_usage(c, s, "invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)");
	if (r || not_on_wire(p))
		return nsb_usage(c, s, "invalid address");
	if (loopback(p))
		return nsb_usage(c, s, p->family == AF_INET6 ? "::1 cannot be forwarded" :
				 "127.0.0.0/8 cannot be forwarded (it needs route_localnet)");
	if (n->has_dst && n->to.family && n->to.family != n->dst.family)
		return nsb_usage(c, s, "IPv4 and IPv6 mixed");
	return 0;
}

int natdnat_parse(struct nsb *c, int argc, char **argv, struct nat_args *a)
{
	struct nsb_opts st = { 0 };
	int k, r;

	memset(a, 0, sizeof(*a));
	a->n.proto = IPPROTO_TCP;
	a->n.maker = NFT_BY_NATDNAT;
	while ((k = nsb_opt(c, &st, argc, argv, dnat_opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (nat_opt(a, k, st.arg))
			continue;
		switch (k) {
		case O_P:
			a->change = 1;
			if (!strcmp(st.arg, "tcp"))
				a->n.proto = IPPROTO_TCP;
			else if (!strcmp(st.arg, "udp"))
				a->n.proto = IPPROTO_UDP;
			else
				return nsb_usage(c, st.arg, "unknown protocol (tcp or udp)");
			break;
		case O_I:
			a->change = 1;
			if (!ifname_valid(st.arg))
				return nsb_usage(c, st.arg, "invalid interface name");
			fmt_buf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg);
			break;
		default:
			r = operand(c, a, st.arg);
			if (r)
				return r;
		}
	}
	if (a->change && !a->ops[0])
		return nsb_usage(c, "[ADDR:]PORT", "missing operand");
	if (a->ops[0] && !a->ops[1])
		return nsb_usage(c, "TO_ADDR", "missing operand");
	return 0;
}

/* The command in canonical form: what the rules' comment says.  An IPv6
 * address with a port goes in brackets, as natdnat reads it. */
void natdnat_describe(const struct nft_nat *n, char *buf, size_t len)
{
	int v6 = n->to.family == AF_INET6;
	const char *fmt = v6 ? "[%s]:" : "%s:";
	char a[48];
	int o = fmt_buf(buf, len, "natdnat -p %s", n->proto == IPPROTO_TCP ? "tcp" : "udp");

	if (n->ifname[0])
		o += fmt_buf(buf + o, len - o, " -i %s", n->ifname);
	buf[o++] = ' ';
	if (n->has_dst)
		o += fmt_buf(buf + o, len - o, fmt, addr_ntop(n->to.family, n->dst.addr, a, sizeof(a)));
	o += fmt_buf(buf + o, len - o, "%u", n->lo);
	if (n->hi != n->lo)
		o += fmt_buf(buf + o, len - o, "-%u", n->hi);
	buf[o++] = ' ';
	o += fmt_buf(buf + o, len - o, n->toport ? fmt : "%s",
		      addr_ntop(n->to.family, n->to.addr, a, sizeof(a)));
	if (n->toport)
		fmt_buf(buf + o, len - o, "%u", n->toport);
}
