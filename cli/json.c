/* A streaming JSON writer: enough for ip -j shaped output. */
#include <stdio.h>
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

static void put_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putchar('"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

void json_key(struct json *j, const char *k)
{
	sep(j);
	put_str(k);
	putchar(':');
	/* the value that follows is not a new element */
	if (j->depth < (int)sizeof(j->first))
		j->first[j->depth] = 1;
}

void json_str(struct json *j, const char *s)
{
	sep(j);
	put_str(s);
}

void json_int(struct json *j, long long v)
{
	sep(j);
	printf("%lld", v);
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
