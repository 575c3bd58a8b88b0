/*
 * pingtest's socket work: ICMP and ICMPv6 echo requests and replies over a
 * ping socket (or a raw one), matched to their probes by id, sequence and
 * a per-run cookie, and TCP connect timing.  Never prints: pingtest's
 * output is all in applets/pingtest.c.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/errqueue.h>
#include "nsbox.h"

#define ECHO4		8
#define REPLY4		0
#define ECHO6		128
#define REPLY6		129
#define RAW_ICMP_FILTER	1	/* SOL_RAW: linux/icmp.h clashes with libc headers */
#define RAW_ICMP6_FILTER 1	/* IPPROTO_ICMPV6 */

struct echo {
	uint8_t type, code;
	uint16_t sum, id, seq;
};

uint64_t ping_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static uint16_t cksum(const unsigned char *p, size_t n)
{
	uint32_t s = 0;

	for (; n > 1; p += 2, n -= 2)
		s += p[0] << 8 | p[1];
	if (n)
		s += p[0] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons(~s & 0xffff);
}

int ping_resolve(struct ping *p, const char *host)
{
	struct nsb_prefix a;
	int r = host_lookup(host, AF_UNSPEC, &a);

	if (r)
		return r;
	memset(&p->dst, 0, sizeof(p->dst));
	p->family = a.family;
	if (p->family == AF_INET) {
		p->dst.in.sin_family = AF_INET;
		p->dst.in.sin_port = htons(p->port);
		memcpy(&p->dst.in.sin_addr, a.addr, 4);
		p->dlen = sizeof(p->dst.in);
	} else {
		p->dst.in6.sin6_family = AF_INET6;
		p->dst.in6.sin6_port = htons(p->port);
		memcpy(&p->dst.in6.sin6_addr, a.addr, 16);
		p->dlen = sizeof(p->dst.in6);
	}
	addr_ntop(p->family, a.addr, p->addr, sizeof(p->addr));
	return 0;
}

/* -I: an address is a source to bind to (returns 1), anything else a
 * device name (0), resolved inside the socket's namespace. */
static int bind_iface(struct ping *p, int fd)
{
	struct nsb_prefix a;
	union ping_sa s = { 0 };

	if (!p->iface)
		return 0;
	if (addr_parse(p->iface, AF_UNSPEC, &a))
		return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->iface,
				  strlen(p->iface) + 1) < 0 ? -errno : 0;
	s.sa.sa_family = a.family;
	if (a.family == AF_INET)
		memcpy(&s.in.sin_addr, a.addr, 4);
	else
		memcpy(&s.in6.sin6_addr, a.addr, 16);
	return bind(fd, &s.sa, a.family == AF_INET ? sizeof(s.in) : sizeof(s.in6)) < 0 ?
		-errno : 1;
}

/* A raw socket sees every echo reply of the namespace: only replies pass
 * the kernel's filter. */
static void raw_filter(struct ping *p)
{
	if (p->family == AF_INET) {
		uint32_t mask = ~(1u << REPLY4);

		setsockopt(p->fd, SOL_RAW, RAW_ICMP_FILTER, &mask, sizeof(mask));
	} else {
		uint32_t f[8];

		/* a set bit blocks that type */
		memset(f, 0xff, sizeof(f));
		f[REPLY6 >> 5] &= ~(1u << (REPLY6 & 31));
		setsockopt(p->fd, IPPROTO_ICMPV6, RAW_ICMP6_FILTER, f, sizeof(f));
	}
}

static void sa_ntop(int family, const union ping_sa *a, char *buf)
{
	addr_ntop(family, family == AF_INET ? (const void *)&a->in.sin_addr :
		  (const void *)&a->in6.sin6_addr, buf, INET6_ADDRSTRLEN);
}

/* The ICMP socket, or for TCP a trial one: a bad NETNS or IFACE shows now
 * (each TCP probe makes its own socket). */
static int sock_open(struct ping *p)
{
	int v4 = p->family == AF_INET, proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int lvl = v4 ? IPPROTO_IP : IPPROTO_IPV6, one = 1, fd, e;
	union ping_sa me = { 0 };
	socklen_t len = sizeof(me);

	if (p->port)
		proto = 0;
	fd = ns_socket(p->netns, p->family, (p->port ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC,
		       proto);
	if (fd < 0 && fd != -ENOENT && proto) {
		/* ping sockets need our group in net.ipv4.ping_group_range,
		 * and every new namespace starts with "1 0": nobody */
		fd = ns_socket(p->netns, p->family, SOCK_RAW | SOCK_CLOEXEC, proto);
		p->raw = 1;
	}
	if (fd < 0)
		return fd;
	p->fd = fd;
	e = bind_iface(p, fd);
	p->bound = e;
	if (e < 0 || !proto)
		return e < 0 ? e : 0;
	if (p->raw)
		raw_filter(p);
	/* the TTL (hop limit) of replies; IP_RECVERR: ICMP errors about our
	 * probes wait on the error queue */
	setsockopt(fd, lvl, v4 ? IP_RECVTTL : IPV6_RECVHOPLIMIT, &one, sizeof(one));
	setsockopt(fd, lvl, v4 ? IP_RECVERR : IPV6_RECVERR, &one, sizeof(one));
	one = (int)p->ttl;
	if (one)
		setsockopt(fd, lvl, v4 ? IP_TTL : IPV6_UNICAST_HOPS, &one, sizeof(one));
	/* connected, as iputils connects its probe socket: a missing route
	 * fails now, the route's source is known, and a ping socket gets its
	 * id, its local port (the kernel then hands it only replies with it) */
	if (connect(fd, &p->dst.sa, p->dlen) < 0 || getsockname(fd, &me.sa, &len) < 0)
		return -errno;
	sa_ntop(p->family, &me, p->src);
	/* a raw socket sees every echo reply: our own id (and the cookie)
	 * pick out ours */
	p->id = p->raw ? (getpid() ^ (p->cookie[0] << 8 | p->cookie[1])) & 0xffff :
		ntohs(v4 ? me.in.sin_port : me.in6.sin6_port);
	return 0;
}

int ping_open(struct ping *p)
{
	uint64_t t = ping_now() ^ (uint64_t)getpid() << 32;
	unsigned long i;
	int e;

	memcpy(p->cookie, &t, sizeof(p->cookie));
	e = sock_open(p);
	if (e < 0)
		return e;
	p->rlen = p->size + sizeof(struct echo) + 61;
	p->pkt = malloc(p->size + sizeof(struct echo) + p->rlen);
	if (!p->pkt)
		return -ENOMEM;
	p->rbuf = p->pkt + p->size + sizeof(struct echo);
	for (i = 0; i < p->size; i++)
		p->pkt[sizeof(struct echo) + i] = i < 8 ? p->cookie[i] : i;
	return 0;
}

void ping_close(struct ping *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	free(p->pkt);
	p->pkt = NULL;
}

/* a round trip, counted as iputils counts it: duplicates too */
static void stat_add(struct ping *p, uint64_t us)
{
	if (!p->recv || us < p->tmin)
		p->tmin = us;
	if (us > p->tmax)
		p->tmax = us;
	p->tsum += us;
	p->tsum2 += us * us;
}

int ping_expire(struct ping *p, uint64_t t, int force)
{
	while (p->lo < p->sent) {
		struct ping_probe *pr = &p->ring[p->lo % PING_RING];

		if (pr->state == PING_PENDING) {
			if (!force && t < pr->sent + p->wait * 1000000 &&
			    p->sent - p->lo < PING_RING)
				break;
			pr->state = PING_LOST;
			p->lo++;
			return (pr->num + 1) & 0xffff;
		}
		p->lo++;
	}
	return -1;
}

int ping_send(struct ping *p)
{
	struct ping_probe *pr = &p->ring[p->sent % PING_RING];
	struct echo e = { p->family == AF_INET ? ECHO4 : ECHO6, 0, 0, htons(p->id),
			  htons((p->sent + 1) & 0xffff) };
	size_t len = sizeof(e) + p->size;

	memcpy(p->pkt, &e, sizeof(e));
	/* ping sockets and ICMPv6 get their checksum from the kernel */
	if (p->raw && p->family == AF_INET) {
		e.sum = cksum(p->pkt, len);
		memcpy(p->pkt, &e, sizeof(e));
	}
	pr->num = p->sent++;
	pr->state = PING_PENDING;
	pr->sent = ping_now();
	if (sendto(p->fd, p->pkt, len, 0, &p->dst.sa, p->dlen) < 0) {
		pr->state = PING_LOST;
		return -errno;
	}
	return 0;
}

/* An echo reply of n bytes at b, or (err) the echo request an ICMP error
 * quotes: ours, for a probe not yet settled (a reply: or a duplicate)?
 * Then it is counted and described in rep. */
static int match(struct ping *p, const unsigned char *b, ssize_t n, int err,
		 struct ping_reply *rep)
{
	struct echo e;
	struct ping_probe *pr;
	uint32_t last = p->sent - 1, num;
	int v4 = p->family == AF_INET;
	size_t ck = n - sizeof(e);

	if (n < (ssize_t)sizeof(e) || !p->sent)
		return 0;
	/* the cookie, as far as the packet (or an error's quote) holds it */
	if (ck > p->size)
		ck = p->size;
	memcpy(&e, b, sizeof(e));
	if (e.type != (err ? v4 ? ECHO4 : ECHO6 : v4 ? REPLY4 : REPLY6) || e.code ||
	    ntohs(e.id) != p->id || (!err && (size_t)n != sizeof(e) + p->size) ||
	    memcmp(b + sizeof(e), p->cookie, ck < 8 ? ck : 8))
		return 0;
	/* a raw socket gets the packet before the kernel checks it */
	if (!err && p->raw && v4 && cksum(b, n))
		return 0;
	/* the newest probe whose 16-bit seq is this one */
	num = last - (uint16_t)(last + 1 - ntohs(e.seq));
	pr = &p->ring[num % PING_RING];
	if (num > last || pr->num != num || pr->state == (err ? PING_ANSWERED : PING_LOST))
		return 0;
	rep->seq = ntohs(e.seq);
	/* iputils counts an IPv4 error's probe in its pipe, not an IPv6 one's */
	if (p->sent - num > p->pipe && (v4 || !err))
		p->pipe = p->sent - num;
	if (err) {
		pr->state = PING_LOST;
		p->errs++;
		rep->kind = PING_ICMPERR;
		return 1;
	}
	rep->bytes = n;
	rep->us = (ping_now() - pr->sent) / 1000;
	rep->dup = pr->state == PING_ANSWERED;
	stat_add(p, rep->us);
	if (rep->dup) {
		p->dups++;
	} else {
		pr->state = PING_ANSWERED;
		p->recv++;
	}
	return 1;
}

/* Over 60 lines: one receive: the socket's error queue, control data and each ICMP type a
 * ping or raw socket returns, told apart in one loop
 * NOLINTNEXTLINE(readability-function-size) */
int ping_recv(struct ping *p, struct ping_reply *rep)
{
	for (;;) {
		union ping_sa from;
		const union ping_sa *who = &from;
		union {
			char buf[256];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { p->rbuf, p->rlen };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl) };
		struct cmsghdr *cm;
		const struct sock_extended_err *ee = NULL;
		unsigned char *b = p->rbuf;
		int v4 = p->family == AF_INET;
		ssize_t n = recvmsg(p->fd, &m, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		/* nothing to read (or the error an ICMP error set):
		 * then the error queue */
		if (n < 0)
			n = recvmsg(p->fd, &m, MSG_DONTWAIT | MSG_ERRQUEUE);
		if (n < 0)
			return 0;
		memset(rep, 0, sizeof(*rep));
		rep->ttl = -1;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
			/* the only ones asked for: the types tell them apart */
			if (cm->cmsg_type == (v4 ? IP_TTL : IPV6_HOPLIMIT))
				memcpy(&rep->ttl, CMSG_DATA(cm), sizeof(rep->ttl));
			if (cm->cmsg_type == (v4 ? IP_RECVERR : IPV6_RECVERR))
				ee = (const void *)CMSG_DATA(cm);
		}
		if (m.msg_flags & MSG_ERRQUEUE) {
			if (!ee)
				continue;
			rep->type = ee->ee_type;
			rep->code = ee->ee_code;
			rep->info = ee->ee_info;
			if (ee->ee_origin == SO_EE_ORIGIN_LOCAL) {
				rep->kind = PING_LOCALERR;
				rep->info = ee->ee_errno;
				p->errs++;
				return 1;
			}
			if (ee->ee_origin != (v4 ? SO_EE_ORIGIN_ICMP : SO_EE_ORIGIN_ICMP6) ||
			    !match(p, b, n, 1, rep))
				continue;
			who = (const void *)SO_EE_OFFENDER(ee);
		} else {
			if (p->raw && v4) {
				/* raw ICMPv4 comes with its IP header */
				size_t hl = n > 0 ? (b[0] & 15) * 4 : 0;

				if (hl < 20 || (size_t)n < hl)
					continue;
				b += hl;
				n -= hl;
			}
			if (!match(p, b, n, 0, rep))
				continue;
		}
		sa_ntop(p->family, who, rep->from);
		return 1;
	}
}

int ping_wait(struct ping *p, int fd, short ev, uint64_t until)
{
	uint64_t t = ping_now();
	struct timespec ts = { 0, 0 };
	struct pollfd pfd = { fd, ev, 0 };
	int n;

	if (until > t) {
		ts.tv_sec = (until - t) / 1000000000u;
		ts.tv_nsec = (until - t) % 1000000000u;
	}
	n = ppoll(&pfd, 1, &ts, p->waitmask);
	return n > 0 ? pfd.revents : 0;
}

int ping_tcp(struct ping *p, uint64_t until, uint64_t *us)
{
	uint64_t t0;
	int fd, err = 0, so = 0;
	socklen_t len = sizeof(so);

	p->lo = ++p->sent;
	fd = ns_socket(p->netns, p->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		err = fd;
	else if ((err = bind_iface(p, fd)) > 0)
		err = 0;
	/* the clock starts at connect: making the socket inside NETNS
	 * (two setns) is not the network's time */
	t0 = ping_now();
	if (until > t0 + p->wait * 1000000)
		until = t0 + p->wait * 1000000;
	if (!err && connect(fd, &p->dst.sa, p->dlen) < 0) {
		err = -errno;
		while (err == -EINPROGRESS && !*p->stop && ping_now() < until)
			if (ping_wait(p, fd, POLLOUT, until)) {
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
				err = -so;
			}
		if (err == -EINPROGRESS)
			err = -ETIMEDOUT;
	}
	if (fd >= 0)
		close(fd);
	if (err)
		return err;
	*us = (ping_now() - t0) / 1000;
	stat_add(p, *us);
	p->recv++;
	return 0;
}
