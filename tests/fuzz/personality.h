/* What the personality fuzzers (fuzz_ip.c, fuzz_iptables.c, fuzz_sysctl.c)
 * share: FUZZ_SANDBOX for their start, fuzz_argv, fuzz_without and
 * fuzz_run for each input.  They run the personality's main whole, argv in, requests out, so
 * they must never reach this machine's networking or /proc/sys.  Entered
 * once at start: a user namespace of our own (root mapped to root, so the
 * corpus stays writable, but with no capability over the machine's own
 * namespaces: setns into them and moving a link there are EPERM), a
 * private mount namespace with tmpfs on /run (and on /proc/sys for
 * sysctl), a fresh network namespace for every input, and a seccomp filter
 * that makes execve fail (ip netns exec runs nothing).  stdout goes to
 * /dev/null; messages are quiet. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include "cli.h"

#if defined(__x86_64__)
#define FUZZ_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define FUZZ_ARCH AUDIT_ARCH_AARCH64
#else
#error "fuzz sandbox: add this architecture's AUDIT_ARCH"
#endif

static void fuzz_die(const char *what)
{
	fprintf(stderr, "fuzz sandbox: %s: %s (refusing to fuzz outside it)\n", what,
		strerror(errno));
	exit(1);
}

static void fuzz_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		fuzz_die(path);
	close(fd);
}

static void fuzz_noexec(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, FUZZ_ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execve, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_execveat, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
		fuzz_die("seccomp");
}

/* sysfiles: tmpfs on /proc/sys with these files (path\0value\0..., "") */
static void fuzz_sandbox(const char *sysfiles)
{
	int fd;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) < 0)
		fuzz_die("unshare");
	fuzz_write("/proc/self/setgroups", "deny");
	fuzz_write("/proc/self/uid_map", "0 0 1");
	fuzz_write("/proc/self/gid_map", "0 0 1");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("fuzz-run", "/run", "tmpfs", 0, "mode=0755") < 0)
		fuzz_die("mount /run");
	if (sysfiles) {
		if (mount("fuzz-sys", "/proc/sys", "tmpfs", 0, "mode=0755") < 0)
			fuzz_die("mount /proc/sys");
		for (; *sysfiles; sysfiles += strlen(sysfiles) + 1) {
			char path[256], *p;

			snprintf(path, sizeof(path), "/proc/sys/%s", sysfiles);
			for (p = path + 10; (p = strchr(p, '/')); *p++ = '/') {
				*p = '\0';
				mkdir(path, 0755);
			}
			sysfiles += strlen(sysfiles) + 1;
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0 || write(fd, sysfiles, strlen(sysfiles)) < 0)
				fuzz_die(path);
			close(fd);
		}
	}
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0)
		fuzz_die("/dev/null");
	close(fd);
	fuzz_noexec();
}

/* Before each input: no named namespaces left, and a fresh network
 * namespace every FUZZ_NETNS_EVERY inputs.  Each one left behind is the
 * kernel's to tear down later, under the rtnl lock that making a new one
 * needs: at one every 128 inputs, fuzz_ip and fuzz_iptables left some
 * 2,800 in 10 s.  A fuzzer that needs none past the first (sysctl works
 * on a tmpfs) defines it larger before including this file.  (That was
 * thought to be why fuzz_sysctl stalled in whole runs; the cause was a
 * key whose separators climbed out of /proc/sys into /proc, where a read
 * blocks: sysctl now refuses it, corpus/sysctl/climb is that input.) */
#ifndef FUZZ_NETNS_EVERY
#define FUZZ_NETNS_EVERY 1024
#endif
static void fuzz_fresh(struct nsb *c)
{
	static unsigned int count;
	char **names;
	int n = ns_list(&names), i;

	for (i = 0; i < n; i++)
		ns_del(names[i]);
	free(names);
	if (count++ % FUZZ_NETNS_EVERY == 0 && unshare(CLONE_NEWNET) < 0)
		fuzz_die("unshare net");
	memset(c, 0, sizeof(*c));
	c->quiet = 1;
}

#define FUZZ_WORDS 48

/* data as argv: words split at NUL bytes, argv[0] the personality's name;
 * words is a malloc'd copy (free it).  Returns argc. */
static int fuzz_argv(const unsigned char *data, size_t size, const char *name,
		     char **argv, char **words)
{
	char *w = malloc(size + 1);
	size_t i;
	int n = 1;

	*words = w;
	argv[0] = (char *)name;
	if (!w)
		return 0;
	memcpy(w, data, size);
	w[size] = '\0';
	argv[n++] = w;
	for (i = 0; i < size && n < FUZZ_WORDS - 1; i++)
		if (!w[i])
			argv[n++] = w + i + 1;
	argv[n] = NULL;
	return n;
}

/* FUZZ_SANDBOX(SYSFILES): the fuzzer's start: fuzz_sandbox(SYSFILES) */
#define FUZZ_SANDBOX(sysfiles)						\
	int LLVMFuzzerInitialize(int *argc, char ***argv)		\
	{								\
		(void)argc;						\
		(void)argv;						\
		fuzz_sandbox(sysfiles);					\
		return 0;						\
	}

/* argc, or 0 when a word of argv starts with A or with B (an option whose
 * FILE could be /dev/zero and never end) */
static inline int fuzz_without(int argc, char **argv, const char *a, const char *b)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], a, strlen(a)) || !strncmp(argv[i], b, strlen(b)))
			return 0;
	return argc;
}

/* the personality main RUN on argv (argv[0] its name), on a fresh context;
 * batch: as in a batch (netns exec forks, and its exec is refused) */
static void fuzz_run(int (*run)(struct nsb *, int, char **), int batch, int argc, char **argv)
{
	struct nsb c;

	if (!argc)
		return;
	fuzz_fresh(&c);
	c.applet = argv[0];
	c.batch = batch;
	run(&c, argc, argv);
	nsb_free(&c);
}
