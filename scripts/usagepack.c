/*
 * Build-time tool, not part of nsbox: packs the applets' --help texts
 * (build/usage-plain.h, made by scripts/usage.awk) with byte-pair encoding
 * (busybox packs its usage texts differently, with bzip2).  The characters
 * the texts use get the codes 1 to USAGE_NLIT - 1 (usage_lit[code - 1]); every code above stands
 * for a pair of codes, merged most-frequent first (about 170 pairs where
 * the 128 codes above ASCII gave 128: -0.2 KiB).  Writes build/usage.h: the
 * character and pair tables, the packed texts (each ending in 0), and
 * NAME_usage as the offset of NAME's text plus one.  cli/main.c expands a
 * text as it prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage-plain.h"

static const struct {
	const char *name, *text;
} v[] = {
#define APPLET(n) { #n, n##_usage },
#include "applets.h"
#undef APPLET
};
#define N (sizeof(v) / sizeof(v[0]))

static unsigned char buf[1 << 16];
static size_t len;

int main(void)
{
	static unsigned cnt[256][256];
	unsigned char pairs[512], lit[256], map[256] = { 0 };
	size_t i, j, start[N];
	int code, a, b, best_a = 0, best_b = 0, nlit = 1;
	unsigned best;

	for (i = 0; i < N; i++) {
		size_t n = strlen(v[i].text);

		for (j = 0; j < n; j++)
			if ((unsigned char)v[i].text[j] >= 0x80) {
				fprintf(stderr, "usagepack: %s: not ASCII\n", v[i].name);
				return 1;
			}
		if (len + n + 1 > sizeof(buf))
			return 1;
		start[i] = len;
		memcpy(buf + len, v[i].text, n + 1);
		len += n + 1;
	}
	/* the characters used, in order, become codes 1 and up */
	for (i = 0; i < len; i++)
		map[buf[i]] = buf[i] != 0;
	for (a = 1; a < 256; a++)
		if (map[a]) {
			lit[nlit - 1] = a;
			map[a] = nlit++;
		}
	for (i = 0; i < len; i++)
		buf[i] = map[buf[i]];
	for (code = nlit; code < 0x100; code++) {
		memset(cnt, 0, sizeof(cnt));
		for (i = 0; i + 1 < len; i++)
			if (buf[i] && buf[i + 1])
				cnt[buf[i]][buf[i + 1]]++;
		best = 0;
		for (a = 1; a < 256; a++)
			for (b = 1; b < 256; b++)
				if (cnt[a][b] > best) {
					best = cnt[a][b];
					best_a = a;
					best_b = b;
				}
		if (best < 3)
			break;
		pairs[(code - nlit) * 2] = best_a;
		pairs[(code - nlit) * 2 + 1] = best_b;
		for (i = j = 0; i < len; i++) {
			size_t k;

			for (k = 0; k < N; k++)	/* texts move as pairs merge */
				if (start[k] == i)
					start[k] = j;
			if (i + 1 < len && buf[i] == best_a && buf[i + 1] == best_b) {
				buf[j++] = code;
				i++;
			} else {
				buf[j++] = buf[i];
			}
		}
		len = j;
	}
	printf("/* made by scripts/usagepack from the applets' opening comments */\n");
	printf("#define USAGE_NLIT %d\n", nlit);
	printf("static const char usage_lit[] = {");
	for (i = 0; i < (size_t)nlit - 1; i++)
		printf("%s%u,", i % 16 ? "" : "\n\t", lit[i]);
	printf("\n};\nstatic const unsigned char usage_pairs[] = {");
	for (i = 0; i < (size_t)(code - nlit) * 2; i++)
		printf("%s%u,", i % 16 ? "" : "\n\t", pairs[i]);
	printf("\n};\nstatic const unsigned char usage_packed[] = {");
	for (i = 0; i < len; i++)
		printf("%s%u,", i % 16 ? "" : "\n\t", buf[i]);
	printf("\n};\n");
	for (i = 0; i < N; i++)
		printf("#define %s_usage %zu\n", v[i].name, start[i] + 1);
	return 0;
}
