/* Links: lookups, creation and changes shared by the applets. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_link.h>
#include <linux/net_namespace.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "nsbox.h"

/* Attributes nsbox reads; anything newer than our headers is skipped. */
static int link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a), ok = 0;

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case IFLA_IFNAME:
		ok = mnl_attr_validate(a, MNL_TYPE_NUL_STRING);
		break;
	case IFLA_MTU:
	case IFLA_MASTER:
	case IFLA_LINK:
	case IFLA_LINK_NETNSID:
	case IFLA_TXQLEN:
	case IFLA_GROUP:
		ok = mnl_attr_validate(a, MNL_TYPE_U32);
		break;
	case IFLA_OPERSTATE:
	case IFLA_LINKMODE:
		ok = mnl_attr_validate(a, MNL_TYPE_U8);
		break;
	case IFLA_LINKINFO:
		ok = mnl_attr_validate(a, MNL_TYPE_NESTED);
		break;
	case IFLA_QDISC:
		ok = mnl_attr_validate(a, MNL_TYPE_NUL_STRING);
		break;
	case IFLA_ADDRESS:
	case IFLA_BROADCAST:
		ok = mnl_attr_get_payload_len(a) <= 32 ? 0 : -1;
		break;
	case IFLA_STATS64:
		/* the struct grows at its end (rx_nohandler came in 4.6):
		 * what we read is the part every kernel sends */
		ok = mnl_attr_get_payload_len(a) >=
		     offsetof(struct rtnl_link_stats64, rx_nohandler) ? 0 : -1;
		break;
	}
	if (ok < 0)
		return MNL_CB_ERROR;
	tb[type] = a;
	return MNL_CB_OK;
}

static int kind_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **kind = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND) {
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_ERROR;
		*kind = a;
	}
	return MNL_CB_OK;
}

#define S64(f) (offsetof(struct rtnl_link_stats64, f) / 8)
/* where each LS_* counter sits in struct rtnl_link_stats64, in u64s */
static const unsigned char stat_at[LS_N] = {
	S64(rx_bytes), S64(rx_packets), S64(rx_errors), S64(rx_dropped),
	S64(rx_missed_errors), S64(multicast), S64(rx_compressed),
	S64(tx_bytes), S64(tx_packets), S64(tx_errors), S64(tx_dropped),
	S64(tx_carrier_errors), S64(collisions), S64(tx_compressed), S64(rx_over_errors),
};

static void stats_parse(const struct nlattr *a, struct link_info *li)
{
	const char *p = mnl_attr_get_payload(a);
	int i;

	/* a u64 in an attribute is only 4-byte aligned */
	for (i = 0; i < LS_N; i++)
		memcpy(&li->stats[i], p + stat_at[i] * 8, 8);
	li->has_stats = 1;
}

static int link_parse(const struct nlmsghdr *nlh, struct link_info *li)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 }, *kind = NULL;

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi) ||
	    mnl_attr_parse(nlh, sizeof(*ifi), link_attr, tb) < 0 ||
	    !tb[IFLA_IFNAME] || ifi->ifi_index <= 0)
		return -EBADMSG;
	memset(li, 0, sizeof(*li));
	li->index = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	li->type = ifi->ifi_type;
	li->netnsid = -1;
	strncpy(li->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(li->name) - 1);
	if (tb[IFLA_MTU])
		li->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_MASTER])
		li->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_LINK])
		li->link = mnl_attr_get_u32(tb[IFLA_LINK]);
	if (tb[IFLA_LINK_NETNSID])
		li->netnsid = (int)mnl_attr_get_u32(tb[IFLA_LINK_NETNSID]);
	if (tb[IFLA_OPERSTATE])
		li->operstate = mnl_attr_get_u8(tb[IFLA_OPERSTATE]);
	if (tb[IFLA_LINKMODE])
		li->linkmode = mnl_attr_get_u8(tb[IFLA_LINKMODE]);
	if (tb[IFLA_TXQLEN])
		li->txqlen = mnl_attr_get_u32(tb[IFLA_TXQLEN]);
	if (tb[IFLA_GROUP])
		li->group = mnl_attr_get_u32(tb[IFLA_GROUP]);
	if (tb[IFLA_QDISC])
		strncpy(li->qdisc, mnl_attr_get_str(tb[IFLA_QDISC]), sizeof(li->qdisc) - 1);
	if (tb[IFLA_ADDRESS]) {
		li->addrlen = mnl_attr_get_payload_len(tb[IFLA_ADDRESS]);
		memcpy(li->addr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), li->addrlen);
	}
	if (tb[IFLA_BROADCAST]) {
		li->brdlen = mnl_attr_get_payload_len(tb[IFLA_BROADCAST]);
		memcpy(li->brd, mnl_attr_get_payload(tb[IFLA_BROADCAST]), li->brdlen);
	}
	if (tb[IFLA_LINKINFO] &&
	    mnl_attr_parse_nested(tb[IFLA_LINKINFO], kind_attr, &kind) < 0)
		return -EBADMSG;
	if (kind)
		strncpy(li->kind, mnl_attr_get_str(kind), sizeof(li->kind) - 1);
	if (tb[IFLA_STATS64])
		stats_parse(tb[IFLA_STATS64], li);
	return 0;
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	if (link_parse(nlh, data)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int link_get(struct nsb *c, struct mnl_socket *nl, int ifindex, const char *name,
	     struct link_info *li)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	int r;

	if (!ifindex && (!name || !ifname_valid(name)))
		return -EINVAL;
	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	if (!ifindex)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	li->index = 0;
	r = nl_talk(c, nl, nlh, get_cb, li);
	return r == 0 && li->index <= 0 ? -ENODEV : r;
}

int link_get_shown(struct nsb *c, struct mnl_socket *nl, const char *name,
		   struct link_info v[3])
{
	int n = 1, r = link_get(c, nl, 0, name, &v[0]);

	if (r)
		return r;
	if (v[0].link && v[0].netnsid < 0 && link_get(c, nl, v[0].link, NULL, &v[n]) == 0)
		n++;
	if (v[0].master && link_get(c, nl, v[0].master, NULL, &v[n]) == 0)
		n++;
	/* a peer or master that vanished meanwhile is shown by index */
	return n;
}

static int nsid_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NETNSA_NSID) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_ERROR;
		*(int *)data = (int)mnl_attr_get_u32(a);
	}
	return MNL_CB_OK;
}

static int nsid_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != RTM_NEWNSID ||
	    mnl_attr_parse(nlh, sizeof(struct rtgenmsg), nsid_attr, data) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int link_netnsid(struct nsb *c, struct mnl_socket *nl, int nsfd)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;
	int id = NETNSA_NSID_NOT_ASSIGNED, r;

	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, nsfd);
	r = nl_talk(c, nl, nlh, nsid_cb, &id);
	if (r)
		return r;
	/* the kernel answers -1 for a namespace it has no number for yet:
	 * a veth reported with IFLA_LINK_NETNSID always has one */
	return id < 0 ? -ENOENT : id;
}

static int id_fill(const struct nlmsghdr *nlh, void *elem, const void *arg)
{
	int id = NETNSA_NSID_NOT_ASSIGNED;

	(void)arg;
	if (nsid_cb(nlh, &id) != MNL_CB_OK)
		return -EBADMSG;
	if (id < 0)
		return 1;
	*(int *)elem = id;
	return 0;
}

int ns_ids(struct nsb *c, struct mnl_socket *nl, int **out)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	nlh->nlmsg_type = RTM_GETNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	return list_dump(c, nl, nlh, sizeof(int), id_fill, NULL, out);
}

int ns_set_id(struct nsb *c, struct mnl_socket *nl, int nsfd, int id)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *g;

	nlh->nlmsg_type = RTM_NEWNSID;
	g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, NETNSA_FD, nsfd);
	mnl_attr_put_u32(nlh, NETNSA_NSID, id);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int link_index(struct nsb *c, struct mnl_socket *nl, const char *name)
{
	struct link_info li;
	int r = link_get(c, nl, 0, name, &li);

	return r ? r : li.index;
}

static int link_fill(const struct nlmsghdr *nlh, void *elem, const void *arg)
{
	(void)arg;
	return link_parse(nlh, elem);
}

int link_list(struct nsb *c, struct mnl_socket *nl, struct link_info **out)
{
	char buf[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	return list_dump(c, nl, nlh, sizeof(**out), link_fill, NULL, out);
}

const struct link_info *link_find(const struct link_info *v, int n, int index)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i].index == index)
			return &v[i];
	return NULL;
}

int link_set_up(struct nsb *c, struct mnl_socket *nl, int ifindex, int up)
{
	struct link_req rq = LINK_REQ_INIT(ifindex);

	rq.up = up;
	return link_change(c, nl, &rq);
}

int link_add(struct nsb *c, struct mnl_socket *nl, const char *kind,
	     const struct link_end *dev, const struct link_end *peer, unsigned int mtu)
{
	char buf[512];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;
	struct nlattr *info, *data, *pn;

	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev->name);
	if (dev->nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, dev->nsfd);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (peer) {
		/* veth allocates a queue per possible CPU and, unless told a
		 * number, cuts the registered device down to one in use:
		 * netif_set_real_num_{tx,rx}_queues, with an RCU grace period
		 * (synchronize_net) and sysfs removals, for each end.  Asking
		 * for one queue from the start gives what runs anyway (only
		 * the ceiling for a later ethtool -L goes) at about half the
		 * cost of the creation. */
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	}
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
	if (peer) {
		data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
		/* the peer's attributes follow its own struct ifinfomsg */
		pn = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
		ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = AF_UNSPEC;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, peer->name);
		if (peer->nsfd >= 0)
			mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, peer->nsfd);
		if (mtu)
			mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
		mnl_attr_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
		mnl_attr_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
		mnl_attr_nest_end(nlh, pn);
		mnl_attr_nest_end(nlh, data);
	}
	mnl_attr_nest_end(nlh, info);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int link_change(struct nsb *c, struct mnl_socket *nl, const struct link_req *rq)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = rq->index;
	ifi->ifi_change = rq->change;
	ifi->ifi_flags = rq->flags;
	if (rq->up >= 0) {
		ifi->ifi_change |= IFF_UP;
		ifi->ifi_flags |= rq->up ? IFF_UP : 0;
	}
	if (rq->txqlen >= 0)
		mnl_attr_put_u32(nlh, IFLA_TXQLEN, rq->txqlen);
	if (rq->nsfd >= 0)
		mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, rq->nsfd);
	if (rq->name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, rq->name);
	if (rq->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, rq->mtu);
	if (rq->mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, rq->mac);
	if (rq->master >= 0)
		mnl_attr_put_u32(nlh, IFLA_MASTER, rq->master);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int link_del(struct nsb *c, struct mnl_socket *nl, int ifindex, const char *name)
{
	char buf[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = RTM_DELLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	if (!ifindex && name)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

int link_show_set(struct nsb *c, struct mnl_socket *nl, const char *dev,
		  struct link_info one[3], struct link_info **v)
{
	if (!dev)
		return link_list(c, nl, v);
	*v = one;
	return link_get_shown(c, nl, dev, one);
}
