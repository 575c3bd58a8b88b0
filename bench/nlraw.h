/*
 * Raw rtnetlink for the kernel-floor programs of the benchmarks
 * (bench/floor.c, bench/cnifloor.c): one message at a time in a static
 * buffer, every request acknowledged, any error fatal.  Benchmark tools
 * only: not part of nsbox.
 */
#ifndef NLRAW_H
#define NLRAW_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

static char buf[8192];
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

static int nlsock_of(int proto)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);

	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	return fd;
}

static int nlsock(void)
{
	return nlsock_of(NETLINK_ROUTE);
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

/* the veth pair NAME / eth0, eth0 in the netns of nsfd at ifindex index
 * (0: the kernel's choice), one queue an end (as nsbox makes it: no queues
 * to cut down afterwards) */
static void veth_pair(int fd, const char *name, int nsfd, int index)
{
	struct ifinfomsg ifi = { 0 }, pi = { .ifi_index = index };
	struct nlmsghdr *h = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
	struct nlattr *li, *data, *peer;
	int one = 1;

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
	talk(fd, h, "veth");
}
#endif
