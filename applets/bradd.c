/* bradd [-n NETNS] [-e] [--down] NAME [CIDR...]
 *
 * Create a bridge, up unless --down, with the given addresses.
 *   -n NETNS   create it inside NETNS (a name under /run/netns, or a path)
 *   -e         succeed when NAME already is a bridge
 *   --down     leave it down
 * When an address or bringing it up fails the bridge is deleted again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "cli.h"

enum { O_NETNS = NSB_OPT_KEY, O_IDEM, O_DOWN };

static const struct nsb_optdef opts[] = {
	{ "-n", O_NETNS, 1 },
	{ "-e", O_IDEM, 0 },
	{ "--down", O_DOWN, 0 },
	{ 0 }
};

/* Second pass over the words: the addresses, in the order given (parsed
 * already).  1 after the message when one is refused. */
static int add_addrs(struct nsb *c, struct mnl_socket *nl, int argc, char **argv,
		     int ifindex, int existed)
{
	struct nsb_opts st = { 0 };
	struct nsb_prefix p;
	int r, k = 0;

	while ((r = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (r != NSB_OPT_OPERAND || !k++)
			continue;
		prefix_parse(st.arg, AF_UNSPEC, &p, 1);
		r = ifaddr_change(c, nl, RTM_NEWADDR, ifindex, &p);
		if (r == -EEXIST && existed)
			continue;
		if (r)
			return nsb_fail(c, st.arg, r);
	}
	return 0;
}

int bradd_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	struct mnl_socket *nl;
	struct link_info li;
	struct link_end dev = { NULL, -1 };
	struct nsb_prefix p;
	const char *netns = NULL;
	int k, idem = 0, up = 1, r, existed = 0;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (k == O_NETNS)
			netns = st.arg;
		else if (k == O_IDEM)
			idem = 1;
		else if (k == O_DOWN)
			up = 0;
		else if (!dev.name && !ifname_valid(st.arg))
			return nsb_usage(c, st.arg, "invalid interface name");
		else if (!dev.name)
			dev.name = st.arg;
		else if (prefix_parse(st.arg, AF_UNSPEC, &p, 1))
			return nsb_usage(c, st.arg, "invalid address");
	}
	if (!dev.name)
		return nsb_usage(c, "NAME", "missing operand");
	if (nsb_netns_arg(c, netns))
		return 2;
	r = nl_sock(c, netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, netns, r);
	r = link_add(c, nl, "bridge", &dev, NULL, 0);
	if (r == -EEXIST && idem && link_get(c, nl, 0, dev.name, &li) == 0 &&
	    !strcmp(li.kind, "bridge")) {
		existed = 1;
		r = 0;
	}
	if (r)
		return nsb_fail(c, dev.name, r);
	if (!existed && (r = link_get(c, nl, 0, dev.name, &li)))
		return nsb_fail(c, dev.name, r);
	if (add_addrs(c, nl, argc, argv, li.index, existed))
		goto undo;
	if (up && (r = link_set_up(c, nl, li.index, 1))) {
		nsb_fail(c, dev.name, r);
		goto undo;
	}
	return 0;
undo:
	if (!existed)
		link_del(c, nl, li.index, NULL);
	return 1;
}
