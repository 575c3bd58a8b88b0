/* iplink  [-n NETNS] [-j] [-s] [show [DEV]]
 * iplink  [-n NETNS] set DEV [up|down] [master BRIDGE|nomaster] [netns NS] [name NEW]
 *                            [mtu N] [address MAC] [txqueuelen|txqlen|qlen N]
 *                            [promisc|allmulticast|multicast|arp on|off]
 * iplink  [-n NETNS] [-e] del DEV...
 *
 * Show, change or delete network interfaces, as ip link does.
 *   -n NETNS   act inside NETNS (a name under /run/netns, or a path)
 *   -j         JSON with ip -j's keys
 *   -s         show: counters as ip -s shows them (with -j: "stats64")
 *   -e         del: succeed when DEV is already gone
 * A set is one request; the kernel applies its changes one after another
 * and stops at the first it refuses.
 * netns NS names a namespace (or a path) to move DEV into.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/netlink.h>
#include "ipreq.h"

static const struct nsb_optdef opts[] = {
	{ "-n", 'n', 1 },
	{ "-j", 'j', 0 },
	{ "-e", 'e', 0 },
	{ "-s", 's', 0 },
	{ 0 }
};

static int sock(struct nsb *c, const char *netns, struct mnl_socket **nl)
{
	int r = nl_sock(c, netns, NETLINK_ROUTE, nl);

	return r ? nsb_fail(c, netns, r) : 0;
}

static int show(struct nsb *c, const char *netns, const char *dev, int json,
		int stats)
{
	struct mnl_socket *nl;
	struct show_req q = { .dev = dev, .json = json, .stats = stats };

	return sock(c, netns, &nl) ? 1 : show_links(c, nl, &q);
}

/* set DEV ...: every keyword read before the one request is sent */
static int set(struct nsb *c, const char *ns, int argc, char **argv, int i)
{
	struct mnl_socket *nl;
	struct linkset s;
	const char *dev = argv[i++];
	int r;

	if (!ifname_valid(dev))
		return nsb_usage(c, dev, "invalid interface name");
	linkset_init(&s);
	for (; i < argc; i++) {
		r = linkset_word(c, &s, argc, argv, &i, 0);
		if (r == LINKSET_DUP)
			return nsb_usage(c, s.dup, "given twice");
		if (!r)
			return nsb_usage(c, argv[i], "unknown keyword");
		if (r != 1)
			return r;
	}
	if (sock(c, ns, &nl))
		return 1;
	r = linkset_send(c, nl, dev, &s);
	return r < 0 ? nsb_fail(c, dev, r) : r;
}

static int del(struct nsb *c, const char *netns, int argc, char **argv, int i,
	       int idem)
{
	struct mnl_socket *nl;
	int k, r, status = 0;

	if (i >= argc)
		return nsb_usage(c, "DEV", "missing operand");
	for (k = i; k < argc; k++)
		if (!ifname_valid(argv[k]))
			return nsb_usage(c, argv[k], "invalid interface name");
	if (sock(c, netns, &nl))
		return 1;
	for (k = i; k < argc; k++) {
		r = link_del(c, nl, 0, argv[k]);
		if (r == -ENODEV && idem)
			continue;
		if (r)
			status = nsb_fail(c, argv[k], r);
	}
	return status;
}

enum { LINK_SHOW, LINK_SET, LINK_DEL };
static const char cmds[] = "show\0set\0del\0";

int iplink_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_ipopts o = { NULL, 0, 0, AF_UNSPEC, 0 };
	const char *word = "show";
	int cmd, i;

	/* options come first; the first other word is the command */
	i = nsb_ipopts(c, argc, argv, opts, &o, &word);
	if (i < 0)
		return 2;
	cmd = nsb_word(word, cmds);
	if (cmd == LINK_SHOW) {
		if (argc - i > 1)
			return nsb_usage(c, argv[i + 1], "unexpected argument");
		if (i < argc && !ifname_valid(argv[i]))
			return nsb_usage(c, argv[i], "invalid interface name");
	} else if (cmd == LINK_SET) {
		if (i >= argc)
			return nsb_usage(c, "DEV", "missing operand");
	} else if (cmd < 0) {
		return nsb_usage(c, word, "unknown command");
	}
	if (nsb_netns_arg(c, o.netns))
		return 2;
	if (cmd == LINK_SHOW)
		return show(c, o.netns, i < argc ? argv[i] : NULL, o.json, o.stats);
	if (cmd == LINK_SET)
		return set(c, o.netns, argc, argv, i);
	return del(c, o.netns, argc, argv, i, o.idem);
}
