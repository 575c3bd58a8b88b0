/* natmasq [-n NETNS] [-j]                          list masquerade rules
 * natmasq [-n NETNS] [-e] [-d] SRC_CIDR [-o [!]IFACE]
 *
 * Masquerade IPv4 packets from SRC_CIDR leaving through IFACE (or, with !,
 * through any other interface). Turns on IPv4 forwarding in that namespace.
 * Host bits in SRC_CIDR are cleared, as iptables does (10.10.0.10/16 means
 * 10.10.0.0/16). Rules live in nsbox's own nf_tables table (table ip nsbox,
 * chain postrouting), each with the command that made it as its comment;
 * no other table is touched.
 *   -n NETNS  act inside NETNS
 *   -j        list as JSON: [{"src","oifname","oifname_negated","comment"}]
 *   -e        succeed when the rule exists already (or, with -d, is gone)
 *   -d        delete the rule these arguments describe
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "cli.h"


enum { O_N = 2, O_J, O_E, O_D, O_O };

static const struct nsb_optdef opts[] = {
	{ "-n", O_N, 1 },
	{ "-j", O_J, 0 },
	{ "-e", O_E, 0 },
	{ "-d", O_D, 0 },
	{ "-o", O_O, 1 },
	{ 0 }
};

struct args {
	const char *netns, *src;
	int json, idem, del, change;
	struct nft_nat n;
};

static int parse(struct nsb *c, int argc, char **argv, struct args *a)
{
	struct nsb_opts st = { 0 };
	int k;

	memset(a, 0, sizeof(*a));
	a->n.masq = 1;
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		switch (k) {
		case NSB_OPT_USAGE:
			return 2;
		case O_N:
			a->netns = st.arg;
			break;
		case O_J:
			a->json = 1;
			break;
		case O_E:
			a->idem = a->change = 1;
			break;
		case O_D:
			a->del = a->change = 1;
			break;
		case O_O:
			a->change = 1;
			a->n.ifneg = st.arg[0] == '!';
			if (!ifname_valid(st.arg + a->n.ifneg))
				return nsb_usage(c, st.arg, "invalid interface name");
			snprintf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg + a->n.ifneg);
			break;
		default:
			if (a->src)
				return nsb_usage(c, st.arg, "unexpected argument");
			a->src = st.arg;
			if (prefix_parse(st.arg, AF_INET, &a->n.src, 0))
				return nsb_usage(c, st.arg, "invalid IPv4 prefix");
			prefix_clear_host(&a->n.src);
		}
	}
	if (a->change && !a->src)
		return nsb_usage(c, "SRC_CIDR", "missing operand");
	if (a->json && a->src)
		return nsb_usage(c, "-j", "only lists");
	return 0;
}

/* The command in canonical form: what the rule's comment says. */
static void describe(const struct nft_nat *n, char *buf, size_t len)
{
	char a[16];
	int o = snprintf(buf, len, "natmasq %s/%d", addr_ntop(AF_INET, n->src.addr, a, sizeof(a)),
			 n->src.plen);

	if (n->ifname[0])
		snprintf(buf + o, len - o, " -o %s%s", n->ifneg ? "!" : "", n->ifname);
}

static int list(struct nsb *c, struct mnl_socket *nl, int json)
{
	struct nft_rule *v;
	struct json j = { 0 };
	int n = nft_rules(c, nl, &v), i, k;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	if (json)
		json_open(&j, '[');
	for (i = 0; i < n; i++) {
		char words[NFT_COMMENT_MAX], *w[16], a[16], pfx[24];
		struct args r;

		if (v[i].chain != NFT_POST || strncmp(v[i].comment, "natmasq ", 8))
			continue;
		memcpy(words, v[i].comment, sizeof(words));
		k = nsb_split(words, w, 16);
		/* a comment not of ours (nft add ... comment) is skipped, silently */
		c->quiet = 1;
		k = k < 2 || parse(c, k, w, &r);
		c->quiet = 0;
		if (k)
			continue;
		if (!json) {
			puts(v[i].comment + 8);
			continue;
		}
		snprintf(pfx, sizeof(pfx), "%s/%d", addr_ntop(AF_INET, r.n.src.addr, a, sizeof(a)),
			 r.n.src.plen);
		json_open(&j, '{');
		json_kstr(&j, "src", pfx);
		if (r.n.ifname[0]) {
			json_kstr(&j, "oifname", r.n.ifname);
			json_key(&j, "oifname_negated");
			json_bool(&j, r.n.ifneg);
		}
		json_kint(&j, "handle", (long long)v[i].handle);
		json_kstr(&j, "comment", v[i].comment);
		json_close(&j, '{');
	}
	if (json)
		json_close(&j, '[');
	free(v);
	return 0;
}

int natmasq_main(struct nsb *c, int argc, char **argv)
{
	struct mnl_socket *nl;
	struct args a;
	char comment[NFT_COMMENT_MAX];
	int fwd, r = parse(c, argc, argv, &a);

	if (r)
		return r;
	r = nl_sock(c, a.netns, NETLINK_NETFILTER, &nl);
	if (r)
		return nsb_fail(c, a.netns ? a.netns : "nf_tables", r);
	if (!a.src)
		return list(c, nl, a.json);
	describe(&a.n, comment, sizeof(comment));
	r = nft_nat_commit(c, a.netns, nl, &a.n, comment, 1u << NFT_POST,
			   a.del, a.idem, &fwd);
	return r ? nsb_fail(c, fwd ? NSB_IP_FORWARD : a.src, r) : 0;
}
