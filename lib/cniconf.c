/*
 * CNI network configuration and results.  The text is checked against RFC
 * 8259 and cut into tokens of jsmn's shape in one pass (jsmn's own parser,
 * Debian's libjsmn-dev, is lax: it takes trailing data and commas, "nul",
 * "01", raw control bytes; and it is quadratic in the nesting), then read
 * as the reference plugins' Go reads it: keys in any case, a duplicate's
 * last value.  Every field the
 * plugins use is read here, into fixed arrays: the plugins see only
 * checked values.  Unknown keys are ignored, as the spec asks.
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
static int fold_eq(const char *k, const char *w)
{
	for (; *w; w++) {
		int l = *w | 32;

		if (*k == *w || (l >= 'a' && l <= 'z' && (*k | 32) == l))
			k++;
		else if (l == 'k' && !strncmp(k, "\xe2\x84\xaa", 3))
			k += 3;
		else if (l == 's' && !strncmp(k, "\xc5\xbf", 2))
			k += 2;
		else
			return 0;
	}
	return !*k;
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

/* The fields read by table: a string into a char array, true/false into
 * an int, a number (at most 65535) into an unsigned long, an address
 * (ADDR) or a prefix (ADDR/LEN) into a struct nsb_prefix.  Absent keys
 * leave the field alone. */
enum { K_STR, K_BOOL, K_NUM, K_ADDR, K_PREFIX };
struct key {
	const char *name;
	unsigned char kind;
	unsigned short off, len;
};
#define KEY(name, kind, type, f) { name, kind, offsetof(type, f), sizeof(((type *)0)->f) }

static int get_one(const struct cj *j, int i, int kind, void *f, size_t len)
{
	const jsmntok_t *t = &j->t[i];
	char b[64];
	int n = t->end - t->start;

	if (kind == K_STR)
		return cj_str(j, i, f, len);
	if (kind == K_BOOL) {
		if (t->type != JSMN_PRIMITIVE || (j->s[t->start] != 't' && j->s[t->start] != 'f'))
			return -EINVAL;
		*(int *)f = j->s[t->start] == 't';
		return 0;
	}
	if (kind == K_NUM) {
		if (t->type != JSMN_PRIMITIVE || n <= 0 || n >= 24)
			return -EINVAL;
		memcpy(b, j->s + t->start, n);
		b[n] = '\0';
		return num_parse(b, 0, 65535, f);
	}
	if (cj_str(j, i, b, sizeof(b)))
		return -EINVAL;
	if (!b[0] && kind == K_ADDR) {
		/* "hostIP": "" as runtimes send it: none */
		memset(f, 0, sizeof(struct nsb_prefix));
		return 0;
	}
	return prefix_parse(b, AF_UNSPEC, f, kind == K_PREFIX);
}

/* The keys of table tab (n of them) from object obj into the struct at
 * base; *why names the key being read. */
static int get_keys(const struct cj *j, int obj, void *base, const struct key *tab, int n,
		    const char **why)
{
	int i;

	for (; n--; tab++) {
		*why = tab->name;
		i = cj_get(j, obj, tab->name);
		if (i >= 0 && get_one(j, i, tab->kind, (char *)base + tab->off, tab->len))
			return -EINVAL;
	}
	return 0;
}

/* The size of the array at token a (0 when absent); -1 when it is not an
 * array of at most max elements. */
static int arr(const struct cj *j, int a, int max)
{
	if (a < 0)
		return 0;
	return j->t[a].type == JSMN_ARRAY && j->t[a].size <= max ? j->t[a].size : -1;
}

/* "gw" or "gateway", of the family of p */
static int get_gw(const struct cj *j, int obj, const char *key, const struct nsb_prefix *p,
		  int *has, unsigned char *gw)
{
	struct nsb_prefix g;
	int i = cj_get(j, obj, key);

	*has = i >= 0;
	if (i < 0)
		return 0;
	if (get_one(j, i, K_ADDR, &g, 0) || g.family != p->family)
		return -EINVAL;
	memcpy(gw, g.addr, 16);
	return 0;
}

static int get_routes(const struct cj *j, int i, struct cni_route *v, int *n)
{
	int k, e;

	*n = arr(j, i, CNI_NROUTES);
	for (k = 0, e = i + 1; k < *n; k++, e = cj_next(j, e)) {
		struct cni_route *r = &v[k];
		int d = cj_get(j, e, "dst");

		if (d < 0 || get_one(j, d, K_PREFIX, &r->dst, 0) ||
		    get_gw(j, e, "gw", &r->dst, &r->has_gw, r->gw))
			return -EINVAL;
		prefix_clear_host(&r->dst);
	}
	return *n < 0 ? -EINVAL : 0;
}

/* "dns" at token i, as types.DNS: an object whose nameservers, search and
 * options are arrays of strings (null: ""), domain a string; *dns gets
 * its text, printed again field by field. */
static int get_dns(const struct cj *j, int i, const char **dns, int *len)
{
	static const char *const keys[] = { "nameservers", "search", "options" };
	int k, m, e, a;

	if (i < 0)
		return 0;
	a = cj_get(j, i, "domain");
	if (j->t[i].type != JSMN_OBJECT || (a >= 0 && j->t[a].type != JSMN_STRING))
		return -EINVAL;
	for (k = 0; k < 3; k++) {
		a = cj_get(j, i, keys[k]);
		if (a >= 0 && j->t[a].type != JSMN_ARRAY)
			return -EINVAL;
		for (m = 0, e = a + 1; a >= 0 && m < j->t[a].size; m++, e = cj_next(j, e))
			if (j->t[e].type != JSMN_STRING && j->s[j->t[e].start] != 'n')
				return -EINVAL;
	}
	*dns = j->s + j->t[i].start;
	*len = j->t[i].end - j->t[i].start;
	return 0;
}

static const struct key if_keys[] = {
	KEY("name", K_STR, struct cni_if, name),
	KEY("mac", K_STR, struct cni_if, mac),
	KEY("sandbox", K_STR, struct cni_if, sandbox),
};

int cni_result_parse(const struct cj *j, int i, struct cni_result *r, const char **why)
{
	int k, e, a;

	memset(r, 0, sizeof(*r));
	*why = "interfaces";
	a = cj_get(j, i, *why);
	r->nifs = arr(j, a, CNI_NIFS);
	if (r->nifs < 0)
		return -EINVAL;
	for (k = 0, e = a + 1; k < r->nifs; k++, e = cj_next(j, e))
		if (get_keys(j, e, &r->ifs[k], if_keys, 3, why))
			return -EINVAL;
	*why = "ips";
	a = cj_get(j, i, *why);
	r->nips = arr(j, a, CNI_NIPS);
	if (r->nips < 0)
		return -EINVAL;
	for (k = 0, e = a + 1; k < r->nips; k++, e = cj_next(j, e)) {
		struct cni_ip *p = &r->ips[k];
		int x = cj_get(j, e, "interface"), d = cj_get(j, e, "address");
		unsigned long v = 0;

		if (d < 0 || get_one(j, d, K_PREFIX, &p->addr, 0) ||
		    get_gw(j, e, "gateway", &p->addr, &p->has_gw, p->gw) ||
		    (x >= 0 && (get_one(j, x, K_NUM, &v, 0) || (int)v >= r->nifs)))
			return -EINVAL;
		p->iface = x >= 0 ? (int)v : -1;
	}
	*why = "routes";
	if (get_routes(j, cj_get(j, i, *why), r->routes, &r->nroutes))
		return -EINVAL;
	*why = "dns";
	return get_dns(j, cj_get(j, i, *why), &r->dns, &r->dnslen);
}

static void last_ip(struct nsb_prefix *p, unsigned char *a)
{
	int i, len = addr_len(p->family);

	memcpy(a, p->addr, 16);
	for (i = p->plen; i < len * 8; i++)
		a[i / 8] |= 0x80 >> (i % 8);
}

static int inside(const struct nsb_prefix *net, const unsigned char *a)
{
	struct nsb_prefix p = *net;

	memcpy(p.addr, a, 16);
	prefix_clear_host(&p);
	return !memcmp(p.addr, net->addr, 16);
}

/* One range: subnet, rangeStart, rangeEnd, gateway, defaults as the
 * reference has them: first usable after the network address, last before
 * the IPv4 broadcast, gateway the first. */
static int get_range(const struct cj *j, int e, struct cni_range *r)
{
	static const char *const keys[] = { "rangeStart", "rangeEnd", "gateway" };
	unsigned char *dst[] = { r->start, r->end, r->gw };
	struct nsb_prefix p;
	int i, len, k;

	i = cj_get(j, e, "subnet");
	if (i < 0 || get_one(j, i, K_PREFIX, &r->subnet, 0))
		return -EINVAL;
	prefix_clear_host(&r->subnet);
	len = addr_len(r->subnet.family);
	if (r->subnet.plen > len * 8 - 2)
		return -EINVAL;		/* no room for a gateway and a host */
	memcpy(r->start, r->subnet.addr, 16);
	r->start[len - 1] |= 1;
	memcpy(r->gw, r->start, 16);
	last_ip(&r->subnet, r->end);
	if (len == 4)
		r->end[3] &= ~1;
	for (k = 0; k < 3; k++) {
		i = cj_get(j, e, keys[k]);
		if (i < 0)
			continue;
		/* a gateway may lie outside the subnet, as the reference has it */
		if (get_one(j, i, K_ADDR, &p, 0) || p.family != r->subnet.family ||
		    (k < 2 && !inside(&r->subnet, p.addr)))
			return -EINVAL;
		memcpy(dst[k], p.addr, 16);
	}
	return memcmp(r->start, r->end, len) > 0 ? -EINVAL : 0;
}

/* host-local: "ranges" (sets of ranges) or the older single "subnet". */
static int get_ipam(struct cni_conf *c, int ip)
{
	const struct cj *j = &c->j;
	int a = cj_get(j, ip, "ranges"), k, e, m, x;

	c->why = "ipam.ranges";
	c->nsets = arr(j, a, CNI_NSETS);
	if (c->nsets < 0)
		return -EINVAL;
	if (a < 0 && cj_get(j, ip, "subnet") >= 0) {
		c->nsets = c->nsetranges[0] = 1;
		if (get_range(j, ip, &c->sets[0][0]))
			return -EINVAL;
	}
	for (k = 0, e = a + 1; a >= 0 && k < c->nsets; k++, e = cj_next(j, e)) {
		struct cni_range *set = c->sets[k];

		c->nsetranges[k] = arr(j, e, CNI_NRANGES);
		if (c->nsetranges[k] <= 0)
			return -EINVAL;
		for (m = 0, x = e + 1; m < c->nsetranges[k]; m++, x = cj_next(j, x))
			if (get_range(j, x, &set[m]) || set[m].subnet.family != set[0].subnet.family)
				return -EINVAL;
	}
	/* no address in two ranges, of one set or of two (the reference's
	 * "subnets overlap", "range set overlaps"); unused ones are zeros */
	for (k = 0; k < CNI_NSETS * CNI_NRANGES; k++)
		for (m = k + 1; m < CNI_NSETS * CNI_NRANGES; m++) {
			const struct cni_range *r = &c->sets[k / CNI_NRANGES][k % CNI_NRANGES],
					       *q = &c->sets[m / CNI_NRANGES][m % CNI_NRANGES];
			int len = addr_len(r->subnet.family);

			if (r->subnet.family && r->subnet.family == q->subnet.family &&
			    memcmp(r->start, q->end, len) <= 0 && memcmp(q->start, r->end, len) <= 0)
				return -EINVAL;
		}
	c->why = "ipam.routes";
	return get_routes(j, cj_get(j, ip, "routes"), c->routes, &c->nroutes);
}

/* runtimeConfig.portMappings: [{hostPort, containerPort, protocol, hostIP}] */
static const struct key port_keys[] = {
	KEY("hostPort", K_NUM, struct cni_port, host),
	KEY("containerPort", K_NUM, struct cni_port, cont),
	KEY("protocol", K_STR, struct cni_port, pname),
	KEY("hostIP", K_ADDR, struct cni_port, hostip),
};

static int get_ports(struct cni_conf *c, int a)
{
	const struct cj *j = &c->j;
	int k, e;

	c->nports = arr(j, a, CNI_NPORTS);
	for (k = 0, e = a + 1; k < c->nports; k++, e = cj_next(j, e)) {
		struct cni_port *p = &c->ports[k];
		const char *n = p->pname;

		strcpy(p->pname, "tcp");
		if (get_keys(j, e, p, port_keys, 4, &c->why))
			return -EINVAL;
		/* the key at fault: ports 1-65535; tcp or udp, in any case */
		c->why = !p->host ? "hostPort" : !p->cont ? "containerPort" : "protocol";
		p->proto = ((n[0] | 32) == 't' && (n[1] | 32) == 'c') ? IPPROTO_TCP :
			   ((n[0] | 32) == 'u' && (n[1] | 32) == 'd') ? IPPROTO_UDP : 0;
		if (!p->host || !p->cont || !p->proto || (n[2] | 32) != 'p' || n[3])
			return -EINVAL;
	}
	c->why = "runtimeConfig.portMappings";
	return c->nports < 0 ? -EINVAL : 0;
}

/* A requested address, once (the reference keeps them in a map by address) */
static int add_req(struct cni_conf *c, struct nsb_prefix *p)
{
	int i;

	p->plen = 0;
	for (i = 0; i < c->nreq && memcmp(&c->req[i], p, sizeof(*p)); i++)
		;
	if (i == CNI_NREQ)
		return -E2BIG;
	c->req[i] = *p;
	c->nreq += i == c->nreq;
	return 0;
}

/* "ips": ["ADDR[/LEN]", ...] of args.cni, then of runtimeConfig (rc);
 * K_ADDR takes both forms ("" is none: refused here) */
static int get_reqs(struct cni_conf *c, int rc)
{
	const struct cj *j = &c->j;
	struct nsb_prefix p;
	int k, e, n, a, x;

	c->why = "ips";
	for (x = 0; x < 2; x++) {
		a = cj_get(j, x ? rc : cj_get(j, cj_get(j, 0, "args"), "cni"), "ips");
		n = arr(j, a, CNI_NREQ);
		if (n < 0)
			return -EINVAL;
		for (k = 0, e = a + 1; k < n; k++, e = cj_next(j, e))
			if (get_one(j, e, K_ADDR, &p, 0) || !p.family || add_req(c, &p))
				return -EINVAL;
	}
	return 0;
}

int cni_conf_args(struct cni_conf *c, char *s, char **bad)
{
	char *p, *v, *x, *unknown = NULL, *ipp = NULL;
	struct nsb_prefix ip;
	int ign = 0, last = !*s;

	for (p = s; !last; p = x + 1) {
		x = strchrnul(p, ';');
		last = !*x;
		*x = '\0';
		v = strchr(p, '=');
		*bad = p;
		if (!v || strchr(v + 1, '='))
			return -EINVAL;	/* one = a pair, as the reference */
		if (!strncmp(p, "IP=", 3)) {
			/* each read as met, the last counts; an empty one asks
			 * for nothing */
			if (p[3] && prefix_parse(p + 3, AF_UNSPEC, &ip, 0))
				return -EDOM;
			ipp = p[3] ? p : NULL;
		} else if (!strncmp(p, "IgnoreUnknown=", 14)) {
			/* any case: only letters become letters; x ends where it was */
			for (x = v; *x; x++)
				*x |= 32;
			ign = !strcmp(v, "=true") || !strcmp(v, "=1");
			if (!ign && strcmp(v, "=false") && strcmp(v, "=0"))
				return -EDOM;
		} else if (!unknown) {
			unknown = p;
		}
	}
	*bad = ipp;
	if (ipp && add_req(c, &ip))
		return -EDOM;
	*bad = unknown;
	return unknown && !ign ? -ENOENT : 0;
}

static const struct key conf_keys[] = {
	KEY("cniVersion", K_STR, struct cni_conf, version),
	KEY("name", K_STR, struct cni_conf, name),
	KEY("type", K_STR, struct cni_conf, type),
	KEY("bridge", K_STR, struct cni_conf, bridge),
	KEY("isGateway", K_BOOL, struct cni_conf, is_gw),
	KEY("isDefaultGateway", K_BOOL, struct cni_conf, is_dgw),
	KEY("forceAddress", K_BOOL, struct cni_conf, force),
	KEY("ipMasq", K_BOOL, struct cni_conf, masq),
	KEY("hairpinMode", K_BOOL, struct cni_conf, hairpin),
	KEY("promiscMode", K_BOOL, struct cni_conf, promisc),
	KEY("mtu", K_NUM, struct cni_conf, mtu),
}, ipam_keys[] = {
	KEY("type", K_STR, struct cni_conf, ipam_type),
	KEY("dataDir", K_STR, struct cni_conf, data_dir),
	KEY("resolvConf", K_STR, struct cni_conf, resolv),
};

int cni_conf_parse(struct cni_conf *c, const char *s, size_t len)
{
	const struct cj *j = &c->j;

	struct cj prev;
	int i, r;

	cj_free(&c->j);
	memset(c, 0, sizeof(*c));
	c->why = "JSON";
	r = cj_parse(&c->j, s, len);
	if (r)
		return r == -ENOMEM ? r : -EBADMSG;
	strcpy(c->bridge, "cni0");
	strcpy(c->data_dir, "/var/lib/cni/networks");
	c->ipam = cj_get(j, 0, "ipam");
	c->valid = cj_get(j, 0, "cni.dev/valid-attachments");
	c->why = "dns";
	if (get_dns(j, cj_get(j, 0, "dns"), &c->dns, &c->dnslen))
		return -EINVAL;
	if (get_keys(j, 0, c, conf_keys, 11, &c->why) || !ifname_valid(c->bridge) ||
	    (c->mtu && c->mtu < 68))
		return -EINVAL;
	c->is_gw |= c->is_dgw;
	if (c->ipam >= 0 && (j->t[c->ipam].type != JSMN_OBJECT ||
			     get_keys(j, c->ipam, c, ipam_keys, 3, &c->why) ||
			     c->data_dir[0] != '/' || get_ipam(c, c->ipam)))
		return -EINVAL;
	i = cj_get(j, 0, "runtimeConfig");
	if (get_ports(c, cj_get(j, i, "portMappings")) ||
	    get_reqs(c, i))
		return -EINVAL;
	/* Go reads prevResult into a map, then re-marshals it (keys sorted)
	 * to read the result from */
	prev = c->j;
	prev.sorted = 1;
	i = cj_get(j, 0, "prevResult");
	c->has_prev = i >= 0;
	if (i >= 0 && cni_result_parse(&prev, i, &c->prev, &c->why))
		return -EINVAL;
	c->why = "cni.dev/valid-attachments";
	return c->valid >= 0 && j->t[c->valid].type != JSMN_ARRAY ? -EINVAL : 0;
}

static const struct key err_keys[] = {
	KEY("code", K_NUM, struct cni_error, code),
	KEY("msg", K_STR, struct cni_error, msg),
	KEY("details", K_STR, struct cni_error, details),
};

int cni_error_parse(const struct cj *j, struct cni_error *e)
{
	const char *why;

	return get_keys(j, 0, e, err_keys, 3, &why);
}

/* s up to a space or its end is w */
static int word_is(const char *w, const char *s)
{
	size_t n = strlen(w);

	return !strncmp(w, s, n) && (s[n] == ' ' || !s[n]);
}

int cni_conf_valid(const struct cni_conf *c, const char *id, const char *ifname)
{
	const struct cj *j = &c->j;
	char a[256], b[16];
	int k, e;

	for (k = 0, e = c->valid + 1; c->valid >= 0 && k < j->t[c->valid].size;
	     k++, e = cj_next(j, e))
		if (!cj_str(j, cj_get(j, e, "containerID"), a, sizeof(a)) &&
		    !cj_str(j, cj_get(j, e, "ifname"), b, sizeof(b)) &&
		    word_is(a, id) && word_is(b, ifname))
			return 1;
	return 0;
}
