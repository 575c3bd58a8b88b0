/* iproute [-n NETNS] [-j] [-4|-6] [show]
 * iproute [-n NETNS] [-e] add|del|replace PREFIX|default [via GW] [dev DEV] [metric N]
 *                         [src ADDR] [scope host|link|global]
 * iproute [-n NETNS] [-j] get ADDR
 *
 * Show or change the main routing table, or ask which route an address
 * takes, as ip route does.
 *   -n NETNS   act inside NETNS (a name under /run/netns, or a path)
 *   -j         JSON with ip -j's keys (dst, gateway, dev, metric, ...)
 *   -4, -6     IPv4 (the default for show) or IPv6
 *   -e         add: succeed when the route exists; del: when it is gone
 * A route without via has scope link, as with ip.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "ipreq.h"

static const struct nsb_optdef opts[] = {
	{ "-n", 'n', 1 },
	{ "-j", 'j', 0 },
	{ "-e", 'e', 0 },
	{ "-4", '4', 0 },
	{ "-6", '6', 0 },
	{ 0 }
};

enum { R_SHOW, R_GET, R_ADD, R_DEL, R_REPLACE };
static const char cmds[] = "show\0get\0add\0del\0replace\0";

/* the main table's routes of *family */
static int list(struct nsb *c, struct mnl_socket *nl, const void *family, struct route_info **rv)
{
	return route_list(c, nl, *(const int *)family, RT_TABLE_MAIN, rv);
}

/* add|del|replace PREFIX [via GW] [dev DEV] [metric N] [src ADDR] [scope S] */
static int change(struct nsb *c, const struct nsb_ipopts *o, int cmd, int argc, char **argv)
{
	static const enum rt_op ops[] = { [R_ADD] = RTOP_ADD, [R_DEL] = RTOP_DEL,
					  [R_REPLACE] = RTOP_REPLACE };
	struct rtargs a = { .dialect = RT_APPLET, .use = RT_USE_CHANGE, .family = o->family };
	struct route_info rt = ROUTE_INFO_INIT;
	struct mnl_socket *nl;
	int r = rt_parse(c, &a, argc, argv, &rt);

	if (r)
		return r;
	r = nl_sock(c, o->netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, o->netns, r);
	r = rt_change(c, nl, ops[cmd], o->idem, &a, &rt, argv[0]);
	return r < 0 ? nsb_fail(c, argv[0], r) : r;
}

int iproute_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_ipopts o = { NULL, 0, 0, AF_UNSPEC, 0 };
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *word = "show";
	int cmd, i, r;

	/* options come first; the first other word is the command */
	i = nsb_ipopts(c, argc, argv, opts, &o, &word);
	if (i < 0)
		return 2;
	if (nsb_netns_arg(c, o.netns))
		return 2;
	cmd = nsb_word(word, cmds);
	if (cmd >= R_ADD)
		return change(c, &o, cmd, argc - i, argv + i);
	if (cmd == R_GET) {
		if (i >= argc)
			return nsb_usage(c, "ADDR", "missing operand");
		if (argc - i > 1)
			return nsb_usage(c, argv[i + 1], "unexpected argument");
		if (addr_parse(argv[i], o.family, &p))
			return nsb_usage(c, argv[i], "invalid address");
	} else if (cmd != R_SHOW) {
		return nsb_usage(c, word, "unknown command");
	} else if (i < argc) {
		return nsb_usage(c, argv[i], "unexpected argument");
	}
	r = nl_sock(c, o.netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, o.netns, r);
	if (o.family == AF_UNSPEC)
		o.family = AF_INET;
	return show_routes(c, nl, o.json, 0, cmd == R_GET ? &p : NULL, list, &o.family);
}
