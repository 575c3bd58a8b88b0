/* ip link show, ip address show, ip route show/get in iproute2's shapes:
 * its text (people grep and awk it), -br, and -j with its keys. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include "ip.h"

/* ip's link-netns NAME: the named namespace this one numbers nsid */
struct nsnames {
	char **names;
	int *ids, n;
};

static const char *ns_name(struct ipc *ip, struct mnl_socket *nl, struct nsnames *t, int nsid)
{
	int k;

	if (!t->names) {
		t->n = ns_list(&t->names);
		t->ids = t->n > 0 ? calloc(t->n, sizeof(int)) : NULL;
		for (k = 0; k < t->n && t->ids; k++) {
			int fd = ns_open(t->names[k]);

			t->ids[k] = fd < 0 ? -1 : link_netnsid(ip->c, nl, fd);
			if (fd >= 0)
				close(fd);
		}
	}
	for (k = 0; k < t->n && t->ids; k++)
		if (t->ids[k] == nsid)
			return t->names[k];
	return NULL;
}

/* -br: "NAME@PEER  STATE  MAC <FLAGS>" (na < 0) or "... ADDR/LEN ..." */
static void brief(struct json *j, const struct link_info *li, const struct link_info *v,
		  int n, const struct ifaddr_info *av, int na)
{
	const struct link_info *peer;
	char name[40], a[100];
	int k;

	print_open(j, NULL, '{');
	peer = show_ifname(j, li, v, n, name);
	print_str(j, NULL, "%-16s ", name);
	print_str(j, "operstate", "%-14s ", show_operstate(li->operstate));
	if (na < 0) {
		print_str(j, "address", "%s ",
			  li->addrlen ? mac_format(li->addr, li->addrlen, a, sizeof(a)) : NULL);
		print_open(j, "flags", '[');
		print_str(j, NULL, "<", "");
		show_flags(j, li, peer);
		print_close(j, '[');
		print_str(j, NULL, "> ", "");
	} else {
		print_open(j, "addr_info", '[');
	}
	for (k = 0; k < na; k++) {
		if (av[k].index != li->index)
			continue;
		print_open(j, NULL, '{');
		print_str(j, "local", "%s", addr_ntop(av[k].family, av[k].local, a, sizeof(a)));
		print_int(j, "prefixlen", "/%lld ", av[k].plen);
		print_close(j, '{');
	}
	if (na >= 0)
		print_close(j, '[');
	print_close(j, '{');
	print_str(j, NULL, "\n", "");
}

int ip_show_links(struct ipc *ip, const char *dev, int addrs)
{
	struct mnl_socket *nl;
	struct link_info *v = NULL, one[3];
	struct ifaddr_info *av = NULL;
	struct nsnames t = { NULL, NULL, 0 };
	struct json j = { 0 }, *jp = ip->json ? &j : NULL;
	int n, na = 0, i, k, count, r = 0;

	/* -s: the counters of ip -s link (iplink -s's) */
	if ((ip->stats && (addrs || ip->brief || ip->stats > 1)) || ip->details)
		return ip_unsup(ip, ip->details ? "-d" : "-s", NULL);
	if (ip_sock(ip, &nl))
		return 1;
	n = link_show_set(ip->c, nl, dev, one, &v);
	if (n < 0)
		return nsb_fail(ip->c, dev ? dev : "show", n);
	if (addrs && (na = ifaddr_list(ip->c, nl, ip->family, &av)) < 0) {
		r = nsb_fail(ip->c, "show", na);
		goto out;
	}
	print_open(jp, NULL, '[');
	for (i = 0; i < (dev ? 1 : n); i++) {
		const struct link_info *li = &v[i];
		const char *pns = NULL;

		for (count = k = 0; k < na; k++)
			count += av[k].index == li->index;
		/* as ip: with -4 or -6, links without such addresses are left
		 * out; with up, links that are down (-j: as an empty object) */
		if (addrs && ip->family != AF_UNSPEC && !count)
			continue;
		if (ip->up && !(li->flags & IFF_UP)) {
			print_open(jp, NULL, '{');
			print_close(jp, '{');
			continue;
		}
		if (ip->brief) {
			brief(jp, li, v, n, av, addrs ? na : -1);
			continue;
		}
		if (li->link && li->netnsid >= 0 && !jp)
			pns = ns_name(ip, nl, &t, li->netnsid);
		print_open(jp, NULL, '{');
		show_link_ip(jp, li, v, n, SHOW_IP | (addrs ? 0 : SHOW_MODE) |
			     (addrs && ip->family != AF_UNSPEC ? ip->family == AF_INET6 ? SHOW_NOL2 | SHOW_V6 : SHOW_NOL2 : 0), pns);
		if (ip->stats)
			show_stats(jp, li);
		if (addrs)
			print_open(jp, "addr_info", '[');
		for (k = 0; k < na; k++)
			if (av[k].index == li->index)
				show_addr(jp, &av[k], SHOW_IP);
		if (addrs)
			print_close(jp, '[');
		print_close(jp, '{');
	}
	print_close(jp, '[');
out:
	free(av);
	free(t.names);
	free(t.ids);
	if (v != one)
		free(v);
	return r;
}

int ip_show_routes(struct ipc *ip, const struct nsb_prefix *get, const struct route_info *s,
		   unsigned int got)
{
	struct mnl_socket *nl;
	struct link_info *v = NULL;
	struct route_info *rv = NULL, one = ROUTE_INFO_INIT;
	struct json j = { 0 }, *jp = ip->json ? &j : NULL;
	int n, nr, i, r = 0;

	if (ip_sock(ip, &nl))
		return 1;
	n = link_list(ip->c, nl, &v);
	if (n < 0)
		return nsb_fail(ip->c, "show", n);
	if (get) {
		r = route_get(ip->c, nl, get, &one);
		nr = r ? r : 1;
		rv = &one;
	} else {
		nr = ip_routes(ip, nl, s, got, &rv);
	}
	if (nr < 0) {
		r = nsb_fail(ip->c, get ? "get" : "show", nr);
		goto out;
	}
	print_open(jp, NULL, '[');
	for (i = 0; i < nr; i++)
		show_route(jp, &rv[i], v, n, SHOW_IP | (get ? SHOW_GET : 0));
	print_close(jp, '[');
out:
	if (rv != &one)
		free(rv);
	free(v);
	return r;
}
