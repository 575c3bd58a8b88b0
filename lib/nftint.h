/*
 * What the four parts of nsbox's nf_tables code share, and no file outside
 * them includes: lib/nft.c (our tables, the cache, commits), nftenc.c
 * (rules and plans into messages), nftdec.c (our tables read back) and
 * nftfilt.c (iptables' filter table chains).
 */
#ifndef NSBOX_NFTINT_H
#define NSBOX_NFTINT_H

/* netinet/in.h before the linux/ headers: they then leave its structs alone */
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include "nsbox.h"

#define TABLE	"nsbox"
#define ANONSET	"__set%d"	/* the kernel numbers it */
#define MSG_MAX	1024	/* no message built here comes near it */
#define SKIP	0xffffffffu
#define NFT(m)	((NFNL_SUBSYS_NFTABLES << 8) | (m))

/* Our base chains, NFT_POST...: name, hook and priority (nft.c) */
struct nft_basechain {
	const char *name;
	int hook, prio;
};
extern const struct nft_basechain nft_base[NFT_NCHAINS];

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

/* The family of rule n's table */
static inline int nft_family(const struct nft_nat *n)
{
	return n->masq || n->verdict ? n->src.family : n->to.family;
}

/* nftenc.c: a message of type opened in batch b (family: NFPROTO_IPV4/IPV6
 * are AF_INET/AF_INET6; AF_UNSPEC for the batch's begin and end) */
struct nlmsghdr *nft_put_msg(struct mnl_nlmsg_batch *b, unsigned int seq,
			     int type, int flags, int family);
/* rule n of base chain chain (or n->chain), labelled comment; setid: its
 * multiport set's NFTA_SET_ID */
void nft_put_rule(struct nlmsghdr *nlh, int chain, const struct nft_nat *n,
		  const char *comment, uint32_t setid);
int nft_encode(struct nsb *c, struct mnl_nlmsg_batch *b, const struct nft_cache *k,
	       const struct nft_plan *p, const struct nft_nat *n, int fam, const char *comment);

/* nftid.c: rule n's userdata (NFT_USERDATA_MAX bytes): its comment and,
 * when n has a maker, its identity if it fits beside (else the rule is
 * read from its comment, as an older nsbox's), of type NFT_UD_ID (nft's
 * own types: 0 the comment, 1 ebtables' policy; nft and iptables-nft skip
 * the others): the length */
#define NFT_UD_ID 0x6e
int nft_userdata(unsigned char *ud, const struct nft_nat *n, const char *comment);

/* nftdec.c: requests and the callbacks that read their replies */
struct nlmsghdr *nft_req(char *buf, int type, int family);
int nft_two_attr(const struct nlattr *a, void *data);
int nft_chain_attr(const struct nlattr *a, void *data);
/* A reply of NFT(type), its attributes read by cb into tb: 1, 0 when nlh
 * is another message, -1 (errno EBADMSG) when it is malformed */
int nft_parse(const struct nlmsghdr *nlh, int type, mnl_attr_cb_t cb, void *tb);
int nft_rule_cb(const struct nlmsghdr *nlh, void *data);
int nft_chain_cb(const struct nlmsghdr *nlh, void *data);
int nft_gen_cb(const struct nlmsghdr *nlh, void *data);
int nft_dump_rules(struct nsb *c, struct mnl_socket *nl, struct nsb_list *d);
int nft_our_chains(struct nsb *c, struct mnl_socket *nl, unsigned int *have);
int nft_get_gen(struct nsb *c, struct mnl_socket *nl, uint32_t *gen);
int nft_empty_tables(struct nsb *c, struct mnl_socket *nl, unsigned int cand,
		     unsigned int *out);

#endif
