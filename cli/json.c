/* A streaming JSON writer: enough for ip -j shaped output.  Every string
 * goes out escaped, valid JSON whatever bytes it holds. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void sep(struct json *j)
{
	if (j->depth > 0 && j->depth < (int)sizeof(j->first)) {
		if (!j->first[j->depth])
			putchar(',');
		j->first[j->depth] = 0;
	}
}

void json_open(struct json *j, int ch)
{
	sep(j);
	putchar(ch);
	j->depth++;
	if (j->depth < (int)sizeof(j->first))
		j->first[j->depth] = 1;
}

void json_close(struct json *j, int ch)
{
	putchar(ch == '{' ? '}' : ch == '[' ? ']' : ch);
	j->depth--;
	if (j->depth == 0)
		putchar('\n');
}

/* The JSON text of the character at s (n > 0 bytes) into u: a UTF-8
 * character as it is; a control byte, quote or backslash escaped (RFC
 * 8259); a byte that starts no UTF-8 character \ufffd, as Go marshals it.
 * Returns its length; *used gets the bytes of s it stands for. */
static int unit(const unsigned char *s, size_t n, char u[8], size_t *used)
{
	int k = utf8_len(s, n);

	*used = k ? (size_t)k : 1;
	if (!k)
		return fmt_str(u, "\\ufffd");
	if (*s < 0x20)
		return fmt_str(u, "\\u%04x", *s);
	if (*s == '"' || *s == '\\')
		return fmt_str(u, "\\%c", *s);
	memcpy(u, s, k);
	return k;
}

size_t json_quote(char *out, size_t cap, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 1, used;
	char u[8];
	int k;

	for (; n; p += used, n -= used, o += k) {
		k = unit(p, n, u, &used);
		if (o + k < cap)
			memcpy(out + o, u, k);
	}
	if (o + 1 < cap) {
		out[0] = out[o] = '"';
		out[o + 1] = '\0';
	}
	return o + 1;
}

static void put_str(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used;
	char u[8];
	int k;

	putchar('"');
	for (; n; p += used, n -= used) {
		k = unit(p, n, u, &used);
		fwrite(u, 1, k, stdout);
	}
	putchar('"');
}

void json_strtext(struct json *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t used;
	char u[8];
	int k;

	sep(j);
	putchar('"');
	for (; n; p += used, n -= used) {
		/* escapes as they were written (a checked \uXXXX is 6 bytes) */
		used = *p != '\\' ? 0 : p[1] == 'u' ? 6 : 2;
		k = used ? 0 : unit(p, n, u, &used);
		fwrite(k ? u : (const char *)p, 1, k ? (size_t)k : used, stdout);
	}
	putchar('"');
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	put_str(k, strlen(k));
	putchar(':');
	/* the value that follows is not a new element */
	if (j->depth < (int)sizeof(j->first))
		j->first[j->depth] = 1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_str(s, strlen(s));
}

void json_int(struct json *j, long long v)
{
	sep(j);
	fmt_out("%lld", v);
}

void json_bool(struct json *j, int v)
{
	sep(j);
	fputs(v ? "true" : "false", stdout);
}

void json_kstr(struct json *j, const char *k, const char *s)
{
	json_key(j, k);
	json_str(j, s);
}

void json_kint(struct json *j, const char *k, long long v)
{
	json_key(j, k);
	json_int(j, v);
}

void json_raw(struct json *j, const char *v)
{
	sep(j);
	fputs(v, stdout);
}

void json_kraw(struct json *j, const char *k, const char *v)
{
	json_key(j, k);
	json_raw(j, v);
}

void print_str(struct json *j, const char *key, const char *fmt, const char *v)
{
	if (!v)
		return;
	if (!j) {
		if (fmt)
			fmt_out(fmt, v);
	} else if (key) {
		if (*key)
			json_key(j, key);
		json_str(j, v);
	}
}

void print_int(struct json *j, const char *key, const char *fmt, long long v)
{
	if (!j) {
		if (fmt)
			fmt_out(fmt, v);
	} else if (key) {
		json_kint(j, key, v);
	}
}

void print_open(struct json *j, const char *key, int ch)
{
	if (!j)
		return;
	if (key)
		json_key(j, key);
	json_open(j, ch);
}

void print_close(struct json *j, int ch)
{
	if (j)
		json_close(j, ch);
}
