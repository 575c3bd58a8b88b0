/*
 * What a natmasq/natdnat request changes in our tables (ip, ip6), decided
 * from the rules they hold: pure (no I/O), so tests/unit/test_nftplan.c can
 * hold every case in a table.  nftenc.c encodes the plan as a batch, and
 * nft.c commits it.
 */
#include <errno.h>
#include <string.h>
#include "nsbox.h"

uint32_t nft_key(const char *comment)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	while (*comment)
		h = (h ^ (unsigned char)*comment++) * 16777619u;
	return h;
}

int nft_ours(const struct nft_rule *v, uint32_t key, const char *comment, int family,
	     unsigned int mask)
{
	return v->chain >= 0 && (!family || v->family == family) &&
	       (!mask || mask >> v->chain & 1) && v->key == key &&
	       !strcmp(v->comment, comment);
}

int nft_plan(const struct nft_rule *v, int n, unsigned int chains, const char *comment,
	     int family, unsigned int mask, int del, int idem, struct nft_plan *p)
{
	uint32_t key = nft_key(comment);
	unsigned int have = 0;
	int i;

	memset(p, 0, sizeof(*p));
	p->mask = mask;
	for (i = 0; i < n; i++)
		if (nft_ours(&v[i], key, comment, family, mask)) {
			have |= 1u << v[i].chain;
			p->ndel++;
		}
	if (del) {
		if (!have && !idem)
			p->err = -ENOENT;
		return have != 0;
	}
	p->ndel = 0;
	if (have & mask && !idem) {
		p->err = -EEXIST;
		return 0;
	}
	chains = chains >> NFT_SHIFT(family) & ((1u << NFT_NCHAINS) - 1);
	/* -e repairs a rule half removed by hand: only missing chains */
	p->add = mask & ~have;
	p->table = p->add && !chains;
	p->chains = p->add & ~chains;
	return p->add != 0;
}
