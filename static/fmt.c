/*
 * A small printf family for the static musl build only (like static/mnl.c).
 * musl's vfprintf carries a full floating-point formatter (~10 KiB of the
 * binary) that nsbox never needs; defining the printf entry points here
 * keeps libc.a's from being linked in.  Supports what nsbox formats use:
 * flags "-0", width and precision (also '*'), length hh h l ll z j t, and
 * conversions d i u x X o c s p %.  Anything else is printed literally.
 */
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

static void fmt(struct out *o, const char *f, va_list ap)
{
	while (*f) {
		const char *pct = strchr(f, '%');
		char num[24], *p;
		int left = 0, zero = 0, width = 0, prec = -1, lng = 0, sht = 0, neg = 0;
		uintmax_t v = 0;
		unsigned base = 10;
		const char *s;
		size_t n;

		if (!pct) {
			put(o, f, strlen(f));
			return;
		}
		put(o, f, pct - f);
		f = pct + 1;
		for (;; f++) {
			if (*f == '-')
				left = 1;
			else if (*f == '0')
				zero = 1;
			else if (*f != '+' && *f != ' ' && *f != '#')
				break;
		}
		if (*f == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		if (*f == '.') {
			prec = 0;
			if (*++f == '*') {
				prec = va_arg(ap, int);
				f++;
			}
			while (*f >= '0' && *f <= '9')
				prec = prec * 10 + (*f++ - '0');
		}
		for (;; f++) {
			if (*f == 'l' || *f == 'j' || *f == 'z' || *f == 't')
				lng++;
			else if (*f == 'h')
				sht++;
			else
				break;
		}
		switch (*f) {
		case 'd': case 'i':
			if (lng) {
				long long x = lng > 1 ? va_arg(ap, long long) : va_arg(ap, long);

				neg = x < 0;
				v = neg ? -(uintmax_t)x : (uintmax_t)x;
			} else {
				int x = va_arg(ap, int);

				x = sht > 1 ? (signed char)x : sht ? (short)x : x;

				neg = x < 0;
				v = neg ? -(uintmax_t)x : (uintmax_t)x;
			}
			goto number;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			base = 16;
			put(o, "0x", 2);
			goto number;
		case 'x': case 'X': case 'o': case 'u':
			base = *f == 'u' ? 10 : *f == 'o' ? 8 : 16;
			v = lng > 1 ? va_arg(ap, unsigned long long) :
			    lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
			if (!lng && sht)
				v = sht > 1 ? (unsigned char)v : (unsigned short)v;
number:
			p = num + sizeof(num);
			do {
				*--p = "0123456789abcdef"[v % base] - (*f == 'X' && v % base > 9 ? 32 : 0);
				v /= base;
			} while (v);
			n = num + sizeof(num) - p;
			if (neg) {
				if (zero && !left)
					put(o, "-", 1);
				width--;
			}
			if (!left)
				pad(o, zero ? '0' : ' ', width - (int)n);
			if (neg && !(zero && !left))
				put(o, "-", 1);
			put(o, p, n);
			if (left)
				pad(o, ' ', width - (int)n);
			break;
		case 'c':
			num[0] = (char)va_arg(ap, int);
			s = num;
			n = 1;
			goto str;
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			n = prec >= 0 ? strnlen(s, prec) : strlen(s);
str:
			if (!left)
				pad(o, ' ', width - (int)n);
			put(o, s, n);
			if (left)
				pad(o, ' ', width - (int)n);
			break;
		case '%':
			put(o, "%", 1);
			break;
		default:
			put(o, pct, f + (*f != 0) - pct);
			if (!*f)
				return;
		}
		f++;
	}
}

int vfprintf(FILE *restrict fp, const char *restrict f, va_list ap)
{
	struct out o = { .f = fp };
	va_list cp;

	va_copy(cp, ap);
	fmt(&o, f, cp);
	va_end(cp);
	return ferror(fp) ? -1 : (int)o.len;
}

int vsnprintf(char *restrict buf, size_t cap, const char *restrict f, va_list ap)
{
	struct out o = { .buf = buf, .cap = cap ? cap - 1 : 0 };
	va_list cp;

	va_copy(cp, ap);
	fmt(&o, f, cp);
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

int snprintf(char *restrict buf, size_t cap, const char *restrict f, ...)
{
	va_list ap;
	int r;

	va_start(ap, f);
	r = vsnprintf(buf, cap, f, ap);
	va_end(ap);
	return r;
}
