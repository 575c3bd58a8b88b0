/*
 * stdout and stderr for the static musl build only (like static/fmt.c).
 * nsbox writes through fmt.c's printf family, fputs, puts, putchar, fputc
 * and fwrite to these two streams and reads input with read(2) (opt.c):
 * musl's FILE machinery (locking, seeking, reading, the exit-time flush of
 * every open FILE, fflush's walk of the open-file list) is ~3 KiB of the
 * binary for that.  Defining the entry points here keeps libc.a's stdio
 * out of the link, as fmt.c does for printf.
 *
 * What nsbox relies on is kept as musl does it: stdout is buffered (1024
 * bytes, BUFSIZ, line by line until setvbuf says otherwise), stderr
 * unbuffered (one write a call, so a message is one write); a failed
 * write sets the error flag, leaves errno as write(2) set it and drops
 * the buffered bytes; fflush returns EOF then.  Nothing flushes at exit:
 * cli/main.c flushes stdout before every exit it makes.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* musl's <stdio.h> leaves struct _IO_FILE incomplete: this is ours */
struct _IO_FILE {
	int fd;
	int mode;		/* _IOFBF, _IOLBF or _IONBF */
	int err;
	size_t len;		/* bytes waiting in buf */
	char *buf;
};

static char outbuf[BUFSIZ];
static FILE out = { 1, _IOLBF, 0, 0, outbuf };
static FILE err = { 2, _IONBF, 0, 0, NULL };
FILE *const stdout = &out;
FILE *const stderr = &err;

/* All of s, or -1 with the error flag set (errno from write(2)). */
static int put(FILE *f, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(f->fd, s, n);

		if (w < 0) {
			f->err = 1;
			return -1;
		}
		s += w;
		n -= w;
	}
	return 0;
}

int fflush(FILE *f)
{
	int r;

	if (!f)
		f = stdout;
	r = put(f, f->buf, f->len);
	f->len = 0;
	return r ? EOF : 0;
}

size_t fwrite(const void *restrict p, size_t size, size_t nmemb, FILE *restrict f)
{
	const char *s = p;
	size_t n = size * nmemb;

	if (!n)
		return 0;
	if (f->mode == _IONBF || f->len + n > BUFSIZ) {
		if (fflush(f))
			return 0;
		if (f->mode == _IONBF || n >= BUFSIZ)
			return put(f, s, n) ? 0 : nmemb;
	}
	memcpy(f->buf + f->len, s, n);
	f->len += n;
	if (f->mode == _IOLBF && memchr(s, '\n', n) && fflush(f))
		return 0;
	return nmemb;
}

int fputs(const char *restrict s, FILE *restrict f)
{
	size_t n = strlen(s);

	return fwrite(s, 1, n, f) == n ? 0 : EOF;
}

int puts(const char *s)
{
	return fputs(s, stdout) || fputc('\n', stdout) == EOF ? EOF : 0;
}

int fputc(int c, FILE *f)
{
	unsigned char ch = (unsigned char)c;

	return fwrite(&ch, 1, 1, f) ? ch : EOF;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int ferror(FILE *f)
{
	return f->err;
}

void clearerr(FILE *f)
{
	f->err = 0;
}

/* Only the mode: stdout's buffer is always outbuf (nsbox passes NULL). */
int setvbuf(FILE *restrict f, char *restrict buf, int mode, size_t size)
{
	(void)buf;
	(void)size;
	if (f->buf || mode == _IONBF)
		f->mode = mode;
	return f->mode == mode ? 0 : -1;
}
