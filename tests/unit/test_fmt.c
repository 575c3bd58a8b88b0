/* lib/fmt.c against the C library's snprintf, which is the oracle: every
 * conversion, flag, width, precision and length nsbox's format strings
 * use, at the edges of each type, and the truncation contract. */
/* truncation is what is tested */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "nsbox.h"

/* the same text and the same length as snprintf's, into len bytes */
#define SAME_IN(len, ...) do { \
	char a_[256], b_[256]; \
	int x_, y_; \
	memset(a_, 'A', sizeof(a_)); \
	memset(b_, 'A', sizeof(b_)); \
	x_ = snprintf(a_, (len), __VA_ARGS__); \
	y_ = fmt_buf(b_, (len), __VA_ARGS__); \
	assert_int_equal(x_, y_); \
	assert_memory_equal(a_, b_, sizeof(a_)); \
} while (0)
#define SAME(...) SAME_IN(256, __VA_ARGS__)

static void test_fmt(void **state)
{
	static const char *const strs[] = { "", "a", "eth0", "a longer string, 25 bytes" };
	static const long long ints[] = { 0, 1, -1, 9, 10, 255, 256, 65535, INT_MAX, INT_MIN,
					  (long long)UINT_MAX, LLONG_MAX, LLONG_MIN };
	size_t i;
	int w;

	(void)state;
	SAME("plain text, no conversion");
	SAME("%%, %% again");
	SAME("%s|%c|%d", "x", 'y', 3);
	for (i = 0; i < sizeof(strs) / sizeof(*strs); i++) {
		const char *s = strs[i];

		SAME("[%s]", s);
		SAME("[%8s][%-8s][%-20s][%10s]", s, s, s, s);
		SAME("[%.*s][%.0s][%.3s]", 2, s, s, s);
		for (w = -12; w <= 12; w += 3)
			SAME("[%*s][%-*s]", w, s, w, s);
	}
	for (i = 0; i < sizeof(ints) / sizeof(*ints); i++) {
		long long v = ints[i];

		SAME("%d %i %u %x %X %#x %02x %04x %08x %-5d %5d", (int)v, (int)v,
		     (unsigned int)v, (unsigned int)v, (unsigned int)v, (unsigned int)v,
		     (unsigned int)v, (unsigned int)v, (unsigned int)v, (int)v, (int)v);
		SAME("%ld %lu %-4lu %lx", (long)v, (unsigned long)v, (unsigned long)v,
		     (unsigned long)v);
		SAME("%lld %llu %8llu %5llu %4llu %10llu", v, (unsigned long long)v,
		     (unsigned long long)v, (unsigned long long)v, (unsigned long long)v,
		     (unsigned long long)v);
		SAME("%zd %zu %hu %hhu %hd %hhd", (ssize_t)v, (size_t)v, (unsigned short)v,
		     (unsigned char)v, (short)v, (signed char)v);
		for (w = 0; w <= 21; w += 7)
			SAME("%0*llu|%*llu|%0*d", w, (unsigned long long)v, w,
			     (unsigned long long)v, w, (int)v);
	}
	SAME("%c%c%c", 'a', ' ', '~');
	SAME("[%5c][%-5c]", 'q', 'r');
	/* the truncation contract: len - 1 bytes and a NUL, the whole length */
	for (w = 1; w < 12; w++)
		SAME_IN((size_t)w, "%s=%d", "truncated", 12345);
	SAME_IN(0, "%s", "nothing written");
	/* appending after a text cut short: len - o went below 0 as a size_t;
	 * nothing is written past the buffer, and the length still counts */
	{
		struct { char b[8], after[32]; } t;
		int o;

		memset(&t, 'A', sizeof(t));
		o = fmt_buf(t.b, sizeof(t.b), "%s", "0123456789");
		o += fmt_buf(t.b + o, sizeof(t.b) - o, "%s", "more text");
		assert_int_equal(o, 19);
		assert_string_equal(t.b, "0123456");
		for (w = 0; w < (int)sizeof(t.after); w++)
			assert_int_equal(t.after[w], 'A');
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
