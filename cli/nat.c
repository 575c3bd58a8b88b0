/*
 * The front end natmasq and natdnat share: their common options (-n -j -e
 * -d -v), the listing of their rules (recognised by comment, which is the
 * command that made them; their fields read from their identity, or an
 * older nsbox's from the comment parsed again) with their counts, and the
 * commit.
 * The applets keep what differs: their own options and operands, the
 * comment, their JSON keys.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>
#include "cli.h"

int nat_opt(struct nat_args *a, int k, const char *arg)
{
	switch (k) {
	case NAT_O_NETNS:
		a->netns = arg;
		return 1;
	case NAT_O_JSON:
		a->json = 1;
		return 1;
	case NAT_O_IDEM:
		a->idem = a->change = 1;
		return 1;
	case NAT_O_DEL:
		a->del = a->change = 1;
		return 1;
	case NAT_O_VERBOSE:
		a->verbose = 1;
		return 1;
	}
	return 0;
}

/* Long: a rule of a command may be in several chains; it is listed once,
 * with what all of them counted (a forward's prerouting and output rules).
 * A rule made by an older nsbox has no counter: its counts are absent from
 * -j and "-" in -v.  iptables' rules (comment "-A CHAIN ...") in chains are
 * listed too, as that line; one an older nsbox made has no identity, and
 * -j gives its comment and handle only. */
/* Over 60 lines: the NAT listing's three shapes (JSON, -v, plain) over one walk of the rules
 * NOLINTNEXTLINE(readability-function-size) */
static int list(struct nsb *c, struct mnl_socket *nl, const struct nat_args *a,
		const char *prefix, nat_parse_fn *parse, nat_show_fn *show, unsigned int chains)
{
	size_t plen = strlen(prefix);
	struct nft_rule *v;
	struct json j = { 0 };
	int n = nft_rules(c, nl, &v), i, k, json = a->json;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	if (json)
		json_open(&j, '[');
	for (i = 0; i < n; i++) {
		char words[NFT_COMMENT_MAX], *w[16];
		struct nat_args r;
		unsigned long long pk = 0, by = 0;
		int counted = 0, maker, ipt = !strncmp(v[i].comment, "-A ", 3);
		const char *txt = v[i].comment + (ipt ? 0 : plen);

		if (v[i].chain < 0 || (ipt ? !(chains >> v[i].chain & 1)
				       : strncmp(v[i].comment, prefix, plen) != 0))
			continue;
		/* one rule of a command may be in several chains */
		for (k = 0; k < i; k++)
			if (v[k].chain >= 0 && !strcmp(v[k].comment, v[i].comment))
				break;
		if (k < i)
			continue;
		memset(&r, 0, sizeof(r));
		maker = nft_id_nat(&v[i], &r.n);
		if (maker == NFT_BY_IPTABLES && r.n.iif[0]) {	/* natdnat lists -i as its own */
			memcpy(r.n.ifname, r.n.iif, sizeof(r.n.iif));
			r.n.ifneg = !!(r.n.neg & NFT_NEG_IIF);
		}
		/* an older nsbox's rule of ours, from its comment; one not of
		 * ours (nft add ... comment) is skipped, silently */
		if (!maker && !ipt) {
			memcpy(words, v[i].comment, sizeof(words));
			k = nsb_split(words, w, 16);
			if (k < 2 || parse(NULL, k, w, &r))
				continue;
		}
		for (k = i; k < n; k++)
			if (v[k].chain >= 0 && !strcmp(v[k].comment, v[i].comment)) {
				counted |= v[k].counted;
				pk += v[k].packets;
				by += v[k].bytes;
			}
		if (json) {
			json_open(&j, '{');
			/* an older iptables' rule: its fields are iptables' to read */
			if (maker || !ipt)
				show(&j, &r, v, n, i);
			else
				json_kint(&j, "handle", (long long)v[i].handle);
			/* handles are per table */
			json_kstr(&j, "family", v[i].family == AF_INET6 ? "ip6" : "ip");
			if (counted) {
				json_kint(&j, "packets", (long long)pk);
				json_kint(&j, "bytes", (long long)by);
			}
			json_kstr(&j, "comment", v[i].comment);
			json_close(&j, '{');
		} else if (a->verbose && counted) {
			fmt_out("%8llu %10llu %s\n", pk, by, txt);
		} else if (a->verbose) {
			fmt_out("%8s %10s %s\n", "-", "-", txt);
		} else {
			puts(txt);
		}
	}
	if (json)
		json_close(&j, '[');
	free(v);
	return 0;
}

int nat_run(struct nsb *c, const struct nat_args *a, const char *prefix,
	    nat_parse_fn *parse, nat_show_fn *show, unsigned int chains)
{
	struct mnl_socket *nl;
	int fwd, r;

	if (a->ops[0] && (a->json || a->verbose))
		return nsb_usage(c, a->json ? "-j" : "-v", "only lists");
	/* a comment holds NFT_COMMENT_MAX bytes with its NUL */
	if (strlen(a->comment) >= NFT_COMMENT_MAX)
		return nsb_usage(c, a->ops[1] ? a->ops[1] : a->ops[0], "too long for a rule comment");
	r = nl_sock(c, a->netns, NETLINK_NETFILTER, &nl);
	if (r)
		return nsb_fail(c, a->netns ? a->netns : "nf_tables", r);
	if (!a->ops[0])
		return list(c, nl, a, prefix, parse, show, chains);
	r = nft_nat_commit(c, a->netns, nl, &a->n, a->comment, chains, a->del, a->idem, &fwd);
	return r ? nsb_fail(c, fwd ? nft_fwd_path(&a->n) : a->ops[0], r) : 0;
}
