/* ip link, ip address and ip route for the ip personality (cli/ip.c):
 * iproute2's argument syntax read into the requests of lib/, or handed to
 * the applet that already does the same thing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "ip.h"

/* netns NS: a name, a path, or (as ip takes it) a process id */
int ip_nsarg(struct ipc *ip, const char *arg, char *buf, size_t len)
{
	unsigned long pid;

	if (!num_parse(arg, 1, 0x7fffffff, &pid)) {
		snprintf(buf, len, "/proc/%lu/ns/net", pid);
		return 0;
	}
	if (!strchr(arg, '/') && !ns_name_valid(arg))
		return nsb_usage(ip->c, arg, "invalid namespace name");
	snprintf(buf, len, "%s", arg);
	return 0;
}

/* The applet iplink or ipaddr with "-n NETNS" when ip had one. */
static int applet(struct ipc *ip, int (*fn)(struct nsb *, int, char **), char **av, int n)
{
	char *v[16];
	int k = 0;

	v[k++] = "ip";
	if (ip->netns) {
		v[k++] = "-n";
		v[k++] = (char *)ip->netns;
	}
	if (ip->family != AF_UNSPEC)
		v[k++] = ip->family == AF_INET ? "-4" : "-6";
	memcpy(v + k, av, n * sizeof(*av));
	v[k + n] = NULL;
	return fn(ip->c, k + n, v);
}

/* link add [name] NAME [mtu N] [netns NS] type veth|bridge [peer [name] PEER [netns NS]] */
static int link_add_cmd(struct ipc *ip, int argc, char **argv)
{
	struct link_end dev = { NULL, -1 }, peer = { NULL, -1 }, *cur = &dev;
	const char *kind = NULL, *nsname[2] = { NULL, NULL };
	char path[2][300];
	struct mnl_socket *nl;
	unsigned long mtu = 0;
	int i, k, r = 0, peered = 0;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		int p = cur == &peer;

		if (!kind && !strcmp(w, "type")) {
			if (!arg)
				return nsb_usage(ip->c, w, "missing argument");
			kind = argv[++i];
			if (strcmp(kind, "veth") && strcmp(kind, "bridge"))
				return ip_unsup(ip, "type", kind);
			continue;
		}
		if (kind && kind[0] == 'v' && !peered && !strcmp(w, "peer")) {
			peered = 1;
			cur = &peer;
			continue;
		}
		if (!strcmp(w, "name") || !strcmp(w, "dev") || !strcmp(w, "netns") ||
		    (!strcmp(w, "mtu") && !p && !kind)) {
			if (!arg)
				return nsb_usage(ip->c, w, "missing argument");
			i++;
		} else if (kind && (kind[0] == 'b' || !peered)) {
			return ip_unsup(ip, kind[0] == 'b' ? "type bridge" : "type veth", w);
		} else {
			arg = w;
			w = "name";
		}
		if (w[0] == 'm') {
			if (num_parse(arg, 68, 65535, &mtu))
				return nsb_usage(ip->c, arg, "invalid MTU");
		} else if (!strcmp(w, "netns")) {
			if (ip_nsarg(ip, arg, path[p], sizeof(path[p])))
				return 2;
			nsname[p] = path[p];
		} else if (cur->name || !ifname_valid(arg)) {
			return cur->name ? ip_unsup(ip, arg, NULL)
					 : nsb_usage(ip->c, arg, "invalid interface name");
		} else {
			cur->name = arg;
		}
	}
	if (!kind)
		return nsb_usage(ip->c, "type", "missing operand");
	if (!dev.name || (kind[0] == 'v' && !peer.name))
		return nsb_usage(ip->c, "name", "missing operand");
	if (ip_sock(ip, &nl))
		return 1;
	for (k = 0; k < 2 && !r; k++)
		if (nsname[k]) {
			int fd = ns_open(nsname[k]);

			if (fd < 0)
				r = nsb_fail(ip->c, nsname[k], fd);
			else
				(k ? &peer : &dev)->nsfd = fd;
		}
	if (!r) {
		r = link_add(ip->c, nl, kind, &dev, kind[0] == 'v' ? &peer : NULL, 0);
		if (!r && mtu) {
			struct link_req rq = LINK_REQ_INIT(0);

			/* ip's mtu before type is the device's own, not its peer's */
			rq.mtu = mtu;
			r = rq.index = link_index(ip->c, nl, dev.name);
			if (r > 0)
				r = link_change(ip->c, nl, &rq);
			if (r)
				link_del(ip->c, nl, 0, dev.name);
		}
		r = r ? nsb_fail(ip->c, dev.name, r) : 0;
	}
	if (dev.nsfd >= 0)
		close(dev.nsfd);
	if (peer.nsfd >= 0)
		close(peer.nsfd);
	return r;
}

/* link set [dev] NAME ...: iplink's set, one request */
static int link_set_cmd(struct ipc *ip, int argc, char **argv)
{
	static const char *const one[] = { "up", "down", "nomaster", NULL };
	char *av[32], path[300];
	const char *dev = NULL;
	int i, n = 2, k;

	av[0] = "set";
	for (i = 0; i < argc; i++) {
		for (k = 0; one[k] && strcmp(argv[i], one[k]); k++)
			;
		if (one[k] && n < 30) {
			av[n++] = argv[i];
			continue;
		}
		k = nsb_word(argv[i], iplink_set_words);
		if (k >= 0 && i + 1 < argc && n < 29) {
			av[n++] = argv[i++];
			if (k == 1) {
				if (ip_nsarg(ip, argv[i], path, sizeof(path)))
					return 2;
				av[n++] = path;
			} else {
				av[n++] = argv[i];
			}
			continue;
		}
		if (k >= 0)
			return nsb_usage(ip->c, argv[i], "missing argument");
		if (dev && strcmp(argv[i], "dev"))
			return ip_unsup(ip, argv[i], NULL);
		if (ip_devarg(ip, argv, &i, argc, &dev))
			return 2;
	}
	if (!dev)
		return nsb_usage(ip->c, "dev", "missing operand");
	av[1] = (char *)dev;
	return applet(ip, iplink_main, av, n);
}

/* [dev] DEV, alone: shown (addrs: with its addresses) when cmd is IP_SHOW,
 * else handed to the applet fn as "verb DEV" (link del, addr flush) */
static int dev_cmd(struct ipc *ip, int cmd, int argc, char **argv, int addrs,
		   int (*fn)(struct nsb *, int, char **), const char *verb)
{
	const char *dev = NULL;
	char *av[2];
	int i;

	for (i = 0; i < argc; i++) {
		if (cmd == IP_SHOW && !strcmp(argv[i], "up")) {
			ip->up = 1;
			continue;
		}
		if (dev && strcmp(argv[i], "dev"))
			return ip_unsup(ip, argv[i], NULL);
		if (ip_devarg(ip, argv, &i, argc, &dev))
			return 2;
	}
	if (cmd == IP_SHOW)
		return ip_show_links(ip, dev, addrs);
	if (!dev)
		return nsb_usage(ip->c, "dev", "missing operand");
	av[0] = (char *)verb;
	av[1] = (char *)dev;
	return applet(ip, fn, av, 2);
}

int ip_link(struct ipc *ip, int cmd, int argc, char **argv)
{
	if (cmd == IP_ADD)
		return link_add_cmd(ip, argc, argv);
	if (cmd == IP_SET || cmd == IP_CHANGE)
		return link_set_cmd(ip, argc, argv);
	if (cmd != IP_DEL && cmd != IP_SHOW)
		return ip_unsup(ip, ip->cmd, NULL);
	return dev_cmd(ip, cmd, argc, argv, 0, iplink_main, "del");
}

/* the IFA_F_* ip addr add sets */
static const char aflag_words[] = "nodad\0optimistic\0home\0noprefixroute\0";
static const unsigned short aflag_bits[] = {
	IFA_F_NODAD, IFA_F_OPTIMISTIC, IFA_F_HOMEADDRESS, IFA_F_NOPREFIXROUTE
};

int ip_scope(struct ipc *ip, const char *s, unsigned char *scope)
{
	static const char names[][8] = { "global", "site", "link", "host", "nowhere" };
	static const unsigned char v[] = { 0, 200, 253, 254, 255 };
	unsigned long n;
	size_t k;

	for (k = 0; k < sizeof(v); k++)
		if (!strcmp(s, names[k])) {
			*scope = v[k];
			return 0;
		}
	if (num_parse(s, 0, 255, &n))
		return nsb_usage(ip->c, s, "invalid scope");
	*scope = n;
	return 0;
}

/* addr add|del ADDR[/LEN] dev DEV [broadcast|brd +|-|ADDR] [scope S] [label L]
 *     [nodad] [optimistic] [home] [noprefixroute] */
static int addr_change(struct ipc *ip, int cmd, int argc, char **argv)
{
	struct ifaddr_info a = { .family = AF_UNSPEC };
	struct nsb_prefix p;
	struct mnl_socket *nl;
	const char *dev = NULL, *cidr = NULL, *brd = NULL;
	int i, k, scoped = 0, r;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;

		k = nsb_word(w, aflag_words);
		if (k >= 0) {
			a.flags |= aflag_bits[k];
			continue;
		}
		if (!strcmp(w, "dev")) {
			if (ip_devarg(ip, argv, &i, argc, &dev))
				return 2;
			continue;
		}
		if (strcmp(w, "broadcast") && strcmp(w, "brd") && strcmp(w, "scope") &&
		    strcmp(w, "label") && strcmp(w, "local")) {
			if (cidr)
				return ip_unsup(ip, w, NULL);
			cidr = w;
			continue;
		}
		if (!arg)
			return nsb_usage(ip->c, w, "missing argument");
		i++;
		if (w[0] == 'b')
			brd = arg;
		else if (w[0] == 's' && ip_scope(ip, arg, &a.scope))
			return 2;
		else if (w[0] == 's')
			scoped = 1;
		else if (w[1] == 'a')
			snprintf(a.label, sizeof(a.label), "%s", arg);
		else if (cidr)
			return nsb_usage(ip->c, arg, "unexpected argument");
		else
			cidr = arg;
	}
	if (!cidr)
		return nsb_usage(ip->c, "ADDR", "missing operand");
	if (!dev)
		return nsb_usage(ip->c, "dev", "missing operand");
	if (prefix_parse(cidr, ip->family, &p, 0))
		return nsb_usage(ip->c, cidr, "invalid address");
	a.family = p.family;
	a.plen = p.plen;
	memcpy(a.local, p.addr, sizeof(a.local));
	if (brd && (p.family != AF_INET || (strcmp(brd, "+") && strcmp(brd, "-") &&
					    addr_parse(brd, AF_INET, &p))))
		return nsb_usage(ip->c, brd, "invalid broadcast address");
	if (brd && (brd[0] == '+' || brd[0] == '-') && !brd[1]) {
		/* ip's + and -: the prefix with all host bits set or clear */
		prefix_clear_host(&p);
		if (brd[0] == '+')
			for (i = p.plen; i < 32; i++)
				p.addr[i / 8] |= 0x80 >> (i % 8);
	}
	if (brd && a.plen < 31) {
		a.has_brd = 1;
		memcpy(a.brd, p.addr, 4);
	}
	/* ip's default: 127/8 is host scope */
	if (!scoped && a.family == AF_INET && a.local[0] == 127)
		a.scope = RT_SCOPE_HOST;
	if (ip_sock(ip, &nl))
		return 1;
	a.index = link_index(ip->c, nl, dev);
	if (a.index < 0)
		return nsb_fail(ip->c, dev, a.index);
	r = ifaddr_req(ip->c, nl, cmd == IP_ADD ? RTM_NEWADDR : RTM_DELADDR, &a);
	return r ? nsb_fail(ip->c, cidr, r) : 0;
}

int ip_addr(struct ipc *ip, int cmd, int argc, char **argv)
{
	if (cmd == IP_ADD || cmd == IP_DEL)
		return addr_change(ip, cmd, argc, argv);
	if (cmd != IP_SHOW && cmd != IP_FLUSH)
		return ip_unsup(ip, ip->cmd, NULL);
	return dev_cmd(ip, cmd, argc, argv, 1, ipaddr_main, "flush");
}
