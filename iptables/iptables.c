/* iptables [-w [SECS]] [-t nat|filter] -A|-I [N]|-R N|-D|-C CHAIN RULE |
 *          -D CHAIN N | -L [CHAIN] [-n] [-v] [-x] [--line-numbers] |
 *          -S [CHAIN] | -F [CHAIN] | -Z [CHAIN] | -P CHAIN ACCEPT|DROP |
 *          -N CHAIN | -X [CHAIN]
 * nsbox called as iptables, for the NAT table (MASQUERADE and SNAT on
 * POSTROUTING, DNAT on PREROUTING and OUTPUT, matching -s -d -i -o -p -m
 * --dport, each but -m negatable with !, and, for DNAT, -m addrtype
 * --dst-type LOCAL: natdnat's any local address) and the filter table (the
 * default: INPUT, FORWARD, OUTPUT with their policies and user chains;
 * --sport, --syn, -m conntrack --ctstate, -m state --state, -m comment;
 * ACCEPT, DROP, RETURN, REJECT, LOG, -j CHAIN), kept in nsbox's own table
 * (table ip nsbox).  Long options, and their abbreviations as iptables'
 * getopt_long takes them.  A rule natmasq can say is stored as natmasq's
 * (so natmasq lists and deletes it); any other carries iptables' own -A
 * line as its comment, which natmasq and natdnat list too.  -S and -L
 * print every rule of that table in iptables' shapes; -D and -C find a
 * rule by the line -S prints for it.  Other tables, targets and matches
 * exit 2, one line, with nothing changed. */
/* Over 500 lines: iptables' grammar and both tables' commands and printers;
 * splitting it into a lexer, per-option tables and printers is the next step
 * of issue 25. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include "cli.h"

/* iptables' order; INPUT is shown empty and refused */
static const char cnames[] = "PREROUTING\0INPUT\0OUTPUT\0POSTROUTING\0";
static const signed char cnft[] = { NFT_PRE, -1, NFT_OUT, NFT_POST };
enum { C_PRE, C_IN, C_OUT, C_POST };
/* the filter table's built-in chains; their hooks are NF_INET_LOCAL_IN + i */
static const char fnames[] = "INPUT\0FORWARD\0OUTPUT\0";
/* -j's words, and their codes in struct ipt (c: a chain of the user's) */
static const char targets[] = "MASQUERADE\0SNAT\0DNAT\0ACCEPT\0DROP\0RETURN\0REJECT\0LOG\0";
#define TCODES "MSDadrjl"
/* ct states as iptables prints them, and their bits */
static const char states[] = "INVALID\0NEW\0RELATED\0ESTABLISHED\0UNTRACKED\0";
static const unsigned char sbits[] = { 1, 8, 4, 2, 64 };
/* --reject-with's words, two for each (the name -S prints first) */
static const char rejects[] = "icmp-net-unreachable\0net-unreach\0icmp-host-unreachable\0host-unreach\0"
	"icmp-proto-unreachable\0proto-unreach\0icmp-port-unreachable\0port-unreach\0"
	"icmp-net-prohibited\0net-prohib\0icmp-host-prohibited\0host-prohib\0"
	"icmp-admin-prohibited\0admin-prohib\0tcp-reset\0tcp-rst\0";
static const unsigned char rcodes[] = { 0, 1, 2, 3, 9, 10, 13 };
#define IPT_V "iptables v1.8.9 (nf_tables)"
/* negation bits: NFT_NEG_* and the interface's */
#define N_IF 16

static const char *nth(const char *w, int k)
{
	while (k--)
		w += strlen(w) + 1;
	return w;
}

/* A command line, or the -A line a rule carries as its comment */
struct ipt {
	int chain, target, tow, dir;	/* target: TCODES'; tow: --to-*'s; dir: -i|-o */
	int local;			/* -m addrtype --dst-type LOCAL */
	int cmd;
	int filter;			/* the filter table (no -t says it) */
	unsigned long long seen;	/* options given (bits of codes[]) */
	unsigned int groups;		/* 1 << G_*: loaded */
	unsigned long at;		/* the rule number of -I, -D, -R */
	const char *cname, *policy;	/* CHAIN; -P's word */
	const char *fword;		/* the first option of the filter table's */
	const char *comment;		/* -m comment's */
	int mproto;			/* -m tcp's or -m udp's protocol */
	char order[8];			/* the matches as loaded: p (-p's), c, e, K, M */
	struct nft_nat n;		/* the matches and the target */
};

static int unsup(struct nsb *c, const char *what, const char *arg)
{
	return nsb_msg(c, 2, NULL, "%s%s%s: not supported by nsbox (nat table: MASQUERADE, SNAT, "
		       "DNAT; filter table: ACCEPT, DROP, RETURN, REJECT, LOG, user chains)",
		       what, arg ? " " : "", arg ? arg : "");
}

/* A match loaded (once), in the order -S prints them */
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

/* iptables' long options, for the abbreviations its getopt_long takes:
 * each is its code (its short letter, if any), the G_* it belongs to (a
 * match's or a target's options count once it is loaded, as in iptables)
 * and its name */
enum { G_BASE = 1, G_PORT, G_DNAT, G_SNAT, G_CT, G_STATE, G_COMMENT, G_ADDR, G_REJECT, G_LOG,
       G_MPORT };
static const char longs[] =
	"A\1append\0D\1delete\0C\1check\0I\1insert\0L\1list\0S\1list-rules\0F\1flush\0"
	"P\1policy\0N\1new-chain\0X\1delete-chain\0R\1replace\0Z\1zero\0"
	"s\1source\0s\1src\0d\1destination\0d\1dst\0p\1protocol\0i\1in-interface\0"
	"o\1out-interface\0j\1jump\0t\1table\0m\1match\0n\1numeric\0v\1verbose\0w\1wait\0"
	"x\1exact\0" "0\1line-numbers\0q\2destination-port\0q\2dport\0g\2source-port\0"
	"g\2sport\0y\2syn\0f\2tcp-flags\0Y\10dst-type\0T\3to-destination\0U\4to-source\0"
	"c\5ctstate\0e\6state\0K\7comment\0r\11reject-with\0l\12log-prefix\0V\12log-level\0"
	"M\13dports\0M\13destination-ports\0W\13sports\0W\13source-ports\0";
/* the bits of r->seen; the commands first, then the options one rule has
 * once (the filter table's from g), then the others */
static const char codes[] = "ADCILSFPNXRZsdiopjqYTgyfceKrlVMWmtwnvx0";
#define RULE_OPTS 0x1fffff000ull
#define FILTER_OPTS 0xffe00000ull
enum { B_T = 33, B_V = 36, B_X = 37, B_LNUM = 38 };
#define HAS(r, b) ((r)->seen >> (b) & 1)
/* what takes an argument (LSFwZX optionally); what may be negated, and
 * its NFT_NEG_* */
#define ARGFUL "ADCIPNXRZtsdiopmjqYTUgfceKrlVMWLSFw"
static const char negc[] = "sdiopqgyfce";
static const unsigned short negbit[] = {
	NFT_NEG_SRC, NFT_NEG_DST, NFT_NEG_IIF, N_IF, NFT_NEG_PROTO, NFT_NEG_DPORT,
	NFT_NEG_SPORT, NFT_NEG_SYN, NFT_NEG_SYN, NFT_NEG_CT, NFT_NEG_CT
};

/* The code of --s (s without the dashes, len long) among the options of
 * groups g: the one named so, else the one all names s begins share; 0:
 * none */
static int longopt(const char *s, size_t len, unsigned int g)
{
	const char *e;
	int k = 0;

	for (e = longs; *e && len; e += strlen(e + 2) + 3) {
		if (!(g >> e[1] & 1) || strncmp(e + 2, s, len))
			continue;
		if (!e[2 + len])
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
	char opts[3];		/* one of these codes */
	const char *msg;
} needs[] = {
	{ G_CT, "c", "conntrack: At least one option is required" },
	{ G_STATE, "e", "state: option \"--state\" must be specified" },
	{ G_COMMENT, "K", "comment: option \"--comment\" must be specified" },
	{ G_MPORT, "MW", "multiport expection an option" },
	{ G_ADDR, "Y", "addrtype: you must specify --src-type or --dst-type" },
};

/* the bits of r->seen that the options of codes k stand for */
static unsigned long long seen_bits(const char *k)
{
	unsigned long long b = 0;

	for (; *k; k++)
		b |= 1ull << (strchr(codes, *k) - codes);
	return b;
}

/* r's matches, whole once the line is read: 0, else 2 after the message */
static int matches_whole(struct nsb *c, const struct ipt *r)
{
	const char *m = NULL;
	size_t i;

	/* with a port option (of -m tcp|udp's); without, the kernel refuses
	 * it (iptables_main) */
	if (r->mproto && r->n.proto != r->mproto && r->seen & seen_bits("qgyf"))
		m = r->mproto == IPPROTO_TCP ? "TCP match requires '-p tcp'" : "UDP match requires '-p udp'";
	for (i = 0; !m && i < sizeof(needs) / sizeof(needs[0]); i++)
		if (r->groups >> needs[i].group & 1 && !(r->seen & seen_bits(needs[i].opts)))
			m = needs[i].msg;
	if (!m)
		return 0;
	if (c)
		c->applet = IPT_V;
	return nsb_msg(c, 2, NULL, "%s", m);
}

/* iptables' words (the first after the program's name, or a comment's):
 * short options, bundled as -nvL, and long ones, abbreviated as getopt_long
 * takes them */
/* Over 60 lines: every option and match of iptables in one loop, in the order iptables reads
 * them
 * NOLINTNEXTLINE(readability-function-size) */
static int parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	const char *p = "";
	char *w = "";
	int i = 0, k, neg = 0;

	memset(r, 0, sizeof(*r));
	r->chain = -1;
	r->filter = 1;
	r->groups = 1u << G_BASE;
	n->loglevel = 4;
	while (i < argc || *p) {
		char *a = (char *)"", *colon;	/* "": none */
		unsigned long long bit;
		unsigned int *lo;
		size_t len;

		if (*p) {
			k = (unsigned char)*p++;	/* the next letter of -nvL */
			if (!strchr("ADCILSFPNXRZtwnvxsdiopmj", k))
				return unsup(c, w, NULL);
		} else {
			w = argv[i++];
			if (!strcmp(w, "!") && !neg) {
				neg = 1;
				continue;
			}
			if (w[0] != '-' || !w[1])
				return unsup(c, w, NULL);
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
				load(r, 'p');
			if (!k || (*a && !strchr(ARGFUL, k)))
				return unsup(c, w, NULL);
		}
		/* an argument; -L, -S, -F, -Z, -X's CHAIN and -w's SECS optional */
		if (strchr(ARGFUL, k) && !*a) {
			if (!*p && i < argc && (!strchr("LSFwZX", k) || (argv[i][0] != '-' && argv[i][0] != '!')))
				a = argv[i++];
			else if (!strchr("LSFwZX", k))
				return nsb_usage(c, w, "option requires an argument");
		}
		/* -I|-D|-R CHAIN N: that rule (1: the first) */
		if (*a && strchr("IDR", k) && i < argc && argv[i][0] != '-' && argv[i][0] != '!' &&
		    num_parse(argv[i++], 1, 0x7fffffff, &r->at))
			return nsb_usage(c, argv[i - 1], "invalid rule number");
		if (k == 'P' || k == 'f') {	/* their second argument */
			if (i >= argc)
				return nsb_usage(c, w, "option requires an argument");
			r->policy = argv[i++];
		}
		if (neg && !strchr(negc, k))
			return unsup(c, "!", w);
		bit = 1ull << (strchr(codes, k == 'U' ? 'T' : k) - codes);
		if (bit < 1u << 12 && r->cmd)
			return nsb_usage(c, w, "unexpected argument");
		if (bit & r->seen & RULE_OPTS && k != 'm')
			return unsup(c, w, "twice");
		r->seen |= bit;
		if (bit & FILTER_OPTS && !r->fword)
			r->fword = w;
		if (neg)
			n->neg |= negbit[strchr(negc, k) - negc];
		neg = 0;
		switch (k) {
		case 't':
			k = nsb_word(a, "nat\0filter\0");
			if (k < 0)
				return table(c, a);
			r->filter = k;
			break;
		case 'w':	/* the lock: nf_tables has none, but iptables reads
				 * SECS as scanf's %i does: a number must open it */
			len = strspn(a, " \t\n\v\f\r");
			len += a[len] == '+' || a[len] == '-';
			if (*a && (a[len] < '0' || a[len] > '9'))
				return nsb_usage(c, a, "wait seconds not numeric");
			break;
		case 'n':
		case 'v':
		case 'x':
		case '0':
			break;
		case 's':
		case 'd':
			k = cidr(a, k == 's' ? &n->src : &n->dst);
			if (k > 0)
				return unsup(c, a, NULL);
			if (k)
				return nsb_usage(c, a, "invalid IPv4 address");
			break;
		case 'i':
		case 'o':
			if (!ifname_valid(a))
				return nsb_usage(c, a, "invalid interface name");
			fmt_buf(k == 'i' ? n->iif : n->ifname, sizeof(n->iif), "%s", a);
			r->dir = r->dir && r->dir != k ? 1 : k;	/* 1: both */
			break;
		case 'm':
			k = nsb_word(a, "tcp\0udp\0conntrack\0state\0comment\0multiport\0addrtype\0");
			if (k < 0)
				return unsup(c, w, a);
			if (k < 2)
				r->mproto = k ? IPPROTO_UDP : IPPROTO_TCP;
			r->groups |= 1u << "\2\2\5\6\7\13\10"[k];
			if (k < 6)
				load(r, "ppceKM"[k]);
			if (k > 1 && k < 6 && !r->fword)
				r->fword = a;
			break;
		case 'p':
			k = nsb_word(a, "tcp\0udp\0icmp\0all\0" "6\0" "17\0" "1\0" "0\0");
			if (k < 0)
				return unsup(c, w, a);
			n->proto = (unsigned char)"\6\21\1"[k & 3];
			break;
		case 'q':
		case 'g':
			lo = k == 'q' ? &n->lo : &n->slo;
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			k = (n->proto != IPPROTO_TCP && n->proto != IPPROTO_UDP) || port(a, lo) ||
			    (colon && port(colon + 1, lo + 1)) || (colon && lo[1] < lo[0]);
			if (colon)
				*colon = ':';
			if (k)
				return nsb_usage(c, a, n->proto ? "invalid port" : "needs -p tcp|udp");
			if (!colon)
				lo[1] = lo[0];
			break;
		case 'f':	/* as -S prints --syn */
			if (strcmp(a, "FIN,SYN,RST,ACK") || strcmp(r->policy, "SYN"))
				return unsup(c, w, a);
			/* fall through */
		case 'y':
			if (n->proto != IPPROTO_TCP)
				return nsb_usage(c, w, "needs -p tcp");
			n->syn = 1;
			break;
		case 'M':
		case 'W':	/* PORT,PORT...: up to 15 */
			n->mpsrc = k == 'W';
			for (colon = a; colon && n->nmports < 15; n->nmports++) {
				unsigned long v;
				char *e = strchr(colon, ',');

				if (e)
					*e = '\0';
				k = num_parse(colon, 1, 65535, &v);
				if (e)
					*e = ',';
				if (n->proto != IPPROTO_TCP && n->proto != IPPROTO_UDP) {
					if (c)
						c->applet = IPT_V;
					return nsb_msg(c, 2, NULL, "multiport needs `-p tcp', `-p udp', "
						       "`-p udplite', `-p sctp' or `-p dccp'");
				}
				if (k)
					return nsb_usage(c, a, "invalid port");
				n->mports[n->nmports] = v;
				colon = e ? e + 1 : NULL;
			}
			if (colon)
				return unsup(c, a, "(over 15 ports)");
			break;
		case 'c':
		case 'e':
			n->ctstate = ctparse(a);
			if (!n->ctstate)
				return nsb_usage(c, a, "bad state");
			break;
		case 'K':
			/* as iptables -S quotes it; quotes inside are not ours */
			if (strpbrk(a, "\"\\'") || strlen(a) > 255)
				return unsup(c, w, a);
			r->comment = a;
			break;
		case 'r':
			k = nsb_word(a, rejects);
			if (k < 0)
				return unsup(c, w, a);
			n->rtype = k / 2 == 7 ? NFT_REJECT_TCP_RST : NFT_REJECT_ICMP_UNREACH;
			n->rcode = k / 2 < 7 ? rcodes[k / 2] : 0;
			break;
		case 'l':
			if (strlen(a) > 29 || strpbrk(a, "\"\\'"))
				return nsb_usage(c, a, "Maximum prefix length 29 for --log-prefix");
			n->logprefix = a;
			break;
		case 'V':
			k = nsb_word(a, "emerg\0alert\0crit\0error\0warning\0notice\0info\0debug\0"
				     "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0");
			if (k < 0)
				return nsb_usage(c, a, "invalid log level");
			n->loglevel = k & 7;
			break;
		case 'Y':
			if (strcmp(a, "LOCAL"))
				return unsup(c, w, a);
			r->local = 1;
			break;
		case 'j':
			k = nsb_word(a, targets);
			r->target = k < 0 ? 'c' : TCODES[k];
			n->jump = a;
			k = strchr("DSjl", r->target) ? "\3\4\11\12"[strchr("DSjl", r->target) - "DSjl"] : 0;
			r->groups |= k ? 1u << k : 0;
			break;
		case 'T':
		case 'U':
			r->tow = k == 'T' ? 'd' : 's';
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

/* what nf_tables cannot say as one match, or iptables refuses */
static int negs(struct nsb *c, const struct nft_nat *n)
{
	if ((n->neg & NFT_NEG_PROTO && (n->lo || n->slo || n->syn)) ||
	    (n->neg & NFT_NEG_SRC && !n->src.plen) || (n->neg & NFT_NEG_DST && !n->dst.plen))
		return unsup(c, "!", "with these matches");
	return 0;
}

/* r as far as iptables and nsbox take it, made nsbox's rule: 0, or 2
 * after the message */
static int check(struct nsb *c, struct ipt *r)
{
	struct nft_nat *n = &r->n;

	if (r->fword)
		return unsup(c, r->fword, "in the nat table");
	if (!r->target)
		return nsb_usage(c, "-j", "missing option");
	if (!strchr("MSD", r->target))
		return unsup(c, "-j", n->jump);
	if (n->proto == IPPROTO_ICMP)
		return unsup(c, "-p", "icmp");
	if (r->target == 'D' ? r->chain == C_POST : r->chain != C_POST)
		return unsup(c, nth(cnames, r->chain), r->target == 'D' ? "-j DNAT" : "-j MASQUERADE|SNAT");
	if (r->dir && r->dir != (r->chain == C_PRE ? 'i' : 'o'))
		return nsb_usage(c, r->dir == 'i' || (r->dir == 1 && r->chain != C_PRE) ? "-i" : "-o",
				 "not in this chain");
	if (negs(c, n))
		return 2;
	if (r->target == 'M' ? r->tow != 0 : r->tow != "sd"[r->target == 'D'])
		return nsb_usage(c, r->target == 'S' ? "--to-source" : r->target == 'D' ?
				 "--to-destination" : "--to-*", r->target == 'M' ? "not with MASQUERADE"
				 : "missing option");
	if (n->toport && !n->proto)
		return nsb_usage(c, "PORT", "needs -p tcp|udp");
	/* natdnat's any local address, as iptables says it */
	if (r->groups >> G_ADDR & 1 && (!r->local || r->target != 'D' || n->dst.plen))
		return nsb_usage(c, "-m addrtype", "--dst-type LOCAL with DNAT only");
	/* as natdnat: DNAT to loopback needs route_localnet (CVE-2020-8558) */
	if (n->to.addr[0] == 127)
		return unsup(c, "127.0.0.0/8", NULL);
	n->src.family = AF_INET;	/* the family of a masquerade's rule */
	n->masq = r->target != 'D';
	n->snat = r->target == 'S';
	n->has_dst = n->dst.plen != 0;
	n->anydst = !r->local;
	n->ifneg = !!(n->neg & N_IF);
	n->neg &= ~N_IF;
	n->jump = NULL;
	return 0;
}

/* The same for the filter table's rule r */
static int fcheck(struct nsb *c, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	int t = r->target, fc = nsb_word(r->cname, fnames);

	if (r->seen & 0x180000ull || r->local)	/* Y T: nat's */
		return unsup(c, r->local ? "-m addrtype" : "--to-*", "in the filter table");
	if (strchr("MSD", t) && t)
		return unsup(c, "-j", n->jump);
	if ((fc == 2 && n->iif[0]) || (!fc && n->ifname[0])) {
		if (c)
			c->applet = IPT_V;
		return nsb_msg(c, 2, NULL, "Can't use %s with %s", fc ? "-i" : "-o", r->cname);
	}
	if (negs(c, n))
		return 2;
	if (n->rtype == NFT_REJECT_TCP_RST && (n->proto != IPPROTO_TCP || n->neg & NFT_NEG_PROTO))
		return unsup(c, "tcp-reset", "without -p tcp");
	n->src.family = AF_INET;
	n->chain = r->cname;
	n->ifneg = !!(n->neg & N_IF);
	n->log = t == 'l';
	n->verdict = t == 'a' ? NFT_V_ACCEPT : t == 'd' ? NFT_V_DROP : t == 'r' ? NFT_V_RETURN :
		     t == 'c' ? NFT_V_JUMP : t == 'j' ? NFT_V_REJECT : 0;
	if (t == 'j' && !HAS(r, 27))
		n->rcode = 3;	/* icmp-port-unreachable */
	if (t != 'c')
		n->jump = NULL;
	return 0;
}

static const char *bang(const struct nft_nat *n, unsigned int bit)
{
	return (bit == N_IF ? (unsigned int)n->ifneg : n->neg & bit) ? " !" : "";
}

/* a string as iptables -S prints it: quoted unless it is a plain word */
static const char *quote(const char *s)
{
	return *s && !s[strspn(s, "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")]
	       ? "%s" : "\"%s\"";
}

/* ct state bits as iptables lists them */
static void stnames(char *b, size_t len, unsigned int bits)
{
	int i, o = 0;

	*b = '\0';
	for (i = 0; i < 5; i++)
		if (bits & sbits[i])
			o += fmt_buf(b + o, len - o, "%s%s", o ? "," : "", nth(states, i));
}

/* "tcp", "udp", "icmp" */
static const char *pname(int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "icmp";
}

/* port match x ('s' or 'd'): -S's "[ !] --xport LO[:HI]" (l 0) or -L's
 * " xpt[s]:[!]LO[:HI]" */
static int ports(char *b, size_t len, int l, int x, const char *ng, const unsigned int *lo)
{
	int o = l ? fmt_buf(b, len, " %cpt%s:%s%u", x, lo[0] != lo[1] ? "s" : "", ng, lo[0]) :
		    fmt_buf(b, len, "%s --%cport %u", ng, x, lo[0]);

	return o + (lo[0] != lo[1] ? fmt_buf(b + o, len - o, ":%u", lo[1]) : 0);
}

/* -S's words (nl 0) or -L's (1) for r's matches, in the order they were
 * loaded, and its target's options */
static int extras(const struct ipt *r, char *b, size_t len, int l)
{
	const struct nft_nat *n = &r->n;
	const char *m, *ng, *opt;
	char st[64];
	int i, o = 0;

	for (m = r->filter ? r->order : "p"; *m; m++) {
		if (*m == 'p' && (r->filter || n->lo)) {
			o += fmt_buf(b + o, len - o, l ? " %s" : " -m %s", pname(n->proto));
			if (n->slo)
				o += ports(b + o, len - o, l, 's',
					   n->neg & NFT_NEG_SPORT ? (l ? "!" : " !") : "", &n->slo);
			if (n->lo)
				o += ports(b + o, len - o, l, 'd',
					   n->neg & NFT_NEG_DPORT ? (l ? "!" : " !") : "", &n->lo);
			if (n->syn)
				o += fmt_buf(b + o, len - o, l ? " flags:%s0x17/0x02" :
					      "%s --tcp-flags FIN,SYN,RST,ACK SYN",
					      n->neg & NFT_NEG_SYN ? (l ? "!" : " !") : "");
		} else if (*m == 'c' || *m == 'e') {
			ng = n->neg & NFT_NEG_CT ? " !" : "";
			opt = *m == 'c' ? "ctstate" : "state";
			stnames(st, sizeof(st), n->ctstate);
			if (l)
				o += fmt_buf(b + o, len - o, "%s %s %s", ng, opt, st);
			else
				o += fmt_buf(b + o, len - o, " -m %s%s --%s %s",
					      *m == 'c' ? "conntrack" : "state", ng, opt, st);
		} else if (*m == 'M') {
			o += fmt_buf(b + o, len - o, l ? " multiport %sports " : " -m multiport --%sports ",
				      n->mpsrc ? "s" : "d");
			for (i = 0; i < n->nmports; i++)
				o += fmt_buf(b + o, len - o, "%s%u", i ? "," : "", n->mports[i]);
		} else if (*m == 'K') {
			o += fmt_buf(b + o, len - o, l ? " /* %s */" : " -m comment --comment %.0s",
				      r->comment);
			if (!l)
				o += fmt_buf(b + o, len - o, quote(r->comment), r->comment);
		}
	}
	return o;
}
/* the index of r's --reject-with in rejects (halved) */
static int rejidx(const struct nft_nat *n)
{
	int i = 0;

	if (n->rtype == NFT_REJECT_TCP_RST)
		return 7;
	while (i < 6 && rcodes[i] != n->rcode)
		i++;
	return i;
}

/* -j's word */
static const char *tname(const struct ipt *r)
{
	return r->target == 'c' ? r->n.jump : r->target ? nth(targets, strchr(TCODES, r->target) - TCODES) : "";
}

/* iptables -S's line for r; its length */
static int line(const struct ipt *r, char *buf, size_t len)
{
	const struct nft_nat *n = &r->n;
	char a[20];
	int t = r->target, o = fmt_buf(buf, len, "-A %s", r->filter ? r->cname : nth(cnames, r->chain));

	if (n->src.plen)
		o += fmt_buf(buf + o, len - o, "%s -s %s/%d", bang(n, NFT_NEG_SRC),
			      addr_ntop(AF_INET, n->src.addr, a, sizeof(a)), n->src.plen);
	if (n->dst.plen)
		o += fmt_buf(buf + o, len - o, "%s -d %s/%d", bang(n, NFT_NEG_DST),
			      addr_ntop(AF_INET, n->dst.addr, a, sizeof(a)), n->dst.plen);
	if (n->iif[0])
		o += fmt_buf(buf + o, len - o, "%s -i %s", bang(n, NFT_NEG_IIF), n->iif);
	if (n->ifname[0])
		o += fmt_buf(buf + o, len - o, "%s -o %s", bang(n, N_IF), n->ifname);
	if (n->proto)
		o += fmt_buf(buf + o, len - o, "%s -p %s", bang(n, NFT_NEG_PROTO), pname(n->proto));
	if (r->local)
		o += fmt_buf(buf + o, len - o, " -m addrtype --dst-type LOCAL");
	o += extras(r, buf + o, len - o, 0);
	if (t)
		o += fmt_buf(buf + o, len - o, " -j %s", tname(r));
	if (t == 'S' || t == 'D')
		o += fmt_buf(buf + o, len - o, " --to-%s %s", t == 'S' ? "source" : "destination",
			      addr_ntop(AF_INET, n->to.addr, a, sizeof(a)));
	if (n->toport)
		o += fmt_buf(buf + o, len - o, ":%u", n->toport);
	if (t == 'j')
		o += fmt_buf(buf + o, len - o, " --reject-with %s", nth(rejects, 2 * rejidx(n)));
	if (n->logprefix) {
		o += fmt_buf(buf + o, len - o, " --log-prefix ");
		o += fmt_buf(buf + o, len - o, quote(n->logprefix), n->logprefix);
	}
	if (t == 'l' && n->loglevel != 4)
		o += fmt_buf(buf + o, len - o, " --log-level %d", n->loglevel);
	return o;
}

/* A rule of our table, from its comment: iptables' own line, or the
 * natmasq / natdnat command that made it, read without a word said (the
 * parsers' context is NULL).  0, or -1: not one we show. */
static int from_comment(const struct nft_rule *v, struct ipt *r, char *buf, char **w)
{
	struct nat_args a;
	int n, k, ch;

	for (ch = 0; ch < 4 && cnft[ch] != v->chain; ch++)
		;
	memcpy(buf, v->comment, NFT_COMMENT_MAX);
	n = nsb_split(buf, w, 48);
	if (n >= 2 && (!strcmp(w[0], "natmasq") || !strcmp(w[0], "natdnat"))) {
		memset(r, 0, sizeof(*r));
		k = w[0][3] == 'm' ? natmasq_parse(NULL, n, w, &a) : natdnat_parse(NULL, n, w, &a);
		r->n = a.n;
		r->target = a.n.masq ? 'M' : 'D';
		r->dir = a.n.masq ? 'o' : 'i';
		r->local = !a.n.masq && !a.n.has_dst;	/* natdnat's any local address */
		if (!a.n.masq) {	/* natdnat's -i */
			memcpy(r->n.iif, a.n.ifname, sizeof(r->n.iif));
			r->n.ifname[0] = '\0';
		}
	} else {
		k = n < 3 || parse(NULL, n, w, r) || r->cmd != 'A';
	}
	r->filter = 0;
	r->chain = ch;
	k = k || (w[0][0] == '-' && check(NULL, r));
	return k ? -1 : 0;
}

/* iptables -L's address column: a /32 is a bare address */
static void col(char *t, size_t len, const struct nsb_prefix *p)
{
	char b[16];

	fmt_buf(t, len, p->plen == 32 ? "%s" : "%s/%d", addr_ntop(AF_INET, p->addr, b, sizeof(b)),
		 p->plen);
}

/* a counter as iptables -L -v prints it: 5 digits, else K, M, G, T; with
 * -x, every digit */
static void num(unsigned long long v, int exact)
{
	int k = 0;

	while (!exact && v > (k ? 9999 : 99999) && k < 4) {
		v = (v + 500) / 1000;
		k++;
	}
	if (k)
		fmt_out("%4llu%c ", v, " KMGT"[k]);
	else
		fmt_out(exact ? "%8llu " : "%5llu ", v);
}

/* an interface column of -L -v */
static const char *ifcol(char *b, const char *name, int neg)
{
	fmt_buf(b, 20, "%s%s", neg ? "!" : "", *name ? name : "*");
	return b;
}

/* -L's line of r, the chain's rule number nr; v its rule (the counters of -v) */
static void row(const struct ipt *r, const struct nft_rule *v, const struct ipt *q,
		unsigned long nr)
{
	const struct nft_nat *n = &r->n;
	char s[24], d[24], x[200], b[20], b2[20];
	int o, t = r->target;

	col(s, sizeof(s), &n->src);
	col(d, sizeof(d), &n->dst);
	o = fmt_buf(x, sizeof(x), "%s", r->local ? " ADDRTYPE match dst-type LOCAL" : "");
	o += extras(r, x + o, sizeof(x) - o, 1);
	if (t == 'S' || t == 'D') {
		o += fmt_buf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, n->to.addr, b, sizeof(b)));
		if (n->toport)
			o += fmt_buf(x + o, sizeof(x) - o, ":%u", n->toport);
	}
	if (t == 'j')
		o += fmt_buf(x + o, sizeof(x) - o, " reject-with %s", nth(rejects, 2 * rejidx(n)));
	if (t == 'l')
		o += fmt_buf(x + o, sizeof(x) - o, " LOG flags 0 level %d", n->loglevel);
	if (n->logprefix)
		fmt_buf(x + o, sizeof(x) - o, " prefix \"%s\"", n->logprefix);
	if (HAS(q, B_LNUM))
		fmt_out("%-4lu ", nr);
	if (HAS(q, B_V)) {
		num(v->packets, HAS(q, B_X));
		num(v->bytes, HAS(q, B_X));
	}
	fmt_out("%-9s %c%-5d-- ", tname(r), n->neg & NFT_NEG_PROTO ? '!' : ' ', n->proto);
	if (HAS(q, B_V))
		fmt_out(" %-6s %-6s ", ifcol(b, n->iif, n->neg & NFT_NEG_IIF),
		       ifcol(b2, n->ifname, n->ifneg));
	fmt_out("%c%-20s%c%-20s%s\n", n->neg & NFT_NEG_SRC ? '!' : ' ', s,
	       n->neg & NFT_NEG_DST ? '!' : ' ', d, x);
}

/* Whether iptables shows v (a rule of table ip from iptables, natmasq or
 * natdnat), in chain k (-1: any of ours); r is it.  -I's numbers, -C and
 * -F go by the same rules -S and -L show (a CNI plugin's stay out). */
static int shown(const struct nft_rule *v, int k, struct ipt *r)
{
	char buf[NFT_COMMENT_MAX], *w[48];

	return v->family == AF_INET && v->chain >= 0 && (k < 0 || v->chain == cnft[k]) &&
	       !from_comment(v, r, buf, w);
}

/* -S or -L as q says: its chain (-1: all) */
static int list(struct nsb *c, struct mnl_socket *nl, const struct ipt *q)
{
	struct nft_rule *v;
	int n = nft_rules(c, nl, &v), k, i, chain = q->chain;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	for (k = 0; k < 4 && q->cmd == 'S'; k++)
		if (chain < 0 || chain == k)
			fmt_out("-P %s ACCEPT\n", nth(cnames, k));
	for (k = 0; k < 4; k++) {
		unsigned long nr = 0;

		if (chain >= 0 && chain != k)
			continue;
		if (q->cmd == 'L')
			fmt_out("%sChain %s (policy ACCEPT%s)\n%s%starget     prot opt %ssource               destination         \n",
			       k && chain < 0 ? "\n" : "", nth(cnames, k),
			       HAS(q, B_V) ? " 0 packets, 0 bytes" : "", HAS(q, B_LNUM) ? "num  " : "",
			       !HAS(q, B_V) ? "" : HAS(q, B_X) ? "    pkts      bytes " : " pkts bytes ",
			       HAS(q, B_V) ? "in     out     " : "");
		for (i = 0; i < n; i++) {
			char out[200];
			struct ipt r;

			if (!shown(&v[i], k, &r))
				continue;
			nr++;
			if (q->cmd == 'S') {
				line(&r, out, sizeof(out));
				puts(out);
			} else {
				row(&r, &v[i], q, nr);
			}
		}
	}
	free(v);
	return 0;
}

/* A comment "-A CHAIN RULE" as natmasq and natdnat list it (nat_parse_fn) */
int iptables_rule(struct nsb *c, int argc, char **argv, struct nat_args *a)
{
	struct ipt r;

	memset(a, 0, sizeof(*a));
	if (parse(c, argc, argv, &r) || r.cmd != 'A' || (r.chain = nsb_word(r.cname, cnames)) < 0 ||
	    check(c, &r))
		return 2;
	a->n = r.n;
	if (r.n.iif[0]) {	/* natdnat lists -i as its own */
		memcpy(a->n.ifname, r.n.iif, sizeof(r.n.iif));
		a->n.ifneg = !!(r.n.neg & NFT_NEG_IIF);
	}
	return 0;
}

static int bad(struct nsb *c)
{
	return nsb_msg(c, 1, NULL, "Bad rule (does a matching rule exist in that chain?).");
}

/* The index in v (k rules) of the rule of chain that -I/-D/-C mean: the
 * at-th iptables shows (at > 0), else the one -S prints as s; -1: none.
 * *nr: how many the chain shows. */
static int find(const struct nft_rule *v, int k, int chain, unsigned long at, const char *s,
		unsigned long *nr)
{
	char b[200];
	struct ipt t;
	int i, hit = -1;

	for (i = 0, *nr = 0; i < k; i++) {
		if (!shown(&v[i], chain, &t))
			continue;
		++*nr;
		if (hit < 0 && (at ? *nr == at : (line(&t, b, sizeof(b)), !strcmp(b, s))))
			hit = i;
	}
	return hit;
}

/* -L's head of a chain */
static void head(const struct ipt *q, int first, const char *name, const char *what)
{
	fmt_out("%sChain %s (%s)\n%s%starget     prot opt %ssource               destination         \n",
	       first ? "" : "\n", name, what, HAS(q, B_LNUM) ? "num  " : "",
	       !HAS(q, B_V) ? "" : HAS(q, B_X) ? "    pkts      bytes " : " pkts bytes ",
	       HAS(q, B_V) ? "in     out     " : "");
}

/* A rule of the filter table, read from its comment (w and buf hold r's
 * words) */
struct frule {
	struct ipt r;
	int ok;
	char buf[NFT_COMMENT_MAX], *w[48];
};

static int fparse(const struct nft_rule *v, struct frule *f)
{
	int n;

	if (v->family != AF_INET || v->chain >= 0 || strncmp(v->comment, "-A ", 3))
		return 0;
	memcpy(f->buf, v->comment, sizeof(f->buf));
	n = nsb_split(f->buf, f->w, 48);
	return n >= 3 && !parse(NULL, n, f->w, &f->r) && f->r.cmd == 'A' && f->r.filter &&
	       !strcmp(f->r.cname, v->cname) && !fcheck(NULL, &f->r);
}

static int chcmp(const void *a, const void *b)
{
	return strcmp(((const struct nft_chain *)a)->name, ((const struct nft_chain *)b)->name);
}

/* The index of chain name in ch, -1: none */
static int fchain(const struct nft_chain *ch, int nc, const char *name)
{
	while (nc-- > 0)
		if (!strcmp(ch[nc].name, name))
			return nc;
	return -1;
}

/* Whether name is one of nsbox's own chains (nat, the CNI plugins') */
static int ours(const char *name)
{
	int i;

	for (i = 0; i < NFT_NCHAINS; i++)
		if (!strcmp(name, nft_chain_name(i)))
			return 1;
	return 0;
}

/* How many rules jump to name, and hold it */
static int refs(const struct frule *f, int k, const char *name, int *rules,
		const struct nft_rule *v)
{
	int i, n = 0;

	for (i = 0, *rules = 0; i < k; i++) {
		n += f[i].ok && f[i].r.target == 'c' && !strcmp(f[i].r.n.jump, name);
		*rules += f[i].ok && !strcmp(v[i].cname, name);
	}
	return n;
}

/* -S (two passes: the chains, then the rules) or -L of the filter table */
static void flist(const struct ipt *q, const struct frule *f, const struct nft_rule *v, int k,
		  const struct nft_chain *ch, int nc)
{
	int pass, i, j, x, nrules, first = 1;
	const char *pol;
	char what[64];

	for (pass = q->cmd == 'L'; pass < 2; pass++)
		for (j = -3; j < nc; j++) {
			const char *cn = j < 0 ? nth(fnames, j + 3) : ch[j].name;
			unsigned long nr = 0;

			if ((j >= 0 && ch[j].hook >= 0) || (*q->cname && strcmp(q->cname, cn)))
				continue;
			x = fchain(ch, nc, cn);
			pol = x >= 0 && ch[x].policy == NF_DROP ? "DROP" : "ACCEPT";
			if (j < 0)
				fmt_buf(what, sizeof(what), "policy %s%s", pol,
					 HAS(q, B_V) ? " 0 packets, 0 bytes" : "");
			else
				fmt_buf(what, sizeof(what), "%d references", refs(f, k, cn, &nrules, v));
			if (!pass) {
				fmt_out(j < 0 ? "-P %s %s\n" : "-N %s\n", cn, pol);
				continue;
			}
			if (q->cmd == 'L')
				head(q, first, cn, what);
			first = 0;
			for (i = 0; i < k; i++) {
				if (!f[i].ok || strcmp(v[i].cname, cn))
					continue;
				nr++;
				if (q->cmd == 'S')
					puts(v[i].comment);
				else
					row(&f[i].r, &v[i], q, nr);
			}
		}
}

/* An op of the batch */
static void op(struct nft_op *o, int *nop, int type, int flags, const char *chain, int hook,
	       int policy, uint64_t handle, const struct nft_nat *n, const char *comment)
{
	struct nft_op *p = &o[(*nop)++];

	p->type = type;
	p->flags = flags;
	p->chain = chain;
	p->hook = hook;
	p->policy = policy;
	p->handle = handle;
	p->n = n;
	p->comment = comment;
}

/* Long: the filter table's commands, each one transaction on the rules and
 * chains as they were dumped */
/* Over 60 lines: the filter table's commands over one dump of its chains
 * NOLINTNEXTLINE(readability-function-size) */
static int filter(struct nsb *c, struct mnl_socket *nl, struct ipt *r)
{
	struct nft_rule *v = NULL;
	struct nft_chain *ch = NULL;
	struct frule *f = NULL;
	struct nft_op *o = NULL;
	char s[NFT_COMMENT_MAX + 64] = "";
	const char *name = r->cname;
	int k, nc, i, e = 0, nop = 0, cmd = r->cmd, fc = nsb_word(name, fnames), x, hit = -1, n;
	unsigned long nr = 0;

	k = nft_rules(c, nl, &v);
	nc = k < 0 ? k : nft_chains(c, nl, &ch);
	if (nc < 0) {
		e = nsb_fail(c, "nf_tables", nc);
		goto out;
	}
	f = calloc(k + 1, sizeof(*f));
	o = calloc(k + nc + 2, sizeof(*o));
	if (!f || !o) {
		e = nsb_fail(c, "nf_tables", -ENOMEM);
		goto out;
	}
	list_sort(ch, nc, sizeof(*ch), chcmp);
	for (i = 0; i < k; i++)
		f[i].ok = fparse(&v[i], &f[i]);
	x = fchain(ch, nc, name);
	if (cmd == 'P') {
		if (fc < 0)
			e = nsb_msg(c, 1, NULL, "Bad built-in chain name.");
		else if ((n = nsb_word(r->policy, "DROP\0ACCEPT\0")) < 0)
			e = nsb_msg(c, 1, NULL, "Bad policy name. Run `dmesg' for more information.");
		else
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE, name, fc + 1, n, 0, NULL, NULL);
		goto commit;
	}
	if (cmd == 'N') {
		if (fc >= 0 || x >= 0)
			e = nsb_msg(c, 1, NULL, "Chain already exists.");
		else if (*name == '-' || !*name || nsb_word(name, targets) >= 0 || strlen(name) > 28) {
			c->applet = IPT_V;
			e = nsb_msg(c, 2, NULL, *name == '-' ? "chain name not allowed to start with `-'" :
				    strlen(name) < 29 ? "chain name may not clash with target name" :
				    "chain name `%s' too long (must be under 29 chars)", name);
		}
		else if (ours(name))
			e = unsup(c, name, "(a chain of nsbox's own)");
		else
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL, name, -1, -1, 0, NULL, NULL);
		goto commit;
	}
	if ((*name || strchr("AIRDC", cmd)) && fc < 0 && (x < 0 || ch[x].hook >= 0)) {
		if (strchr("LS", cmd))
			c->applet = IPT_V;
		e = nsb_msg(c, 1, NULL, strchr("LS", cmd) ? "chain `%s' in table `filter' is incompatible, use 'nft' tool."
			    : "No chain/target/match by that name.", name);
		goto out;
	}
	if (cmd == 'L' || cmd == 'S') {
		flist(r, f, v, k, ch, nc);
		goto out;
	}
	if (cmd == 'X') {
		for (i = 0; i < nc && !e; i++) {
			if (ch[i].hook >= 0 || (*name && strcmp(name, ch[i].name)))
				continue;
			if (refs(f, k, ch[i].name, &n, v) || n) {
				c->applet = IPT_V;
				e = nsb_msg(c, 4, NULL, " CHAIN_DEL failed (Device or resource busy): chain %s",
					    ch[i].name);
			}
			op(o, &nop, NFT_MSG_DELCHAIN, 0, ch[i].name, -1, -1, 0, NULL, NULL);
		}
		if (fc >= 0)
			e = nsb_msg(c, 1, NULL, "No chain/target/match by that name.");
		goto commit;
	}
	if (strchr("AIRDC", cmd) && !(cmd == 'D' && r->at)) {
		if (fcheck(c, r)) {
			e = 2;
			goto out;
		}
		if (r->target == 'c' && (nsb_word(r->n.jump, fnames) >= 0 ||
					 fchain(ch, nc, r->n.jump) < 0)) {
			c->applet = IPT_V;
			e = nsb_msg(c, 2, NULL, "Chain '%s' does not exist", r->n.jump);
			goto out;
		}
		if (line(r, s, sizeof(s)) >= NFT_COMMENT_MAX) {
			e = unsup(c, "a rule this long", NULL);
			goto out;
		}
	}
	/* the rule -I|-R|-D N or -D|-C RULE mean, as the chain numbers them */
	for (i = 0; i < k; i++) {
		if (!f[i].ok || strcmp(v[i].cname, name))
			continue;
		nr++;
		if (hit < 0 && (r->at ? nr == r->at : strchr("DC", cmd) && !strcmp(v[i].comment, s)))
			hit = i;
	}
	switch (cmd) {
	case 'C':
	case 'D':
	case 'R':
		if (cmd == 'D' && r->at && fc >= 0 && x < 0)
			e = nsb_msg(c, 1, NULL, "No chain/target/match by that name.");
		else if (hit < 0)
			e = !r->at ? bad(c) : nsb_msg(c, 1, NULL, cmd == 'R' ? "Index of replacement too big." :
							   "Index of deletion too big.");
		else if (cmd == 'R')
			op(o, &nop, NFT_MSG_NEWRULE, NLM_F_REPLACE, name, -1, -1, v[hit].handle, &r->n, s);
		else if (cmd == 'D')
			op(o, &nop, NFT_MSG_DELRULE, 0, name, -1, -1, v[hit].handle, NULL, NULL);
		break;
	case 'A':
	case 'I':
		if (r->at > nr + 1) {
			e = nsb_msg(c, 1, NULL, "Index of insertion too big.");
			break;
		}
		if (fc >= 0 && x < 0)	/* the built-in chain, made on demand */
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE, name, fc + 1, -1, 0, NULL, NULL);
		op(o, &nop, NFT_MSG_NEWRULE, NLM_F_CREATE | (cmd == 'A' || hit < 0 ? NLM_F_APPEND : 0),
		   name, -1, -1, cmd == 'I' && hit >= 0 ? v[hit].handle : 0, &r->n, s);
		if (cmd == 'I' && !r->at)
			o[nop - 1].flags = NLM_F_CREATE;	/* the head */
		break;
	default:	/* -F, -Z: each rule of the chain (of every chain) */
		for (i = 0; i < k; i++)
			if (f[i].ok && (!*name || !strcmp(name, v[i].cname)))
				op(o, &nop, cmd == 'F' ? NFT_MSG_DELRULE : NFT_MSG_NEWRULE,
				   cmd == 'F' ? 0 : NLM_F_REPLACE, v[i].cname, -1, -1, v[i].handle,
				   &f[i].r.n, v[i].comment);
	}
commit:
	if (!e && nop && (e = nft_ops(c, nl, o, nop)))
		e = nsb_fail(c, "nf_tables", e);
out:
	free(v);
	free(ch);
	free(f);
	free(o);
	return e;
}

/* Long: iptables' options in any order, one command among them */
/* Over 60 lines: every iptables command dispatched in one place
 * NOLINTNEXTLINE(readability-function-size) */
int iptables_main(struct nsb *c, int argc, char **argv)
{
	struct ipt r, t;
	struct mnl_socket *nl;
	struct nft_rule *v;
	char comment[NFT_COMMENT_MAX + 8], s[NFT_COMMENT_MAX + 8] = "";
	int i, j, k, e, cmd;
	unsigned long nr;

	c->applet = "iptables";
	if (parse(c, argc - 1, argv + 1, &r))
		return 2;
	cmd = r.cmd;
	if (!cmd)
		return nsb_usage(c, NULL, "no command specified");
	if (r.seen & RULE_OPTS && (!strchr("AIDCR", cmd) || (cmd == 'D' && r.at)))
		return nsb_usage(c, "RULE", "unexpected argument");
	if (cmd == 'R' && !r.at)
		return nsb_usage(c, "-R", "needs a rule number");
	if (r.mproto && r.mproto != r.n.proto) {	/* as the kernel answers iptables */
		if (strchr("DC", cmd))
			return bad(c);
		c->applet = IPT_V;
		return nsb_msg(c, 4, NULL, " RULE_%s failed (Invalid argument): rule in chain %s",
			       cmd == 'A' ? "APPEND" : cmd == 'I' ? "INSERT" : "REPLACE", r.cname);
	}
	if (r.filter) {
		e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
		return e ? nsb_fail(c, "nf_tables", e) : filter(c, nl, &r);
	}
	if (strchr("PNXRZ", cmd)) {
		char w[3] = { '-', (char)cmd, 0 };

		return unsup(c, w, "in the nat table");
	}
	/* a rule's chain, even "" */
	if (*r.cname || strchr("AIDC", cmd)) {
		r.chain = nsb_word(r.cname, cnames);
		if (r.chain < 0 || (r.chain == C_IN && strchr("AIDC", cmd)))
			return unsup(c, "chain", r.cname);
	}
	if (strchr("AIC", cmd) || (cmd == 'D' && !r.at)) {
		if (check(c, &r))
			return 2;
		if (line(&r, s, sizeof(s)) >= NFT_COMMENT_MAX)
			return unsup(c, "a rule this long", NULL);
		if (r.target == 'M' && !r.n.dst.plen && !r.n.proto && !r.n.neg)
			natmasq_describe(&r.n, comment, sizeof(comment));
		else
			strcpy(comment, s);
	}
	e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
	if (e)
		return nsb_fail(c, "nf_tables", e);
	if (cmd == 'L' || cmd == 'S')
		return list(c, nl, &r);
	k = nft_rules(c, nl, &v);
	if (k < 0)
		return nsb_fail(c, "nf_tables", k);
	/* -D and -C by the rule's -S line or its number; -I N before rule N */
	i = find(v, k, r.chain, r.at, s, &nr);
	e = 0;
	if (strchr("AI", cmd)) {
		/* one past the last appends; a rule already there is not made twice */
		r.n.insert = cmd == 'I' && r.at <= nr;
		if (r.at && i >= 0)
			r.n.pos = v[i].handle;
		if (r.at > nr + 1)
			e = nsb_msg(c, 1, NULL, "Index of insertion too big.");
		else if (cnft[r.chain] < 0)	/* INPUT: refused above */
			e = bad(c);
		else if ((e = nft_nat_apply(c, nl, &r.n, comment, 1u << cnft[r.chain], 0, 1)))
			e = e == -ENOENT ? bad(c) : nsb_fail(c, comment, e);
	} else if (i < 0 && cmd != 'F') {
		e = r.at ? nsb_msg(c, 1, NULL, "Index of deletion too big.") : bad(c);
	} else if (cmd != 'C') {
		/* -D: that rule; -F: every rule of our chains (of that one) */
		for (j = 0; j < k && !e; j++)
			if (cmd == 'F' ? shown(&v[j], r.chain, &t) : j == i)
				e = nft_nat_apply(c, nl, &r.n, v[j].comment, 1u << v[j].chain, 1, 1);
		e = e ? nsb_fail(c, "nf_tables", e) : 0;
	}
	free(v);
	return e;
}
