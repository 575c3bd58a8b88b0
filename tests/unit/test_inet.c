/* lib/addr.c's own address text against the C library's inet_pton and
 * inet_ntop (glibc here): hand-picked forms, then random addresses, each
 * written by one and read by the other. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cli.h"

static const char *const forms[] = {
	"0.0.0.0", "255.255.255.255", "10.0.0.1", "1.2.3.4", "01.2.3.4", "1.2.3", "1.2.3.4.5",
	"256.1.1.1", "1..2.3", "1.2.3.4 ", " 1.2.3.4", "1.2.3.04", "1.2.3.0", "1.2.3.", "0x1.2.3.4",
	"::", "::1", "1::", "1::2", "fe80::1", "2001:db8::10", "2001:DB8:0:0:0:0:0:1",
	"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7::8", "1::2::3", ":1::2", "1::2:", "1:::2", "12345::", "::ffff:1.2.3.4",
	"::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::ffff:1.2.3", "::g",
	"0:0:0:0:0:0:0:0", "0:0:1:0:0:1:0:0", "1:0:0:2:0:0:0:3", ":", ":::", "1.2.3.4::",
	"::ffff:0:1.2.3.4", "64:ff9b::1.2.3.4", "", "f", "ffff::ffff",
};

static void same_as_libc(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct nsb_prefix p;
		unsigned char want[16];
		int fam = strchr(forms[i], ':') ? AF_INET6 : AF_INET;
		int ok = inet_pton(fam, forms[i], want) == 1;
		int got = addr_parse(forms[i], fam, &p) == 0;

		if (ok != got)
			fail_msg("%s: libc %d, nsbox %d", forms[i], ok, got);
		if (ok)
			assert_memory_equal(p.addr, want, fam == AF_INET ? 4 : 16);
	}
}

static void random_round_trip(void **state)
{
	unsigned char a[16], back[16];
	char mine[64], libc[64];
	int i, k;

	(void)state;
	srand(1);
	for (i = 0; i < 200000; i++) {
		/* many zero groups, so that runs and tails come up often */
		for (k = 0; k < 16; k += 2) {
			int z = rand() % 3 == 0;

			a[k] = z ? 0 : rand() & (rand() % 2 ? 0xff : 0x01);
			a[k + 1] = z ? 0 : rand() & 0xff;
		}
		if (i % 7 == 0)
			memcpy(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12);
		addr_ntop(AF_INET6, a, mine, sizeof(mine));
		inet_ntop(AF_INET6, a, libc, sizeof(libc));
		if (strcmp(mine, libc))
			fail_msg("ntop: nsbox %s, libc %s", mine, libc);
		assert_int_equal(inet_pton(AF_INET6, mine, back), 1);
		assert_memory_equal(a, back, 16);
		addr_ntop(AF_INET, a, mine, sizeof(mine));
		inet_ntop(AF_INET, a, libc, sizeof(libc));
		assert_string_equal(mine, libc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_libc),
		cmocka_unit_test(random_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
