/*
 * All netlink I/O.  Sockets are opened inside the target namespace (setns
 * in, socket, setns back: a socket keeps the namespace it was made in) and
 * cached per (namespace, protocol) for the whole invocation or batch.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <linux/netlink.h>
#include "nsbox.h"

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

static struct mnl_socket *open_here(int proto)
{
	struct mnl_socket *nl = mnl_socket_open2(proto, SOCK_CLOEXEC);
	int one = 1;
	/* a reply the kernel owes us never takes seconds; a lost one must not hang */
	struct timeval tv = { .tv_sec = 10 };

	if (!nl)
		return NULL;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return nl;
}

/* A socket leaves the cache, and what nft.c knew of its namespace with it. */
static void sock_drop(struct nsb_sock *s)
{
	mnl_socket_close(s->nl);
	nft_cache_free(s->nft);
	s->nft = NULL;
}

static int cache_put(struct nsb *c, struct mnl_socket *nl, int proto,
		     dev_t dev, ino_t ino, struct mnl_socket **out)
{
	struct nsb_sock *s;

	if (c->nsocks == NSB_MAX_SOCKS) {
		/* drop the oldest: batch files may visit many namespaces */
		sock_drop(&c->socks[0]);
		memmove(c->socks, c->socks + 1, sizeof(c->socks[0]) * (NSB_MAX_SOCKS - 1));
		c->nsocks--;
	}
	s = &c->socks[c->nsocks++];
	s->nl = nl;
	s->proto = proto;
	s->dev = dev;
	s->ino = ino;
	s->nft = NULL;
	*out = nl;
	return 0;
}

static struct mnl_socket *cache_get(struct nsb *c, int proto, dev_t dev, ino_t ino)
{
	int i;

	for (i = 0; i < c->nsocks; i++)
		if (c->socks[i].proto == proto && c->socks[i].dev == dev &&
		    c->socks[i].ino == ino)
			return c->socks[i].nl;
	return NULL;
}

int nl_sock_fd(struct nsb *c, int nsfd, int proto, struct mnl_socket **out)
{
	struct mnl_socket *nl;
	struct stat st;
	int self, r = 0;

	if (fstat(nsfd, &st) < 0)
		return -errno;
	nl = cache_get(c, proto, st.st_dev, st.st_ino);
	if (nl) {
		*out = nl;
		return 0;
	}
	self = ns_self();
	if (self < 0)
		return self;
	if (setns(nsfd, CLONE_NEWNET) < 0) {
		r = -errno;
		goto out;
	}
	nl = open_here(proto);
	if (!nl)
		r = -errno;
	if (setns(self, CLONE_NEWNET) < 0 && !r)
		r = -errno;	/* cannot happen with a valid fd; never stay inside */
	if (r) {
		if (nl)
			mnl_socket_close(nl);
		goto out;
	}
	r = cache_put(c, nl, proto, st.st_dev, st.st_ino, out);
out:
	close(self);
	return r;
}

int nl_sock(struct nsb *c, const char *netns, int proto, struct mnl_socket **out)
{
	struct mnl_socket *nl;
	int fd, r;

	if (!netns) {
		nl = cache_get(c, proto, 0, 0);
		if (!nl) {
			nl = open_here(proto);
			if (!nl)
				return -errno;
			cache_put(c, nl, proto, 0, 0, &nl);
		}
		*out = nl;
		return 0;
	}
	fd = ns_open(netns);
	if (fd < 0)
		return fd;
	r = nl_sock_fd(c, fd, proto, out);
	close(fd);
	return r;
}

void nl_forget(struct nsb *c, const char *netns)
{
	char path[4096];
	struct stat st;
	int i;

	if (ns_path(netns, path, sizeof(path)) || lstat(path, &st) < 0)
		return;
	for (i = 0; i < c->nsocks; ) {
		if (c->socks[i].dev == st.st_dev && c->socks[i].ino == st.st_ino) {
			sock_drop(&c->socks[i]);
			memmove(c->socks + i, c->socks + i + 1,
				sizeof(c->socks[0]) * (c->nsocks - i - 1));
			c->nsocks--;
		} else {
			i++;
		}
	}
}

struct nft_cache **nl_nft_cache(struct nsb *c, struct mnl_socket *nl)
{
	int i;

	for (i = 0; i < c->nsocks; i++)
		if (c->socks[i].nl == nl)
			return &c->socks[i].nft;
	return NULL;
}

unsigned int nl_seq(struct nsb *c)
{
	if (!c->seq)
		c->seq = (unsigned int)getpid() << 8;
	return ++c->seq;
}

void nsb_free(struct nsb *c)
{
	int i;

	for (i = 0; i < c->nsocks; i++)
		sock_drop(&c->socks[i]);
	c->nsocks = 0;
	free(c->buf);
	c->buf = NULL;
	c->bufsz = 0;
}

/* Receive one datagram of any size, only from the kernel (nl_pid 0).
 * flags MSG_DONTWAIT: -EAGAIN when nothing is queued. */
static ssize_t recv_kernel(struct nsb *c, struct mnl_socket *nl, int flags)
{
	int fd = mnl_socket_get_fd(nl);

	for (;;) {
		struct sockaddr_nl from;
		struct iovec iov;
		struct msghdr msg = { .msg_name = &from, .msg_namelen = sizeof(from),
				      .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (c->bufsz < 32768) {
			char *b = realloc(c->buf, 32768);

			if (!b)
				return -ENOMEM;
			c->buf = b;
			c->bufsz = 32768;
		}
		iov.iov_base = c->buf;
		iov.iov_len = c->bufsz;
		n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC | flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno == EAGAIN && !flags ? -ETIMEDOUT : -errno;
		}
		if ((size_t)n > c->bufsz) {
			char *b = realloc(c->buf, n);

			if (!b)
				return -ENOMEM;
			c->buf = b;
			c->bufsz = n;
			continue;
		}
		iov.iov_base = c->buf;
		iov.iov_len = c->bufsz;
		msg.msg_namelen = sizeof(from);
		n = recvmsg(fd, &msg, 0);
		if (n < 0)
			return -errno;
		if (msg.msg_namelen != sizeof(from) || from.nl_pid != 0)
			continue;	/* not the kernel: ignore it */
		return n;
	}
}

static int ack_attr(const struct nlattr *a, void *data)
{
	struct nsb *c = data;

	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0) {
		const char *s = mnl_attr_get_str(a);
		size_t n = strlen(s);

		while (n && s[n - 1] == '\n')
			n--;
		if (n >= sizeof(c->ack))
			n = sizeof(c->ack) - 1;
		memcpy(c->ack, s, n);
		c->ack[n] = '\0';
	}
	return MNL_CB_OK;
}

/* A request starts with no error text. */
static void ack_clear(struct nsb *c)
{
	c->ack[0] = '\0';
	c->ack_err = 0;
}

/* NLMSG_ERROR: on failure keep the kernel's extended-ack text with the
 * error it explains, then report. */
static int on_error(const struct nlmsghdr *nlh, void *data)
{
	struct nsb *c = *(struct nsb **)data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	errno = e->error < 0 && e->error > -4096 ? -e->error : EPROTO;
	c->ack_err = -errno;
	c->ack_run = c->run;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (off <= mnl_nlmsg_get_payload_len(nlh))
			mnl_attr_parse(nlh, off, ack_attr, c);
	}
	errno = -c->ack_err;
	return MNL_CB_ERROR;
}

struct relay {
	struct nsb *c;		/* first: on_error reads it */
	mnl_cb_t cb;
	void *data;
	int done;		/* STOP seen */
};

static int relay_data(const struct nlmsghdr *nlh, void *data)
{
	struct relay *r = data;

	return r->cb ? r->cb(nlh, r->data) : MNL_CB_OK;
}

static int relay_done(const struct nlmsghdr *nlh, void *data)
{
	struct relay *r = data;
	int e;

	r->done = 1;
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(e)) {
		memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
		if (e < 0) {
			errno = e > -4096 ? -e : EPROTO;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

static int relay_error(const struct nlmsghdr *nlh, void *data)
{
	struct relay *r = data;
	int v = on_error(nlh, data);

	if (v == MNL_CB_STOP)
		r->done = 1;
	return v;
}

static const mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
	[NLMSG_ERROR] = relay_error,
	[NLMSG_DONE] = relay_done,
};

/* Whether a datagram holds the end (DONE or an error) of dump seq. */
static int dump_end(const void *buf, int len, unsigned int seq)
{
	const struct nlmsghdr *h = buf;

	for (; mnl_nlmsg_ok(h, len); h = mnl_nlmsg_next(h, &len))
		if (h->nlmsg_seq == seq &&
		    (h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR))
			return 1;
	return 0;
}

/* Read replies to seq until an ACK/DONE/error.  On EINTR (NLM_F_DUMP_INTR)
 * r->done tells whether the dump's end was in the same datagram: the
 * kernel puts NLMSG_DONE after the last rules when it fits. */
static int run(struct nsb *c, struct mnl_socket *nl, unsigned int seq,
	       struct relay *r)
{
	unsigned int portid = mnl_socket_get_portid(nl);

	for (;;) {
		ssize_t n = recv_kernel(c, nl, 0);
		int v;

		if (n < 0)
			return n;
		errno = 0;
		v = mnl_cb_run2(c->buf, n, seq, portid, relay_data, r, (mnl_cb_t *)ctl, NLMSG_MIN_TYPE);
		if (v == MNL_CB_ERROR) {
			v = errno ? errno : EPROTO;
			if (v == EINTR)
				r->done = dump_end(c->buf, n, seq);
			return -v;
		}
		if (v == MNL_CB_STOP)
			return 0;
	}
}

int nl_talk(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh,
	    mnl_cb_t cb, void *data)
{
	struct relay r = { c, cb, data, 0 };

	ack_clear(c);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = nl_seq(c);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return run(c, nl, nlh->nlmsg_seq, &r);
}

int nl_dump(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh,
	    mnl_cb_t cb, void *data, void (*reset)(void *))
{
	struct relay r = { c, cb, data, 0 };
	int tries, v = -EINTR;

	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_DUMP;
	for (tries = 0; tries < 8 && v == -EINTR; tries++) {
		ack_clear(c);
		if (tries && reset)
			reset(data);
		nlh->nlmsg_seq = nl_seq(c);
		if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
			return -errno;
		r.done = 0;
		v = run(c, nl, nlh->nlmsg_seq, &r);
		/* drain the rest of the interrupted dump before redoing it */
		while (v == -EINTR && !r.done) {
			ssize_t n = recv_kernel(c, nl, 0);

			if (n < 0)
				return n;
			r.done = dump_end(c->buf, n, nlh->nlmsg_seq);
		}
	}
	return v;
}

int nl_batch(struct nsb *c, struct mnl_socket *nl, const void *buf, size_t len,
	     int nacks, mnl_cb_t cb, void *data)
{
	unsigned int portid = mnl_socket_get_portid(nl);
	struct relay r = { c, NULL, NULL, 0 };
	struct nsb scratch = { 0 };
	int first = 0;

	ack_clear(c);
	if (mnl_socket_sendto(nl, buf, len) < 0)
		return -errno;
	/* nfnetlink runs the whole batch inside sendto and every reply is
	 * queued when it returns.  After an error, what is not queued never
	 * comes: a batch refused at BATCH_BEGIN (ERESTART for a stale
	 * NFNL_BATCH_GENID) gets that one error, for the BEGIN's seq. */
	while (nacks > 0) {
		ssize_t n = recv_kernel(c, nl, first ? MSG_DONTWAIT : 0);
		const struct nlmsghdr *h = (const void *)c->buf;
		int left = n;

		if (n < 0)
			return first ? first : n;
		for (; mnl_nlmsg_ok(h, left); h = mnl_nlmsg_next(h, &left)) {
			if (h->nlmsg_type != NLMSG_ERROR) {
				if (cb && !first)
					cb(h, data);	/* echoes of a commit: cannot undo it */
				continue;
			}
			nacks--;
			errno = 0;
			if (mnl_cb_run2(h, h->nlmsg_len, 0, portid, NULL, &r, (mnl_cb_t *)ctl,
					NLMSG_MIN_TYPE) == MNL_CB_ERROR && !first) {
				first = -(errno ? errno : EPROTO);
				/* keep the first error's text */
				r.c = &scratch;
			}
		}
	}
	return first;
}
