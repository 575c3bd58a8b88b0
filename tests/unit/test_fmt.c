/* static/fmt.c (the static build's printf) against the C library's printf:
 * {format, arguments} rows must give the same text and the same count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

int fmt_snprintf(char *buf, size_t cap, const char *f, ...);

#define SAME(...) do {							\
	char a[128], b[128];						\
	int ra = snprintf(a, sizeof(a), __VA_ARGS__);			\
	int rb = fmt_snprintf(b, sizeof(b), __VA_ARGS__);		\
	assert_string_equal(b, a);					\
	assert_int_equal(rb, ra);					\
} while (0)

static void test_conversions(void **state)
{
	(void)state;
	SAME("plain text");
	SAME("%s: %s: %s", "nsadd", "a", "File exists");
	SAME("%d %d %d %d", 0, -1, 2147483647, -2147483647 - 1);
	SAME("%u %lu %llu", 4294967295u, 18446744073709551615ul, 18446744073709551615ull);
	SAME("%ld %lld %zu %zd", -9223372036854775807l - 1, 123456789012345ll, (size_t)42, (ssize_t)-42);
	SAME("%x %X %02x %04x %08x", 255u, 255u, 10u, 0xbeefu, 1u);
	SAME("%hhu %hu %hhx", 300, 70000, 0x1ff);
	SAME("%hhd %hd %hhi %hi", 200, 40000, -129, -32769);
	SAME("%lx %llX %lo %lu", -1l, -1ll, 8ul, 9223372036854775808ul);
	SAME("[%*d] [%.*s] [%c]", 3, -7, -1, "all", 'z');
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("100%%");
	SAME("[%5d] [%-5d] [%05d] [%-05d]", 42, 42, 42, 42);
	SAME("[%5d] [%05d] [%-6d]", -42, -42, -42);
	SAME("[%10s] [%-10s] [%.3s] [%-8.2s]", "abc", "abc", "abcdef", "abcdef");
	SAME("[%*s] [%-*s] [%.*s]", 6, "ab", 6, "ab", 2, "abcdef");
	SAME("[%*d]", -4, 7);
	SAME("%u.%u.%u.%u", 10u, 10u, 0u, 1u);
	SAME("%d.%03d ms", 12, 7);
	SAME("%o %p", 8u, (void *)0x1234);
}

static void test_truncation(void **state)
{
	char buf[8];
	(void)state;

	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	assert_string_equal(buf, "0123456");
	assert_int_equal(fmt_snprintf(buf, 1, "%d", 12345), 5);
	assert_string_equal(buf, "");
	assert_int_equal(fmt_snprintf(NULL, 0, "%s-%d", "ab", 7), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_truncation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
