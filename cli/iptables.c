/* iptables [-w [SECS]] -t nat -A|-I|-D|-C CHAIN RULE | -L [-n] [-v] [CHAIN] |
 *          -S [CHAIN] | -F [CHAIN]
 * nsbox called as iptables, for the NAT table only: the rules scripts use
 * (MASQUERADE on POSTROUTING, DNAT on PREROUTING and OUTPUT), kept in nsbox's
 * own table (table ip nsbox).  A rule natmasq can say is stored as natmasq's
 * (so natmasq lists and deletes it); any other carries iptables' own -A line
 * as its comment.  -S and -L print every rule of that table in iptables'
 * shapes.  Other tables, chains, targets and matches exit 2, one line. */
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
enum { N_S, N_D, N_I, N_O };	/* negation bits */

static const char *nth(const char *words_, int k)
{
	while (k--)
		words_ += strlen(words_) + 1;
	return words_;
}

struct ipt {
	int chain, target, proto;	/* target: 'M' or 'D' */
	unsigned int neg, lo, hi;
	struct nsb_prefix s, d, to;
	int has_s, has_d;
	unsigned int toport;
	const char *in, *out;
};

static int unsup(struct nsb *c, const char *what, const char *arg)
{
	return nsb_msg(c, 2, NULL, "%s%s%s: not supported by nsbox (nat table: MASQUERADE, DNAT)",
		       what, arg ? " " : "", arg ? arg : "");
}

static int pfx(struct nsb *c, const char *a, struct nsb_prefix *p)
{
	if (prefix_parse(a, AF_INET, p, 0))
		return nsb_usage(c, a, "invalid IPv4 address");
	prefix_clear_host(p);
	return 0;
}

static int port(const char *s, unsigned int *v)
{
	unsigned long n;

	if (num_parse(s, 1, 65535, &n))
		return -1;
	*v = n;
	return 0;
}

static const char words[] =
	"-s\0--source\0-d\0--destination\0-i\0--in-interface\0-o\0--out-interface\0"
	"-p\0--protocol\0-m\0--match\0--dport\0--destination-port\0-j\0--jump\0"
	"--to-destination\0";

/* The rule's words after the chain (argv from a command or a comment). */
static int rule_parse(struct nsb *c, int argc, char **argv, struct ipt *r)
{
	int i, k, neg = 0;

	for (i = 0; i < argc; i++) {
		const char *w = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;
		char *colon;

		if (!strcmp(w, "!")) {
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
		if (neg && k > N_O)
			return unsup(c, "!", w);
		if (neg)
			r->neg |= 1u << k;
		neg = 0;
		switch (k) {
		case 0:
			r->has_s = 1;
			if (pfx(c, a, &r->s))
				return 2;
			break;
		case 1:
			r->has_d = 1;
			if (pfx(c, a, &r->d))
				return 2;
			break;
		case 2:
		case 3:
			if (!ifname_valid(a))
				return nsb_usage(c, a, "invalid interface name");
			*(k == 2 ? &r->in : &r->out) = a;
			break;
		case 4:
		case 5:
			if (strcmp(a, "tcp") && strcmp(a, "udp"))
				return unsup(c, w, a);
			if (k == 4)
				r->proto = a[0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
			break;
		case 6:
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			if (port(a, &r->lo) || (colon && port(colon + 1, &r->hi)) ||
			    (colon && r->hi < r->lo))
				return nsb_usage(c, a, "invalid port");
			if (!colon)
				r->hi = r->lo;
			break;
		case 7:
			r->target = !strcmp(a, "MASQUERADE") ? 'M' : !strcmp(a, "DNAT") ? 'D' : 0;
			if (!r->target)
				return unsup(c, "-j", a);
			break;
		default:
			colon = strchr(a, ':');
			if (colon)
				*colon = '\0';
			if (addr_parse(a, AF_INET, &r->to) ||
			    (colon && port(colon + 1, &r->toport)))
				return nsb_usage(c, a, "invalid --to-destination");
		}
	}
	if (neg)
		return nsb_usage(c, "!", "missing option");
	return 0;
}

/* r into nsbox's rule: 0, or 2 after the message */
static int to_nat(struct nsb *c, const struct ipt *r, struct nft_nat *n)
{
	memset(n, 0, sizeof(*n));
	if (r->target == 'M') {
		if (r->chain != 3 || r->proto || r->lo || r->in || r->neg & (1u << N_S))
			return unsup(c, "MASQUERADE", "with these matches");
		n->masq = 1;
		n->src = r->s;
		n->src.family = AF_INET;
		if (r->has_d && (r->neg & (1u << N_D))) {
			n->nxdst = 1;
			n->xdst[0] = r->d;
		} else if (r->has_d) {
			n->has_dst = 1;
			n->dst = r->d;
		}
		if (r->out) {
			snprintf(n->ifname, sizeof(n->ifname), "%s", r->out);
			n->ifneg = !!(r->neg & (1u << N_O));
		}
		return 0;
	}
	if (r->target != 'D' || r->chain == 3 || !r->proto || !r->lo || r->has_s || r->out ||
	    (r->in && r->chain != 0) || r->neg || (r->has_d && r->d.plen != 32))
		return unsup(c, "DNAT", "with these matches");
	if (!r->to.family)
		return nsb_usage(c, "--to-destination", "missing option");
	n->proto = r->proto;
	n->has_dst = r->has_d;
	n->anydst = !r->has_d;
	n->dst = r->d;
	n->lo = r->lo;
	n->hi = r->hi;
	n->to = r->to;
	n->toport = r->toport;
	if (r->in)
		snprintf(n->ifname, sizeof(n->ifname), "%s", r->in);
	return 0;
}

static void addr(char *buf, size_t len, const struct nsb_prefix *p)
{
	char a[16];

	snprintf(buf, len, "%s/%d", addr_ntop(AF_INET, p->addr, a, sizeof(a)), p->plen);
}

/* iptables -S's line for r */
static void line(const struct ipt *r, char *buf, size_t len)
{
	char a[24], b[16];
	int o = snprintf(buf, len, "-A %s", nth(cnames, r->chain));
	const char *p = r->proto == IPPROTO_TCP ? "tcp" : "udp";

	if (r->has_s) {
		addr(a, sizeof(a), &r->s);
		o += snprintf(buf + o, len - o, "%s -s %s", r->neg & 1 ? " !" : "", a);
	}
	if (r->has_d) {
		addr(a, sizeof(a), &r->d);
		o += snprintf(buf + o, len - o, "%s -d %s", r->neg & 2 ? " !" : "", a);
	}
	if (r->in)
		o += snprintf(buf + o, len - o, "%s -i %s", r->neg & 4 ? " !" : "", r->in);
	if (r->out)
		o += snprintf(buf + o, len - o, "%s -o %s", r->neg & 8 ? " !" : "", r->out);
	if (r->proto)
		o += snprintf(buf + o, len - o, " -p %s -m %s", p, p);
	if (r->lo == r->hi && r->lo)
		o += snprintf(buf + o, len - o, " --dport %u", r->lo);
	else if (r->lo)
		o += snprintf(buf + o, len - o, " --dport %u:%u", r->lo, r->hi);
	if (r->target == 'M') {
		snprintf(buf + o, len - o, " -j MASQUERADE");
		return;
	}
	o += snprintf(buf + o, len - o, " -j DNAT --to-destination %s",
		      addr_ntop(AF_INET, r->to.addr, b, sizeof(b)));
	if (r->toport)
		snprintf(buf + o, len - o, ":%u", r->toport);
}

/* A rule of our table, from its comment: iptables' own line, or the
 * natmasq / natdnat command that made it.  0, or -1: not one we show. */
static int from_comment(struct nsb *c, const struct nft_rule *v, struct ipt *r, char *words_,
			char **w)
{
	int n, k;

	memset(r, 0, sizeof(*r));
	for (k = 0; k < 4 && cnft[k] != v->chain; k++)
		;
	r->chain = k;
	memcpy(words_, v->comment, NFT_COMMENT_MAX);
	n = nsb_split(words_, w, 24);
	if (n >= 3 && !strcmp(w[0], "-A"))
		return rule_parse(c, n - 2, w + 2, r) ? -1 : 0;
	if (n >= 2 && !strcmp(w[0], "natmasq")) {
		r->target = 'M';
		r->has_s = !prefix_parse(w[1], AF_INET, &r->s, 0);
		if (n == 4 && !strcmp(w[2], "-o")) {
			r->neg = w[3][0] == '!' ? 8 : 0;
			r->out = w[3] + (w[3][0] == '!');
		}
		return 0;
	}
	if (n >= 5 && !strcmp(w[0], "natdnat") && !strcmp(w[1], "-p")) {
		char *a = w[n - 2], *colon = strrchr(a, ':'), *dash;

		r->target = 'D';
		r->proto = w[2][0] == 't' ? IPPROTO_TCP : IPPROTO_UDP;
		if (n == 7)
			r->in = w[4];
		if (colon) {
			*colon = '\0';
			r->has_d = !prefix_parse(a, AF_INET, &r->d, 0);
			a = colon + 1;
		}
		dash = strchr(a, '-');
		if (dash)
			*dash++ = '\0';
		port(a, &r->lo);
		r->hi = r->lo;
		if (dash)
			port(dash, &r->hi);
		a = w[n - 1];
		colon = strchr(a, ':');
		if (colon) {
			*colon = '\0';
			port(colon + 1, &r->toport);
		}
		addr_parse(a, AF_INET, &r->to);
		return 0;
	}
	return -1;
}

static void row(const struct ipt *r, int verbose)
{
	char s[24], d[24], x[80];
	int o = 0;

	if (r->has_s)
		addr(s, sizeof(s), &r->s);
	if (r->has_d)
		addr(d, sizeof(d), &r->d);
	for (o = 0; o < 2; o++) {	/* iptables -L shows a /32 as a bare address */
		char *p = o ? d : s, *sl = strrchr(p, '/');

		if (sl && !strcmp(sl, "/32"))
			*sl = '\0';
	}
	o = 0;
	x[0] = '\0';
	if (r->proto)
		o = snprintf(x, sizeof(x), " %s dpt%s:%u", r->proto == IPPROTO_TCP ? "tcp" : "udp",
			     r->lo != r->hi ? "s" : "", r->lo);
	if (r->lo != r->hi)
		o += snprintf(x + o, sizeof(x) - o, ":%u", r->hi);
	if (r->target == 'D') {
		char b[16];

		o += snprintf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, r->to.addr, b, sizeof(b)));
		if (r->toport)
			snprintf(x + o, sizeof(x) - o, ":%u", r->toport);
	}
	if (verbose)
		printf("    0     0 ");
	printf("%-9s  %-5d-- ", r->target == 'M' ? "MASQUERADE" : "DNAT", r->proto);
	if (verbose) {
		char in[20], out[20];

		snprintf(in, sizeof(in), "%s%s", r->neg & 4 ? "!" : "", r->in ? r->in : "*");
		snprintf(out, sizeof(out), "%s%s", r->neg & 8 ? "!" : "", r->out ? r->out : "*");
		printf(" %-6s %-6s ", in, out);
	}
	printf("%c%-20s%c%-20s%s\n", r->neg & 1 ? '!' : ' ', r->has_s ? s : "0.0.0.0/0",
	       r->neg & 2 ? '!' : ' ', r->has_d ? d : "0.0.0.0/0", x);
}

/* -S or -L of chain (-1: all) */
static int list(struct nsb *c, struct mnl_socket *nl, int chain, int cmd, int verbose)
{
	struct nft_rule *v;
	int n = nft_rules(c, nl, &v), k, i;

	if (n == -ENOENT)
		n = 0;
	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	for (k = 0; k < 4 && cmd == 'S'; k++)
		if (chain < 0 || chain == k)
			printf("-P %s ACCEPT\n", nth(cnames, k));
	for (k = 0; k < 4; k++) {
		if (chain >= 0 && chain != k)
			continue;
		if (cmd == 'L') {
			printf("%sChain %s (policy ACCEPT%s)\n", k && chain < 0 ? "\n" : "",
			       nth(cnames, k), verbose ? " 0 packets, 0 bytes" : "");
			printf("%s%s\n", verbose ? " pkts bytes " : "",
			       verbose ? "target     prot opt in     out     source               destination         "
				       : "target     prot opt source               destination         ");
		}
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

int iptables_main(struct nsb *c, int argc, char **argv)
{
	struct ipt r = { .chain = -1 };
	struct nft_nat n;
	struct mnl_socket *nl;
	char comment[NFT_COMMENT_MAX];
	const char *table = "filter", *cname = NULL;
	int i, cmd = 0, verbose = 0, k, e;

	c->applet = "iptables";
	for (i = 1; i < argc; i++) {
		const char *w = argv[i], *a = i + 1 < argc ? argv[i + 1] : NULL;

		if (!w)
			break;
		if (!strcmp(w, "-t") || !strcmp(w, "--table")) {
			if (!a)
				return nsb_usage(c, w, "option requires an argument");
			table = argv[++i];
		} else if (!strcmp(w, "-w") || !strcmp(w, "--wait")) {
			if (a && a[0] >= '0' && a[0] <= '9')
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
				if (cmd == 'I' && i + 1 < argc && argv[i + 1][0] >= '0' &&
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
		if (r.chain < 0 || (r.chain == 1 && strchr("AIDC", cmd)))
			return unsup(c, "chain", cname);
	}
	if (strchr("AIDC", cmd)) {
		for (k = i; k < argc; k++)
			if (!strcmp(argv[k], "-w") || !strcmp(argv[k], "-t") || !strcmp(argv[k], "--table"))
				return unsup(c, argv[k], "after the rule");
		e = rule_parse(c, argc - i, argv + i, &r);
		if (e || to_nat(c, &r, &n))
			return 2;
		if (r.target == 'M' && !r.has_d)
			snprintf(comment, sizeof(comment), "natmasq %s/%d%s%s%s",
				 addr_ntop(AF_INET, r.s.addr, (char[16]){ 0 }, 16), r.s.plen,
				 r.out ? " -o " : "", r.neg & 8 ? "!" : "", r.out ? r.out : "");
		else
			line(&r, comment, sizeof(comment));
	}
	if (strchr("AIDC", cmd) && (r.chain < 0 || cnft[r.chain] < 0))
		return nsb_usage(c, NULL, "no chain");
	e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
	if (e)
		return nsb_fail(c, "nf_tables", e);
	if (cmd == 'L' || cmd == 'S')
		return list(c, nl, r.chain, cmd, verbose);
	if (cmd == 'F') {
		struct nft_rule *v;
		int nr = nft_rules(c, nl, &v);

		if (nr == -ENOENT)
			return 0;
		if (nr < 0)
			return nsb_fail(c, "nf_tables", nr);
		memset(&n, 0, sizeof(n));
		for (k = e = 0; k < nr && !e; k++)
			if (v[k].chain >= 0 && (r.chain < 0 || v[k].chain == cnft[r.chain]))
				e = nft_nat_apply(c, nl, &n, v[k].comment, 1u << v[k].chain, 1, 1);
		free(v);
		return e ? nsb_fail(c, "-F", e) : 0;
	}
	if (cmd == 'C') {
		struct nft_rule *v;
		int nr = nft_rules(c, nl, &v), hit = 0;

		for (k = 0; k < nr; k++)
			hit |= v[k].chain == cnft[r.chain] && !strcmp(v[k].comment, comment);
		if (nr > 0)
			free(v);
		e = hit ? 0 : -ENOENT;
	} else {
		e = nft_nat_apply(c, nl, &n, comment, 1u << (cnft[r.chain] & 3), cmd == 'D', 0);
	}
	if (e == -ENOENT)
		return nsb_msg(c, 1, NULL, "Bad rule (does a matching rule exist in that chain?).");
	return e ? nsb_fail(c, comment, e) : 0;
}
