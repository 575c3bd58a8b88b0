/* iptables [-w [SECS]] -t nat -A|-I|-D|-C CHAIN RULE | -L [-n] [-v] [CHAIN] |
 *          -S [CHAIN] | -F [CHAIN]		(-nvL too)
 * nsbox called as iptables, for the NAT table only: MASQUERADE and SNAT on
 * POSTROUTING, DNAT on PREROUTING and OUTPUT, matching -s -d -i -o -p -m
 * --dport (each but -m negatable with !), kept in nsbox's own table (table
 * ip nsbox).  A rule natmasq can say is stored as natmasq's (so natmasq
 * lists and deletes it); any other carries iptables' own -A line as its
 * comment, which natmasq and natdnat list too.  -S and -L print every rule
 * of that table in iptables' shapes.  Other tables, chains, targets and
 * matches exit 2, one line, with nothing changed. */
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

struct ipt {
	int chain, target, tow, dir;	/* target: 'M', 'S' or 'D'; tow: --to-*'s; dir: -i|-o */
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

/* pairs: short and long name; index / 2 is the option */
static const char words[] =
	"-s\0--source\0-d\0--destination\0-i\0--in-interface\0-o\0--out-interface\0"
	"-p\0--protocol\0-m\0--match\0--dport\0--destination-port\0-j\0--jump\0"
	"--to-destination\0--to-source\0";
enum { K_S, K_D, K_I, K_O, K_P, K_M, K_DPORT, K_J, K_TO };
static const unsigned char negbit[] = {
	NFT_NEG_SRC, NFT_NEG_DST, N_IF, N_IF, NFT_NEG_PROTO, 0, NFT_NEG_DPORT
};

/* The rule's words after the chain (argv from a command or a comment). */
static int rule_parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	unsigned int seen = 0;
	int i, k, neg = 0;

	for (i = 0; i < argc; i++) {
		char *w = argv[i], *a = argv[i + 1], *colon;

		if (!strcmp(w, "!") && !neg) {
			neg = 1;
			continue;
		}
		k = nsb_word(w, words);
		if (k < 0)
			return unsup(c, w, NULL);
		if (!a)
			return nsb_usage(c, w, "option requires an argument");
		i++;
		k /= 2;
		if (seen & (1u << k))
			return unsup(c, w, "twice");
		seen |= 1u << k;
		if (neg && k > K_DPORT)
			return unsup(c, "!", w);
		if (neg)
			n->neg |= negbit[k];
		neg = 0;
		colon = strchr(a, ':');
		switch (k) {
		case K_S:
		case K_D:
			if (prefix_parse(a, AF_INET, k == K_S ? &n->src : &n->dst, 0))
				return nsb_usage(c, a, "invalid IPv4 address");
			prefix_clear_host(k == K_S ? &n->src : &n->dst);
			break;
		case K_I:
		case K_O:
			if (!ifname_valid(a))
				return nsb_usage(c, a, "invalid interface name");
			snprintf(n->ifname, sizeof(n->ifname), "%s", a);
			r->dir = w[1] == '-' ? w[2] : w[1];
			break;
		case K_P:
		case K_M:
			if (strcmp(a, "tcp") && strcmp(a, "udp"))
				return unsup(c, w, a);
			if (k == K_P)
				n->proto = a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
			else if (n->proto != (a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP))
				return nsb_usage(c, a, "match needs the same -p");
			break;
		case K_DPORT:
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
		case K_J:
			r->target = nsb_word(a, "MASQUERADE\0SNAT\0DNAT\0");
			if (r->target < 0)
				return unsup(c, "-j", a);
			r->target = (unsigned char)"MSD"[r->target];
			break;
		default:
			r->tow = (unsigned char)w[5];	/* 'd' or 's' */
			if (dnat_to_parse(a, &n->to, &n->toport) || n->to.family != AF_INET)
				return nsb_usage(c, a, "invalid IPv4 address");
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
		return nsb_usage(c, r->dir == 'i' ? "-i" : "-o", "not in this chain");
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
	/* as natdnat: DNAT to loopback needs route_localnet (CVE-2020-8558) */
	if (n->to.addr[0] == 127)
		return unsup(c, "127.0.0.0/8", NULL);
	n->src.family = AF_INET;	/* the family of a masquerade's rule */
	n->masq = r->target != 'D';
	n->snat = r->target == 'S';
	n->has_dst = n->dst.plen != 0;
	n->anydst = 1;
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
 * natmasq / natdnat command that made it.  0, or -1: not one we show. */
static int from_comment(struct nsb *c, const struct nft_rule *v, struct ipt *r, char *buf,
			char **w)
{
	struct nat_args a;
	int n, k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < 4 && cnft[k] != v->chain; k++)
		;
	r->chain = k;
	memcpy(buf, v->comment, NFT_COMMENT_MAX);
	n = nsb_split(buf, w, 24);
	c->quiet = 1;
	if (n >= 3 && !strcmp(w[0], "-A"))
		k = rule_parse(c, n - 2, w + 2, r) || check(c, r);
	else if (n >= 2 && (!strcmp(w[0], "natmasq") || !strcmp(w[0], "natdnat"))) {
		k = w[0][3] == 'm' ? natmasq_parse(c, n, w, &a) : natdnat_parse(c, n, w, &a);
		r->n = a.n;
		r->target = a.n.masq ? 'M' : 'D';
		r->dir = a.n.masq ? 'o' : 'i';
	} else {
		k = -1;
	}
	c->quiet = 0;
	return k;
}

/* iptables -L's address column: a /32 is a bare address */
static void col(char *t, size_t len, const struct nsb_prefix *p)
{
	char b[16];

	snprintf(t, len, p->plen == 32 ? "%s" : "%s/%d", addr_ntop(AF_INET, p->addr, b, sizeof(b)),
		 p->plen);
}

/* a counter as iptables -L -v prints it: 5 digits, else K, M, G, T */
static void num(unsigned long long v)
{
	int k = 0;

	while (v > (k ? 9999 : 99999) && k < 4) {
		v = (v + 500) / 1000;
		k++;
	}
	if (k)
		printf("%4llu%c ", v, " KMGT"[k]);
	else
		printf("%5llu ", v);
}

/* -L's line of r; v its rule (the counters of -v) */
static void row(const struct ipt *r, const struct nft_rule *v, int verbose)
{
	const struct nft_nat *n = &r->n;
	char s[24], d[24], x[80], b[16];
	int o;

	col(s, sizeof(s), &n->src);
	col(d, sizeof(d), &n->dst);
	o = 0;
	x[0] = '\0';
	if (n->lo)
		o = snprintf(x, sizeof(x), " %s dpt%s:%s%u", n->proto == IPPROTO_TCP ? "tcp" : "udp",
			     n->lo != n->hi ? "s" : "", n->neg & NFT_NEG_DPORT ? "!" : "", n->lo);
	if (n->lo != n->hi)
		o += snprintf(x + o, sizeof(x) - o, ":%u", n->hi);
	if (r->target != 'M') {
		o += snprintf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, n->to.addr, b, sizeof(b)));
		if (n->toport)
			snprintf(x + o, sizeof(x) - o, ":%u", n->toport);
	}
	if (verbose) {
		num(v->packets);
		num(v->bytes);
	}
	printf("%-9s %c%-5d-- ", r->target == 'M' ? "MASQUERADE" : r->target == 'S' ? "SNAT" : "DNAT",
	       n->neg & NFT_NEG_PROTO ? '!' : ' ', n->proto);
	if (verbose) {
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
static int shown(struct nsb *c, const struct nft_rule *v, int k, struct ipt *r)
{
	char buf[NFT_COMMENT_MAX], *w[24];

	return v->family == AF_INET && v->chain >= 0 && (k < 0 || v->chain == cnft[k]) &&
	       !from_comment(c, v, r, buf, w);
}

/* -S or -L of chain (-1: all) */
static int list(struct nsb *c, struct mnl_socket *nl, int chain, int cmd, int verbose)
{
	struct nft_rule *v;
	int n = nft_rules(c, nl, &v), k, i;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	for (k = 0; k < 4 && cmd == 'S'; k++)
		if (chain < 0 || chain == k)
			printf("-P %s ACCEPT\n", nth(cnames, k));
	for (k = 0; k < 4; k++) {
		if (chain >= 0 && chain != k)
			continue;
		if (cmd == 'L')
			printf("%sChain %s (policy ACCEPT%s)\n%starget     prot opt %ssource               destination         \n",
			       k && chain < 0 ? "\n" : "", nth(cnames, k),
			       verbose ? " 0 packets, 0 bytes" : "", verbose ? " pkts bytes " : "",
			       verbose ? "in     out     " : "");
		for (i = 0; i < n; i++) {
			char out[200];
			struct ipt r;

			if (!shown(c, &v[i], k, &r))
				continue;
			if (cmd == 'S') {
				line(&r, out, sizeof(out));
				puts(out);
			} else {
				row(&r, &v[i], verbose);
			}
		}
	}
	free(v);
	return 0;
}

/* A comment "-A CHAIN RULE" as natmasq and natdnat list it (nat_parse_fn) */
int iptables_rule(struct nsb *c, int argc, char **argv, struct nat_args *a)
{
	struct ipt r = { .chain = nsb_word(argv[1], cnames) };

	memset(a, 0, sizeof(*a));
	if (r.chain < 0 || rule_parse(c, argc - 2, argv + 2, &r) || check(c, &r))
		return 2;
	a->n = r.n;
	return 0;
}

static int bad(struct nsb *c)
{
	return nsb_msg(c, 1, NULL, "Bad rule (does a matching rule exist in that chain?).");
}

static int ipt_apply(struct nsb *c, struct mnl_socket *nl, const struct nft_nat *n,
		     const char *comment, unsigned int chains, int del)
{
	int e = nft_nat_apply(c, nl, n, comment, chains, del, !del);

	if (e == -ENOENT)
		return bad(c);
	return e ? nsb_fail(c, comment, e) : 0;
}

/* -I CHAIN [NUM]: before the chain's rule NUM (1 the head), as iptables
 * numbers them; one past the last appends, further is refused */
static int insert_at(struct nsb *c, struct mnl_socket *nl, struct nft_nat *n, int chain,
		     unsigned long at)
{
	struct nft_rule *v;
	struct ipt t;
	int k = nft_rules(c, nl, &v), i;
	unsigned long nth = 0;

	if (k < 0)
		return nsb_fail(c, "nf_tables", k);
	for (i = 0; i < k; i++)
		if (shown(c, &v[i], chain, &t) && ++nth == at)
			n->pos = v[i].handle;
	free(v);
	if (at > nth + 1)
		return nsb_msg(c, 1, NULL, "Index of insertion too big.");
	n->insert = at <= nth;
	return 0;
}

/* Long: iptables' options in any order, then one command */
int iptables_main(struct nsb *c, int argc, char **argv)
{
	struct ipt r = { .chain = -1 }, t;
	struct mnl_socket *nl;
	struct nft_rule *v;
	char comment[NFT_COMMENT_MAX + 8];
	const char *table = "filter", *cname = NULL;
	int i, cmd = 0, verbose = 0, k, e;
	unsigned long at = 0;

	c->applet = "iptables";
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *a = argv[i + 1];

		if (!w)
			break;
		if (!strcmp(w, "-t") || !strcmp(w, "--table")) {
			if (!a)
				return nsb_usage(c, w, "option requires an argument");
			table = argv[++i];
		} else if (!strcmp(w, "-w") || !strcmp(w, "--wait")) {
			if (a && a[0] >= '0' && a[0] <= '9')	/* the lock: nf_tables has none */
				i++;
		} else if (!strcmp(w, "-n") || !strcmp(w, "--numeric")) {
			continue;
		} else if (!strcmp(w, "-v") || !strcmp(w, "--verbose")) {
			verbose = 1;
		} else if (w[0] == '-' && (k = strlen(w)) > 1 && strchr("AIDCLSF", w[k - 1]) &&
			   strspn(w + 1, "nv") == (size_t)k - 2 && !cmd) {
			/* -L, and -nvL as tutorials write it */
			cmd = (unsigned char)w[k - 1];
			verbose |= strchr(w, 'v') != NULL;
			if (a && a[0] != '-') {
				cname = a;
				i++;
				/* -I CHAIN [NUM]: before that rule (1: the first) */
				if (cmd == 'I' && argv[i + 1] && argv[i + 1][0] >= '0' &&
				    argv[i + 1][0] <= '9') {
					if (num_parse(argv[++i], 1, 0x7fffffff, &at))
						return nsb_usage(c, argv[i], "invalid rule number");
				}
			} else if (strchr("AIDC", cmd)) {
				return nsb_usage(c, w, "option requires an argument");
			}
			if (strchr("AIDC", cmd)) {
				i++;
				break;
			}
		} else {
			return unsup(c, w, NULL);
		}
	}
	if (strcmp(table, "nat"))
		return nsb_msg(c, 2, NULL, "-t %s: not supported by nsbox (nat table only)", table);
	if (!cmd)
		return nsb_usage(c, NULL, "no command specified");
	if (cname) {
		r.chain = nsb_word(cname, cnames);
		if (r.chain < 0 || (r.chain == C_IN && strchr("AIDC", cmd)))
			return unsup(c, "chain", cname);
	}
	if (strchr("AIDC", cmd)) {
		for (k = i; k < argc; k++)
			if (!strcmp(argv[k], "-w") || !strcmp(argv[k], "-t") || !strcmp(argv[k], "--table"))
				return unsup(c, argv[k], "after the rule");
		if (rule_parse(c, argc - i, argv + i, &r) || check(c, &r))
			return 2;
		if (r.target == 'M' && !r.n.dst.plen && !r.n.proto && !r.n.neg)
			natmasq_describe(&r.n, comment, sizeof(comment));
		else if (line(&r, comment, sizeof(comment)) >= NFT_COMMENT_MAX)
			return unsup(c, "a rule this long", NULL);
	}
	e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
	if (e)
		return nsb_fail(c, "nf_tables", e);
	if (cmd == 'L' || cmd == 'S')
		return list(c, nl, r.chain, cmd, verbose);
	if (cmd == 'I' && (e = insert_at(c, nl, &r.n, r.chain, at)))
		return e;
	if (strchr("AID", cmd))
		/* a rule already there is not made twice */
		return ipt_apply(c, nl, &r.n, comment, 1u << (cnft[r.chain] & 3), cmd == 'D');
	/* -C: is it there; -F: every rule of our chains (of that one) */
	k = nft_rules(c, nl, &v);
	if (k < 0)
		return nsb_fail(c, "nf_tables", k);
	for (i = e = 0; i < k && cmd == 'C'; i++)
		cmd = v[i].family == AF_INET && v[i].chain == cnft[r.chain] &&
		      !strcmp(v[i].comment, comment) ? 0 : cmd;
	for (i = 0; i < k && cmd == 'F' && !e; i++)
		if (shown(c, &v[i], r.chain, &t))
			e = nft_nat_apply(c, nl, &r.n, v[i].comment, 1u << v[i].chain, 1, 1);
	free(v);
	if (cmd == 'C')
		return bad(c);
	return e ? nsb_fail(c, "-F", e) : 0;
}
