/* loopback: lo up in the sandbox (ADD), down again (DEL), checked (CHECK);
 * never the lo of the namespace it runs in (cni_netns). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include "cniplug.h"

static int lo(struct cni *k)
{
	struct mnl_socket *nl;
	struct link_info li;
	int fd = cni_netns(k), r;

	if (fd == -2)
		return 0;	/* no namespace (gone, and lo with it) */
	if (fd < 0)
		return -1;
	r = nl_sock_fd(k->c, fd, NETLINK_ROUTE, &nl);
	close(fd);
	if (!r)
		r = link_get(k->c, nl, 0, "lo", &li);
	if (!r && k->op == CNI_CHECK)
		return li.flags & IFF_UP ? 0 : cni_err(k, 999, NULL, "loopback interface is down");
	if (!r)
		r = link_set_up(k->c, nl, li.index, k->op == CNI_ADD);
	if (r)
		return cni_fail(k, k->netns, r);
	if (k->op == CNI_ADD) {
		struct cni_result *s = &k->res;

		strcpy(s->ifs[0].name, "lo");
		strcpy(s->ifs[0].mac, "00:00:00:00:00:00");
		snprintf(s->ifs[0].sandbox, sizeof(s->ifs[0].sandbox), "%s", k->netns);
		s->nifs = 1;
		s->nips = 2;
		prefix_parse("127.0.0.1/8", AF_INET, &s->ips[0].addr, 1);
		prefix_parse("::1/128", AF_INET6, &s->ips[1].addr, 1);
	}
	return 0;
}

static int none(struct cni *k)
{
	(void)k;
	return 0;
}

cni_op *const cni_loopback[CNI_NOPS] = { lo, lo, lo, none, none };
