/*
 * nsbox's own formatting, under its own names (skalibs' fmt_* is the
 * model): the part of printf that nsbox uses, which is integers and strings.
 * musl's vfprintf carries floating point (fmt_fp, long double) and
 * positional arguments with it, 11 KiB of the static binary that nsbox never
 * needs.  Flags - 0 #, width and precision as digits or *, lengths hh h l ll
 * z j t, conversions d i u x X c s %.  The text goes to a writer (w, ctx);
 * fmt_vbuf is snprintf's contract: at most len - 1 bytes and a NUL, and the
 * length the whole text has.  The compiler checks every call's arguments as
 * printf's (format attribute, include/nsbox.h); tests/unit/test_fmt.c
 * compares it with the C library's snprintf.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "nsbox.h"

enum { F_LEFT = 1, F_ZERO = 2, F_ALT = 4 };

static void pad(fmt_write *w, void *ctx, int c, int n)
{
	char b[16];

	memset(b, c, sizeof(b));
	for (; n > 0; n -= (int)sizeof(b))
		w(ctx, b, n < (int)sizeof(b) ? (size_t)n : sizeof(b));
}

/* s (n bytes) in width, with a prefix (sign, 0x) before any zeros */
static size_t field(fmt_write *w, void *ctx, const char *pre, const char *s, size_t n,
		    int width, int flags)
{
	size_t np = strlen(pre), all = np + n;
	int fill = width > (int)all ? width - (int)all : 0;

	if (!(flags & (F_LEFT | F_ZERO)))
		pad(w, ctx, ' ', fill);
	w(ctx, pre, np);
	if ((flags & (F_LEFT | F_ZERO)) == F_ZERO)
		pad(w, ctx, '0', fill);
	w(ctx, s, n);
	if (flags & F_LEFT)
		pad(w, ctx, ' ', fill);
	return all + (size_t)fill;
}

static int number(const char **f, va_list *ap)
{
	int n = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		n = n * 10 + *(*f)++ - '0';
	return n;
}

/* va_list by pointer: its state survives the calls, on every ABI */
/* Over 60 lines: one conversion loop, as printf's
 * NOLINTNEXTLINE(readability-function-size) */
static size_t vfmt(fmt_write *w, void *ctx, const char *f, va_list *ap)
{
	size_t total = 0;

	while (*f) {
		const char *p = strchr(f, '%'), *s, *pre = "";
		char d[24], *q = d + sizeof(d);
		unsigned long long u;
		int flags = 0, width, prec = -1, len = 0, base = 10, neg = 0;
		size_t n;

		n = p ? (size_t)(p - f) : strlen(f);
		w(ctx, f, n);
		total += n;
		if (!p)
			break;
		for (f = p + 1; *f == '-' || *f == '0' || *f == '#'; f++)
			flags |= *f == '-' ? F_LEFT : *f == '0' ? F_ZERO : F_ALT;
		width = number(&f, ap);
		if (width < 0) {	/* a negative * width is - */
			flags |= F_LEFT;
			width = -width;
		}
		if (*f == '.') {
			f++;
			prec = number(&f, ap);
		}
		/* z and t are long's size on every target nsbox builds for */
		for (; *f && strchr("hlzjt", *f); f++)
			len += *f == 'h' ? -1 : *f == 'j' ? 2 : 1;
		switch (*f++) {
		case 's':
			s = va_arg(*ap, const char *);
			n = prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s);
			total += field(w, ctx, "", s, n, width, flags & F_LEFT);
			continue;
		case 'c':
			d[0] = (char)va_arg(*ap, int);
			total += field(w, ctx, "", d, 1, width, flags & F_LEFT);
			continue;
		case 'd':
		case 'i': {
			long long v = len > 1 ? va_arg(*ap, long long) :
				      len == 1 ? va_arg(*ap, long) : va_arg(*ap, int);

			v = len == -1 ? (short)v : len < -1 ? (signed char)v : v;
			neg = v < 0;
			u = neg ? 0 - (unsigned long long)v : (unsigned long long)v;
			pre = neg ? "-" : "";
			break;
		}
		case 'x':
		case 'X':
			base = 16;
			/* fall through */
		case 'u':
			u = len > 1 ? va_arg(*ap, unsigned long long) :
			    len == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned int);
			u = len == -1 ? (unsigned short)u : len < -1 ? (unsigned char)u : u;
			pre = base == 16 && flags & F_ALT && u ? (f[-1] == 'x' ? "0x" : "0X") : "";
			break;
		default:	/* %% */
			w(ctx, "%", 1);
			total++;
			continue;
		}
		s = f[-1] == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
		do
			*--q = s[u % (unsigned)base];
		while ((u /= (unsigned)base));
		total += field(w, ctx, pre, q, (size_t)(d + sizeof(d) - q), width, flags);
	}
	return total;
}

size_t fmt_vto(fmt_write *w, void *ctx, const char *fmt, va_list ap)
{
	va_list a;
	size_t n;

	va_copy(a, ap);
	n = vfmt(w, ctx, fmt, &a);
	va_end(a);
	return n;
}

struct buf {
	char *p;
	size_t left;
};

static void to_buf(void *ctx, const char *s, size_t n)
{
	struct buf *b = ctx;

	n = n < b->left ? n : b->left;
	memcpy(b->p, s, n);
	b->p += n;
	b->left -= n;
}

static int vbuf(char *buf, size_t len, const char *fmt, va_list ap)
{
	struct buf b = { buf, len ? len - 1 : 0 };
	size_t n = fmt_vto(to_buf, &b, fmt, ap);

	if (len)
		*b.p = '\0';
	return n > INT_MAX ? -1 : (int)n;
}

/* A len over INT_MAX is no buffer of nsbox's but a size that went below 0:
 * "o += fmt_buf(buf + o, len - o, ...)" after the text was cut short.  It
 * writes nothing there (snprintf would write past the buffer), and the
 * length still tells the caller the text did not fit. */
int fmt_vbuf(char *buf, size_t len, const char *fmt, va_list ap)
{
	return vbuf(buf, len > INT_MAX ? 0 : len, fmt, ap);
}

int fmt_buf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vbuf(buf, len, fmt, ap);
	va_end(ap);
	return n;
}

/* sprintf's contract: buf holds the whole text (the caller sized it) */
int fmt_str(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vbuf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return n;
}
