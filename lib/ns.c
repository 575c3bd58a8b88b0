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
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
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

int ns_open(const char *netns)
{
	char path[PATH_MAX];
	int fd, r = ns_path(netns, path, sizeof(path));

	if (r)
		return r;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int ns_call(const char *netns, int (*fn)(void *), void *arg)
{
	int nsfd, self = -1, r;

	if (!netns)
		return fn(arg);
	nsfd = ns_open(netns);
	if (nsfd < 0)
		return nsfd;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		r = -errno;
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
 * seen by every mount namespace, whichever of them made the bind. */
static int share_dir(void)
{
	if (mount("", NSB_RUN_NETNS, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NSB_RUN_NETNS, NSB_RUN_NETNS, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	/* private first: the self-bind must not propagate back to its parent */
	if (mount("", NSB_RUN_NETNS, "none", MS_PRIVATE | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", NSB_RUN_NETNS, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

int ns_add(const char *name, int *nsfd)
{
	char path[PATH_MAX];
	int dirfd = -1, fd, self = -1, r, created = 0, mounted = 0;

	*nsfd = -1;
	r = ns_path(name, path, sizeof(path));
	if (r || strchr(name, '/'))
		return -EINVAL;
	if (mkdir(NSB_RUN_NETNS, 0755) < 0 && errno != EEXIST)
		return -errno;
	dirfd = open(NSB_RUN_NETNS, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -errno;
	/* parallel adds at boot once stacked self-binds (Debian #949235) */
	if (flock(dirfd, LOCK_EX) < 0) {
		r = -errno;
		goto out;
	}
	r = share_dir();
	if (r)
		goto out;
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0) {
		r = -errno;
		goto out;
	}
	close(fd);
	created = 1;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		r = -errno;
		goto out;
	}
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
	*nsfd = open(path, O_RDONLY | O_CLOEXEC);
	if (*nsfd < 0)
		r = -errno;
out:
	if (r) {
		if (mounted)
			umount2(path, MNT_DETACH);
		if (created)
			unlink(path);
	}
	if (self >= 0)
		close(self);
	close(dirfd);
	return r;
}

int ns_del(const char *name)
{
	char path[PATH_MAX];
	int r = ns_path(name, path, sizeof(path));

	if (r || strchr(name, '/'))
		return -EINVAL;
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL) {
		/* EINVAL: not mounted (a stale placeholder); still remove it */
		return -errno;
	}
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ns_list(char ***out)
{
	DIR *d = opendir(NSB_RUN_NETNS);
	struct dirent *e;
	size_t n = 0, bytes = 0, i;
	char **v, *p;

	*out = NULL;
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d)))
		if (ns_name_valid(e->d_name)) {
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
		if (ns_name_valid(e->d_name)) {
			v[i++] = p;
			p = stpcpy(p, e->d_name) + 1;
		}
	v[i] = NULL;
	closedir(d);
	qsort(v, i, sizeof(*v), cmp);
	*out = v;
	return i;
}

/* /etc/netns/NAME/ENTRY over /etc/ENTRY, as ip netns exec does. */
static int bind_etc(const char *name)
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
		if (mount(src, dst, "none", MS_BIND, NULL) < 0 && errno != ENOENT && !r)
			r = -errno;
	}
	closedir(d);
	return r;
}

int ns_exec_prepare(const char *netns)
{
	unsigned long flags = 0;
	struct statvfs sv;
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
	/* our mounts (sysfs, /etc binds) must not leak back to the parent */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return -errno;
	/* sysfs shows the namespace of whoever mounted it: mount a fresh one.
	 * An initramfs may have no /sys at all; that is fine. */
	if (statvfs("/sys", &sv) == 0 && (sv.f_flag & ST_RDONLY))
		flags |= MS_RDONLY;
	if (umount2("/sys", MNT_DETACH) == 0 || errno == EINVAL) {
		if (mount(strchr(netns, '/') ? "sysfs" : netns, "/sys", "sysfs", flags, NULL) < 0 &&
		    errno != ENOENT)
			return -errno;
	}
	if (!strchr(netns, '/'))
		r = bind_etc(netns);
	return r;
}
