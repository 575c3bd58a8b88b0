/*
 * firewall: the reference plugin's iptables backend, in nsbox's own tables
 * (chain "forward", type filter, hook forward, priority 0): for each
 * address of prevResult, forwarded packets to it in an established or
 * related connection, and every forwarded packet from it, accepted
 * ("firewall NET ID IFNAME to|from ADDR").  The reference's CNI-ADMIN
 * chain exists so that an administrator's drops come before its accepts in
 * the one FORWARD chain; in nf_tables a drop in any table is final, so
 * the administrator's own table does that.  An accept ends only the chain
 * it is in: a drop policy in another table still drops (README).  The
 * firewalld backend is not there: error 2, unsupported field.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include "cniplug.h"

/* Both rules of every address: made through nl, or (nl NULL) looked for */
static int walk(struct cni *k, struct mnl_socket *nl)
{
	const struct cni_result *p = &k->conf->prev;
	char cm[NFT_COMMENT_MAX], what[64], a[48];
	int i, d, r, f;

	for (i = 0; i < p->nips; i++)
		for (d = 0; d < 2; d++) {
			struct nft_nat n = { .verdict = NFT_V_ACCEPT, .ct = !d, .own = 1 };
			struct nsb_prefix x = p->ips[i].addr;

			f = x.family;
			x.plen = addr_len(f) * 8;
			n.src.family = f;
			if (d)
				n.src = x;
			else
				n.has_dst = n.anydst = 1, n.dst = x;
			snprintf(what, sizeof(what), "%s %s", d ? "from" : "to",
				 addr_ntop(f, x.addr, a, sizeof(a)));
			if (cni_comment(k, cm, what))
				return -1;
			if (!nl && cni_nft_want(k, cm, f, 1u << NFT_FWD))
				return -1;
			r = nl ? nft_nat_apply(k->c, nl, &n, cm, 1u << NFT_FWD, 0, 1) : 0;
			if (r)
				return cni_fail(k, cm, r);
		}
	return 0;
}

/* prevResult, a version with CHECK (0.4.0 on, as the reference), the
 * iptables backend's semantics */
static int usable(struct cni *k)
{
	const struct cj *j = &k->conf->j;
	char v[32] = "";

	if (strcmp(k->conf->version, "0.4.0") < 0)
		return cni_err(k, 1, NULL, "incompatible CNI versions");
	if (!k->conf->has_prev)
		return cni_err(k, 999, NULL, "missing prevResult from earlier plugin");
	if (!cj_str(j, cj_get(j, 0, "backend"), v, sizeof(v)) && v[0] && strcmp(v, "iptables"))
		return cni_err(k, 2, "nsbox has the iptables backend's rules, in its own nf_tables table",
			       "unsupported field in network configuration: backend \"%s\"", v);
	if (!cj_str(j, cj_get(j, 0, "ingressPolicy"), v, sizeof(v)) && v[0] && strcmp(v, "open"))
		return cni_err(k, 2, NULL, "unsupported field in network configuration: ingressPolicy \"%s\"",
			       v);
	return 0;
}

static int add(struct cni *k)
{
	struct mnl_socket *nl;
	int r;

	if (usable(k))
		return -1;
	k->res = k->conf->prev;
	r = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
	if (r)
		return cni_fail(k, "nf_tables", r);
	if (walk(k, nl)) {
		cni_nft_drop(k, 0);	/* leave nothing */
		return -1;
	}
	return 0;
}

static int check(struct cni *k)
{
	return usable(k) || walk(k, NULL) ? -1 : 0;
}

static int del(struct cni *k)
{
	return cni_nft_drop(k, k->op == CNI_GC);
}

static int status(struct cni *k)
{
	(void)k;
	return 0;
}

cni_op *const cni_firewall[CNI_NOPS] = { add, del, check, del, status };
