/*
 * The kernel floor for bench/cni_plugins.sh: the kernel operations of one
 * CNI attachment (bridge with isGateway + ipMasq, host-local, portmap with
 * one mapping), ADD then DEL, made by the leanest programs we could write,
 * split into processes where the CNI protocol splits them: linked as
 * bridge, portmap and host-local and run like the plugins (CNI_COMMAND,
 * CNI_NETNS, CNI_PATH), with bridge exec'ing host-local for the address.
 * No JSON (stdin is not read, nothing is printed), one fixed address,
 * no checks beyond each request's ACK.  Per step:
 *  bridge ADD   bridge made when missing (gateway address, up); host-local
 *               exec'd, one address file; ip_forward on; one transaction:
 *               table, postrouting chain, masquerade rule; the veth pair
 *               with eth0 in the netns; host end enslaved and up; eth0 up,
 *               its address, the default route
 *  portmap ADD  one transaction: prerouting and output chains, a DNAT rule
 *               in each, the hairpin masquerade rule
 *  portmap DEL  dump of the table's rules, one transaction deleting its own
 *  bridge DEL   the same dump and delete of the masquerade rule;
 *               host-local exec'd, the address file removed; eth0 deleted
 * The waits nf_tables and the veth's unregistration impose are all here;
 * what nsbox spends above this is its own overhead.
 * Benchmark tool only (glibc, raw netlink): not part of nsbox.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <endian.h>
#include "nlraw.h"
#include <linux/if_link.h>
#include <linux/veth.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#define ADDR "10.92.0.2"
#define GW "10.92.0.1"

static char bb[16384];	/* one nf_tables transaction */
static int blen, nack;

static struct nlmsghdr *nft(int type, int flags, int family)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(bb + blen);
	struct nfgenmsg *g = NLMSG_DATA(h);

	memset(h, 0, NLMSG_HDRLEN + sizeof(*g));
	h->nlmsg_len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*g));
	h->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
	h->nlmsg_flags = NLM_F_REQUEST | flags;
	h->nlmsg_seq = ++seq;
	g->nfgen_family = family;
	if (type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END) {
		h->nlmsg_type = type;
		g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	}
	nack += !!(flags & NLM_F_ACK);
	return h;
}

static void done(struct nlmsghdr *h)
{
	blen += NLMSG_ALIGN(h->nlmsg_len);
}

static void begin(void)
{
	blen = nack = 0;
	done(nft(NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC));
}

/* send what is in bb and read every ACK: the first error, or 0 */
static int try_commit(int fd)
{
	static const struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	char r[8192];
	ssize_t n;
	int err = 0;

	if (sendto(fd, bb, blen, 0, (const struct sockaddr *)&k, sizeof(k)) < 0)
		return -errno;
	while (nack > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)r;

		n = recv(fd, r, sizeof(r), 0);
		if (n < 0)
			return -errno;
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error && !err)
				err = e->error;
			nack--;
		}
	}
	return err;
}

/* end the transaction, send it; any error is fatal */
static void commit(int fd, const char *what)
{
	int err;

	done(nft(NFNL_MSG_BATCH_END, 0, AF_UNSPEC));
	err = try_commit(fd);
	if (err) {
		fprintf(stderr, "%s: %s\n", what, strerror(-err));
		exit(1);
	}
}

static void u32(struct nlmsghdr *h, int type, uint32_t v)
{
	v = htonl(v);
	put(h, type, &v, 4);
}

static void str(struct nlmsghdr *h, int type, const char *s)
{
	put(h, type, s, strlen(s) + 1);
}

/* whether chain exists in table floor (made with all of its siblings in
 * one transaction, so one look answers for them) */
static int have_chain(int fd, const char *chain)
{
	struct nlmsghdr *h;

	blen = nack = 0;
	h = nft(NFT_MSG_GETCHAIN, NLM_F_ACK, NFPROTO_IPV4);
	str(h, NFTA_CHAIN_TABLE, "floor");
	str(h, NFTA_CHAIN_NAME, chain);
	done(h);
	return !try_commit(fd);
}

static void table_chain(const char *chain, int hook, int prio)
{
	struct nlmsghdr *h = nft(NFT_MSG_NEWTABLE, NLM_F_CREATE | NLM_F_ACK, NFPROTO_IPV4);
	struct nlattr *a;

	str(h, NFTA_TABLE_NAME, "floor");
	done(h);
	h = nft(NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_ACK, NFPROTO_IPV4);
	str(h, NFTA_CHAIN_TABLE, "floor");
	str(h, NFTA_CHAIN_NAME, chain);
	a = put(h, NLA_F_NESTED | NFTA_CHAIN_HOOK, NULL, 0);
	u32(h, NFTA_HOOK_HOOKNUM, hook);
	u32(h, NFTA_HOOK_PRIORITY, prio);
	end(h, a);
	str(h, NFTA_CHAIN_TYPE, "nat");
	done(h);
}

/* an expression of the rule being built: its name and its data, which
 * the caller fills (*d) and closes with expr_end */
static struct nlattr *expr(struct nlmsghdr *h, const char *name, struct nlattr **d)
{
	struct nlattr *e = put(h, NLA_F_NESTED | NFTA_LIST_ELEM, NULL, 0);

	str(h, NFTA_EXPR_NAME, name);
	*d = put(h, NLA_F_NESTED | NFTA_EXPR_DATA, NULL, 0);
	return e;
}

static void expr_end(struct nlmsghdr *h, struct nlattr *e, struct nlattr *d)
{
	end(h, d);
	end(h, e);
}

static void data(struct nlmsghdr *h, int type, const void *d, int len)
{
	struct nlattr *a = put(h, NLA_F_NESTED | type, NULL, 0);

	put(h, NFTA_DATA_VALUE, d, len);
	end(h, a);
}

static void payload(struct nlmsghdr *h, int base, int off, int len)
{
	struct nlattr *d, *e = expr(h, "payload", &d);

	u32(h, NFTA_PAYLOAD_DREG, NFT_REG_1);
	u32(h, NFTA_PAYLOAD_BASE, base);
	u32(h, NFTA_PAYLOAD_OFFSET, off);
	u32(h, NFTA_PAYLOAD_LEN, len);
	expr_end(h, e, d);
}

static void cmp(struct nlmsghdr *h, const void *v, int len)
{
	struct nlattr *d, *e = expr(h, "cmp", &d);

	u32(h, NFTA_CMP_SREG, NFT_REG_1);
	u32(h, NFTA_CMP_OP, NFT_CMP_EQ);
	data(h, NFTA_CMP_DATA, v, len);
	expr_end(h, e, d);
}

static void imm(struct nlmsghdr *h, int reg, const void *v, int len)
{
	struct nlattr *d, *e = expr(h, "immediate", &d);

	u32(h, NFTA_IMMEDIATE_DREG, reg);
	data(h, NFTA_IMMEDIATE_DATA, v, len);
	expr_end(h, e, d);
}

static struct nlmsghdr *rule(const char *chain, const char *tag)
{
	struct nlmsghdr *h = nft(NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
				 NFPROTO_IPV4);

	str(h, NFTA_RULE_TABLE, "floor");
	str(h, NFTA_RULE_CHAIN, chain);
	str(h, NFTA_RULE_USERDATA, tag);
	return h;
}

/* ip saddr ADDR [ip daddr ADDR] masquerade */
static void masq(const char *chain, const char *tag, int hairpin)
{
	struct nlmsghdr *h = rule(chain, tag);
	struct nlattr *l = put(h, NLA_F_NESTED | NFTA_RULE_EXPRESSIONS, NULL, 0), *e, *d;
	struct in_addr a;

	inet_pton(AF_INET, ADDR, &a);
	payload(h, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	cmp(h, &a, 4);
	if (hairpin) {
		payload(h, NFT_PAYLOAD_NETWORK_HEADER, 16, 4);
		cmp(h, &a, 4);
	}
	e = expr(h, "masq", &d);
	expr_end(h, e, d);
	end(h, l);
	done(h);
}

/* meta l4proto tcp tcp dport 18080 dnat to ADDR:80 */
static void dnat(const char *chain)
{
	struct nlmsghdr *h = rule(chain, "pm");
	struct nlattr *l = put(h, NLA_F_NESTED | NFTA_RULE_EXPRESSIONS, NULL, 0), *e, *d;
	uint16_t hp = htons(18080), cp = htons(80);
	uint8_t tcp = IPPROTO_TCP;
	struct in_addr a;

	inet_pton(AF_INET, ADDR, &a);
	e = expr(h, "meta", &d);
	u32(h, NFTA_META_DREG, NFT_REG_1);
	u32(h, NFTA_META_KEY, NFT_META_L4PROTO);
	expr_end(h, e, d);
	cmp(h, &tcp, 1);
	payload(h, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	cmp(h, &hp, 2);
	imm(h, NFT_REG_1, &a, 4);
	imm(h, NFT_REG_2, &cp, 2);
	e = expr(h, "nat", &d);
	u32(h, NFTA_NAT_TYPE, NFT_NAT_DNAT);
	u32(h, NFTA_NAT_FAMILY, NFPROTO_IPV4);
	u32(h, NFTA_NAT_REG_ADDR_MIN, NFT_REG_1);
	u32(h, NFTA_NAT_REG_PROTO_MIN, NFT_REG_2);
	expr_end(h, e, d);
	end(h, l);
	done(h);
}

/* delete, in one transaction, the rules of table floor tagged tag; the
 * socket stays open (closing it waits for nf_tables' destroy work, one RCU
 * grace period, which the veth's unregistration can overlap) */
static void drop(const char *tag)
{
	static const struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	int fd = nlsock_of(NETLINK_NETFILTER), more = 1;
	struct nlmsghdr *h;
	char r[16384];
	ssize_t n;

	blen = nack = 0;
	h = nft(NFT_MSG_GETRULE, NLM_F_DUMP, NFPROTO_IPV4);
	str(h, NFTA_RULE_TABLE, "floor");
	if (sendto(fd, h, h->nlmsg_len, 0, (const struct sockaddr *)&k, sizeof(k)) < 0) {
		perror("dump");
		exit(1);
	}
	begin();
	while (more) {
		n = recv(fd, r, sizeof(r), 0);
		if (n < 0) {
			perror("dump");
			exit(1);
		}
		for (h = (struct nlmsghdr *)r; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) +
							     NLMSG_ALIGN(sizeof(struct nfgenmsg)));
			int left = h->nlmsg_len - ((char *)a - (char *)h), ours = 0;
			const char *chain = NULL;
			uint64_t handle = 0;
			struct nlmsghdr *d;

			if (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR) {
				more = 0;
				break;
			}
			for (; left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= left;
			     left -= NLA_ALIGN(a->nla_len),
			     a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len))) {
				char *v = (char *)a + NLA_HDRLEN;

				if ((a->nla_type & NLA_TYPE_MASK) == NFTA_RULE_CHAIN)
					chain = v;
				else if ((a->nla_type & NLA_TYPE_MASK) == NFTA_RULE_HANDLE)
					memcpy(&handle, v, 8);
				else if ((a->nla_type & NLA_TYPE_MASK) == NFTA_RULE_USERDATA)
					ours = !strcmp(v, tag);
			}
			if (!ours || !chain)
				continue;
			d = nft(NFT_MSG_DELRULE, NLM_F_ACK, NFPROTO_IPV4);
			str(d, NFTA_RULE_TABLE, "floor");
			str(d, NFTA_RULE_CHAIN, chain);
			put(d, NFTA_RULE_HANDLE, &handle, 8);
			done(d);
		}
	}
	if (nack)
		commit(fd, "delete rules");
}

static void ipam(const char *cmd)
{
	char path[256];
	const char *dir = getenv("FLOORDIR");
	pid_t p;
	int st, fd;

	if (!strcmp(cmd, "ipam")) {	/* exec'd as host-local */
		snprintf(path, sizeof(path), "%s/" ADDR, dir);
		if (!strcmp(getenv("CNI_COMMAND"), "DEL")) {
			unlink(path);
			return;
		}
		mkdir(dir, 0755);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, "c1\neth0", 7) != 7) {
			perror(path);
			exit(1);
		}
		close(fd);
		return;
	}
	snprintf(path, sizeof(path), "%s/host-local", getenv("CNI_PATH"));
	p = fork();
	if (p == 0) {
		execl(path, "host-local", (char *)NULL);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) < 0 || st) {
		fprintf(stderr, "host-local failed\n");
		exit(1);
	}
}

/* into the attachment's netns for good: a socket there; *nsfd its fd */
static int in_ns(int *nsfd)
{
	*nsfd = open(getenv("CNI_NETNS"), O_RDONLY | O_CLOEXEC);
	if (*nsfd < 0 || setns(*nsfd, CLONE_NEWNET) < 0) {
		perror("netns");
		exit(1);
	}
	return nlsock();
}

static void bridge_add(void)
{
	int host = nlsock(), nsfd, ns, br, fd, eth0, have;
	struct ifinfomsg ifi = { 0 };
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN,
			    .rtm_protocol = RTPROT_BOOT, .rtm_scope = RT_SCOPE_UNIVERSE,
			    .rtm_type = RTN_UNICAST };
	struct nlattr *li;
	struct nlmsghdr *h;
	struct in_addr gw;

	br = if_nametoindex("bfloor");
	if (!br) {
		h = msg(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));
		put(h, IFLA_IFNAME, "bfloor", 7);
		li = put(h, IFLA_LINKINFO, NULL, 0);
		put(h, IFLA_INFO_KIND, "bridge", 7);
		end(h, li);
		talk(host, h, "bridge");
		br = if_nametoindex("bfloor");
		addr(host, br, GW, 16);
		link_up(host, br, "bridge up");
	}
	ipam("ADD");
	fd = open("/proc/sys/net/ipv4/ip_forward", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "1", 1) != 1) {
		perror("ip_forward");
		exit(1);
	}
	close(fd);
	fd = nlsock_of(NETLINK_NETFILTER);
	have = have_chain(fd, "postrouting");
	begin();
	if (!have)
		table_chain("postrouting", NF_INET_POST_ROUTING, 100);
	masq("postrouting", "br", 0);
	commit(fd, "masquerade");
	close(fd);
	ns = in_ns(&nsfd);
	veth_pair(host, "vfloor", nsfd, 0);
	ifi = (struct ifinfomsg){ .ifi_flags = IFF_UP, .ifi_change = IFF_UP };
	h = msg(RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	put(h, IFLA_IFNAME, "vfloor", 7);
	put(h, IFLA_MASTER, &br, 4);
	talk(host, h, "master");
	eth0 = if_nametoindex("eth0");
	link_up(ns, eth0, "eth0 up");
	addr(ns, eth0, ADDR, 16);
	inet_pton(AF_INET, GW, &gw);
	h = msg(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, &rt, sizeof(rt));
	put(h, RTA_GATEWAY, &gw, 4);
	talk(ns, h, "route");
}

static void portmap_add(void)
{
	int fd = nlsock_of(NETLINK_NETFILTER), have = have_chain(fd, "output");

	begin();
	if (!have) {
		table_chain("prerouting", NF_INET_PRE_ROUTING, -100);
		table_chain("output", NF_INET_LOCAL_OUT, -100);
		table_chain("postrouting", NF_INET_POST_ROUTING, 100);
	}
	dnat("prerouting");
	dnat("output");
	masq("postrouting", "pm", 1);
	commit(fd, "port mapping");
	close(fd);
}

static void bridge_del(void)
{
	struct ifinfomsg ifi = { 0 };
	int nsfd, ns;

	drop("br");
	ipam("DEL");
	ns = in_ns(&nsfd);
	ifi.ifi_index = if_nametoindex("eth0");
	talk(ns, msg(RTM_DELLINK, 0, &ifi, sizeof(ifi)), "delete eth0");
}

int main(int argc, char **argv)
{
	const char *me = strrchr(argv[0], '/'), *cmd = getenv("CNI_COMMAND");
	int add;

	(void)argc;
	me = me ? me + 1 : argv[0];
	if (!cmd || !getenv("CNI_NETNS") || !getenv("CNI_PATH") || !getenv("FLOORDIR")) {
		fprintf(stderr, "cnifloor: CNI_COMMAND, CNI_NETNS, CNI_PATH and FLOORDIR\n");
		return 2;
	}
	add = !strcmp(cmd, "ADD");
	if (!strcmp(me, "host-local"))
		ipam("ipam");
	else if (!strcmp(me, "bridge"))
		add ? bridge_add() : bridge_del();
	else if (!strcmp(me, "portmap"))
		add ? portmap_add() : drop("pm");
	else
		return 2;
	return 0;
}
