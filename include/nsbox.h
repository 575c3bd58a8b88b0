/*
 * nsbox's library layer, lib/: everything that talks to the kernel (netlink,
 * namespaces, /proc/sys, /run/netns) and the pure parsers.  Functions return
 * 0 (or a count / fd) on success and -errno on failure; they never print and
 * never exit (make check links lib/ alone and checks).  The command-line
 * runtime that prints is include/cli.h (cli/); static/ holds the libmnl
 * subset of the static build only.
 * Over 500 lines: the whole library's API in one place, each part named by
 * the file that holds it.
 */
#ifndef NSBOX_H
#define NSBOX_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <netinet/in.h>
#include <libmnl/libmnl.h>

#define NSB_VERSION "0.1.0"
#define NSB_MAX_SOCKS 32
#define NSB_RUN_NETNS "/run/netns"
#define NSB_ETC_NETNS "/etc/netns"

struct nft_cache;

/* errno values nsbox gives a meaning of its own (cli/err.c spells them):
 * none of the calls that could return them for real is made by lib/. */
#define NSB_ENOTNS	EMEDIUMTYPE	/* "not a network namespace" */
#define NSB_ENOPROC	ENOMEDIUM	/* "/proc is not mounted" */
#define NSB_ENORUN	ENOPKG		/* "/run does not exist" */
#define NSB_ECHROOT	ENOTBLK		/* "/ is not a mount point (chroot?)" */

/* One netlink socket opened inside one network namespace. */
struct nsb_sock {
	struct mnl_socket *nl;
	int proto;
	dev_t dev;		/* identity of its namespace; 0/0 = nsbox's own */
	ino_t ino;
	struct nft_cache *nft;	/* nft.c's view of that namespace's rules, or NULL */
};

/* The per-invocation context: everything that would otherwise be global.
 * Batch mode keeps one across lines, so sockets are reused. */
struct nsb {
	const char *applet;	/* name used in messages */
	const char *where;	/* "FILE:LINE" in batch mode, else NULL */
	int batch;		/* running inside nsbox -b */
	int quiet;		/* messages not printed (the fuzzers set it) */
	unsigned int seq;
	int nsocks;
	struct nsb_sock socks[NSB_MAX_SOCKS];
	/* nl.c's record of the kernel's extended-ack text: cleared when a
	 * request is sent, set when it fails; err.c prints it beside that
	 * request's error (ack_err) and no other */
	char ack[256];
	int ack_err;		/* the -errno the text came with */
	unsigned int run;	/* which invocation is running (cli/main.c counts) */
	unsigned int ack_run;	/* the invocation whose request the text explains */
	char *buf;		/* receive buffer, grown to fit any reply */
	size_t bufsz;
};

/* nl.c: the only file that talks to netlink sockets. */
/* Socket for proto inside netns (NULL = nsbox's own), cached in c. */
int nl_sock(struct nsb *c, const char *netns, int proto, struct mnl_socket **out);
/* Same, for a namespace already open as nsfd. */
int nl_sock_fd(struct nsb *c, int nsfd, int proto, struct mnl_socket **out);
/* Close cached sockets of the namespace at path (before it is deleted). */
void nl_forget(struct nsb *c, const char *netns);
unsigned int nl_seq(struct nsb *c);
/* Send one request with NLM_F_ACK; data replies go to cb (may be NULL). */
int nl_talk(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh,
	    mnl_cb_t cb, void *data);
/* Dump request (NLM_F_DUMP set here); redone when interrupted
 * (NLM_F_DUMP_INTR), calling reset(data) first when given. */
int nl_dump(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh,
	    mnl_cb_t cb, void *data, void (*reset)(void *));
/* Send a batch holding nacks messages that carry NLM_F_ACK (nfnetlink) and
 * wait for every reply; the first error wins, and once one has come only
 * what is already queued is read (a batch refused at BATCH_BEGIN gets one
 * error in all).  Other replies (NLM_F_ECHO) go to cb, when given. */
int nl_batch(struct nsb *c, struct mnl_socket *nl, const void *buf, size_t len,
	     int nacks, mnl_cb_t cb, void *data);
/* The slot for nft.c's cache that belongs with socket nl (NULL: not ours). */
struct nft_cache **nl_nft_cache(struct nsb *c, struct mnl_socket *nl);
void nsb_free(struct nsb *c);

/* ns.c: named namespaces, iproute2-compatible. */
/* NETNS (name or path containing '/') to a file path; -EINVAL bad name. */
int ns_path(const char *netns, char *buf, size_t len);
/* fd of a network namespace file, checked without blocking (a FIFO, a
 * device, a directory, a file of another kind): -NSB_ENOTNS when it is not
 * one; a NAME under /run/netns is never followed when a symlink. */
int ns_open(const char *netns);
/* err, or -NSB_ENOPROC when it is -ENOENT for a /proc path and /proc is
 * not mounted. */
int ns_proc_err(const char *path, int err);
/* This process's own, /proc/self/ns/net: -NSB_ENOPROC without /proc. */
int ns_self(void);
/* Run fn(arg) inside NETNS (NULL: right here) and come back; what fn opens
 * keeps that namespace.  fn returns an fd or -errno; so does ns_call. */
int ns_call(const char *netns, int (*fn)(void *), void *arg);
/* socket(2) made inside netns (NULL = nsbox's own) without leaving this
 * process there: the socket keeps that namespace for its life. fd or -errno. */
int ns_socket(const char *netns, int domain, int type, int proto);
/* Create /run/netns/NAME; *nsfd gets an fd of the new namespace.  -EEXIST
 * when it is there; with idem only when it is a namespace (a leftover empty
 * placeholder is made into one, anything else -NSB_ENOTNS).  A failure
 * leaves nothing: no file, no mount, no /run/netns it made. */
int ns_add(const char *name, int idem, int *nsfd);
/* Remove /run/netns/NAME, a namespace or an empty placeholder; anything
 * else is -NSB_ENOTNS and left alone.  Under the lock ns_add takes. */
int ns_del(const char *name);
/* Sorted names under /run/netns; *names is one malloc'd block. */
int ns_list(char ***names);
/* The same, sorted or in the directory's order (ip netns list's). */
int ns_list_order(char ***names, int sorted);
/* setns + private mounts + sysfs + /etc/netns binds, ready for exec;
 * skip(arg, SRC, DST) for each /etc/netns/NAME/ENTRY without its /etc
 * twin (skip may be NULL).  -NSB_ECHROOT when / is not a mount point. */
int ns_exec_prepare(const char *netns, void (*skip)(void *, const char *, const char *),
		    void *arg);

/* fmt.c: printf's integers and strings under nsbox's own names (no floating
 * point): fmt_buf and fmt_vbuf keep snprintf's contract; fmt_vto sends the
 * text to w in pieces and returns its length. */
typedef void fmt_write(void *ctx, const char *s, size_t n);
size_t fmt_vto(fmt_write *w, void *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_vbuf(char *buf, size_t len, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_buf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int fmt_str(char *buf, const char *fmt, ...)	/* sprintf's: buf is big enough */
	__attribute__((format(printf, 2, 3)));

/* addr.c: pure parsers and formatters. */
struct nsb_prefix {
	int family;		/* AF_INET or AF_INET6 */
	int plen;		/* prefix length */
	unsigned char addr[16];
};
/* Plain address (no '/'); family AF_UNSPEC accepts either. plen = full. */
int addr_parse(const char *s, int family, struct nsb_prefix *p);
/* ADDR/LEN; with need_len 0 a bare address gets the full length. */
int prefix_parse(const char *s, int family, struct nsb_prefix *p, int need_len);
void prefix_clear_host(struct nsb_prefix *p);
int addr_len(int family);			/* 4, 16, or 0 */
const char *addr_ntop(int family, const void *a, char *buf, size_t len);
int mac_parse(const char *s, unsigned char mac[6]);
char *mac_format(const unsigned char *mac, size_t len, char *buf, size_t bufsz);
/* Strict unsigned decimal in [min, max]. */
int num_parse(const char *s, unsigned long min, unsigned long max, unsigned long *v);
/* Seconds with up to 3 decimals ("2", "0.2", ".25") to milliseconds in
 * [min, max]; -EINVAL bad syntax, -ERANGE out of range. No floating point. */
int msec_parse(const char *s, unsigned long min, unsigned long max, unsigned long *ms);
/* PORT or PORT-PORT, 1..65535, lo <= hi. */
int port_range_parse(const char *s, unsigned int *lo, unsigned int *hi);
/* natdnat's [ADDR:]PORT[-PORT] (a->family AF_UNSPEC without ADDR) and
 * TO_ADDR[:PORT] (*port left alone without PORT); an IPv6 ADDR with a port
 * is in brackets, [2001:db8::1]:80: -EINVAL bad address,
 * -ERANGE bad port (0, over 65535, not a number, LOW > HIGH). */
int dport_parse(const char *s, struct nsb_prefix *a, unsigned int *lo, unsigned int *hi);
int dnat_to_parse(const char *s, struct nsb_prefix *a, unsigned int *port);
int ifname_valid(const char *s);		/* 1 if a usable kernel name */
int ns_name_valid(const char *name);		/* 1 if usable as /run/netns/NAME */
/* NS:IFNAME split; ns gets NULL when there is no ':'. Modifies s. */
int endpoint_split(char *s, char **ns, char **ifname);
/* cniconf.c: the length of the UTF-8 character at s (n > 0 bytes), 1 to 4;
 * 0 where none starts (overlong, a surrogate, over U+10FFFF, cut short),
 * as Go's utf8.DecodeRune sees it. */
int utf8_len(const unsigned char *s, size_t n);

/* hosts.c */
/* A literal address, else the first /etc/hosts entry for name (and with
 * `make DNS=1`, getaddrinfo). family AF_UNSPEC takes either. -ENOENT. */
int host_lookup(const char *name, int family, struct nsb_prefix *p);

/* list.c: growing arrays for dump replies */
struct nsb_list {
	void *v;
	int n, cap;
	size_t size;		/* of one element */
};
/* One more element, counted (n advanced); NULL when out of memory. */
void *list_add(struct nsb_list *l);
/* n = 0: a dump's reset callback when it is redone (nl_dump). */
void list_reset(void *l);
/* A dump (nlh, built by the caller) into a malloc'd array *out of elements
 * of size: fill(nlh, elem, arg) turns each reply into one element and
 * returns 0 (kept), 1 (not wanted) or -errno.  The count, or -errno. */
typedef int list_fill_fn(const struct nlmsghdr *nlh, void *elem, const void *arg);
int list_dump(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh, size_t size,
	      list_fill_fn *fill, const void *arg, void *out);
/* Sort n elements of size in place, stably (small lists: an insertion sort). */
void list_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* link.c */
/* The IFLA_STATS64 counters ip -s shows, in the order of its columns (RX:
 * bytes packets errors dropped missed mcast [compressed]; TX: bytes
 * packets errors dropped carrier collsns [compressed]), then the one ip -s
 * -j has where the text has missed. */
enum {
	LS_RX_BYTES, LS_RX_PACKETS, LS_RX_ERRORS, LS_RX_DROPPED, LS_RX_MISSED,
	LS_RX_MCAST, LS_RX_COMPRESSED,
	LS_TX_BYTES, LS_TX_PACKETS, LS_TX_ERRORS, LS_TX_DROPPED, LS_TX_CARRIER,
	LS_TX_COLLISIONS, LS_TX_COMPRESSED, LS_RX_OVER, LS_N
};
/* One link as the kernel reports it (RTM_NEWLINK), validated. */
struct link_info {
	int index;
	unsigned int flags;	/* IFF_*, with IFF_LOWER_UP and friends */
	unsigned short type;	/* ARPHRD_* */
	unsigned char operstate;/* IF_OPER_* */
	unsigned char addrlen, brdlen;
	int mtu;
	int master;		/* 0 when none */
	int link;		/* IFLA_LINK (veth peer's index), 0 when none */
	int netnsid;		/* IFLA_LINK_NETNSID, -1 when the peer is here */
	unsigned char addr[32], brd[32];
	char name[16];
	char kind[16];		/* IFLA_INFO_KIND: "veth", "bridge", "" */
	char qdisc[16];		/* IFLA_QDISC, "" when not sent */
	unsigned char linkmode;	/* IF_LINK_MODE_* */
	unsigned int txqlen, group;
	/* every RTM_NEWLINK carries them (RTEXT_FILTER_SKIP_STATS only
	 * leaves out the per-family ones) */
	int has_stats;
	uint64_t stats[LS_N];
};
/* Either end of a new link: its name and the namespace it is created in
 * (nsfd -1: the namespace of the socket). */
struct link_end {
	const char *name;
	int nsfd;
};
/* A change to one link, sent as one RTM_NEWLINK. */
struct link_req {
	int index;
	int up;			/* -1 unchanged, 0 down, 1 up */
	int master;		/* -1 unchanged, 0 nomaster, else bridge index */
	int nsfd;		/* -1 unchanged */
	unsigned int mtu;	/* 0 unchanged */
	const char *name;	/* NULL unchanged */
	const unsigned char *mac;	/* 6 bytes, NULL unchanged */
	unsigned int flags, change;	/* IFF_* to set: change's bits as in flags */
	long txqlen;		/* -1 unchanged */
};
#define LINK_REQ_INIT(i) { .index = (i), .up = -1, .master = -1, .nsfd = -1, .txqlen = -1 }
/* ifindex of name in nl's namespace, or -errno (-ENODEV when absent). */
int link_index(struct nsb *c, struct mnl_socket *nl, const char *name);
/* One RTM_GETLINK by name (ifindex 0) or by index. -ENODEV when absent. */
int link_get(struct nsb *c, struct mnl_socket *nl, int ifindex, const char *name,
	     struct link_info *li);
/* Link name in v[0], then its same-namespace peer and its master when it
 * has them (what show_link needs); returns how many of v are filled. */
int link_get_shown(struct nsb *c, struct mnl_socket *nl, const char *name,
		   struct link_info v[3]);
/* What a show prints: DEV's link_get_shown into one (*v = one), or with
 * no DEV every link (*v malloc'd, free it when it is not one). */
int link_show_set(struct nsb *c, struct mnl_socket *nl, const char *dev,
		  struct link_info one[3], struct link_info **v);
/* Every link, in a malloc'd array; returns the count or -errno. */
int link_list(struct nsb *c, struct mnl_socket *nl, struct link_info **out);
/* The entry with this index in an array from link_list, or NULL. */
const struct link_info *link_find(const struct link_info *v, int n, int index);
/* The nsid that nl's namespace gives the namespace open as nsfd, the
 * number links report as IFLA_LINK_NETNSID; -ENOENT when it has none. */
int link_netnsid(struct nsb *c, struct mnl_socket *nl, int nsfd);
/* Every nsid nl's namespace has given (RTM_GETNSID dump), malloc'd; count. */
int ns_ids(struct nsb *c, struct mnl_socket *nl, int **out);
/* Give the namespace open as nsfd the number id (-1: the kernel picks). */
int ns_set_id(struct nsb *c, struct mnl_socket *nl, int nsfd, int id);
/* Set IFF_UP on or off by index. */
int link_set_up(struct nsb *c, struct mnl_socket *nl, int ifindex, int up);
/* Create kind ("veth", "bridge") in one request; peer only for veth. */
int link_add(struct nsb *c, struct mnl_socket *nl, const char *kind,
	     const struct link_end *dev, const struct link_end *peer, unsigned int mtu);
int link_change(struct nsb *c, struct mnl_socket *nl, const struct link_req *rq);
/* Delete by index, or by name when ifindex is 0. */
int link_del(struct nsb *c, struct mnl_socket *nl, int ifindex, const char *name);

/* ifaddr.c: interface addresses. */
struct ifaddr_info {
	int family, plen, index;
	unsigned char scope;
	unsigned int flags;	/* IFA_F_* */
	unsigned char local[16];
	int has_brd;
	unsigned char brd[16];
	char label[16];
	unsigned int valid, preferred;	/* lifetimes, s; 0xffffffff forever */
};
/* Addresses of family (AF_UNSPEC: all), malloc'd array; count or -errno. */
int ifaddr_list(struct nsb *c, struct mnl_socket *nl, int family,
		struct ifaddr_info **out);
/* RTM_NEWADDR (create, exclusive) or RTM_DELADDR of p on ifindex. */
int ifaddr_change(struct nsb *c, struct mnl_socket *nl, int cmd, int ifindex,
		  const struct nsb_prefix *p);
/* The same with everything ip addr add/del sends: scope, broadcast (has_brd),
 * label (when not "") and flags (IFA_F_*), on a->index. */
int ifaddr_req(struct nsb *c, struct mnl_socket *nl, int cmd, const struct ifaddr_info *a);

/* route.c: routes of one table (0 in route_info: main). */
struct route_info {
	int family;
	unsigned char dst_len, protocol, scope, type;
	unsigned int flags;	/* RTM_F_* and RTNH_F_* */
	int has_dst, has_gw, has_src, has_metric;
	unsigned char dst[16], gw[16], src[16];
	int oif;
	unsigned int metric;
	int pref;		/* RTA_PREF, -1 when absent */
	unsigned int table;
	int has_uid;		/* RTA_UID, in route_get's answer */
	unsigned int uid;
};
#define ROUTE_INFO_INIT { .pref = -1 }
/* The routes of family in table (RT_TABLE_MAIN...), malloc'd array; count
 * or -errno. */
int route_list(struct nsb *c, struct mnl_socket *nl, int family, unsigned int table,
	       struct route_info **out);
/* RTM_NEWROUTE with nlflags (NLM_F_CREATE|EXCL or |REPLACE) or RTM_DELROUTE,
 * in rt->table, with rt->flags' RTNH_F_ONLINK. */
int route_change(struct nsb *c, struct mnl_socket *nl, int cmd, int nlflags,
		 const struct route_info *rt);
/* The kernel's route to dst (RTM_GETROUTE, not a dump). */
int route_get(struct nsb *c, struct mnl_socket *nl, const struct nsb_prefix *dst,
	      struct route_info *rt);

/* sysctl.c */
/* Make the /proc/sys file at path, as seen inside netns (NULL: ours), hold
 * val, without spawning; written only when it holds something else (a
 * read-only /proc/sys is fine then).  old (when given) gets what it held. */
int sysctl_set(const char *netns, const char *path, const char *val,
	       char *old, size_t oldlen);
/* val written as it is, without reading first (as procps's sysctl -w: a
 * key may be write-only, net.ipv4.route.flush). */
int sysctl_write(const char *netns, const char *path, const char *val);
/* Its value, without the trailing newline, into buf. */
int sysctl_get(const char *netns, const char *path, char *buf, size_t len);

/* nft.c and its parts (nftenc.c, nftdec.c, nftfilt.c): NAT rules in nsbox's
 * own nf_tables tables, "table ip nsbox" and "table ip6 nsbox", whose base
 * chains are made on demand.  Nobody else's
 * tables are touched.  A rule's family is its addresses' (n->src for
 * masquerade and filter rules, n->to for dnat).  NFT_FWD and NFT_GUARD are
 * filter chains (forward; prerouting before NAT) for rules with a verdict. */
enum { NFT_POST, NFT_PRE, NFT_OUT, NFT_FWD, NFT_GUARD, NFT_NCHAINS };
#define NFT_COMMENT_MAX 128		/* nft's own limit for comments */
struct nft_nat {
	int masq;			/* 1 masquerade, 0 dnat */
	struct nsb_prefix src;		/* masq: source prefix */
	char ifname[16];		/* -i in prerouting, else -o; "" any */
	int ifneg;			/* masq: every interface but ifname */
	int proto;			/* IPPROTO_TCP or IPPROTO_UDP; 0 any */
	int has_dst;			/* dnat: dst given, else any local */
	int anydst;			/* dnat without has_dst: any destination;
					 * with it, dst is a prefix (else one address) */
	struct nsb_prefix dst;
	unsigned int lo, hi;		/* destination ports (with proto); 0 any */
	struct nsb_prefix to;		/* dnat: new destination */
	unsigned int toport;		/* 0: keep the port */
	/* masq: with has_dst only to dst; never to the nxdst prefixes */
	int nxdst;
	struct nsb_prefix xdst[2];
	int snat;			/* masq: SNAT to `to` (:toport) instead */
	unsigned int neg;		/* NFT_NEG_*: those matches inverted */
	int insert;			/* iptables -I: before rule handle pos
					 * (0: at the head), not appended */
	uint64_t pos;
	int own;			/* the comment is its maker's alone (a CNI
					 * attachment's): no generation condition */
	int localnet;			/* dnat to any local address: 127/8 too
					 * in output (route_localnet) */
	int verdict;			/* filter rule: NFT_V_* */
	int ct;				/* filter rule: ct state established,related */
	/* iptables' filter table: the rule of chain (NULL: a chain of
	 * nft_base[]) with -i iif (ifname is -o), source ports, ct state
	 * (NF_CT_STATE_* bits), tcp flags syn, LOG, REJECT and -j jump */
	const char *chain, *jump, *logprefix;
	char iif[16];
	unsigned int slo, shi, ctstate;
	int syn, log, loglevel;
	int rtype, rcode;		/* NFT_REJECT_*, its ICMP code */
	int nmports, mpsrc;		/* -m multiport: source (else destination) */
	uint16_t mports[15];		/* ports, one of which must match */
	/* what made the rule (NFT_BY_*; 0: no identity is stored), and its
	 * maker's own fields of the identity (nft_id_put's bytes) */
	int maker;
	const unsigned char *xid;
	int xidlen;
};
/* iptables' ! (the interface's is ifneg); a port range with
 * NFT_NEG_DPORT is a range expression, as nft makes it */
enum { NFT_V_ACCEPT = 1, NFT_V_DROP, NFT_V_RETURN, NFT_V_JUMP, NFT_V_REJECT };
enum { NFT_NEG_SRC = 1, NFT_NEG_DST = 2, NFT_NEG_PROTO = 4, NFT_NEG_DPORT = 8,
       NFT_NEG_IIF = 32, NFT_NEG_SPORT = 64, NFT_NEG_CT = 128, NFT_NEG_SYN = 256 };
/* A rule's identity (lib/nftid.c): what made it and its fields, stored in
 * its userdata beside the comment, so that nothing reads a rule back by
 * parsing a command line.  Its payload: NFT_ID_V1, the maker (NFT_BY_*),
 * then a record per field that is not zero: tag, length, and the field's
 * bytes as this host holds them (the rule lives in this host's kernel)
 * without trailing zero bytes; a string field (a pointer) with its NUL.
 * Tags 1-63 are struct nft_nat's, 64 and up its maker's own.  A tag a
 * reader does not know is skipped; another version is not read (the rule
 * is then read from its comment, as rules older nsbox made are). */
#define NFT_USERDATA_MAX 256		/* the kernel's NFT_USERDATA_MAXLEN */
#define NFT_ID_MAX (NFT_USERDATA_MAX - 2)
enum { NFT_ID_V1 = 1 };
enum { NFT_BY_NATMASQ = 1, NFT_BY_NATDNAT, NFT_BY_IPTABLES };
/* A field of a struct in an identity: its tag, size (0: a const char *)
 * and offset */
struct nft_field {
	unsigned char tag, size;
	unsigned short off;
};
#define NFT_FIELD(tag, type, m) { tag, sizeof(((type *)0)->m), offsetof(type, m) }
#define NFT_FIELD_STR(tag, type, m) { tag, 0, offsetof(type, m) }
/* The fields f of s that are not zero appended at b + o (len: b's size):
 * the new length, or -EMSGSIZE */
int nft_id_put(unsigned char *b, int o, int len, const struct nft_field *f, int nf, const void *s);
/* The records of identity payload b (len bytes) whose tags f has, into s
 * (zeroed by the caller; strings point into b): 0, or -EBADMSG */
int nft_id_get(const unsigned char *b, int len, const struct nft_field *f, int nf, void *s);
struct nft_rule;
/* v's identity into n (zeroed first; strings point into v->id): its
 * maker (n->maker too; n->xid is the maker's to set again), or 0 when v
 * has none of this version or a malformed one */
int nft_id_nat(const struct nft_rule *v, struct nft_nat *n);
/* One rule of our table as the kernel dumped it. */
struct nft_rule {
	int chain;			/* NFT_POST... or -1: not a chain of ours */
	int family;			/* AF_INET: table ip, AF_INET6: table ip6 */
	int counted;			/* has a counter (older nsbox made none) */
	uint64_t packets, bytes;	/* its counts */
	uint64_t handle;
	uint32_t key;			/* hash of comment: a cheap first test */
	char comment[NFT_COMMENT_MAX];	/* "" when it has none */
	char cname[32];			/* its chain's name */
	unsigned char id[NFT_ID_MAX];	/* its identity's payload (nft_id_nat) */
	int idlen;			/* 0: it has none */
};
/* Bit of chain in table ip6 (masks of chains that exist: ip's, then ip6's) */
#define NFT_SHIFT(family)	((family) == AF_INET6 ? NFT_NCHAINS : 0)
const char *nft_chain_name(int chain);
/* Every rule of our tables; *out is malloc'd; returns the count. */
int nft_rules(struct nsb *c, struct mnl_socket *nl, struct nft_rule **out);
/* Make (del 0) or remove the rule n, labelled comment, in every chain of the
 * bit mask chains, in one transaction.  Rules are recognised by comment.
 * -EEXIST / -ENOENT unless idem.  What our table holds is cached with the
 * socket (batch mode) and checked against the ruleset generation; the
 * transaction carries the generation it was decided on, so a concurrent
 * change makes the kernel refuse it and the decision is made again. */
int nft_nat_apply(struct nsb *c, struct mnl_socket *nl, const struct nft_nat *n,
		  const char *comment, unsigned int chains, int del, int idem);
/* nft_nat_apply, and when adding, forwarding of the rule's family turned on
 * in netns first (and put back if the rule is refused and no rule of ours
 * of that family is there, so a concurrent winner keeps it).  *fwd_failed
 * says the sysctl (nft_fwd_path) was what failed. */
#define NSB_IP_FORWARD "/proc/sys/net/ipv4/ip_forward"
#define NSB_IP6_FORWARD "/proc/sys/net/ipv6/conf/all/forwarding"
const char *nft_fwd_path(const struct nft_nat *n);
int nft_nat_commit(struct nsb *c, const char *netns, struct mnl_socket *nl,
		   const struct nft_nat *n, const char *comment, unsigned int chains,
		   int del, int idem, int *fwd_failed);
void nft_cache_free(struct nft_cache *k);
/* iptables' filter table: the chains of table ip nsbox but nft_base[]'s
 * (hook -1: not a base chain) */
struct nft_chain {
	char name[32];
	int hook, policy;
};
int nft_chains(struct nsb *c, struct mnl_socket *nl, struct nft_chain **out);
/* One transaction on table ip nsbox (made first when missing): each op a
 * message of type NFT_MSG_NEWCHAIN (a base chain with hook >= 0 and
 * policy >= 0: NF_ACCEPT, NF_DROP), _DELCHAIN, _NEWRULE (rule n at handle:
 * its position, or with NLM_F_REPLACE the rule it replaces; n's multiport
 * ports an anonymous set made with it) or _DELRULE (handle 0: every rule of
 * chain), with NLM_F_* flags. */
struct nft_op {
	int type, flags;
	const char *chain;
	int hook, policy;
	uint64_t handle;
	const struct nft_nat *n;
	const char *comment;
};
int nft_ops(struct nsb *c, struct mnl_socket *nl, const struct nft_op *op, int nop);
/* Remove every rule of our tables whose comment sel() accepts (sel's
 * NFT_DROP) by handle, unconditioned, decided again when a rule went
 * meanwhile; then the tail: NFT_DROP_LAST (the guard, with its chain) when
 * no rule answered NFT_PIN, and a table left with nothing but our empty
 * chains, conditioned on the generation looked at.  One transaction when
 * nothing contends; own rules that lost with the tail go next alone.  sel
 * is asked more than once per rule: it must be pure.  NFT_PEER and
 * NFT_PIN must name only rules that their owner removes with nft_drop
 * too: a tail lost to a commit that took one is left to that owner, which
 * looks again after its commit (so 0 may leave the tail to it). */
enum { NFT_KEEP, NFT_DROP, NFT_DROP_LAST, NFT_PIN, NFT_PEER };
int nft_drop(struct nsb *c, struct mnl_socket *nl,
	     int (*sel)(const char *comment, void *data), void *data);

/* nftplan.c: the decision, pure.  What a request does to the table of
 * family (0: any, to delete by comment alone), given the n rules v of our
 * tables and the bit mask of our base chains that exist (NFT_SHIFT). */
struct nft_plan {
	int err;		/* 0, or -EEXIST / -ENOENT (not idem): refused */
	int table;		/* add: make the table first */
	unsigned int chains;	/* add: base chains to make first (in family's table) */
	unsigned int add;	/* add: chains that get the rule (in family's table) */
	int ndel;		/* del: rules to delete, those nft_ours() */
	unsigned int mask;	/* the request's chains (del: only from those; 0 all) */
	unsigned int deltab;	/* del: tables to remove (bit 0 ip, bit 1 ip6) */
	unsigned int delguard;	/* del: the NFT_GUARD chains to remove (same bits) */
};
/* 1: something to commit; 0: nothing (p->err is the answer). */
int nft_plan(const struct nft_rule *v, int n, unsigned int chains, const char *comment,
	     int family, unsigned int mask, int del, int idem, struct nft_plan *p);
uint32_t nft_key(const char *comment);		/* nft_rule.key of a comment */
/* v is the rule labelled comment (key its nft_key), in the table of family
 * (0: any) and a chain of mask (0: any) */
int nft_ours(const struct nft_rule *v, uint32_t key, const char *comment, int family,
	     unsigned int mask);

/* ping.c: ICMP/ICMPv6 echo over ping sockets (raw ones where
 * net.ipv4.ping_group_range refuses us) and TCP connect timing, for
 * pingtest.  Packets are built, parsed and matched here; nothing printed. */
#define PING_RING 1024	/* probes in flight; an older unanswered one is lost */
enum { PING_PENDING, PING_ANSWERED, PING_LOST };
struct ping_probe {
	uint64_t sent;		/* CLOCK_MONOTONIC, ns */
	uint32_t num;
	uint8_t state;
};
union ping_sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_storage ss;
};
struct ping {
	/* the caller's: where and how */
	const char *netns, *iface;	/* iface: a device, or a source address */
	unsigned long wait, size, port;	/* wait in ms; port: TCP instead */
	unsigned long ttl;		/* 0: the kernel's */
	const sigset_t *waitmask;	/* signals that end a wait */
	volatile sig_atomic_t *stop;	/* set by such a signal */
	/* ping.c's */
	int fd, raw, family;
	int bound;			/* iface was a source address */
	uint16_t id;
	unsigned char cookie[8];	/* per run: tells our replies from others' */
	union ping_sa dst;
	socklen_t dlen;
	char addr[INET6_ADDRSTRLEN];	/* dst as text */
	char src[INET6_ADDRSTRLEN];	/* the source the route picks */
	unsigned char *pkt, *rbuf;
	size_t rlen;
	uint32_t sent, recv, dups, errs, lo;	/* lo: oldest probe not yet settled */
	uint32_t pipe;			/* most probes in flight at a reply */
	uint64_t tmin, tmax, tsum, tsum2;	/* round trips, µs, duplicates too */
	struct ping_probe ring[PING_RING];
};
/* One reply, or ICMP error (kind), matched to its probe. */
enum { PING_REPLY, PING_ICMPERR, PING_LOCALERR };
struct ping_reply {
	int kind;
	uint8_t type, code;	/* errors: ICMP type and code (local: errno in info) */
	uint32_t info;
	ssize_t bytes;
	int ttl;		/* -1: not known */
	unsigned int seq;
	int dup;
	uint64_t us;
	char from[INET6_ADDRSTRLEN];	/* errors: the offender */
};
uint64_t ping_now(void);			/* CLOCK_MONOTONIC, ns */
/* Destination host (address or name) with port p->port. */
int ping_resolve(struct ping *p, const char *host);
/* The socket (ICMP; a missing route fails here, as iputils' connect) or a
 * trial one (TCP: a bad NETNS or IFACE shows now), and the buffers. */
int ping_open(struct ping *p);
void ping_close(struct ping *p);
/* Send the next echo request; -errno: it is lost already. */
int ping_send(struct ping *p);
/* The next reply of ours, or ICMP error for one of our probes (IP_RECVERR
 * error queue), waiting on the socket: 1, or 0 when none is. */
int ping_recv(struct ping *p, struct ping_reply *rep);
/* The next probe whose wait is over at t ns (with force, any unanswered
 * one), marked lost: its 16-bit seq, or -1 when there is none. */
int ping_expire(struct ping *p, uint64_t t, int force);
/* Wait for ev on fd (or only time, fd < 0) until `until` ns; revents or 0. */
int ping_wait(struct ping *p, int fd, short ev, uint64_t until);
/* One TCP connect, given up at `until` ns: 0 and *us, or -errno. */
int ping_tcp(struct ping *p, uint64_t until, uint64_t *us);

#endif
