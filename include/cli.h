/*
 * nsbox's command-line layer, cli/: dispatch and batch mode (main.c), option
 * scanning (opt.c), the one message format (err.c), JSON and ip-like text
 * output (json.c, show.c).  Applets include this; lib/ never does.
 */
#ifndef NSBOX_CLI_H
#define NSBOX_CLI_H

#include "nsbox.h"

/* out.c: printf and fprintf through lib/fmt.c (its conversions only) */
int fmt_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fmt_file(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fmt_vfile(FILE *f, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* err.c */
/* Print "APPLET: SUBJECT: reason[: ext-ack]" for -errno err; returns 1.
 * These print nothing when c is NULL (a parser called to read, not to
 * report) or c->quiet. */
int nsb_fail(struct nsb *c, const char *subject, int err);
/* Print "APPLET: SUBJECT: text"; returns status. subject may be NULL. */
int nsb_msg(struct nsb *c, int status, const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Usage error: "APPLET: SUBJECT: reason", returns 2. */
int nsb_usage(struct nsb *c, const char *subject, const char *reason);
/* errno text, the same under musl and glibc for the errors users see. */
const char *nsb_strerror(int err);

/* opt.c: reentrant option scanner (no getopt globals, safe in batch mode). */
struct nsb_optdef {
	const char *name;	/* "-n", "--mtu" */
	int key;
	int has_arg;
};
struct nsb_opts {
	int i;			/* next argv index; start at 1 */
	const char *arg;	/* option argument or operand */
	int rest;		/* "--" seen: only operands follow */
	unsigned int seen;	/* options met so far, by index in defs */
};
#define NSB_OPT_END	0	/* no more words */
#define NSB_OPT_OPERAND	1	/* st->arg is a non-option word */
#define NSB_OPT_KEY	2	/* the first key an option may have */
#define NSB_OPT_USAGE	(-2)	/* message printed; return 2 */
/* Returns an option's key, NSB_OPT_OPERAND, NSB_OPT_END or NSB_OPT_USAGE.
 * After "--" every word is an operand. Whole words only; an option given
 * twice is a usage error. */
int nsb_opt(struct nsb *c, struct nsb_opts *st, int argc, char **argv,
	    const struct nsb_optdef *defs);

/* The leading options of the ip-like applets (iplink, ipaddr, iproute), as
 * far as defs allows them: -n NETNS, -j, -e, -4, -6, -s (keys 'n' 'j' 'e'
 * '4' '6' 's').  *cmd gets the first other word (left as it was when there
 * is none).  Returns the index after it, or NSB_OPT_USAGE (message printed). */
struct nsb_ipopts {
	const char *netns;
	int json, idem, family;
	int stats;
};
int nsb_ipopts(struct nsb *c, int argc, char **argv, const struct nsb_optdef *defs,
	       struct nsb_ipopts *o, const char **cmd);

/* The index of w in words, or -1: whole words only, like iproute2's
 * cmds[] (a personality that takes abbreviations lists them).  words is one
 * string of NUL-ended words ending in an empty one, "add\0del\0": the words'
 * bytes alone, where an array of pointers adds a pointer a word. */
int nsb_word(const char *w, const char *words);

/* A keyword that takes an argument: w must be one of words (nsb_word's, at
 * most 32), not yet in *seen (a repeated keyword is a usage error), and arg
 * present. 0, or 2 after the usage message. */
int nsb_keyword(struct nsb *c, const char *w, const char *arg, const char *words,
		unsigned int *seen);

/* nsrun.c: CMD run in netns as ip netns exec runs it (private mounts,
 * its sysfs, /etc/netns binds): in this process (exec'd), or when forked
 * in a child waited for.  Its exit status, 127/126 when it cannot be run. */
int nsb_nsexec(struct nsb *c, const char *netns, char **cmd, int forked);

/* NETNS as -n or netns takes it: NULL, a path (with '/') or a usable
 * name.  0, or 2 after the usage message. */
int nsb_netns_arg(struct nsb *c, const char *netns);

/* Split a batch line into words: blanks separate, "double" and 'single'
 * quotes group, a '#' opening a word ends the line (as in ip -batch); in place. Returns the count, -EINVAL for an open quote,
 * -E2BIG for more than max - 1 words. argv[count] = NULL. */
int nsb_split(char *line, char **argv, int max);

/* A file read line by line (batch files, ip -batch, sysctl -p): "-" is
 * stdin.  next gives each line without its '\n': 1, 0 at the end, -errno
 * (a directory, a failing input).  The line lives until the next call. */
struct nsb_lines {
	int fd, eof;
	int nul;		/* the unfinished line holds a NUL */
	char *buf;
	size_t len, off, cap;
	size_t scan;		/* where the search for '\n' goes on */
};
int nsb_lines_open(struct nsb_lines *l, const char *file);
int nsb_lines_next(struct nsb_lines *l, char **line);
void nsb_lines_close(struct nsb_lines *l);

/* nat.c: the front end natmasq and natdnat share. */
/* Option keys both take, and the first one an applet may add. */
enum { NAT_O_NETNS = NSB_OPT_KEY, NAT_O_JSON, NAT_O_IDEM, NAT_O_DEL, NAT_O_VERBOSE,
       NAT_O_OWN };
#define NAT_OPTS { "-n", NAT_O_NETNS, 1 }, { "-j", NAT_O_JSON, 0 }, \
	{ "-e", NAT_O_IDEM, 0 }, { "-d", NAT_O_DEL, 0 }, { "-v", NAT_O_VERBOSE, 0 }
struct nat_args {
	const char *netns;
	const char *ops[2];	/* operands as typed; ops[0] NULL: list */
	int json, idem, del, change;	/* change: an option that needs ops[0] */
	int verbose;			/* -v: list with packet and byte counts */
	struct nft_nat n;
	/* the command in canonical form; one byte over, to tell one too long */
	char comment[NFT_COMMENT_MAX + 1];
};
/* The applet's parser (also reads back the comments of the rules an older
 * nsbox made, which carry no identity, then with c NULL: no message) and its JSON keys for rule v[i] that a
 * describes (nat.c adds the counts and the comment around them). */
typedef int nat_parse_fn(struct nsb *c, int argc, char **argv, struct nat_args *a);
struct json;
typedef void nat_show_fn(struct json *j, const struct nat_args *a,
			 const struct nft_rule *v, int nv, int i);
/* natgram.c: the NAT rule grammar.  natmasq's and natdnat's parsers (the
 * applets' command lines, and the comments of older rules read back) and
 * the canonical command for n that a rule's comment holds (iptables
 * stores natmasq's when it can). */
nat_parse_fn natmasq_parse, natdnat_parse;
void natmasq_describe(const struct nft_nat *n, char *buf, size_t len);
void natdnat_describe(const struct nft_nat *n, char *buf, size_t len);
/* NAT_O_* key k into a: 1, or 0 when k is the applet's own. */
int nat_opt(struct nat_args *a, int k, const char *arg);
/* No operand: list the rules whose comments start with prefix.  Else make
 * (or with -d remove) a's rule in chains.  Returns the exit status. */
int nat_run(struct nsb *c, const struct nat_args *a, const char *prefix,
	    nat_parse_fn *parse, nat_show_fn *show, unsigned int chains);

/* json.c: a small streaming writer on stdout. */
struct json {
	int depth;
	unsigned char first[32];
};
void json_open(struct json *j, int ch);		/* '{' or '[' */
void json_close(struct json *j, int ch);
void json_key(struct json *j, const char *k);
void json_str(struct json *j, const char *s);
void json_int(struct json *j, long long v);
void json_bool(struct json *j, int v);
void json_kstr(struct json *j, const char *k, const char *s);
void json_kint(struct json *j, const char *k, long long v);
/* A string given as JSON text, checked (what is between its quotes, n
 * bytes): its escapes kept, bytes that are not UTF-8 as \ufffd. */
void json_strtext(struct json *j, const char *s, size_t n);
/* s (n bytes) as a JSON string, quoted and escaped as json_str writes it,
 * into out (cap bytes, NUL-terminated): the length it needs (cap or more:
 * it did not fit). */
size_t json_quote(char *out, size_t cap, const char *s, size_t n);
/* A value written as is: a number already formatted, null, true, false. */
void json_raw(struct json *j, const char *v);
void json_kraw(struct json *j, const char *k, const char *v);

/* One field, written once for text and JSON (iproute2's print_string with
 * PRINT_ANY): with j NULL, text: printf(fmt, v) when fmt is given; else
 * JSON: "key": v when key is given ("" for an element of an array).
 * print_str prints nothing when v is NULL. */
void print_str(struct json *j, const char *key, const char *fmt, const char *v);
void print_int(struct json *j, const char *key, const char *fmt, long long v);
/* JSON only: open an object or array ('{' or '['), as key's value when
 * key is given; close it.  Nothing in text. */
void print_open(struct json *j, const char *key, int ch);
void print_close(struct json *j, int ch);

/* show.c: ip-like text and ip -j shaped JSON shared by the show applets.
 * Prints on stdout, like json.c; j NULL means text. */
/* "3: v0@v1: <FLAGS> mtu N master BR state UP" and its link/ether line. */
void show_link(struct json *j, const struct link_info *li,
	       const struct link_info *all, int n);
/* The flags between ip's < >, or into an open JSON array; peer: the
 * same-namespace veth peer, for M-DOWN. */
void show_flags(struct json *j, const struct link_info *li, const struct link_info *peer);
/* ip's "NAME@PEER" (a same-namespace veth peer) or "NAME@ifN" into name;
 * JSON: its link or link_index and ifname keys.  Returns that peer. */
const struct link_info *show_ifname(struct json *j, const struct link_info *li,
				    const struct link_info *all, int n, char name[40]);
#define SHOW_IP		1	/* ip's full shape (the personality) */
#define SHOW_MODE	2	/* with the link mode, as ip link prints */
#define SHOW_GET	4	/* show_route: an answer of route get */
#define SHOW_NOL2	8	/* no link/ether line (ip -4 addr) */
#define SHOW_V6		16	/* as the kernel's AF_INET6 link dump: no qdisc, group */
#define SHOW_FEW	32	/* show_addr: family, local, prefixlen and scope only */
void show_link_ip(struct json *j, const struct link_info *li, const struct link_info *all,
		  int n, int mode, const char *peerns);
/* One address, "    inet ADDR/LEN brd ... scope ..." or its addr_info
 * object: mode 0 as the ipaddr applet prints it, SHOW_IP as ip does (all
 * of ip's flags, lifetimes), SHOW_FEW for nsgraph. */
void show_addr(struct json *j, const struct ifaddr_info *a, int mode);
/* One route: "default via GW dev DEV ..." or its ip -j object. */
void show_route(struct json *j, const struct route_info *rt,
		const struct link_info *v, int n, int mode);
/* The links of nl (dev alone when given), as iplink, ipaddr and ip link/addr
 * show them: each with its counters (stats) and its addresses (addrs: of
 * family, links without one left out unless AF_UNSPEC); mode is
 * show_link_ip's (SHOW_IP also for the addresses).  The ip personality's
 * extras: only links that are up, the -br lines, and nsname, the name of
 * the namespace a veth peer's nsid stands for.  Returns the exit status. */
struct show_req {
	const char *dev;
	int json, family, addrs, stats, mode;
	int up, brief;
	const char *(*nsname)(void *ctx, int nsid);
	void *ctx;
};
int show_links(struct nsb *c, struct mnl_socket *nl, const struct show_req *q);
/* Routes as iproute and ip route show them: route get's answer for get,
 * else the malloc'd list list() makes (the count, or -errno); mode is
 * show_route's.  Returns the exit status. */
typedef int show_rlist_fn(struct nsb *c, struct mnl_socket *nl, const void *ctx,
			  struct route_info **rv);
int show_routes(struct nsb *c, struct mnl_socket *nl, int json, int mode,
		const struct nsb_prefix *get, show_rlist_fn *list, const void *ctx);
/* ip -s's counters of a link shown by show_link, when it has them: its
 * RX: and TX: tables, or the "stats64" object of ip -s -j. */
void show_stats(struct json *j, const struct link_info *li);
/* "ADDR/LEN" into buf (len: at least 50) */
const char *show_prefix(int family, const void *a, int plen, char *buf, size_t len);
/* The names the kernel's numbers go by in ip's output and arguments: one
 * table for each kind, ended by an empty name */
struct nsb_name {
	unsigned char v;
	char name[11];
};
extern const struct nsb_name show_scopes[], show_protos[];
/* v's name in t, else v as a number (in buf) */
const char *show_name(const struct nsb_name *t, unsigned int v, char *buf, size_t len);
/* a name in t, or a number 0-255, into *v: 0, else -1 */
int name_parse(const struct nsb_name *t, const char *s, unsigned char *v);
/* RTN_* by number, as ip names route types */
extern const char show_rtypes[12][12];
/* IF_OPER_* as ip names it: "UP", "DOWN", "UNKNOWN", ... */
const char *show_operstate(int state);

#endif
