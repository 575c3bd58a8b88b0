/* Parser table for msec_parse (pingtest's -i, -W, -w): {input, min, max,
 * expected result, expected milliseconds}. */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "cli.h"

static void test_msec(void **state)
{
	static const struct {
		const char *in;
		unsigned long min, max;
		int ret;
		unsigned long ms;
	} t[] = {
		{ "1", 0, 100000, 0, 1000 },
		{ "0", 0, 100000, 0, 0 },
		{ "0.2", 0, 100000, 0, 200 },
		{ "0.25", 0, 100000, 0, 250 },
		{ "0.001", 0, 100000, 0, 1 },
		{ ".5", 0, 100000, 0, 500 },
		{ "1.5", 0, 100000, 0, 1500 },
		{ "10", 0, 100000, 0, 10000 },
		{ "100", 0, 100000, 0, 100000 },
		{ "100.001", 0, 100000, -ERANGE, 0 },
		{ "0", 1, 100000, -ERANGE, 0 },
		{ "0.000", 1, 100000, -ERANGE, 0 },
		{ "0.0001", 0, 100000, -EINVAL, 0 },
		{ "1.", 0, 100000, -EINVAL, 0 },
		{ ".", 0, 100000, -EINVAL, 0 },
		{ "", 0, 100000, -EINVAL, 0 },
		{ "1..2", 0, 100000, -EINVAL, 0 },
		{ "1.2.3", 0, 100000, -EINVAL, 0 },
		{ "01", 0, 100000, -EINVAL, 0 },
		{ "00.5", 0, 100000, -EINVAL, 0 },
		{ "-1", 0, 100000, -EINVAL, 0 },
		{ "+1", 0, 100000, -EINVAL, 0 },
		{ " 1", 0, 100000, -EINVAL, 0 },
		{ "1 ", 0, 100000, -EINVAL, 0 },
		{ "1s", 0, 100000, -EINVAL, 0 },
		{ "1e3", 0, 100000, -EINVAL, 0 },
		{ "0x10", 0, 100000, -EINVAL, 0 },
		{ "inf", 0, 100000, -EINVAL, 0 },
		{ "nan", 0, 100000, -EINVAL, 0 },
		{ "2147483.647", 0, INT_MAX, 0, 2147483647 },
		{ "2147483.648", 0, INT_MAX, -ERANGE, 0 },
		{ "99999999999999999999999", 0, INT_MAX, -ERANGE, 0 },
		{ "18446744073709551", 0, ULONG_MAX, 0, 18446744073709551000UL },
		{ "18446744073709552", 0, ULONG_MAX, -ERANGE, 0 },
	};
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		unsigned long ms = 12345;
		int r = msec_parse(t[i].in, t[i].min, t[i].max, &ms);

		if (r != t[i].ret)
			fail_msg("msec_parse(\"%s\") = %d, want %d", t[i].in, r, t[i].ret);
		if (r == 0 && ms != t[i].ms)
			fail_msg("msec_parse(\"%s\") gave %lu ms, want %lu", t[i].in, ms, t[i].ms);
		if (r && ms != 12345)
			fail_msg("msec_parse(\"%s\") wrote its result on failure", t[i].in);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
