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
	struct ipc *ip;
	struct mnl_socket *nl;
	char **names;
	int *ids, n;
};

static const char *ns_name(void *ctx, int nsid)
{
	struct nsnames *t = ctx;
	int k;

	if (!t->names) {
		t->n = ns_list(&t->names);
		t->ids = t->n > 0 ? calloc(t->n, sizeof(int)) : NULL;
		for (k = 0; k < t->n && t->ids; k++) {
			int fd = ns_open(t->names[k]);

			t->ids[k] = fd < 0 ? -1 : link_netnsid(t->ip->c, t->nl, fd);
			if (fd >= 0)
				close(fd);
		}
	}
	for (k = 0; k < t->n && t->ids; k++)
		if (t->ids[k] == nsid)
			return t->names[k];
	return NULL;
}

int ip_show_links(struct ipc *ip, const char *dev, int addrs)
{
	struct mnl_socket *nl;
	struct nsnames t = { ip, NULL, NULL, NULL, 0 };
	struct show_req q = {
		.dev = dev, .json = ip->json, .family = ip->family, .addrs = addrs,
		.stats = ip->stats, .up = ip->up, .brief = ip->brief, .nsname = ns_name, .ctx = &t,
		.mode = SHOW_IP | (addrs ? 0 : SHOW_MODE) |
			(addrs && ip->family != AF_UNSPEC ? ip->family == AF_INET6 ?
			 SHOW_NOL2 | SHOW_V6 : SHOW_NOL2 : 0),
	};
	int r;

	/* -s: the counters of ip -s link (iplink -s's) */
	if ((ip->stats && (addrs || ip->brief || ip->stats > 1)) || ip->details)
		return ip_unsup(ip, ip->details ? "-d" : "-s", NULL);
	if (ip_sock(ip, &nl))
		return 1;
	t.nl = nl;
	r = show_links(ip->c, nl, &q);
	free(t.names);
	free(t.ids);
	return r;
}

struct rsel {
	struct ipc *ip;
	const struct route_info *s;
	unsigned int got;
};

static int selected(struct nsb *c, struct mnl_socket *nl, const void *ctx, struct route_info **rv)
{
	const struct rsel *q = ctx;

	(void)c;
	return ip_routes(q->ip, nl, q->s, q->got, rv);
}

int ip_show_routes(struct ipc *ip, const struct nsb_prefix *get, const struct route_info *s,
		   unsigned int got)
{
	struct mnl_socket *nl;
	struct rsel q = { ip, s, got };

	if (ip_sock(ip, &nl))
		return 1;
	return show_routes(ip->c, nl, ip->json, SHOW_IP, get, selected, &q);
}
