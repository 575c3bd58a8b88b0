/* natdnat [-n NETNS] [-j] [-v]                     list port forwards
 * natdnat [-n NETNS] [-e] [-d] [-p tcp|udp] [-i IFACE] [ADDR:]PORT[-PORT] TO_ADDR[:PORT]
 *
 * Forward connections to ADDR:PORT (any local address when ADDR is left out)
 * to TO_ADDR:PORT (the same port when :PORT is left out), both for packets
 * arriving from outside (chain prerouting) and for connections made on this
 * host itself (chain output; not with -i, which only matches arriving
 * packets). Addresses are IPv4 or IPv6, an IPv6 one with a port in
 * brackets: [2001:db8::1]:8000. Turns on forwarding of that family in that
 * namespace. Rules live in nsbox's own nf_tables tables (table ip nsbox or
 * table ip6 nsbox), each with a counter and the command that made it as
 * its comment; no other table is touched.
 * 127.0.0.0/8 and ::1 are refused as ADDR or TO_ADDR, and "any local
 * address" leaves them out: forwarding loopback needs route_localnet, which
 * exposes loopback services to the network (CVE-2020-8558).
 *   -n NETNS  act inside NETNS
 *   -j        list as JSON: [{"protocol","dst","dport","dport_end","iifname",
 *             "to","to_port","chains","packets","bytes","comment"}] (no
 *             "dst": any local address)
 *   -v        list with the packets and bytes each forward matched, in all
 *             its chains (NAT sees the first packet of each connection)
 *   -e        succeed when the forward exists already (or, with -d, is gone)
 *   -d        delete the forward these arguments describe
 *   -p        protocol, tcp (default) or udp
 *   -i IFACE  only packets arriving through IFACE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "cli.h"


enum { O_P = NAT_O_OWN, O_I };

static const struct nsb_optdef opts[] = {
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
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
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
			snprintf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg);
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

/* The command in canonical form: what the rules' comment says. */
/* An IPv6 address with a port goes in brackets, as natdnat reads it. */
static void describe(const struct nft_nat *n, char *buf, size_t len)
{
	int v6 = n->to.family == AF_INET6;
	const char *fmt = v6 ? "[%s]:" : "%s:";
	char a[48];
	int o = snprintf(buf, len, "natdnat -p %s", n->proto == IPPROTO_TCP ? "tcp" : "udp");

	if (n->ifname[0])
		o += snprintf(buf + o, len - o, " -i %s", n->ifname);
	buf[o++] = ' ';
	if (n->has_dst)
		o += snprintf(buf + o, len - o, fmt, addr_ntop(n->to.family, n->dst.addr, a, sizeof(a)));
	o += snprintf(buf + o, len - o, "%u", n->lo);
	if (n->hi != n->lo)
		o += snprintf(buf + o, len - o, "-%u", n->hi);
	buf[o++] = ' ';
	o += snprintf(buf + o, len - o, n->toport ? fmt : "%s",
		      addr_ntop(n->to.family, n->to.addr, a, sizeof(a)));
	if (n->toport)
		snprintf(buf + o, len - o, "%u", n->toport);
}

static void show(struct json *j, const struct nat_args *r, const struct nft_rule *v, int nv,
		 int at)
{
	const struct nft_nat *n = &r->n;
	const char *comment = v[at].comment;
	char a[48];
	int i;

	json_kstr(j, "protocol", n->proto == IPPROTO_TCP ? "tcp" : "udp");
	if (n->has_dst)
		json_kstr(j, "dst", addr_ntop(n->to.family, n->dst.addr, a, sizeof(a)));
	json_kint(j, "dport", n->lo);
	if (n->hi != n->lo)
		json_kint(j, "dport_end", n->hi);
	if (n->ifname[0])
		json_kstr(j, "iifname", n->ifname);
	json_kstr(j, "to", addr_ntop(n->to.family, n->to.addr, a, sizeof(a)));
	if (n->toport)
		json_kint(j, "to_port", n->toport);
	json_key(j, "chains");
	json_open(j, '[');
	for (i = 0; i < nv; i++)
		if (v[i].chain >= 0 && !strcmp(v[i].comment, comment))
			json_str(j, nft_chain_name(v[i].chain));
	json_close(j, '[');
}

int natdnat_main(struct nsb *c, int argc, char **argv)
{
	struct nat_args a;
	int r = natdnat_parse(c, argc, argv, &a);

	if (r)
		return r;
	if (a.ops[0])
		describe(&a.n, a.comment, sizeof(a.comment));
	/* -i: locally made connections arrive on no interface, so no output rule */
	return nat_run(c, &a, "natdnat ", natdnat_parse, show,
		       1u << NFT_PRE | (a.n.ifname[0] ? 0 : 1u << NFT_OUT));
}
