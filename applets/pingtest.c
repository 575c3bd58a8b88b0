/* pingtest [-n NETNS] [-c COUNT] [-i SECONDS] [-W SECONDS] [-w DEADLINE] [-s SIZE]
 *          [-I IFACE] [-q] [-j] [--tcp PORT] HOST
 *
 * ICMP (or ICMPv6) echo to HOST, printed as iputils ping prints it: one line
 * per reply, then "N packets transmitted, M received, L% packet loss, time T"
 * and "rtt min/avg/max/mdev = ...". Runs until COUNT, DEADLINE or SIGINT.
 *   -n NETNS     send from inside NETNS (the socket is made there, no exec)
 *   -c COUNT     send COUNT probes (with -w: stop at COUNT replies)
 *   -i SECONDS   between probes, up to 3 decimals (default 1)
 *   -W SECONDS   wait for each reply (default 10); later ones are lost
 *   -w DEADLINE  stop after DEADLINE seconds, whatever happened (0: never)
 *   -s SIZE      payload bytes (default 56; a reply counts SIZE+8 bytes)
 *   -I IFACE     send through IFACE, or from IFACE when it is an address
 *   -q           only the first line and the summary
 *   -j           one JSON object with jc's ping keys instead; responses[]
 *                has a "reply" or "timeout" per probe (TCP: "unreachable")
 *   --tcp PORT   time a TCP connect per probe instead; refused or no answer
 *                within -W counts as lost
 * HOST is an address or a name (/etc/hosts, DNS). Ping sockets are used
 * where net.ipv4.ping_group_range allows, raw sockets otherwise.
 * Exit 0 when a reply came back, 1 when none did, 2 on usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cli.h"

#define ECHO4		8
#define REPLY4		0
#define ECHO6		128
#define REPLY6		129
#define RAW_ICMP_FILTER	1	/* SOL_RAW: linux/icmp.h clashes with libc headers */
#define RAW_ICMP6_FILTER 1	/* IPPROTO_ICMPV6 */
#define MAX_MS		2147483647UL
#define MAX_SIZE	65507	/* 65535 - IPv4 header - ICMP header */
/* Probes in flight at once; an older one still unanswered counts as lost. */
#define RING		1024

enum { O_N = 2, O_C, O_I, O_BW, O_W, O_S, O_BI, O_Q, O_J, O_TCP };

static const struct nsb_optdef opts[] = {
	{ "-n", O_N, 1 },
	{ "-c", O_C, 1 },
	{ "-i", O_I, 1 },
	{ "-W", O_BW, 1 },
	{ "-w", O_W, 1 },
	{ "-s", O_S, 1 },
	{ "-I", O_BI, 1 },
	{ "-q", O_Q, 0 },
	{ "-j", O_J, 0 },
	{ "--tcp", O_TCP, 1 },
	{ 0 }
};

/* The one mutable global: a signal handler has nowhere else to write.
 * SIGINT is blocked except inside ppoll, so it only lands there; the flag
 * is cleared on the way in and out so batch lines never see a stale one. */
static volatile sig_atomic_t interrupted;

static void on_int(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct echo {
	uint8_t type, code;
	uint16_t sum, id, seq;
};

enum { PENDING, ANSWERED, LOST };

struct probe {
	uint64_t sent;		/* CLOCK_MONOTONIC, ns */
	uint32_t num;
	uint8_t state;
};

union sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_storage ss;
};

struct run {
	struct nsb *c;
	const char *netns, *host, *iface;
	unsigned long count, interval, wait, deadline, size, port;	/* ms */
	int quiet, json, fd, raw, family;
	uint16_t id;
	unsigned char cookie[8];	/* per run: tells our replies from others' */
	union sa dst;
	socklen_t dlen;
	char addr[INET6_ADDRSTRLEN];
	unsigned char *pkt, *rbuf;
	size_t rlen;
	uint32_t sent, recv, dups, lo;	/* lo: oldest probe not yet settled */
	uint64_t start, tmin, tmax, tsum, tsum2;	/* tmin.. in µs */
	sigset_t waitmask;
	struct json j;
	struct probe ring[RING];
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

#define FMT_LEN 32

/* µs as milliseconds with 3 decimals, without printf's floating point */
static char *fmt_us(char *b, uint64_t us)
{
	snprintf(b, FMT_LEN, "%llu.%03llu", (unsigned long long)(us / 1000),
		(unsigned long long)(us % 1000));
	return b;
}

static char *fmt_loss(char *b, uint32_t sent, uint32_t recv)
{
	uint64_t m = sent ? ((uint64_t)(sent - recv) * 100000 + sent / 2) / sent : 0;
	int n = snprintf(b, FMT_LEN, "%llu.%03llu", (unsigned long long)(m / 1000),
			(unsigned long long)(m % 1000));

	while (b[n - 1] == '0')
		b[--n] = '\0';
	if (b[n - 1] == '.')
		b[n - 1] = '\0';
	return b;
}

static uint64_t isqrt(uint64_t v)
{
	uint64_t x = v, y;

	if (v < 2)
		return v;
	y = (x + 1) / 2;
	while (y < x) {
		x = y;
		y = (x + v / x) / 2;
	}
	return x;
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

static int resolve(struct run *r)
{
	struct nsb_prefix p;

	if (host_lookup(r->host, AF_UNSPEC, &p))
		return -1;
	memset(&r->dst, 0, sizeof(r->dst));
	r->family = p.family;
	if (r->family == AF_INET) {
		r->dst.in.sin_family = AF_INET;
		r->dst.in.sin_port = htons(r->port);
		memcpy(&r->dst.in.sin_addr, p.addr, 4);
		r->dlen = sizeof(r->dst.in);
	} else {
		r->dst.in6.sin6_family = AF_INET6;
		r->dst.in6.sin6_port = htons(r->port);
		memcpy(&r->dst.in6.sin6_addr, p.addr, 16);
		r->dlen = sizeof(r->dst.in6);
	}
	addr_ntop(r->family, p.addr, r->addr, sizeof(r->addr));
	return 0;
}

/* -I: an address is a source to bind to (returns 1), anything else a
 * device name (0), resolved inside the socket's namespace. */
static int bind_iface(struct run *r, int fd)
{
	struct nsb_prefix p;
	union sa a = { 0 };

	if (!r->iface)
		return 0;
	if (addr_parse(r->iface, AF_UNSPEC, &p))
		return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, r->iface,
				  strlen(r->iface) + 1) < 0 ? -errno : 0;
	a.sa.sa_family = p.family;
	if (p.family == AF_INET)
		memcpy(&a.in.sin_addr, p.addr, 4);
	else
		memcpy(&a.in6.sin6_addr, p.addr, 16);
	return bind(fd, &a.sa, p.family == AF_INET ? sizeof(a.in) : sizeof(a.in6)) < 0 ?
		-errno : 1;
}

static int icmp_open(struct run *r)
{
	int v4 = r->family == AF_INET, proto = v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int one = 1, fd, e;
	union sa me = { 0 };
	socklen_t len = sizeof(me);

	fd = ns_socket(r->netns, r->family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	if (fd < 0 && fd != -ENOENT) {
		/* ping sockets need our group in net.ipv4.ping_group_range,
		 * and every new namespace starts with "1 0": nobody */
		fd = ns_socket(r->netns, r->family, SOCK_RAW | SOCK_CLOEXEC, proto);
		r->raw = 1;
	}
	if (fd < 0)
		return fd;
	r->fd = fd;
	if (r->raw && v4) {
		uint32_t mask = ~(1u << REPLY4);

		setsockopt(fd, SOL_RAW, RAW_ICMP_FILTER, &mask, sizeof(mask));
	} else if (r->raw) {
		uint32_t f[8];

		/* a set bit blocks that type */
		memset(f, 0xff, sizeof(f));
		f[REPLY6 >> 5] &= ~(1u << (REPLY6 & 31));
		setsockopt(fd, IPPROTO_ICMPV6, RAW_ICMP6_FILTER, f, sizeof(f));
	}
	if (v4)
		setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one, sizeof(one));
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one));
	e = bind_iface(r, fd);
	if (e < 0)
		return e;
	if (r->raw) {
		/* a raw socket sees every echo reply of the namespace: our own
		 * id (and the cookie) pick out ours */
		r->id = (getpid() ^ (r->cookie[0] << 8 | r->cookie[1])) & 0xffff;
		return 0;
	}
	/* a ping socket's id is its local port, chosen by the kernel at bind;
	 * the kernel then hands it only the replies carrying that id */
	if (!e) {
		me.sa.sa_family = r->family;
		if (bind(fd, &me.sa, v4 ? sizeof(me.in) : sizeof(me.in6)) < 0)
			return -errno;
	}
	if (getsockname(fd, &me.sa, &len) < 0)
		return -errno;
	r->id = ntohs(v4 ? me.in.sin_port : me.in6.sin6_port);
	return 0;
}

static void stat_add(struct run *r, uint64_t us)
{
	if (!r->recv || us < r->tmin)
		r->tmin = us;
	if (us > r->tmax)
		r->tmax = us;
	r->tsum += us;
	r->tsum2 += us * us;
	r->recv++;
}

static void json_lost(struct run *r, uint32_t seq, const char *type, int err)
{
	json_open(&r->j, '{');
	json_kstr(&r->j, "type", type);
	json_kint(&r->j, "icmp_seq", seq);
	if (err)
		json_kstr(&r->j, "error", nsb_strerror(err));
	json_close(&r->j, '{');
}

/* Settle probes whose wait is over (all of them with force), oldest first. */
static void expire(struct run *r, uint64_t t, int force)
{
	while (r->lo < r->sent) {
		struct probe *p = &r->ring[r->lo % RING];

		if (p->state == PENDING) {
			if (!force && t < p->sent + r->wait * 1000000 && r->sent - r->lo < RING)
				break;
			p->state = LOST;
			if (r->json)
				json_lost(r, (p->num + 1) & 0xffff, "timeout", 0);
		}
		r->lo++;
	}
}

static void icmp_send(struct run *r)
{
	struct probe *p = &r->ring[r->sent % RING];
	struct echo e = { r->family == AF_INET ? ECHO4 : ECHO6, 0, 0, htons(r->id),
			  htons((r->sent + 1) & 0xffff) };
	size_t len = sizeof(e) + r->size;

	memcpy(r->pkt, &e, sizeof(e));
	/* ping sockets and ICMPv6 get their checksum from the kernel */
	if (r->raw && r->family == AF_INET) {
		e.sum = cksum(r->pkt, len);
		memcpy(r->pkt, &e, sizeof(e));
	}
	p->num = r->sent++;
	p->state = PENDING;
	p->sent = now_ns();
	if (sendto(r->fd, r->pkt, len, 0, &r->dst.sa, r->dlen) < 0) {
		int err = -errno;

		p->state = LOST;
		nsb_fail(r->c, r->host, err);
		if (r->json)
			json_lost(r, (p->num + 1) & 0xffff, "unreachable", err);
	}
}

static void icmp_reply(struct run *r, unsigned char *p, ssize_t n, int ttl,
		       const union sa *from, uint64_t t)
{
	struct echo e;
	struct probe *pr;
	uint32_t last = r->sent - 1, num;
	char ip[INET6_ADDRSTRLEN], ms[FMT_LEN];
	uint64_t us;
	int dup = 0;

	if (n < (ssize_t)sizeof(e) || !r->sent)
		return;
	memcpy(&e, p, sizeof(e));
	if (e.type != (r->family == AF_INET ? REPLY4 : REPLY6) || e.code ||
	    ntohs(e.id) != r->id || (size_t)n != sizeof(e) + r->size ||
	    memcmp(p + sizeof(e), r->cookie, r->size < 8 ? r->size : 8))
		return;
	/* a raw socket gets the packet before the kernel checks it */
	if (r->raw && r->family == AF_INET && cksum(p, n))
		return;
	/* the newest probe whose 16-bit seq is this one */
	num = last - (uint16_t)(last + 1 - ntohs(e.seq));
	if (num > last)
		return;
	pr = &r->ring[num % RING];
	if (pr->num != num || pr->state == LOST)
		return;
	us = (t - pr->sent) / 1000;
	if (pr->state == ANSWERED) {
		dup = 1;
		r->dups++;
	} else {
		pr->state = ANSWERED;
		stat_add(r, us);
	}
	inet_ntop(r->family, r->family == AF_INET ? (const void *)&from->in.sin_addr :
		  (const void *)&from->in6.sin6_addr, ip, sizeof(ip));
	if (r->json) {
		json_open(&r->j, '{');
		json_kstr(&r->j, "type", "reply");
		json_kint(&r->j, "bytes", n);
		json_kstr(&r->j, "response_ip", ip);
		json_kint(&r->j, "icmp_seq", ntohs(e.seq));
		if (ttl >= 0)
			json_kint(&r->j, "ttl", ttl);
		json_kraw(&r->j, "time_ms", fmt_us(ms, us));
		json_key(&r->j, "duplicate");
		json_bool(&r->j, dup);
		json_close(&r->j, '{');
	} else if (!r->quiet) {
		printf("%zd bytes from %s: icmp_seq=%u", n, ip, ntohs(e.seq));
		if (ttl >= 0)
			printf(" ttl=%d", ttl);
		printf(" time=%s ms%s\n", fmt_us(ms, us), dup ? " (DUP!)" : "");
		fflush(stdout);
	}
}

static void icmp_recv(struct run *r)
{
	for (;;) {
		union sa from;
		union {
			char buf[128];
			struct cmsghdr align;
		} ctl;
		struct iovec iov = { r->rbuf, r->rlen };
		struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
				    .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl) };
		struct cmsghdr *cm;
		unsigned char *p = r->rbuf;
		ssize_t n = recvmsg(r->fd, &m, MSG_DONTWAIT);
		int ttl = -1;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return;
		for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm))
			if ((cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_TTL) ||
			    (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_HOPLIMIT))
				memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		if (r->raw && r->family == AF_INET) {
			/* raw ICMPv4 comes with its IP header */
			size_t hl = n > 0 ? (p[0] & 15) * 4 : 0;

			if (hl < 20 || (size_t)n < hl)
				continue;
			p += hl;
			n -= hl;
		}
		icmp_reply(r, p, n, ttl, &from, now_ns());
	}
}

/* Wait for fd (or just time, fd < 0) until t ns; SIGINT ends the wait. */
static int wait_until(struct run *r, int fd, short ev, uint64_t until)
{
	uint64_t t = now_ns();
	struct timespec ts = { 0, 0 };
	struct pollfd pfd = { fd, ev, 0 };
	int n;

	if (until > t) {
		ts.tv_sec = (until - t) / 1000000000u;
		ts.tv_nsec = (until - t) % 1000000000u;
	}
	n = ppoll(&pfd, 1, &ts, &r->waitmask);
	return n > 0 ? pfd.revents : 0;
}

static void tcp_probe(struct run *r)
{
	uint32_t seq = ++r->sent;
	uint64_t t0, until;
	int fd, err = 0, so = 0;
	socklen_t len = sizeof(so);
	char ms[FMT_LEN];

	r->lo = r->sent;
	fd = ns_socket(r->netns, r->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		err = fd;
	else if ((err = bind_iface(r, fd)) > 0)
		err = 0;
	/* the clock starts at connect: making the socket inside NETNS
	 * (two setns) is not the network's time */
	t0 = now_ns();
	until = t0 + r->wait * 1000000;
	if (r->deadline && until > r->start + r->deadline * 1000000)
		until = r->start + r->deadline * 1000000;
	if (!err && connect(fd, &r->dst.sa, r->dlen) < 0) {
		err = -errno;
		while (err == -EINPROGRESS && !interrupted && now_ns() < until)
			if (wait_until(r, fd, POLLOUT, until)) {
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &len);
				err = -so;
			}
		if (err == -EINPROGRESS)
			err = -ETIMEDOUT;
	}
	if (fd >= 0)
		close(fd);
	if (!err) {
		uint64_t us = (now_ns() - t0) / 1000;

		stat_add(r, us);
		if (r->json) {
			json_open(&r->j, '{');
			json_kstr(&r->j, "type", "reply");
			json_kstr(&r->j, "response_ip", r->addr);
			json_kint(&r->j, "port", r->port);
			json_kint(&r->j, "icmp_seq", seq);
			json_kraw(&r->j, "time_ms", fmt_us(ms, us));
			json_close(&r->j, '{');
		} else if (!r->quiet) {
			printf(r->family == AF_INET ? "connected to %s:%lu: seq=%u time=%s ms\n" :
			       "connected to [%s]:%lu: seq=%u time=%s ms\n",
			       r->addr, r->port, seq, fmt_us(ms, us));
			fflush(stdout);
		}
	} else if (r->json) {
		json_lost(r, seq, err == -ETIMEDOUT ? "timeout" : "unreachable", err);
	} else if (!r->quiet) {
		printf(r->family == AF_INET ? "no connection to %s:%lu: seq=%u: %s\n" :
		       "no connection to [%s]:%lu: seq=%u: %s\n",
		       r->addr, r->port, seq, nsb_strerror(err));
		fflush(stdout);
	}
}

static void loop(struct run *r)
{
	uint64_t next = r->start, t;

	for (;;) {
		uint64_t until = UINT64_MAX, end = r->start + r->deadline * 1000000;
		int may_send;

		t = now_ns();
		if (interrupted || (r->deadline && t >= end))
			break;
		expire(r, t, 0);
		if (r->count && (r->deadline ? r->recv >= r->count :
				 r->sent >= r->count && r->lo == r->sent))
			break;
		/* as iputils: with a deadline, COUNT is replies, not probes */
		may_send = !r->count || r->sent < r->count || r->deadline;
		if (may_send && t >= next) {
			if (r->port)
				tcp_probe(r);
			else
				icmp_send(r);
			next += r->interval * 1000000;
			/* after a stall, carry on at the interval rather than burst */
			if (next < t)
				next = t;
			continue;
		}
		if (may_send)
			until = next;
		if (r->lo < r->sent && r->ring[r->lo % RING].sent + r->wait * 1000000 < until)
			until = r->ring[r->lo % RING].sent + r->wait * 1000000;
		if (r->deadline && end < until)
			until = end;
		/* POLLERR too: reading clears a pending socket error, which
		 * would otherwise wake every wait until the next reply */
		if (wait_until(r, r->port ? -1 : r->fd, POLLIN, until))
			icmp_recv(r);
	}
	expire(r, t, 1);
}

static void summary(struct run *r, uint64_t elapsed_ms)
{
	char a[FMT_LEN], b[FMT_LEN], c[FMT_LEN], d[FMT_LEN];
	uint64_t avg = r->recv ? r->tsum / r->recv : 0;
	uint64_t sq = r->recv ? r->tsum2 / r->recv : 0;
	uint64_t mdev = isqrt(sq > avg * avg ? sq - avg * avg : 0);

	if (r->json) {
		json_close(&r->j, '[');
		json_kint(&r->j, "packets_transmitted", r->sent);
		json_kint(&r->j, "packets_received", r->recv);
		json_kraw(&r->j, "packet_loss_percent", fmt_loss(a, r->sent, r->recv));
		json_kint(&r->j, "duplicates", r->dups);
		json_kint(&r->j, "time_ms", elapsed_ms);
		json_kraw(&r->j, "round_trip_ms_min", r->recv ? fmt_us(a, r->tmin) : "null");
		json_kraw(&r->j, "round_trip_ms_avg", r->recv ? fmt_us(a, avg) : "null");
		json_kraw(&r->j, "round_trip_ms_max", r->recv ? fmt_us(a, r->tmax) : "null");
		json_kraw(&r->j, "round_trip_ms_stddev", r->recv ? fmt_us(a, mdev) : "null");
		json_close(&r->j, '{');
		return;
	}
	printf("\n--- %s ping statistics ---\n%u packets transmitted, %u received, ",
	       r->host, r->sent, r->recv);
	if (r->dups)
		printf("+%u duplicates, ", r->dups);
	printf("%s%% packet loss, time %llums\n", fmt_loss(a, r->sent, r->recv),
	       (unsigned long long)elapsed_ms);
	if (r->recv)
		printf("rtt min/avg/max/mdev = %s/%s/%s/%s ms\n", fmt_us(a, r->tmin),
		       fmt_us(b, avg), fmt_us(c, r->tmax), fmt_us(d, mdev));
}

static void header(struct run *r)
{
	if (r->json) {
		json_open(&r->j, '{');
		json_kstr(&r->j, "destination_ip", r->addr);
		json_kstr(&r->j, "destination", r->host);
		if (r->port)
			json_kint(&r->j, "port", r->port);
		else
			json_kint(&r->j, "data_bytes", r->size);
		json_key(&r->j, "responses");
		json_open(&r->j, '[');
	} else if (r->port) {
		printf("PING %s (%s) TCP port %lu.\n", r->host, r->addr, r->port);
	} else if (r->family == AF_INET) {
		printf("PING %s (%s) %lu(%lu) bytes of data.\n", r->host, r->addr,
		       r->size, r->size + 28);
	} else {
		printf("PING %s(%s) %lu data bytes\n", r->host, r->addr, r->size);
	}
	fflush(stdout);
}

static int parse(struct nsb *c, struct run *r, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	int k, e;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		const char *a = st.arg, *bad = NULL;

		switch (k) {
		case NSB_OPT_USAGE:
			return 2;
		case O_N:
			r->netns = a;
			if (!strchr(a, '/') && !ns_name_valid(a))
				bad = "invalid namespace name";
			break;
		case O_C:
			if (num_parse(a, 1, MAX_MS, &r->count))
				bad = "invalid count";
			break;
		case O_I:
			if (msec_parse(a, 0, MAX_MS, &r->interval))
				bad = "invalid interval";
			break;
		case O_BW:
			if (msec_parse(a, 1, MAX_MS, &r->wait))
				bad = "invalid timeout";
			break;
		case O_W:
			if (msec_parse(a, 0, MAX_MS, &r->deadline))
				bad = "invalid deadline";
			break;
		case O_S:
			if (num_parse(a, 0, MAX_SIZE, &r->size))
				bad = "invalid packet size";
			break;
		case O_BI:
			r->iface = a;
			e = addr_parse(a, AF_UNSPEC, &(struct nsb_prefix){ 0 });
			if (e && !ifname_valid(a))
				bad = "invalid interface name";
			break;
		case O_Q:
			r->quiet = 1;
			break;
		case O_J:
			r->json = 1;
			break;
		case O_TCP:
			if (num_parse(a, 1, 65535, &r->port))
				bad = "invalid port";
			break;
		default:
			if (r->host)
				bad = "unexpected argument";
			r->host = a;
		}
		if (bad)
			return nsb_usage(c, a, bad);
	}
	if (!r->host)
		return nsb_usage(c, "HOST", "missing operand");
	return 0;
}

int pingtest_main(struct nsb *c, int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	struct sigaction sa = { .sa_handler = on_int }, old;
	sigset_t block, oldmask;
	struct timespec zero = { 0, 0 };
	uint64_t t;
	unsigned long i;
	int ret, e;

	if (!r)
		return nsb_fail(c, "pingtest", -ENOMEM);
	r->c = c;
	r->fd = -1;
	r->interval = 1000;
	r->wait = 10000;
	r->size = 56;
	ret = parse(c, r, argc, argv);
	if (ret)
		goto out;
	if (resolve(r)) {
		ret = nsb_usage(c, r->host, "unknown host");
		goto out;
	}
	if (r->iface && !addr_parse(r->iface, r->family == AF_INET ? AF_INET6 : AF_INET,
				   &(struct nsb_prefix){ 0 })) {
		ret = nsb_usage(c, r->iface, "source and destination differ in address family");
		goto out;
	}
	t = now_ns() ^ (uint64_t)getpid() << 32;
	memcpy(r->cookie, &t, sizeof(r->cookie));
	if (r->port) {
		/* each probe makes its own socket; find a bad NETNS or IFACE now */
		e = ns_socket(r->netns, r->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (e >= 0) {
			r->fd = e;
			e = bind_iface(r, e);
		}
	} else {
		e = icmp_open(r);
	}
	if (e < 0) {
		const char *subj = r->host;

		if ((e == -ENOENT || e == -NSB_ENOTNS) && r->netns)
			subj = r->netns;
		else if (r->iface && (e == -ENODEV || e == -EADDRNOTAVAIL || e == -EINVAL))
			subj = r->iface;
		ret = nsb_fail(c, subj, e);
		goto out;
	}
	if (r->port) {
		close(r->fd);
		r->fd = -1;
	}
	r->rlen = r->size + sizeof(struct echo) + 61;
	r->pkt = malloc(r->size + sizeof(struct echo) + r->rlen);
	if (!r->pkt) {
		ret = nsb_fail(c, r->host, -ENOMEM);
		goto out;
	}
	r->rbuf = r->pkt + r->size + sizeof(struct echo);
	for (i = 0; i < r->size; i++)
		r->pkt[sizeof(struct echo) + i] = i < 8 ? r->cookie[i] : i;

	/* SIGINT ends the run with the summary. It stays blocked except inside
	 * ppoll, so no ^C falls between the check and the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	interrupted = 0;
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	sigaction(SIGINT, &sa, &old);
	r->waitmask = oldmask;
	sigdelset(&r->waitmask, SIGINT);

	header(r);
	r->start = now_ns();
	loop(r);
	summary(r, (now_ns() - r->start) / 1000000);

	/* a ^C that came after the last wait was meant for this run too */
	while (sigtimedwait(&block, NULL, &zero) == SIGINT)
		;
	sigaction(SIGINT, &old, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	interrupted = 0;
	ret = r->recv ? 0 : 1;
out:
	if (r->fd >= 0)
		close(r->fd);
	free(r->pkt);
	free(r);
	return ret;
}
