/* sysctl [-n] [-e] [-q] [-w] KEY[=VALUE]... | -p [FILE] | -a: nsbox called
 * as sysctl, procps's forms and exit codes over /proc/sys (1 when a key
 * failed; other keys are still done).  Keys take dots or slashes as procps
 * reads them: whichever comes first is the separator, the other stands
 * for itself (net.ipv4.conf.eth0/100.forwarding). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

#define PROC_SYS "/proc/sys/"

struct sctl {
	struct nsb *c;
	int values, ignore, quiet, write;
};

/* procps's slashdot: when the first separator in s is from, swap the two */
static void swap_sep(char *s, int from, int to)
{
	char *p = strpbrk(s, "./");

	if (!p || *p != from)
		return;
	for (; *s; s++)
		if (*s == from || *s == to)
			*s = *s == from ? to : from;
}

static int show(struct sctl *s, const char *path, const char *name)
{
	char val[4096];
	int r = sysctl_get(NULL, path, val, sizeof(val));

	if (r)
		return r;
	if (s->values)
		puts(val);
	else
		fmt_out("%s = %s\n", name, val);
	return 0;
}

/* a directory: every readable key under it, as sysctl net.ipv4 or -a */
static int walk(struct sctl *s, char *path, size_t len)
{
	size_t n = strlen(path);
	DIR *d = opendir(path);
	struct dirent *e;
	struct stat st;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || n + strlen(e->d_name) + 2 > len)
			continue;
		fmt_buf(path + n, len - n, "/%s", e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(s, path, len);
		} else if (st.st_mode & S_IRUSR) {
			char *name = strdup(path + strlen(PROC_SYS));

			if (name) {
				swap_sep(name, '/', '.');
				show(s, path, name);
				free(name);
			}
		}
	}
	path[n] = '\0';
	closedir(d);
	return 0;
}

/* walk from a directory of any length (errno set on failure) */
static int walk_from(struct sctl *s, const char *dir)
{
	char buf[PATH_MAX];

	if (strlen(dir) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, dir);
	return walk(s, buf, sizeof(buf));
}

/* one KEY, with VALUE to write when val is not NULL (key is changed in
 * place); quiet_fail: -e, or a -p line starting with -.  Any length: what
 * is too long for the kernel is the kernel's to refuse, never cut here. */
static int one(struct sctl *s, char *key, const char *val, int quiet_fail)
{
	char *path, *name, *p;
	const char *arg = key;
	struct stat st;
	int r;

	if (!key[0] || (s->write && !val))
		return nsb_msg(s->c, 1, arg, s->write && !val ? "must be KEY=VALUE with -w"
							       : "invalid key");
	name = key + (key[0] == '/' || key[0] == '.');
	path = malloc(sizeof(PROC_SYS) + strlen(name));
	if (!path)
		return nsb_fail(s->c, arg, -ENOMEM);
	strcpy(stpcpy(path, PROC_SYS), name);
	swap_sep(path + strlen(PROC_SYS), '.', '/');
	/* no way out of /proc/sys: a ".." in the path as the key's
	 * separators made it ("net.//.//" is net/../..) is refused */
	for (p = path; (p = strstr(p, "/..")) && p[3] && p[3] != '/'; p += 3)
		;
	if (p) {
		free(path);
		return nsb_msg(s->c, 1, arg, "invalid key");
	}
	swap_sep(name, '/', '.');
	if (stat(path, &st) < 0) {
		r = -errno;
		r = quiet_fail && r == -ENOENT ? 0 : nsb_fail(s->c, path, r);
	} else if (!val && S_ISDIR(st.st_mode)) {
		r = walk_from(s, path) ? nsb_fail(s->c, path, -errno) : 0;
	} else if (!val && !(st.st_mode & S_IRUSR)) {
		r = 0;	/* write-only (net.ipv4.route.flush): procps shows nothing */
	} else if (!val) {
		r = show(s, path, name);
		r = r ? nsb_fail(s->c, name, r) : 0;
	} else {
		/* as procps: written without reading first (a key may be
		 * write-only, net.ipv4.route.flush) */
		r = sysctl_write(NULL, path, val);
		if (r)
			r = nsb_fail(s->c, name, r);
		else if (!s->quiet)
			fmt_out(s->values ? "%s\n" : "%s = %s\n", s->values ? val : name, val);
	}
	free(path);
	return r;
}

/* KEY or KEY=VALUE as typed */
static int one_arg(struct sctl *s, const char *arg, int quiet_fail)
{
	char *key = strdup(arg), *eq;
	int r;

	if (!key)
		return nsb_fail(s->c, arg, -ENOMEM);
	eq = strchr(key, '=');
	if (eq)
		*eq = '\0';
	r = one(s, key, eq ? eq + 1 : NULL, quiet_fail);
	free(key);
	return r;
}

/* -p FILE: "key = value" lines, # and ; comments, - ignores a failure */
static int load(struct sctl *s, const char *file)
{
	struct nsb_lines in;
	unsigned long no = 0;
	char *line;
	int status = 0, r = nsb_lines_open(&in, file);

	if (r)
		return nsb_fail(s->c, file, r);
	while ((r = nsb_lines_next(&in, &line)) > 0) {
		char *k = line + strspn(line, " \t"), *v, *e;
		int ign = *k == '-';

		no++;
		k += ign;
		if (!*k || strchr("#;\n\r", *k))
			continue;
		v = strchr(k, '=');
		if (!v) {	/* procps's words; it goes on, and so does its status */
			nsb_msg(s->c, 0, NULL, "%s(%lu): invalid syntax, continuing...", file, no);
			continue;
		}
		for (e = v; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		v += 1 + strspn(v + 1, " \t");
		for (e = v + strlen(v); e > v && strchr(" \t\r\n", e[-1]); e--)
			;
		*e = '\0';
		if (one(s, k, v, s->ignore || ign) && !ign)
			status = 1;
	}
	if (r < 0)
		status = nsb_fail(s->c, file, r);
	nsb_lines_close(&in);
	return status;
}

int sysctl_main(struct nsb *c, int argc, char **argv)
{
	struct sctl s = { .c = c };
	const char *file = NULL;
	char all[512] = PROC_SYS;
	int i, status = 0, any = 0, load_p = 0, listall = 0;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (w[0] != '-' || !w[1]) {
			any = 1;
			continue;
		}
		if (!strncmp(w, "-p", 2) || !strncmp(w, "--load", 6)) {
			load_p = 1;
			file = w[1] == 'p' ? (w[2] ? w + 2 : NULL) : w[6] == '=' ? w + 7 : NULL;
			continue;
		}
		if (!strcmp(w, "-a") || !strcmp(w, "-A") || !strcmp(w, "--all")) {
			listall = 1;
			continue;
		}
		for (w++; *w; w++) {
			if (*w == 'n')
				s.values = 1;
			else if (*w == 'e')
				s.ignore = 1;
			else if (*w == 'q')
				s.quiet = 1;
			else if (*w == 'w')
				s.write = 1;
			else if (*w != 'o' && *w != 'x')
				return nsb_msg(c, 2, argv[i], "option not supported by nsbox");
		}
	}
	if (listall)
		return walk(&s, all, sizeof(all)) ? nsb_fail(c, PROC_SYS, -errno) : 0;
	if (load_p && (file || !any))
		return load(&s, file ? file : "/etc/sysctl.conf");
	/* procps: words after -p are files */
	for (i = 1; i < argc && load_p; i++)
		if (argv[i][0] != '-' || !argv[i][1])
			status |= load(&s, argv[i]);
	if (load_p)
		return status;
	if (!any)
		return nsb_msg(c, 1, NULL, "no variables specified");
	for (i = 1; i < argc; i++)
		if (argv[i][0] != '-' || !argv[i][1])
			status |= one_arg(&s, argv[i], s.ignore);
	return status ? 1 : 0;
}
