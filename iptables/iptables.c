/* iptables [-w [SECS]] -t nat -A|-I [N]|-D|-C CHAIN RULE | -D CHAIN N |
 *          -L [CHAIN] [-n] [-v] [-x] [--line-numbers] | -S [CHAIN] | -F [CHAIN]
 * nsbox called as iptables, for the NAT table only: MASQUERADE and SNAT on
 * POSTROUTING, DNAT on PREROUTING and OUTPUT, matching -s -d -i -o -p -m
 * --dport (each but -m negatable with !) and, for DNAT, -m addrtype
 * --dst-type LOCAL (natdnat's any local address), kept in nsbox's own
 * table (table ip nsbox).  Long options, and their abbreviations as
 * iptables' getopt_long takes them.  A rule natmasq can say is stored as
 * natmasq's (so natmasq lists and deletes it); any other carries
 * iptables' own -A line as its comment, which natmasq and natdnat list
 * too.  -S and -L print every rule of that table in iptables' shapes; -D
 * and -C find a rule by the line -S prints for it.  Other tables, chains,
 * targets and matches exit 2, one line, with nothing changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include "cli.h"

/* iptables' order; INPUT is shown empty and refused */
static const char cnames[] = "PREROUTING\0INPUT\0OUTPUT\0POSTROUTING\0";
static const signed char cnft[] = { NFT_PRE, -1, NFT_OUT, NFT_POST };
enum { C_PRE, C_IN, C_OUT, C_POST };
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
	int chain, target, tow, dir;	/* target: 'M', 'S' or 'D'; tow: --to-*'s; dir: -i|-o */
	int local;			/* -m addrtype --dst-type LOCAL */
	int cmd;
	unsigned int seen, groups;	/* options given (bits of codes[]); G_* loaded */
	unsigned long at;		/* the rule number of -I, -D */
	const char *cname;
	struct nft_nat n;		/* the matches and the target's address */
};

static int unsup(struct nsb *c, const char *what, const char *arg)
{
	return nsb_msg(c, 2, NULL, "%s%s%s: not supported by nsbox (nat table: MASQUERADE, SNAT, DNAT)",
		       what, arg ? " " : "", arg ? arg : "");
}

static int port(const char *s, unsigned int *v)
{
	unsigned long n;

	if (num_parse(s, 1, 65535, &n))
		return -1;
	*v = n;
	return 0;
}

/* iptables' table: nat, else exit 2 */
static int table(struct nsb *c, const char *t)
{
	return nsb_msg(c, 2, NULL, "-t %s: not supported by nsbox (nat table only)", t);
}

/* iptables' long options, for the abbreviations its getopt_long takes:
 * each is its code (its short letter, if any), the G_* it belongs to (a
 * match's or a target's options count once it is loaded, as in iptables)
 * and its name */
enum { G_BASE = 1, G_PORT = 2, G_ADDR = 4, G_DNAT = 8, G_SNAT = 16 };
static const char longs[] =
	"A\1append\0D\1delete\0C\1check\0I\1insert\0L\1list\0S\1list-rules\0F\1flush\0"
	"s\1source\0s\1src\0d\1destination\0d\1dst\0p\1protocol\0i\1in-interface\0"
	"o\1out-interface\0j\1jump\0t\1table\0m\1match\0n\1numeric\0v\1verbose\0w\1wait\0"
	"x\1exact\0" "0\1line-numbers\0P\2destination-port\0P\2dport\0Y\4dst-type\0"
	"T\10to-destination\0U\20to-source\0";
/* the bits of r->seen; the commands first, then the options one rule has once */
static const char codes[] = "ADCILSFsdiopjPYTmtwnvx0";
#define RULE_OPTS 0x1ff80u
enum { B_T = 1u << 17, B_V = 1u << 20, B_X = 1u << 21, B_LNUM = 1u << 22 };
/* what takes an argument (the last four optionally); what may be negated,
 * and its NFT_NEG_* */
#define ARGFUL "ADCItsdiopmjPYTULSFw"
static const char negc[] = "sdiopP";
static const unsigned char negbit[] = {
	NFT_NEG_SRC, NFT_NEG_DST, N_IF, N_IF, NFT_NEG_PROTO, NFT_NEG_DPORT
};

/* The code of --s (s without the dashes, len long) among the options of
 * groups g: the one named so, else the one all names s begins share; 0:
 * none */
static int longopt(const char *s, size_t len, unsigned int g)
{
	const char *e;
	int k = 0;

	for (e = longs; *e && len; e += strlen(e + 2) + 3) {
		if (!(e[1] & g) || strncmp(e + 2, s, len))
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

/* iptables' words (the first after the program's name, or a comment's):
 * short options, bundled as -nvL, and long ones, abbreviated as getopt_long
 * takes them */
static int parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	const char *p = "";
	char *w = "";
	int i = 0, k, neg = 0;

	memset(r, 0, sizeof(*r));
	r->chain = -1;
	r->groups = G_BASE;
	while (i < argc || *p) {
		char *a = (char *)"", *colon;	/* "": none */
		unsigned int bit;
		size_t len;

		if (*p) {
			k = (unsigned char)*p++;	/* the next letter of -nvL */
			if (!strchr("ADCILSFtwnvxsdiopmj", k))
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
			if (!k)
				k = longopt(w + 2, len, r->groups | G_PORT);
			if (!k || (*a && !strchr(ARGFUL, k)))
				return unsup(c, w, NULL);
		}
		/* an argument; -L, -S, -F's CHAIN and -w's SECS optional */
		if (strchr(ARGFUL, k) && !*a) {
			if (!*p && i < argc && (!strchr("LSFw", k) || (argv[i][0] != '-' && argv[i][0] != '!')))
				a = argv[i++];
			else if (!strchr("LSFw", k))
				return nsb_usage(c, w, "option requires an argument");
		}
		/* -I|-D CHAIN N: that rule (1: the first) */
		if (*a && strchr("ID", k) && i < argc && argv[i][0] != '-' && argv[i][0] != '!' &&
		    num_parse(argv[i++], 1, 0x7fffffff, &r->at))
			return nsb_usage(c, argv[i - 1], "invalid rule number");
		if (neg && !strchr(negc, k))
			return unsup(c, "!", w);
		bit = 1u << (strchr(codes, k == 'U' ? 'T' : k) - codes);
		if (bit < 1u << 7 && r->cmd)
			return nsb_usage(c, w, "unexpected argument");
		if (bit & r->seen & RULE_OPTS && k != 'm')
			return unsup(c, w, "twice");
		r->seen |= bit;
		if (neg)
			n->neg |= negbit[strchr(negc, k) - negc];
		neg = 0;
		switch (k) {
		case 't':
			if (strcmp(a, "nat"))
				return table(c, a);
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
			snprintf(n->ifname, sizeof(n->ifname), "%s", a);
			r->dir = r->dir && r->dir != k ? 1 : k;	/* 1: both */
			break;
		case 'm':
			if (!strcmp(a, "addrtype")) {
				r->groups |= G_ADDR;
				break;
			}
			r->groups |= G_PORT;
			/* fall through */
		case 'p':
			if (strcmp(a, "tcp") && strcmp(a, "udp"))
				return unsup(c, w, a);
			if (k == 'p')
				n->proto = a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
			else if (n->proto != (a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP))
				return nsb_usage(c, a, "match needs the same -p");
			break;
		case 'P':
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			k = !n->proto || port(a, &n->lo) || (colon && port(colon + 1, &n->hi)) ||
			    (colon && n->hi < n->lo);
			if (colon)
				*colon = ':';
			if (k)
				return nsb_usage(c, a, n->proto ? "invalid port" : "needs -p tcp|udp");
			if (!colon)
				n->hi = n->lo;
			break;
		case 'Y':
			if (strcmp(a, "LOCAL"))
				return unsup(c, w, a);
			r->local = 1;
			break;
		case 'j':
			r->target = nsb_word(a, "MASQUERADE\0SNAT\0DNAT\0");
			if (r->target < 0)
				return unsup(c, "-j", a);
			r->target = (unsigned char)"MSD"[r->target];
			r->groups |= r->target == 'D' ? G_DNAT : r->target == 'S' ? G_SNAT : 0;
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
	return neg ? nsb_usage(c, "!", "missing option") : 0;
}

/* r as far as iptables and nsbox take it, made nsbox's rule: 0, or 2
 * after the message */
static int check(struct nsb *c, struct ipt *r)
{
	struct nft_nat *n = &r->n;

	if (!r->target)
		return nsb_usage(c, "-j", "missing option");
	if (r->target == 'D' ? r->chain == C_POST : r->chain != C_POST)
		return unsup(c, nth(cnames, r->chain), r->target == 'D' ? "-j DNAT" : "-j MASQUERADE|SNAT");
	if (r->dir && r->dir != (r->chain == C_PRE ? 'i' : 'o'))
		return nsb_usage(c, r->dir == 'i' || (r->dir == 1 && r->chain != C_PRE) ? "-i" : "-o",
				 "not in this chain");
	/* what nf_tables cannot say as one match, or iptables refuses */
	if ((n->neg & NFT_NEG_PROTO && n->lo) || (n->neg & NFT_NEG_SRC && !n->src.plen) ||
	    (n->neg & NFT_NEG_DST && !n->dst.plen))
		return unsup(c, "!", "with these matches");
	if (r->target == 'M' ? r->tow != 0 : r->tow != "sd"[r->target == 'D'])
		return nsb_usage(c, r->target == 'S' ? "--to-source" : r->target == 'D' ?
				 "--to-destination" : "--to-*", r->target == 'M' ? "not with MASQUERADE"
				 : "missing option");
	if (n->toport && !n->proto)
		return nsb_usage(c, "PORT", "needs -p tcp|udp");
	/* natdnat's any local address, as iptables says it */
	if (r->groups & G_ADDR && (!r->local || r->target != 'D' || n->dst.plen))
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
	return 0;
}

static const char *bang(const struct nft_nat *n, unsigned int bit)
{
	return (bit == N_IF ? (unsigned int)n->ifneg : n->neg & bit) ? " !" : "";
}

/* iptables -S's line for r; its length */
static int line(const struct ipt *r, char *buf, size_t len)
{
	const struct nft_nat *n = &r->n;
	const char *p = n->proto == IPPROTO_TCP ? "tcp" : "udp";
	char a[20];
	int o = snprintf(buf, len, "-A %s", nth(cnames, r->chain));

	if (n->src.plen)
		o += snprintf(buf + o, len - o, "%s -s %s/%d", bang(n, NFT_NEG_SRC),
			      addr_ntop(AF_INET, n->src.addr, a, sizeof(a)), n->src.plen);
	if (n->dst.plen)
		o += snprintf(buf + o, len - o, "%s -d %s/%d", bang(n, NFT_NEG_DST),
			      addr_ntop(AF_INET, n->dst.addr, a, sizeof(a)), n->dst.plen);
	if (n->ifname[0])
		o += snprintf(buf + o, len - o, "%s -%c %s", bang(n, N_IF), r->dir, n->ifname);
	if (n->proto)
		o += snprintf(buf + o, len - o, "%s -p %s", bang(n, NFT_NEG_PROTO), p);
	if (r->local)
		o += snprintf(buf + o, len - o, " -m addrtype --dst-type LOCAL");
	if (n->lo)
		o += snprintf(buf + o, len - o, " -m %s%s --dport %u", p, bang(n, NFT_NEG_DPORT),
			      n->lo);
	if (n->lo != n->hi)
		o += snprintf(buf + o, len - o, ":%u", n->hi);
	o += snprintf(buf + o, len - o, " -j %s", r->target == 'M' ? "MASQUERADE" :
		      r->target == 'S' ? "SNAT --to-source" : "DNAT --to-destination");
	if (r->target != 'M')
		o += snprintf(buf + o, len - o, " %s", addr_ntop(AF_INET, n->to.addr, a, sizeof(a)));
	if (n->toport)
		o += snprintf(buf + o, len - o, ":%u", n->toport);
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
	n = nsb_split(buf, w, 24);
	if (n >= 2 && (!strcmp(w[0], "natmasq") || !strcmp(w[0], "natdnat"))) {
		memset(r, 0, sizeof(*r));
		k = w[0][3] == 'm' ? natmasq_parse(NULL, n, w, &a) : natdnat_parse(NULL, n, w, &a);
		r->n = a.n;
		r->target = a.n.masq ? 'M' : 'D';
		r->dir = a.n.masq ? 'o' : 'i';
		r->local = !a.n.masq && !a.n.has_dst;	/* natdnat's any local address */
	} else {
		k = n < 3 || parse(NULL, n, w, r) || r->cmd != 'A';
	}
	r->chain = ch;
	k = k || (w[0][0] == '-' && check(NULL, r));
	return k ? -1 : 0;
}

/* iptables -L's address column: a /32 is a bare address */
static void col(char *t, size_t len, const struct nsb_prefix *p)
{
	char b[16];

	snprintf(t, len, p->plen == 32 ? "%s" : "%s/%d", addr_ntop(AF_INET, p->addr, b, sizeof(b)),
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
		printf("%4llu%c ", v, " KMGT"[k]);
	else
		printf(exact ? "%8llu " : "%5llu ", v);
}

/* -L's line of r, the chain's rule number nr; v its rule (the counters of -v) */
static void row(const struct ipt *r, const struct nft_rule *v, const struct ipt *q,
		unsigned long nr)
{
	const struct nft_nat *n = &r->n;
	char s[24], d[24], x[112], b[16];
	int o;

	col(s, sizeof(s), &n->src);
	col(d, sizeof(d), &n->dst);
	o = snprintf(x, sizeof(x), "%s", r->local ? " ADDRTYPE match dst-type LOCAL" : "");
	if (n->lo)
		o += snprintf(x + o, sizeof(x) - o, " %s dpt%s:%s%u", n->proto == IPPROTO_TCP ? "tcp" :
			      "udp", n->lo != n->hi ? "s" : "", n->neg & NFT_NEG_DPORT ? "!" : "", n->lo);
	if (n->lo != n->hi)
		o += snprintf(x + o, sizeof(x) - o, ":%u", n->hi);
	if (r->target != 'M') {
		o += snprintf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, n->to.addr, b, sizeof(b)));
		if (n->toport)
			snprintf(x + o, sizeof(x) - o, ":%u", n->toport);
	}
	if (q->seen & B_LNUM)
		printf("%-4lu ", nr);
	if (q->seen & B_V) {
		num(v->packets, q->seen & B_X);
		num(v->bytes, q->seen & B_X);
	}
	printf("%-9s %c%-5d-- ", r->target == 'M' ? "MASQUERADE" : r->target == 'S' ? "SNAT" : "DNAT",
	       n->neg & NFT_NEG_PROTO ? '!' : ' ', n->proto);
	if (q->seen & B_V) {
		char in[20], out[20];
		const char *ng = n->ifneg ? "!" : "", *i = n->ifname[0] ? n->ifname : "*";

		snprintf(in, sizeof(in), "%s%s", r->dir == 'i' ? ng : "", r->dir == 'i' ? i : "*");
		snprintf(out, sizeof(out), "%s%s", r->dir == 'o' ? ng : "", r->dir == 'o' ? i : "*");
		printf(" %-6s %-6s ", in, out);
	}
	printf("%c%-20s%c%-20s%s\n", n->neg & NFT_NEG_SRC ? '!' : ' ', s,
	       n->neg & NFT_NEG_DST ? '!' : ' ', d, x);
}

/* Whether iptables shows v (a rule of table ip from iptables, natmasq or
 * natdnat), in chain k (-1: any of ours); r is it.  -I's numbers, -C and
 * -F go by the same rules -S and -L show (a CNI plugin's stay out). */
static int shown(const struct nft_rule *v, int k, struct ipt *r)
{
	char buf[NFT_COMMENT_MAX], *w[24];

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
			printf("-P %s ACCEPT\n", nth(cnames, k));
	for (k = 0; k < 4; k++) {
		unsigned long nr = 0;

		if (chain >= 0 && chain != k)
			continue;
		if (q->cmd == 'L')
			printf("%sChain %s (policy ACCEPT%s)\n%s%starget     prot opt %ssource               destination         \n",
			       k && chain < 0 ? "\n" : "", nth(cnames, k),
			       q->seen & B_V ? " 0 packets, 0 bytes" : "", q->seen & B_LNUM ? "num  " : "",
			       !(q->seen & B_V) ? "" : q->seen & B_X ? "    pkts      bytes " : " pkts bytes ",
			       q->seen & B_V ? "in     out     " : "");
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

/* Long: iptables' options in any order, one command among them */
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
	if (!(r.seen & B_T))
		return table(c, "filter");
	cmd = r.cmd;
	if (!cmd)
		return nsb_usage(c, NULL, "no command specified");
	/* a rule's chain, even "" */
	if (*r.cname || strchr("AIDC", cmd)) {
		r.chain = nsb_word(r.cname, cnames);
		if (r.chain < 0 || (r.chain == C_IN && strchr("AIDC", cmd)))
			return unsup(c, "chain", r.cname);
	}
	if (r.seen & RULE_OPTS && (!strchr("AIDC", cmd) || (cmd == 'D' && r.at)))
		return nsb_usage(c, "RULE", "unexpected argument");
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
