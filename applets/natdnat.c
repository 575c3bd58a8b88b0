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
		natdnat_describe(&a.n, a.comment, sizeof(a.comment));
	/* -i: locally made connections arrive on no interface, so no output rule */
	return nat_run(c, &a, "natdnat ", natdnat_parse, show,
		       1u << NFT_PRE | (a.n.ifname[0] ? 0 : 1u << NFT_OUT));
}
