/* Parser tables for natdnat's operands (lib/addr.c): [ADDR:]PORT[-PORT] and
 * TO_ADDR[:PORT], an IPv6 ADDR with a port in brackets: {input, expected
 * result, expected value}. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"

static void test_dport(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *addr;	/* NULL: no address given */
		unsigned int lo, hi;
	} t[] = {
		{ "8000", 0, NULL, 8000, 8000 },
		{ "1", 0, NULL, 1, 1 },
		{ "65535", 0, NULL, 65535, 65535 },
		{ "8000-8010", 0, NULL, 8000, 8010 },
		{ "8000-8000", 0, NULL, 8000, 8000 },
		{ "198.51.100.1:8000", 0, "198.51.100.1", 8000, 8000 },
		{ "198.51.100.1:1-65535", 0, "198.51.100.1", 1, 65535 },
		{ "0", -ERANGE, NULL, 0, 0 },
		{ "65536", -ERANGE, NULL, 0, 0 },
		{ "99999999999999999999", -ERANGE, NULL, 0, 0 },
		{ "8010-8000", -ERANGE, NULL, 0, 0 },
		{ "0-10", -ERANGE, NULL, 0, 0 },
		{ "8000-", -ERANGE, NULL, 0, 0 },
		{ "-8000", -ERANGE, NULL, 0, 0 },
		{ "08000", -ERANGE, NULL, 0, 0 },
		{ "http", -ERANGE, NULL, 0, 0 },
		{ "", -ERANGE, NULL, 0, 0 },
		{ "198.51.100.1:", -ERANGE, NULL, 0, 0 },
		{ "198.51.100.1:0", -ERANGE, NULL, 0, 0 },
		{ "198.51.100.1", -ERANGE, NULL, 0, 0 },
		{ ":8000", -EINVAL, NULL, 0, 0 },
		{ "198.51.100:8000", -EINVAL, NULL, 0, 0 },
		{ "198.51.100.256:8000", -EINVAL, NULL, 0, 0 },
		{ "10.0.0.0/8:8000", -EINVAL, NULL, 0, 0 },
		{ "host:8000", -EINVAL, NULL, 0, 0 },
		{ "::1:8000", -EINVAL, NULL, 0, 0 },
		{ "1.2.3.4:5:6", -ERANGE, NULL, 0, 0 },
		{ "[2001:db8::1]:8000", 0, "2001:db8::1", 8000, 8000 },
		{ "[fd00::]:1-65535", 0, "fd00::", 1, 65535 },
		{ "[::ffff:10.0.0.1]:80", 0, "::ffff:10.0.0.1", 80, 80 },
		{ "[2001:db8::1]", -ERANGE, NULL, 0, 0 },
		{ "[2001:db8::1]:", -ERANGE, NULL, 0, 0 },
		{ "[2001:db8::1]:0", -ERANGE, NULL, 0, 0 },
		{ "[2001:db8::1]8000", -EINVAL, NULL, 0, 0 },
		{ "[2001:db8::1", -EINVAL, NULL, 0, 0 },
		{ "[2001:db8::g]:80", -EINVAL, NULL, 0, 0 },
		{ "[10.0.0.1]:80", -EINVAL, NULL, 0, 0 },
		{ "[]:80", -EINVAL, NULL, 0, 0 },
		{ "2001:db8::1", -EINVAL, NULL, 0, 0 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nsb_prefix a;
		unsigned int lo = 0, hi = 0;
		char buf[64];
		int r = dport_parse(t[i].in, &a, &lo, &hi);

		if (r != t[i].ret)
			fail_msg("dport_parse(\"%s\") = %d, want %d", t[i].in, r, t[i].ret);
		if (r)
			continue;
		if (t[i].addr) {
			assert_int_equal(a.family, strchr(t[i].addr, ':') ? AF_INET6 : AF_INET);
			assert_string_equal(addr_ntop(a.family, a.addr, buf, sizeof(buf)), t[i].addr);
		} else {
			assert_int_equal(a.family, AF_UNSPEC);
		}
		assert_int_equal(lo, t[i].lo);
		assert_int_equal(hi, t[i].hi);
	}
}

static void test_dnat_to(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *addr;
		unsigned int port;	/* 0: none given */
	} t[] = {
		{ "10.10.0.10", 0, "10.10.0.10", 0 },
		{ "10.10.0.10:8000", 0, "10.10.0.10", 8000 },
		{ "10.10.0.10:65535", 0, "10.10.0.10", 65535 },
		{ "10.10.0.10:0", -ERANGE, NULL, 0 },
		{ "10.10.0.10:65536", -ERANGE, NULL, 0 },
		{ "10.10.0.10:80-90", -ERANGE, NULL, 0 },
		{ "10.10.0.10:", -ERANGE, NULL, 0 },
		{ "10.10.0.10:http", -ERANGE, NULL, 0 },
		{ "10.10.0.10/32", -EINVAL, NULL, 0 },
		{ "10.10.0:80", -EINVAL, NULL, 0 },
		{ ":80", -EINVAL, NULL, 0 },
		{ "8000", -EINVAL, NULL, 0 },
		{ "", -EINVAL, NULL, 0 },
		{ "fd00::10", 0, "fd00::10", 0 },
		{ "[fd00::10]", 0, "fd00::10", 0 },
		{ "[fd00::10]:8000", 0, "fd00::10", 8000 },
		/* without brackets it is all address */
		{ "fd00::10:80", 0, "fd00::10:80", 0 },
		{ "[fd00::10]:", -ERANGE, NULL, 0 },
		{ "[fd00::10]:0", -ERANGE, NULL, 0 },
		{ "[fd00::10]:80-90", -ERANGE, NULL, 0 },
		{ "[fd00::10]80", -EINVAL, NULL, 0 },
		{ "[fd00::10", -EINVAL, NULL, 0 },
		{ "[10.10.0.10]:80", -EINVAL, NULL, 0 },
		{ "fd00::10/128", -EINVAL, NULL, 0 },
		{ "fd00:::10", -EINVAL, NULL, 0 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct nsb_prefix a;
		unsigned int port = 0;
		char buf[64];
		int r = dnat_to_parse(t[i].in, &a, &port);

		if (r != t[i].ret)
			fail_msg("dnat_to_parse(\"%s\") = %d, want %d", t[i].in, r, t[i].ret);
		if (r)
			continue;
		assert_int_equal(a.family, strchr(t[i].addr, ':') ? AF_INET6 : AF_INET);
		assert_string_equal(addr_ntop(a.family, a.addr, buf, sizeof(buf)), t[i].addr);
		assert_int_equal(port, t[i].port);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dport),
		cmocka_unit_test(test_dnat_to),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
