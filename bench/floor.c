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

static char buf[4096];
static unsigned int seq;

static struct nlattr *put(struct nlmsghdr *h, int type, const void *d, int len)
{
	struct nlattr *a = (struct nlattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, d, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

static void end(struct nlmsghdr *h, struct nlattr *a)
{
	a->nla_len = (char *)h + h->nlmsg_len - (char *)a;
}

static struct nlmsghdr *msg(int type, int flags, const void *hdr, int len)
{
	struct nlmsghdr *h = (struct nlmsghdr *)buf;

	memset(buf, 0, NLMSG_HDRLEN + NLMSG_ALIGN(len));
	h->nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(len);
	h->nlmsg_type = type;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	h->nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(h), hdr, len);
	return h;
}

static void talk(int fd, struct nlmsghdr *h, const char *what)
{
	char r[8192];
	struct nlmsgerr *e;

	static const struct sockaddr_nl k = { .nl_family = AF_NETLINK };

	if (sendto(fd, h, h->nlmsg_len, 0, (const struct sockaddr *)&k, sizeof(k)) < 0 ||
	    recv(fd, r, sizeof(r), 0) < 0) {
		perror(what);
		exit(1);
	}
	e = NLMSG_DATA((struct nlmsghdr *)r);
	if (e->error) {
		fprintf(stderr, "%s: %s\n", what, strerror(-e->error));
		exit(1);
	}
}

static int nlsock(void)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	return fd;
}

static void link_up(int fd, int index, const char *what)
{
	struct ifinfomsg ifi = { .ifi_index = index, .ifi_flags = IFF_UP, .ifi_change = IFF_UP };

	talk(fd, msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi)), what);
}

static void addr(int fd, int index, const char *a, int plen)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = plen, .ifa_index = index };
	struct nlmsghdr *h = msg(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	struct in_addr in;

	inet_pton(AF_INET, a, &in);
	put(h, IFA_LOCAL, &in, 4);
	put(h, IFA_ADDRESS, &in, 4);
	talk(fd, h, "address");
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100, host = nlsock(), self, i, br;
	struct ifinfomsg ifi = { 0 };
	struct nlmsghdr *h;
	struct nlattr *li, *data, *peer;
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
		struct ifinfomsg pi = { .ifi_index = 2 };
		struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN,
				    .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE,
				    .rtm_type = RTN_UNICAST };
		int fd, nsfd, ns, up = IFF_UP, one = 1;

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

		/* the pair, one queue an end (as nsbox makes it: no queues to
		 * cut down afterwards), eth0 at ifindex 2 in ns; then the host
		 * end enslaved and up in one request, then eth0 up */
		snprintf(name, sizeof(name), "v%d", i);
		ifi = (struct ifinfomsg){ 0 };
		h = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		put(h, IFLA_IFNAME, name, strlen(name) + 1);
		put(h, IFLA_NUM_TX_QUEUES, &one, 4);
		put(h, IFLA_NUM_RX_QUEUES, &one, 4);
		li = put(h, IFLA_LINKINFO, NULL, 0);
		put(h, IFLA_INFO_KIND, "veth", 5);
		data = put(h, IFLA_INFO_DATA, NULL, 0);
		peer = put(h, VETH_INFO_PEER, &pi, sizeof(pi));
		put(h, IFLA_IFNAME, "eth0", 5);
		put(h, IFLA_NET_NS_FD, &nsfd, 4);
		put(h, IFLA_NUM_TX_QUEUES, &one, 4);
		put(h, IFLA_NUM_RX_QUEUES, &one, 4);
		end(h, peer);
		end(h, data);
		end(h, li);
		talk(host, h, "veth");
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
