/* The iptables personality's parts (the .c files of iptables/), private to them:
 * parse.c reads a command line (or the -A line a rule carries as its
 * comment) into struct ipt; rule.c checks it and prints it as -S and -L
 * do; filter.c runs the filter table's commands; iptables.c the nat
 * table's, and iptables_main. */
#ifndef NSBOX_IPT_H
#define NSBOX_IPT_H

#include "cli.h"

/* the nat table's chains, in iptables' order; INPUT is shown empty and
 * refused; cnft: each one's NFT_* chain of nsbox's table */
extern const char cnames[];
extern const signed char cnft[];
enum { C_PRE, C_IN, C_OUT, C_POST };
/* the filter table's built-in chains; their hooks are NF_INET_LOCAL_IN + i */
extern const char fnames[];
enum { F_INPUT, F_FORWARD, F_OUTPUT };
/* -j's words, in enum target's order from T_MASQ */
extern const char targets[];
/* struct ipt's target: none, a word of targets[], or T_CHAIN: a chain of
 * the user's (-j CHAIN) */
enum target { T_NONE, T_MASQ, T_SNAT, T_DNAT, T_ACCEPT, T_DROP, T_RETURN, T_REJECT, T_LOG,
	      T_CHAIN };
/* the nat table's targets */
#define T_NAT(t) ((t) >= T_MASQ && (t) <= T_DNAT)
/* ct states as iptables prints them, and their bits */
extern const char states[];
extern const unsigned char sbits[];
/* --reject-with's words, two for each (the name -S prints first): a
 * pair for each ICMP code of rcodes[], then tcp-reset's (REJ_TCP_RESET) */
extern const char rejects[];
extern const unsigned char rcodes[];
enum { REJ_TCP_RESET = 7 };
#define IPT_V "iptables v1.8.9 (nf_tables)"
/* negation bits: NFT_NEG_* and the interface's */
#define N_IF 16

/* A command line, or the -A line a rule carries as its comment */
struct ipt {
	int chain, target;		/* target: enum target */
	int tow;			/* --to-*: T_SNAT (-source), T_DNAT (-destination) */
	int dir;			/* 'i' (-i given), 'o' (-o), 1 (both) */
	int local;			/* -m addrtype --dst-type LOCAL */
	int cmd;			/* the command's letter: 'A' for -A, ... */
	int filter;			/* the filter table (no -t says it) */
	unsigned long long seen;	/* options given: BIT(O_*) */
	unsigned int groups;		/* 1 << G_*: loaded */
	unsigned long at;		/* the rule number of -I, -D, -R */
	const char *cname, *policy;	/* CHAIN; -P's word */
	const char *fword;		/* the first option of the filter table's */
	const char *comment;		/* -m comment's */
	int mproto;			/* -m tcp's or -m udp's protocol */
	char order[8];			/* the G_* of the matches, as loaded */
	struct nft_nat n;		/* the matches and the target */
	unsigned char xid[NFT_ID_MAX];	/* n.xid: iptables' fields of the identity */
};

/* the groups of options: iptables' own (G_BASE) and each match's or
 * target's, which count once it is loaded, as in iptables (G_PORT: -m tcp
 * or udp, or -p's, loaded by its first option) */
enum { G_BASE = 1, G_PORT, G_DNAT, G_SNAT, G_CT, G_STATE, G_COMMENT, G_ADDR, G_REJECT, G_LOG,
       G_MPORT };
/* iptables' options, in the order of their letters in parse.c's codes[];
 * each one's bit in struct ipt's seen.  The commands first, then the
 * options a rule has once (from O_SRC to O_MATCH: the filter table's from
 * O_SPORT to O_SPORTS, the nat table's O_DST_TYPE and O_TO), then the
 * others */
enum opt {
	O_APPEND, O_DELETE, O_CHECK, O_INSERT, O_LIST, O_LIST_RULES, O_FLUSH, O_POLICY,
	O_NEW_CHAIN, O_DELETE_CHAIN, O_REPLACE, O_ZERO,
	O_SRC, O_DST, O_IN, O_OUT, O_PROTO, O_JUMP, O_DPORT, O_DST_TYPE, O_TO,
	O_SPORT, O_SYN, O_TCP_FLAGS, O_CTSTATE, O_STATE, O_COMMENT, O_REJECT_WITH,
	O_LOG_PREFIX, O_LOG_LEVEL, O_DPORTS, O_SPORTS, O_MATCH,
	O_TABLE, O_WAIT, O_NUMERIC, O_VERBOSE, O_EXACT, O_LINE_NUMBERS, O_NOPTS
};
#define BIT(o) (1ull << (o))
/* the bits of the options a to b */
#define OPTS(a, b) ((BIT(b) << 1) - BIT(a))
#define RULE_OPTS OPTS(O_SRC, O_MATCH)
#define FILTER_OPTS OPTS(O_SPORT, O_SPORTS)
#define NATTAB_OPTS OPTS(O_DST_TYPE, O_TO)
#define HAS(r, o) ((r)->seen >> (o) & 1)

/* parse.c */
/* the k-th word of the list w ("a\0b\0") */
const char *ipt_nth(const char *w, int k);
/* c speaking in iptables' own voice ("iptables v1.8.9 (nf_tables): ...");
 * NULL (a rule's comment read back) stays silent */
struct nsb *ipt_voice(struct nsb *c);
/* "iptables: WHAT ARG: not supported by nsbox (...)", exit 2 */
int ipt_unsup(struct nsb *c, const char *what, const char *arg);
/* iptables' words into r: 0, or the exit status after the message (none
 * when c is NULL) */
int ipt_parse(struct nsb *c, int argc, char **argv, struct ipt *r);

/* rule.c */
/* r as far as iptables and nsbox take it, made nsbox's rule (the nat
 * table's; fcheck: the filter table's): 0, or 2 after the message */
int ipt_check(struct nsb *c, struct ipt *r);
int ipt_fcheck(struct nsb *c, struct ipt *r);
/* iptables -S's line for r into buf; its length */
int ipt_line(const struct ipt *r, char *buf, size_t len);
/* -L's head of a chain, and its line of r (the chain's rule nr, v the
 * rule: its counters), as q (-L's options) says */
void ipt_head(const struct ipt *q, int first, const char *name, const char *what);
void ipt_row(const struct ipt *r, const struct nft_rule *v, const struct ipt *q,
	     unsigned long nr);
/* r's identity (the rule written carries it): n.maker and n.xid */
void ipt_identity(struct ipt *r);
/* v, a rule iptables made, read back into r from its identity (strings
 * point into v->id): NFT_BY_IPTABLES; another maker (only r->n read), or
 * 0 when it has none */
int ipt_from_id(const struct nft_rule *v, struct ipt *r);
/* v, a rule of the nat table, read back into r from its identity, or
 * from its comment when an older nsbox made it (buf and w then hold its
 * words): 0, or -1: not one iptables shows */
int ipt_from_rule(const struct nft_rule *v, struct ipt *r, char *buf, char **w);
/* whether iptables shows v in chain k (-1: any of ours); r is it */
int ipt_shown(const struct nft_rule *v, int k, struct ipt *r);
/* "Bad rule (...)": the rule -D or -C names is not there */
int ipt_bad(struct nsb *c);
/* What iptables says when the kernel refuses -A|-I|-R's rule (exit 4, with
 * why: strerror's words); -C and -D find no such rule (exit 1) */
int ipt_refused(struct nsb *c, const struct ipt *r, const char *why);

/* filter.c: the filter table's command r */
int ipt_filter(struct nsb *c, struct mnl_socket *nl, struct ipt *r);

#endif
