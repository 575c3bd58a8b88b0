/*
 * The CNI protocol (spec 1.0.0 and 1.1.0, results also in the 0.3.0, 0.3.1
 * and 0.4.0 shapes) for nsbox called as bridge, host-local, portmap or
 * loopback: the environment, the configuration on stdin, the result or the
 * spec's error object on stdout, delegation to an IPAM plugin, and the
 * per-attachment nf_tables rules (comment "PLUGIN NET ID IFNAME ...").
 * Over 500 lines: the protocol's every verb and both result shapes, which
 * every plugin shares.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/netlink.h>
#include "cniplug.h"

#define IN_MAX	(1 << 20)
/* the spec versions, oldest first */
enum { V0_3_0, V0_3_1, V0_4_0, V1_0_0, V1_1_0, NVERS };
static const char versions[NVERS][6] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0" };
static const char *const ops[CNI_NOPS] = { "ADD", "DEL", "CHECK", "GC", "STATUS" };

int cni_err(struct cni *k, int code, const char *details, const char *fmt, ...)
{
	va_list ap;

	if (k->err.code)
		return -1;
	k->err.code = code;
	va_start(ap, fmt);
	fmt_vbuf(k->err.msg, sizeof(k->err.msg), fmt, ap);
	va_end(ap);
	fmt_buf(k->err.details, sizeof(k->err.details), "%s", details ? details : "");
	return -1;
}

int cni_fail(struct cni *k, const char *what, int err)
{
	return cni_err(k, 999, k->c->ack, "%s: %s", what, nsb_strerror(err));
}

int cni_comment(struct cni *k, char *buf, const char *what)
{
	if ((size_t)fmt_buf(buf, NFT_COMMENT_MAX, "%s %s %s %s %s", k->plugin, k->conf->name,
			     k->id, k->ifname, what) < NFT_COMMENT_MAX)
		return 0;
	return cni_err(k, 7, NULL, "network name and container ID too long for a rule comment");
}

/* A growing buffer of what a descriptor gave, NUL-terminated, at most
 * IN_MAX bytes: 1 it took what read() returned, 0 end of file, -errno
 * (-EFBIG: more than IN_MAX, -EAGAIN: nothing there yet). */
struct buf {
	char *b;
	size_t n, cap;
};

static int take(struct buf *s, int fd)
{
	ssize_t r;

	if (s->cap - s->n < 2) {
		size_t cap = s->cap ? s->cap * 2 : 4096;
		char *nb;

		if (s->cap > IN_MAX)
			return -EFBIG;
		nb = realloc(s->b, cap);
		if (!nb)
			return -ENOMEM;	/* s as it was: nothing read past it */
		s->b = nb;
		s->cap = cap;
	}
	r = read(fd, s->b + s->n, s->cap - s->n - 1);
	if (r < 0)
		return errno == EINTR ? 1 : -errno;
	s->n += r;
	s->b[s->n] = '\0';
	return r ? s->n > IN_MAX ? -EFBIG : 1 : 0;
}

/* Read all of fd into a malloc'd, NUL-terminated buffer; -errno. */
static int slurp(int fd, struct buf *s)
{
	int r;

	while ((r = take(s, fd)) > 0)
		;
	return s->b ? r : -ENOMEM;
}

/* A plugin from CNI_PATH, as libcni finds one: the first regular file of
 * that name (a directory or a device named so is passed over). */
static int find(struct cni *k, const char *type, char *path)
{
	const char *p = k->path, *e;
	struct stat st;

	if (!type[0] || strchr(type, '/'))
		return cni_err(k, 7, type, "invalid plugin type");
	for (; p && *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		if (e > p && fmt_buf(path, PATH_MAX, "%.*s/%s", (int)(e - p), p, type) < PATH_MAX &&
		    !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK))
			return 0;
	}
	return cni_err(k, 999, k->path, "failed to find plugin \"%s\" in path", type);
}

/* Our stdin to the child (fd w) and its stdout (fd rd) read, at once:
 * a child that stops reading or never starts cannot stop us (EPIPE ends
 * the writing; SIGPIPE is ignored meanwhile), nor one that writes more
 * than it should (IN_MAX: -EFBIG); on any error it is killed. */
static int talk(struct cni *k, pid_t pid, int w, int rd, struct buf *out)
{
	struct pollfd p[2] = { { rd, POLLIN, 0 }, { w, POLLOUT, 0 } };
	size_t off = 0;
	ssize_t n;
	int r = 1;

	fcntl(w, F_SETFL, O_NONBLOCK);
	fcntl(rd, F_SETFL, O_NONBLOCK);
	while (r > 0) {
		if (poll(p, 2, -1) < 0) {
			r = errno == EINTR ? 1 : -errno;
			continue;
		}
		if (p[1].revents) {
			n = write(w, k->in + off, k->inlen - off);
			if (n > 0)
				off += n;
			/* all of it, or the child is done with its stdin */
			if (off == k->inlen || (n < 0 && errno != EAGAIN && errno != EINTR)) {
				close(w);
				p[1].fd = w = -1;
			}
		}
		if (p[0].revents && (r = take(out, rd)) == -EAGAIN)
			r = 1;
	}
	if (w >= 0)
		close(w);
	if (r < 0)
		kill(pid, SIGKILL);	/* no reader left: it must not hang on */
	return r;
}

/* Over 60 lines: the delegated plugin's pipes, environment, child and bounded read, with
 * their undoing in one place
 * NOLINTNEXTLINE(readability-function-size) */
int cni_exec(struct cni *k, const char *type, const char *cmd, struct cni_result *res)
{
	char path[PATH_MAX], cc[32], **e;
	char *argv[] = { (char *)type, NULL };
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;
	int in[2], po[2], st = 0, r = -1, t = 0;
	struct buf out = { 0 };
	struct cj j = { 0 };
	pid_t pid;

	if (find(k, type, path))
		return -1;
	if (pipe2(in, O_CLOEXEC) < 0)
		return cni_fail(k, "pipe", -errno);
	if (pipe2(po, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return cni_fail(k, "pipe", -errno);
	}
	sigaction(SIGPIPE, &ign, &old);
	pid = fork();
	if (pid == 0) {
		/* our environment with CNI_COMMAND replaced: it is there,
		 * cni_main runs only with it */
		fmt_buf(cc, sizeof(cc), "CNI_COMMAND=%s", cmd);
		for (e = environ; *e && strncmp(*e, "CNI_COMMAND=", 12); e++)
			;
		if (*e)
			*e = cc;
		sigaction(SIGPIPE, &old, NULL);
		dup2(in[0], 0);
		dup2(po[1], 1);
		execve(path, argv, environ);
		_exit(127);
	}
	close(in[0]);
	close(po[1]);
	if (pid > 0) {
		t = talk(k, pid, in[1], po[0], &out);
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
	} else {
		close(in[1]);
	}
	sigaction(SIGPIPE, &old, NULL);
	close(po[0]);
	if (pid < 0 || t || !out.b) {
		cni_fail(k, type, pid < 0 ? -errno : t ? t : -ENOMEM);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		/* its error object passed on as it is */
		struct cni_error x = { 0 };

		if (!cj_parse(&j, out.b, out.n))
			cni_error_parse(&j, &x);
		cni_err(k, x.code ? (int)x.code : 999, x.details, "%s%s", x.msg[0] ? "" : type,
			x.msg[0] ? x.msg : ": failed without an error object");
	} else {
		const char *why = "JSON";

		if (!res || !(cj_parse(&j, out.b, out.n) || cni_result_parse(&j, 0, res, &why)))
			r = 0;
		else
			cni_err(k, 999, why, "%s: invalid result", type);
	}
	cj_free(&j);
	free(k->sub);
	k->sub = out.b;
	return r;
}

int cni_netns(struct cni *k)
{
	struct stat a, b;
	int fd = k->netns ? ns_open(k->netns) : -ENOENT;

	/* fstat, not the path again: what we compare is what we hold */
	if (fd >= 0 && (fstat(fd, &a) || stat("/proc/self/ns/net", &b) ||
			(a.st_dev == b.st_dev && a.st_ino == b.st_ino))) {
		close(fd);
		fd = -EDEADLK;
	}
	if (fd >= 0 || k->op == CNI_DEL)
		return fd >= 0 ? fd : -2;
	if (fd == -EDEADLK)
		return cni_err(k, 4, k->netns, "CNI_NETNS is the plugin's own network namespace");
	return cni_fail(k, k->netns, fd);
}

struct drop {
	struct cni *k;
	char pre[NFT_COMMENT_MAX];
	size_t plen;
	int gc;
};

/* "PLUGIN NET ID IFNAME what": ours; in GC only when ID IFNAME is not
 * listed as valid.  Another attachment's is NFT_PEER (its DEL, GC or
 * rollback takes it with nft_drop), its portmap "localnet" rule NFT_PIN:
 * it keeps the guard.  Anything else (natdnat's, iptables', by hand) is
 * NFT_KEEP, whatever its words. */
static int drop_this(const char *cm, void *data)
{
	static const char plugins[] = "bridge\0portmap\0firewall\0";
	struct drop *d = data;
	const char *ifn, *p = cm;
	char word[16];
	int i, k;

	if (!strcmp(cm, CNI_GUARD))
		return NFT_DROP_LAST;
	if (!strncmp(cm, d->pre, d->plen)) {
		ifn = strchr(cm + d->plen, ' ');
		if (!d->gc || (ifn && !cni_conf_valid(d->k->conf, cm + d->plen, ifn + 1)))
			return NFT_DROP;
	}
	/* PLUGIN and four more words */
	for (i = 0; *p && i < (int)sizeof(word) - 1 && *p != ' '; p++)
		word[i++] = *p;
	word[i] = '\0';
	k = nsb_word(word, plugins);
	for (i = 0; k >= 0 && i < 3 && (p = strchr(p + 1, ' ')); i++)
		;
	if (k < 0 || i < 3 || !p[1])
		return NFT_KEEP;
	return k == 1 && !strncmp(p + 1, "localnet ", 9) ? NFT_PIN : NFT_PEER;
}

int cni_nft_drop(struct cni *k, int gc)
{
	struct mnl_socket *nl;
	struct drop d = { .k = k, .gc = gc };
	int r;

	if (gc ? (size_t)fmt_buf(d.pre, sizeof(d.pre), "%s %s ", k->plugin, k->conf->name) >=
		 sizeof(d.pre) : cni_comment(k, d.pre, "") != 0)
		return -1;
	d.plen = strlen(d.pre);
	r = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
	if (!r)
		r = nft_drop(k->c, nl, drop_this, &d);
	return r ? cni_fail(k, "nf_tables", r) : 0;
}

int cni_nft_want(struct cni *k, const char *comment, int family, unsigned int want)
{
	struct nft_plan p;
	int n = k->nrules;

	if (!k->rules) {
		struct mnl_socket *nl;

		n = nl_sock(k->c, NULL, NETLINK_NETFILTER, &nl);
		n = n ? n : nft_rules(k->c, nl, &k->rules);
		if (n < 0)
			return cni_fail(k, "nf_tables", n);
		k->nrules = n;
	}
	/* what adding it again would add: the chains that lack it */
	if (!nft_plan(k->rules, n, 0, comment, family, want, 0, 1, &p))
		return 0;
	return cni_err(k, 999, comment, "nf_tables rule missing");
}

/* A "dns" object (JSON text s, len bytes, or NULL) as Go marshals types.DNS:
 * its four fields in order, each only when not empty (omitempty). */
static void put_dns(struct json *w, const char *s, int len)
{
	static const char *const keys[] = { "nameservers", "domain", "search", "options" };
	struct cj j = { 0 };
	int k, m, e, a;

	json_open(w, '{');
	for (k = 0; s && k < 4 && (k || !cj_parse(&j, s, len)); k++) {
		a = cj_get(&j, 0, keys[k]);
		if (a < 0 || (k == 1 ? j.t[a].end == j.t[a].start : !j.t[a].size))
			continue;
		json_key(w, keys[k]);
		if (k != 1)
			json_open(w, '[');
		/* the domain, or each element (a null one: "") */
		for (m = 0, e = k == 1 ? a : a + 1; m < (k == 1 ? 1 : j.t[a].size);
		     m++, e = cj_next(&j, e))
			json_strtext(w, j.s + j.t[e].start,
				     j.t[e].type == JSMN_STRING ? j.t[e].end - j.t[e].start : 0);
		if (k != 1)
			json_close(w, '[');
	}
	cj_free(&j);
	json_close(w, '{');
}

static void put_result(struct cni *k, const struct cni_result *r)
{
	struct json j = { 0 };
	char a[64];
	int i;

	json_open(&j, '{');
	json_kstr(&j, "cniVersion", k->conf->version);
	if (r->nifs) {
		json_key(&j, "interfaces");
		json_open(&j, '[');
		for (i = 0; i < r->nifs; i++) {
			json_open(&j, '{');
			json_kstr(&j, "name", r->ifs[i].name);
			if (r->ifs[i].mac[0])
				json_kstr(&j, "mac", r->ifs[i].mac);
			if (r->ifs[i].sandbox[0])
				json_kstr(&j, "sandbox", r->ifs[i].sandbox);
			json_close(&j, '{');
		}
		json_close(&j, '[');
	}
	if (r->nips) {
		json_key(&j, "ips");
		json_open(&j, '[');
		for (i = 0; i < r->nips; i++) {
			const struct cni_ip *p = &r->ips[i];

			json_open(&j, '{');
			if (k->legacy)
				json_kstr(&j, "version", p->addr.family == AF_INET ? "4" : "6");
			if (p->iface >= 0)
				json_kint(&j, "interface", p->iface);
			json_kstr(&j, "address",
				  show_prefix(p->addr.family, p->addr.addr, p->addr.plen, a, sizeof(a)));
			if (p->has_gw)
				json_kstr(&j, "gateway", addr_ntop(p->addr.family, p->gw, a, sizeof(a)));
			json_close(&j, '{');
		}
		json_close(&j, '[');
	}
	if (r->nroutes) {
		json_key(&j, "routes");
		json_open(&j, '[');
		for (i = 0; i < r->nroutes; i++) {
			const struct cni_route *t = &r->routes[i];

			json_open(&j, '{');
			json_kstr(&j, "dst", show_prefix(t->dst.family, t->dst.addr, t->dst.plen, a, sizeof(a)));
			if (t->has_gw)
				json_kstr(&j, "gw", addr_ntop(t->dst.family, t->gw, a, sizeof(a)));
			json_close(&j, '{');
		}
		json_close(&j, '[');
	}
	json_key(&j, "dns");
	put_dns(&j, r->dns, r->dnslen);
	json_close(&j, '{');
}

static void put_error(struct cni *k)
{
	struct json j = { 0 };

	json_open(&j, '{');
	json_kstr(&j, "cniVersion", k->conf && k->conf->version[0] ? k->conf->version : "1.1.0");
	json_kint(&j, "code", k->err.code);
	json_kstr(&j, "msg", k->err.msg);
	if (k->err.details[0])
		json_kstr(&j, "details", k->err.details);
	json_close(&j, '{');
}

static int id_valid(const char *s)
{
	if (!s[0] || s[0] == '.' || s[0] == '-' || s[0] == '_')
		return 0;
	for (; *s; s++)
		if (!strchr("_.-", *s) && !(*s >= '0' && *s <= '9') &&
		    !((*s | 32) >= 'a' && (*s | 32) <= 'z'))
			return 0;
	return 1;
}

/* The environment the spec requires for op; 0 or -1 with the error set. */
static int env(struct cni *k)
{
	static const char *const names[] = { "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_PATH" };
	const char **vals[] = { &k->id, &k->netns, &k->ifname, &k->path };
	/* which ops need each: bit per op (ADD, DEL, CHECK) */
	static const unsigned char need[] = { 7, 5, 7, 7 };
	char miss[80] = "";
	int i;

	for (i = 0; i < 4; i++) {
		*vals[i] = getenv(names[i]);
		if (*vals[i] && !**vals[i])
			*vals[i] = NULL;
		if (!*vals[i] && k->op < CNI_GC && (need[i] >> k->op & 1))
			fmt_buf(miss + strlen(miss), sizeof(miss) - strlen(miss), "%s%s",
				 miss[0] ? "," : "", names[i]);
	}
	if (miss[0])
		return cni_err(k, 4, NULL, "required env variables [%s] missing", miss);
	if (k->op >= CNI_GC)
		return 0;
	if (!id_valid(k->id))
		return cni_err(k, 4, k->id, "invalid characters in containerID");
	if (!ifname_valid(k->ifname))
		return cni_err(k, 4, k->ifname, "invalid interface name");
	return 0;
}

static int run(struct cni *k, cni_op *const *plugin)
{
	int r, v;

	r = cni_conf_parse(k->conf, k->in, k->inlen);
	/* the reference's words, then where the text stopped being JSON */
	if (r == -EBADMSG && k->conf->j.at != SIZE_MAX)
		return cni_err(k, 6, NULL, "error unmarshall network config: "
			       "invalid JSON at byte %zu", k->conf->j.at);
	if (r == -EBADMSG)
		return cni_err(k, 6, NULL, "error unmarshall network config: not a JSON object");
	if (r == -ENOMEM)
		return cni_fail(k, "network config", r);
	if (r)
		return cni_err(k, 7, k->conf->why, "invalid network config");
	for (v = 0; v < NVERS && strcmp(k->conf->version, versions[v]); v++)
		;
	if (v == NVERS)
		return cni_err(k, 1, "plugin supports 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0",
			       "incompatible CNI versions");
	/* results before 1.0.0 name each address's IP version; CHECK came
	 * with 0.4.0, GC and STATUS with 1.1.0 */
	k->legacy = v < V1_0_0;
	if ((k->op == CNI_CHECK && v < V0_4_0) || (k->op >= CNI_GC && v < V1_1_0))
		return cni_err(k, 1, NULL, "config version does not allow %s", ops[k->op]);
	if (!id_valid(k->conf->name))
		return cni_err(k, 7, k->conf->name, "invalid network name");
	/* GC without the list (absent, or null: Go's nil) would release
	 * every attachment; the reference does, nsbox refuses */
	if (k->op == CNI_GC && k->conf->valid < 0)
		return cni_err(k, 7, "cni.dev/valid-attachments", "invalid network config");
	if (env(k) || plugin[k->op](k))
		return -1;
	if (k->op == CNI_ADD)
		put_result(k, &k->res);
	return 0;
}

int cni_entry(struct nsb *c, const char *name, cni_op *const *plugin, const char *cmd,
	      int fd)
{
	struct cni k = { .c = c, .plugin = name };
	struct buf in = { 0 };
	int r = -1, e;

	for (k.op = 0; k.op < CNI_NOPS && strcmp(cmd, ops[k.op]); k.op++)
		;
	e = slurp(fd, &in);
	k.in = in.b;
	k.inlen = in.n;
	k.conf = calloc(1, sizeof(*k.conf));
	if (k.op == CNI_NOPS)
		cni_err(&k, 4, NULL, "unknown CNI_COMMAND: %s", cmd);
	else if (e || !k.conf)
		cni_err(&k, 5, NULL, "error reading from stdin: %s", nsb_strerror(e ? e : -ENOMEM));
	else
		r = run(&k, plugin);
	if (r) {
		if (!k.err.code)
			cni_err(&k, 999, NULL, "failed");
		put_error(&k);
	}
	if (k.conf)
		cj_free(&k.conf->j);
	free(k.sub);
	free(k.rules);
	free(k.conf);
	free(k.in);
	return r ? 1 : 0;
}

int cni_main(struct nsb *c, int argc, char **argv)
{
	const char *cmd = getenv("CNI_COMMAND"), *s = strrchr(argv[0], '/');
	struct cni k = { .c = c, .plugin = s ? s + 1 : argv[0] };
	cni_op *const *plugin = !strcmp(k.plugin, "bridge") ? cni_bridge :
				!strcmp(k.plugin, "host-local") ? cni_hostlocal :
				!strcmp(k.plugin, "portmap") ? cni_portmap :
				!strcmp(k.plugin, "tuning") ? cni_tuning :
				!strcmp(k.plugin, "firewall") ? cni_firewall : cni_loopback;

	(void)argc;
	c->applet = k.plugin;
	if (!cmd || !cmd[0]) {
		fmt_file(stderr, "CNI %s plugin nsbox " NSB_VERSION "\n"
			"CNI protocol versions supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0\n",
			k.plugin);
		return 0;
	}
	if (!strcmp(cmd, "VERSION")) {
		puts("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":"
		     "[\"0.3.0\",\"0.3.1\",\"0.4.0\",\"1.0.0\",\"1.1.0\"]}");
		return 0;
	}
	return cni_entry(c, k.plugin, plugin, cmd, 0);
}
