/* Message format and exit codes: 0 ok, 1 refused, 2 usage, 127 unknown applet. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* musl and glibc word some errors differently; tests and scripts match the
 * text, so the ones users meet that the two word differently are spelled
 * here once (glibc's words; the others are the same in both), then
 * nsbox's own (include/nsbox.h).  texts holds one string for each of errs,
 * in order: no table of pointers. */
static const unsigned char errs[] = {
	EIO,
	ENOMEM,
	EBUSY,
	EXDEV,
	ERANGE,
	ENAMETOOLONG,
	EOPNOTSUPP,
	EADDRINUSE,
	EADDRNOTAVAIL,
	ENETUNREACH,
	EHOSTUNREACH,
	ETIMEDOUT,
	EMSGSIZE,
	ELOOP,
	EMFILE,
	NSB_ENOTNS,
	NSB_ENOPROC,
	NSB_ENORUN,
	NSB_ECHROOT
};
static const char texts[] =
	"Input/output error\0"
	"Cannot allocate memory\0"
	"Device or resource busy\0"
	"Invalid cross-device link\0"
	"Numerical result out of range\0"
	"File name too long\0"
	"Operation not supported\0"
	"Address already in use\0"
	"Cannot assign requested address\0"
	"Network is unreachable\0"
	"No route to host\0"
	"Connection timed out\0"
	"Message too long\0"
	"Too many levels of symbolic links\0"
	"Too many open files\0"
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

	if (c->quiet)
		return status;
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
	if (c->quiet) {
		c->ack[0] = '\0';
		return 1;
	}
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
