/* ip route for the ip personality: add, del, replace, change, append,
 * get, show and flush of a table (main unless told), with iproute2's
 * defaults. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "ip.h"
#include "ipreq.h"

static const enum rt_op ops[] = {
	[IP_ADD] = RTOP_ADD, [IP_DEL] = RTOP_DEL, [IP_REPLACE] = RTOP_REPLACE,
	[IP_CHANGE] = RTOP_CHANGE, [IP_APPEND] = RTOP_APPEND,
};

/* ip route's words through the shared parser; what it does not take is
 * refused as not supported */
static int parse(struct ipc *ip, enum rt_use use, int argc, char **argv,
		 struct rtargs *a, struct route_info *rt)
{
	int r;

	a->dialect = RT_IP;
	a->use = use;
	a->family = ip->family;
	r = rt_parse(ip->c, a, argc, argv, rt);
	return r == RT_UNSUP ? ip_unsup(ip, a->unsup, a->unsup_arg) : r;
}

/* add|del|replace|change|append: a kernel refusal exits 2, as iproute2's
 * "RTNETLINK answers" does */
static int change(struct ipc *ip, int cmd, int argc, char **argv)
{
	struct route_info rt = ROUTE_INFO_INIT;
	struct rtargs a = { 0 };
	struct mnl_socket *nl;
	int r = parse(ip, RT_USE_CHANGE, argc, argv, &a, &rt);

	if (r)
		return r;
	if (ip_sock(ip, &nl))
		return 1;
	r = rt_change(ip->c, nl, ops[cmd], 0, &a, &rt, argv[0]);
	return r < 0 ? ip_refused(ip, r) : r;
}

int ip_routes(struct ipc *ip, struct mnl_socket *nl, const struct route_info *s,
	      unsigned int got, struct route_info **out)
{
	struct route_info *v = NULL, *r;
	int n = route_list(ip->c, nl, ip->family == AF_UNSPEC ? AF_INET : ip->family,
			   s->table ? s->table : RT_TABLE_MAIN, &v), i, k = 0;

	for (i = 0; i < n; i++) {
		r = &v[i];
		/* as ip's selector: the prefix exactly (of -4/-6's family) */
		if ((!s->oif || r->oif == s->oif) && (!(got & RT_GOT_DST) || (r->family == s->family &&
		    r->dst_len == s->dst_len && !memcmp(r->dst, s->dst, sizeof(r->dst)))))
			v[k++] = *r;
	}
	*out = v;
	return n < 0 ? n : k;
}

/* show|flush [table T] [dev DEV] [[to] PREFIX|default], flush cache */
static int show_flush(struct ipc *ip, int cmd, int argc, char **argv, struct route_info *s)
{
	struct route_info *rv;
	struct mnl_socket *nl;
	struct rtargs a = { 0 };
	unsigned int got;
	const char *dev;
	int i, n, r = 0;

	if (cmd == IP_FLUSH && argc == 1 && !strcmp(argv[0], "cache"))
		return 0;	/* IPv4 has had no route cache since Linux 3.6 */
	r = parse(ip, cmd == IP_SHOW ? RT_USE_SHOW : RT_USE_FLUSH, argc, argv, &a, s);
	if (r)
		return r;
	got = a.got;
	dev = a.dev;
	if (cmd == IP_SHOW)
		return ip_show_routes(ip, NULL, s, got);
	if (!argc)
		return nsb_usage(ip->c, "dev", "missing operand");
	if (ip_sock(ip, &nl))
		return 1;
	if (dev && (s->oif = link_index(ip->c, nl, dev)) < 0)
		return nsb_fail(ip->c, dev, s->oif);
	n = ip_routes(ip, nl, s, got, &rv);
	if (n < 0)
		return nsb_fail(ip->c, "flush", n);
	for (i = 0; i < n && !r; i++) {
		r = route_change(ip->c, nl, RTM_DELROUTE, 0, &rv[i]);
		if (r == -ESRCH)
			r = 0;	/* gone with an earlier one */
	}
	free(rv);
	return r ? nsb_fail(ip->c, dev ? dev : "flush", r) : 0;
}

int ip_route(struct ipc *ip, int cmd, int argc, char **argv)
{
	struct nsb_prefix p;
	struct route_info s = ROUTE_INFO_INIT;

	switch (cmd) {
	case IP_SHOW:
	case IP_FLUSH:
		return show_flush(ip, cmd, argc, argv, &s);
	case IP_GET:
		if (argc && !strcmp(argv[0], "to"))
			argc--, argv++;
		if (!argc)
			return nsb_usage(ip->c, "ADDR", "missing operand");
		if (argc > 1)
			return ip_unsup(ip, argv[1], NULL);
		if (prefix_parse(argv[0], ip->family, &p, 0))
			return nsb_usage(ip->c, argv[0], "invalid address");
		return ip_show_routes(ip, &p, &s, 0);
	case IP_SET:
		return ip_unsup(ip, ip->cmd, NULL);
	}
	return change(ip, cmd, argc, argv);
}
