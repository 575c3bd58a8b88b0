/*
 * Host names: a literal address, else /etc/hosts, as musl's resolver reads
 * it.  musl's getaddrinfo brings the whole DNS stub resolver (~20 KiB, a
 * fifth of the binary's budget) for names that namespace test beds keep in
 * /etc/hosts; `make DNS=1` adds getaddrinfo as a fallback for the rest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <arpa/inet.h>
#include "nsbox.h"

#define HOSTS_MAX (1 << 20)

static int blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

/* the first entry in file order naming name, of the wanted family */
static int from_hosts(const char *name, int family, struct nsb_prefix *p)
{
	char *buf = malloc(HOSTS_MAX + 1), *line, *next;
	ssize_t n, len = 0;
	int fd = open("/etc/hosts", O_RDONLY | O_CLOEXEC), r = -ENOENT;

	if (!buf || fd < 0)
		goto out;
	while (len < HOSTS_MAX && (n = read(fd, buf + len, HOSTS_MAX - len)) > 0)
		len += n;
	buf[len] = '\0';
	for (line = buf; line && r; line = next) {
		char *w, *addr;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		w = strchr(line, '#');
		if (w)
			*w = '\0';
		while (blank(*line))
			line++;
		addr = line;
		while (*line && !blank(*line))
			line++;
		if (!*line)
			continue;
		*line++ = '\0';
		if (addr_parse(addr, family, p))
			continue;
		while (*line) {
			while (blank(*line))
				line++;
			w = line;
			while (*line && !blank(*line))
				line++;
			if (*line)
				*line++ = '\0';
			if (*w && !strcmp(w, name)) {
				r = 0;
				break;
			}
		}
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

int host_lookup(const char *name, int family, struct nsb_prefix *p)
{
	if (addr_parse(name, family, p) == 0)
		return 0;
	if (from_hosts(name, family, p) == 0)
		return 0;
#ifdef NSB_DNS
	{
		struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_DGRAM }, *res;

		if (getaddrinfo(name, NULL, &hints, &res) == 0) {
			memset(p, 0, sizeof(*p));
			p->family = res->ai_family;
			if (p->family == AF_INET) {
				memcpy(p->addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
				p->plen = 32;
			} else {
				memcpy(p->addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
				p->plen = 128;
			}
			freeaddrinfo(res);
			return 0;
		}
	}
#endif
	return -ENOENT;
}
