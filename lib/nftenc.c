/*
 * nf_tables messages built: a rule's expressions, our base chains, and the
 * batch that carries a plan (nftplan.c) for nft.c to commit.  The
 * expressions are the ones nft emits for the same rule, so `nft list
 * ruleset` prints them as ordinary nft syntax, and every rule counts what it
 * matched (a counter, read back for the listings); its comment goes in its
 * userdata as nft stores one.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <string.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rtnetlink.h>
#include "nftint.h"

/* Family: NFPROTO_IPV4/IPV6 are AF_INET/AF_INET6; AF_UNSPEC for the batch. */
struct nlmsghdr *nft_put_msg(struct mnl_nlmsg_batch *b, unsigned int seq,
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
void nft_put_rule(struct nlmsghdr *nlh, int chain, const struct nft_nat *n,
		  const char *comment, uint32_t setid)
{
	/* 127.0.0.0/8 and ::1/128 */
	static const unsigned char loop4[1] = { 127 }, loop6[16] = { [15] = 1 };
	/* NFT_V_* as the kernel's verdict codes */
	static const int code[] = { 0, NF_ACCEPT, NF_DROP, NFT_RETURN, NFT_JUMP };
	struct nlattr *list;
	unsigned char ud[NFT_USERDATA_MAX];
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
	mnl_attr_put(nlh, NFTA_RULE_USERDATA, nft_userdata(ud, n, comment), ud);
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

/* The batch of plan p for rule n in the table of family fam (n NULL, fam 0:
 * deletions alone, in either table), made on the condition that the ruleset is still
 * generation k->gen (unless k->gen is 0); returns how many of its
 * messages the kernel acks.
 * NLM_F_ECHO on the first message also makes the kernel echo the new
 * generation (NFT_MSG_NEWGEN); on rules it echoes their handles. */
/* Over 60 lines: one batch, table, chains, rules and deletions in the order the kernel takes
 * them
 * NOLINTNEXTLINE(readability-function-size) */
int nft_encode(struct nsb *c, struct mnl_nlmsg_batch *b, const struct nft_cache *k,
	       const struct nft_plan *p, const struct nft_nat *n, int fam, const char *comment)
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
