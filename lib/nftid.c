/*
 * A rule's identity (include/nsbox.h says its format): written beside the
 * comment in the rule's userdata, read back field by field.  struct
 * nft_nat's fields are this file's (tags 1-63); a maker adds its own with
 * the same two functions (iptables/rule.c: tags 64 and up).
 */
#include <string.h>
#include "nftint.h"

#define F(tag, m) NFT_FIELD(tag, struct nft_nat, m)
#define S(tag, m) NFT_FIELD_STR(tag, struct nft_nat, m)
/* the tags are the format: a field keeps its tag; a new field takes a new one */
static const struct nft_field nat_fields[] = {
	F(1, masq), F(2, src), F(3, ifname), F(4, ifneg), F(5, proto), F(6, has_dst),
	F(7, anydst), F(8, dst), F(9, lo), F(10, hi), F(11, to), F(12, toport), F(13, nxdst),
	F(14, xdst), F(15, snat), F(16, neg), F(17, own), F(18, localnet), F(19, verdict),
	F(20, ct), S(21, chain), S(22, jump), S(23, logprefix), F(24, iif), F(25, slo),
	F(26, shi), F(27, ctstate), F(28, syn), F(29, log), F(30, loglevel), F(31, rtype),
	F(32, rcode), F(33, nmports), F(34, mpsrc), F(35, mports),
};
#define NNAT (int)(sizeof(nat_fields) / sizeof(nat_fields[0]))

int nft_id_put(unsigned char *b, int o, int len, const struct nft_field *f, int nf, const void *s)
{
	for (; nf-- > 0; f++) {
		const unsigned char *p = (const unsigned char *)s + f->off;
		size_t l = f->size;

		if (!l) {	/* a string, with its NUL */
			p = *(const unsigned char *const *)(const void *)p;
			l = p ? strlen((const char *)p) + 1 : 0;
		}
		while (f->size && l && !p[l - 1])
			l--;
		if (!l)
			continue;
		if (l > 255 || o + 2 + (int)l > len)
			return -EMSGSIZE;
		b[o] = f->tag;
		b[o + 1] = (unsigned char)l;
		memcpy(b + o + 2, p, l);
		o += 2 + (int)l;
	}
	return o;
}

int nft_id_get(const unsigned char *b, int len, const struct nft_field *f, int nf, void *s)
{
	int o = 2, i, l;

	for (; o + 2 <= len; o += 2 + l) {
		const unsigned char *p = b + o + 2;
		unsigned char *d;

		l = b[o + 1];
		if (o + 2 + l > len)
			return -EBADMSG;
		for (i = 0; i < nf && f[i].tag != b[o]; i++)
			;
		if (i == nf)
			continue;	/* a newer nsbox's field */
		d = (unsigned char *)s + f[i].off;
		if (f[i].size ? l > f[i].size : !l || p[l - 1])
			return -EBADMSG;
		if (f[i].size)
			memcpy(d, p, l);
		else
			memcpy(d, &p, sizeof(p));
	}
	return o == len ? 0 : -EBADMSG;
}

/* a prefix read back that a rule of ours can have */
static int pfx_ok(const struct nsb_prefix *p)
{
	return p->family == AF_INET ? p->plen <= 32 :
	       p->family == AF_INET6 ? p->plen <= 128 : !p->family && !p->plen;
}

int nft_id_nat(const struct nft_rule *v, struct nft_nat *n)
{
	memset(n, 0, sizeof(*n));
	if (v->idlen < 2 || v->id[0] != NFT_ID_V1 || !v->id[1] ||
	    nft_id_get(v->id, v->idlen, nat_fields, NNAT, n) ||
	    !pfx_ok(&n->src) || !pfx_ok(&n->dst) || !pfx_ok(&n->to) || !pfx_ok(&n->xdst[0]) ||
	    !pfx_ok(&n->xdst[1]) || n->ifname[15] || n->iif[15] || (unsigned int)n->nmports > 15 ||
	    (unsigned int)n->nxdst > 2 || (unsigned int)n->verdict > NFT_V_REJECT) {
		memset(n, 0, sizeof(*n));
		return 0;
	}
	return n->maker = v->id[1];
}

/* rule n's userdata into ud (NFT_USERDATA_MAX bytes): the comment's TLV
 * (type 0, as nft stores comments; cut to NFT_COMMENT_MAX), then, when n
 * has a maker and it fits, its identity's (NFT_UD_ID); the length */
int nft_userdata(unsigned char *ud, const struct nft_nat *n, const char *comment)
{
	size_t clen = strlen(comment) + 1;
	int o;

	if (clen > NFT_COMMENT_MAX)
		clen = NFT_COMMENT_MAX;
	ud[0] = 0;
	ud[1] = (unsigned char)clen;
	memcpy(ud + 2, comment, clen);
	ud[1 + clen] = '\0';
	o = 2 + (int)clen;
	if (!n->maker)
		return o;
	ud[o] = NFT_UD_ID;
	ud[o + 2] = NFT_ID_V1;
	ud[o + 3] = (unsigned char)n->maker;
	clen = (size_t)o;
	o = nft_id_put(ud, o + 4, NFT_USERDATA_MAX, nat_fields, NNAT, n);
	/* too long beside its comment (a long -m comment): the rule is read
	 * from its comment, as an older nsbox's */
	if (o < 0 || o + n->xidlen > NFT_USERDATA_MAX)
		return (int)clen;
	if (n->xidlen)
		memcpy(ud + o, n->xid, (size_t)n->xidlen);
	o += n->xidlen;
	ud[clen + 1] = (unsigned char)(o - (int)clen - 2);
	return o;
}
