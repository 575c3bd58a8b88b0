/*
 * NAT rules over nf_tables netlink, in nsbox's own "table ip nsbox" (IPv4)
 * and "table ip6 nsbox" (IPv6).  Two tables, not one inet table: the ip
 * table older nsbox versions made keeps working as it is, with nothing to
 * move.  The expressions are the ones nft emits for the same rule, so `nft
 * list ruleset` prints them as ordinary nft syntax, and every rule counts
 * what it matched (a counter, read back for the listings); each rule's
 * comment (rule userdata) is the nsbox command that made it, and that is
 * how rules are recognised again for -e and -d.  Other tables are never
 * touched: iptables-nft and iptables-legacy rules live beside ours.
 */
/* Over 500 lines: the nf_tables encoder, decoder, cache and commits, and the
 * filter table's chain operations; splitting it by job is the next step of
 * issue 25. */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rtnetlink.h>
#include "nsbox.h"

#define TABLE	"nsbox"
#define ANONSET	"__set%d"	/* the kernel numbers it */
#define MSG_MAX	1024	/* no message built here comes near it */
#define SKIP	0xffffffffu
#define NFT(m)	((NFNL_SUBSYS_NFTABLES << 8) | (m))

static const struct {
	const char *name;
	int hook, prio;
} nft_base[NFT_NCHAINS] = {
	[NFT_POST] = { "postrouting", NF_INET_POST_ROUTING, 100 },	/* srcnat */
	[NFT_PRE] = { "prerouting", NF_INET_PRE_ROUTING, -100 },	/* dstnat */
	[NFT_OUT] = { "output", NF_INET_LOCAL_OUT, -100 },
	[NFT_FWD] = { "forward", NF_INET_FORWARD, 0 },			/* filter */
	/* before dstnat: sees destinations as they arrived (a reply to a
	 * connection masqueraded from 127.0.0.1 is still to the bridge) */
	[NFT_GUARD] = { "guard", NF_INET_PRE_ROUTING, -150 },
};

const char *nft_chain_name(int chain)
{
	return nft_base[chain].name;
}

/* Family: NFPROTO_IPV4/IPV6 are AF_INET/AF_INET6; AF_UNSPEC for the batch. */
static struct nlmsghdr *nft_put_msg(struct mnl_nlmsg_batch *b, unsigned int seq,
				    int type, int flags, int family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(mnl_nlmsg_batch_current(b));
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = seq;
	g->version = NFNETLINK_V0;
	g->nfgen_family = family;
	if (type == NFNL_MSG_BATCH_BEGIN || type == NFNL_MSG_BATCH_END)
		g->res_id = htons(NFNL_SUBSYS_NFTABLES);
	return nlh;
}

/* One expression: u32 attributes numbered from 1 (SKIP leaves one out), then
 * ndata NFTA_DATA_VALUE nests of dlen bytes each, numbered from dtype. */
static void expr(struct nlmsghdr *nlh, const char *name, const uint32_t *v, int nv,
		 int dtype, int ndata, const void *d, size_t dlen)
{
	struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM), *x, *dn;
	int i;

	mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
	x = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
	for (i = 0; i < nv; i++)
		if (v[i] != SKIP)
			mnl_attr_put_u32(nlh, i + 1, htonl(v[i]));
	for (i = 0; i < ndata; i++) {
		dn = mnl_attr_nest_start(nlh, dtype + i);
		mnl_attr_put(nlh, NFTA_DATA_VALUE, dlen, (const char *)d + i * dlen);
		mnl_attr_nest_end(nlh, dn);
	}
	mnl_attr_nest_end(nlh, x);
	mnl_attr_nest_end(nlh, e);
}

static void cmp(struct nlmsghdr *nlh, int op, const void *d, size_t len)
{
	const uint32_t v[] = { NFT_REG_1, op };

	expr(nlh, "cmp", v, 2, NFTA_CMP_DATA, 1, d, len);
}

static void payload(struct nlmsghdr *nlh, int base, int off, int len)
{
	const uint32_t v[] = { NFT_REG_1, base, off, len };

	expr(nlh, "payload", v, 4, 0, 0, NULL, 0);
}

static void meta(struct nlmsghdr *nlh, int key)
{
	const uint32_t v[] = { NFT_REG_1, key };

	expr(nlh, "meta", v, 2, 0, 0, NULL, 0);
}

/* ip/ip6 saddr (dst 0) or daddr (dst 1) in a/plen; like nft, whole bytes
 * are compared directly and only a ragged prefix gets a bitwise mask. */
static void match_prefix(struct nlmsghdr *nlh, int family, int dst, const unsigned char *a,
			 int plen, int op)
{
	unsigned char mx[32] = { 0 };
	int i, len = addr_len(family), off = (len == 16 ? 8 : 12) + dst * len;

	if (plen == 0)
		return;
	if (plen % 8 == 0) {
		payload(nlh, NFT_PAYLOAD_NETWORK_HEADER, off, plen / 8);
		cmp(nlh, op, a, plen / 8);
		return;
	}
	payload(nlh, NFT_PAYLOAD_NETWORK_HEADER, off, len);
	for (i = 0; i < plen; i++)
		mx[i / 8] |= 0x80 >> (i % 8);
	{
		const uint32_t v[] = { NFT_REG_1, NFT_REG_1, len };

		/* mask, then xor 0 */
		expr(nlh, "bitwise", v, 3, NFTA_BITWISE_MASK, 2, mx, len);
	}
	cmp(nlh, op, a, len);
}

static void match_ifname(struct nlmsghdr *nlh, int key, const char *name, int op)
{
	char pad[16] = { 0 };
	size_t l = strlen(name);

	strncpy(pad, name, sizeof(pad) - 1);
	meta(nlh, key);
	/* iptables' "eth+": every name that starts "eth", as iptables-nft
	 * says it (the prefix's bytes alone); otherwise the whole name */
	cmp(nlh, op, pad, l > 1 && name[l - 1] == '+' ? l - 1 : sizeof(pad));
}

static int nft_family(const struct nft_nat *n)
{
	return n->masq || n->verdict ? n->src.family : n->to.family;
}

const char *nft_fwd_path(const struct nft_nat *n)
{
	return nft_family(n) == AF_INET6 ? NSB_IP6_FORWARD : NSB_IP_FORWARD;
}

/* A transport port match: sport (off 0) or dport (off 2) in lo..hi */
static void match_port(struct nlmsghdr *nlh, int off, unsigned int lo, unsigned int hi, int neg)
{
	uint16_t port[2] = { htons(lo), htons(hi) };

	payload(nlh, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2);
	if (lo == hi) {
		cmp(nlh, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, port, 2);
	} else if (neg) {
		/* nft's own for "!= LO-HI": one range expression */
		const uint32_t v[] = { NFT_REG_1, NFT_RANGE_NEQ };

		expr(nlh, "range", v, 2, NFTA_RANGE_FROM_DATA, 2, port, 2);
	} else {
		cmp(nlh, NFT_CMP_GTE, port, 2);
		cmp(nlh, NFT_CMP_LTE, port + 1, 2);
	}
}

/* reg 1 & mask ^ 0 compared with val: mx holds mask, 0, val (len bytes each) */
static void masked(struct nlmsghdr *nlh, const void *mx, int len, int op)
{
	const uint32_t w[] = { NFT_REG_1, NFT_REG_1, len };

	expr(nlh, "bitwise", w, 3, NFTA_BITWISE_MASK, 2, mx, len);
	cmp(nlh, op, (const char *)mx + 2 * len, len);
}

/* Long: the rule's expressions in the order nft emits them, one after another. */
#define OP(bit)	(n->neg & (bit) ? NFT_CMP_NEQ : NFT_CMP_EQ)
/* Over 60 lines: each match's and target's expressions, in the order nft lists them
 * NOLINTNEXTLINE(readability-function-size) */
static void nft_put_rule(struct nlmsghdr *nlh, int chain, const struct nft_nat *n,
			 const char *comment, uint32_t setid)
{
	/* 127.0.0.0/8 and ::1/128 */
	static const unsigned char loop4[1] = { 127 }, loop6[16] = { [15] = 1 };
	/* NFT_V_* as the kernel's verdict codes */
	static const int code[] = { 0, NF_ACCEPT, NF_DROP, NFT_RETURN, NFT_JUMP };
	struct nlattr *list;
	unsigned char ud[2 + NFT_COMMENT_MAX];
	size_t clen = strlen(comment) + 1;
	uint16_t to = htons(n->toport);
	uint8_t proto = n->proto;
	int i, fam = nft_family(n), v6 = fam == AF_INET6;

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, TABLE);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, n->chain ? n->chain : nft_base[chain].name);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	match_prefix(nlh, fam, 0, n->src.addr, n->src.plen, OP(NFT_NEG_SRC));
	if (n->has_dst) {
		/* natdnat's and portmap's forwards are to one address */
		match_prefix(nlh, fam, 1, n->dst.addr, n->masq || n->anydst ? n->dst.plen :
			     v6 ? 128 : 32, OP(NFT_NEG_DST));
	} else if (!n->masq && !n->verdict && !n->anydst && !n->chain) {
		const uint32_t v[] = { NFT_REG_1, NFT_FIB_RESULT_ADDRTYPE, NFTA_FIB_F_DADDR };
		uint32_t local = RTN_LOCAL;	/* host order: fib stores a plain u32 */

		expr(nlh, "fib", v, 3, 0, 0, NULL, 0);
		cmp(nlh, NFT_CMP_EQ, &local, sizeof(local));
		/* 127/8 is "local" too; forwarding it would expose
		 * loopback services to the network (CVE-2020-8558); from
		 * this host itself only with localnet (and NFT_GUARD's drop) */
		if (!n->localnet || chain != NFT_OUT || v6)
			match_prefix(nlh, fam, 1, v6 ? loop6 : loop4, v6 ? 128 : 8, NFT_CMP_NEQ);
	}
	for (i = 0; i < n->nxdst && i < 2; i++)
		match_prefix(nlh, fam, 1, n->xdst[i].addr, n->xdst[i].plen, NFT_CMP_NEQ);
	if (n->iif[0])
		match_ifname(nlh, NFT_META_IIFNAME, n->iif, OP(NFT_NEG_IIF));
	/* -i where packets arrive (prerouting), else -o */
	if (n->ifname[0])
		match_ifname(nlh, nft_base[chain].hook == NF_INET_PRE_ROUTING ? NFT_META_IIFNAME :
			     NFT_META_OIFNAME,
			     n->ifname, n->ifneg ? NFT_CMP_NEQ : NFT_CMP_EQ);
	if (n->proto) {
		meta(nlh, NFT_META_L4PROTO);
		cmp(nlh, OP(NFT_NEG_PROTO), &proto, 1);
	}
	if (n->slo)
		match_port(nlh, 0, n->slo, n->shi, n->neg & NFT_NEG_SPORT);
	if (n->lo)
		match_port(nlh, 2, n->lo, n->hi, n->neg & NFT_NEG_DPORT);
	if (n->nmports) {
		/* th dport|sport in the anonymous set made with the rule */
		struct nlattr *e, *x;

		payload(nlh, NFT_PAYLOAD_TRANSPORT_HEADER, n->mpsrc ? 0 : 2, 2);
		e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
		mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "lookup");
		x = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
		mnl_attr_put_strz(nlh, NFTA_LOOKUP_SET, ANONSET);
		mnl_attr_put_u32(nlh, NFTA_LOOKUP_SREG, htonl(NFT_REG_1));
		mnl_attr_put_u32(nlh, NFTA_LOOKUP_SET_ID, htonl(setid));
		mnl_attr_nest_end(nlh, x);
		mnl_attr_nest_end(nlh, e);
	}
	if (n->syn) {
		/* tcp flags syn / fin,syn,rst,ack */
		static const unsigned char f[] = { 0x17, 0, 0x02 };

		payload(nlh, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
		masked(nlh, f, 1, OP(NFT_NEG_SYN));
	}
	if (n->ct || n->ctstate) {
		/* ct state established,related: the state bits masked, != 0 */
		const uint32_t v[] = { NFT_REG_1, NFT_CT_STATE };
		const uint32_t bits[3] = { n->ct ? NF_CT_STATE_BIT(IP_CT_ESTABLISHED) |
					   NF_CT_STATE_BIT(IP_CT_RELATED) : n->ctstate, 0, 0 };

		expr(nlh, "ct", v, 2, 0, 0, NULL, 0);
		masked(nlh, bits, 4, n->neg & NFT_NEG_CT ? NFT_CMP_EQ : NFT_CMP_NEQ);
	}
	expr(nlh, "counter", NULL, 0, 0, 0, NULL, 0);
	if (n->log || n->verdict == NFT_V_REJECT) {
		struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM), *x;

		mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, n->log ? "log" : "reject");
		x = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
		if (n->log) {
			if (n->logprefix)
				mnl_attr_put_strz(nlh, NFTA_LOG_PREFIX, n->logprefix);
			mnl_attr_put_u32(nlh, NFTA_LOG_LEVEL, htonl(n->loglevel));
		} else {
			uint8_t k = n->rcode;

			mnl_attr_put_u32(nlh, NFTA_REJECT_TYPE, htonl(n->rtype));
			mnl_attr_put(nlh, NFTA_REJECT_ICMP_CODE, 1, &k);
		}
		mnl_attr_nest_end(nlh, x);
		mnl_attr_nest_end(nlh, e);
	} else if (n->verdict) {
		struct nlattr *e = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM), *x, *d, *vd;

		mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, "immediate");
		x = mnl_attr_nest_start(nlh, NFTA_EXPR_DATA);
		mnl_attr_put_u32(nlh, NFTA_IMMEDIATE_DREG, htonl(NFT_REG_VERDICT));
		d = mnl_attr_nest_start(nlh, NFTA_IMMEDIATE_DATA);
		vd = mnl_attr_nest_start(nlh, NFTA_DATA_VERDICT);
		mnl_attr_put_u32(nlh, NFTA_VERDICT_CODE, htonl((uint32_t)code[n->verdict]));
		if (n->jump)
			mnl_attr_put_strz(nlh, NFTA_VERDICT_CHAIN, n->jump);
		mnl_attr_nest_end(nlh, vd);
		mnl_attr_nest_end(nlh, d);
		mnl_attr_nest_end(nlh, x);
		mnl_attr_nest_end(nlh, e);
	} else if (n->chain) {
		/* iptables' rule without -j: it counts */
	} else if (n->masq && !n->snat) {
		expr(nlh, "masq", NULL, 0, 0, 0, NULL, 0);
	} else {
		const uint32_t r1[] = { NFT_REG_1 }, r2[] = { NFT_REG_2 };
		const uint32_t v[] = { n->masq ? NFT_NAT_SNAT : NFT_NAT_DNAT, fam,
				       NFT_REG_1, SKIP, n->toport ? NFT_REG_2 : SKIP, SKIP,
				       n->toport ? NF_NAT_RANGE_PROTO_SPECIFIED : SKIP };

		expr(nlh, "immediate", r1, 1, NFTA_IMMEDIATE_DATA, 1, n->to.addr, addr_len(fam));
		if (n->toport)
			expr(nlh, "immediate", r2, 1, NFTA_IMMEDIATE_DATA, 1, &to, 2);
		expr(nlh, "nat", v, 7, 0, 0, NULL, 0);
	}
	mnl_attr_nest_end(nlh, list);
	/* one TLV, type 0 = comment, NUL included: how nft stores comments */
	if (clen > NFT_COMMENT_MAX)
		clen = NFT_COMMENT_MAX;
	ud[0] = 0;
	ud[1] = clen;
	memcpy(ud + 2, comment, clen);
	ud[1 + clen] = '\0';
	mnl_attr_put(nlh, NFTA_RULE_USERDATA, 2 + clen, ud);
}

static void put_chain(struct nlmsghdr *nlh, int chain)
{
	struct nlattr *hook;

	mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, TABLE);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, nft_base[chain].name);
	hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
	mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(nft_base[chain].hook));
	mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, htonl((uint32_t)nft_base[chain].prio));
	mnl_attr_nest_end(nlh, hook);
	mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, chain >= NFT_FWD ? "filter" : "nat");
}

/* Our table as of ruleset generation gen, kept with the socket so that a
 * batch of N lines costs N small transactions, not N dumps of a growing
 * table.  gen 0 (never a generation: the kernel skips it) = unknown. */
struct nft_cache {
	struct nsb_list d;		/* of struct nft_rule */
	uint32_t gen;
	unsigned int chains;		/* which of our base chains exist */
	int mixed;			/* an unconditioned commit since the dump:
					 * others' rules in d may be stale */
};

void nft_cache_free(struct nft_cache *k)
{
	if (k)
		free(k->d.v);
	free(k);
}

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

/* The comment TLV of rule userdata, if there is a well-formed one. */
static void get_comment(const struct nlattr *a, char *out)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a), off = 0;

	out[0] = '\0';
	while (off + 2 <= len && off + 2 + p[off + 1] <= len) {
		size_t l = p[off + 1];

		if (p[off] == 0 && l > 0 && l <= NFT_COMMENT_MAX && p[off + 2 + l - 1] == '\0') {
			memcpy(out, p + off + 2, l);
			return;
		}
		off += 2 + l;
	}
}

/* Attributes 1 and 2 of a nest: an expression's NFTA_EXPR_NAME and
 * NFTA_EXPR_DATA, or a counter's NFTA_COUNTER_BYTES and _PACKETS. */
static int nft_two_attr(const struct nlattr *a, void *data)
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

static int nft_rule_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { 0 };
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	struct nft_rule *r;
	const char *chain;
	int i;

	if (nlh->nlmsg_type != NFT(NFT_MSG_NEWRULE))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), rule_attr, tb) < 0)
		return MNL_CB_ERROR;
	/* the dump is of every family: inet, arp, bridge nsbox are not ours */
	if (!tb[NFTA_RULE_TABLE] || !tb[NFTA_RULE_CHAIN] || !tb[NFTA_RULE_HANDLE] ||
	    strcmp(mnl_attr_get_str(tb[NFTA_RULE_TABLE]), TABLE) ||
	    (g->nfgen_family != NFPROTO_IPV4 && g->nfgen_family != NFPROTO_IPV6))
		return MNL_CB_OK;
	r = list_next(data);
	if (!r) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	((struct nsb_list *)data)->n++;
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
	if (tb[NFTA_RULE_USERDATA])
		get_comment(tb[NFTA_RULE_USERDATA], r->comment);
	r->key = nft_key(r->comment);
	return MNL_CB_OK;
}

/* A request of type with its nfgenmsg, in buf. */
static struct nlmsghdr *nft_req(char *buf, int type, int family)
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
static int nft_dump_rules(struct nsb *c, struct mnl_socket *nl, struct nsb_list *d)
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

static int nft_chain_attr(const struct nlattr *a, void *data)
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

static int nft_chain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 };
	const struct nfgenmsg *g = mnl_nlmsg_get_payload(nlh);
	unsigned int *have = data;
	int i;

	if (nlh->nlmsg_type != NFT(NFT_MSG_NEWCHAIN))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (mnl_attr_parse(nlh, sizeof(struct nfgenmsg), nft_chain_attr, tb) < 0)
		return MNL_CB_ERROR;
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
static int nft_our_chains(struct nsb *c, struct mnl_socket *nl, unsigned int *have)
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
static int nft_gen_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type != NFT(NFT_MSG_NEWGEN))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	return mnl_attr_parse(nlh, sizeof(struct nfgenmsg), gen_attr, data);
}

/* The ruleset generation: every commit in the namespace changes it. */
static int nft_get_gen(struct nsb *c, struct mnl_socket *nl, uint32_t *gen)
{
	char buf[MNL_NLMSG_HDRLEN + 16];
	int r;

	*gen = 0;
	r = nl_talk(c, nl, nft_req(buf, NFT_MSG_GETGEN, AF_UNSPEC), nft_gen_cb, gen);
	return r ? r : *gen ? 0 : -EBADMSG;
}

/* The generation first: a change during the dumps then fails our batch. */
static int refresh(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k)
{
	uint32_t gen;
	int r = nft_get_gen(c, nl, &gen);

	if (!r)
		r = nft_dump_rules(c, nl, &k->d);
	if (!r)
		r = nft_our_chains(c, nl, &k->chains);
	k->gen = r ? 0 : gen;
	k->mixed = 0;
	return r;
}

struct echo {
	struct nft_cache *k;
	uint32_t gen;
	int bad;
};

/* The kernel's echo of our commit: the new rules with their handles, and
 * the generation the commit made. */
static int echo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct echo *e = data;

	if ((nlh->nlmsg_type == NFT(NFT_MSG_NEWGEN) ? nft_gen_cb(nlh, &e->gen) :
	     nft_rule_cb(nlh, &e->k->d)) == MNL_CB_ERROR)
		e->bad = 1;
	return MNL_CB_OK;
}

/* The batch of plan p for rule n in the table of family fam (n NULL, fam 0:
 * deletions alone, in either table), made on the condition that the ruleset is still
 * generation k->gen (unless k->gen is 0); returns how many of its
 * messages the kernel acks.
 * NLM_F_ECHO on the first message also makes the kernel echo the new
 * generation (NFT_MSG_NEWGEN); on rules it echoes their handles. */
/* Over 60 lines: one batch, table, chains, rules and deletions in the order the kernel takes
 * them
 * NOLINTNEXTLINE(readability-function-size) */
static int nft_encode(struct nsb *c, struct mnl_nlmsg_batch *b, const struct nft_cache *k,
		      const struct nft_plan *p, const struct nft_nat *n, int fam,
		      const char *comment)
{
	const struct nft_rule *v = k->d.v;
	uint32_t key = nft_key(comment);
	struct nlmsghdr *nlh;
	int i, nmsg = 0;

	nlh = nft_put_msg(b, nl_seq(c), NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC);
	if (k->gen)
		mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(k->gen));
	mnl_nlmsg_batch_next(b);
	if (p->table) {
		/* no NLM_F_EXCL: a no-op if the table is there */
		nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWTABLE),
				  NLM_F_CREATE | NLM_F_ACK | NLM_F_ECHO, fam);
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, TABLE);
		mnl_nlmsg_batch_next(b);
		nmsg++;
	}
	for (i = 0; i < NFT_NCHAINS; i++) {
		if (p->chains & (1u << i)) {
			/* the guard's chain holds its one rule, and is made
			 * with it: NLM_F_EXCL, so that of many makers one wins */
			put_chain(nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWCHAIN),
					      NLM_F_CREATE | NLM_F_ACK | NLM_F_ECHO |
					      (i == NFT_GUARD ? NLM_F_EXCL : 0), fam), i);
			mnl_nlmsg_batch_next(b);
			nmsg++;
		}
		if (p->add & (1u << i)) {
			/* without NLM_F_APPEND the rule goes before the
			 * position's rule, or at the head without one */
			nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWRULE),
					  NLM_F_CREATE | NLM_F_ACK | NLM_F_ECHO |
					  (n->insert ? 0 : NLM_F_APPEND), fam);
			if (n->pos)
				mnl_attr_put_u64(nlh, NFTA_RULE_POSITION, htobe64(n->pos));
			nft_put_rule(nlh, i, n, comment, 0);
			mnl_nlmsg_batch_next(b);
			nmsg++;
		}
	}
	for (i = 0; i < k->d.n && p->ndel; i++) {
		if (!nft_ours(&v[i], key, comment, fam, p->mask))
			continue;
		nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_DELRULE), NLM_F_ACK | NLM_F_ECHO,
				  v[i].family);
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, TABLE);
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, nft_base[v[i].chain].name);
		mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(v[i].handle));
		mnl_nlmsg_batch_next(b);
		nmsg++;
	}
	for (i = 0; i < 2; i++) {
		/* and goes with it */
		if (p->delguard >> i & 1) {
			nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_DELCHAIN), NLM_F_ACK,
					  i ? NFPROTO_IPV6 : NFPROTO_IPV4);
			mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, TABLE);
			mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, nft_base[NFT_GUARD].name);
			mnl_nlmsg_batch_next(b);
			nmsg++;
		}
		if (!(p->deltab >> i & 1))
			continue;
		nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_DELTABLE), NLM_F_ACK,
				  i ? NFPROTO_IPV6 : NFPROTO_IPV4);
		mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, TABLE);
		mnl_nlmsg_batch_next(b);
		nmsg++;
	}
	nft_put_msg(b, nl_seq(c), NFNL_MSG_BATCH_END, 0, AF_UNSPEC);
	mnl_nlmsg_batch_next(b);
	return nmsg;
}

/* Send plan p and bring the cache k up to what the kernel echoed; cond:
 * only if the ruleset is still generation k->gen (-ERESTART if not). */
static int commit(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k,
		  const struct nft_plan *p, const struct nft_nat *n, const char *comment,
		  int cond)
{
	size_t len = (size_t)(p->ndel + 2 * NFT_NCHAINS + 3) * MSG_MAX;
	char *buf = malloc(len);
	struct mnl_nlmsg_batch *b = buf ? mnl_nlmsg_batch_start(buf, len) : NULL;
	struct echo e = { k, 0, 0 };
	uint32_t key = nft_key(comment);
	struct nft_rule *v;
	/* nft_drop's (n NULL) deletes by comment in either table */
	int i, nmsg, r = -ENOMEM, fam = n ? nft_family(n) : 0;

	if (!b)
		goto out;
	if (!cond)
		k->gen = 0;
	nmsg = nft_encode(c, b, k, p, n, fam, comment);
	k->gen = 0;	/* unknown until the echo says */
	r = nl_batch(c, nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b), nmsg,
		     echo_cb, &e);
	if (r || e.bad)
		goto out;
	v = k->d.v;	/* the echo may have grown it */
	for (i = 0; i < k->d.n && p->ndel; )
		if (nft_ours(&v[i], key, comment, fam, p->mask))
			v[i] = v[--k->d.n];
		else
			i++;
	k->chains |= p->chains << NFT_SHIFT(fam);
	/* an older kernel without the NEWGEN echo: dump again next time.
	 * Unconditioned, others may have committed before us: the cache
	 * holds our own rules right, theirs may be stale (own rules only
	 * ever look at their own). */
	k->gen = e.gen;
	k->mixed |= !cond;
out:
	if (b)
		mnl_nlmsg_batch_stop(b);
	free(buf);
	return r;
}

/* Decide on the cache k and, when something must change, commit it.
 * Where the decision rests on others' rules (natdnat's EEXIST, -e making a
 * rule once among parallel writers), a lost race would be wrong: the
 * commit holds only if the ruleset is still generation k->gen, and
 * -ERESTART says k was stale.  A rule its maker alone labels (n->own: a CNI
 * attachment's) rests on nothing but its own rules and our chains: made
 * unconditioned, as many writers at once need (a condition fails all but
 * one of them each round); a chain or table gone meanwhile is -ENOENT,
 * and tried again.  fresh: k was just dumped, so doing nothing stands. */
static int apply(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k,
		 const struct nft_nat *n, const char *comment, unsigned int mask,
		 int del, int idem, int fresh)
{
	struct nft_plan p;
	uint32_t gen;
	int r;

	if (nft_plan(k->d.v, k->d.n, k->chains, comment, nft_family(n), mask, del, idem, &p)) {
		/* the guard made with its chain needs no condition: the
		 * chain's NLM_F_EXCL is one (EEXIST: another maker won, and
		 * a look again finds the rule in) */
		int excl = (p.chains >> NFT_GUARD) & 1;

		r = commit(c, nl, k, &p, n, comment, !n->own && !excl);
		return excl && r == -EEXIST ? -ERESTART : r;
	}
	if (fresh || n->own)
		return p.err;
	/* nothing to change, by a cache that must still be current */
	r = nft_get_gen(c, nl, &gen);
	return r ? r : gen != k->gen ? -ERESTART : p.err;
}

int nft_nat_apply(struct nsb *c, struct mnl_socket *nl, const struct nft_nat *n,
		  const char *comment, unsigned int mask, int del, int idem)
{
	struct nft_cache **k = nl_nft_cache(c, nl);
	int tries, r = -EBUSY;

	if (!k)
		return -EINVAL;
	if (!*k && !(*k = calloc(1, sizeof(**k))))
		return -ENOMEM;
	(*k)->d.size = sizeof(struct nft_rule);
	/* every lost race means another commit went in; 64 nsbox processes at
	 * once each lose at most 63 times */
	for (tries = 0; tries < 100; tries++) {
		/* a decision resting on others' rules (not n->own) needs them
		 * current: after an unconditioned commit of ours, dump again */
		int fresh = !(*k)->gen || ((*k)->mixed && !n->own);

		if (fresh)
			r = refresh(c, nl, *k);
		if (!fresh || !r)
			r = apply(c, nl, *k, n, comment, mask, del, idem, fresh);
		/* EINTR: dumps kept being interrupted by commits */
		if (r != -ERESTART && r != -EINTR && (r != -ENOENT || !n->own))
			return r;
		(*k)->gen = 0;
	}
	return r;
}

/* Whether our table of family holds any rule (one we cannot read counts). */
static int any_rule(struct nsb *c, struct mnl_socket *nl, int family)
{
	struct nft_rule *v = NULL;
	int n = nft_rules(c, nl, &v), i, any = n < 0;

	for (i = 0; i < n; i++)
		any |= v[i].family == family;
	free(v);
	return any;
}

/* Forwarding and concurrent commits: a loser puts back the 0 it read only
 * when no rule of ours is in, and looks again after writing it; a winner
 * makes sure forwarding is on after its commit.  Whatever the interleaving,
 * either the loser's second look sees the winner's rule (and turns it on
 * again) or the winner's check comes after the loser's write. */
int nft_nat_commit(struct nsb *c, const char *netns, struct mnl_socket *nl,
		   const struct nft_nat *n, const char *comment, unsigned int chains,
		   int del, int idem, int *fwd_failed)
{
	const char *fwd = nft_fwd_path(n);
	char old[8] = "1";
	int r, fam = nft_family(n);

	*fwd_failed = 0;
	if (!del) {
		/* NAT to another host or namespace needs forwarding; on before
		 * the rule, so traffic never meets a rule without it */
		r = sysctl_set(netns, fwd, "1", old, sizeof(old));
		if (r) {
			*fwd_failed = 1;
			return r;
		}
	}
	r = nft_nat_apply(c, nl, n, comment, chains, del, idem);
	if (!r && !del)
		sysctl_set(netns, fwd, "1", NULL, 0);
	if (r && strcmp(old, "1") && !any_rule(c, nl, fam)) {
		sysctl_set(netns, fwd, old, NULL, 0);	/* leave nothing behind */
		if (any_rule(c, nl, fam))
			sysctl_set(netns, fwd, "1", NULL, 0);
	}
	return r;
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
static int nft_empty_tables(struct nsb *c, struct mnl_socket *nl, unsigned int cand,
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

/* One transaction for all of them: each commit that deletes rules queues
 * nf_tables' destroy work (a synchronize_rcu), and closing a netfilter
 * socket waits for it (nft_rcv_nl_event flushes it, seen on 6.18): a
 * second commit right after the first costs a second grace period.  The
 * chosen rules, renamed "", are what commit() deletes; the others are put
 * out of its reach (chain -1). */
int nft_drop(struct nsb *c, struct mnl_socket *nl,
	     int (*sel)(const char *comment, void *data), void *data)
{
	struct nft_cache k = { .d = { .size = sizeof(struct nft_rule) } }, **kc;
	struct nft_plan p = { 0 };
	struct nft_rule *v;
	uint32_t none = nft_key("");
	unsigned int left, gkeep, gdrop, fb;
	int i, s, pin, last, again = 0, tries, r = -EBUSY;

	for (tries = 0; tries < 100; tries++) {
		r = nft_get_gen(c, nl, &k.gen);
		if (!r)
			r = nft_dump_rules(c, nl, &k.d);
		for (v = k.d.v, i = pin = 0; !r && i < k.d.n; i++)
			pin |= v[i].chain >= 0 && sel(v[i].comment, data) == NFT_PIN;
		for (i = p.ndel = left = last = gkeep = gdrop = 0; !r && i < k.d.n; i++) {
			s = v[i].chain >= 0 ? sel(v[i].comment, data) : NFT_KEEP;
			fb = 1u << (v[i].family == AF_INET6);
			if (s == NFT_DROP || (s == NFT_DROP_LAST && !pin)) {
				last |= s == NFT_DROP_LAST;
				gdrop |= v[i].chain == NFT_GUARD ? fb : 0;
				v[i].comment[0] = '\0';
				v[i].key = none;
				p.ndel++;
			} else {
				left |= fb;
				gkeep |= v[i].chain == NFT_GUARD ? fb : 0;
				v[i].chain = -1;
			}
		}
		if (!r)
			r = nft_empty_tables(c, nl, ~left & 3, &p.deltab);
		/* the guard's chain goes with its last rule (a table going
		 * takes it anyway) */
		p.delguard = gdrop & ~gkeep & ~p.deltab;
		/* an attachment's own rules go by handle, unconditioned: what
		 * sel chose stays chosen whatever else changed, and a rule gone
		 * meanwhile (ENOENT: the whole batch refused) makes us choose
		 * again.  The guard (the last localnet rule's) and an empty
		 * table are another matter: a concurrent ADD may have just
		 * counted on them, so those go only if the ruleset is still
		 * the generation we looked at (-ERESTART: choose again). */
		if (!r && (p.ndel || p.deltab))
			r = commit(c, nl, &k, &p, NULL, "", last || p.deltab);
		/* unconditioned, we may have raced another DEL that kept the
		 * guard or a table for the rules we just took: look once more
		 * now that ours are gone (the last of us to commit sees both
		 * gone, and takes them, conditioned) */
		if (!r && p.ndel && !last && !p.deltab && !again++)
			continue;
		if (r != -ENOENT && r != -ERESTART && r != -EINTR)
			break;
	}
	free(k.d.v);
	kc = nl_nft_cache(c, nl);
	if (kc && *kc)
		(*kc)->gen = 0;	/* what nft_nat_apply keeps for nl: dump again */
	return r;
}

/* A chain of table ip nsbox for iptables' filter table (nft_base[]'s are not) */
static int fchain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 }, *h[3] = { 0 };
	struct nft_chain *ch;
	const char *name;
	int i;

	if (nlh->nlmsg_type != NFT(NFT_MSG_NEWCHAIN))
		return MNL_CB_OK;
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nfgenmsg) ||
	    mnl_attr_parse(nlh, sizeof(struct nfgenmsg), nft_chain_attr, tb) < 0 ||
	    (tb[NFTA_CHAIN_POLICY] && mnl_attr_validate(tb[NFTA_CHAIN_POLICY], MNL_TYPE_U32) < 0) ||
	    (tb[NFTA_CHAIN_HOOK] &&
	     (mnl_attr_parse_nested(tb[NFTA_CHAIN_HOOK], nft_two_attr, h) < 0 ||
	      !h[1] || mnl_attr_validate(h[1], MNL_TYPE_U32) < 0))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME] ||
	    strcmp(mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]), TABLE))
		return MNL_CB_OK;
	name = mnl_attr_get_str(tb[NFTA_CHAIN_NAME]);
	for (i = 0; i < NFT_NCHAINS; i++)
		if (!strcmp(name, nft_base[i].name))
			return MNL_CB_OK;
	ch = list_next(data);
	if (!ch) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
	((struct nsb_list *)data)->n++;
	strncpy(ch->name, name, sizeof(ch->name) - 1);
	ch->name[sizeof(ch->name) - 1] = '\0';
	ch->hook = h[1] ? (int)ntohl(mnl_attr_get_u32(h[1])) : -1;
	ch->policy = tb[NFTA_CHAIN_POLICY] ? (int)ntohl(mnl_attr_get_u32(tb[NFTA_CHAIN_POLICY])) : -1;
	return MNL_CB_OK;
}

int nft_chains(struct nsb *c, struct mnl_socket *nl, struct nft_chain **out)
{
	struct nsb_list d = { .size = sizeof(struct nft_chain) };
	char buf[MNL_NLMSG_HDRLEN + 64];
	int r = nl_dump(c, nl, nft_req(buf, NFT_MSG_GETCHAIN, NFPROTO_IPV4), fchain_cb, &d,
			list_reset);

	*out = d.v;
	return r ? r : d.n;
}

/* Over 60 lines: the filter table's chain operations, each a short batch, in one switch
 * NOLINTNEXTLINE(readability-function-size) */
int nft_ops(struct nsb *c, struct mnl_socket *nl, const struct nft_op *op, int nop)
{
	size_t len = (size_t)(3 * nop + 3) * MSG_MAX;
	char *buf = malloc(len);
	struct mnl_nlmsg_batch *b = buf ? mnl_nlmsg_batch_start(buf, len) : NULL;
	struct nft_cache **kc = nl_nft_cache(c, nl);
	struct nlmsghdr *nlh;
	struct nlattr *hook;
	int i, nacks = nop + 1, r = -ENOMEM;

	if (!b)
		goto out;
	nft_put_msg(b, nl_seq(c), NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC);
	mnl_nlmsg_batch_next(b);
	nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_ACK, AF_INET);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, TABLE);
	for (i = 0; i < nop; i++) {
		const struct nft_op *o = &op[i];

		mnl_nlmsg_batch_next(b);
		if (o->type == NFT_MSG_NEWRULE && o->n->nmports) {
			/* its set first: anonymous, constant, of inet_service
			 * (13) keys, bound to the rule and gone with it */
			struct nlattr *l, *el, *key;
			int j;

			nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWSET), NLM_F_CREATE | NLM_F_ACK,
					  AF_INET);
			mnl_attr_put_strz(nlh, NFTA_SET_TABLE, TABLE);
			mnl_attr_put_strz(nlh, NFTA_SET_NAME, ANONSET);
			mnl_attr_put_u32(nlh, NFTA_SET_FLAGS, htonl(NFT_SET_ANONYMOUS | NFT_SET_CONSTANT));
			mnl_attr_put_u32(nlh, NFTA_SET_KEY_TYPE, htonl(13));
			mnl_attr_put_u32(nlh, NFTA_SET_KEY_LEN, htonl(2));
			mnl_attr_put_u32(nlh, NFTA_SET_ID, htonl(i + 1));
			mnl_nlmsg_batch_next(b);
			nlh = nft_put_msg(b, nl_seq(c), NFT(NFT_MSG_NEWSETELEM), NLM_F_CREATE | NLM_F_ACK,
					  AF_INET);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, TABLE);
			mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, ANONSET);
			mnl_attr_put_u32(nlh, NFTA_SET_ELEM_LIST_SET_ID, htonl(i + 1));
			l = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_LIST_ELEMENTS);
			for (j = 0; j < o->n->nmports && j < 15; j++) {
				uint16_t port = htons(o->n->mports[j]);

				el = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
				key = mnl_attr_nest_start(nlh, NFTA_SET_ELEM_KEY);
				mnl_attr_put(nlh, NFTA_DATA_VALUE, 2, &port);
				mnl_attr_nest_end(nlh, key);
				mnl_attr_nest_end(nlh, el);
			}
			mnl_attr_nest_end(nlh, l);
			mnl_nlmsg_batch_next(b);
			nacks += 2;
		}
		nlh = nft_put_msg(b, nl_seq(c), NFT(o->type), NLM_F_ACK | o->flags, AF_INET);
		if (o->type == NFT_MSG_NEWRULE) {
			if (o->handle)
				mnl_attr_put_u64(nlh, o->flags & NLM_F_REPLACE ? NFTA_RULE_HANDLE :
						 NFTA_RULE_POSITION, htobe64(o->handle));
			nft_put_rule(nlh, NFT_FWD, o->n, o->comment, i + 1);
			continue;
		}
		/* NFTA_RULE_TABLE and NFTA_CHAIN_TABLE are 1 */
		mnl_attr_put_strz(nlh, NFTA_CHAIN_TABLE, TABLE);
		if (o->type == NFT_MSG_DELRULE) {
			mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, o->chain);
			if (o->handle)
				mnl_attr_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(o->handle));
			continue;
		}
		mnl_attr_put_strz(nlh, NFTA_CHAIN_NAME, o->chain);
		if (o->hook >= 0) {
			hook = mnl_attr_nest_start(nlh, NFTA_CHAIN_HOOK);
			mnl_attr_put_u32(nlh, NFTA_HOOK_HOOKNUM, htonl(o->hook));
			mnl_attr_put_u32(nlh, NFTA_HOOK_PRIORITY, 0);	/* filter */
			mnl_attr_nest_end(nlh, hook);
			mnl_attr_put_strz(nlh, NFTA_CHAIN_TYPE, "filter");
			if (o->policy >= 0)
				mnl_attr_put_u32(nlh, NFTA_CHAIN_POLICY, htonl(o->policy));
		}
	}
	mnl_nlmsg_batch_next(b);
	nft_put_msg(b, nl_seq(c), NFNL_MSG_BATCH_END, 0, AF_UNSPEC);
	mnl_nlmsg_batch_next(b);
	r = nl_batch(c, nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b), nacks, NULL, NULL);
	mnl_nlmsg_batch_stop(b);
	if (kc && *kc)
		(*kc)->gen = 0;	/* what nft_nat_apply keeps for nl: dump again */
out:
	free(buf);
	return r;
}
