/*
 * The front end natmasq and natdnat share: their common options (-n -j -e
 * -d), the listing of their rules (recognised by comment, which is the
 * command that made them, parsed again) and the commit.  The applets keep
 * what differs: their own options and operands, the comment, the JSON.
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
	}
	return 0;
}

/* the applet's own rules, and iptables' (comment "-A CHAIN ...") in chains */
static int list(struct nsb *c, struct mnl_socket *nl, int json, const char *prefix,
		nat_parse_fn *parse, nat_show_fn *show, unsigned int chains)
{
	size_t plen = strlen(prefix);
	struct nft_rule *v;
	struct json j = { 0 };
	int n = nft_rules(c, nl, &v), i, k;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	if (json)
		json_open(&j, '[');
	for (i = 0; i < n; i++) {
		char words[NFT_COMMENT_MAX], *w[16];
		struct nat_args r;

		int ipt = !strncmp(v[i].comment, "-A ", 3);

		if (v[i].chain < 0 || (ipt ? !(chains >> v[i].chain & 1)
				       : strncmp(v[i].comment, prefix, plen) != 0))
			continue;
		/* one rule of a command may be in several chains */
		for (k = 0; k < i; k++)
			if (v[k].chain >= 0 && !strcmp(v[k].comment, v[i].comment))
				break;
		if (k < i)
			continue;
		memcpy(words, v[i].comment, sizeof(words));
		k = nsb_split(words, w, 16);
		/* a comment not of ours (nft add ... comment) is skipped, silently */
		c->quiet = 1;
		k = k < 2 || (ipt ? iptables_rule : parse)(c, k, w, &r);
		c->quiet = 0;
		if (k)
			continue;
		if (json)
			show(&j, &r, v, n, i);
		else
			puts(v[i].comment + (ipt ? 0 : plen));
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
	int fwd, r = nl_sock(c, a->netns, NETLINK_NETFILTER, &nl);

	if (r)
		return nsb_fail(c, a->netns ? a->netns : "nf_tables", r);
	if (!a->ops[0])
		return list(c, nl, a->json, prefix, parse, show, chains);
	r = nft_nat_commit(c, a->netns, nl, &a->n, a->comment, chains, a->del, a->idem, &fwd);
	return r ? nsb_fail(c, fwd ? NSB_IP_FORWARD : a->ops[0], r) : 0;
}
