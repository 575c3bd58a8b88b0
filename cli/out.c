/* printf and fprintf's jobs through lib/fmt.c (nsbox's own formatting,
 * under its own names): the text goes to the stream in pieces, through
 * stdio's buffer as before. */
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include "cli.h"

static void to_file(void *f, const char *s, size_t n)
{
	fwrite(s, 1, n, f);
}

int fmt_vfile(FILE *f, const char *fmt, va_list ap)
{
	size_t n = fmt_vto(to_file, f, fmt, ap);

	return n > INT_MAX ? -1 : (int)n;
}

int fmt_file(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vfile(f, fmt, ap);
	va_end(ap);
	return n;
}

int fmt_out(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vfile(stdout, fmt, ap);
	va_end(ap);
	return n;
}
