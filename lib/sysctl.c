/* Per-namespace sysctls without spawning: /proc/sys/net belongs to the
 * network namespace of whoever opens the file, and an open fd keeps it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "nsbox.h"

static int open_here(void *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int sysctl_set(const char *netns, const char *path, const char *val,
	       char *old, size_t oldlen)
{
	size_t n = strlen(val);
	int fd = ns_call(netns, open_here, (void *)path), r = 0;
	ssize_t got;

	if (fd < 0)
		return fd;
	if (old && oldlen) {
		got = read(fd, old, oldlen - 1);
		if (got < 0) {
			r = -errno;
			goto out;
		}
		while (got > 0 && old[got - 1] == '\n')
			got--;
		old[got] = '\0';
	}
	got = pwrite(fd, val, n, 0);
	if (got < 0)
		r = -errno;
	else if ((size_t)got != n)
		r = -EIO;
out:
	close(fd);
	return r;
}

static int open_ro(void *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

int sysctl_get(const char *netns, const char *path, char *buf, size_t len)
{
	int fd = ns_call(netns, open_ro, (void *)path);
	ssize_t got;

	if (fd < 0)
		return fd;
	got = read(fd, buf, len - 1);
	close(fd);
	if (got < 0)
		return -errno;
	while (got > 0 && buf[got - 1] == '\n')
		got--;
	buf[got] = '\0';
	return 0;
}
