/* Parser tables for lib/addr.c and the batch line splitter: {input,
 * expected result, expected value}. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"

static void test_prefix(void **state)
{
	static const struct {
		const char *in;
		int family, need_len, ret;
		const char *addr;
		int plen;
	} t[] = {
		{ "10.10.0.1/16", AF_UNSPEC, 1, 0, "10.10.0.1", 16 },
		{ "10.10.0.1", AF_UNSPEC, 0, 0, "10.10.0.1", 32 },
		{ "10.10.0.1", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "0.0.0.0/0", AF_INET, 1, 0, "0.0.0.0", 0 },
		{ "10.10.0.1/33", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.1/", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.1/016", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.1/16x", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.1/-1", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0/16", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.256/16", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "10.10.0.1 /16", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "fd00::1/64", AF_UNSPEC, 1, 0, "fd00::1", 64 },
		{ "fd00::1/129", AF_UNSPEC, 1, -EINVAL, NULL, 0 },
		{ "fd00::1/64", AF_INET, 1, -EINVAL, NULL, 0 },
		{ "10.0.0.1/8", AF_INET6, 1, -EINVAL, NULL, 0 },
		{ "::/0", AF_INET6, 1, 0, "::", 0 },
		{ "::ffff:1.2.3.4/128", AF_UNSPEC, 1, 0, "::ffff:1.2.3.4", 128 },
		{ "", AF_UNSPEC, 0, -EINVAL, NULL, 0 },
		{ "default", AF_UNSPEC, 0, -EINVAL, NULL, 0 },
		{ "1.2.3.4.5", AF_UNSPEC, 0, -EINVAL, NULL, 0 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nsb_prefix p;
		char buf[64];
		int r = prefix_parse(t[i].in, t[i].family, &p, t[i].need_len);

		if (r != t[i].ret)
			fail_msg("prefix_parse(\"%s\") = %d, want %d", t[i].in, r, t[i].ret);
		if (r)
			continue;
		assert_string_equal(addr_ntop(p.family, p.addr, buf, sizeof(buf)), t[i].addr);
		assert_int_equal(p.plen, t[i].plen);
	}
}

static void test_clear_host(void **state)
{
	static const struct {
		const char *in, *out;
	} t[] = {
		{ "10.10.0.10/16", "10.10.0.0" },
		{ "10.10.0.10/32", "10.10.0.10" },
		{ "10.10.0.10/0", "0.0.0.0" },
		{ "10.10.255.255/17", "10.10.128.0" },
		{ "192.168.1.129/25", "192.168.1.128" },
		{ "fd00:1:2:3::9/64", "fd00:1:2:3::" },
		{ "fd00:ffff::1/20", "fd00:f000::" },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nsb_prefix p;
		char buf[64];

		assert_int_equal(prefix_parse(t[i].in, AF_UNSPEC, &p, 1), 0);
		prefix_clear_host(&p);
		assert_string_equal(addr_ntop(p.family, p.addr, buf, sizeof(buf)), t[i].out);
	}
}

static void test_mac(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *out;
	} t[] = {
		{ "02:00:00:aa:bb:cc", 0, "02:00:00:aa:bb:cc" },
		{ "02:00:00:AA:BB:CC", 0, "02:00:00:aa:bb:cc" },
		{ "02:00:00:aa:bb", -EINVAL, NULL },
		{ "02:00:00:aa:bb:cc:dd", -EINVAL, NULL },
		{ "02-00-00-aa-bb-cc", -EINVAL, NULL },
		{ "02:00:00:aa:bb:cg", -EINVAL, NULL },
		{ "2:0:0:aa:bb:cc", -EINVAL, NULL },
		{ "", -EINVAL, NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned char mac[6];
		char buf[32];
		int r = mac_parse(t[i].in, mac);

		if (r != t[i].ret)
			fail_msg("mac_parse(\"%s\") = %d", t[i].in, r);
		if (!r)
			assert_string_equal(mac_format(mac, 6, buf, sizeof(buf)), t[i].out);
	}
}

static void test_num_port(void **state)
{
	static const struct {
		const char *in;
		int ret;
		unsigned int lo, hi;
	} t[] = {
		{ "80", 0, 80, 80 },
		{ "1", 0, 1, 1 },
		{ "65535", 0, 65535, 65535 },
		{ "0", -EINVAL, 0, 0 },
		{ "65536", -EINVAL, 0, 0 },
		{ "8000-8010", 0, 8000, 8010 },
		{ "8010-8000", -EINVAL, 0, 0 },
		{ "8000-", -EINVAL, 0, 0 },
		{ "-8000", -EINVAL, 0, 0 },
		{ "80x", -EINVAL, 0, 0 },
		{ "+80", -EINVAL, 0, 0 },
		{ "080", -EINVAL, 0, 0 },
		{ "", -EINVAL, 0, 0 },
		{ "99999999999999999999999", -EINVAL, 0, 0 },
	};
	size_t i;
	unsigned long v;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned int lo = 0, hi = 0;
		int r = port_range_parse(t[i].in, &lo, &hi);

		if (r != t[i].ret)
			fail_msg("port_range_parse(\"%s\") = %d", t[i].in, r);
		if (!r) {
			assert_int_equal(lo, t[i].lo);
			assert_int_equal(hi, t[i].hi);
		}
	}
	assert_int_equal(num_parse("1500", 68, 65535, &v), 0);
	assert_int_equal(v, 1500);
	assert_int_equal(num_parse("67", 68, 65535, &v), -ERANGE);
	assert_int_equal(num_parse("4294967296", 0, 4294967295UL, &v), -ERANGE);
	assert_int_equal(num_parse("4294967295", 0, 4294967295UL, &v), 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(ifname_valid("eth0"));
	assert_true(ifname_valid("planet-br"));
	assert_true(ifname_valid("fifteen-chars-x"));
	assert_false(ifname_valid("sixteen-chars-xx"));
	assert_false(ifname_valid(""));
	assert_false(ifname_valid("a/b"));
	assert_false(ifname_valid("a:b"));
	assert_false(ifname_valid("a b"));
	assert_false(ifname_valid("."));
	assert_false(ifname_valid(".."));
	assert_true(ns_name_valid("earth"));
	assert_false(ns_name_valid(""));
	assert_false(ns_name_valid("."));
	assert_false(ns_name_valid("../x"));
}

static void test_endpoint(void **state)
{
	char a[] = "earth:earth-veth", b[] = "eth0", c[] = ":x", d[] = "a:b:c";
	char *ns, *ifn;
	(void)state;

	assert_int_equal(endpoint_split(a, &ns, &ifn), 0);
	assert_string_equal(ns, "earth");
	assert_string_equal(ifn, "earth-veth");
	assert_int_equal(endpoint_split(b, &ns, &ifn), 0);
	assert_null(ns);
	assert_string_equal(ifn, "eth0");
	assert_int_equal(endpoint_split(c, &ns, &ifn), -EINVAL);
	/* the text after the last ':' is the interface */
	assert_int_equal(endpoint_split(d, &ns, &ifn), 0);
	assert_string_equal(ns, "a:b");
	assert_string_equal(ifn, "c");
}

static void test_split(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *words;	/* joined with '|' */
	} t[] = {
		{ "nsadd a b", 3, "nsadd|a|b" },
		{ "  natmasq\t10.0.0.0/8  -o '!br0'  ", 4, "natmasq|10.0.0.0/8|-o|!br0" },
		{ "x \"a b\" 'c d'", 3, "x|a b|c d" },
		{ "x a\"b c\"d", 2, "x|ab cd" },
		{ "x \"\"", 2, "x|" },
		{ "x 'it\"s'", 2, "x|it\"s" },
		{ "", 0, "" },
		{ "   \n", 0, "" },
		{ "x \"open", -EINVAL, NULL },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char line[128], joined[128] = "", *argv[16];
		int n, k;

		strcpy(line, t[i].in);
		n = nsb_split(line, argv, 16);
		if (n != t[i].ret)
			fail_msg("nsb_split(\"%s\") = %d, want %d", t[i].in, n, t[i].ret);
		for (k = 0; k < n; k++) {
			if (k)
				strcat(joined, "|");
			strcat(joined, argv[k]);
		}
		if (n >= 0) {
			assert_string_equal(joined, t[i].words);
			assert_null(argv[n]);
		}
	}
	{
		char many[64] = "a b c d e f", *argv[4];

		assert_int_equal(nsb_split(many, argv, 4), -E2BIG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_clear_host),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_num_port),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_endpoint),
		cmocka_unit_test(test_split),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
