/*
 * System call wrappers of our own for the static musl build only (like
 * static/alloc.c), where musl's carry machinery nsbox never uses.
 *
 * fork: musl's runs the pthread_atfork handlers and takes every internal
 * lock around the system call so that a child of a threaded process finds
 * them consistent; that machinery (the handler table, pthread_rwlock,
 * timed waits) is ~1.5 KiB of the binary.  nsbox is single-threaded and
 * registers no handlers, so it needs only what _Fork (musl 1.2.2, glibc
 * 2.34) does: the system call with signals blocked, the child's thread id
 * and lists set right.  Same child, same return values, same errno.
 *
 * clock_gettime: musl's looks the function up in the vDSO's ELF symbol
 * table on first use (~0.9 KiB); nsbox reads the clock a few times a ping
 * (lib/ping.c), where the system call's fraction of a microsecond is lost
 * in the round trip it measures.
 *
 * stat, lstat, fstat: musl's go through fstatat, which copies the kernel's
 * struct field by field (for 32-bit time) and falls back to /proc/self/fd
 * for O_PATH descriptors on kernels before 3.6 (~0.7 KiB).  On x86_64 the
 * kernel's struct stat is musl's, and the three have system calls of their
 * own.
 *
 * execvp: musl's searches PATH with the internal name of its strchrnul,
 * which brings that in beside static/string.c's; this is the same search
 * (POSIX's default PATH when unset, an empty entry the current directory,
 * on to the next entry after ENOENT, ENOTDIR or EACCES, EACCES reported
 * when any entry said so) with the public name.
 *
 * sigaction: musl's also unmasks its own thread signals the first time a
 * handler is set and tracks which signals have handlers, for threads and
 * cancellation nsbox does not use (~0.6 KiB).  This is the x86_64 system
 * call with the return trampoline it needs; the same checks and results.
 *
 * open, openat, socket, recvmsg, mmap, ppoll, ioctl, readlink: musl's
 * carry fallbacks for kernels before 2.6.27 (O_CLOEXEC and SOCK_CLOEXEC
 * done again with fcntl), 32-bit time conversions, and mmap's checks for
 * what nsbox never asks (readlink into 0 bytes, mmap at an offset that is
 * no page); on x86_64 under a 4.x or later kernel each is its system call.
 * recvmsg keeps musl's one fix for 64-bit: the padding beside the int
 * msg_iovlen and msg_controllen of musl's struct msghdr is cleared, as the
 * kernel reads each with its padding as one size_t.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/syscall.h>

pid_t fork(void)
{
	return _Fork();
}

/* the kernel's struct timespec is the C library's only where time_t is long */
_Static_assert(sizeof(time_t) == sizeof(long), "clock_gettime: 64-bit time_t only");

int clock_gettime(clockid_t clk, struct timespec *ts)
{
	return syscall(SYS_clock_gettime, clk, ts);
}

int execvp(const char *file, char *const argv[])
{
	const char *p = getenv("PATH"), *z;
	char b[PATH_MAX + NAME_MAX + 2];
	size_t k = strlen(file);
	int eacces = 0;

	errno = ENOENT;
	if (!*file)
		return -1;
	if (strchr(file, '/'))
		return execve(file, argv, environ);
	if (k > NAME_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (p = p ? p : "/usr/local/bin:/bin:/usr/bin";; p = z + 1) {
		z = strchrnul(p, ':');
		if (z - p < PATH_MAX) {
			memcpy(b, p, z - p);
			b[z - p] = '/';
			memcpy(b + (z - p) + (z > p), file, k + 1);
			execve(b, argv, environ);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR)
				return -1;
		}
		if (!*z)
			break;
	}
	if (eacces)
		errno = EACCES;
	return -1;
}

#ifdef __x86_64__
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

/* the kernel's struct sigaction, and the code a handler returns to */
struct ksigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};
void nsb_restore_rt(void);
__asm__(".pushsection .text\n"
	".globl nsb_restore_rt\n"
	".hidden nsb_restore_rt\n"
	".type nsb_restore_rt, @function\n"
	"nsb_restore_rt:\n"
	"\tmov $15, %eax\n"		/* SYS_rt_sigreturn */
	"\tsyscall\n"
	".popsection\n");

int sigaction(int sig, const struct sigaction *restrict sa, struct sigaction *restrict old)
{
	struct ksigaction k, o;
	int r;

	if (sig - 32U < 3) {	/* the C library's own (musl's and glibc's) */
		errno = EINVAL;
		return -1;
	}
	if (sa) {
		k.handler = sa->sa_handler;
		k.flags = sa->sa_flags | SA_RESTORER;
		k.restorer = nsb_restore_rt;
		memcpy(&k.mask, &sa->sa_mask, sizeof(k.mask));
	}
	r = syscall(SYS_rt_sigaction, sig, sa ? &k : NULL, old ? &o : NULL, sizeof(k.mask));
	if (old && !r) {
		old->sa_handler = o.handler;
		old->sa_flags = o.flags;
		memcpy(&old->sa_mask, &o.mask, sizeof(o.mask));
	}
	return r;
}

int stat(const char *restrict path, struct stat *restrict st)
{
	return syscall(SYS_stat, path, st);
}

int lstat(const char *restrict path, struct stat *restrict st)
{
	return syscall(SYS_lstat, path, st);
}

int fstat(int fd, struct stat *st)
{
	return syscall(SYS_fstat, fd, st);
}
/* the mode argument is there only with O_CREAT */
static int vopenat(int dfd, const char *path, int flags, va_list ap)
{
	return syscall(SYS_openat, dfd, path, flags, flags & O_CREAT ? va_arg(ap, mode_t) : 0);
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = vopenat(AT_FDCWD, path, flags, ap);
	va_end(ap);
	return r;
}

int openat(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	int r;

	va_start(ap, flags);
	r = vopenat(dfd, path, flags, ap);
	va_end(ap);
	return r;
}

int socket(int domain, int type, int proto)
{
	return syscall(SYS_socket, domain, type, proto);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	msg->__pad1 = msg->__pad2 = 0;
	return syscall(SYS_recvmsg, fd, msg, flags);
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
}

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *to, const sigset_t *mask)
{
	return syscall(SYS_ppoll, fds, n, to, mask, _NSIG / 8);
}

int ioctl(int fd, int req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	return syscall(SYS_ioctl, fd, req, arg);
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t len)
{
	return syscall(SYS_readlink, path, buf, len);
}
#endif
