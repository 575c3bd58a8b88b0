/* iptables' words and their grammar: the word tables of chains, targets,
 * ct states and --reject-with, the long options (with the abbreviations
 * iptables' getopt_long takes), and parse, which reads a command line or a
 * rule's comment into struct ipt. */
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

/* c speaking in iptables' own voice ("iptables v1.8.9 (nf_tables): ...");
 * NULL (a rule's comment read back) stays silent */
static struct nsb *ipt_voice(struct nsb *c)
{
	if (c)
		c->applet = IPT_V;
	return c;
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

/* iptables' words (the first after the program's name, or a comment's):
 * short options, bundled as -nvL, and long ones, abbreviated as getopt_long
 * takes them */
/* Over 60 lines: every option and match of iptables in one loop, in the order iptables reads
 * them
 * NOLINTNEXTLINE(readability-function-size) */
int ipt_parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	const struct match *m;
	const char *p = "";
	char *w = "";
	int i = 0, k, o, pr, neg = 0;

	memset(r, 0, sizeof(*r));
	r->chain = -1;
	r->filter = 1;
	r->groups = 1u << G_BASE;
	n->loglevel = 4;
	while (i < argc || *p) {
		char *a = (char *)"", *colon;	/* "": none */
		const char *letter;
		unsigned int *lo;
		size_t len;

		if (*p) {
			k = (unsigned char)*p++;	/* the next letter of -nvL */
			letter = strchr(codes, k);
			if (!letter || !(SHORT_OPTS & BIT(letter - codes)))
				return ipt_unsup(c, w, NULL);
		} else {
			w = argv[i++];
			if (!strcmp(w, "!") && !neg) {
				neg = 1;
				continue;
			}
			if (w[0] != '-' || !w[1])
				return ipt_unsup(c, w, NULL);
			if (w[1] != '-') {
				p = w + 1;
				continue;
			}
			/* --NAME=ARG too; unknown: iptables loads -p's match and
			 * tries again */
			len = strcspn(w + 2, "=");
			if (w[2 + len])
				a = w + 3 + len;
			k = longopt(w + 2, len, r->groups);
			if (!k && (k = longopt(w + 2, len, r->groups | 1u << G_PORT)))
				load(r, G_PORT);
			if (!k)
				return ipt_unsup(c, w, NULL);
		}
		o = strchr(codes, k == 'U' ? 'T' : k) - codes;	/* --to-source: O_TO */
		if (*a && !(ARG_OPTS & BIT(o)))	/* --NAME=ARG, but NAME takes none */
			return ipt_unsup(c, w, NULL);
		/* an argument; -L, -S, -F, -Z, -X's CHAIN and -w's SECS optional */
		if (ARG_OPTS & BIT(o) && !*a) {
			if (!*p && i < argc && (!(OPTARG_OPTS & BIT(o)) || (argv[i][0] != '-' && argv[i][0] != '!')))
				a = argv[i++];
			else if (!(OPTARG_OPTS & BIT(o)))
				return nsb_usage(c, w, "option requires an argument");
		}
		/* -I|-D|-R CHAIN N: that rule (1: the first) */
		if (*a && NUM_OPTS & BIT(o) && i < argc && argv[i][0] != '-' && argv[i][0] != '!' &&
		    num_parse(argv[i++], 1, 0x7fffffff, &r->at))
			return nsb_usage(c, argv[i - 1], "invalid rule number");
		if (o == O_POLICY || o == O_TCP_FLAGS) {	/* their second argument */
			if (i >= argc)
				return nsb_usage(c, w, "option requires an argument");
			r->policy = argv[i++];
		}
		if (neg && (o > O_STATE || !negbit[o]))
			return ipt_unsup(c, "!", w);
		if (o < O_SRC && r->cmd)	/* a second command */
			return nsb_usage(c, w, "unexpected argument");
		if (BIT(o) & r->seen & RULE_OPTS && o != O_MATCH)
			return ipt_unsup(c, w, "twice");
		r->seen |= BIT(o);
		if (BIT(o) & FILTER_OPTS && !r->fword)
			r->fword = w;
		if (neg)
			n->neg |= negbit[o];
		neg = 0;
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
		case O_NUMERIC:
		case O_VERBOSE:
		case O_EXACT:
		case O_LINE_NUMBERS:
			break;
		case O_SRC:
		case O_DST:
			k = cidr(a, o == O_SRC ? &n->src : &n->dst);
			if (k > 0)
				return ipt_unsup(c, a, NULL);
			if (k)
				return nsb_usage(c, a, "invalid IPv4 address");
			break;
		case O_IN:
		case O_OUT:
			if (!ifname_valid(a))
				return nsb_usage(c, a, "invalid interface name");
			fmt_buf(o == O_IN ? n->iif : n->ifname, sizeof(n->iif), "%s", a);
			r->dir = r->dir && r->dir != k ? 1 : k;	/* 1: both */
			break;
		case O_MATCH:
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
			break;
		case O_PROTO:
			k = nsb_word(a, "tcp\0udp\0icmp\0all\0" "6\0" "17\0" "1\0" "0\0");
			if (k < 0)
				return ipt_unsup(c, w, a);
			n->proto = protos[k & 3];
			break;
		case O_DPORT:
		case O_SPORT:
			lo = o == O_DPORT ? &n->lo : &n->slo;
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			/* -m tcp --dport 80 -p tcp: the match's protocol
			 * stands until -p comes (checked once the line is read) */
			pr = n->proto ? n->proto : r->mproto;
			if (pr != IPPROTO_TCP && pr != IPPROTO_UDP)
				return nsb_msg(ipt_voice(c), 2, NULL, "unknown option \"%s\"", w);
			if (port(a, lo) || (colon && port(colon + 1, lo + 1)))
				return nsb_msg(ipt_voice(c), 2, NULL, "invalid port/service `%s' specified",
					       port(a, lo) ? a : colon + 1);
			if (colon && lo[1] < lo[0])
				return nsb_msg(ipt_voice(c), 2, NULL, "invalid portrange (min > max)");
			if (colon)
				*colon = ':';
			if (!colon)
				lo[1] = lo[0];
			break;
		case O_TCP_FLAGS:	/* as -S prints --syn */
			if ((n->proto ? n->proto : r->mproto) == IPPROTO_TCP &&
			    (strcmp(a, "FIN,SYN,RST,ACK") || strcmp(r->policy, "SYN")))
				return ipt_unsup(c, w, a);
			/* fall through */
		case O_SYN:	/* -m tcp --syn -p tcp: as --dport */
			if ((n->proto ? n->proto : r->mproto) != IPPROTO_TCP)
				return nsb_msg(ipt_voice(c), 2, NULL, "unknown option \"%s\"", w);
			n->syn = 1;
			break;
		case O_DPORTS:
		case O_SPORTS:	/* PORT,PORT...: up to 15 */
			n->mpsrc = o == O_SPORTS;
			for (colon = a; colon && n->nmports < 15; n->nmports++) {
				unsigned long v;
				char *e = strchr(colon, ',');

				if (e)
					*e = '\0';
				k = num_parse(colon, 1, 65535, &v);
				if (e)
					*e = ',';
				if (n->proto != IPPROTO_TCP && n->proto != IPPROTO_UDP) {
					return nsb_msg(ipt_voice(c), 2, NULL, "multiport needs `-p tcp', `-p udp', "
						       "`-p udplite', `-p sctp' or `-p dccp'");
				}
				if (k)
					return nsb_usage(c, a, "invalid port");
				n->mports[n->nmports] = v;
				colon = e ? e + 1 : NULL;
			}
			if (colon)
				return ipt_unsup(c, a, "(over 15 ports)");
			break;
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
		case O_TO:	/* k: 'T' --to-destination, 'U' --to-source */
			r->tow = k == 'T' ? T_DNAT : T_SNAT;
			if (dnat_to_parse(a, &n->to, &n->toport) || n->to.family != AF_INET)
				return nsb_usage(c, a, "invalid IPv4 address");
			break;
		default:	/* the commands */
			r->cmd = k;
			r->cname = a;	/* "": all */
		}
	}
	return neg ? nsb_usage(c, "!", "missing option") : matches_whole(c, r);
}

