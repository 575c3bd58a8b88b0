/*
 * portmap: runtimeConfig.portMappings as DNAT rules in nsbox's table, in
 * prerouting (from outside) and output (from the host itself), to the
 * container's first IPv4 and first IPv6 address (table ip, table ip6), as
 * the reference does; a hostIP applies in its family only (0.0.0.0 and ::
 * mean any local address of it, as podman's -p 0.0.0.0:8080:80); and a hairpin
 * masquerade (from the container's subnet to the container: a container
 * reaching its own or a neighbour's host port gets the answer back through
 * the host).  Every rule carries "portmap NET ID IFNAME ..." so DEL and GC
 * remove exactly their own.  127.0.0.1:PORT is not served: that needs
 * route_localnet (CVE-2020-8558), which nsbox refuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include "cniplug.h"

/* The container's first address of family in prevResult (as the
 * reference: one of CNI_IFNAME in a sandbox, or of no interface), or NULL. */
static const struct cni_ip *target(const struct cni *k, int family)
{
	const struct cni_result *p = &k->conf->prev;
	int i, f;

	for (i = 0; i < p->nips; i++) {
		f = p->ips[i].iface;
		if (p->ips[i].addr.family == family &&
		    (f < 0 || (p->ifs[f].sandbox[0] && !strcmp(p->ifs[f].name, k->ifname))))
			return &p->ips[i];
	}
	return NULL;
}

/* 0.0.0.0 or ::, or (low 1) ::1 too */
static int zero(const struct nsb_prefix *a, int low)
{
	int i, n = addr_len(a->family);

	for (i = 0; i < n - 1 && !a->addr[i]; i++)
		;
	return i == n - 1 && a->addr[i] <= low;
}

/* Loopback (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104) or unspecified: a
 * forward there would reach the host's own loopback services from the
 * network (CVE-2020-8558); natdnat and iptables refuse it too. */
static int unroutable(const struct nsb_prefix *a)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	const unsigned char *v4 = a->family == AF_INET ? a->addr :
				  !memcmp(a->addr, mapped, 12) ? a->addr + 12 : NULL;

	return (v4 && v4[0] == 127) || zero(a, a->family == AF_INET6);
}

/* The rule for mapping i (i == nports: the hairpin) and its comment. */
static int rule(struct cni *k, const struct cni_ip *ip, int i, struct nft_nat *n, char *cm)
{
	const struct cni_port *p = &k->conf->ports[i];
	char what[80], a[48] = "";

	memset(n, 0, sizeof(*n));
	n->own = 1;	/* the comment names this attachment */
	if (i == k->conf->nports) {
		n->masq = 1;
		n->src = ip->addr;
		prefix_clear_host(&n->src);
		n->has_dst = 1;
		n->dst = ip->addr;
		n->dst.plen = addr_len(ip->addr.family) * 8;
		return cni_comment(k, cm, "hairpin");
	}
	n->proto = p->proto;
	/* 0.0.0.0 and :: are any address of their family */
	n->has_dst = p->hostip.family && !zero(&p->hostip, 0);
	n->dst = p->hostip;
	n->lo = n->hi = p->host;
	n->to = ip->addr;
	n->toport = p->cont;
	if (n->has_dst)
		addr_ntop(p->hostip.family, p->hostip.addr, a, sizeof(a));
	snprintf(what, sizeof(what), "%s %s:%lu", p->proto == IPPROTO_TCP ? "tcp" : "udp", a,
		 p->host);
	return cni_comment(k, cm, what);
}

/* Every mapping to the container's first address of each family (a hostIP
 * only in its own family's table) and the hairpin: made through nl, or
 * (nl NULL) looked for.  Both tables may hold one comment. */
static int walk(struct cni *k, struct mnl_socket *nl)
{
	const struct cni_conf *c = k->conf;
	char cm[NFT_COMMENT_MAX];
	struct nft_nat n;
	unsigned int want;
	int f, i, r, fwd;

	for (f = AF_INET; f; f = f == AF_INET ? AF_INET6 : 0) {
		const struct cni_ip *ip = target(k, f);
		char a[48];

		if (ip && c->nports && unroutable(&ip->addr))
			return cni_err(k, 999, NULL, "container address %s is loopback or unspecified: not forwarded (CVE-2020-8558)",
				       addr_ntop(f, ip->addr.addr, a, sizeof(a)));
		for (i = 0; ip && i <= c->nports; i++) {
			if (i < c->nports && c->ports[i].hostip.family &&
			    c->ports[i].hostip.family != f)
				continue;
			if (rule(k, ip, i, &n, cm))
				return -1;
			want = i == c->nports ? 1u << NFT_POST : 1u << NFT_PRE | 1u << NFT_OUT;
			if (!nl) {
				if (cni_nft_want(k, cm, f, want))
					return -1;
				continue;
			}
			r = nft_nat_commit(k->c, NULL, nl, &n, cm, want, 0, 1, &fwd);
			if (r)
				return cni_fail(k, fwd ? nft_fwd_path(&n) : cm, r);
		}
	}
	return 0;
}

static int add(struct cni *k)
{
	struct mnl_socket *nl;
	int r;

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	k->res = k->conf->prev;
	if (!k->conf->nports)
		return 0;
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
	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	return k->conf->nports ? walk(k, NULL) : 0;
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
