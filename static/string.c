/*
 * String functions for the static musl build only (like static/fmt.c).
 * musl's read a word at a time, with bitmaps and alignment prologues: fast
 * on long strings, ~1.5 KiB of the binary together.  nsbox's strings are
 * interface names, addresses, keywords and lines of a few dozen bytes,
 * where a byte at a time is as fast; the results are the same.  getenv is
 * here because musl's calls its own strchrnul by an internal name.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the loops below must not become calls to the functions they define */
#pragma GCC optimize("no-tree-loop-distribute-patterns")

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i])
		i++;
	return i;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = (unsigned char)c;
	return d;
}

char *strchrnul(const char *s, int c)
{
	while (*s && *s != (char)c)
		s++;
	return (char *)s;
}

char *strchr(const char *s, int c)
{
	s = strchrnul(s, c);
	return *s == (char)c ? (char *)s : NULL;
}

char *strrchr(const char *s, int c)
{
	const char *r = NULL;

	do
		if (*s == (char)c)
			r = s;
	while (*s++);
	return (char *)r;
}

char *stpcpy(char *restrict d, const char *restrict s)
{
	while ((*d = *s++))
		d++;
	return d;
}

/* its own loop: GCC turns stpcpy(d, s) whose result goes unused back
 * into strcpy(d, s), which here would call itself */
char *strcpy(char *restrict d, const char *restrict s)
{
	char *r = d;

	while ((*d++ = *s++))
		;
	return r;
}

char *stpncpy(char *restrict d, const char *restrict s, size_t n)
{
	for (; n && *s; n--)
		*d++ = *s++;
	memset(d, 0, n);
	return d;
}

char *strncpy(char *restrict d, const char *restrict s, size_t n)
{
	stpncpy(d, s, n);
	return d;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n && *a && *a == *b; n--, a++, b++)
		;
	return n ? (unsigned char)*a - (unsigned char)*b : 0;
}

size_t strspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] && strchr(set, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *set)
{
	size_t n = 0;

	while (s[n] && !strchr(set, s[n]))
		n++;
	return n;
}

char *strpbrk(const char *s, const char *set)
{
	s += strcspn(s, set);
	return *s ? (char *)s : NULL;
}

char *getenv(const char *name)
{
	size_t n = strchrnul(name, '=') - name;
	char **e;

	if (n && !name[n] && environ)
		for (e = environ; *e; e++)
			if (!strncmp(name, *e, n) && (*e)[n] == '=')
				return *e + n + 1;
	return NULL;
}
