/* Interface addresses: dump, add, delete. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "nsbox.h"

static int ifaddr_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a), ok = 0;

	if (mnl_attr_type_valid(a, IFA_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case IFA_ADDRESS:
	case IFA_LOCAL:
	case IFA_BROADCAST:
		ok = mnl_attr_validate(a, MNL_TYPE_BINARY);
		break;
	case IFA_LABEL:
		ok = mnl_attr_validate(a, MNL_TYPE_NUL_STRING);
		break;
	case IFA_FLAGS:
		ok = mnl_attr_validate(a, MNL_TYPE_U32);
		break;
	case IFA_CACHEINFO:
		ok = mnl_attr_get_payload_len(a) >= sizeof(struct ifa_cacheinfo) ? 0 : -1;
		break;
	}
	if (ok < 0)
		return MNL_CB_ERROR;
	tb[type] = a;
	return MNL_CB_OK;
}

/* Copy an address attribute that must be exactly one address long. */
static int get_addr(const struct nlattr *a, int family, unsigned char *to)
{
	int n = addr_len(family);

	if (!a || n == 0 || mnl_attr_get_payload_len(a) != n)
		return -EBADMSG;
	memcpy(to, mnl_attr_get_payload(a), n);
	return 0;
}

/* One RTM_NEWADDR into ai when its family is *family (or that is AF_UNSPEC). */
static int addr_fill(const struct nlmsghdr *nlh, void *elem, const void *family)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	int want = *(const int *)family;
	struct ifaddr_info *ai = elem;

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa) ||
	    mnl_attr_parse(nlh, sizeof(*ifa), ifaddr_attr, tb) < 0)
		return -EBADMSG;
	if (want != AF_UNSPEC && ifa->ifa_family != want)
		return 1;
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return 1;
	memset(ai, 0, sizeof(*ai));
	ai->family = ifa->ifa_family;
	ai->plen = ifa->ifa_prefixlen;
	ai->index = ifa->ifa_index;
	ai->scope = ifa->ifa_scope;
	ai->flags = tb[IFA_FLAGS] ? mnl_attr_get_u32(tb[IFA_FLAGS]) : ifa->ifa_flags;
	/* IFA_LOCAL is this host's address; IFA_ADDRESS the peer's on
	 * point-to-point links, and the only one IPv6 sends */
	if (get_addr(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], ai->family, ai->local))
		return -EBADMSG;
	ai->has_brd = get_addr(tb[IFA_BROADCAST], ai->family, ai->brd) == 0;
	if (tb[IFA_LABEL])
		strncpy(ai->label, mnl_attr_get_str(tb[IFA_LABEL]), sizeof(ai->label) - 1);
	ai->valid = ai->preferred = 0xffffffffu;
	if (tb[IFA_CACHEINFO]) {
		const struct ifa_cacheinfo *ci = mnl_attr_get_payload(tb[IFA_CACHEINFO]);

		ai->valid = ci->ifa_valid;
		ai->preferred = ci->ifa_prefered;
	}
	return 0;
}

int ifaddr_list(struct nsb *c, struct mnl_socket *nl, int family,
		struct ifaddr_info **out)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_GETADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = family;
	return list_dump(c, nl, nlh, sizeof(**out), addr_fill, &family, out);
}

int ifaddr_change(struct nsb *c, struct mnl_socket *nl, int cmd, int ifindex,
		  const struct nsb_prefix *p)
{
	struct ifaddr_info a = { .family = p->family, .plen = p->plen, .index = ifindex };

	memcpy(a.local, p->addr, sizeof(a.local));
	return ifaddr_req(c, nl, cmd, &a);
}

int ifaddr_req(struct nsb *c, struct mnl_socket *nl, int cmd, const struct ifaddr_info *a)
{
	char buf[160];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int n = addr_len(a->family);

	nlh->nlmsg_type = cmd;
	if (cmd == RTM_NEWADDR)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = a->family;
	ifa->ifa_prefixlen = a->plen;
	ifa->ifa_index = a->index;
	ifa->ifa_scope = a->scope;
	/* as ip does: both, so IPv4 sees a local address, not a peer */
	mnl_attr_put(nlh, IFA_LOCAL, n, a->local);
	mnl_attr_put(nlh, IFA_ADDRESS, n, a->local);
	if (a->has_brd)
		mnl_attr_put(nlh, IFA_BROADCAST, n, a->brd);
	if (a->label[0])
		mnl_attr_put_strz(nlh, IFA_LABEL, a->label);
	/* all 32 bits (ifa_flags has 8) */
	mnl_attr_put_u32(nlh, IFA_FLAGS, a->flags);
	return nl_talk(c, nl, nlh, NULL, NULL);
}
