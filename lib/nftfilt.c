/*
 * iptables' filter table (iptables/) in table ip nsbox: its chains, those
 * beside our base chains, listed, and the chain and rule operations on them,
 * one transaction for a whole list of them.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "nftint.h"

/* A chain of table ip nsbox for iptables' filter table (nft_base[]'s are not) */
static int fchain_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 }, *h[3] = { 0 };
	struct nft_chain *ch;
	const char *name;
	int i;

	i = nft_parse(nlh, NFT_MSG_NEWCHAIN, nft_chain_attr, tb);
	if (i <= 0)
		return i < 0 ? MNL_CB_ERROR : MNL_CB_OK;
	if ((tb[NFTA_CHAIN_POLICY] && mnl_attr_validate(tb[NFTA_CHAIN_POLICY], MNL_TYPE_U32) < 0) ||
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
	ch = list_add(data);
	if (!ch) {
		errno = ENOMEM;
		return MNL_CB_ERROR;
	}
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
