/*
 * host-local's address store, byte for byte the reference plugin's, so a
 * node can switch between the two: DATADIR/NETWORK/ADDRESS holding
 * "CONTAINERID\r\nIFNAME", last_reserved_ip.N (N the range set) holding the
 * address handed out last, and "lock", flock'ed around every operation.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "cni.h"

#define LAST	"last_reserved_ip."
#define TRIES	(1 << 24)	/* a full /64 would otherwise be walked for ever */

int ipam_open(struct ipam *st, const char *dir, const char *net)
{
	char *path = st->path, *p;
	int dfd, lfd, r, ch;

	if (!net[0] || strchr(net, '/') || !strcmp(net, ".") || !strcmp(net, ".."))
		return -EINVAL;
	if ((size_t)fmt_buf(path, sizeof(st->path), "%s/%s", dir, net) >= sizeof(st->path))
		return -ENAMETOOLONG;
	for (p = path + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		ch = (unsigned char)*p;
		*p = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = ch;
		if (!ch)
			break;
	}
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -errno;
	lfd = openat(dfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0 || flock(lfd, LOCK_EX) < 0) {
		r = -errno;
		if (lfd >= 0)
			close(lfd);
		close(dfd);
		return r;
	}
	st->lock = lfd;
	st->dfd = dfd;
	return 0;
}

void ipam_close(struct ipam *st)
{
	close(st->lock);	/* and the flock with it */
	close(st->dfd);
}

/* File name into buf, never through a link; -EFBIG when it holds len - 1
 * bytes or more (nothing is read cut). */
static int readat(int dfd, const char *name, char *buf, size_t len)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len);
	close(fd);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len)
		return -EFBIG;
	/* the reference trims white space around what it reads */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return 0;
}

/* A new file name holding s (O_EXCL: never through a link planted there);
 * on any failure (a full disk: the errno says so) it is not left. */
static int writeat(int dfd, const char *name, const char *s)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	size_t n = strlen(s);
	ssize_t w;
	int r = 0;

	if (fd < 0)
		return -errno;
	w = write(fd, s, n);
	if (w != (ssize_t)n)
		r = w < 0 ? -errno : -ENOSPC;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (r)
		unlinkat(dfd, name, 0);
	return r;
}

/* last_reserved_ip.N replaced whole: written as a new hidden file (walk
 * skips dot files) and renamed over it, so a link planted at the name is
 * replaced, never followed, and a reader sees the old or the new. */
static int replaceat(int dfd, const char *name, const char *s)
{
	char tmp[32];
	int r;

	fmt_buf(tmp, sizeof(tmp), ".%s", name);
	unlinkat(dfd, tmp, 0);	/* one left by a crash: we hold the lock */
	r = writeat(dfd, tmp, s);
	if (!r && renameat(dfd, tmp, dfd, name) < 0) {
		r = -errno;
		unlinkat(dfd, tmp, 0);
	}
	return r;
}

/* The range of the set rs (nr ranges) holding address a, or nr */
static int range_of(const struct cni_range *rs, int nr, const struct nsb_prefix *a)
{
	int i, len = addr_len(a->family);

	for (i = 0; i < nr && (a->family != rs[i].subnet.family ||
			       memcmp(a->addr, rs[i].start, len) < 0 ||
			       memcmp(a->addr, rs[i].end, len) > 0); i++)
		;
	return i;
}

/* The reference's order: on from the address after the last one handed
 * out in this set (or from the first range's start), range after range,
 * round to where it began; gateways skipped. */
static int alloc_set(int dfd, const struct cni_range *rs, int nr, int set,
		     const char *owner, struct cni_ip *out)
{
	int fam = rs[0].subnet.family, len = addr_len(fam), ri = nr - 1, i, r;
	unsigned char cur[16] = { 0 }, stop[16];
	char last[20], name[64];
	struct nsb_prefix p;
	long n;

	fmt_buf(last, sizeof(last), LAST "%d", set);
	memcpy(cur, rs[ri].end, 16);
	if (!readat(dfd, last, name, sizeof(name)) && !addr_parse(name, fam, &p) &&
	    (i = range_of(rs, nr, &p)) < nr) {
		ri = i;
		memcpy(cur, p.addr, 16);
	}
	memcpy(stop, cur, 16);
	for (n = 0; n < TRIES; n++) {
		if (!memcmp(cur, rs[ri].end, len)) {
			ri = (ri + 1) % nr;
			memcpy(cur, rs[ri].start, 16);
		} else {
			for (i = len - 1; i >= 0 && !++cur[i]; i--)
				;
		}
		if (memcmp(cur, rs[ri].gw, len)) {
			addr_ntop(fam, cur, name, sizeof(name));
			r = writeat(dfd, name, owner);
			if (!r) {
				out->addr = rs[ri].subnet;
				memcpy(out->addr.addr, cur, 16);
				out->has_gw = 1;
				memcpy(out->gw, rs[ri].gw, 16);
				out->iface = -1;
				return replaceat(dfd, last, name);
			}
			if (r != -EEXIST)
				return r;
		}
		if (!memcmp(cur, stop, len))
			break;
	}
	return -EADDRINUSE;
}

/* Walk the store: fn(arg, file name, its "ID\r\nIFNAME") for each address,
 * the whole of it (an ID of any length); what cannot be read (a link, a
 * file growing meanwhile) is nobody's to release. */
static int walk(const struct ipam *st, int (*fn)(int, void *, const char *, char *),
		void *arg)
{
	DIR *dir = opendir(st->path);
	int dfd = st->dfd, n = 0;
	struct dirent *d;
	struct stat sb;
	char *buf;

	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, "lock") ||
		    !strncmp(d->d_name, LAST, sizeof(LAST) - 1) ||
		    fstatat(dfd, d->d_name, &sb, AT_SYMLINK_NOFOLLOW) || !S_ISREG(sb.st_mode) ||
		    sb.st_size > (1 << 20) || !(buf = malloc(sb.st_size + 2)))
			continue;
		if (!readat(dfd, d->d_name, buf, sb.st_size + 2))
			n += fn(dfd, arg, d->d_name, buf);
		free(buf);
	}
	closedir(dir);
	return n;
}

struct match {
	const char *id, *ifname;
	int del;
	int (*keep)(const void *, const char *, const char *);
	const void *arg;
};

static int match_one(int dfd, void *data, const char *name, char *owner)
{
	struct match *m = data;
	char *nl = strchr(owner, '\r'), *ifn = nl && nl[1] == '\n' ? nl + 2 : NULL;
	int hit;

	if (nl)
		*nl = '\0';
	/* a file with the ID alone is the older format: any interface */
	hit = m->keep ? !m->keep(m->arg, owner, ifn ? ifn : "") :
	      !strcmp(owner, m->id) && (!ifn || !strcmp(ifn, m->ifname));
	if (hit && m->del && unlinkat(dfd, name, 0) < 0)
		return 0;
	return hit;
}

int ipam_count(const struct ipam *st, const char *id, const char *ifname)
{
	struct match m = { id, ifname, 0, NULL, NULL };

	return walk(st, match_one, &m);
}

int ipam_release(const struct ipam *st, const char *id, const char *ifname,
		 int (*keep)(const void *, const char *, const char *), const void *arg)
{
	struct match m = { id, ifname, 1, keep, arg };

	return walk(st, match_one, &m);
}

int ipam_alloc(const struct ipam *st, const struct cni_conf *c, const char *id, const char *ifname,
	       struct cni_ip *ips, int *at)
{
	int i, q, m, nr, r, left = (1 << c->nreq) - 1;
	const struct cni_range *rs;
	struct cni_range one;
	size_t len = strlen(id) + strlen(ifname) + 3;
	char *owner;

	r = ipam_count(st, id, ifname);
	if (r)
		return r < 0 ? r : -EEXIST;
	owner = malloc(len);
	if (!owner)
		return -ENOMEM;
	fmt_buf(owner, len, "%s\r\n%s", id, ifname);
	for (i = 0; i < c->nsets && !r; i++) {
		rs = c->sets[i];
		nr = c->nsetranges[i];
		/* the first request inside the set (the reference takes any:
		 * its requests are a map), alone: a range of one address, its
		 * gateway still skipped, the last reserved as the reference */
		for (q = 0; q < c->nreq; q++)
			if (left >> q & 1 && (m = range_of(rs, nr, &c->req[q])) < nr) {
				left &= ~(1 << q);
				one = rs[m];
				memcpy(one.start, c->req[q].addr, 16);
				memcpy(one.end, c->req[q].addr, 16);
				ips[i].addr = c->req[q];
				rs = &one;
				nr = 1;
				break;
			}
		*at = i;
		r = alloc_set(st->dfd, rs, nr, i, owner, &ips[i]);
	}
	/* as the reference: requests left over are an error once every set
	 * has its address (its last_reserved_ip.N moved) */
	if (!r && left) {
		*at = __builtin_ctz(left);
		r = -EADDRNOTAVAIL;
	}
	free(owner);
	if (r)
		ipam_release(st, id, ifname, NULL, NULL);
	return r;
}
