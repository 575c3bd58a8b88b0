/*
 * Named network namespaces, laid out as iproute2 does: a bind mount of the
 * namespace on /run/netns/NAME, /run/netns itself a shared mount so the
 * binds propagate to other mount namespaces, and every /etc/netns/NAME/ENTRY bound
 * over /etc/ENTRY by nsexec.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <linux/magic.h>
#include <linux/nsfs.h>
#include "nsbox.h"

int ns_path(const char *netns, char *buf, size_t len)
{
	int n;

	if (strchr(netns, '/'))
		n = snprintf(buf, len, "%s", netns);
	else if (ns_name_valid(netns))
		n = snprintf(buf, len, NSB_RUN_NETNS "/%s", netns);
	else
		return -EINVAL;
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

/* What a namespace file is checked for without blocking: a FIFO opened for
 * reading would wait for a writer, a device could act on open.  Names under
 * /run/netns are never followed when they are symbolic links. */
int ns_proc_err(const char *path, int err)
{
	struct stat st;

	return err == -ENOENT && !strncmp(path, "/proc/", 6) && stat("/proc/self", &st) < 0 ?
	       -NSB_ENOPROC : err;
}

static int open_ns(const char *path, int nofollow)
{
	struct stat st;
	struct statfs sf;
	int fd, t;

	if ((nofollow ? lstat(path, &st) : stat(path, &st)) < 0)
		return ns_proc_err(path, -errno);
	if (!S_ISREG(st.st_mode))
		return -NSB_ENOTNS;
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return errno == ELOOP ? -NSB_ENOTNS : -errno;
	/* NS_GET_NSTYPE needs 4.11; before it, any nsfs file passes here and
	 * setns(CLONE_NEWNET) still refuses one of another type */
	t = ioctl(fd, NS_GET_NSTYPE);
	if (t < 0 && errno == ENOTTY && fstatfs(fd, &sf) == 0 && sf.f_type == NSFS_MAGIC)
		t = CLONE_NEWNET;
	if (t != CLONE_NEWNET) {
		close(fd);
		return -NSB_ENOTNS;
	}
	return fd;
}

int ns_open(const char *netns)
{
	char path[PATH_MAX];
	int r = ns_path(netns, path, sizeof(path));

	return r ? r : open_ns(path, !strchr(netns, '/'));
}

int ns_self(void)
{
	return open_ns("/proc/self/ns/net", 0);
}

int ns_call(const char *netns, int (*fn)(void *), void *arg)
{
	int nsfd, self = -1, r;

	if (!netns)
		return fn(arg);
	nsfd = ns_open(netns);
	if (nsfd < 0)
		return nsfd;
	self = ns_self();
	if (self < 0) {
		r = self;
		goto out;
	}
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		r = -errno;
		goto out;
	}
	r = fn(arg);
	/* what fn opened stays in nsfd's namespace; this process must not */
	if (setns(self, CLONE_NEWNET) < 0) {
		if (r >= 0)
			close(r);
		r = -errno;
	}
out:
	if (self >= 0)
		close(self);
	close(nsfd);
	return r;
}

struct sock_args {
	int domain, type, proto;
};

static int sock_here(void *arg)
{
	const struct sock_args *a = arg;
	int fd = socket(a->domain, a->type, a->proto);

	return fd < 0 ? -errno : fd;
}

int ns_socket(const char *netns, int domain, int type, int proto)
{
	struct sock_args a = { domain, type, proto };

	return ns_call(netns, sock_here, &a);
}

/* /run/netns must be a shared mount point so that binds made under it are
 * seen by every mount namespace, whichever of them made the bind.  *bound:
 * whether the self-bind was made here (a failed add takes it back). */
static int share_dir(int *bound)
{
	if (mount("", NSB_RUN_NETNS, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NSB_RUN_NETNS, NSB_RUN_NETNS, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	*bound = 1;
	/* private first: the self-bind must not propagate back to its parent */
	if (mount("", NSB_RUN_NETNS, "none", MS_PRIVATE | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", NSB_RUN_NETNS, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

/* Every change under /run/netns holds one lock, /run/netns itself: parallel
 * adds at boot once stacked self-binds (Debian #949235), and an add racing a
 * delete of one name must find it whole or gone.  *made: mkdir'd here. */
static int lock_dir(int create, int *made)
{
	int fd;

	*made = 0;
	if (create && mkdir(NSB_RUN_NETNS, 0755) == 0)
		*made = 1;
	else if (create && errno != EEXIST)
		return errno == ENOENT ? -NSB_ENORUN : -errno;
	/* /run/netns may be a symbolic link to a directory (as ip netns
	 * takes it); the entries in it are never followed */
	fd = open(NSB_RUN_NETNS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX) < 0) {
		int e = -errno;

		close(fd);
		return e;
	}
	return fd;
}

/* What a crashed add leaves: an empty plain file, nothing mounted on it. */
static int placeholder(int dirfd, const char *path)
{
	struct stat d, st;

	return fstat(dirfd, &d) == 0 && lstat(path, &st) == 0 &&
	       S_ISREG(st.st_mode) && st.st_size == 0 && st.st_dev == d.st_dev;
}

#define CREAT_FLAGS (O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC)

/* Over 60 lines: each step's undo is at out:, in one place
 * NOLINTNEXTLINE(readability-function-size) */
int ns_add(const char *name, int idem, int *nsfd)
{
	char path[PATH_MAX];
	int dirfd, fd, self, r, created = 0, mounted = 0, made = 0, bound = 0;

	*nsfd = -1;
	r = ns_path(name, path, sizeof(path));
	if (r || strchr(name, '/'))
		return -EINVAL;
	/* first, before anything is made: without /proc nothing can be bound */
	self = ns_self();
	if (self < 0)
		return self;
	r = dirfd = lock_dir(1, &made);
	if (r < 0)
		goto out;
	r = share_dir(&bound);
	if (r)
		goto out;
	fd = open(path, CREAT_FLAGS, 0);
	if (fd < 0 && errno == EEXIST && idem) {
		/* -e: exists as asked, a namespace; a placeholder is repaired */
		r = ns_open(name);
		if (r >= 0) {
			close(r);
			r = -EEXIST;
			goto out;
		}
		if (r != -NSB_ENOTNS || !placeholder(dirfd, path))
			goto out;
		unlink(path);
		r = 0;
		fd = open(path, CREAT_FLAGS, 0);
	}
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	close(fd);
	created = 1;
	if (unshare(CLONE_NEWNET) < 0) {
		r = -errno;
		goto out;
	}
	if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0)
		r = -errno;
	else
		mounted = 1;
	if (setns(self, CLONE_NEWNET) < 0 && !r)
		r = -errno;
	if (r)
		goto out;
	*nsfd = ns_open(name);
	if (*nsfd < 0)
		r = *nsfd;
out:
	if (r && mounted)
		umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW);
	if (r && created)
		unlink(path);
	if (r && r != -EEXIST && bound)
		umount2(NSB_RUN_NETNS, MNT_DETACH);
	if (r && r != -EEXIST && made)
		rmdir(NSB_RUN_NETNS);
	if (dirfd >= 0)
		close(dirfd);
	close(self);
	return r;
}

int ns_del(const char *name)
{
	char path[PATH_MAX];
	int dirfd, fd, r, made;

	if (ns_path(name, path, sizeof(path)) || strchr(name, '/'))
		return -EINVAL;
	dirfd = lock_dir(0, &made);
	if (dirfd < 0)
		return dirfd;
	r = fd = ns_open(name);
	if (fd >= 0) {
		close(fd);
		/* never follows: a symlink left here cannot unmount its target */
		r = umount2(path, MNT_DETACH | UMOUNT_NOFOLLOW) < 0 && errno != EINVAL ? -errno : 0;
	} else if (fd == -NSB_ENOTNS && placeholder(dirfd, path)) {
		r = 0;
	}
	if (!r && unlink(path) < 0)
		r = -errno;
	close(dirfd);
	return r;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* listings skip what is not a namespace (a FIFO, a leftover, a symlink) */
static int is_ns(const char *name)
{
	int fd = ns_name_valid(name) ? ns_open(name) : -EINVAL;

	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int ns_list(char ***out)
{
	return ns_list_order(out, 1);
}

int ns_list_order(char ***out, int sorted)
{
	DIR *d = opendir(NSB_RUN_NETNS);
	struct dirent *e;
	size_t n = 0, bytes = 0, i;
	char **v, *p;

	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d)))
		if (is_ns(e->d_name)) {
			n++;
			bytes += strlen(e->d_name) + 1;
		}
	v = malloc((n + 1) * sizeof(*v) + bytes);
	if (!v) {
		closedir(d);
		return -ENOMEM;
	}
	rewinddir(d);
	p = (char *)(v + n + 1);
	i = 0;
	while ((e = readdir(d)) && i < n)
		/* what changed since the count must still fit */
		if (strlen(e->d_name) < bytes - (size_t)(p - (char *)(v + n + 1)) &&
		    is_ns(e->d_name)) {
			v[i++] = p;
			p = stpcpy(p, e->d_name) + 1;
		}
	v[i] = NULL;
	closedir(d);
	if (sorted)
		list_sort(v, i, sizeof(*v), cmp);
	*out = v;
	return i;
}

/* /etc/netns/NAME/ENTRY over /etc/ENTRY, as ip netns exec does.  An ENTRY
 * without /etc/ENTRY is skipped and told to skip(): making the mount point
 * would change the real /etc, which is shared with every namespace. */
static int bind_etc(const char *name, void (*skip)(void *, const char *, const char *),
		    void *arg)
{
	char src[PATH_MAX + NAME_MAX + 2], dst[NAME_MAX + 8], dir[PATH_MAX];
	struct dirent *e;
	DIR *d;
	int r = 0;

	snprintf(dir, sizeof(dir), NSB_ETC_NETNS "/%s", name);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(src, sizeof(src), "%s/%s", dir, e->d_name);
		snprintf(dst, sizeof(dst), "/etc/%s", e->d_name);
		if (mount(src, dst, "none", MS_BIND, NULL) == 0)
			continue;
		if (errno == ENOENT && skip)
			skip(arg, src, dst);
		else if (errno != ENOENT && !r)
			r = -errno;
	}
	closedir(d);
	return r;
}

int ns_exec_prepare(const char *netns, void (*skip)(void *, const char *, const char *),
		    void *arg)
{
	unsigned long flags = 0;
	struct statfs sf;
	int fd = ns_open(netns), r = 0;

	if (fd < 0)
		return fd;
	if (setns(fd, CLONE_NEWNET) < 0)
		r = -errno;
	close(fd);
	if (r)
		return r;
	if (unshare(CLONE_NEWNS) < 0)
		return -errno;
	/* our mounts (sysfs, /etc binds) must not leak back to the parent;
	 * EINVAL: / is no mount point (a plain chroot), so this cannot be made */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return errno == EINVAL ? -NSB_ECHROOT : -errno;
	/* sysfs shows the namespace of whoever mounted it: mount a fresh one.
	 * An initramfs may have no /sys at all; that is fine.  statfs's
	 * f_flags (2.6.36) is where statvfs takes f_flag from. */
	if (statfs("/sys", &sf) == 0 && (sf.f_flags & ST_RDONLY))
		flags |= MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) == 0 || errno == EINVAL) {
		if (mount(strchr(netns, '/') ? "sysfs" : netns, "/sys", "sysfs", flags, NULL) < 0 &&
		    errno != ENOENT)
			return -errno;
	}
	if (!strchr(netns, '/'))
		r = bind_etc(netns, skip, arg);
	return r;
}
