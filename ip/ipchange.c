/* ip link, ip address and ip route for the ip personality (ip/ip.c):
 * iproute2's argument syntax read into the requests of lib/, or into those
 * the ip-like applets make too (cli/ipreq.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include "ip.h"
#include "ipreq.h"

/* netns NS: a name, a path, or (as ip takes it) a process id */
int ip_nsarg(struct ipc *ip, const char *arg, char *buf, size_t len)
{
	unsigned long pid;

	if (!num_parse(arg, 1, 0x7fffffff, &pid)) {
		fmt_buf(buf, len, "/proc/%lu/ns/net", pid);
		return 0;
	}
	if (!strchr(arg, '/') && !ns_name_valid(arg))
		return nsb_usage(ip->c, arg, "invalid namespace name");
	fmt_buf(buf, len, "%s", arg);
	return 0;
}

/* link add [name] NAME [mtu N] [netns NS] type veth|bridge [peer [name] PEER [netns NS]] */
/* Over 60 lines: ip link add: the words before and after type, and the veth peer's
 * NOLINTNEXTLINE(readability-function-size) */
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
		if (r)
			r = ip_refused(ip, r);
	}
	if (dev.nsfd >= 0)
		close(dev.nsfd);
	if (peer.nsfd >= 0)
		close(peer.nsfd);
	return r;
}

int ip_refused(struct ipc *ip, int err)
{
	struct nsb *c = ip->c;
	size_t n = strlen(c->ack);
	char m[sizeof(c->ack) + 64];

	if (c->quiet)
		return 2;
	/* iproute2's words: the kernel's own text ended with a full stop,
	 * else the error's; one write, as err.c's lines */
	if (n && c->ack_err == (err < 0 ? err : -err) && c->ack_run == c->run)
		fmt_buf(m, sizeof(m), "Error: %s%s\n", c->ack, c->ack[n - 1] == '.' ? "" : ".");
	else
		fmt_buf(m, sizeof(m), "RTNETLINK answers: %s\n", nsb_strerror(err));
	fflush(stdout);
	fputs(m, stderr);
	return 2;
}

int ip_nodev(struct ipc *ip, const char *dev, int err)
{
	if (err != -ENODEV)
		return nsb_fail(ip->c, dev, err);
	return ip_say(ip, 1, "Cannot find device \"%s\"", dev);
}

int ip_say(struct ipc *ip, int status, const char *fmt, ...)
{
	char m[512];
	va_list ap;

	if (ip->c->quiet)
		return status;
	va_start(ap, fmt);
	fmt_vbuf(m, sizeof(m) - 1, fmt, ap);
	va_end(ap);
	strcat(m, "\n");
	fflush(stdout);
	fputs(m, stderr);
	return status;
}

int ip_dup(struct ipc *ip, const char *key, const char *arg)
{
	return ip_say(ip, 255, "Error: duplicate \"%s\": \"%s\" is the second value.", key, arg);
}

/* link set [dev] NAME ...: the keywords iplink set takes too, one request;
 * a change the kernel refuses exits 2, as ip's "RTNETLINK answers" */
static int link_set_cmd(struct ipc *ip, int argc, char **argv)
{
	struct mnl_socket *nl;
	struct linkset s;
	const char *dev = NULL;
	int i, r;

	linkset_init(&s);
	for (i = 0; i < argc; i++) {
		r = linkset_word(ip->c, &s, argc, argv, &i, LINKSET_IP);
		if (r == LINKSET_DUP)
			return ip_dup(ip, s.dup, argv[i + 1]);
		if (r == 1)
			continue;
		if (r)
			return r;
		if (ip_devarg(ip, argv, &i, argc, &dev))
			return 2;
	}
	r = ip_devsock(ip, dev, &nl);
	if (r)
		return r;
	r = linkset_send(ip->c, nl, dev, &s);
	return r < 0 ? ip_refused(ip, r) : r;
}

/* link delete [dev] DEV [type TYPE]: ip sends the type along, and the
 * kernel deletes DEV whatever its kind */
static int link_del_cmd(struct ipc *ip, int argc, char **argv)
{
	struct mnl_socket *nl;
	const char *dev = NULL;
	int i, idx, r;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "type")) {
			if (++i >= argc)
				return nsb_usage(ip->c, "type", "missing argument");
			continue;
		}
		if (ip_devarg(ip, argv, &i, argc, &dev))
			return 2;
	}
	r = ip_devsock(ip, dev, &nl);
	if (r)
		return r;
	/* a name not found is ip's "Cannot find device" (1); a refusal 2 */
	idx = link_index(ip->c, nl, dev);
	if (idx < 0)
		return ip_nodev(ip, dev, idx);
	r = link_del(ip->c, nl, idx, NULL);
	return r ? ip_refused(ip, r) : 0;
}

/* [dev] DEV [up], alone: shown (addrs: with its addresses) when cmd is
 * IP_SHOW, else its addresses flushed */
static int dev_cmd(struct ipc *ip, int cmd, int argc, char **argv, int addrs)
{
	struct mnl_socket *nl;
	const char *dev = NULL;
	int i, r;

	for (i = 0; i < argc; i++) {
		if (cmd == IP_SHOW && !strcmp(argv[i], "up")) {
			ip->up = 1;
			continue;
		}
		if (ip_devarg(ip, argv, &i, argc, &dev))
			return 2;
	}
	if (cmd == IP_SHOW)
		return ip_show_links(ip, dev, addrs);
	r = ip_devsock(ip, dev, &nl);
	if (r)
		return r;
	return addr_flush(ip->c, nl, dev, ip->family);
}

int ip_link(struct ipc *ip, int cmd, int argc, char **argv)
{
	if (cmd == IP_ADD)
		return link_add_cmd(ip, argc, argv);
	if (cmd == IP_SET || cmd == IP_CHANGE)
		return link_set_cmd(ip, argc, argv);
	if (cmd == IP_DEL)
		return link_del_cmd(ip, argc, argv);
	if (cmd != IP_SHOW)
		return ip_unsup(ip, ip->cmd, NULL);
	return dev_cmd(ip, cmd, argc, argv, 0);
}

/* the words of addr add that take an argument, as nsb_word counts them */
enum { A_BROADCAST, A_BRD, A_SCOPE, A_LABEL, A_LOCAL };

/* the IFA_F_* ip addr add sets */
static const char aflag_words[] = "nodad\0optimistic\0home\0noprefixroute\0";
static const unsigned short aflag_bits[] = {
	IFA_F_NODAD, IFA_F_OPTIMISTIC, IFA_F_HOMEADDRESS, IFA_F_NOPREFIXROUTE
};

/* addr add|del ADDR[/LEN] dev DEV [broadcast|brd +|-|ADDR] [scope S] [label L]
 *     [nodad] [optimistic] [home] [noprefixroute] */
/* Over 60 lines: ip address add, del, change and replace: every iproute2 word of an address
 * in one loop
 * NOLINTNEXTLINE(readability-function-size) */
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
		k = nsb_word(w, "broadcast\0brd\0scope\0label\0local\0");
		if (k < 0) {
			/* ip takes any other word as the address: a second
			 * one is its duplicate; a word it knows is not ours */
			if (cidr && !prefix_parse(w, AF_UNSPEC, &p, 0))
				return ip_say(ip, 255, "Error: either \"local\" is duplicate, "
					      "or \"%s\" is a garbage.", w);
			if (cidr)
				return ip_unsup(ip, w, NULL);
			cidr = w;
			continue;
		}
		if (!arg)
			return nsb_usage(ip->c, w, "missing argument");
		i++;
		switch (k) {
		case A_BROADCAST:
		case A_BRD:
			if (brd)
				return ip_dup(ip, "broadcast", arg);
			brd = arg;
			break;
		case A_SCOPE:
			if (scope_arg(ip->c, arg, &a.scope))
				return 2;
			scoped = 1;
			break;
		case A_LABEL:
			/* the kernel's limit (IFNAMSIZ): ip sends it and the
			 * kernel refuses it in these words */
			if (strlen(arg) >= sizeof(a.label))
				return ip_say(ip, 2, "Error: Attribute failed policy validation.");
			fmt_buf(a.label, sizeof(a.label), "%s", arg);
			break;
		default:	/* local */
			if (cidr)
				return ip_say(ip, 255, "Error: either \"local\" is duplicate, "
					      "or \"%s\" is a garbage.", arg);
			cidr = arg;
		}
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
		/* ip's + and -: the prefix with all host bits set or clear,
		 * none on a /31 or /32 (an address given is kept there) */
		prefix_clear_host(&p);
		if (brd[0] == '+')
			for (i = p.plen; i < 32; i++)
				p.addr[i / 8] |= 0x80 >> (i % 8);
		if (a.plen >= 31)
			brd = NULL;
	}
	if (brd) {
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
		return ip_nodev(ip, dev, a.index);
	r = ifaddr_req(ip->c, nl, cmd == IP_ADD ? RTM_NEWADDR : RTM_DELADDR, &a);
	return r ? ip_refused(ip, r) : 0;
}

int ip_addr(struct ipc *ip, int cmd, int argc, char **argv)
{
	if (cmd == IP_ADD || cmd == IP_DEL)
		return addr_change(ip, cmd, argc, argv);
	if (cmd != IP_SHOW && cmd != IP_FLUSH)
		return ip_unsup(ip, ip->cmd, NULL);
	return dev_cmd(ip, cmd, argc, argv, 1);
}
