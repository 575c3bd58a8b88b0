/*
 * Our tables read back: the requests (rules, chains, the ruleset
 * generation, a table) and the callbacks that validate and read the
 * kernel's replies, which hold rules with their handles, counters and
 * comments, the base chains of ours that exist, the generation, and whether
 * a table holds nothing but our chains.  nft.c reads the echo of its
 * commits with the same callbacks (tests/fuzz/fuzz_nft.c feeds them
 * arbitrary bytes).
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "nftint.h"

static int rule_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a), ok = 0;

	if (mnl_attr_type_valid(a, NFTA_RULE_MAX) < 0)
		return MNL_CB_OK;	/* newer kernel: not ours to read */
	switch (t) {
	case NFTA_RULE_TABLE:
	case NFTA_RULE_CHAIN:
		ok = mnl_attr_validate(a, MNL_TYPE_NUL_STRING);
		break;
	case NFTA_RULE_HANDLE:
		ok = mnl_attr_validate(a, MNL_TYPE_U64);
		break;
	case NFTA_RULE_USERDATA:
		ok = mnl_attr_validate(a, MNL_TYPE_BINARY);
		break;
	case NFTA_RULE_EXPRESSIONS:
		ok = mnl_attr_validate(a, MNL_TYPE_NESTED);
		break;
	}
	if (ok < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	tb[t] = a;
	return MNL_CB_OK;
}

/* The comment TLV of rule userdata and its identity's, the first
 * well-formed one of each. */
static void get_userdata(const struct nlattr *a, struct nft_rule *r)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a), off = 0;

	for (; off + 2 <= len && off + 2 + p[off + 1] <= len; off += 2 + p[off + 1]) {
		size_t l = p[off + 1];

		if (p[off] == 0 && !r->comment[0] && l > 0 && l <= NFT_COMMENT_MAX &&
		    p[off + 2 + l - 1] == '\0')
			memcpy(r->comment, p + off + 2, l);
		if (p[off] == NFT_UD_ID && !r->idlen && l <= NFT_ID_MAX) {
			memcpy(r->id, p + off + 2, l);
			r->idlen = (int)l;
		}
	}
}

/* Attributes 1 and 2 of a nest: an expression's NFTA_EXPR_NAME and
 * NFTA_EXPR_DATA, or a counter's NFTA_COUNTER_BYTES and _PACKETS. */
int nft_two_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (t == 1 || t == 2)
		tb[t] = a;
	return MNL_CB_OK;
}

/* One NFTA_LIST_ELEM of a rule: when it is a counter, its counts (a
 * malformed one is no counter). */
static int expr_cb(const struct nlattr *e, void *data)
{
	struct nft_rule *r = data;
	const struct nlattr *x[3] = { 0 }, *k[3] = { 0 };

	if (mnl_attr_parse_nested(e, nft_two_attr, x) < 0 || !x[1] || !x[2] ||
	    mnl_attr_validate(x[1], MNL_TYPE_NUL_STRING) < 0 ||
	    strcmp(mnl_attr_get_str(x[1]), "counter") ||
	    mnl_attr_parse_nested(x[2], nft_two_attr, k) < 0 || !k[1] || !k[2] ||
	    mnl_attr_validate(k[1], MNL_TYPE_U64) < 0 || mnl_attr_validate(k[2], MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	r->counted = 1;
	r->bytes += be64toh(mnl_attr_get_u64(k[NFTA_COUNTER_BYTES]));
	r->packets += be64toh(mnl_attr_get_u64(k[NFTA_COUNTER_PACKETS]));
	return MNL_CB_OK;
}

int nft_parse(const struct nlmsghdr *nlh, int type, mnl_attr_cb_t cb, void *tb)
{
	if (nlh->nlmsg_type != NFT(type))
		return 0;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), cb, tb) < 0) {
		errno = EBADMSG;
		return -1;
	}
	return 1;
}

int nft_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	struct nft_rule *r;
	const char *chain;
	int i;

	i = nft_parse(nlh, NFT_MSG_NEWRULE, rule_attr, tb);
	if (i <= 0)
		return i < 0 ? MNL_CB_ERROR : MNL_CB_OK;
	/* the dump is of every family: inet, arp, bridge nsbox are not ours */
	if (!tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    strcmp(mnl_attr_get_str(tb[NFTA_RULE_TABLE]), TABLE) ||
	    (g->nfgen_family != NFPROTO_IPV4 && g->nfgen_family != NFPROTO_IPV6))
		return MNL_CB_OK;
	r = list_add(data);
	if (!r) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	chain = mnl_attr_get_str(tb[NFTA_RULE_CHAIN]);
	r->chain = -1;
	strncpy(r->cname, chain, sizeof(r->cname) - 1);
	r->cname[sizeof(r->cname) - 1] = '\0';
	for (i = 0; i < NFT_NCHAINS; i++)
		if (!strcmp(chain, nft_base[i].name))
			r->chain = i;
	r->family = g->nfgen_family;
	r->counted = 0;
	r->packets = r->bytes = 0;
	if (tb[NFTA_RULE_EXPRESSIONS])
		mnl_attr_parse_nested(tb[NFTA_RULE_EXPRESSIONS], expr_cb, r);
	r->handle = be64toh(mnl_attr_get_u64(tb[NFTA_RULE_HANDLE]));
	r->comment[0] = '\0';
	r->idlen = 0;
	if (tb[NFTA_RULE_USERDATA])
		get_userdata(tb[NFTA_RULE_USERDATA], r);
	r->key = nft_key(r->comment);
	return MNL_CB_OK;
}

/* A request of type with its nfgenmsg, in buf. */
struct nlmsghdr *nft_req(char *buf, int type, int family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = NFT(type);
	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	return nlh;
}

/* A dump of table ip6 redone: what its first try added goes (ip's stay). */
static void reset6(void *data)
{
	struct nsb_list *d = data;

	while (d->n && ((struct nft_rule *)d->v)[d->n - 1].family == AF_INET6)
		d->n--;
}

/* Every rule of our tables into d (emptied first): table ip's, then ip6's.
 * One dump per family: given a table name, the kernel dumps only the first
 * table of that name, whatever the family asked. */
int nft_dump_rules(struct nsb *c, struct mnl_socket *nl, struct nsb_list *d)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	struct nlmsghdr *nlh;
	int i, r = 0;

	d->n = 0;
	for (i = 0; i < 2 && !r; i++) {
		nlh = nft_req(buf, NFT_MSG_GETRULE, i ? NFPROTO_IPV6 : NFPROTO_IPV4);
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, TABLE);
		r = nl_dump(c, nl, nlh, nft_rule_cb, d, i ? reset6 : list_reset);
		if (r == -ENOENT)
			r = 0;	/* no such nsbox table: no rules */
	}
	return r;
}

int nft_rules(struct nsb *c, struct mnl_socket *nl, struct nft_rule **out)
{
	struct nsb_list d = { .size = sizeof(struct nft_rule) };
	int r = nft_dump_rules(c, nl, &d);

	if (r < 0) {
		free(d.v);
		return r;
	}
	*out = d.v;
	return d.n;
}

int nft_chain_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int t = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, NFTA_CHAIN_MAX) < 0)
		return MNL_CB_OK;
	if ((t == NFTA_CHAIN_TABLE || t == NFTA_CHAIN_NAME) &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	tb[t] = a;
	return MNL_CB_OK;
}

int nft_chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 };
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	unsigned int *have = data;
	int i;

	i = nft_parse(nlh, NFT_MSG_NEWCHAIN, nft_chain_attr, tb);
	if (i <= 0)
		return i < 0 ? MNL_CB_ERROR : MNL_CB_OK;
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME] ||
	    strcmp(mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]), TABLE) ||
	    (g->nfgen_family != NFPROTO_IPV4 && g->nfgen_family != NFPROTO_IPV6))
		return MNL_CB_OK;
	for (i = 0; i < NFT_NCHAINS; i++)
		if (!strcmp(mnl_attr_get_str(tb[NFTA_CHAIN_NAME]), nft_base[i].name))
			*have |= 1u << (i + NFT_SHIFT(g->nfgen_family));
	return MNL_CB_OK;
}

static void chains_reset(void *data)
{
	*(unsigned int *)data = 0;
}

/* Which of our chains exist.  NEWCHAIN on an existing base chain is a
 * no-op, but one that costs the kernel ~12 ms (seen on 6.18): ask first. */
int nft_our_chains(struct nsb *c, struct mnl_socket *nl, unsigned int *have)
{
	char buf[MNL_NLMSG_HDRLEN + 16];

	*have = 0;
	return nl_dump(c, nl, nft_req(buf, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC), nft_chain_cb, have,
		       chains_reset);
}

static int gen_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NFTA_GEN_ID) {
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0) {
			errno = EBADMSG;
			return MNL_CB_ERROR;
		}
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	}
	return MNL_CB_OK;
}

/* NFT_MSG_NEWGEN: the reply to GETGEN, and the echo of a commit. */
int nft_gen_cb(const struct nlmsghdr *nlh, void *data)
{
	return nft_parse(nlh, NFT_MSG_NEWGEN, gen_attr, data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* The ruleset generation: every commit in the namespace changes it. */
int nft_get_gen(struct nsb *c, struct mnl_socket *nl, uint32_t *gen)
{
	char buf[MNL_NLMSG_HDRLEN + 16];
	int r;

	*gen = 0;
	r = nl_talk(c, nl, nft_req(buf, NFT_MSG_GETGEN, AF_UNSPEC), nft_gen_cb, gen);
	return r ? r : *gen ? 0 : -EBADMSG;
}

static int use_attr(const struct nlattr *a, void *data)
{
	if (mnl_attr_get_type(a) == NFTA_TABLE_USE && !mnl_attr_validate(a, MNL_TYPE_U32))
		*(uint32_t *)data = ntohl(mnl_attr_get_u32(a));
	return MNL_CB_OK;
}

static int use_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != NFT(NFT_MSG_NEWTABLE) ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg))
		return MNL_CB_OK;
	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), use_attr, data);
}

/* Of the tables in cand (bit 0 ip, bit 1 ip6), which hold nothing but our
 * base chains: the table's use counts its chains, sets, objects and
 * flowtables, anyone's. */
int nft_empty_tables(struct nsb *c, struct mnl_socket *nl, unsigned int cand,
		     unsigned int *out)
{
	char buf[MNL_NLMSG_HDRLEN + 64];
	unsigned int have = 0, m;
	int i, r = cand ? nft_our_chains(c, nl, &have) : 0;

	*out = 0;
	for (i = 0; i < 2 && !r; i++) {
		struct nlmsghdr *nlh = nft_req(buf, NFT_MSG_GETTABLE,
					       i ? NFPROTO_IPV6 : NFPROTO_IPV4);
		uint32_t use = SKIP;

		if (!(cand >> i & 1))
			continue;
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, TABLE);
		r = nl_talk(c, nl, nlh, use_cb, &use);
		m = have >> (i * NFT_NCHAINS) & ((1u << NFT_NCHAINS) - 1);
		if (!r && use == (uint32_t)__builtin_popcount(m))
			*out |= 1u << i;
		r = r == -ENOENT ? 0 : r;
	}
	return r;
}
