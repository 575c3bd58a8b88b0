/*
 * bridge: the container's end of a veth pair created directly in its
 * namespace (one request), the host end enslaved to the bridge (made when
 * missing), addresses from the IPAM plugin (executed from CNI_PATH),
 * routes, the gateway on the bridge, and ipMasq as a masquerade rule in
 * nsbox's table ("bridge NET ID IFNAME masq ADDR": from the container to
 * anything outside its subnet but multicast; IPv6 addresses in table ip6).
 * A failed ADD undoes what it alone made: its rules, its IPAM reservation
 * and its veth; never the bridge or its gateway address, which another
 * container may have joined meanwhile (the reference never deletes them).
 * Over 500 lines: ADD, CHECK, DEL and GC of the reference's bridge plugin,
 * the one with the most to undo.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/random.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "cniplug.h"

struct br {
	int nsfd;
	struct mnl_socket *hn, *cn;	/* host's and container's sockets */
	struct link_info bri, host, cont;
	int made_br, made_veth, ipam, masq;	/* made_br: pin its MAC, never delete it */
};

/* The host's socket and, when there is one, the container's (DEL: 1 when
 * there is none; cni_netns) */
static int open_ns(struct cni *k, struct br *b)
{
	int r = nl_sock(k->c, NULL, NETLINK_ROUTE, &b->hn);

	if (r)
		return cni_fail(k, "netlink", r);
	b->nsfd = cni_netns(k);
	if (b->nsfd < 0)
		return b->nsfd == -2 ? 1 : -1;
	r = nl_sock_fd(k->c, b->nsfd, NETLINK_ROUTE, &b->cn);
	return r ? cni_fail(k, k->netns, r) : 0;
}

/* A bridge without an address of its own takes its lowest port's, and
 * changes it when that port goes: neighbours keep sending to the old one
 * until their entries expire (tens of seconds).  One set explicitly
 * (addr_assign_type "set", a random locally administered unicast one)
 * stays, as the reference's does.  Only on a bridge we made: one that was
 * there is left as it is. */
static int pin_mac(struct cni *k, struct br *b)
{
	struct link_req rq = LINK_REQ_INIT(b->bri.index);
	unsigned char mac[6];

	if (getrandom(mac, sizeof(mac), 0) != sizeof(mac))
		return -errno;
	mac[0] = (mac[0] & 0xfe) | 0x02;
	rq.mac = mac;
	return link_change(k->c, b->hn, &rq);
}

static int bridge_up(struct cni *k, struct br *b)
{
	const struct cni_conf *c = k->conf;
	struct link_end e = { c->bridge, -1 };
	int r = link_get(k->c, b->hn, 0, c->bridge, &b->bri);

	if (r == -ENODEV) {
		r = link_add(k->c, b->hn, "bridge", &e, NULL, c->mtu);
		b->made_br = !r;
		/* EEXIST: a parallel ADD made it first */
		if (!r || r == -EEXIST)
			r = link_get(k->c, b->hn, 0, c->bridge, &b->bri);
		if (!r && b->made_br)
			r = pin_mac(k, b);
	}
	if (!r && strcmp(b->bri.kind, "bridge"))
		return cni_err(k, 999, NULL, "%s already exists but is not a bridge", c->bridge);
	if (!r && c->promisc)
		r = link_set_flag(k->c, b->hn, b->bri.index, IFF_PROMISC, 1);
	if (!r && !(b->bri.flags & IFF_UP))
		r = link_set_up(k->c, b->hn, b->bri.index, 1);
	return r ? cni_fail(k, c->bridge, r) : 0;
}

static int veth(struct cni *k, struct br *b)
{
	char name[16];
	struct link_end h = { name, -1 }, p = { k->ifname, b->nsfd };
	struct link_req rq;
	unsigned int rnd;
	int r, tries;

	if (!link_get(k->c, b->cn, 0, k->ifname, &b->cont))
		return cni_err(k, 999, NULL, "container veth name provided (%s) already exists",
			       k->ifname);
	for (tries = 0; tries < 8; tries++) {
		if (getrandom(&rnd, sizeof(rnd), 0) != sizeof(rnd))
			return cni_fail(k, "getrandom", -errno);
		snprintf(name, sizeof(name), "veth%08x", rnd);
		r = link_add(k->c, b->hn, "veth", &h, &p, k->conf->mtu);
		/* EEXIST: the host's name, or a parallel ADD made ifname */
		if (r != -EEXIST || !link_get(k->c, b->cn, 0, k->ifname, &b->cont))
			break;
	}
	if (r == -EEXIST)
		return cni_err(k, 999, NULL, "container veth name provided (%s) already exists",
			       k->ifname);
	b->made_veth = !r;
	strcpy(b->host.name, name);
	if (!r)
		r = link_get(k->c, b->hn, 0, name, &b->host);
	if (!r)
		r = link_get(k->c, b->cn, 0, k->ifname, &b->cont);
	if (r)
		return cni_fail(k, name, r);
	rq = (struct link_req)LINK_REQ_INIT(b->host.index);
	rq.master = b->bri.index;
	rq.up = 1;
	r = link_change(k->c, b->hn, &rq);
	if (!r && k->conf->hairpin)
		r = brport_hairpin(k->c, b->hn, b->host.index, 1);
	return r ? cni_fail(k, b->host.name, r) : 0;
}

/* The gateway address on the bridge, unless there; another address of
 * the family (IPv4) or an overlapping one (IPv6) is an error, or with
 * forceAddress replaced. */
static int gw_addr(struct cni *k, struct br *b, const struct cni_ip *ip)
{
	struct nsb_prefix g = ip->addr, x;
	struct ifaddr_info *v = NULL;
	int n, i, r = 0;

	memcpy(g.addr, ip->gw, 16);
	n = ifaddr_list(k->c, b->hn, g.family, &v);
	for (i = 0; i < n && !r; i++) {
		if (v[i].index != b->bri.index || (g.family == AF_INET6 && v[i].local[0] == 0xfe &&
						   (v[i].local[1] & 0xc0) == 0x80))
			continue;
		if (!memcmp(v[i].local, g.addr, addr_len(g.family)))
			goto out;
		x = (struct nsb_prefix){ g.family, v[i].plen, { 0 } };
		memcpy(x.addr, v[i].local, 16);
		if (g.family == AF_INET6 && ip->addr.plen > x.plen) {
			/* overlap: the wider prefix holds the other's address */
			struct nsb_prefix w = g;

			w.plen = x.plen;
			prefix_clear_host(&w);
			prefix_clear_host(&x);
			if (memcmp(w.addr, x.addr, 16))
				continue;
			memcpy(x.addr, v[i].local, 16);
		}
		if (!k->conf->force)
			r = cni_err(k, 999, NULL, "%s already has an IP address different from the gateway",
				    k->conf->bridge);
		else
			r = ifaddr_change(k->c, b->hn, RTM_DELADDR, b->bri.index, &x);
	}
	if (n < 0)
		r = n;
	/* the gateway, IPv6's without DAD: the container's may not wait for
	 * it, and neither may its first packets to it */
	if (!r)
		r = ifaddr_add_brd(k->c, b->hn, b->bri.index, &g,
				   g.family == AF_INET6 ? IFA_F_NODAD : 0);
	/* EEXIST: a parallel ADD put it there */
	r = r == -EEXIST ? 0 : r;
	if (!r)
		r = sysctl_set(NULL, g.family == AF_INET ? NSB_IP_FORWARD : NSB_IP6_FORWARD,
			       "1", NULL, 0);
out:
	free(v);
	return r < -1 ? cni_fail(k, k->conf->bridge, r) : r;
}

/* Addresses, link up, routes in the container; then the bridge side. */
static int configure(struct cni *k, struct br *b)
{
	struct cni_result *s = &k->res;
	char dad[64], ns[32];
	int i, m, r = link_set_up(k->c, b->cn, b->cont.index, 1);

	/* as the reference (whatever the families): a hairpin or promiscuous
	 * port echoes the container's neighbour solicitations back, failing
	 * its DAD.  No IPv6 in this kernel: nothing to turn off. */
	snprintf(dad, sizeof(dad), "/proc/sys/net/ipv6/conf/%s/accept_dad", k->ifname);
	if (!r && (k->conf->hairpin || k->conf->promisc)) {
		/* the namespace we hold, not its path again */
		snprintf(ns, sizeof(ns), "/proc/self/fd/%d", b->nsfd);
		r = sysctl_set(ns, dad, "0", NULL, 0);
		r = r == -ENOENT ? 0 : r;
	}
	/* the container's IPv6 addresses skip duplicate address detection
	 * (IFA_F_NODAD): usable when ADD returns without waiting for it, as
	 * the reference's are (it turns DAD off) */
	for (i = 0; i < s->nips && !r; i++)
		r = ifaddr_add_brd(k->c, b->cn, b->cont.index, &s->ips[i].addr,
				   s->ips[i].addr.family == AF_INET6 ? IFA_F_NODAD : 0);
	for (i = 0; i < s->nroutes && !r; i++) {
		struct route_info rt = ROUTE_INFO_INIT;
		const struct cni_route *t = &s->routes[i];

		rt.family = t->dst.family;
		rt.dst_len = t->dst.plen;
		rt.has_dst = t->dst.plen > 0;
		memcpy(rt.dst, t->dst.addr, 16);
		rt.has_gw = t->has_gw;
		memcpy(rt.gw, t->gw, 16);
		/* no gateway given: the first of the family's addresses */
		for (m = 0; m < s->nips && !rt.has_gw; m++)
			if (s->ips[m].addr.family == rt.family && s->ips[m].has_gw) {
				rt.has_gw = 1;
				memcpy(rt.gw, s->ips[m].gw, 16);
			}
		rt.protocol = RTPROT_BOOT;
		rt.scope = rt.has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
		rt.type = RTN_UNICAST;
		rt.oif = b->cont.index;
		r = route_change(k->c, b->cn, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt);
	}
	if (r)
		return cni_fail(k, k->ifname, r);
	for (i = 0; i < s->nips && k->conf->is_gw; i++)
		if (s->ips[i].has_gw && gw_addr(k, b, &s->ips[i]))
			return -1;
	return 0;
}

/* Every address of the result s, as the reference's ipMasq: from it to
 * anything outside its subnet but multicast, in the table of its family;
 * made in ADD, looked for in CHECK. */
static int masq(struct cni *k, const struct cni_result *s)
{
	struct mnl_socket *nl = NULL;
	struct nft_nat n = { .masq = 1, .nxdst = 2, .own = 1 };
	char cm[NFT_COMMENT_MAX], a[48];
	int i, r, fwd;

	if (!k->conf->masq)
		return 0;
	r = k->op == CNI_ADD ? nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl) : 0;
	if (r)
		return cni_fail(k, "nf_tables", r);
	for (i = 0; i < s->nips; i++) {
		const struct cni_ip *p = &s->ips[i];
		int f = p->addr.family;

		n.src = p->addr;
		n.src.plen = addr_len(f) * 8;
		n.xdst[0] = p->addr;
		prefix_clear_host(&n.xdst[0]);
		prefix_parse(f == AF_INET ? "224.0.0.0/4" : "ff00::/8", f, &n.xdst[1], 1);
		snprintf(a, sizeof(a), "masq %s", addr_ntop(f, p->addr.addr, cm, sizeof(cm)));
		if (cni_comment(k, cm, a))
			return -1;
		if (!nl) {
			if (cni_nft_want(k, cm, f, 1u << NFT_POST))
				return -1;
			continue;
		}
		r = nft_nat_commit(k->c, NULL, nl, &n, cm, 1u << NFT_POST, 0, 1, &fwd);
		if (r)
			return cni_fail(k, fwd ? nft_fwd_path(&n) : cm, r);
	}
	return 0;
}

static void result(struct cni *k, struct br *b, const struct cni_result *ipam)
{
	struct cni_result *s = &k->res;
	const struct link_info *l[3] = { &b->bri, &b->host, &b->cont };
	int i, dflt[2] = { 0, 0 };

	*s = *ipam;
	s->nifs = 3;
	for (i = 0; i < 3; i++) {
		snprintf(s->ifs[i].name, sizeof(s->ifs[i].name), "%s", l[i]->name);
		mac_format(l[i]->addr, l[i]->addrlen, s->ifs[i].mac, sizeof(s->ifs[i].mac));
		s->ifs[i].sandbox[0] = '\0';
	}
	snprintf(s->ifs[2].sandbox, sizeof(s->ifs[2].sandbox), "%s", k->netns);
	if (k->conf->dns) {
		s->dns = k->conf->dns;
		s->dnslen = k->conf->dnslen;
	}
	for (i = 0; i < s->nroutes; i++)
		if (!s->routes[i].dst.plen)
			dflt[s->routes[i].dst.family == AF_INET6] = 1;
	for (i = 0; i < s->nips; i++) {
		struct cni_ip *p = &s->ips[i];
		int v6 = p->addr.family == AF_INET6;

		p->iface = 2;
		if (!p->has_gw && k->conf->is_gw) {
			/* the subnet's first address */
			struct nsb_prefix g = p->addr;

			prefix_clear_host(&g);
			g.addr[addr_len(g.family) - 1] |= 1;
			memcpy(p->gw, g.addr, 16);
			p->has_gw = 1;
		}
		if (k->conf->is_dgw && p->has_gw && !dflt[v6] && s->nroutes < CNI_NROUTES) {
			struct cni_route *t = &s->routes[s->nroutes++];

			memset(t, 0, sizeof(*t));
			t->dst.family = p->addr.family;
			t->has_gw = 1;
			memcpy(t->gw, p->gw, 16);
			dflt[v6] = 1;
		}
	}
}

/* What this ADD made: its rules (labelled with its ID and ifname, which
 * its IPAM reservation made its own), its reservation, its veth. */
static void undo(struct cni *k, struct br *b)
{
	if (b->masq)
		cni_nft_drop(k, 0);
	if (b->ipam) {
		struct cni_error e = k->err;

		k->err.code = 0;	/* the first error stays the one reported */
		cni_exec(k, k->conf->ipam_type, "DEL", NULL);
		k->err = e;
	}
	if (b->made_veth)
		link_del(k->c, b->hn, b->host.index, b->host.index ? NULL : b->host.name);
}

static int add(struct cni *k)
{
	struct br b = { .nsfd = -1 };
	struct cni_result ipam = { 0 };
	int r = -1;

	if (open_ns(k, &b) || bridge_up(k, &b) || veth(k, &b))
		goto out;
	/* no IPAM type: layer 2 only, as the reference (no address, route or
	 * rule; the container's end up) */
	if (k->conf->ipam_type[0]) {
		if (cni_exec(k, k->conf->ipam_type, "ADD", &ipam))
			goto out;
		b.ipam = 1;
		if (!ipam.nips) {
			cni_err(k, 999, NULL, "IPAM plugin returned missing IP config");
			goto out;
		}
	}
	result(k, &b, &ipam);
	if (configure(k, &b))
		goto out;
	b.masq = 1;
	if (masq(k, &k->res))
		goto out;
	/* the bridge takes a port's address until it has its own */
	r = link_get(k->c, b.hn, b.bri.index, NULL, &b.bri);
	if (r)
		r = cni_fail(k, k->conf->bridge, r);
	else
		mac_format(b.bri.addr, b.bri.addrlen, k->res.ifs[0].mac, sizeof(k->res.ifs[0].mac));
out:
	if (r)
		undo(k, &b);
	if (b.nsfd >= 0)
		close(b.nsfd);
	return r;
}

/* DEL without the container's namespace (unset, or gone): its veth lives
 * on only while someone holds the namespace.  The host's end goes when
 * prevResult names it and it is still that one: a veth on our bridge, its
 * peer in another namespace, with prevResult's MAC address. */
static int host_end(struct cni *k, struct br *b)
{
	const struct cni_result *p = &k->conf->prev;
	int i, bri = link_index(k->c, b->hn, k->conf->bridge);
	struct link_info l;
	char mac[18];

	for (i = 0; i < p->nifs && bri > 0; i++) {
		const struct cni_if *f = &p->ifs[i];

		if (!f->sandbox[0] && f->mac[0] && !link_get(k->c, b->hn, 0, f->name, &l) &&
		    !strcmp(l.kind, "veth") && l.master == bri && l.netnsid >= 0 &&
		    !strcasecmp(f->mac, mac_format(l.addr, l.addrlen, mac, sizeof(mac))))
			return link_del(k->c, b->hn, l.index, NULL);
	}
	return 0;
}

/* The veth goes with its container end.  Unregistering a device waits
 * in netdev_run_todo's rcu_barrier (a grace period and more, seen on
 * 6.18), and closing our nf_tables socket after a commit that deleted rules
 * waits for nf_tables' destroy work (synchronize_rcu, flushed by
 * nft_rcv_nl_event): the rules go first, so that their grace period passes
 * while the IPAM plugin runs and the veth goes. */
static int del(struct cni *k)
{
	struct br b = { .nsfd = -1 };
	int r = cni_nft_drop(k, 0), e;

	if (k->conf->ipam_type[0] && cni_exec(k, k->conf->ipam_type, "DEL", NULL))
		r = -1;
	e = open_ns(k, &b);
	if (e < 0)
		return -1;
	e = e ? host_end(k, &b) : link_del(k->c, b.cn, 0, k->ifname);
	if (e && e != -ENODEV)
		r = cni_fail(k, k->ifname, e);
	if (b.nsfd >= 0)
		close(b.nsfd);
	return r;
}

static int has_addr(const struct ifaddr_info *v, int n, int index, const struct nsb_prefix *p)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].index == index && v[i].family == p->family && v[i].plen == p->plen &&
		    !memcmp(v[i].local, p->addr, 16))
			return 1;
	return 0;
}

/* prevResult against the kernel, as the reference's CHECK does (save the
 * bridge's MAC address and promiscuity), and more: the bridge; the container's
 * interface and the host's end on the bridge, with their MAC addresses; each
 * address and route (its gateway when it names one) in the container; with
 * ipMasq, each address's masquerade rule.  A difference is one error 999,
 * "WHO: what". */
/* What prevResult must name, as the reference's CHECK demands: the bridge,
 * ifname in CNI_NETNS (that path), and a host end; NULL, or what lacks. */
static const char *prev_names(const struct cni *k, const char **who)
{
	const struct cni_result *p = &k->conf->prev;
	int i, have = 0;

	for (i = 0; i < p->nifs; i++) {
		const struct cni_if *f = &p->ifs[i];

		if (!strcmp(f->name, k->conf->bridge) && !f->sandbox[0])
			have |= 1;
		else if (!strcmp(f->name, k->ifname) && f->sandbox[0])
			have |= strcmp(f->sandbox, k->netns) ? 8 : 2;
		else if (!f->sandbox[0])
			have |= 4;
	}
	*who = have & 1 ? k->ifname : k->conf->bridge;
	if (!(have & 1))
		return "bridge not in prevResult";
	if (!(have & 2))
		return have & 8 ? "prevResult's sandbox is not CNI_NETNS" :
				  "interface not in prevResult";
	*who = k->conf->bridge;
	return have & 4 ? NULL : "host end of the veth not in prevResult";
}

/* Over 60 lines: CHECK compares prevResult with the kernel field by field, in the order the
 * reference reports them
 * NOLINTNEXTLINE(readability-function-size) */
static int check(struct cni *k)
{
	const struct cni_result *p = &k->conf->prev;
	struct br b = { .nsfd = -1 };
	struct ifaddr_info *v = NULL;
	const char *who = k->conf->bridge, *why = "no such bridge";
	char mac[18];
	int n, m, i, j, r = -1;

	if (!k->conf->has_prev)
		return cni_err(k, 7, NULL, "required prevResult missing");
	if ((why = prev_names(k, &who)))
		return cni_err(k, 999, NULL, "%s: %s", who, why);
	who = k->conf->bridge;
	why = "no such bridge";
	if ((k->conf->ipam_type[0] && cni_exec(k, k->conf->ipam_type, "CHECK", NULL)) ||
	    open_ns(k, &b))
		goto out;
	if (!link_get(k->c, b.hn, 0, who, &b.bri) && !strcmp(b.bri.kind, "bridge")) {
		who = k->ifname;
		why = link_get(k->c, b.cn, 0, who, &b.cont) ? "no such interface" :
							      NULL;
	}
	n = ifaddr_list(k->c, b.cn, AF_UNSPEC, &v);
	for (i = 0; i < p->nips && !why; i++)
		if (!has_addr(v, n, b.cont.index, &p->ips[i].addr))
			why = "address missing";
	/* a route: its destination, and its gateway when it names one */
	for (i = 0; i < p->nroutes && !why; i++) {
		const struct cni_route *t = &p->routes[i];
		struct route_info *rv = NULL;

		m = route_list(k->c, b.cn, t->dst.family, RT_TABLE_MAIN, &rv);
		for (j = 0; j < m && (rv[j].dst_len != t->dst.plen || memcmp(rv[j].dst, t->dst.addr, 16) ||
				      (t->has_gw && memcmp(rv[j].gw, t->gw, 16))); j++)
			;
		free(rv);
		if (j >= m)
			why = "route missing";
	}
	/* the host's end on the bridge, and MAC addresses (not the bridge's:
	 * one nsbox did not make takes its lowest port's, which changes as
	 * ports come and go) */
	for (i = 0; i < p->nifs && !why; i++) {
		const struct cni_if *f = &p->ifs[i];
		struct link_info *l = &b.cont;

		who = f->name;
		if (f->sandbox[0] ? strcmp(who, k->ifname) : !strcmp(who, k->conf->bridge))
			continue;	/* another plugin's, or the bridge */
		if (!f->sandbox[0] &&
		    (link_get(k->c, b.hn, 0, who, l = &b.host) || l->master != b.bri.index))
			why = "not on the bridge";
		else if (f->mac[0] && strcmp(f->mac, mac_format(l->addr, l->addrlen, mac, 18)))
			why = "MAC address changed";
	}
	if (n < 0)
		cni_fail(k, who, n);
	else if (why)
		cni_err(k, 999, NULL, "%s: %s", who, why);
	else
		r = masq(k, p);
out:
	free(v);
	if (b.nsfd >= 0)
		close(b.nsfd);
	return r;
}

static int gc(struct cni *k)
{
	if (k->conf->ipam_type[0] &&
	    cni_exec(k, k->conf->ipam_type, k->op == CNI_GC ? "GC" : "STATUS", NULL))
		return -1;
	return k->op == CNI_GC ? cni_nft_drop(k, 1) : 0;
}

cni_op *const cni_bridge[CNI_NOPS] = { add, del, check, gc, gc };
