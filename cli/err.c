/* Message format and exit codes: 0 ok, 1 refused, 2 usage, 127 unknown applet. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* musl and glibc word some errors differently; tests and scripts match the
 * text, so the ones users meet are spelled here once. */
static const struct {
	int err;
	const char *text;
} texts[] = {
	{ EPERM, "Operation not permitted" },
	{ ENOENT, "No such file or directory" },
	{ EIO, "Input/output error" },
	{ EBADF, "Bad file descriptor" },
	{ ENOMEM, "Cannot allocate memory" },
	{ EACCES, "Permission denied" },
	{ EBUSY, "Device or resource busy" },
	{ EEXIST, "File exists" },
	{ EXDEV, "Invalid cross-device link" },
	{ ENODEV, "No such device" },
	{ ENOTDIR, "Not a directory" },
	{ EINVAL, "Invalid argument" },
	{ ENOSPC, "No space left on device" },
	{ ERANGE, "Numerical result out of range" },
	{ ENAMETOOLONG, "File name too long" },
	{ ENOTEMPTY, "Directory not empty" },
	{ EOPNOTSUPP, "Operation not supported" },
	{ EAFNOSUPPORT, "Address family not supported by protocol" },
	{ EADDRINUSE, "Address already in use" },
	{ EADDRNOTAVAIL, "Cannot assign requested address" },
	{ ENETUNREACH, "Network is unreachable" },
	{ ECONNREFUSED, "Connection refused" },
	{ EHOSTUNREACH, "No route to host" },
	{ ETIMEDOUT, "Connection timed out" },
	{ ENOBUFS, "No buffer space available" },
	{ EPROTONOSUPPORT, "Protocol not supported" },
	{ ESRCH, "No such process" },
	{ EPROTO, "Protocol error" },
	{ EMSGSIZE, "Message too long" },
	{ ENOTSUP, "Operation not supported" },
	{ ELOOP, "Too many levels of symbolic links" },
	{ EROFS, "Read-only file system" },
	{ ENOEXEC, "Exec format error" },
	{ E2BIG, "Argument list too long" },
	{ EINTR, "Interrupted system call" },
	{ EAGAIN, "Resource temporarily unavailable" },
};

const char *nsb_strerror(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (texts[i].err == err)
			return texts[i].text;
	return strerror(err);
}

static void lead(struct nsb *c, const char *subject)
{
	if (c->where)
		fprintf(stderr, "%s: ", c->where);
	fprintf(stderr, "%s: ", c->applet);
	if (subject)
		fprintf(stderr, "%s: ", subject);
}

int nsb_msg(struct nsb *c, int status, const char *subject, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	lead(c, subject);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int nsb_fail(struct nsb *c, const char *subject, int err)
{
	fflush(stdout);
	lead(c, subject);
	fputs(nsb_strerror(err), stderr);
	/* the kernel's text only beside the error of the request it explains,
	 * in the invocation that sent it (a batch's next line may fail alike) */
	if (c->ack[0] && c->ack_err == (err < 0 ? err : -err) && c->ack_run == c->run)
		fprintf(stderr, ": %s", c->ack);
	fputc('\n', stderr);
	return 1;
}

int nsb_usage(struct nsb *c, const char *subject, const char *reason)
{
	return nsb_msg(c, 2, subject, "%s", reason);
}
