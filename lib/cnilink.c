/*
 * What the CNI bridge plugin needs beyond link.c and ifaddr.c: a link flag
 * (IFF_PROMISC on the bridge, promiscMode), a bridge port's hairpin mode
 * (hairpinMode), and an address with its IPv4 broadcast, as the reference
 * plugin sets it.  One request each.
 */
#include <string.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include "nsbox.h"

int link_set_flag(struct nsb *c, struct mnl_socket *nl, int ifindex, unsigned int flag,
		  int on)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = on ? flag : 0;
	ifi->ifi_change = flag;
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int brport_hairpin(struct nsb *c, struct mnl_socket *nl, int ifindex, int on)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *pi;

	/* the bridge's own setlink (AF_BRIDGE) reads port options from a
	 * nested IFLA_PROTINFO */
	nlh->nlmsg_type = RTM_SETLINK;
	ifi->ifi_family = AF_BRIDGE;
	ifi->ifi_index = ifindex;
	pi = mnl_attr_nest_start(nlh, IFLA_PROTINFO);
	{
		uint8_t mode = on != 0;

		mnl_attr_put(nlh, IFLA_BRPORT_MODE, 1, &mode);
	}
	mnl_attr_nest_end(nlh, pi);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int ifaddr_add_brd(struct nsb *c, struct mnl_socket *nl, int ifindex,
		   const struct nsb_prefix *p, unsigned int flags)
{
	char buf[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	int n = addr_len(p->family), i;
	unsigned char brd[16];

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa->ifa_family = p->family;
	ifa->ifa_prefixlen = p->plen;
	ifa->ifa_index = ifindex;
	ifa->ifa_flags = flags;
	mnl_attr_put(nlh, IFA_LOCAL, n, p->addr);
	mnl_attr_put(nlh, IFA_ADDRESS, n, p->addr);
	if (n == 4 && p->plen < 31) {
		memcpy(brd, p->addr, 4);
		for (i = p->plen; i < 32; i++)
			brd[i / 8] |= 0x80 >> (i % 8);
		mnl_attr_put(nlh, IFA_BROADCAST, 4, brd);
	}
	return nl_talk(c, nl, nlh, NULL, NULL);
}
