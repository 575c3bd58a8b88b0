/* ipaddr  [-n NETNS] [-j] [-4|-6] [show [DEV]]
 * ipaddr  [-n NETNS] [-e] add|del CIDR dev DEV
 * ipaddr  [-n NETNS] [-4|-6] flush DEV
 *
 * Show, add, delete or flush interface addresses, as ip addr does.
 *   -n NETNS   act inside NETNS (a name under /run/netns, or a path)
 *   -j         JSON with ip -j's keys (addr_info: family, local, prefixlen, ...)
 *   -4, -6     only IPv4 or only IPv6 addresses
 *   -e         add: succeed when the address is there; del: when it is gone
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_addr.h>
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

enum { A_SHOW, A_FLUSH, A_ADD, A_DEL };
static const char cmds[] = "show\0flush\0add\0del\0";

/* add|del CIDR dev DEV, in either order */
static int change_args(struct nsb *c, int argc, char **argv, int i, int family,
		       const char **dev, const char **cidr, struct nsb_prefix *p)
{
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "dev")) {
			if (++i == argc)
				return nsb_usage(c, "dev", "missing argument");
			if (*dev)
				return nsb_usage(c, "dev", "given twice");
			*dev = argv[i];
		} else if (!*cidr) {
			*cidr = argv[i];
			if (prefix_parse(*cidr, family, p, 1))
				return nsb_usage(c, *cidr, "invalid address");
		} else {
			return nsb_usage(c, argv[i], "unexpected argument");
		}
	}
	if (!*cidr)
		return nsb_usage(c, "CIDR", "missing operand");
	if (!*dev)
		return nsb_usage(c, "dev", "missing operand");
	return 0;
}

int ipaddr_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_ipopts o = { NULL, 0, 0, AF_UNSPEC, 0 };
	struct mnl_socket *nl;
	struct nsb_prefix p;
	const char *word = "show", *dev = NULL, *cidr = NULL;
	int cmd, i, r, idx;

	/* options come first; the first other word is the command */
	i = nsb_ipopts(c, argc, argv, opts, &o, &word);
	if (i < 0)
		return 2;
	cmd = nsb_word(word, cmds);
	if (cmd == A_SHOW || cmd == A_FLUSH) {
		if (argc - i > 1)
			return nsb_usage(c, argv[i + 1], "unexpected argument");
		if (i < argc)
			dev = argv[i];
		else if (cmd == A_FLUSH)
			return nsb_usage(c, "DEV", "missing operand");
	} else if (cmd < 0) {
		return nsb_usage(c, word, "unknown command");
	} else if (change_args(c, argc, argv, i, o.family, &dev, &cidr, &p)) {
		return 2;
	}
	if (dev && !ifname_valid(dev))
		return nsb_usage(c, dev, "invalid interface name");
	if (nsb_netns_arg(c, o.netns))
		return 2;
	r = nl_sock(c, o.netns, NETLINK_ROUTE, &nl);
	if (r)
		return nsb_fail(c, o.netns, r);
	if (cmd == A_SHOW) {
		struct show_req q = { .dev = dev, .json = o.json, .family = o.family, .addrs = 1 };

		return show_links(c, nl, &q);
	}
	if (cmd == A_FLUSH)
		return addr_flush(c, nl, dev, o.family);
	idx = link_index(c, nl, dev);
	if (idx == -ENODEV && o.idem && cmd == A_DEL)
		return 0;
	if (idx < 0)
		return nsb_fail(c, dev, idx);
	r = ifaddr_change(c, nl, cmd == A_ADD ? RTM_NEWADDR : RTM_DELADDR, idx, &p);
	if (o.idem && r == (cmd == A_ADD ? -EEXIST : -EADDRNOTAVAIL))
		r = 0;
	return r ? nsb_fail(c, cidr, r) : 0;
}
