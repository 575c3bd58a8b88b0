/*
 * portmap: runtimeConfig.portMappings as DNAT rules in nsbox's table, in
 * prerouting (from outside) and output (from the host itself), to the
 * container's first IPv4 and first IPv6 address (table ip, table ip6), as
 * the reference does; a hostIP applies in its family only (0.0.0.0 and ::
 * mean any local address of it, as podman's -p 0.0.0.0:8080:80); and a hairpin
 * masquerade (from the container's subnet to the container: a container
 * reaching its own or a neighbour's host port gets the answer back through
 * the host).  Every rule carries "portmap NET ID IFNAME ..." so DEL and GC
 * remove exactly their own.  127.0.0.1:PORT is served as Kubernetes does
 * after CVE-2020-8558 (unless "snat": false, as the reference): the output
 * DNAT takes 127/8 too, "localnet BRIDGE" masquerades 127/8 to the
 * container, route_localnet is set on that bridge alone, and one guard rule
 * (CNI_GUARD, in nft.c's NFT_GUARD chain) drops packets to 127/8 that
 * arrive on any interface but lo while any localnet rule exists: the last
 * attachment's DEL takes it in the transaction that drops its own rules,
 * after putting route_localnet back on its bridge when no other needs it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include "cniplug.h"

#define LOCALNET "/proc/sys/net/ipv4/conf/%s/route_localnet"

struct pm {
	int snat;			/* the config's "snat" (default true) */
	int lnet;			/* some mapping serves 127.0.0.1 */
	char br[16];			/* the interface routing to the container */
};

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

/* The rule for mapping i (i == nports: the hairpin, nports + 1: localnet)
 * and its comment. */
static int rule(struct cni *k, struct pm *m, const struct cni_ip *ip, int i, struct nft_nat *n,
		char *cm)
{
	const struct cni_port *p = &k->conf->ports[i];
	char what[80], a[48] = "";

	memset(n, 0, sizeof(*n));
	n->own = 1;	/* the comment names this attachment */
	if (i > k->conf->nports) {
		n->masq = 1;
		prefix_parse("127.0.0.0/8", AF_INET, &n->src, 1);
		n->has_dst = 1;
		n->dst = ip->addr;
		n->dst.plen = 32;
		snprintf(what, sizeof(what), "localnet %s", m->br);
		return cni_comment(k, cm, what);
	}
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
	n->localnet = m->lnet;
	if (n->has_dst)
		addr_ntop(p->hostip.family, p->hostip.addr, a, sizeof(a));
	snprintf(what, sizeof(what), "%s %s:%lu", p->proto == IPPROTO_TCP ? "tcp" : "udp", a,
		 p->host);
	return cni_comment(k, cm, what);
}

/* Every mapping to the container's first address of each family (a hostIP
 * only in its own family's table) and the hairpin: made through nl, or
 * (nl NULL) looked for.  Both tables may hold one comment. */
static int walk(struct cni *k, struct pm *m, struct mnl_socket *nl)
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
		for (i = 0; ip && i <= c->nports + (f == AF_INET && m->lnet); i++) {
			if (i < c->nports && c->ports[i].hostip.family &&
			    c->ports[i].hostip.family != f)
				continue;
			if (i == c->nports && !m->snat)
				continue;
			if (rule(k, m, ip, i, &n, cm))
				return -1;
			want = i >= c->nports ? 1u << NFT_POST : 1u << NFT_PRE | 1u << NFT_OUT;
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

/* The guard: packets to 127/8 from anywhere but lo dropped, before NAT. */
static void guard(struct nft_nat *n)
{
	memset(n, 0, sizeof(*n));
	n->verdict = NFT_V_DROP;
	n->src.family = AF_INET;
	strcpy(n->ifname, "lo");
	n->ifneg = 1;
	n->has_dst = n->anydst = 1;
	prefix_parse("127.0.0.0/8", AF_INET, &n->dst, 1);
}

/* The config's snat, whether a mapping serves 127.0.0.1 (IPv4, no hostIP,
 * 0.0.0.0 or one in 127/8), and then the host's interface towards the container
 * (none found: no localnet, as the reference). */
static int setup(struct cni *k, struct pm *m, struct mnl_socket **nl)
{
	const struct cni_conf *c = k->conf;
	const struct cni_ip *ip = target(k, AF_INET);
	struct route_info rt;
	struct link_info li;
	int i = cj_get(&c->j, 0, "snat"), r;

	m->snat = i < 0 || c->j.t[i].type != JSMN_PRIMITIVE || c->j.s[c->j.t[i].start] != 'f';
	for (i = 0; i < c->nports && ip && m->snat; i++)
		m->lnet |= !c->ports[i].hostip.family || (c->ports[i].hostip.family == AF_INET &&
							   (c->ports[i].hostip.addr[0] == 127 ||
							    zero(&c->ports[i].hostip, 0)));
	r = m->lnet ? nl_sock(k->c, NULL, NETLINK_ROUTE, nl) : 0;
	if (!r && m->lnet)
		r = route_get(k->c, *nl, &ip->addr, &rt);
	if (!r && m->lnet)
		r = link_get(k->c, *nl, rt.oif, NULL, &li);
	if (!r && m->lnet)
		memcpy(m->br, li.name, sizeof(m->br));
	m->lnet &= !r;
	return 0;
}

static int add(struct cni *k)
{
	struct mnl_socket *nl;
	struct pm m = { 0 };
	struct nft_nat g;
	const char *what = NULL;
	char path[64];
	int r;

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	k->res = k->conf->prev;
	if (!k->conf->nports)
		return 0;
	if (setup(k, &m, &nl))
		return -1;
	r = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
	if (r)
		return cni_fail(k, "nf_tables", r);
	/* the guard after the localnet rule (a last DEL racing this one
	 * either sees that rule or has taken the guard already), and
	 * route_localnet after both */
	guard(&g);
	snprintf(path, sizeof(path), LOCALNET, m.br);
	if (walk(k, &m, nl) ||
	    (m.lnet && (r = nft_nat_apply(k->c, nl, &g, CNI_GUARD, 1u << NFT_GUARD, 0, 1)) &&
	     (what = CNI_GUARD)) ||
	    (m.lnet && (r = sysctl_set(NULL, path, "1", NULL, 0)) && (what = path))) {
		if (r)
			cni_fail(k, what, r);
		cni_nft_drop(k, 0);	/* leave nothing */
		return -1;
	}
	return 0;
}

static int check(struct cni *k)
{
	struct mnl_socket *nl;
	struct pm m = { 0 };

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	if (!k->conf->nports)
		return 0;
	if (setup(k, &m, &nl) || walk(k, &m, NULL))
		return -1;
	return m.lnet ? cni_nft_want(k, CNI_GUARD, AF_INET, 1u << NFT_GUARD) : 0;
}

/* Bridge br's localnet rules other than ours, and whether the guard is in */
static int others(struct cni *k, const char *br, int *guarded)
{
	char mine[NFT_COMMENT_MAX], *w;
	struct mnl_socket *nl;
	struct nft_rule *v = NULL;
	int i, n, r = 0;

	cni_comment(k, mine, "");
	*guarded = 0;
	if (nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl) || (n = nft_rules(k->c, nl, &v)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		*guarded |= !strcmp(v[i].comment, CNI_GUARD);
		w = strstr(v[i].comment, " localnet ");
		r += w && !strcmp(w + 10, br) && strncmp(v[i].comment, mine, strlen(mine));
	}
	free(v);
	return r;
}

/* route_localnet goes back to 0 on our bridge before our rules (and with
 * the last of them the guard) go, unless another attachment needs it; a
 * concurrent ADD's write of 1 in between is redone when its rule is seen */
static int del(struct cni *k)
{
	char path[64], br[16] = "", *w;
	struct nft_rule *v = NULL;
	struct mnl_socket *nl;
	int i, n, g, r;

	if (k->op != CNI_GC && !nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl) &&
	    (n = nft_rules(k->c, nl, &v)) > 0) {
		char mine[NFT_COMMENT_MAX];

		cni_comment(k, mine, "localnet ");
		for (i = 0; i < n; i++)
			if (!strncmp(v[i].comment, mine, strlen(mine)) &&
			    ifname_valid((w = v[i].comment + strlen(mine))))
				snprintf(br, sizeof(br), "%s", w);
	}
	free(v);
	snprintf(path, sizeof(path), LOCALNET, br);
	if (br[0] && !others(k, br, &g))
		sysctl_set(NULL, path, "0", NULL, 0);
	r = cni_nft_drop(k, k->op == CNI_GC);
	if (br[0] && others(k, br, &g) > 0 && g)
		sysctl_set(NULL, path, "1", NULL, 0);
	return r;
}
static int status(struct cni *k)
{
	(void)k;
	return 0;
}

cni_op *const cni_portmap[CNI_NOPS] = { add, del, check, del, status };
