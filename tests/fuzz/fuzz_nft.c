/* libFuzzer: arbitrary bytes as nf_tables replies (rule dumps, chain dumps,
 * generation and commit echoes) into lib/nftdec.c's callbacks and nft.c's
 * echo_cb (nft.c is included to reach its static functions; nftdec.c is
 * linked beside it), and each rule's identity into lib/nftid.c. */
#include "../../lib/nft.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct nsb_list d = { .size = sizeof(struct nft_rule) };
	struct nft_cache k = { .d.size = sizeof(struct nft_rule) };
	struct echo e = { &k, 0, 0 };
	unsigned int have = 0;
	uint32_t gen = 0;
	int i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, nft_rule_cb, &d);
	for (i = 0; i < d.n; i++) {
		const struct nft_rule *v = (const struct nft_rule *)d.v + i;

		struct nft_nat n;
		unsigned char ud[NFT_USERDATA_MAX];

		if (strnlen(v->comment, sizeof(v->comment)) == sizeof(v->comment) ||
		    v->chain >= NFT_NCHAINS || v->idlen > NFT_ID_MAX)
			abort();
		/* its identity read back (lib/nftid.c), and written again as
		 * iptables -Z writes a rule it read */
		if (nft_id_nat(v, &n) && (n.ifname[15] || n.iif[15] || n.nmports > 15 ||
					  nft_userdata(ud, &n, v->comment) > NFT_USERDATA_MAX))
			abort();
	}
	free(d.v);
	mnl_cb_run(buf, size, 0, 0, nft_chain_cb, &have);
	/* our chains in table ip, then in table ip6 (NFT_SHIFT) */
	if (have >> (NFT_SHIFT(AF_INET6) + NFT_NCHAINS))
		abort();
	mnl_cb_run(buf, size, 0, 0, nft_gen_cb, &gen);
	mnl_cb_run(buf, size, 0, 0, echo_cb, &e);
	free(k.d.v);
	free(buf);
	return 0;
}
