/*
 * portmap: runtimeConfig.portMappings as DNAT rules in nsbox's table, in
 * prerouting (from outside) and output (from the host itself), to the
 * container's first IPv4 address, and a hairpin masquerade (from the
 * container's subnet to the container: a container reaching its own or a
 * neighbour's host port gets the answer back through the host).  Every rule
 * carries "portmap NET ID IFNAME ..." so DEL and GC remove exactly their
 * own.  127.0.0.1:PORT is not served: that needs route_localnet
 * (CVE-2020-8558), which nsbox refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include "cniplug.h"

/* The container's first IPv4 address in prevResult, or NULL. */
static const struct cni_ip *target(const struct cni_result *p)
{
	int i;

	for (i = 0; i < p->nips; i++)
		if (p->ips[i].addr.family == AF_INET &&
		    (p->ips[i].iface < 0 || p->ifs[p->ips[i].iface].sandbox[0]))
			return &p->ips[i];
	return NULL;
}

/* The rule for mapping i (i == nports: the hairpin) and its comment. */
static int rule(struct cni *k, const struct cni_ip *ip, int i, struct nft_nat *n, char *cm)
{
	const struct cni_port *p = &k->conf->ports[i];
	char what[64], a[48] = "";

	memset(n, 0, sizeof(*n));
	if (i == k->conf->nports) {
		n->masq = 1;
		n->src = ip->addr;
		prefix_clear_host(&n->src);
		n->has_dst = 1;
		n->dst = ip->addr;
		n->dst.plen = 32;
		return cni_comment(k, cm, "hairpin");
	}
	n->proto = p->proto;
	n->has_dst = p->hostip.family != 0;
	n->dst = p->hostip;
	n->lo = n->hi = p->host;
	n->to = ip->addr;
	n->toport = p->cont;
	if (n->has_dst)
		addr_ntop(AF_INET, p->hostip.addr, a, sizeof(a));
	snprintf(what, sizeof(what), "%s %s:%lu", p->proto == IPPROTO_TCP ? "tcp" : "udp", a,
		 p->host);
	return cni_comment(k, cm, what);
}

static int add(struct cni *k)
{
	const struct cni_ip *ip = target(&k->conf->prev);
	struct mnl_socket *nl;
	struct nft_nat n;
	char cm[NFT_COMMENT_MAX];
	int i, r, fwd;

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	k->res = k->conf->prev;
	if (!k->conf->nports || !ip)
		return 0;
	r = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
	if (r)
		return cni_fail(k, "nf_tables", r);
	for (i = 0; i <= k->conf->nports; i++) {
		/* an IPv6 host address has no place in table ip */
		if (i < k->conf->nports && k->conf->ports[i].hostip.family == AF_INET6)
			continue;
		if (rule(k, ip, i, &n, cm))
			break;
		r = nft_nat_commit(k->c, NULL, nl, &n, cm,
				   i == k->conf->nports ? 1u << NFT_POST :
				   1u << NFT_PRE | 1u << NFT_OUT, 0, 1, &fwd);
		if (r) {
			cni_fail(k, fwd ? NSB_IP_FORWARD : cm, r);
			break;
		}
	}
	if (i <= k->conf->nports) {
		cni_nft_drop(k, 0);	/* leave nothing */
		return -1;
	}
	return 0;
}

static int check(struct cni *k)
{
	const struct cni_ip *ip = target(&k->conf->prev);
	struct mnl_socket *nl;
	struct nft_rule *v = NULL;
	struct nft_nat n;
	char cm[NFT_COMMENT_MAX];
	int i, m, cnt, r = 0;

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	if (!k->conf->nports || !ip)
		return 0;
	cnt = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
	cnt = cnt ? cnt : nft_rules(k->c, nl, &v);
	if (cnt < 0)
		return cni_fail(k, "nf_tables", cnt);
	for (i = 0; i <= k->conf->nports && !r; i++) {
		if ((r = rule(k, ip, i, &n, cm)))
			break;
		for (m = 0; v && m < cnt && strcmp(v[m].comment, cm); m++)
			;
		if (m == cnt)
			r = cni_err(k, 999, cm, "port mapping rule missing");
	}
	free(v);
	return r;
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

cni_op *const cni_portmap[CNI_NOPS] = { add, del, check, del, status };
