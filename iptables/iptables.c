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
 * line as its comment, which natmasq and natdnat list too, and its
 * identity (rule.c's fields with nft_nat's), from which -S, -L and the
 * listings read it.  -S and -L print every rule of that table in
 * iptables' shapes; -D and -C find a rule by the line -S prints for it.  Other tables, targets and matches
 * exit 2, one line, with nothing changed. */
/* Its parts: parse.c (the words and the grammar), rule.c (checks, the
 * identity, -S and -L), filter.c (the filter table's commands); here
 * iptables_main and the nat table's commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include "ipt.h"

/* -S or -L as q says: its chain (-1: all) */
static int list(struct nsb *c, struct mnl_socket *nl, const struct ipt *q)
{
	struct nft_rule *v;
	int n = nft_rules(c, nl, &v), k, i, chain = q->chain;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	for (k = 0; k < 4 && q->cmd == 'S'; k++)
		if (chain < 0 || chain == k)
			fmt_out("-P %s ACCEPT\n", ipt_nth(cnames, k));
	for (k = 0; k < 4; k++) {
		unsigned long nr = 0;

		if (chain >= 0 && chain != k)
			continue;
		if (q->cmd == 'L')
			ipt_head(q, !k || chain >= 0, ipt_nth(cnames, k), HAS(q, O_VERBOSE) ?
				 "policy ACCEPT 0 packets, 0 bytes" : "policy ACCEPT");
		for (i = 0; i < n; i++) {
			char out[200];
			struct ipt r;

			if (!ipt_shown(&v[i], k, &r))
				continue;
			nr++;
			if (q->cmd == 'S') {
				ipt_line(&r, out, sizeof(out));
				puts(out);
			} else {
				ipt_row(&r, &v[i], q, nr);
			}
		}
	}
	free(v);
	return 0;
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
		if (!ipt_shown(&v[i], chain, &t))
			continue;
		++*nr;
		if (hit < 0 && (at ? *nr == at : (ipt_line(&t, b, sizeof(b)), !strcmp(b, s))))
			hit = i;
	}
	return hit;
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
	if (ipt_parse(c, argc - 1, argv + 1, &r))
		return 2;
	cmd = r.cmd;
	if (!cmd)
		return nsb_usage(c, NULL, "no command specified");
	if (r.seen & RULE_OPTS && (!strchr("AIDCR", cmd) || (cmd == 'D' && r.at)))
		return nsb_usage(c, "RULE", "unexpected argument");
	if (cmd == 'R' && !r.at)
		return nsb_usage(c, "-R", "needs a rule number");
	if (r.mproto && r.mproto != r.n.proto)	/* as the kernel answers iptables */
		return ipt_refused(c, &r, "Invalid argument");
	if (r.filter) {
		e = nl_sock(c, NULL, NETLINK_NETFILTER, &nl);
		return e ? nsb_fail(c, "nf_tables", e) : ipt_filter(c, nl, &r);
	}
	if (strchr("PNXRZ", cmd)) {
		char w[3] = { '-', (char)cmd, 0 };

		return ipt_unsup(c, w, "in the nat table");
	}
	/* a rule's chain, even "" */
	if (*r.cname || strchr("AIDC", cmd)) {
		r.chain = nsb_word(r.cname, cnames);
		if (r.chain < 0 || (r.chain == C_IN && strchr("AIDC", cmd)))
			return ipt_unsup(c, "chain", r.cname);
	}
	if (strchr("AIC", cmd) || (cmd == 'D' && !r.at)) {
		if (ipt_check(c, &r))
			return 2;
		if (ipt_line(&r, s, sizeof(s)) >= NFT_COMMENT_MAX)
			return ipt_unsup(c, "a rule this long", NULL);
		/* natmasq's rule, as natmasq would make it */
		if (r.target == T_MASQ && !r.n.dst.plen && !r.n.proto && !r.n.neg) {
			natmasq_describe(&r.n, comment, sizeof(comment));
			r.n.maker = NFT_BY_NATMASQ;
		} else {
			strcpy(comment, s);
			ipt_identity(&r);
		}
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
			e = ipt_bad(c);
		else if ((e = nft_nat_apply(c, nl, &r.n, comment, 1u << cnft[r.chain], 0, 1)))
			e = e == -ENOENT ? ipt_bad(c) : nsb_fail(c, comment, e);
	} else if (i < 0 && cmd != 'F') {
		e = r.at ? nsb_msg(c, 1, NULL, "Index of deletion too big.") : ipt_bad(c);
	} else if (cmd != 'C') {
		/* -D: that rule; -F: every rule of our chains (of that one) */
		for (j = 0; j < k && !e; j++)
			if (cmd == 'F' ? ipt_shown(&v[j], r.chain, &t) : j == i)
				e = nft_nat_apply(c, nl, &r.n, v[j].comment, 1u << v[j].chain, 1, 1);
		e = e ? nsb_fail(c, "nf_tables", e) : 0;
	}
	free(v);
	return e;
}
