/*
 * The kernel floor for bench/scale_nsbatch.sh: the same kernel operations
 * for N namespaces on a bridge, issued by the leanest program we could
 * write: no parsing, no lookups (ifindexes are chosen, not asked for), no
 * checks beyond each request's ACK, one netlink socket per namespace made
 * while inside it.  Per namespace: a named netns as ip netns add makes it
 * (bind mount under /run/netns), lo up, one RTM_NEWLINK creating the veth
 * pair, one enslaving the host end and bringing it up, eth0 up, one
 * address, one default route.  What nsbox spends above this is its own overhead.
 * Benchmark tool only (glibc, raw netlink): not part of nsbox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "nlraw.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, host = nlsock(), self, i, br;
	struct ifinfomsg ifi = { 0 };
	struct nlmsghdr *h;
	struct nlattr *li;
	struct in_addr gw;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	mkdir("/run/netns", 0755);
	if (mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL) < 0) {
		mount("/run/netns", "/run/netns", "none", MS_BIND | MS_REC, NULL);
		mount("", "/run/netns", "none", MS_SHARED | MS_REC, NULL);
	}
	/* the bridge, with the gateway address, up */
	h = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	put(h, IFLA_IFNAME, "br0", 4);
	li = put(h, IFLA_LINKINFO, NULL, 0);
	put(h, IFLA_INFO_KIND, "bridge", 7);
	end(h, li);
	talk(host, h, "bridge");
	br = if_nametoindex("br0");
	addr(host, br, "10.20.0.1", 16);
	link_up(host, br, "bridge up");
	inet_pton(AF_INET, "10.20.0.1", &gw);

	for (i = 1; i <= n; i++) {
		char path[64], name[16], a[32];
		/* the peer cannot be brought up in the creating request: veth_open
		 * refuses (ENOTCONN) until both ends are linked */
		struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN,
				    .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE,
				    .rtm_type = RTN_UNICAST };
		int fd, nsfd, ns, up = IFF_UP;

		snprintf(path, sizeof(path), "/run/netns/ns%d", i);
		fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
		if (fd < 0 || unshare(CLONE_NEWNET) < 0 ||
		    mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
		ns = nlsock();			/* stays in the new namespace */
		nsfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
		setns(self, CLONE_NEWNET);
		link_up(ns, 1, "lo up");

		/* the pair, eth0 at ifindex 2 in ns; then the host end
		 * enslaved and up in one request, then eth0 up */
		snprintf(name, sizeof(name), "v%d", i);
		veth_pair(host, name, nsfd, 2);
		close(nsfd);
		ifi = (struct ifinfomsg){ .ifi_flags = up, .ifi_change = up };
		h = msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi));
		put(h, IFLA_IFNAME, name, strlen(name) + 1);
		put(h, IFLA_MASTER, &br, 4);
		talk(host, h, "master");

		link_up(ns, 2, "eth0 up");
		snprintf(a, sizeof(a), "10.20.%d.%d", i / 250, i % 250 + 2);
		addr(ns, 2, a, 16);
		h = msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof(rt));
		put(h, RTA_GATEWAY, &gw, 4);
		talk(ns, h, "route");
		close(ns);
	}
	return 0;
}
