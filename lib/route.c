/* Routes of one table: dump, add/replace/delete, lookup. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include "nsbox.h"

static int route_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a), ok = 0;

	if (mnl_attr_type_valid(a, RTA_MAX) < 0)
		return MNL_CB_OK;
	switch (type) {
	case RTA_DST:
	case RTA_GATEWAY:
	case RTA_PREFSRC:
		ok = mnl_attr_validate(a, MNL_TYPE_BINARY);
		break;
	case RTA_OIF:
	case RTA_PRIORITY:
	case RTA_TABLE:
	case RTA_UID:
		ok = mnl_attr_validate(a, MNL_TYPE_U32);
		break;
	case RTA_PREF:
		ok = mnl_attr_validate(a, MNL_TYPE_U8);
		break;
	}
	if (ok < 0)
		return MNL_CB_ERROR;
	tb[type] = a;
	return MNL_CB_OK;
}

static int get_addr(const struct nlattr *a, int family, unsigned char *to)
{
	int n = addr_len(family);

	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) != n)
		return -EBADMSG;
	memcpy(to, mnl_attr_get_payload(a), n);
	return 1;
}

static int route_parse(const struct nlmsghdr *nlh, struct route_info *rt)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };

	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm) ||
	    mnl_attr_parse(nlh, sizeof(*rtm), route_attr, tb) < 0 ||
	    addr_len(rtm->rtm_family) == 0)
		return -EBADMSG;
	memset(rt, 0, sizeof(*rt));
	rt->family = rtm->rtm_family;
	rt->dst_len = rtm->rtm_dst_len;
	rt->protocol = rtm->rtm_protocol;
	rt->scope = rtm->rtm_scope;
	rt->type = rtm->rtm_type;
	rt->flags = rtm->rtm_flags;
	rt->table = tb[RTA_TABLE] ? mnl_attr_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	rt->has_dst = get_addr(tb[RTA_DST], rt->family, rt->dst);
	rt->has_gw = get_addr(tb[RTA_GATEWAY], rt->family, rt->gw);
	rt->has_src = get_addr(tb[RTA_PREFSRC], rt->family, rt->src);
	if (rt->has_dst < 0 || rt->has_gw < 0 || rt->has_src < 0)
		return -EBADMSG;
	if (tb[RTA_OIF])
		rt->oif = mnl_attr_get_u32(tb[RTA_OIF]);
	rt->has_metric = tb[RTA_PRIORITY] != NULL;
	if (tb[RTA_PRIORITY])
		rt->metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	rt->pref = tb[RTA_PREF] ? mnl_attr_get_u8(tb[RTA_PREF]) : -1;
	rt->has_uid = tb[RTA_UID] != NULL;
	if (tb[RTA_UID])
		rt->uid = mnl_attr_get_u32(tb[RTA_UID]);
	return 0;
}

struct rfilter {
	int family;
	unsigned int table;
};

static int route_fill(const struct nlmsghdr *nlh, void *elem, const void *arg)
{
	const struct rfilter *f = arg;
	struct route_info *rt = elem;

	if (route_parse(nlh, rt))
		return -EBADMSG;
	/* as ip route show: one table, no cached clones */
	return rt->family != f->family || rt->table != f->table || (rt->flags & RTM_F_CLONED);
}

int route_list(struct nsb *c, struct mnl_socket *nl, int family, unsigned int table,
	       struct route_info **out)
{
	char buf[64];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	struct rfilter f = { family, table };

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = family;
	return list_dump(c, nl, nlh, sizeof(**out), route_fill, &f, out);
}

int route_change(struct nsb *c, struct mnl_socket *nl, int cmd, int nlflags,
		 const struct route_info *rt)
{
	char buf[256];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int n = addr_len(rt->family);
	unsigned int t = rt->table ? rt->table : RT_TABLE_MAIN;

	nlh->nlmsg_type = cmd;
	nlh->nlmsg_flags = nlflags;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = rt->family;
	rtm->rtm_dst_len = rt->dst_len;
	/* as ip: ids past 8 bits only in RTA_TABLE, which wins when sent */
	rtm->rtm_table = t < 256 ? t : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->scope;
	rtm->rtm_type = rt->type;
	rtm->rtm_flags = rt->flags & RTNH_F_ONLINK;
	mnl_attr_put_u32(nlh, RTA_TABLE, t);
	if (rt->has_dst)
		mnl_attr_put(nlh, RTA_DST, n, rt->dst);
	if (rt->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, n, rt->gw);
	if (rt->oif)
		mnl_attr_put_u32(nlh, RTA_OIF, rt->oif);
	if (rt->has_metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	if (rt->has_src)
		mnl_attr_put(nlh, RTA_PREFSRC, n, rt->src);
	return nl_talk(c, nl, nlh, NULL, NULL);
}

static int get_cb(const struct nlmsghdr *nlh, void *data)
{
	if (route_parse(nlh, data)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int route_get(struct nsb *c, struct mnl_socket *nl, const struct nsb_prefix *dst,
	      struct route_info *rt)
{
	char buf[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;
	int n = addr_len(dst->family), r;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst->family;
	rtm->rtm_dst_len = n * 8;
	mnl_attr_put(nlh, RTA_DST, n, dst->addr);
	rt->family = 0;
	r = nl_talk(c, nl, nlh, get_cb, rt);
	if (!r && !rt->family)
		r = -EBADMSG;
	return r;
}
