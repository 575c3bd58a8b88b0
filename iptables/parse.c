/* iptables' words and their grammar: the word tables of chains, targets,
 * ct states and --reject-with, the long options (with the abbreviations
 * iptables' getopt_long takes), the lexer (letter, lex) and one handler per
 * option (take), which ipt_parse runs over a command line or the comment
 * of a rule an older nsbox made, into struct ipt. */
/* Over 500 lines: iptables' one grammar, its tables, lexer and option
 * handlers, which share the option tables' statics */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include "ipt.h"

/* iptables' order; INPUT is shown empty and refused */
const char cnames[] = "PREROUTING\0INPUT\0OUTPUT\0POSTROUTING\0";
const signed char cnft[] = { NFT_PRE, -1, NFT_OUT, NFT_POST };
/* the filter table's built-in chains; their hooks are NF_INET_LOCAL_IN + i */
const char fnames[] = "INPUT\0FORWARD\0OUTPUT\0";
/* -j's words, enum target's from T_MASQ */
const char targets[] = "MASQUERADE\0SNAT\0DNAT\0ACCEPT\0DROP\0RETURN\0REJECT\0LOG\0";
/* ct states as iptables prints them, and their bits */
const char states[] = "INVALID\0NEW\0RELATED\0ESTABLISHED\0UNTRACKED\0";
const unsigned char sbits[] = {
	NF_CT_STATE_INVALID_BIT, NF_CT_STATE_BIT(IP_CT_NEW), NF_CT_STATE_BIT(IP_CT_RELATED),
	NF_CT_STATE_BIT(IP_CT_ESTABLISHED), NF_CT_STATE_UNTRACKED_BIT
};
/* --reject-with's words, two for each (the name -S prints first), and the
 * ICMP code of each pair but tcp-reset's */
const char rejects[] = "icmp-net-unreachable\0net-unreach\0icmp-host-unreachable\0host-unreach\0"
	"icmp-proto-unreachable\0proto-unreach\0icmp-port-unreachable\0port-unreach\0"
	"icmp-net-prohibited\0net-prohib\0icmp-host-prohibited\0host-prohib\0"
	"icmp-admin-prohibited\0admin-prohib\0tcp-reset\0tcp-rst\0";
const unsigned char rcodes[REJ_TCP_RESET] = { 0, 1, 2, 3, 9, 10, 13 };

const char *ipt_nth(const char *w, int k)
{
	while (k--)
		w += strlen(w) + 1;
	return w;
}

int ipt_unsup(struct nsb *c, const char *what, const char *arg)
{
	return nsb_msg(c, 2, NULL, "%s%s%s: not supported by nsbox (nat table: MASQUERADE, SNAT, "
		       "DNAT; filter table: ACCEPT, DROP, RETURN, REJECT, LOG, user chains)",
		       what, arg ? " " : "", arg ? arg : "");
}

/* -m's matches: the options each one loads, and tcp's and udp's protocol */
static const struct match {
	char name[10];
	unsigned char group, proto;
} matches[] = {
	{ "tcp", G_PORT, IPPROTO_TCP }, { "udp", G_PORT, IPPROTO_UDP }, { "conntrack", G_CT, 0 },
	{ "state", G_STATE, 0 }, { "comment", G_COMMENT, 0 }, { "multiport", G_MPORT, 0 },
	{ "addrtype", G_ADDR, 0 },
};
#define NMATCHES (sizeof(matches) / sizeof(matches[0]))

/* A match (its G_*) loaded (once), in the order -S prints them */
static void load(struct ipt *r, int m)
{
	size_t l = strlen(r->order);

	if (!strchr(r->order, m) && l < sizeof(r->order) - 1)
		r->order[l] = m;
}

/* iptables' LIST of ct states: their bits, 0 when one is unknown */
static unsigned int ctparse(char *a)
{
	unsigned int bits = 0;
	char *e;
	int k;

	for (; a; a = e ? e + 1 : NULL) {
		e = strchr(a, ',');
		if (e)
			*e = '\0';
		k = nsb_word(a, states);
		if (e)
			*e = ',';
		if (k < 0)
			return 0;
		bits |= sbits[k];
	}
	return bits;
}

static int port(const char *s, unsigned int *v)
{
	unsigned long n;

	if (num_parse(s, 1, 65535, &n))
		return -1;
	*v = n;
	return 0;
}

/* iptables' table: nat or filter, else exit 2 */
static int table(struct nsb *c, const char *t)
{
	return nsb_msg(c, 2, NULL, "-t %s: not supported by nsbox (nat and filter tables only)", t);
}

/* the options each target loads (G_BASE: none of its own) */
static const unsigned char tgroup[] = {
	[T_MASQ] = G_BASE, [T_SNAT] = G_SNAT, [T_DNAT] = G_DNAT, [T_ACCEPT] = G_BASE,
	[T_DROP] = G_BASE, [T_RETURN] = G_BASE, [T_REJECT] = G_REJECT, [T_LOG] = G_LOG,
	[T_CHAIN] = G_BASE
};
/* -p's protocols: "tcp\0udp\0icmp\0all\0", then the same by number */
static const unsigned char protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP, 0 };

/* iptables' long options by the group they belong to, for the
 * abbreviations its getopt_long takes: each is its letter in codes[] (its
 * short option's, if any; else one of its own, and U: --to-source, O_TO
 * too), then its name */
static const char *const longs[] = {
	[G_BASE] = "A" "append\0" "D" "delete\0" "C" "check\0" "I" "insert\0" "L" "list\0"
		   "S" "list-rules\0" "F" "flush\0" "P" "policy\0" "N" "new-chain\0"
		   "X" "delete-chain\0" "R" "replace\0" "Z" "zero\0" "s" "source\0" "s" "src\0"
		   "d" "destination\0" "d" "dst\0" "p" "protocol\0" "i" "in-interface\0"
		   "o" "out-interface\0" "j" "jump\0" "t" "table\0" "m" "match\0" "n" "numeric\0"
		   "v" "verbose\0" "w" "wait\0" "x" "exact\0" "0" "line-numbers\0",
	[G_PORT] = "q" "destination-port\0" "q" "dport\0" "g" "source-port\0" "g" "sport\0"
		   "y" "syn\0" "f" "tcp-flags\0",
	[G_DNAT] = "T" "to-destination\0",
	[G_SNAT] = "U" "to-source\0",
	[G_CT] = "c" "ctstate\0",
	[G_STATE] = "e" "state\0",
	[G_COMMENT] = "K" "comment\0",
	[G_ADDR] = "Y" "dst-type\0",
	[G_REJECT] = "r" "reject-with\0",
	[G_LOG] = "l" "log-prefix\0" "V" "log-level\0",
	[G_MPORT] = "M" "dports\0" "M" "destination-ports\0" "W" "sports\0" "W" "source-ports\0",
};
/* enum opt's letters, in its order */
static const char codes[] = "ADCILSFPNXRZsdiopjqYTgyfceKrlVMWmtwnvx0";
_Static_assert(sizeof(codes) == O_NOPTS + 1, "codes[] names each enum opt");
/* the options a short letter names (-nvL): all but the long-only ones */
#define SHORT_OPTS (OPTS(O_APPEND, O_JUMP) | OPTS(O_MATCH, O_EXACT))
/* the options that take an argument; the ones whose argument may be
 * absent (-L, -S, -F, -Z, -X's CHAIN and -w's SECS); the ones a rule
 * number may follow (-I|-D|-R CHAIN N) */
#define ARG_OPTS (OPTS(O_APPEND, O_SPORT) | OPTS(O_TCP_FLAGS, O_WAIT))
#define OPTARG_OPTS (BIT(O_LIST) | BIT(O_LIST_RULES) | BIT(O_FLUSH) | BIT(O_ZERO) | \
		     BIT(O_DELETE_CHAIN) | BIT(O_WAIT))
#define NUM_OPTS (BIT(O_INSERT) | BIT(O_DELETE) | BIT(O_REPLACE))
/* -m tcp's and udp's options */
#define PORT_OPTS (BIT(O_DPORT) | OPTS(O_SPORT, O_TCP_FLAGS))
/* the options ! may negate, and what it sets in nft_nat's neg (none: 0) */
static const unsigned short negbit[O_STATE + 1] = {
	[O_SRC] = NFT_NEG_SRC, [O_DST] = NFT_NEG_DST, [O_IN] = NFT_NEG_IIF, [O_OUT] = N_IF,
	[O_PROTO] = NFT_NEG_PROTO, [O_DPORT] = NFT_NEG_DPORT, [O_SPORT] = NFT_NEG_SPORT,
	[O_SYN] = NFT_NEG_SYN, [O_TCP_FLAGS] = NFT_NEG_SYN, [O_CTSTATE] = NFT_NEG_CT,
	[O_STATE] = NFT_NEG_CT
};

/* The letter of --s (s without the dashes, len long) among the options of
 * groups g: the one named so, else the one all names s begins share; 0:
 * none */
static int longopt(const char *s, size_t len, unsigned int g)
{
	const char *e;
	int k = 0;
	size_t i;

	for (i = G_BASE; i < sizeof(longs) / sizeof(longs[0]) && len; i++)
		for (e = longs[i]; g >> i & 1 && *e; e += strlen(e) + 1) {
			if (strncmp(e + 1, s, len))
				continue;
			if (!e[1 + len])
				return e[0];
			k = k && k != e[0] ? -1 : e[0];
		}
	return k < 0 ? 0 : k;
}

/* -s/-d's ADDR[/LEN], or ADDR/MASK with a dotted mask: 0, -1 bad, 1 a mask
 * nf_tables' prefix cannot say (iptables-nft takes any) */
static int cidr(char *a, struct nsb_prefix *p)
{
	char *m = strchr(a, '/');
	struct nsb_prefix k;
	unsigned int x, len = 0;
	int e;

	if (m && strchr(m, '.')) {
		*m = '\0';
		e = addr_parse(m + 1, AF_INET, &k) || prefix_parse(a, AF_INET, p, 0);
		*m = '/';
		if (e)
			return -1;
		memcpy(&x, k.addr, 4);
		x = ntohl(x);
		while (x != (unsigned int)(0xffffffffull << (32 - len)))
			if (++len > 32)
				return 1;
		p->plen = len;
	} else if (prefix_parse(a, AF_INET, p, 0)) {
		return -1;
	}
	prefix_clear_host(p);
	return 0;
}

/* A match loaded with -m needs one of its options, as iptables checks
 * once the line is read; their messages are iptables' own (multiport's
 * misspelling too) */
static const struct {
	unsigned char group;
	unsigned char first, last;	/* one of the options first to last */
	const char *msg;
} needs[] = {
	{ G_CT, O_CTSTATE, O_CTSTATE, "conntrack: At least one option is required" },
	{ G_STATE, O_STATE, O_STATE, "state: option \"--state\" must be specified" },
	{ G_COMMENT, O_COMMENT, O_COMMENT, "comment: option \"--comment\" must be specified" },
	{ G_MPORT, O_DPORTS, O_SPORTS, "multiport expection an option" },
	{ G_ADDR, O_DST_TYPE, O_DST_TYPE, "addrtype: you must specify --src-type or --dst-type" },
};

struct nsb *ipt_voice(struct nsb *c)
{
	if (c)
		c->applet = IPT_V;
	return c;
}

/* The protocol a port or flag option is read for: -p's, else, as in
 * -m tcp --dport 80 -p tcp, the match's until -p comes (the two are
 * checked to agree once the line is read) */
static int proto_of(const struct ipt *r)
{
	return r->n.proto ? r->n.proto : r->mproto;
}

/* r's matches, whole once the line is read: 0, else 2 after the message */
static int matches_whole(struct nsb *c, const struct ipt *r)
{
	const char *m = NULL;
	size_t i;

	/* with a port option (of -m tcp|udp's); without, the kernel refuses
	 * it (iptables_main) */
	if (r->mproto && r->n.proto != r->mproto && r->seen & PORT_OPTS)
		m = r->mproto == IPPROTO_TCP ? "TCP match requires '-p tcp'" : "UDP match requires '-p udp'";
	for (i = 0; !m && i < sizeof(needs) / sizeof(needs[0]); i++)
		if (r->groups >> needs[i].group & 1 && !(r->seen & OPTS(needs[i].first, needs[i].last)))
			m = needs[i].msg;
	if (!m)
		return 0;
	return nsb_msg(ipt_voice(c), 2, NULL, "%s", m);
}

/* The lexer's place in iptables' words, and the option it read last: o
 * (enum opt), k (its letter in codes[]: 'T' --to-destination, 'U'
 * --to-source) and a, its argument ("": none) */
struct lex {
	int argc, i, neg;
	char **argv;
	const char *p;		/* the rest of a bundle of short options (-nvL) */
	char *w;		/* the word the option came from */
	int o, k;
	char *a;
};

/* The next option's letter into x->k, as iptables' getopt_long reads them:
 * short options bundled as -nvL, long ones abbreviated or as --NAME=ARG,
 * ! before an option: 0, -1 at the end, or 2 after the message */
static int letter(struct nsb *c, struct lex *x, struct ipt *r)
{
	const char *l;
	size_t len;

	for (;;) {
		if (*x->p) {
			x->k = (unsigned char)*x->p++;	/* the next letter of -nvL */
			l = strchr(codes, x->k);
			return l && SHORT_OPTS & BIT(l - codes) ? 0 : ipt_unsup(c, x->w, NULL);
		}
		if (x->i >= x->argc)
			return -1;
		x->w = x->argv[x->i++];
		if (!strcmp(x->w, "!") && !x->neg) {
			x->neg = 1;
			continue;
		}
		if (x->w[0] != '-' || !x->w[1])
			return ipt_unsup(c, x->w, NULL);
		if (x->w[1] != '-') {
			x->p = x->w + 1;
			continue;
		}
		/* unknown: iptables loads -p's match and tries again */
		len = strcspn(x->w + 2, "=");
		if (x->w[2 + len])
			x->a = x->w + 3 + len;
		x->k = longopt(x->w + 2, len, r->groups);
		if (!x->k && (x->k = longopt(x->w + 2, len, r->groups | 1u << G_PORT)))
			load(r, G_PORT);
		return x->k ? 0 : ipt_unsup(c, x->w, NULL);
	}
}

/* The next option whole (x->o, x->k, x->a), its arguments taken and its
 * place in r (seen, negated, the filter table's first word) marked: 0, -1
 * at the end, or 2 after the message */
static int lex(struct nsb *c, struct lex *x, struct ipt *r)
{
	char **v = x->argv;
	int e, o, more;

	x->a = (char *)"";
	e = letter(c, x, r);
	if (e)
		return e;
	x->o = o = (int)(strchr(codes, x->k == 'U' ? 'T' : x->k) - codes);	/* --to-source: O_TO */
	if (*x->a && !(ARG_OPTS & BIT(o)))	/* --NAME=ARG, but NAME takes none */
		return ipt_unsup(c, x->w, NULL);
	/* an argument; -L, -S, -F, -Z, -X's CHAIN and -w's SECS optional */
	more = !*x->p && x->i < x->argc;
	if (ARG_OPTS & BIT(o) && !*x->a) {
		if (more && (!(OPTARG_OPTS & BIT(o)) || (v[x->i][0] != '-' && v[x->i][0] != '!')))
			x->a = v[x->i++];
		else if (!(OPTARG_OPTS & BIT(o)))
			return nsb_usage(c, x->w, "option requires an argument");
	}
	/* -I|-D|-R CHAIN N: that rule (1: the first) */
	if (*x->a && NUM_OPTS & BIT(o) && x->i < x->argc && v[x->i][0] != '-' && v[x->i][0] != '!' &&
	    num_parse(v[x->i++], 1, 0x7fffffff, &r->at))
		return nsb_usage(c, v[x->i - 1], "invalid rule number");
	if (o == O_POLICY || o == O_TCP_FLAGS) {	/* their second argument */
		if (x->i >= x->argc)
			return nsb_usage(c, x->w, "option requires an argument");
		r->policy = v[x->i++];
	}
	if (x->neg && (o > O_STATE || !negbit[o]))
		return ipt_unsup(c, "!", x->w);
	if (o < O_SRC && r->cmd)	/* a second command */
		return nsb_usage(c, x->w, "unexpected argument");
	if (BIT(o) & r->seen & RULE_OPTS && o != O_MATCH)
		return ipt_unsup(c, x->w, "twice");
	r->seen |= BIT(o);
	if (BIT(o) & FILTER_OPTS && !r->fword)
		r->fword = x->w;
	if (x->neg)
		r->n.neg |= negbit[o];
	x->neg = 0;
	return 0;
}

/* -m NAME: the match's options loaded */
static int match(struct nsb *c, struct ipt *r, const char *w, const char *a)
{
	const struct match *m;

	for (m = matches; m < matches + NMATCHES && strcmp(a, m->name); m++)
		;
	if (m == matches + NMATCHES)
		return ipt_unsup(c, w, a);
	if (m->proto)
		r->mproto = m->proto;
	r->groups |= 1u << m->group;
	if (m->group != G_ADDR)	/* addrtype: -S prints it apart */
		load(r, m->group);
	if (m->group != G_PORT && m->group != G_ADDR && !r->fword)
		r->fword = a;	/* a match of the filter table's */
	return 0;
}

/* --dport|--sport N[:M] into lo (lo[1] the range's end) */
static int ports(struct nsb *c, const struct ipt *r, const char *w, char *a, unsigned int *lo)
{
	char *colon = strchr(a, ':');
	int pr = proto_of(r), bad;

	if (colon)
		*colon = '\0';
	if (pr != IPPROTO_TCP && pr != IPPROTO_UDP)
		return nsb_msg(ipt_voice(c), 2, NULL, "unknown option \"%s\"", w);
	bad = port(a, lo) || (colon && port(colon + 1, lo + 1));
	if (bad)
		return nsb_msg(ipt_voice(c), 2, NULL, "invalid port/service `%s' specified",
			       port(a, lo) ? a : colon + 1);
	if (colon && lo[1] < lo[0])
		return nsb_msg(ipt_voice(c), 2, NULL, "invalid portrange (min > max)");
	if (colon)
		*colon = ':';
	else
		lo[1] = lo[0];
	return 0;
}

/* -m multiport --dports|--sports PORT,...: up to 15 */
static int mports(struct nsb *c, struct nft_nat *n, int src, char *a)
{
	char *p, *e;
	unsigned long v;
	int k;

	n->mpsrc = src;
	for (p = a; p && n->nmports < 15; n->nmports++) {
		e = strchr(p, ',');
		if (e)
			*e = '\0';
		k = num_parse(p, 1, 65535, &v);
		if (e)
			*e = ',';
		if (n->proto != IPPROTO_TCP && n->proto != IPPROTO_UDP)
			return nsb_msg(ipt_voice(c), 2, NULL, "multiport needs `-p tcp', `-p udp', "
				       "`-p udplite', `-p sctp' or `-p dccp'");
		if (k)
			return nsb_usage(c, a, "invalid port");
		n->mports[n->nmports] = (uint16_t)v;
		p = e ? e + 1 : NULL;
	}
	return p ? ipt_unsup(c, a, "(over 15 ports)") : 0;
}

/* Option x->o's argument into r: 0, or 2 after the message */
/* Over 60 lines: one case per option, in codes[]'s order of their letters
 * NOLINTNEXTLINE(readability-function-size) */
static int take(struct nsb *c, struct ipt *r, const struct lex *x)
{
	struct nft_nat *n = &r->n;
	const char *w = x->w;
	char *a = x->a;
	int k, o = x->o;
	size_t len;

	switch (o) {
	case O_TABLE:
		k = nsb_word(a, "nat\0filter\0");
		if (k < 0)
			return table(c, a);
		r->filter = k;
		break;
	case O_WAIT:	/* the lock: nf_tables has none, but iptables reads
			 * SECS as scanf's %i does: a number must open it */
		len = strspn(a, " \t\n\v\f\r");
		len += a[len] == '+' || a[len] == '-';
		if (*a && (a[len] < '0' || a[len] > '9'))
			return nsb_usage(c, a, "wait seconds not numeric");
		break;
	case O_SRC:
	case O_DST:
		k = cidr(a, o == O_SRC ? &n->src : &n->dst);
		if (k)
			return k > 0 ? ipt_unsup(c, a, NULL) : nsb_usage(c, a, "invalid IPv4 address");
		break;
	case O_IN:
	case O_OUT:
		if (!ifname_valid(a))
			return nsb_usage(c, a, "invalid interface name");
		fmt_buf(o == O_IN ? n->iif : n->ifname, sizeof(n->iif), "%s", a);
		r->dir = r->dir && r->dir != x->k ? 1 : x->k;	/* 1: both */
		break;
	case O_MATCH:
		return match(c, r, w, a);
	case O_PROTO:
		k = nsb_word(a, "tcp\0udp\0icmp\0all\0" "6\0" "17\0" "1\0" "0\0");
		if (k < 0)
			return ipt_unsup(c, w, a);
		n->proto = protos[k & 3];
		break;
	case O_DPORT:
	case O_SPORT:
		return ports(c, r, w, a, o == O_DPORT ? &n->lo : &n->slo);
	case O_TCP_FLAGS:	/* as -S prints --syn */
		if (proto_of(r) == IPPROTO_TCP && (strcmp(a, "FIN,SYN,RST,ACK") || strcmp(r->policy, "SYN")))
			return ipt_unsup(c, w, a);
		/* fall through */
	case O_SYN:	/* -m tcp --syn -p tcp: as --dport */
		if (proto_of(r) != IPPROTO_TCP)
			return nsb_msg(ipt_voice(c), 2, NULL, "unknown option \"%s\"", w);
		n->syn = 1;
		break;
	case O_DPORTS:
	case O_SPORTS:
		return mports(c, n, o == O_SPORTS, a);
	case O_CTSTATE:
	case O_STATE:
		n->ctstate = ctparse(a);
		if (!n->ctstate)
			return nsb_usage(c, a, "bad state");
		break;
	case O_COMMENT:
		/* as iptables -S quotes it; quotes inside are not ours */
		if (strpbrk(a, "\"\\'") || strlen(a) > 255)
			return ipt_unsup(c, w, a);
		r->comment = a;
		break;
	case O_REJECT_WITH:
		k = nsb_word(a, rejects);
		if (k < 0)
			return ipt_unsup(c, w, a);
		n->rtype = k / 2 == REJ_TCP_RESET ? NFT_REJECT_TCP_RST : NFT_REJECT_ICMP_UNREACH;
		n->rcode = k / 2 < REJ_TCP_RESET ? rcodes[k / 2] : 0;
		break;
	case O_LOG_PREFIX:
		if (strlen(a) > 29 || strpbrk(a, "\"\\'"))
			return nsb_usage(c, a, "Maximum prefix length 29 for --log-prefix");
		n->logprefix = a;
		break;
	case O_LOG_LEVEL:
		k = nsb_word(a, "emerg\0alert\0crit\0error\0warning\0notice\0info\0debug\0"
			     "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0");
		if (k < 0)
			return nsb_usage(c, a, "invalid log level");
		n->loglevel = k & 7;	/* by name or by number */
		break;
	case O_DST_TYPE:
		if (strcmp(a, "LOCAL"))
			return ipt_unsup(c, w, a);
		r->local = 1;
		break;
	case O_JUMP:
		k = nsb_word(a, targets);
		r->target = k < 0 ? T_CHAIN : T_MASQ + k;
		n->jump = a;
		r->groups |= 1u << tgroup[r->target];
		break;
	case O_TO:
		r->tow = x->k == 'T' ? T_DNAT : T_SNAT;
		if (dnat_to_parse(a, &n->to, &n->toport) || n->to.family != AF_INET)
			return nsb_usage(c, a, "invalid IPv4 address");
		break;
	case O_NUMERIC:
	case O_VERBOSE:
	case O_EXACT:
	case O_LINE_NUMBERS:
		break;
	default:	/* the commands */
		r->cmd = x->k;
		r->cname = a;	/* "": all */
	}
	return 0;
}

/* iptables' words (the first after the program's name, or a comment's):
 * the lexer reads each option, take() what it says */
int ipt_parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	struct lex x = { argc, 0, 0, argv, "", "", 0, 0, NULL };
	int e;

	memset(r, 0, sizeof(*r));
	r->chain = -1;
	r->filter = 1;
	r->groups = 1u << G_BASE;
	r->n.loglevel = 4;
	while (!(e = lex(c, &x, r)))
		if ((e = take(c, r, &x)))
			return e;
	if (e > 0)
		return e;
	return x.neg ? nsb_usage(c, "!", "missing option") : matches_whole(c, r);
}
