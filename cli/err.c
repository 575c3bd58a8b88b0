/* Message format and exit codes: 0 ok, 1 refused, 2 usage, 127 unknown applet. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* The text of every error users can meet, in glibc's words, so both builds
 * say the same (musl words some differently, and its strerror table would
 * cost 2 KiB), then nsbox's own (include/nsbox.h); those only a mistake of
 * nsbox's own could give are left out ("Unknown error").  texts holds one
 * string for each of errs, in order: no table of pointers. */
static const unsigned char errs[] = {
	EPERM, ENOENT, ESRCH, EINTR, EIO, ENXIO, E2BIG, ENOEXEC, EBADF, ECHILD,
	EAGAIN, ENOMEM, EACCES, EFAULT, EBUSY, EEXIST, EXDEV, ENODEV, ENOTDIR,
	EISDIR, EINVAL, ENFILE, EMFILE, ENOTTY, ETXTBSY, EFBIG, ENOSPC, EROFS,
	EMLINK, EPIPE, EDOM, ERANGE, ENAMETOOLONG, ENOLCK, ENOSYS, ENOTEMPTY,
	ELOOP, ENODATA, EPROTO, EBADMSG, EOVERFLOW, ENOTSOCK, EMSGSIZE,
	ENOPROTOOPT, EPROTONOSUPPORT, EOPNOTSUPP, EAFNOSUPPORT, EADDRINUSE,
	EADDRNOTAVAIL, ENETDOWN, ENETUNREACH, ENETRESET, ECONNABORTED,
	ECONNRESET, ENOBUFS, ENOTCONN, ETIMEDOUT, ECONNREFUSED, EHOSTDOWN,
	EHOSTUNREACH, ESTALE, EDQUOT, ECANCELED, NSB_ENOTNS, NSB_ENOPROC,
	NSB_ENORUN, NSB_ECHROOT
};
static const char texts[] =
	"Operation not permitted\0"
	"No such file or directory\0"
	"No such process\0"
	"Interrupted system call\0"
	"Input/output error\0"
	"No such device or address\0"
	"Argument list too long\0"
	"Exec format error\0"
	"Bad file descriptor\0"
	"No child processes\0"
	"Resource temporarily unavailable\0"
	"Cannot allocate memory\0"
	"Permission denied\0"
	"Bad address\0"
	"Device or resource busy\0"
	"File exists\0"
	"Invalid cross-device link\0"
	"No such device\0"
	"Not a directory\0"
	"Is a directory\0"
	"Invalid argument\0"
	"Too many open files in system\0"
	"Too many open files\0"
	"Inappropriate ioctl for device\0"
	"Text file busy\0"
	"File too large\0"
	"No space left on device\0"
	"Read-only file system\0"
	"Too many links\0"
	"Broken pipe\0"
	"Numerical argument out of domain\0"
	"Numerical result out of range\0"
	"File name too long\0"
	"No locks available\0"
	"Function not implemented\0"
	"Directory not empty\0"
	"Too many levels of symbolic links\0"
	"No data available\0"
	"Protocol error\0"
	"Bad message\0"
	"Value too large for defined data type\0"
	"Socket operation on non-socket\0"
	"Message too long\0"
	"Protocol not available\0"
	"Protocol not supported\0"
	"Operation not supported\0"
	"Address family not supported by protocol\0"
	"Address already in use\0"
	"Cannot assign requested address\0"
	"Network is down\0"
	"Network is unreachable\0"
	"Network dropped connection on reset\0"
	"Software caused connection abort\0"
	"Connection reset by peer\0"
	"No buffer space available\0"
	"Transport endpoint is not connected\0"
	"Connection timed out\0"
	"Connection refused\0"
	"Host is down\0"
	"No route to host\0"
	"Stale file handle\0"
	"Disk quota exceeded\0"
	"Operation canceled\0"
	"not a network namespace\0"
	"/proc is not mounted\0"
	"/run does not exist\0"
	"/ is not a mount point (chroot?)\0";

const char *nsb_strerror(int err)
{
	const char *t = texts;
	size_t i;

	if (err < 0)
		err = -err;
	if (!err)	/* a stream's error flag without errno: say what failed */
		err = EIO;
	for (i = 0; i < sizeof(errs); i++, t += strlen(t) + 1)
		if (errs[i] == err)
			return t;
	return "Unknown error";
}

/* A message is built whole and written in one go: invocations running in
 * parallel with one stderr (2>>log) must not interleave their lines, and an
 * unbuffered stderr writes each piece on its own. */
struct msg {
	char b[1024];
	size_t n;
};

static void add(struct msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void addv(struct msg *m, const char *fmt, va_list ap)
{
	int r = fmt_vbuf(m->b + m->n, sizeof(m->b) - 1 - m->n, fmt, ap);

	if (r > 0)
		m->n += (size_t)r < sizeof(m->b) - 1 - m->n ? (size_t)r : sizeof(m->b) - 2 - m->n;
}

static void add(struct msg *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	addv(m, fmt, ap);
	va_end(ap);
}

static void lead(struct nsb *c, struct msg *m, const char *subject)
{
	m->n = 0;
	if (c->where)
		add(m, "%s: ", c->where);
	add(m, "%s: ", c->applet);
	if (subject)
		add(m, "%s: ", subject);
}

static void put(struct msg *m)
{
	size_t i;

	/* one line whatever the user typed: a newline, carriage return or
	 * another control character (a tab aside) in an argument quoted in
	 * the message shows as '?' */
	for (i = 0; i < m->n; i++)
		if (((unsigned char)m->b[i] < 0x20 && m->b[i] != '\t') || m->b[i] == 0x7f)
			m->b[i] = '?';
	m->b[m->n++] = '\n';
	m->b[m->n] = '\0';
	fflush(stdout);
	fputs(m->b, stderr);
}

int nsb_msg(struct nsb *c, int status, const char *subject, const char *fmt, ...)
{
	struct msg m;
	va_list ap;

	if (!c || c->quiet)	/* NULL: a parser reading our own rules back */
		return status;
	lead(c, &m, subject);
	va_start(ap, fmt);
	addv(&m, fmt, ap);
	va_end(ap);
	put(&m);
	return status;
}

int nsb_fail(struct nsb *c, const char *subject, int err)
{
	struct msg m;

	if (!c || c->quiet)
		return 1;
	lead(c, &m, subject);
	add(&m, "%s", nsb_strerror(err));
	/* the kernel's text only beside the error of the request it explains,
	 * in the invocation that sent it (a batch's next line may fail alike) */
	if (c->ack[0] && c->ack_err == (err < 0 ? err : -err) && c->ack_run == c->run)
		add(&m, ": %s", c->ack);
	put(&m);
	return 1;
}

int nsb_usage(struct nsb *c, const char *subject, const char *reason)
{
	return nsb_msg(c, 2, subject, "%s", reason);
}
