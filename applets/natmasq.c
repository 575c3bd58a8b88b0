/* natmasq [-n NETNS] [-j] [-v]                     list masquerade rules
 * natmasq [-n NETNS] [-e] [-d] SRC_CIDR [-o [!]IFACE]
 *
 * Masquerade packets from SRC_CIDR (an IPv4 or IPv6 prefix) leaving through
 * IFACE (or, with !, through any other interface). Turns on forwarding of
 * that family in that namespace (net.ipv4.ip_forward or
 * net.ipv6.conf.all.forwarding). Host bits in SRC_CIDR are cleared, as
 * iptables does (10.10.0.10/16 means 10.10.0.0/16). Rules live in nsbox's
 * own nf_tables tables (table ip nsbox or table ip6 nsbox, chain
 * postrouting), each with a counter and the command that made it as its
 * comment; no other table is touched.
 *   -n NETNS  act inside NETNS
 *   -j        list as JSON: [{"src","oifname","oifname_negated","handle",
 *             "packets","bytes","comment"}]
 *   -v        list with the packets and bytes each rule matched (NAT sees
 *             the first packet of each connection)
 *   -e        succeed when the rule exists already (or, with -d, is gone)
 *   -d        delete the rule these arguments describe
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

enum { O_O = NAT_O_OWN };

static const struct nsb_optdef opts[] = {
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
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (nat_opt(a, k, st.arg))
			continue;
		if (k == O_O) {
			a->change = 1;
			a->n.ifneg = st.arg[0] == '!';
			if (!ifname_valid(st.arg + a->n.ifneg))
				return nsb_usage(c, st.arg, "invalid interface name");
			snprintf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg + a->n.ifneg);
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
	int o = snprintf(buf, len, "natmasq %s/%d",
			 addr_ntop(n->src.family, n->src.addr, a, sizeof(a)), n->src.plen);

	if (n->ifname[0])
		snprintf(buf + o, len - o, " -o %s%s", n->ifneg ? "!" : "", n->ifname);
}

static void show(struct json *j, const struct nat_args *r, const struct nft_rule *v, int nv,
		 int i)
{
	char a[48], pfx[56];

	(void)nv;
	snprintf(pfx, sizeof(pfx), "%s/%d", addr_ntop(r->n.src.family, r->n.src.addr, a, sizeof(a)),
		 r->n.src.plen);
	json_kstr(j, "src", pfx);
	if (r->n.ifname[0]) {
		json_kstr(j, "oifname", r->n.ifname);
		json_key(j, "oifname_negated");
		json_bool(j, r->n.ifneg);
	}
	json_kint(j, "handle", (long long)v[i].handle);
}

int natmasq_main(struct nsb *c, int argc, char **argv)
{
	struct nat_args a;
	int r = natmasq_parse(c, argc, argv, &a);

	if (r)
		return r;
	if (a.ops[0])
		natmasq_describe(&a.n, a.comment, sizeof(a.comment));
	return nat_run(c, &a, "natmasq ", natmasq_parse, show, 1u << NFT_POST);
}
