/*
 * The CNI plugins' JSON.  The text is checked against RFC 8259 and cut into
 * tokens of jsmn's shape in one pass (jsmn's own parser, Debian's
 * libjsmn-dev, is lax: it takes trailing data and commas, "nul", "01", raw
 * control bytes; and it is quadratic in the nesting), then read as the
 * reference plugins' Go reads it: keys in any case, a duplicate's last
 * value, strings unescaped to UTF-8.  API: include/cni.h (cj_*).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "cni.h"

int utf8_len(const unsigned char *s, size_t n)
{
	unsigned long v = s[0];
	size_t k = v >= 0xf0 ? 4 : v >= 0xe0 ? 3 : v >= 0xc0 ? 2 : v < 0x80, i;

	if (k == 1 || !k || k > n)
		return k == 1;
	v &= 0x7f >> k;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* the shortest form only, no surrogate, nothing past U+10FFFF */
	if (v < (k == 2 ? 0x80 : k == 3 ? 0x800 : 0x10000) || v > 0x10ffff ||
	    (v >= 0xd800 && v < 0xe000))
		return 0;
	return k;
}

static int hex4(const unsigned char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		int ch = p[i], d = ch >= '0' && ch <= '9' ? ch - '0' :
			 (ch | 32) >= 'a' && (ch | 32) <= 'f' ? (ch | 32) - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static size_t blanks(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

static size_t digits(const char *s, size_t len, size_t i)
{
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	return i;
}

/* The end of the string, number or literal at s[i] (i < len), or 0 when
 * none is there.  Inside a string, any byte from 0x20 on: what is not
 * UTF-8 is read as U+FFFD, as Go does. */
static size_t scalar(const char *s, size_t len, size_t i)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t k, e;

	if (s[i] == '"') {
		for (i++; i < len && s[i] != '"'; i++) {
			if ((unsigned char)s[i] < 0x20)
				return 0;
			if (s[i] != '\\')
				continue;
			if (++i == len || !s[i] || !strchr("\"\\/bfnrtu", s[i]))
				return 0;
			if (s[i] == 'u' && (len - i <= 4 || hex4((const unsigned char *)s + i + 1) < 0))
				return 0;
			i += s[i] == 'u' ? 4 : 0;
		}
		return i < len ? i + 1 : 0;
	}
	for (k = 0; k < 3; k++) {
		e = strlen(lit[k]);
		if (len - i >= e && !memcmp(s + i, lit[k], e))
			return i + e;
	}
	/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
	i += s[i] == '-';
	if (i == len || s[i] < '0' || s[i] > '9')
		return 0;
	i = s[i] == '0' ? i + 1 : digits(s, len, i);
	if (i < len && s[i] == '.') {
		e = digits(s, len, i + 1);
		if (e == i + 1)
			return 0;
		i = e;
	}
	if (i < len && (s[i] | 32) == 'e') {
		i += 1 + (i + 1 < len && (s[i + 1] == '+' || s[i + 1] == '-'));
		e = digits(s, len, i);
		if (e == i)
			return 0;
		i = e;
	}
	return i;
}

/* A token of type ty at s[a, b) inside the open container up (-1: none),
 * as jsmn makes them: a string without its quotes; a container counts
 * its elements or keys, a key its value. */
static void tok(struct cj *j, int ty, size_t a, size_t b, int up)
{
	jsmntok_t *t = &j->t[j->n++];

	t->type = ty;
	t->start = (int)a + (ty == JSMN_STRING);
	t->end = (int)b - (ty == JSMN_STRING);
	t->size = 0;
	if (up >= 0)
		j->t[up].size++;
}

/* RFC 8259's grammar, without recursion, making jsmn's tokens in the
 * same pass (jsmn's own parser looks back over the tokens for each
 * closing bracket: quadratic), max at most (valid JSON never makes more
 * than half its length).  0, or -1 with j->at the byte at fault. */
static int scan(struct cj *j, const char *s, size_t len, int max)
{
	int open[CJ_DEPTH];	/* the open brackets' tokens, outermost first */
	enum { VALUE, KEY, NEXT } want = VALUE;
	size_t i = 0, e;
	int d = 0, obj = 0, key = -1;

	for (;; i = e) {
		j->at = i = blanks(s, len, i);
		if (i == len)
			return want == NEXT && !d ? 0 : -1;
		if (j->n == max)
			return -1;
		e = i + 1;
		if (want == NEXT) {
			/* after a value: its container goes on or ends; after
			 * the top one, nothing */
			if (!d || (s[i] != ',' && s[i] != (obj ? '}' : ']')))
				return -1;
			want = obj ? KEY : VALUE;
			if (s[i] == ',')
				continue;
			j->t[open[--d]].end = (int)e;
			obj = d && j->t[open[d - 1]].type == JSMN_OBJECT;
			want = NEXT;
		} else if (want == VALUE && (s[i] == '{' || s[i] == '[')) {
			if (d == CJ_DEPTH)
				return -1;
			/* the value of a key counts for the key, not the object */
			tok(j, s[i] == '{' ? JSMN_OBJECT : JSMN_ARRAY, i, 0, obj ? key : d ? open[d - 1] : -1);
			open[d++] = j->n - 1;
			obj = s[i] == '{';
			want = obj ? KEY : VALUE;
			e = blanks(s, len, e);
			if (e < len && s[e] == (obj ? '}' : ']'))
				want = NEXT;	/* empty: closed as any */
		} else {
			e = want == KEY && s[i] != '"' ? 0 : scalar(s, len, i);
			if (!e)
				return -1;
			tok(j, s[i] == '"' ? JSMN_STRING : JSMN_PRIMITIVE, i, e,
			    obj && want == VALUE ? key : d ? open[d - 1] : -1);
			if (want == KEY) {
				key = j->n - 1;
				j->at = e = blanks(s, len, e);
				if (e == len || s[e++] != ':')
					return -1;
			}
			want = want == KEY ? VALUE : NEXT;
		}
	}
}

int cj_parse(struct cj *j, const char *s, size_t len)
{
	int r;

	memset(j, 0, sizeof(*j));
	j->s = s;
	if (len > INT_MAX / 2)
		return -E2BIG;	/* the offsets are ints */
	/* a token takes 2 bytes at least, with its comma or colon */
	r = (int)(len + 1) / 2 + 1;
	j->t = malloc(r * sizeof(*j->t));
	if (!j->t)
		return -ENOMEM;
	r = scan(j, s, len, r);
	if (r || j->t[0].type != JSMN_OBJECT) {
		j->at = r ? j->at : SIZE_MAX;	/* JSON, not an object */
		cj_free(j);
		return -EBADMSG;
	}
	return 0;
}

void cj_free(struct cj *j)
{
	free(j->t);
	j->t = NULL;
	j->n = 0;
}

int cj_next(const struct cj *j, int i)
{
	int k = 1;

	/* each token owes its children: done when nothing is owed */
	while (k && i < j->n)
		k += j->t[i++].size - 1;
	return i;
}

/* Key k (unescaped) names field w as Go 1.19's encoding/json folds them
 * (bytes.EqualFold on an ASCII name): ASCII letters in either case, U+212A
 * (KELVIN SIGN) for k, U+017F (LONG S) for s; any other byte as it is. */
/* k is NUL-ended by cj_str on every path that returns 0; clang's analyser
 * loses that through put_utf8 since cjson.c holds the JSON alone */
static int fold_eq(const char *k, const char *w)
{
	for (; *w; w++) {
		int l = *w | 32;

		/* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
		if (*k == *w || (l >= 'a' && l <= 'z' && (*k | 32) == l))
			k++;
		else if (l == 'k' && !strncmp(k, "\xe2\x84\xaa", 3))
			k += 3;
		else if (l == 's' && !strncmp(k, "\xc5\xbf", 2))
			k += 2;
		else
			return 0;
	}
	return !*k;	/* NOLINT(clang-analyzer-core.uninitialized.UndefReturn) */
}

int cj_get(const struct cj *j, int obj, const char *key)
{
	char k[128], best[128] = "";
	int i, m, v = -1;

	if (obj < 0 || obj >= j->n || j->t[obj].type != JSMN_OBJECT)
		return -1;
	for (i = obj + 1, m = 0; m < j->t[obj].size && i + 1 < j->n; m++, i = cj_next(j, i + 1)) {
		/* a key too long to be any field's is no field's */
		if (cj_str(j, i, k, sizeof(k)) || !fold_eq(k, key))
			continue;
		/* Go sets the field at each: the last stays; a map Go
		 * re-marshals has its keys sorted, byte by byte */
		if (!j->sorted || v < 0 || strcmp(k, best) >= 0) {
			strcpy(best, k);
			v = i + 1;
		}
	}
	/* null leaves a field as it was (a slice or a map: nil) */
	if (v >= 0 && j->t[v].type == JSMN_PRIMITIVE && j->s[j->t[v].start] == 'n')
		return -1;
	return v;
}

/* Character v as UTF-8 at buf[*o], leaving room for a NUL. */
static int put_utf8(char *buf, size_t len, size_t *o, unsigned long v)
{
	int n = v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4, k;

	if (*o + n >= len)
		return -E2BIG;
	for (k = n - 1; k > 0; k--, v >>= 6)
		buf[*o + k] = (char)(0x80 | (v & 0x3f));
	buf[*o] = (char)(n > 1 ? (0xff00 >> n) | v : v);
	*o += n;
	return 0;
}

int cj_str(const struct cj *j, int i, char *buf, size_t len)
{
	const unsigned char *p, *e;
	size_t o = 0;

	if (i < 0 || i >= j->n || j->t[i].type != JSMN_STRING)
		return -EINVAL;
	if (!len)
		return -E2BIG;
	p = (const unsigned char *)j->s + j->t[i].start;
	e = (const unsigned char *)j->s + j->t[i].end;
	while (p < e) {
		unsigned long v = *p++;
		int n;

		if (v == '\\' && *p == 'u') {
			/* escapes were checked; a surrogate pair is one
			 * character, a lone half U+FFFD, as Go has them */
			v = hex4(p + 1);
			p += 5;
			n = e - p >= 6 && p[0] == '\\' && p[1] == 'u' ? hex4(p + 2) : 0;
			if (v >= 0xd800 && v < 0xdc00 && n >= 0xdc00 && n < 0xe000) {
				v = 0x10000 + ((v - 0xd800) << 10) + (n - 0xdc00);
				p += 6;
			} else if (v >= 0xd800 && v < 0xe000) {
				v = 0xfffd;
			}
			if (!v)
				return -EINVAL;	/* a NUL would cut the string short */
		} else if (v == '\\') {
			v = *p++;
			v = v == 'n' ? '\n' : v == 't' ? '\t' : v == 'r' ? '\r' :
			    v == 'b' ? '\b' : v == 'f' ? '\f' : v;
		} else if (v >= 0x80) {
			/* a character copied whole; a byte that starts none: U+FFFD */
			n = utf8_len(p - 1, e - p + 1);
			if (n && o + n >= len)
				return -E2BIG;
			if (n) {
				memcpy(buf + o, p - 1, n);
				o += n;
				p += n - 1;
				continue;
			}
			v = 0xfffd;
		}
		if (put_utf8(buf, len, &o, v))
			return -E2BIG;
	}
	buf[o] = '\0';
	return 0;
}
