/* Option scanning without getopt's globals, so batch mode can run any number
 * of applets in one process.  Whole words only, in any order with operands. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "cli.h"

int nsb_opt(struct nsb *c, struct nsb_opts *st, int argc, char **argv,
	    const struct nsb_optdef *defs)
{
	const struct nsb_optdef *d;
	const char *w;

	if (st->i < 1)
		st->i = 1;
	if (st->i >= argc)
		return NSB_OPT_END;
	w = argv[st->i++];
	if (!st->rest && !strcmp(w, "--")) {
		st->rest = 1;
		if (st->i >= argc)
			return NSB_OPT_END;
		w = argv[st->i++];
	}
	if (st->rest || w[0] != '-' || w[1] == '\0') {
		st->arg = w;
		return NSB_OPT_OPERAND;
	}
	for (d = defs; d && d->name; d++) {
		if (strcmp(w, d->name))
			continue;
		/* the second of two values would silently win: refuse both */
		if (st->seen & (1u << (d - defs)))
			return nsb_msg(c, NSB_OPT_USAGE, w, "given twice");
		st->seen |= 1u << (d - defs);
		if (d->has_arg) {
			if (st->i >= argc)
				return nsb_msg(c, NSB_OPT_USAGE, w, "option needs an argument");
			st->arg = argv[st->i++];
		} else {
			st->arg = NULL;
		}
		return d->key;
	}
	return nsb_msg(c, NSB_OPT_USAGE, w, "unknown option");
}

int nsb_split(char *line, char **argv, int max)
{
	char *r = line, *w = line;
	int n = 0;

	for (;;) {
		char q = 0;

		while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
			r++;
		/* '#' opening a word comments out the rest, quotes and all */
		if (!*r || *r == '#')
			break;
		if (n == max - 1)
			return -E2BIG;
		argv[n++] = w;
		/* a word ends at an unquoted blank; quotes may join pieces: a"b c"d */
		while (*r && (q || !(*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r'))) {
			if (q) {
				if (*r == q)
					q = 0;
				else
					*w++ = *r;
			} else if (*r == '"' || *r == '\'') {
				q = *r;
			} else {
				*w++ = *r;
			}
			r++;
		}
		if (q)
			return -EINVAL;
		if (*r)
			r++;
		*w++ = '\0';
	}
	argv[n] = NULL;
	return n;
}

int nsb_ipopts(struct nsb *c, int argc, char **argv, const struct nsb_optdef *defs,
	       struct nsb_ipopts *o, const char **cmd)
{
	struct nsb_opts st = { 0 };
	int k;

	while ((k = nsb_opt(c, &st, argc, argv, defs)) != NSB_OPT_END) {
		switch (k) {
		case NSB_OPT_USAGE:
			return NSB_OPT_USAGE;
		case 'n':
			o->netns = st.arg;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'e':
			o->idem = 1;
			break;
		case 's':
			o->stats = 1;
			break;
		case '4':
		case '6':
			o->family = k == '4' ? AF_INET : AF_INET6;
			break;
		default:	/* the first other word is the command */
			*cmd = st.arg;
			/* CMD -- ARGS: what follows is operands, "-y" included */
			return st.i + (st.i < argc && !strcmp(argv[st.i], "--"));
		}
	}
	return st.i;
}

int nsb_word(const char *w, const char *words)
{
	int i;

	for (i = 0; *words; i++, words += strlen(words) + 1)
		if (!strcmp(w, words))
			return i;
	return -1;
}

int nsb_keyword(struct nsb *c, const char *w, const char *arg, const char *words,
		unsigned int *seen)
{
	int i = nsb_word(w, words);

	if (i < 0)
		return nsb_usage(c, w, "unknown keyword");
	if (*seen & 1u << i)
		return nsb_usage(c, w, "given twice");
	*seen |= 1u << i;
	return arg ? 0 : nsb_usage(c, w, "missing argument");
}

int nsb_netns_arg(struct nsb *c, const char *netns)
{
	if (netns && !strchr(netns, '/') && !ns_name_valid(netns))
		return nsb_usage(c, netns, "invalid namespace name");
	return 0;
}

int nsb_lines_open(struct nsb_lines *l, const char *file)
{
	l->fd = strcmp(file, "-") ? open(file, O_RDONLY | O_CLOEXEC) : 0;
	l->buf = NULL;
	l->len = l->off = l->cap = l->scan = 0;
	l->eof = l->nul = 0;
	return l->fd < 0 ? -errno : 0;
}

/* A line longer than this (16 MiB: four times what the kernel takes in one
 * write to /proc/sys) is -E2BIG, not a buffer grown without end. */
#define LINE_MAX_BYTES (16u << 20)

/* n bytes just read at l->len: a line holding a NUL ends there for every
 * reader (they take C strings), so what follows it up to its '\n' is not
 * kept; /dev/zero or a sparse file then needs no memory at all */
static size_t keep(struct nsb_lines *l, size_t n)
{
	char *p = l->buf + l->len, *z, *nl;

	if (!l->nul) {
		z = memchr(p, '\0', n);
		if (!z)
			return n;
		l->nul = 1;
		n -= z + 1 - p;
		p = z + 1;
	}
	nl = memchr(p, '\n', n);
	if (!nl)
		return p - (l->buf + l->len);
	l->nul = 0;
	memmove(p, nl, n - (nl - p));
	return p - (l->buf + l->len) + n - (nl - p);
}

/* read(2) into one growing buffer: getline would bring stdio's FILE
 * reading (getdelim, fopen, fdopen) into the static binary for three
 * callers, all of which read a file front to back once.  The buffer
 * doubles and each byte is scanned once: a long line costs linear time. */
int nsb_lines_next(struct nsb_lines *l, char **line)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = l->scan < l->len ? memchr(l->buf + l->scan, '\n', l->len - l->scan) : NULL;
		if (nl || (l->eof && l->off < l->len)) {
			if (!nl) {	/* a last line without '\n' */
				nl = l->buf + l->len;
				l->len++;
			}
			*nl = '\0';
			*line = l->buf + l->off;
			l->off = l->scan = nl + 1 - l->buf;
			return 1;
		}
		l->scan = l->len;
		if (l->eof)
			return 0;
		if (l->off) {	/* keep only the unfinished line */
			memmove(l->buf, l->buf + l->off, l->len - l->off);
			l->len -= l->off;
			l->scan -= l->off;
			l->off = 0;
		}
		if (l->cap - l->len < 512) {
			size_t cap = l->cap ? 2 * l->cap : 65536;
			char *b;

			if (l->len > LINE_MAX_BYTES)
				return -E2BIG;
			b = realloc(l->buf, cap);
			if (!b)
				return -ENOMEM;
			l->buf = b;
			l->cap = cap;
		}
		/* one byte stays free for the NUL of a last line without '\n' */
		n = read(l->fd, l->buf + l->len, l->cap - l->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		l->eof = n == 0;
		l->len += keep(l, n);
	}
}

void nsb_lines_close(struct nsb_lines *l)
{
	if (l->fd > 0)
		close(l->fd);
	free(l->buf);
}
