/* Per-namespace sysctls without spawning: /proc/sys/net belongs to the
 * network namespace of whoever opens the file, and an open fd keeps it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "nsbox.h"

static int open_ro(void *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int open_wo(void *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int sysctl_get(const char *netns, const char *path, char *buf, size_t len)
{
	int fd = ns_call(netns, open_ro, (void *)path);
	ssize_t got;

	if (fd < 0)
		return ns_proc_err(path, fd);
	got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0)
		return -errno;
	while (got > 0 && buf[got - 1] == '\n')
		got--;
	buf[got] = '\0';
	return 0;
}

int sysctl_write(const char *netns, const char *path, const char *val)
{
	size_t n = strlen(val);
	int fd = ns_call(netns, open_wo, (void *)path), r = 0;
	ssize_t got;

	if (fd < 0)
		return ns_proc_err(path, fd);
	got = write(fd, val, n);
	if (got < 0)
		r = -errno;
	else if ((size_t)got != n)
		r = -EIO;
	close(fd);
	return r;
}

/* Read first and write only when the value must change: a container's
 * /proc/sys is read-only, and a value already right needs no writing. */
int sysctl_set(const char *netns, const char *path, const char *val,
	       char *old, size_t oldlen)
{
	char cur[32];
	int r = sysctl_get(netns, path, cur, sizeof(cur));

	if (r)
		return r;
	if (old && oldlen)
		fmt_buf(old, oldlen, "%s", cur);
	return strcmp(cur, val) ? sysctl_write(netns, path, val) : 0;
}
