/*
 * Multi-call dispatch: the applet is the basename of argv[0], or the first
 * argument after "nsbox".  Also --list, --help, --version, --install and
 * batch mode (-b).  The only file that calls exit().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include "cli.h"
#include "usage.h"

#define APPLET(n) int n##_main(struct nsb *, int, char **);
#include "applets.h"
#undef APPLET

struct applet {
	const char *name;
	int (*main)(struct nsb *, int, char **);
	unsigned short usage;	/* its --help text: offset + 1 in usage_packed, or 0 */
};

static const struct applet applets[] = {
#define APPLET(n) { #n, n##_main, n##_usage },
#include "applets.h"
#undef APPLET
};
#define NAPPLETS (sizeof(applets) / sizeof(applets[0]))

/* Personalities: another tool's name and syntax (cli/NAME.c), linked only
 * by --install --compat, never beside an existing iproute2 by default. */
int ip_main(struct nsb *, int, char **);
int sysctl_main(struct nsb *, int, char **);
int iptables_main(struct nsb *, int, char **);
static const struct applet personas[] = {
	{ "ip", ip_main, 0 }, { "sysctl", sysctl_main, 0 },
	{ "iptables", iptables_main, 0 },
};
#define NPERSONAS (sizeof(personas) / sizeof(personas[0]))

/* CNI plugins: the reference plugins' names, answered by cni/cni.c (never
 * by `nsbox NAME`: a runtime execs them through links, --install --cni) */
int cni_main(struct nsb *, int, char **);
static const struct applet cniplugins[] = {
	{ "bridge", cni_main, 0 },
	{ "host-local", cni_main, 0 },
	{ "portmap", cni_main, 0 },
	{ "loopback", cni_main, 0 },
	{ "tuning", cni_main, 0 },
	{ "firewall", cni_main, 0 },
};
#define NCNI (sizeof(cniplugins) / sizeof(cniplugins[0]))

static const struct applet *find(const char *name)
{
	size_t i;

	for (i = 0; i < NAPPLETS; i++)
		if (!strcmp(applets[i].name, name))
			return &applets[i];
	for (i = 0; i < NPERSONAS; i++)
		if (!strcmp(personas[i].name, name))
			return &personas[i];
	return NULL;
}

static const struct applet *persona(const char *name)
{
	size_t i;

	for (i = 0; i < NCNI; i++)
		if (!strcmp(cniplugins[i].name, name))
			return &cniplugins[i];
	return NULL;
}

static const char *base(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* A code from USAGE_NLIT up is a pair of codes (scripts/usagepack.c). */
static void put_code(unsigned char k)
{
	if (k < USAGE_NLIT) {
		putchar(usage_lit[k - 1]);
		return;
	}
	put_code(usage_pairs[(k - USAGE_NLIT) * 2]);
	put_code(usage_pairs[(k - USAGE_NLIT) * 2 + 1]);
}

static void put_usage(const unsigned char *p)
{
	while (*p)
		put_code(*p++);
}

static int run(struct nsb *c, const struct applet *a, int argc, char **argv)
{
	int k;

	c->applet = a->name;
	c->run++;
	if (a->usage && argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		put_usage(usage_packed + a->usage - 1);
		return 0;
	}
	/* a personality's --help and --version (iptables' is the form tools
	 * such as go-iptables read to tell nf_tables from legacy) */
	if (!a->usage && argc == 2 && (k = nsb_word(argv[1], "--help\0-h\0--version\0-V\0")) >= 0) {
		if (k >= 2)
			fmt_out("%s%s (nsbox " NSB_VERSION ")\n", a->name,
			       a->main == iptables_main ? " v1.8.9 (nf_tables)" : "");
		else
			fmt_out("%s: nsbox's %s personality: the subset nsbox's README lists\n",
			       a->name, a->name);
		return 0;
	}
	return a->main(c, argc, argv);
}

static void usage(FILE *f)
{
	size_t i;

	fputs("nsbox " NSB_VERSION ": network namespaces from the shell, one static binary\n"
	      "usage: nsbox APPLET [ARGS...]   or   APPLET [ARGS...] through a link\n"
	      "       nsbox --list | --help | --version | --install [-s] [--compat|--cni] DIR\n"
	      "       nsbox -b FILE|- [-f]     run one applet per line\n"
	      "applets:", f);
	for (i = 0; i < NAPPLETS; i++)
		fmt_file(f, " %s", applets[i].name);
	fputs("\npersonalities (--install --compat):", f);
	for (i = 0; i < NPERSONAS; i++)
		fmt_file(f, " %s", personas[i].name);
	fputs("\nCNI plugins (--install --cni):", f);
	for (i = 0; i < NCNI; i++)
		fmt_file(f, " %s", cniplugins[i].name);
	fputc('\n', f);
}

/* The binary: /proc/self/exe, else (no /proc) argv[0] when it holds a
 * '/', else the first PATH entry that has it. */
static int self_path(const char *argv0, char *self)
{
	const char *p, *e;
	ssize_t n = readlink("/proc/self/exe", self, PATH_MAX - 1);

	if (n > 0) {
		self[n] = '\0';
		return 0;
	}
	for (p = strchr(argv0, '/') ? "" : getenv("PATH"); p; p = *e ? e + 1 : NULL) {
		e = strchrnul(p, ':');
		fmt_buf(self, PATH_MAX, "%.*s%s%s", (int)(e - p), p, e > p ? "/" : "", argv0);
		if (access(self, X_OK) == 0)
			break;
	}
	return p ? 0 : -ENOENT;
}

/* set: 0 the applets, 1 the personalities (--compat), 2 the CNI plugins */
static int install(struct nsb *c, int sym, int set, const char *dir, const char *argv0)
{
	const struct applet *v = set == 1 ? personas : set == 2 ? cniplugins : applets;
	size_t nv = set == 1 ? NPERSONAS : set == 2 ? NCNI : NAPPLETS;
	char self[PATH_MAX], path[PATH_MAX];
	struct stat st;
	size_t i;
	int r;

	if (!*dir)	/* an unset $DIR in a script: never "/" */
		return nsb_usage(c, "--install", "usage: nsbox --install [-s] [--compat|--cni] DIR");
	if (stat(dir, &st) < 0)
		return nsb_fail(c, dir, -errno);
	if (!S_ISDIR(st.st_mode))
		return nsb_fail(c, dir, -ENOTDIR);
	r = self_path(argv0, self);
	/* a symbolic link to a relative path would point elsewhere */
	if (r || (sym && self[0] != '/'))
		return nsb_fail(c, "/proc/self/exe", r ? r : -NSB_ENOPROC);
	for (i = 0; i < nv; i++) {
		fmt_buf(path, sizeof(path), "%s/%s", dir, v[i].name);
		if ((sym ? symlink(self, path) : link(self, path)) == 0)
			continue;
		/* an applet link already there is taken as ours; another tool's
		 * name is never replaced: an iproute2 ip stays ip, a reference
		 * bridge plugin stays until its owner removes it */
		if (errno == EEXIST && !set)
			continue;
		if (errno == EXDEV && !sym && self[0] == '/') {
			/* hard links cannot cross filesystems (a binary on a tmpfs /tmp) */
			nsb_msg(c, 0, dir, "another filesystem: symbolic links to %s", self);
			sym = 1;
			i--;
			continue;
		}
		r = nsb_fail(c, path, -errno);	/* and the others still go in */
	}
	return r;
}

/* A write error belongs to the line (or command) that wrote. */
static int flush_out(struct nsb *c)
{
	int r = 0;

	errno = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		r = nsb_fail(c, "stdout", -errno);
	clearerr(stdout);
	return r;
}

/* nsbox -b FILE: every line an applet invocation in this one process, so
 * netlink sockets stay open across lines.  stdin_closed: fd 0 was closed
 * at start (and is /dev/null now), so "-" cannot be read. */
static int batch(struct nsb *c, const char *file, int force, int stdin_closed)
{
	struct nsb_lines in;
	char *line, where[PATH_MAX + 32], *argv[256];
	unsigned long lineno = 0;
	int status = 0, failed = 0, r;

	if (stdin_closed && !strcmp(file, "-"))
		return nsb_fail(c, file, -EBADF);
	r = nsb_lines_open(&in, file);
	if (r)
		return nsb_fail(c, file, r);
	c->batch = 1;
	for (;;) {
		const struct applet *a;
		int argc;

		r = nsb_lines_next(&in, &line);
		if (r <= 0) {
			/* a directory, a closed or failing input: not an empty batch */
			if (r < 0)
				status = failed = nsb_fail(c, file, r);
			break;
		}
		lineno++;
		fmt_buf(where, sizeof(where), "%s:%lu", file, lineno);
		c->where = where;
		c->applet = "nsbox";
		argc = nsb_split(line, argv, 256);
		if (argc == 0)
			continue;
		if (argc < 0) {
			r = nsb_usage(c, NULL, argc == -E2BIG ? "too many words" : "unterminated quote");
		} else if (!(a = find(argv[0]))) {
			r = nsb_msg(c, 127, argv[0], "applet not found");
		} else {
			r = run(c, a, argc, argv);
		}
		if (flush_out(c) && !r)
			r = 1;
		if (r) {
			failed = 1;
			status = r;
			if (!force)
				break;
		}
	}
	nsb_lines_close(&in);
	c->where = NULL;
	return force && failed ? 1 : status;
}

static int multi(struct nsb *c, int argc, char **argv, int stdin_closed)
{
	const struct applet *a;
	size_t i;

	c->applet = "nsbox";
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--list")) {
		for (i = 0; i < NAPPLETS; i++)
			puts(applets[i].name);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("nsbox " NSB_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--install")) {
		int sym = 0, set = 0, k;

		for (k = 2; k < argc - 1; k++) {
			if (!strcmp(argv[k], "-s"))
				sym = 1;
			else if (!strcmp(argv[k], "--compat"))
				set = 1;
			else if (!strcmp(argv[k], "--cni"))
				set = 2;
			else
				break;
		}
		if (k != argc - 1)
			return nsb_usage(c, "--install", "usage: nsbox --install [-s] [--compat|--cni] DIR");
		return install(c, sym, set, argv[k], argv[0]);
	}
	if (!strcmp(argv[1], "-b") || !strcmp(argv[1], "-f")) {
		int force = 0, k;
		const char *file = NULL;

		for (k = 1; k < argc; k++) {
			if (!strcmp(argv[k], "-f"))
				force = 1;
			else if (!strcmp(argv[k], "-b") && k + 1 < argc && !file)
				file = argv[++k];
			else
				return nsb_usage(c, argv[k], "usage: nsbox -b FILE|- [-f]");
		}
		if (!file)
			return nsb_usage(c, "-b", "usage: nsbox -b FILE|- [-f]");
		return batch(c, file, force, stdin_closed);
	}
	a = find(argv[1]);
	if (!a)
		return nsb_msg(c, 127, argv[1], "applet not found");
	return run(c, a, argc - 1, argv + 1);
}

/* fds 0-2 open, to /dev/null when closed (or "/", where /dev is empty), so
 * a netlink socket never becomes stdout; returns the ones that were closed. */
static int std_fds(void)
{
	struct stat st;
	int fd, closed = 0;

	for (fd = 0; fd < 3; fd++) {
		if (fstat(fd, &st) == 0 || errno != EBADF)
			continue;
		closed |= 1 << fd;
		if (open("/dev/null", O_RDWR) != fd)
			open("/", O_RDONLY | O_DIRECTORY);
	}
	return closed;
}

int main(int argc, char **argv)
{
	struct nsb c = { .applet = "nsbox" };
	const struct applet *a;
	const char *name = argc > 0 ? base(argv[0]) : "nsbox";
	int r, closed = std_fds();

	/* musl writes a line at a time until it sees stdout is no tty; its
	 * errno is gone by the time a line's write error is reported */
	setvbuf(stdout, NULL, _IOFBF, 0);
	/* nsbox needs root's privileges for real and never elevates anybody:
	 * a setuid, setgid or file-capability install would hand netns and
	 * mount powers to every user; AT_SECURE is the kernel's word for all */
	if (getauxval(AT_SECURE)) {
		fputs("nsbox: refusing to run setuid, setgid or with file capabilities\n", stderr);
		return 1;
	}
	if (!strncmp(name, "nsbox", 5)) {
		r = multi(&c, argc, argv, closed & 1);
	} else if ((a = find(name))) {
		r = run(&c, a, argc, argv);
	} else if ((a = persona(name))) {
		c.applet = a->name;
		r = a->main(&c, argc, argv);
	} else {
		r = nsb_msg(&c, 127, name, "applet not found");
	}
	nsb_free(&c);
	if (flush_out(&c) && !r)
		r = 1;
	exit(r);
}
