/* The NAT plan (lib/nftplan.c): given the rules our tables (ip, ip6) hold
 * and a request, what to add, what to delete or what to answer.
 * {table rules, existing chains, request} -> {commit?, err, table, chains,
 * add, ndel}.  Rows without a family are IPv4 (rules and request). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "nsbox.h"

#define POST	(1u << NFT_POST)
#define PRE	(1u << NFT_PRE)
#define OUT	(1u << NFT_OUT)
#define POST6	(POST << NFT_SHIFT(AF_INET6))	/* chains of table ip6 */
#define PRE6	(PRE << NFT_SHIFT(AF_INET6))
#define V6	AF_INET6
#define ANY	-1	/* request of family 0: delete by comment alone (CNI) */
#define ME	"natdnat tcp 8080 10.0.0.2"
#define OTHER	"natmasq 10.0.0.0/24 eth0"
#define END	{ .chain = 9 }	/* the end of a row's rules */

struct held {
	int chain;			/* -1: a chain that is not ours; 9: end */
	const char *comment;
	int family;			/* 0: AF_INET */
};

static void test_plan(void **state)
{
	static const struct {
		const char *what;
		struct held rules[4];
		unsigned int chains;	/* base chains that exist */
		unsigned int mask;
		int del, idem;
		int ret, err, table;
		unsigned int mkchains, add;
		int ndel;
		int family;		/* 0: AF_INET */
	} t[] = {
		{ .what = "add to an empty ruleset",
		  .rules = { END },
		  .mask = POST,
		  .ret = 1, .table = 1, .mkchains = POST, .add = POST },
		{ .what = "add in three chains, none there",
		  .rules = { END },
		  .mask = POST | PRE | OUT,
		  .ret = 1, .table = 1, .mkchains = POST | PRE | OUT, .add = POST | PRE | OUT },
		{ .what = "add beside another rule: table and chain stay",
		  .rules = { { NFT_POST, OTHER }, END },
		  .chains = POST, .mask = POST,
		  .ret = 1, .add = POST },
		{ .what = "add where only some chains exist",
		  .rules = { { NFT_POST, OTHER }, END },
		  .chains = POST, .mask = PRE | OUT,
		  .ret = 1, .mkchains = PRE | OUT, .add = PRE | OUT },
		{ .what = "add again: exists",
		  .rules = { { NFT_PRE, ME }, { NFT_OUT, ME }, END },
		  .chains = PRE | OUT, .mask = PRE | OUT,
		  .err = -EEXIST },
		{ .what = "add again, -e: nothing",
		  .rules = { { NFT_PRE, ME }, { NFT_OUT, ME }, END },
		  .chains = PRE | OUT, .mask = PRE | OUT, .idem = 1,
		  /* nothing to do: all zero */ },
		{ .what = "add half there: exists",
		  .rules = { { NFT_PRE, ME }, END },
		  .chains = PRE | OUT, .mask = PRE | OUT,
		  .err = -EEXIST },
		{ .what = "add half there, -e: repair the missing chain",
		  .rules = { { NFT_PRE, ME }, END },
		  .chains = PRE | OUT, .mask = PRE | OUT, .idem = 1,
		  .ret = 1, .add = OUT },
		{ .what = "add half there, -e, chain gone",
		  .rules = { { NFT_PRE, ME }, END },
		  .chains = PRE, .mask = PRE | OUT, .idem = 1,
		  .ret = 1, .mkchains = OUT, .add = OUT },
		{ .what = "same comment in a chain not ours: not ours",
		  .rules = { { -1, ME }, END },
		  .chains = POST, .mask = POST,
		  .ret = 1, .add = POST },
		{ .what = "a prefix of the comment is not it",
		  .rules = { { NFT_POST, "natdnat tcp 8080" }, END },
		  .chains = POST, .mask = POST,
		  .ret = 1, .add = POST },
		{ .what = "delete: both chains' rules",
		  .rules = { { NFT_PRE, ME }, { NFT_POST, OTHER }, { NFT_OUT, ME }, END },
		  .chains = POST | PRE | OUT, .mask = PRE | OUT, .del = 1,
		  .ret = 1, .ndel = 2 },
		{ .what = "delete from one chain (iptables -D, -F CHAIN): only there",
		  .rules = { { NFT_PRE, ME }, { NFT_OUT, ME }, END },
		  .chains = PRE | OUT, .mask = OUT, .del = 1,
		  .ret = 1, .ndel = 1 },
		{ .what = "delete a duplicate too",
		  .rules = { { NFT_PRE, ME }, { NFT_PRE, ME }, END },
		  .chains = PRE, .mask = PRE, .del = 1,
		  .ret = 1, .ndel = 2 },
		{ .what = "delete half there: what is there",
		  .rules = { { NFT_OUT, ME }, END },
		  .chains = PRE | OUT, .mask = PRE | OUT, .del = 1,
		  .ret = 1, .ndel = 1 },
		{ .what = "delete what is not there",
		  .rules = { { NFT_POST, OTHER }, END },
		  .chains = POST, .mask = POST, .del = 1,
		  .err = -ENOENT },
		{ .what = "delete what is not there, -e",
		  .rules = { END },
		  .mask = POST, .del = 1, .idem = 1,
		  /* nothing to do: all zero */ },
		{ .what = "delete in a chain not ours: not there",
		  .rules = { { -1, ME }, END },
		  .mask = POST, .del = 1,
		  .err = -ENOENT },
		{ .what = "IPv6 beside IPv4 rules: table ip6 and its chain",
		  .rules = { { NFT_POST, OTHER }, END },
		  .chains = POST, .mask = POST, .family = V6,
		  .ret = 1, .table = 1, .mkchains = POST, .add = POST },
		{ .what = "IPv6 where table ip6 has the chain",
		  .rules = { { NFT_POST, OTHER, V6 }, END },
		  .chains = POST | POST6, .mask = POST, .family = V6,
		  .ret = 1, .add = POST },
		{ .what = "IPv6 where table ip6 has another chain",
		  .rules = { END },
		  .chains = PRE6, .mask = POST, .family = V6,
		  .ret = 1, .mkchains = POST, .add = POST },
		{ .what = "IPv4 where only table ip6 exists: table ip",
		  .rules = { { NFT_POST, OTHER, V6 }, END },
		  .chains = POST6 | PRE6, .mask = POST,
		  .ret = 1, .table = 1, .mkchains = POST, .add = POST },
		{ .what = "that comment in table ip is not the IPv6 rule",
		  .rules = { { NFT_POST, ME }, END },
		  .chains = POST | POST6, .mask = POST, .family = V6,
		  .ret = 1, .add = POST },
		{ .what = "IPv6 add again: exists",
		  .rules = { { NFT_PRE, ME, V6 }, END },
		  .chains = PRE6, .mask = PRE, .family = V6,
		  .err = -EEXIST },
		{ .what = "delete IPv6: the IPv4 rule of that comment stays",
		  .rules = { { NFT_POST, ME }, END },
		  .chains = POST, .mask = POST, .del = 1, .family = V6,
		  .err = -ENOENT },
		{ .what = "delete IPv6: only its own table's",
		  .rules = { { NFT_POST, ME }, { NFT_POST, ME, V6 }, END },
		  .chains = POST | POST6, .mask = POST, .del = 1, .family = V6,
		  .ret = 1, .ndel = 1 },
		{ .what = "delete by comment alone: from both tables",
		  .rules = { { NFT_POST, ME }, { NFT_POST, ME, V6 }, END },
		  .chains = POST | POST6, .del = 1, .idem = 1, .family = ANY,
		  .ret = 1, .ndel = 2 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nft_rule v[4];
		struct nft_plan p;
		int n, ret, fam = t[i].family == ANY ? 0 : t[i].family ? t[i].family : AF_INET;

		for (n = 0; t[i].rules[n].chain != 9; n++) {
			v[n].chain = t[i].rules[n].chain;
			v[n].family = t[i].rules[n].family ? t[i].rules[n].family : AF_INET;
			v[n].handle = (uint64_t)n + 1;
			strcpy(v[n].comment, t[i].rules[n].comment);
			v[n].key = nft_key(v[n].comment);
		}
		ret = nft_plan(v, n, t[i].chains, ME, fam, t[i].mask, t[i].del, t[i].idem, &p);
		if (ret != t[i].ret || p.err != t[i].err || p.table != t[i].table ||
		    p.chains != t[i].mkchains || p.add != t[i].add || p.ndel != t[i].ndel)
			fail_msg("%s: got %d err %d table %d chains %#x add %#x ndel %d", t[i].what,
				 ret, p.err, p.table, p.chains, p.add, p.ndel);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
