/* pingtest [-n NETNS] [-c COUNT] [-i SECONDS] [-W SECONDS] [-w DEADLINE] [-s SIZE]
 *          [-t TTL] [-I IFACE] [-q] [-j] [--tcp PORT] HOST
 *
 * ICMP (or ICMPv6) echo to HOST, printed line for line as iputils ping
 * prints it: replies ("(DUP!)"), ICMP errors ("From ROUTER icmp_seq=N ..."),
 * the summary (+N errors; time: to the last probe). Runs until COUNT,
 * DEADLINE (or an error within it) or SIGINT.
 *   -n NETNS     send from inside NETNS (the socket is made there, no exec)
 *   -c COUNT     send COUNT probes (with -w: stop at COUNT replies)
 *   -i SECONDS   between probes, up to 3 decimals (default 1)
 *   -W SECONDS   wait for each reply (default 10); later ones are lost
 *   -w DEADLINE  stop after DEADLINE seconds, whatever happened (0: never)
 *   -s SIZE      payload bytes (default 56; a reply counts SIZE+8 bytes)
 *   -t TTL       IP time to live (IPv6 hop limit)
 *   -I IFACE     send through IFACE, or from IFACE when it is an address
 *   -q           only the first line and the summary
 *   -j           one JSON object with jc's ping keys instead; responses[]
 *                has a "reply", "timeout", "error" or "unreachable" per probe
 *   --tcp PORT   time a TCP connect per probe instead; refused or no answer
 *                within -W counts as lost
 * HOST is an address or a name (/etc/hosts, DNS). Ping sockets are used
 * where net.ipv4.ping_group_range allows, raw sockets otherwise.
 * Exit 0 when a reply came back, 1 when none did, 2 on usage.
 */
/* Over 500 lines: iputils ping's output, line for line, for ICMP, ICMPv6 and
 * TCP probes; the probes themselves are lib/ping.c. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include "cli.h"

#define MAX_MS		2147483647UL
#define MAX_SIZE	65507	/* 65535 - IPv4 header - ICMP header */

enum { O_NETNS = NSB_OPT_KEY, O_COUNT, O_INTERVAL, O_TIMEOUT, O_DEADLINE, O_SIZE,
       O_TTL, O_IFACE, O_QUIET, O_JSON, O_TCP };

static const struct nsb_optdef opts[] = {
	{ "-n", O_NETNS, 1 },
	{ "-c", O_COUNT, 1 },
	{ "-i", O_INTERVAL, 1 },
	{ "-W", O_TIMEOUT, 1 },
	{ "-w", O_DEADLINE, 1 },
	{ "-s", O_SIZE, 1 },
	{ "-t", O_TTL, 1 },
	{ "-I", O_IFACE, 1 },
	{ "-q", O_QUIET, 0 },
	{ "-j", O_JSON, 0 },
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

struct run {
	struct nsb *c;
	const char *host;
	unsigned long count, interval, deadline;	/* ms */
	int quiet, json;
	uint64_t start, last;	/* ns: the run's start, its last probe */
	sigset_t waitmask;
	struct json j;
	struct ping p;		/* lib/ping.c's sockets, probes and counts */
};

/* Output: every line pingtest prints, text or JSON, is made below. */

#define FMT_LEN 32

/* v / 10^d with d decimals, without printf's floating point; d 0: no point */
static char *fmt_fix(char *b, uint64_t v, int d)
{
	uint64_t f = 1;
	int n;

	for (n = d; n > 0; n--)
		f *= 10;
	n = snprintf(b, FMT_LEN, "%llu.%0*llu", (unsigned long long)(v / f), d,
		     (unsigned long long)(v % f));
	if (!d)
		b[n - 2] = '\0';
	return b;
}

/* µs as milliseconds with 3 decimals */
#define fmt_us(b, us) fmt_fix(b, us, 3)

/* a reply's time as ping shows it: 3 significant decimals at most, rounded
 * (0.052, 1.05, 10.5, 105) */
static char *fmt_rtt(char *b, uint64_t us)
{
	uint64_t u = 1;
	int d = 3;

	while (d && us + u / 2 >= 1000 * u) {
		u *= 10;
		d--;
	}
	return fmt_fix(b, (us + u / 2) / u, d);
}

/* The loss percentage as ping prints it: a float (its exact value is
 * num / den), %g: 6 significant digits, halves to even.  The same text
 * up to 10^6 probes (a smaller loss is where %g turns to "1e-05"). */
static char *fmt_loss(char *b, uint32_t sent, uint32_t recv)
{
	float x = sent ? (float)((double)(sent - recv) * 100 / sent) : 0;
	uint32_t bits;
	uint64_t num, den, f = 1, q, r;
	int d = 6, n;

	memcpy(&bits, &x, sizeof(bits));
	num = bits ? (bits & 0x7fffff) | 0x800000 : 0;
	/* 17 to 47 for a loss from 100% down to 1e-7%; the mask is for x 0 */
	den = 1ULL << ((150 - (bits >> 23)) & 63);
	for (q = num / den; q; q /= 10)
		d--;
	for (r = num * 10; r && r < den; r *= 10)
		d++;	/* 0.0123: leading zeros are not significant */
	for (n = d; n > 0; n--)
		f *= 10;
	q = num * f / den;
	r = num * f % den;
	if (2 * r > den || (2 * r == den && q % 2))
		q++;
	n = strlen(fmt_fix(b, q, d));
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

static void json_lost(struct run *r, uint32_t seq, const char *type, int err)
{
	json_open(&r->j, '{');
	json_kstr(&r->j, "type", type);
	json_kint(&r->j, "icmp_seq", seq);
	if (err)
		json_kstr(&r->j, "error", nsb_strerror(err));
	json_close(&r->j, '{');
}

/* ICMP errors as iputils words them (its pr_icmph and print_icmp).  A
 * byte below 16 in these texts stands for the word it numbers (from 1). */
static const char words[] =
	"Destination \0 Unreachable\0Host\0Net\0 for Type of Service\0Prohibited\0"
	" exceeded\0, Bad Code: %u\0Parameter problem: \0Packet too big: mtu=%u\0"
	" at %u\0Precedence \0Unknown\0Time\0\001unreachable: ";
static const char texts[] =
	/* IPv4 */
	"\001\004\002\0\001\003\002\0\001Protocol\002\0\001Port\002\0"
	"Frag needed and DF set (mtu = %u)\0Source Route Failed\0"
	"\001\004 \015\0\001\003 \015\0Source \003 Isolated\0\001\004 \006\0\001\003 \006\0"
	"\001\004\002\005\0\001\003\002\005\0Packet filtered\0\014Violation\0\014Cutoff\0"
	"Dest\002\010\0"
	"\016 to live\007\0Frag reassembly time\007\0\016\007\010\0"
	"Source Quench\0\011pointer = %u\0Bad ICMP type: %u\0"
	/* IPv6 */
	"\017No route\0\017Administratively prohibited\0\017Beyond scope of source address\0"
	"\017Address unreachable\0\017Port unreachable\0\017\015 code %u\0"
	"\012\0\012, code=%u\0"
	"\016\007: Hop limit\0\016\007: Defragmentation failure\0\016\007: code %u\0"
	"\011Wrong header field\013\0\011\015 header\013\0\011\015 option\013\0\011code %u\013\0"
	"unknown icmp type: %u\0";
/* Per ICMP type (| 0x80: ICMPv6): how many codes have a text, and the
 * first; the text after them is for any other code (code, then info). A
 * type not here gets its family's last text. */
static const unsigned char types[][3] = {
	{ 3, 16, 0 }, { 11, 2, 17 }, { 4, 0, 20 }, { 12, 0, 21 },
	{ 0x81, 5, 23 }, { 0x82, 1, 29 }, { 0x83, 2, 31 }, { 0x84, 3, 34 },
};

/* the n-th of the \0-separated strings in list */
static const char *nth(const char *list, unsigned int n)
{
	while (n--)
		list += strlen(list) + 1;
	return list;
}

static char *expand(char *b, const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 16)
			b = expand(b, nth(words, *s - 1));
		else
			*b++ = *s;
	*b = '\0';
	return b;
}

static void icmp_text(char *b, size_t len, int v4, const struct ping_reply *e)
{
	unsigned int t = e->type < 128 ? e->type | (v4 ? 0 : 0x80) : 0;
	unsigned int c = e->code, x = e->info, y = c;
	unsigned int k = v4 ? 22 : 38, i;
	char f[64];

	for (i = 0; i < sizeof(types) / sizeof(types[0]) && types[i][0] != t; i++)
		;
	if (i == sizeof(types) / sizeof(types[0]))
		x = e->type;
	else if (c < types[i][1] || !types[i][1])
		k = types[i][2] + (types[i][1] ? c : 0);
	else if ((k = types[i][2] + types[i][1]) != 30)
		x = c, y = e->info;	/* any other code: its number first */
	expand(f, nth(texts, k));
	snprintf(b, len, f, x, y);
}

static void show_header(struct run *r)
{
	const struct ping *p = &r->p;
	int v4 = p->family == AF_INET;

	if (r->json) {
		json_open(&r->j, '{');
		json_kstr(&r->j, "destination_ip", p->addr);
		json_kstr(&r->j, "destination", r->host);
		if (p->port)
			json_kint(&r->j, "port", p->port);
		else
			json_kint(&r->j, "data_bytes", p->size);
		json_key(&r->j, "responses");
		json_open(&r->j, '[');
	} else if (p->port) {
		printf("PING %s (%s) TCP port %lu.\n", r->host, p->addr, p->port);
	} else {
		printf(v4 ? "PING %s (%s) " : "PING %s(%s) ", r->host, p->addr);
		/* -I: the route's source, and the device when it was one */
		if (p->iface)
			printf("from %s %s: ", p->src, p->bound ? "" : p->iface);
		printf(v4 ? "%lu(%lu) bytes of data.\n" : "%lu data bytes\n", p->size,
		       p->size + 28);
	}
	fflush(stdout);
}

/* A reply, or an ICMP error (a local one, as ping, on stderr) */
static void show_reply(struct run *r, const struct ping_reply *e)
{
	char ms[FMT_LEN], why[64];
	int err = e->kind == PING_ICMPERR;

	if (e->kind == PING_LOCALERR) {
		if (!r->quiet || r->json)
			nsb_fail(r->c, r->host, -(int)e->info);
		return;
	}
	if (err)
		icmp_text(why, sizeof(why), r->p.family == AF_INET, e);
	if (r->json) {
		json_open(&r->j, '{');
		json_kstr(&r->j, "type", err ? "error" : "reply");
		if (!err)
			json_kint(&r->j, "bytes", e->bytes);
		json_kstr(&r->j, "response_ip", e->from);
		json_kint(&r->j, "icmp_seq", e->seq);
		if (err) {
			json_kstr(&r->j, "error", why);
		} else {
			if (e->ttl >= 0)
				json_kint(&r->j, "ttl", e->ttl);
			json_kraw(&r->j, "time_ms", fmt_us(ms, e->us));
			json_key(&r->j, "duplicate");
			json_bool(&r->j, e->dup);
		}
		json_close(&r->j, '{');
		return;
	}
	if (r->quiet)
		return;
	if (err) {
		printf("From %s icmp_seq=%u %s\n", e->from, e->seq, why);
	} else {
		printf("%zd bytes from %s: icmp_seq=%u", e->bytes, e->from, e->seq);
		if (e->ttl >= 0)
			printf(" ttl=%d", e->ttl);
		/* ping times a reply by the timestamp in its first 16 bytes */
		if (r->p.size >= 16)
			printf(" time=%s ms", fmt_rtt(ms, e->us));
		printf("%s\n", e->dup ? " (DUP!)" : "");
	}
	fflush(stdout);
}

/* An echo request the kernel refused to send. */
static void show_unsent(struct run *r, int err)
{
	nsb_fail(r->c, r->host, err);
	if (r->json)
		json_lost(r, r->p.sent & 0xffff, "unreachable", err);
}

static void show_lost(struct run *r, int seq)
{
	if (r->json)
		json_lost(r, seq, "timeout", 0);
}

/* One TCP probe: connected after us, or err. */
static void show_tcp(struct run *r, int err, uint64_t us)
{
	const struct ping *p = &r->p;
	char ms[FMT_LEN];

	if (!err && r->json) {
		json_open(&r->j, '{');
		json_kstr(&r->j, "type", "reply");
		json_kstr(&r->j, "response_ip", p->addr);
		json_kint(&r->j, "port", p->port);
		json_kint(&r->j, "icmp_seq", p->sent);
		json_kraw(&r->j, "time_ms", fmt_us(ms, us));
		json_close(&r->j, '{');
	} else if (!err && !r->quiet) {
		printf(p->family == AF_INET ? "connected to %s:%lu: seq=%u time=%s ms\n" :
		       "connected to [%s]:%lu: seq=%u time=%s ms\n",
		       p->addr, p->port, p->sent, fmt_us(ms, us));
		fflush(stdout);
	} else if (err && r->json) {
		json_lost(r, p->sent, err == -ETIMEDOUT ? "timeout" : "unreachable", err);
	} else if (err && !r->quiet) {
		printf(p->family == AF_INET ? "no connection to %s:%lu: seq=%u: %s\n" :
		       "no connection to [%s]:%lu: seq=%u: %s\n",
		       p->addr, p->port, p->sent, nsb_strerror(err));
		fflush(stdout);
	}
}

static void show_summary(struct run *r, uint64_t elapsed_ms)
{
	const struct ping *p = &r->p;
	char a[FMT_LEN], b[FMT_LEN], c[FMT_LEN], d[FMT_LEN];
	/* as ping: duplicates' round trips count in the mean and deviation,
	 * worked out in its order (its integer rounding shows) */
	uint64_t n = p->recv + p->dups, avg = n ? p->tsum / n : 0;
	uint64_t mdev = !n ? 0 : isqrt(p->tsum < 2147483647 ? (p->tsum2 - p->tsum * p->tsum / n) / n :
				       p->tsum2 / n - avg * avg);
	const char *sep = "";

	if (r->json) {
		json_close(&r->j, '[');
		json_kint(&r->j, "packets_transmitted", p->sent);
		json_kint(&r->j, "packets_received", p->recv);
		json_kraw(&r->j, "packet_loss_percent", fmt_loss(a, p->sent, p->recv));
		json_kint(&r->j, "duplicates", p->dups);
		json_kint(&r->j, "errors", p->errs);
		json_kint(&r->j, "time_ms", elapsed_ms);
		json_kraw(&r->j, "round_trip_ms_min", p->recv ? fmt_us(a, p->tmin) : "null");
		json_kraw(&r->j, "round_trip_ms_avg", p->recv ? fmt_us(a, avg) : "null");
		json_kraw(&r->j, "round_trip_ms_max", p->recv ? fmt_us(a, p->tmax) : "null");
		json_kraw(&r->j, "round_trip_ms_stddev", p->recv ? fmt_us(a, mdev) : "null");
		json_close(&r->j, '{');
		return;
	}
	printf("\n--- %s ping statistics ---\n%u packets transmitted, %u received",
	       r->host, p->sent, p->recv);
	if (p->dups)
		printf(", +%u duplicates", p->dups);
	if (p->errs)
		printf(", +%u errors", p->errs);
	if (p->sent)
		printf(", %s%% packet loss, time %llums", fmt_loss(a, p->sent, p->recv),
		       (unsigned long long)elapsed_ms);
	printf("\n");
	/* the last line: round trips, pipe, or (as ping) empty */
	if (p->recv && (p->port || p->size >= 16)) {
		printf("rtt min/avg/max/mdev = %s/%s/%s/%s ms", fmt_us(a, p->tmin),
		       fmt_us(b, avg), fmt_us(c, p->tmax), fmt_us(d, mdev));
		sep = ", ";
	}
	if (p->pipe > 1)
		printf("%spipe %u", sep, p->pipe);
	printf("\n");
}

/* The run: probes every interval until COUNT, DEADLINE or SIGINT. */

static void expire(struct run *r, uint64_t t, int force)
{
	int seq;

	while ((seq = ping_expire(&r->p, t, force)) >= 0)
		show_lost(r, seq);
}

static void probe(struct run *r)
{
	struct ping *p = &r->p;
	uint64_t us = 0;
	int e;

	r->last = ping_now();
	if (p->port) {
		e = ping_tcp(p, r->deadline ? r->start + r->deadline * 1000000 : UINT64_MAX,
			     &us);
		show_tcp(r, e, us);
	} else if ((e = ping_send(p)) < 0) {
		show_unsent(r, e);
	}
}

static void loop(struct run *r)
{
	struct ping *p = &r->p;
	struct ping_reply rep;
	uint64_t next = r->start, t, linger = UINT64_MAX;

	for (;;) {
		uint64_t until = UINT64_MAX, end = r->start + r->deadline * 1000000;
		int may_send;

		t = ping_now();
		/* as ping: a deadline ends at the first error too */
		if (interrupted || (r->deadline && (t >= end || p->errs)) || t >= linger)
			break;
		expire(r, t, 0);
		if (r->count && (p->recv + p->errs >= r->count ||
				 (!r->deadline && p->sent >= r->count && p->lo == p->sent)))
			break;
		/* as iputils: with a deadline, COUNT is replies, not probes */
		may_send = !r->count || p->sent < r->count || r->deadline;
		/* after the last probe ping waits twice the longest round
		 * trip (at least an interval) when something answered */
		if (!may_send && linger == UINT64_MAX && p->recv && !p->port) {
			linger = p->tmax * 2000 > r->interval * 1000000 ?
				p->tmax * 2000 : r->interval * 1000000;
			linger += r->last;
			continue;
		}
		if (may_send && t >= next) {
			probe(r);
			next += r->interval * 1000000;
			/* after a stall, carry on at the interval rather than burst */
			if (next < t)
				next = t;
			continue;
		}
		if (may_send)
			until = next;
		if (p->lo < p->sent && p->ring[p->lo % PING_RING].sent + p->wait * 1000000 < until)
			until = p->ring[p->lo % PING_RING].sent + p->wait * 1000000;
		if (r->deadline && end < until)
			until = end;
		if (linger < until)
			until = linger;
		/* POLLERR too: reading clears a pending socket error, which
		 * would otherwise wake every wait until the next reply */
		if (ping_wait(p, p->port ? -1 : p->fd, POLLIN, until))
			while (ping_recv(p, &rep))
				show_reply(r, &rep);
	}
	expire(r, t, 1);
}

/* Options */

static const char *option(struct run *r, int k, const char *a)
{
	switch (k) {
	case O_NETNS:
		r->p.netns = a;
		return NULL;
	case O_COUNT:
		return num_parse(a, 1, MAX_MS, &r->count) ? "invalid count" : NULL;
	case O_INTERVAL:
		return msec_parse(a, 0, MAX_MS, &r->interval) ? "invalid interval" : NULL;
	case O_TIMEOUT:
		return msec_parse(a, 1, MAX_MS, &r->p.wait) ? "invalid timeout" : NULL;
	case O_DEADLINE:
		return msec_parse(a, 0, MAX_MS, &r->deadline) ? "invalid deadline" : NULL;
	case O_SIZE:
		return num_parse(a, 0, MAX_SIZE, &r->p.size) ? "invalid packet size" : NULL;
	case O_TTL:
		return num_parse(a, 1, 255, &r->p.ttl) ? "invalid TTL" : NULL;
	case O_IFACE:
		r->p.iface = a;
		return addr_parse(a, AF_UNSPEC, &(struct nsb_prefix){ 0 }) && !ifname_valid(a) ?
			"invalid interface name" : NULL;
	case O_QUIET:
		r->quiet = 1;
		return NULL;
	case O_JSON:
		r->json = 1;
		return NULL;
	case O_TCP:
		return num_parse(a, 1, 65535, &r->p.port) ? "invalid port" : NULL;
	}
	if (r->host)
		return "unexpected argument";
	r->host = a;
	return NULL;
}

static int parse(struct nsb *c, struct run *r, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	int k;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		const char *bad;

		if (k == NSB_OPT_USAGE || (k == O_NETNS && nsb_netns_arg(c, st.arg)))
			return 2;
		bad = option(r, k, st.arg);
		if (bad)
			return nsb_usage(c, st.arg, bad);
	}
	if (!r->host)
		return nsb_usage(c, "HOST", "missing operand");
	return 0;
}

/* The socket's error, said about what caused it. */
static int open_fail(struct run *r, int e)
{
	const char *subj = r->host;

	if ((e == -ENOENT || e == -NSB_ENOTNS) && r->p.netns)
		subj = r->p.netns;
	else if (r->p.iface && (e == -ENODEV || e == -EADDRNOTAVAIL || e == -EINVAL))
		subj = r->p.iface;
	return nsb_fail(r->c, subj, e);
}

/* SIGINT ends the run with the summary. It stays blocked except inside
 * ppoll, so no ^C falls between the check and the wait. */
static int run(struct run *r)
{
	struct sigaction sa = { .sa_handler = on_int }, old;
	struct timespec zero = { 0, 0 };
	sigset_t block, oldmask;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	interrupted = 0;
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	sigaction(SIGINT, &sa, &old);
	r->waitmask = oldmask;
	sigdelset(&r->waitmask, SIGINT);

	show_header(r);
	r->start = r->last = ping_now();
	loop(r);
	/* as ping: the time is the last probe's, rounded to the ms */
	show_summary(r, (r->last - r->start + 500000) / 1000000);

	/* a ^C that came after the last wait was meant for this run too */
	while (sigtimedwait(&block, NULL, &zero) == SIGINT)
		;
	sigaction(SIGINT, &old, NULL);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	interrupted = 0;
	return r->p.recv ? 0 : 1;
}

int pingtest_main(struct nsb *c, int argc, char **argv)
{
	struct run *r = calloc(1, sizeof(*r));
	int ret, e;

	if (!r)
		return nsb_fail(c, "pingtest", -ENOMEM);
	r->c = c;
	r->p.fd = -1;
	r->interval = 1000;
	r->p.wait = 10000;
	r->p.size = 56;
	r->p.waitmask = &r->waitmask;
	r->p.stop = &interrupted;
	ret = parse(c, r, argc, argv);
	if (ret)
		goto out;
	if (ping_resolve(&r->p, r->host)) {
		ret = nsb_usage(c, r->host, "unknown host");
		goto out;
	}
	if (r->p.iface && !addr_parse(r->p.iface, r->p.family == AF_INET ? AF_INET6 : AF_INET,
				     &(struct nsb_prefix){ 0 })) {
		ret = nsb_usage(c, r->p.iface, "source and destination differ in address family");
		goto out;
	}
	e = ping_open(&r->p);
	ret = e < 0 ? open_fail(r, e) : run(r);
out:
	ping_close(&r->p);
	free(r);
	return ret;
}
