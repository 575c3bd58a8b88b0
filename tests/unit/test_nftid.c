/* A rule's identity (lib/nftid.c): what nft_userdata writes beside the
 * comment is what nft_id_nat reads back, field for field; a maker's own
 * fields go through the same two functions; and what is not a well-formed
 * identity of this version reads as none (the rule then falls back to its
 * comment), never as a half-filled rule. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "nsbox.h"

int nft_userdata(unsigned char *ud, const struct nft_nat *n, const char *comment);

/* the rule as nft_rule_cb keeps it: its comment and its identity's payload
 * (userdata's TLVs of type 0 and 0x6e, read here without nftdec.c) */
static void as_dumped(const unsigned char *ud, int len, struct nft_rule *v)
{
	int o;

	memset(v, 0, sizeof(*v));
	for (o = 0; o + 2 <= len; o += 2 + ud[o + 1]) {
		assert_true(o + 2 + ud[o + 1] <= len);
		if (ud[o] == 0)
			memcpy(v->comment, ud + o + 2, ud[o + 1]);
		if (ud[o] == 0x6e) {
			memcpy(v->id, ud + o + 2, ud[o + 1]);
			v->idlen = ud[o + 1];
		}
	}
	assert_int_equal(o, len);
}

/* two rules' fields the same (their pointers' strings compared) */
static void same(const struct nft_nat *a, const struct nft_nat *b)
{
	struct nft_nat x = *a, y = *b;

	assert_string_equal(a->jump ? a->jump : "-", b->jump ? b->jump : "-");
	assert_string_equal(a->logprefix ? a->logprefix : "-", b->logprefix ? b->logprefix : "-");
	assert_string_equal(a->chain ? a->chain : "-", b->chain ? b->chain : "-");
	x.jump = y.jump = x.logprefix = y.logprefix = x.chain = y.chain = NULL;
	x.xid = y.xid = NULL;
	x.xidlen = y.xidlen = 0;
	x.insert = y.insert = 0;	/* where -I puts it: not the rule's */
	x.pos = y.pos = 0;
	assert_memory_equal(&x, &y, sizeof(x));
}

static void test_roundtrip(void **state)
{
	struct nft_nat n = { .masq = 1, .ifneg = 1, .proto = 6, .lo = 80, .hi = 90, .toport = 8080,
			     .neg = NFT_NEG_SRC | NFT_NEG_DPORT, .verdict = NFT_V_JUMP, .jump = "MINE",
			     .logprefix = "p: ", .chain = "FWD", .slo = 1024, .shi = 65535,
			     .ctstate = 6, .syn = 1, .log = 1, .loglevel = 7, .rcode = 3, .nmports = 3,
			     .mports = { 22, 443, 65535 }, .maker = NFT_BY_IPTABLES, .insert = 1,
			     .pos = 9 }, back;
	unsigned char ud[NFT_USERDATA_MAX], xid[4] = { 64, 1, 5, 0 };
	struct nft_rule v;
	int len;

	(void)state;
	memcpy(n.ifname, "eth0", 5);
	memcpy(n.iif, "br-123456789abc", 16);
	assert_int_equal(prefix_parse("fd00:1::/48", AF_UNSPEC, &n.src, 0), 0);
	assert_int_equal(prefix_parse("10.0.0.0/8", AF_UNSPEC, &n.dst, 0), 0);
	assert_int_equal(prefix_parse("192.168.1.1/32", AF_UNSPEC, &n.to, 0), 0);
	n.xid = xid;
	n.xidlen = 3;
	len = nft_userdata(ud, &n, "-A FORWARD -j MINE");
	assert_true(len > 0 && len <= NFT_USERDATA_MAX);
	as_dumped(ud, len, &v);
	assert_string_equal(v.comment, "-A FORWARD -j MINE");
	assert_int_equal(nft_id_nat(&v, &back), NFT_BY_IPTABLES);
	assert_int_equal(back.maker, NFT_BY_IPTABLES);
	same(&n, &back);
	/* the maker's own record is there for its reader; nat's skips it */
	assert_memory_equal(v.id + v.idlen - 3, xid, 3);
}

static void test_no_identity(void **state)
{
	struct nft_nat n = { .masq = 1 }, back;
	unsigned char ud[NFT_USERDATA_MAX];
	struct nft_rule v;
	int len;

	(void)state;
	/* a CNI attachment's rule (no maker): the comment alone, as before */
	len = nft_userdata(ud, &n, "bridge net1 abc eth0 masq");
	assert_int_equal(len, 2 + 26);
	as_dumped(ud, len, &v);
	assert_int_equal(v.idlen, 0);
	assert_int_equal(nft_id_nat(&v, &back), 0);
}

static void test_too_long(void **state)
{
	struct nft_nat n = { .masq = 1, .maker = NFT_BY_NATMASQ };
	unsigned char ud[NFT_USERDATA_MAX], big[200] = { 0 };
	char comment[NFT_COMMENT_MAX];
	struct nft_rule v;

	(void)state;
	memset(comment, 'x', sizeof(comment) - 1);
	comment[sizeof(comment) - 1] = '\0';
	n.xid = big;
	n.xidlen = sizeof(big);
	/* too long beside the comment: the comment alone, read as an older
	 * nsbox's rule */
	assert_int_equal(nft_userdata(ud, &n, comment), 2 + NFT_COMMENT_MAX);
	as_dumped(ud, 2 + NFT_COMMENT_MAX, &v);
	assert_string_equal(v.comment, comment);
	assert_int_equal(v.idlen, 0);
	n.xidlen = 60;
	assert_true(nft_userdata(ud, &n, comment) > 2 + NFT_COMMENT_MAX + 60);
}

/* payloads that must read as no identity (and leave n zeroed) */
static void test_malformed(void **state)
{
	static const struct {
		const char *what;
		unsigned char id[24];
		int len;
	} t[] = {
		{ "another version", { 2, 1, 1, 1, 1 }, 5 },
		{ "no maker", { 1, 0, 1, 1, 1 }, 5 },
		{ "a record past the end", { 1, 1, 1, 4, 1 }, 5 },
		{ "a half record", { 1, 1, 1 }, 3 },
		{ "a field longer than its struct's", { 1, 1, 1, 5, 1, 0, 0, 0, 0 }, 9 },
		{ "a name without its NUL", { 1, 1, 3, 16, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
					       'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p' }, 20 },
		{ "more ports than there are", { 1, 3, 33, 1, 16 }, 5 },
		{ "a prefix longer than its family's", { 1, 1, 2, 5, 2, 0, 0, 0, 33 }, 9 },
		{ "an empty string", { 1, 3, 22, 0 }, 4 },
		{ "a string without its NUL", { 1, 3, 22, 2, 'a', 'b' }, 6 },
	};
	struct nft_nat n, zero = { 0 };
	struct nft_rule v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&v, 0, sizeof(v));
		memcpy(v.id, t[i].id, sizeof(t[i].id));
		v.idlen = t[i].len;
		if (nft_id_nat(&v, &n) || memcmp(&n, &zero, sizeof(n)))
			fail_msg("%s: read as an identity", t[i].what);
	}
	/* a tag no field has (a newer nsbox's) is skipped, the rest read */
	memset(&v, 0, sizeof(v));
	memcpy(v.id, (const unsigned char[]){ 1, 2, 62, 2, 9, 9, 1, 1, 1 }, 9);
	v.idlen = 9;
	assert_int_equal(nft_id_nat(&v, &n), NFT_BY_NATDNAT);
	assert_int_equal(n.masq, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_no_identity),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
