/* Parsers and formatters for what users type: pure functions, strict (no
 * trailing junk), returning 0 or -EINVAL. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "nsbox.h"

int addr_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static int hexval(int ch);

/* Four dotted decimals of 0..255, no leading zeros, nothing else:
 * inet_pton's rule, written here so that the static binary need not carry
 * libc's (and both builds read and write addresses alike).  1 when valid. */
static int pton4(const char *s, unsigned char *a)
{
	int i, d, n;

	for (i = 0; i < 4; i++) {
		if (i && *s++ != '.')
			return 0;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return 0;
		for (n = d = 0; *s >= '0' && *s <= '9' && d < 4; s++, d++)
			n = n * 10 + *s - '0';
		if (!d || d > 3 || n > 255)
			return 0;
		a[i] = n;
	}
	return !*s;
}

/* Eight groups of 1-4 hex digits, one "::" for a run of zero groups, the
 * last 32 bits maybe dotted decimal.  1 when valid. */
static int pton6(const char *s, unsigned char *a)
{
	unsigned short w[8];
	unsigned int v;
	int n = 0, gap = -1, i, d, h;
	const char *e;

	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		for (e = s; *e && *e != ':' && *e != '.'; e++)
			;
		if (*e == '.') {	/* the dotted tail */
			unsigned char b[4];

			if (n > 6 || !pton4(s, b))
				return 0;
			w[n++] = b[0] << 8 | b[1];
			w[n++] = b[2] << 8 | b[3];
			break;
		}
		for (v = 0, d = 0; (h = hexval(*s)) >= 0; s++, d++)
			v = (v << 4 | h) & 0xfffff;
		if (!d || d > 4 || n == 8)
			return 0;
		w[n++] = v;
		if (!*s)
			break;
		if (*s++ != ':' || !*s)
			return 0;
		if (*s == ':') {
			if (gap >= 0)
				return 0;
			gap = n;
			s++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return 0;
	memset(a, 0, 16);
	for (i = 0; i < n; i++) {
		int at = gap < 0 || i < gap ? i : 8 - n + i;

		a[at * 2] = w[i] >> 8;
		a[at * 2 + 1] = w[i];
	}
	return 1;
}

int addr_parse(const char *s, int family, struct nsb_prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (family != AF_INET6 && strchr(s, '.') && !strchr(s, ':')) {
		if (!pton4(s, p->addr))
			return -EINVAL;
		p->family = AF_INET;
		p->plen = 32;
		return 0;
	}
	if (family != AF_INET && strchr(s, ':')) {
		if (!pton6(s, p->addr))
			return -EINVAL;
		p->family = AF_INET6;
		p->plen = 128;
		return 0;
	}
	return -EINVAL;
}

int prefix_parse(const char *s, int family, struct nsb_prefix *p, int need_len)
{
	char buf[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	unsigned long len;
	size_t n;
	int r;

	if (!slash) {
		if (need_len)
			return -EINVAL;
		return addr_parse(s, family, p);
	}
	n = slash - s;
	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	r = addr_parse(buf, family, p);
	if (r)
		return r;
	if (num_parse(slash + 1, 0, p->family == AF_INET ? 32 : 128, &len))
		return -EINVAL;
	p->plen = len;
	return 0;
}

void prefix_clear_host(struct nsb_prefix *p)
{
	int i, n = addr_len(p->family);

	for (i = 0; i < n; i++) {
		int bits = p->plen - i * 8;

		if (bits >= 8)
			continue;
		p->addr[i] &= bits <= 0 ? 0 : (unsigned char)(0xff << (8 - bits));
	}
}

/* inet_ntop's text: for IPv6 the first longest run of two or more zero
 * groups is "::", and ::a.b.c.d and ::ffff:a.b.c.d keep the IPv4 tail. */
const char *addr_ntop(int family, const void *a, char *buf, size_t len)
{
	const unsigned char *b = a;
	unsigned short w[8];
	int i, o = 0, run = 0, base = -1, best = 0, at = -1;

	if (family == AF_INET) {
		fmt_buf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
		return buf;
	}
	if (family != AF_INET6 || len < 46) {
		fmt_buf(buf, len, "?");
		return buf;
	}
	for (i = 0; i < 8; i++) {
		w[i] = b[i * 2] << 8 | b[i * 2 + 1];
		run = w[i] ? 0 : run + 1;
		if (run == 1)
			at = i;
		if (run > best) {
			best = run;
			base = at;
		}
	}
	if (best < 2)
		base = -1;
	for (i = 0; i < 8; i++) {
		if (base >= 0 && i >= base && i < base + best) {
			if (i == base)
				buf[o++] = ':';
			continue;
		}
		if (i)
			buf[o++] = ':';
		if (i == 6 && base == 0 && (best == 6 || (best == 5 && w[5] == 0xffff))) {
			o += fmt_buf(buf + o, len - o, "%u.%u.%u.%u", b[12], b[13], b[14], b[15]);
			break;
		}
		o += fmt_buf(buf + o, len - o, "%x", w[i]);
	}
	if (base >= 0 && base + best == 8)
		buf[o++] = ':';
	buf[o] = '\0';
	return buf;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int mac_parse(const char *s, unsigned char mac[6])
{
	int i;

	/* exactly xx:xx:xx:xx:xx:xx */
	if (strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[i * 3]), lo = hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return -EINVAL;
		mac[i] = hi << 4 | lo;
	}
	return 0;
}

char *mac_format(const unsigned char *mac, size_t len, char *buf, size_t bufsz)
{
	size_t i, o = 0;

	if (bufsz)
		buf[0] = '\0';
	for (i = 0; i < len && o + 3 < bufsz; i++)
		o += fmt_buf(buf + o, bufsz - o, i ? ":%02x" : "%02x", mac[i]);
	return buf;
}

int num_parse(const char *s, unsigned long min, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		if (n > (max - (unsigned long)(*s - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (*s - '0');
	}
	if (n < min)
		return -ERANGE;
	*v = n;
	return 0;
}

int msec_parse(const char *s, unsigned long min, unsigned long max, unsigned long *ms)
{
	unsigned long v = 0;
	int digits = 0, frac = -1;	/* decimals seen; -1: no '.' yet */

	/* as num_parse: "08" is a typo or octal to someone, never a number */
	if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
		return -EINVAL;
	for (; *s; s++) {
		if (*s == '.' && frac < 0) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || (frac >= 0 && ++frac > 3))
			return -EINVAL;
		if (v > (ULONG_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (*s - '0');
		digits++;
	}
	/* ".5" is as clear as "0.5"; "5." and "." are typos */
	if (!digits || frac == 0)
		return -EINVAL;
	for (frac = frac < 0 ? 0 : frac; frac < 3; frac++) {
		if (v > ULONG_MAX / 10)
			return -ERANGE;
		v *= 10;
	}
	if (v < min || v > max)
		return -ERANGE;
	*ms = v;
	return 0;
}

int port_range_parse(const char *s, unsigned int *lo, unsigned int *hi)
{
	char buf[12];
	const char *dash = strchr(s, '-');
	unsigned long a, b;
	size_t n;

	if (!dash) {
		if (num_parse(s, 1, 65535, &a))
			return -EINVAL;
		*lo = *hi = a;
		return 0;
	}
	n = dash - s;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (num_parse(buf, 1, 65535, &a) || num_parse(dash + 1, 1, 65535, &b) || a > b)
		return -EINVAL;
	*lo = a;
	*hi = b;
	return 0;
}

int ifname_valid(const char *s)
{
	size_t n = strlen(s);

	/* the kernel's dev_valid_name(), whose isspace() (lib/ctype.c, Latin-1)
	 * also counts 0xA0; plus ':' which nsbox reserves and '%': the kernel
	 * reads "br%d" as a template and makes br0, a name nobody asked for */
	if (n == 0 || n >= 16 || !strcmp(s, ".") || !strcmp(s, ".."))
		return 0;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || *s == '%' || *s == ' ' || *s == '\xa0' ||
		    (*s >= '\t' && *s <= '\r'))
			return 0;
	return 1;
}

int ns_name_valid(const char *name)
{
	return *name && strcmp(name, ".") && strcmp(name, "..") &&
	       !strchr(name, '/') && strlen(name) <= NAME_MAX;
}

int endpoint_split(char *s, char **ns, char **ifname)
{
	char *colon = strrchr(s, ':');

	if (!colon) {
		*ns = NULL;
		*ifname = s;
		return 0;
	}
	if (colon == s)
		return -EINVAL;
	*colon = '\0';
	*ns = s;
	*ifname = colon + 1;
	return 0;
}

/* IPV4:REST or [IPV6]:REST; *rest points past the colon, or at s when
 * there is no address (an IPv4 address has no colon of its own), or is
 * NULL after [IPV6] alone. */
static int addr_split(const char *s, struct nsb_prefix *a, const char **rest)
{
	char buf[INET6_ADDRSTRLEN];
	int v6 = s[0] == '[';
	const char *end = strchr(s, v6 ? ']' : ':');
	size_t n;

	memset(a, 0, sizeof(*a));
	*rest = s;
	if (!end)
		return v6 ? -EINVAL : 0;
	n = end - s - v6;
	if (n >= sizeof(buf))
		return -EINVAL;
	if (v6 && end[1] && end[1] != ':')
		return -EINVAL;
	memcpy(buf, s + v6, n);
	buf[n] = '\0';
	*rest = v6 && !end[1] ? NULL : end + 1 + v6;
	return addr_parse(buf, v6 ? AF_INET6 : AF_INET, a);
}

int dport_parse(const char *s, struct nsb_prefix *a, unsigned int *lo, unsigned int *hi)
{
	const char *p;

	if (addr_split(s, a, &p))
		return -EINVAL;
	return !p || port_range_parse(p, lo, hi) ? -ERANGE : 0;
}

/* An IPv6 TO_ADDR without a port may also come without brackets. */
int dnat_to_parse(const char *s, struct nsb_prefix *a, unsigned int *port)
{
	const char *p = strchr(s, ':');
	unsigned long v = 0;

	if (!p || (s[0] != '[' && p != strrchr(s, ':')))
		return addr_parse(s, AF_UNSPEC, a);
	if (addr_split(s, a, &p))
		return -EINVAL;
	if (!p)
		return 0;
	if (num_parse(p, 1, 65535, &v))
		return -ERANGE;
	*port = v;
	return 0;
}
