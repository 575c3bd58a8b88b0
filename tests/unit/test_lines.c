/* Table for nsb_lines (cli/opt.c: batch files, ip -batch, sysctl -p):
 * {file bytes, the lines read, joined by '|'}.  A line ends at '\n' and,
 * for every reader (C strings), at its first NUL; long lines are whole. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "cli.h"

/* the lines of len bytes at s, joined by '|', into out */
static int read_all(const char *s, size_t len, char *out, size_t outlen)
{
	char path[] = "/tmp/nsbox-test-lines.XXXXXX", *line;
	struct nsb_lines in;
	size_t o = 0;
	int fd = mkstemp(path), r, k = 0;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, s, len), (ssize_t)len);
	close(fd);
	assert_int_equal(nsb_lines_open(&in, path), 0);
	out[0] = '\0';
	while ((r = nsb_lines_next(&in, &line)) > 0)
		o += snprintf(out + o, outlen - o, "%s%s", k++ ? "|" : "", line);
	nsb_lines_close(&in);
	unlink(path);
	return r;
}

static void test_lines(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *lines;
	} t[] = {
		{ "a\nb\n", 4, "a|b" },
		{ "a\nb", 3, "a|b" },
		{ "", 0, "" },
		{ "\n\n", 2, "|" },
		{ "a\0junk\nb\n", 9, "a|b" },
		{ "\0\0\0\n", 4, "" },
		{ "x\0\0\0", 4, "x" },
		{ "a\nb\0c\nd\0\ne", 11, "a|b|d|e" },
	};
	char out[256];
	size_t i;
	(void)state;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		assert_int_equal(read_all(t[i].in, t[i].len, out, sizeof(out)), 0);
		assert_string_equal(out, t[i].lines);
	}
}

/* a 3 MiB line is read whole; NUL bytes after a short start cost nothing */
static void test_long(void **state)
{
	size_t n = 3u << 20, i;
	char *s = malloc(n + 8), *out = malloc(n + 8);
	(void)state;

	assert_non_null(s);
	assert_non_null(out);
	memset(s, 'x', n);
	memcpy(s + n, "\ny\n", 3);
	assert_int_equal(read_all(s, n + 3, out, n + 8), 0);
	assert_int_equal(strlen(out), n + 2);
	assert_string_equal(out + n, "|y");
	memset(s, 0, n);
	s[0] = 'k';
	for (i = 4096; i < n; i += 4096)
		s[i] = 'z';	/* after the NUL: dropped with it */
	assert_int_equal(read_all(s, n + 3, out, n + 8), 0);
	assert_string_equal(out, "k|y");
	free(s);
	free(out);
}

/* 16 MiB of NUL bytes (a sparse file) in a buffer that never grows */
static void test_sparse(void **state)
{
	char path[] = "/tmp/nsbox-test-sparse.XXXXXX", *line;
	struct nsb_lines in;
	int fd = mkstemp(path), n = 0;
	(void)state;

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 16 << 20), 0);
	assert_int_equal(pwrite(fd, "\nz\n", 3, 16 << 20), 3);
	close(fd);
	assert_int_equal(nsb_lines_open(&in, path), 0);
	while (nsb_lines_next(&in, &line) > 0)
		n++;
	assert_int_equal(n, 2);
	assert_string_equal(line, "z");
	assert_true(in.cap <= 1 << 20);
	nsb_lines_close(&in);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_sparse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
