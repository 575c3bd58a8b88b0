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
