/* iptables [-w [SECS]] -t nat -A|-I|-D|-C CHAIN RULE | -L [-n] [-v] [CHAIN] |
 *          -S [CHAIN] | -F [CHAIN]
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
	int chain, target, proto, tow;	/* target: 'M', 'S' or 'D'; tow: --to-* given */
	unsigned int neg, lo, hi, toport;
	struct nsb_prefix s, d, to;
	const char *in, *out;
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

/* ADDR[:PORT] or ADDR[/LEN]: 0, or 2 after the message */
static int addrport(struct nsb *c, char *a, struct nsb_prefix *p, unsigned int *pt, int prefix)
{
	char *colon = prefix ? NULL : strchr(a, ':');

	if (colon)
		*colon = '\0';
	if ((prefix ? prefix_parse(a, AF_INET, p, 0) : addr_parse(a, AF_INET, p)) ||
	    (colon && port(colon + 1, pt)))
		return nsb_usage(c, a, "invalid IPv4 address");
	prefix_clear_host(p);
	return 0;
}

/* The rule's words after the chain (argv from a command or a comment). */
static int rule_parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
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
			r->neg |= negbit[k];
		neg = 0;
		switch (k) {
		case K_S:
		case K_D:
			if (addrport(c, a, k == K_S ? &r->s : &r->d, NULL, 1))
				return 2;
			break;
		case K_I:
		case K_O:
			if (!ifname_valid(a))
				return nsb_usage(c, a, "invalid interface name");
			*(k == K_I ? &r->in : &r->out) = a;
			break;
		case K_P:
		case K_M:
			if (strcmp(a, "tcp") && strcmp(a, "udp"))
				return unsup(c, w, a);
			if (k == K_P)
				r->proto = a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
			else if (r->proto != (a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP))
				return nsb_usage(c, a, "match needs the same -p");
			break;
		case K_DPORT:
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			if (!r->proto || port(a, &r->lo) || (colon && port(colon + 1, &r->hi)) ||
			    (colon && r->hi < r->lo))
				return nsb_usage(c, a, r->proto ? "invalid port" : "needs -p tcp|udp");
			if (!colon)
				r->hi = r->lo;
			break;
		case K_J:
			r->target = nsb_word(a, "MASQUERADE\0SNAT\0DNAT\0");
			if (r->target < 0)
				return unsup(c, "-j", a);
			r->target = "MSD"[r->target];
			break;
		default:
			r->tow = w[5];	/* 'd' or 's' */
			if (addrport(c, a, &r->to, &r->toport, 0))
				return 2;
		}
	}
	return neg ? nsb_usage(c, "!", "missing option") : 0;
}

/* r into nsbox's rule, as far as iptables and nsbox take it: 0, or 2
 * after the message */
static int to_nat(struct nsb *c, const struct ipt *r, struct nft_nat *n)
{
	memset(n, 0, sizeof(*n));
	if (!r->target)
		return nsb_usage(c, "-j", "missing option");
	if (r->target == 'D' ? r->chain == C_POST : r->chain != C_POST)
		return unsup(c, nth(cnames, r->chain), r->target == 'D' ? "-j DNAT" : "-j MASQUERADE|SNAT");
	if ((r->in && r->chain != C_PRE) || (r->out && r->chain == C_PRE))
		return nsb_usage(c, r->in ? "-i" : "-o", "not in this chain");
	/* what nf_tables cannot say as one match, or iptables refuses */
	if ((r->neg & NFT_NEG_PROTO && r->lo) || (r->neg & NFT_NEG_SRC && !r->s.plen) ||
	    (r->neg & NFT_NEG_DST && !r->d.plen))
		return unsup(c, "!", "with these matches");
	if (r->target == 'M' ? r->tow != 0 : r->tow != "sd"[r->target == 'D'])
		return nsb_usage(c, r->target == 'S' ? "--to-source" : r->target == 'D' ?
				 "--to-destination" : "--to-*", r->target == 'M' ? "not with MASQUERADE"
				 : "missing option");
	if (r->toport && !r->proto)
		return nsb_usage(c, "PORT", "needs -p tcp|udp");
	/* as natdnat: DNAT to loopback needs route_localnet (CVE-2020-8558) */
	if (r->to.addr[0] == 127)
		return unsup(c, "127.0.0.0/8", NULL);
	n->masq = r->target != 'D';
	n->snat = r->target == 'S';
	n->src = r->s;
	n->dst = r->d;
	n->has_dst = r->d.plen != 0;
	n->anydst = 1;
	n->neg = r->neg & ~N_IF;
	n->ifneg = !!(r->neg & N_IF);
	snprintf(n->ifname, sizeof(n->ifname), "%s", r->in ? r->in : r->out ? r->out : "");
	n->proto = r->proto;
	n->lo = r->lo;
	n->hi = r->hi;
	n->to = r->to;
	n->toport = r->toport;
	return 0;
}

static char *not(unsigned int neg, unsigned int bit)
{
	return neg & bit ? " !" : "";
}

/* iptables -S's line for r; its length */
static int line(const struct ipt *r, char *buf, size_t len)
{
	char a[20];
	const char *p = r->proto == IPPROTO_TCP ? "tcp" : "udp";
	int o = snprintf(buf, len, "-A %s", nth(cnames, r->chain));

	if (r->s.plen)
		o += snprintf(buf + o, len - o, "%s -s %s/%d", not(r->neg, NFT_NEG_SRC),
			      addr_ntop(AF_INET, r->s.addr, a, sizeof(a)), r->s.plen);
	if (r->d.plen)
		o += snprintf(buf + o, len - o, "%s -d %s/%d", not(r->neg, NFT_NEG_DST),
			      addr_ntop(AF_INET, r->d.addr, a, sizeof(a)), r->d.plen);
	if (r->in || r->out)
		o += snprintf(buf + o, len - o, "%s -%c %s", not(r->neg, N_IF), r->in ? 'i' : 'o',
			      r->in ? r->in : r->out);
	if (r->proto)
		o += snprintf(buf + o, len - o, "%s -p %s", not(r->neg, NFT_NEG_PROTO), p);
	if (r->lo)
		o += snprintf(buf + o, len - o, " -m %s%s --dport %u", p, not(r->neg, NFT_NEG_DPORT),
			      r->lo);
	if (r->lo != r->hi)
		o += snprintf(buf + o, len - o, ":%u", r->hi);
	o += snprintf(buf + o, len - o, " -j %s", r->target == 'M' ? "MASQUERADE" :
		      r->target == 'S' ? "SNAT --to-source" : "DNAT --to-destination");
	if (r->target != 'M')
		o += snprintf(buf + o, len - o, " %s", addr_ntop(AF_INET, r->to.addr, a, sizeof(a)));
	if (r->toport)
		o += snprintf(buf + o, len - o, ":%u", r->toport);
	return o;
}

/* A rule of our table, from its comment: iptables' own line, or the
 * natmasq / natdnat command that made it.  0, or -1: not one we show. */
static int from_comment(struct nsb *c, const struct nft_rule *v, struct ipt *r, char *buf,
			char **w)
{
	int n, k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < 4 && cnft[k] != v->chain; k++)
		;
	r->chain = k;
	memcpy(buf, v->comment, NFT_COMMENT_MAX);
	n = nsb_split(buf, w, 24);
	c->quiet = 1;
	if (n >= 3 && !strcmp(w[0], "-A"))
		k = rule_parse(c, n - 2, w + 2, r) ? -1 : 0;
	else if (n >= 2 && !strcmp(w[0], "natmasq")) {
		r->target = 'M';
		k = prefix_parse(w[1], AF_INET, &r->s, 0) ? -1 : 0;
		if (n == 4 && !strcmp(w[2], "-o")) {
			r->neg = w[3][0] == '!' ? N_IF : 0;
			r->out = w[3] + (w[3][0] == '!');
		}
	} else if (n >= 5 && !strcmp(w[0], "natdnat") && !strcmp(w[1], "-p")) {
		char *a = w[n - 2], *colon = strrchr(a, ':'), *dash;

		r->target = 'D';
		r->proto = w[2][0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (n == 7)
			r->in = w[4];
		if (colon) {
			*colon = '\0';
			addr_parse(a, AF_INET, &r->d);
			a = colon + 1;
		}
		dash = strchr(a, '-');
		if (dash)
			*dash++ = '\0';
		port(a, &r->lo);
		r->hi = r->lo;
		if (dash)
			port(dash, &r->hi);
		k = addrport(c, w[n - 1], &r->to, &r->toport, 0) ? -1 : 0;
	} else {
		k = -1;
	}
	c->quiet = 0;
	return k;
}

static void row(const struct ipt *r, int verbose)
{
	char s[24], d[24], x[80], b[16];
	int o = 0;

	for (o = 0; o < 2; o++) {	/* iptables -L shows a /32 as a bare address */
		const struct nsb_prefix *p = o ? &r->d : &r->s;
		char *t = o ? d : s;

		snprintf(t, sizeof(s), "%s", addr_ntop(AF_INET, p->addr, b, sizeof(b)));
		if (p->plen != 32)
			snprintf(t + strlen(t), sizeof(s) - strlen(t), "/%d", p->plen);
	}
	o = 0;
	x[0] = '\0';
	if (r->lo)
		o = snprintf(x, sizeof(x), " %s dpt%s:%s%u", r->proto == IPPROTO_TCP ? "tcp" : "udp",
			     r->lo != r->hi ? "s" : "", r->neg & NFT_NEG_DPORT ? "!" : "", r->lo);
	if (r->lo != r->hi)
		o += snprintf(x + o, sizeof(x) - o, ":%u", r->hi);
	if (r->target != 'M') {
		o += snprintf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, r->to.addr, b, sizeof(b)));
		if (r->toport)
			snprintf(x + o, sizeof(x) - o, ":%u", r->toport);
	}
	if (verbose)
		printf("    0     0 ");
	printf("%-9s %c%-5d-- ", r->target == 'M' ? "MASQUERADE" : r->target == 'S' ? "SNAT" : "DNAT",
	       r->neg & NFT_NEG_PROTO ? '!' : ' ', r->proto);
	if (verbose) {
		char in[20], out[20];

		snprintf(in, sizeof(in), "%s%s", r->neg & N_IF && r->in ? "!" : "", r->in ? r->in : "*");
		snprintf(out, sizeof(out), "%s%s", r->neg & N_IF && r->out ? "!" : "",
			 r->out ? r->out : "*");
		printf(" %-6s %-6s ", in, out);
	}
	printf("%c%-20s%c%-20s%s\n", r->neg & NFT_NEG_SRC ? '!' : ' ', s,
	       r->neg & NFT_NEG_DST ? '!' : ' ', d, x);
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
			char buf[NFT_COMMENT_MAX], *w[24], out[200];
			struct ipt r;

			if (v[i].chain < 0 || v[i].chain != cnft[k] || from_comment(c, &v[i], &r, buf, w))
				continue;
			if (cmd == 'S') {
				line(&r, out, sizeof(out));
				puts(out);
			} else {
				row(&r, verbose);
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
	return r.chain < 0 || rule_parse(c, argc - 2, argv + 2, &r) || to_nat(c, &r, &a->n);
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

/* Long: iptables' options in any order, then one command */
int iptables_main(struct nsb *c, int argc, char **argv)
{
	struct ipt r = { .chain = -1 };
	struct nft_nat n;
	struct mnl_socket *nl;
	struct nft_rule *v;
	char comment[NFT_COMMENT_MAX + 8];
	const char *table = "filter", *cname = NULL;
	int i, cmd = 0, verbose = 0, k, e;

	c->applet = "iptables";
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *a = argv[i + 1];

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
		} else if (w[0] == '-' && w[1] && strchr("AIDCLSF", w[1]) && !w[2] && !cmd) {
			cmd = (unsigned char)w[1];
			if (a && a[0] != '-') {
				cname = a;
				i++;
				/* -I CHAIN NUM: the position is not kept */
				if (cmd == 'I' && argv[i + 1] && argv[i + 1][0] >= '0' &&
				    argv[i + 1][0] <= '9')
					i++;
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
		if (rule_parse(c, argc - i, argv + i, &r) || to_nat(c, &r, &n))
			return 2;
		if (r.target == 'M' && !r.d.plen && !r.proto && !(r.neg & ~N_IF))
			snprintf(comment, sizeof(comment), "natmasq %s/%d%s%s%s",
				 addr_ntop(AF_INET, r.s.addr, (char[16]){ 0 }, 16), r.s.plen,
				 r.out ? " -o " : "", r.neg & N_IF ? "!" : "", r.out ? r.out : "");
		else if (line(&r, comment, sizeof(comment)) >= NFT_COMMENT_MAX)
			return unsup(c, "a rule this long", NULL);
	}
	e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
	if (e)
		return nsb_fail(c, "nf_tables", e);
	if (cmd == 'L' || cmd == 'S')
		return list(c, nl, r.chain, cmd, verbose);
	if (strchr("AID", cmd))
		/* a rule already there is not made twice */
		return ipt_apply(c, nl, &n, comment, 1u << cnft[r.chain], cmd == 'D');
	/* -C: is it there; -F: every rule of our chains (of that one) */
	memset(&n, 0, sizeof(n));
	k = nft_rules(c, nl, &v);
	if (k < 0)
		return nsb_fail(c, "nf_tables", k);
	for (i = e = 0; i < k && cmd == 'C'; i++)
		cmd = v[i].chain == cnft[r.chain] && !strcmp(v[i].comment, comment) ? 0 : cmd;
	for (i = 0; i < k && cmd == 'F' && !e; i++)
		if (v[i].chain >= 0 && (r.chain < 0 || v[i].chain == cnft[r.chain]))
			e = nft_nat_apply(c, nl, &n, v[i].comment, 1u << v[i].chain, 1, 1);
	free(v);
	if (cmd == 'C')
		return bad(c);
	return e ? nsb_fail(c, "-F", e) : 0;
}
