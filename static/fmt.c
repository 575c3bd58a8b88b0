/*
 * A small printf family for the static musl build only (like static/mnl.c).
 * musl's vfprintf carries a full floating-point formatter (~10 KiB of the
 * binary) that nsbox never needs; defining the printf entry points here
 * keeps libc.a's from being linked in.  Supports what nsbox formats use:
 * flags "-0", width and precision (also '*'), length hh h l ll z j t, and
 * conversions d i u x X o c s p %.  Anything else is printed literally.
 */
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;		/* snprintf target, or NULL */
	size_t cap, len;	/* len counts every byte, written or not */
	FILE *f;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->f) {
		fwrite(s, 1, n, o->f);
	} else if (o->len < o->cap) {
		size_t room = o->cap - o->len;

		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void pad(struct out *o, char ch, int n)
{
	while (n-- > 0)
		put(o, &ch, 1);
}

/* One conversion's flags, width, precision and length. */
struct spec {
	int left, zero, width, prec, lng, sht;
};

/* An integer argument, of the type its length says, as a long long: the
 * one place that reads them (each va_arg is some 30 bytes of code). */
static long long iarg(va_list *ap, int lng, int sht, int sgn)
{
	int x;

	if (lng > 1)
		return va_arg(*ap, long long);
	if (lng)
		return va_arg(*ap, long);
	x = va_arg(*ap, int);
	if (sht > 1)
		return sgn ? (signed char)x : (unsigned char)x;
	if (sht)
		return sgn ? (short)x : (unsigned short)x;
	return sgn ? x : (long long)(unsigned)x;
}

/* Read the spec after '%' at f; returns the conversion character's place. */
static const char *spec(const char *f, va_list *ap, struct spec *sp)
{
	*sp = (struct spec){ .prec = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = 1;
		else if (*f == '0')
			sp->zero = 1;
		else if (*f != '+' && *f != ' ' && *f != '#')
			break;
	}
	if (*f == '*') {
		sp->width = iarg(ap, 0, 0, 1);
		if (sp->width < 0) {
			sp->left = 1;
			sp->width = -sp->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*') {
			sp->prec = iarg(ap, 0, 0, 1);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l' || *f == 'j' || *f == 'z' || *f == 't')
			sp->lng++;
		else if (*f == 'h')
			sp->sht++;
		else
			return f;
	}
}

/* v's digits, written backwards from end; returns the first. */
static const char *digits(char *end, uintmax_t v, unsigned base, int upper)
{
	do {
		*--end = "0123456789abcdef"[v % base] - (upper && v % base > 9 ? 32 : 0);
		v /= base;
	} while (v);
	return end;
}

/* One switch over the conversions, all sharing the padding at the end. */
static void fmt(struct out *o, const char *f, va_list *ap)
{
	while (*f) {
		const char *pct = strchr(f, '%'), *s, *end;
		char num[24];
		struct spec sp;
		int neg = 0, zeros, width;
		size_t n;

		if (!pct) {
			put(o, f, strlen(f));
			return;
		}
		put(o, f, pct - f);
		f = spec(pct + 1, ap, &sp);
		/* zeros: a number padded with zeros after its sign */
		zeros = sp.zero && !sp.left;
		end = num + sizeof(num);
		switch (*f) {
		case 'd': case 'i': case 'x': case 'X': case 'o': case 'u': {
			int sgn = *f == 'd' || *f == 'i';
			long long x = iarg(ap, sp.lng, sp.sht, sgn);

			neg = sgn && x < 0;
			s = digits(num + sizeof(num), neg ? -(uintmax_t)x : (uintmax_t)x,
				   *f == 'o' ? 8 : *f == 'x' || *f == 'X' ? 16 : 10, *f == 'X');
			break;
		}
		case 'p':
			put(o, "0x", 2);
			s = digits(num + sizeof(num), (uintptr_t)va_arg(*ap, void *), 16, 0);
			break;
		case 'c':
			num[0] = (char)iarg(ap, 0, 0, 1);
			s = num;
			end = num + 1;
			zeros = 0;
			break;
		case 's':
			s = va_arg(*ap, const char *);
			if (!s)
				s = "(null)";
			end = s + (sp.prec >= 0 ? strnlen(s, sp.prec) : strlen(s));
			zeros = 0;
			break;
		case '%':
			s = "%";
			end = s + 1;
			sp.width = 0;
			break;
		default:
			put(o, pct, f + (*f != 0) - pct);
			if (!*f)
				return;
			f++;
			continue;
		}
		/* the field, padded to the width */
		n = end - s;
		width = sp.width - neg;
		if (neg && zeros)
			put(o, "-", 1);
		if (!sp.left)
			pad(o, zeros ? '0' : ' ', width - (int)n);
		if (neg && !zeros)
			put(o, "-", 1);
		put(o, s, n);
		if (sp.left)
			pad(o, ' ', width - (int)n);
		f++;
	}
}

int vfprintf(FILE *restrict fp, const char *restrict f, va_list ap)
{
	struct out o = { .f = fp };
	va_list cp;

	va_copy(cp, ap);
	fmt(&o, f, &cp);
	va_end(cp);
	return ferror(fp) ? -1 : (int)o.len;
}

int vsnprintf(char *restrict buf, size_t cap, const char *restrict f, va_list ap)
{
	struct out o = { .buf = buf, .cap = cap ? cap - 1 : 0 };
	va_list cp;

	va_copy(cp, ap);
	fmt(&o, f, &cp);
	va_end(cp);
	if (cap)
		buf[o.len < cap - 1 ? o.len : cap - 1] = '\0';
	return o.len;
}

int fprintf(FILE *restrict fp, const char *restrict f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vfprintf(fp, f, ap);
	va_end(ap);
	return r;
}

int printf(const char *restrict f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vfprintf(stdout, f, ap);
	va_end(ap);
	return r;
}

/* musl's sprintf goes through its vsprintf to here anyway */
int sprintf(char *restrict buf, const char *restrict f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vsnprintf(buf, INT_MAX, f, ap);
	va_end(ap);
	return r;
}

int snprintf(char *restrict buf, size_t cap, const char *restrict f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vsnprintf(buf, cap, f, ap);
	va_end(ap);
	return r;
}
