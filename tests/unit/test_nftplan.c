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
		{ "add to an empty ruleset", { { 9, 0, 0 } }, 0, POST, 0, 0,
		  1, 0, 1, POST, POST, 0, 0 },
		{ "add in three chains, none there", { { 9, 0, 0 } }, 0, POST | PRE | OUT, 0, 0,
		  1, 0, 1, POST | PRE | OUT, POST | PRE | OUT, 0, 0 },
		{ "add beside another rule: table and chain stay", { { NFT_POST, OTHER, 0 }, { 9, 0, 0 } },
		  POST, POST, 0, 0, 1, 0, 0, 0, POST, 0, 0 },
		{ "add where only some chains exist", { { NFT_POST, OTHER, 0 }, { 9, 0, 0 } },
		  POST, PRE | OUT, 0, 0, 1, 0, 0, PRE | OUT, PRE | OUT, 0, 0 },
		{ "add again: exists", { { NFT_PRE, ME, 0 }, { NFT_OUT, ME, 0 }, { 9, 0, 0 } },
		  PRE | OUT, PRE | OUT, 0, 0, 0, -EEXIST, 0, 0, 0, 0, 0 },
		{ "add again, -e: nothing", { { NFT_PRE, ME, 0 }, { NFT_OUT, ME, 0 }, { 9, 0, 0 } },
		  PRE | OUT, PRE | OUT, 0, 1, 0, 0, 0, 0, 0, 0, 0 },
		{ "add half there: exists", { { NFT_PRE, ME, 0 }, { 9, 0, 0 } },
		  PRE | OUT, PRE | OUT, 0, 0, 0, -EEXIST, 0, 0, 0, 0, 0 },
		{ "add half there, -e: repair the missing chain", { { NFT_PRE, ME, 0 }, { 9, 0, 0 } },
		  PRE | OUT, PRE | OUT, 0, 1, 1, 0, 0, 0, OUT, 0, 0 },
		{ "add half there, -e, chain gone", { { NFT_PRE, ME, 0 }, { 9, 0, 0 } },
		  PRE, PRE | OUT, 0, 1, 1, 0, 0, OUT, OUT, 0, 0 },
		{ "same comment in a chain not ours: not ours", { { -1, ME, 0 }, { 9, 0, 0 } },
		  POST, POST, 0, 0, 1, 0, 0, 0, POST, 0, 0 },
		{ "a prefix of the comment is not it", { { NFT_POST, "natdnat tcp 8080", 0 }, { 9, 0, 0 } },
		  POST, POST, 0, 0, 1, 0, 0, 0, POST, 0, 0 },
		{ "delete: both chains' rules", { { NFT_PRE, ME, 0 }, { NFT_POST, OTHER, 0 },
		  { NFT_OUT, ME, 0 }, { 9, 0, 0 } }, POST | PRE | OUT, PRE | OUT, 1, 0,
		  1, 0, 0, 0, 0, 2, 0 },
		{ "delete from one chain (iptables -D, -F CHAIN): only there",
		  { { NFT_PRE, ME, 0 }, { NFT_OUT, ME, 0 }, { 9, 0, 0 } }, PRE | OUT, OUT, 1, 0,
		  1, 0, 0, 0, 0, 1, 0 },
		{ "delete a duplicate too", { { NFT_PRE, ME, 0 }, { NFT_PRE, ME, 0 }, { 9, 0, 0 } },
		  PRE, PRE, 1, 0, 1, 0, 0, 0, 0, 2, 0 },
		{ "delete half there: what is there", { { NFT_OUT, ME, 0 }, { 9, 0, 0 } },
		  PRE | OUT, PRE | OUT, 1, 0, 1, 0, 0, 0, 0, 1, 0 },
		{ "delete what is not there", { { NFT_POST, OTHER, 0 }, { 9, 0, 0 } },
		  POST, POST, 1, 0, 0, -ENOENT, 0, 0, 0, 0, 0 },
		{ "delete what is not there, -e", { { 9, 0, 0 } }, 0, POST, 1, 1,
		  0, 0, 0, 0, 0, 0, 0 },
		{ "delete in a chain not ours: not there", { { -1, ME, 0 }, { 9, 0, 0 } },
		  0, POST, 1, 0, 0, -ENOENT, 0, 0, 0, 0, 0 },
		{ "IPv6 beside IPv4 rules: table ip6 and its chain", { { NFT_POST, OTHER, 0 },
		  { 9, 0, 0 } }, POST, POST, 0, 0, 1, 0, 1, POST, POST, 0, V6 },
		{ "IPv6 where table ip6 has the chain", { { NFT_POST, OTHER, V6 }, { 9, 0, 0 } },
		  POST | POST6, POST, 0, 0, 1, 0, 0, 0, POST, 0, V6 },
		{ "IPv6 where table ip6 has another chain", { { 9, 0, 0 } },
		  PRE6, POST, 0, 0, 1, 0, 0, POST, POST, 0, V6 },
		{ "IPv4 where only table ip6 exists: table ip", { { NFT_POST, OTHER, V6 },
		  { 9, 0, 0 } }, POST6 | PRE6, POST, 0, 0, 1, 0, 1, POST, POST, 0, 0 },
		{ "that comment in table ip is not the IPv6 rule", { { NFT_POST, ME, 0 },
		  { 9, 0, 0 } }, POST | POST6, POST, 0, 0, 1, 0, 0, 0, POST, 0, V6 },
		{ "IPv6 add again: exists", { { NFT_PRE, ME, V6 }, { 9, 0, 0 } },
		  PRE6, PRE, 0, 0, 0, -EEXIST, 0, 0, 0, 0, V6 },
		{ "delete IPv6: the IPv4 rule of that comment stays", { { NFT_POST, ME, 0 },
		  { 9, 0, 0 } }, POST, POST, 1, 0, 0, -ENOENT, 0, 0, 0, 0, V6 },
		{ "delete IPv6: only its own table's", { { NFT_POST, ME, 0 }, { NFT_POST, ME, V6 },
		  { 9, 0, 0 } }, POST | POST6, POST, 1, 0, 1, 0, 0, 0, 0, 1, V6 },
		{ "delete by comment alone: from both tables", { { NFT_POST, ME, 0 },
		  { NFT_POST, ME, V6 }, { 9, 0, 0 } }, POST | POST6, 0, 1, 1, 1, 0, 0, 0, 0, 2, ANY },
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
