/*
 * tuning: sysctls under /proc/sys/net of the container's namespace ("sysctl",
 * args.cni.sysctl; IFNAME in a key is the interface), and the interface's
 * mac (also runtimeConfig.mac, CNI_ARGS MAC=), mtu, promisc, allmulti and
 * txQLen, in one request, as the reference plugin; and, nsbox's own,
 * "ifname": the interface renamed.  What the interface had is saved in
 * DATADIR/ID_IFNAME.json (the reference's file: either plugin's DEL puts
 * it back) and restored by DEL.  prevResult is passed on, with the new
 * mac and name.  Sysctls are not restored (the namespace goes with the
 * container), as the reference.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include "cniplug.h"

#define NSET 32			/* sysctls in a config (undone when ADD fails) */
#define SLEN 192		/* a sysctl's path, its value */
#define DIFFERS "Error: Tuning configured %s of %s is %s, current value is %s"

/* What the config asks: -1 where it asks nothing. */
struct tun {
	long v[4];			/* mtu, txQLen, promisc, allmulti */
	const char *mac;		/* as given */
	char macs[32], name[16], file[PATH_MAX], ns[32];
	unsigned char hw[6];
	int nsfd;
};
enum { T_MTU, T_TXQ, T_PROMISC, T_ALLMULTI };
static const char *const keys[] = { "mtu", "txQLen", "promisc", "allmulti" };

/* key of object obj into *v: a number, or true/false (boolean).  0 absent,
 * 1 read, -1 of the wrong type */
static int val(const struct cj *j, int obj, const char *key, int boolean, long *v)
{
	int i = cj_get(j, obj, key), n;
	unsigned long u;
	char b[24];

	if (i < 0)
		return 0;
	n = j->t[i].end - j->t[i].start;
	if (j->t[i].type != JSMN_PRIMITIVE || n >= (int)sizeof(b))
		return -1;
	memcpy(b, j->s + j->t[i].start, n);
	b[n] = '\0';
	if (boolean && (!strcmp(b, "true") || !strcmp(b, "false")))
		u = b[0] == 't';
	else if (boolean || num_parse(b, 0, INT_MAX, &u))
		return -1;
	*v = u;
	return 1;
}

static int conf(struct cni *k, struct tun *t)
{
	const struct cj *j = &k->conf->j;
	int i, o, ac = cj_get(j, cj_get(j, 0, "args"), "cni");
	const int objs[] = { 0, ac };
	char dir[256] = "/run/cni/tuning";
	const char *e = getenv("CNI_ARGS"), *m;
	struct stat st, me;

	for (i = 0; i < 4; i++)
		t->v[i] = -1;
	for (o = 0; o < 2; o++)
		for (i = 0; i < 4; i++)
			if (val(j, objs[o], keys[i], i >= T_PROMISC, &t->v[i]) < 0)
				return cni_err(k, 7, keys[i], "invalid network config");
	/* the mac: the config's, CNI_ARGS' MAC=, runtimeConfig's, args' */
	if (!cj_str(j, cj_get(j, 0, "mac"), t->macs, sizeof(t->macs)))
		t->mac = t->macs;
	for (m = e; m && (m = strstr(m, "MAC=")); m += 4)
		if (m == e || m[-1] == ';') {
			snprintf(t->macs, sizeof(t->macs), "%.*s", (int)strcspn(m + 4, ";"), m + 4);
			t->mac = t->macs;
		}
	if (!cj_str(j, cj_get(j, cj_get(j, 0, "runtimeConfig"), "mac"), t->macs, sizeof(t->macs)) ||
	    !cj_str(j, cj_get(j, ac, "mac"), t->macs, sizeof(t->macs)))
		t->mac = t->macs;
	if (t->mac && mac_parse(t->mac, t->hw))
		return cni_err(k, 999, NULL, "invalid args %s for MAC addr", t->mac);
	i = cj_get(j, 0, "ifname");
	if (i >= 0 && (cj_str(j, i, t->name, sizeof(t->name)) || !ifname_valid(t->name)))
		return cni_err(k, 7, "ifname", "invalid network config");
	i = cj_get(j, 0, "dataDir");
	if (i >= 0 && (cj_str(j, i, dir, sizeof(dir)) || dir[0] != '/'))
		return cni_err(k, 7, "dataDir", "invalid network config");
	snprintf(t->file, sizeof(t->file), "%s/%s_%s.json", dir, k->id, k->ifname);
	/* the container's, never ours */
	t->nsfd = k->netns ? ns_open(k->netns) : -ENOENT;
	if (t->nsfd >= 0 && (fstat(t->nsfd, &st) || stat("/proc/self/ns/net", &me) ||
			     (st.st_dev == me.st_dev && st.st_ino == me.st_ino))) {
		close(t->nsfd);
		t->nsfd = -1;
		if (k->op != CNI_DEL)
			return cni_err(k, 4, k->netns, "CNI_NETNS is the plugin's own network namespace");
	}
	snprintf(t->ns, sizeof(t->ns), "/proc/self/fd/%d", t->nsfd);
	return 0;
}

/* /proc/sys/ and key with its dots as slashes, its first IFNAME the
 * interface (dots kept), cleaned as Go's filepath.Join; only under
 * /proc/sys/net/. */
static int path_of(const char *key, const char *ifname, char *out, size_t len)
{
	const char *f = strstr(key, "IFNAME"), *s, *e;
	char tmp[512];
	size_t o = 0, n;

	for (s = key; *s && o < sizeof(tmp) - 16; s++) {
		if (s == f) {
			o += snprintf(tmp + o, sizeof(tmp) - o, "%s", ifname);
			s += 5;
		} else {
			tmp[o++] = *s == '.' ? '/' : *s;
		}
	}
	if (*s)
		return -1;
	tmp[o] = '\0';
	strcpy(out, "/proc/sys");
	for (o = 9, s = tmp; *s; s = e) {
		e = strchrnul(s, '/');
		n = e - s;
		e += *e != '\0';
		if (n == 0 || (n == 1 && *s == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && out[--o] != '/')
				;
			out[o] = '\0';
			continue;
		}
		if (o + 1 + n >= len)
			return -1;
		out[o++] = '/';
		memcpy(out + o, s, n);
		out[o += n] = '\0';
	}
	return strncmp(out, "/proc/sys/net/", 14) ? -1 : 0;
}

/* Each sysctl of "sysctl" and args.cni.sysctl: written (ADD; old values
 * kept in undo), or compared (CHECK). */
static int sysctls(struct cni *k, struct tun *t, char (*undo)[2][SLEN], int *nundo)
{
	const struct cj *j = &k->conf->j;
	char key[256], v[SLEN], cur[SLEN], path[SLEN];
	int o, n, i, e, r;

	for (o = 0; o < 2; o++) {
		int s = o ? cj_get(j, cj_get(j, cj_get(j, 0, "args"), "cni"), "sysctl") :
			    cj_get(j, 0, "sysctl");

		if (s >= 0 && j->t[s].type != JSMN_OBJECT)
			return cni_err(k, 7, "sysctl", "invalid network config");
		for (i = 0, e = s + 1, n = s < 0 ? 0 : j->t[s].size; i < n; i++, e = cj_next(j, e + 1)) {
			if (cj_str(j, e, key, sizeof(key)) || cj_str(j, e + 1, v, sizeof(v)) ||
			    (nundo && *nundo == NSET))
				return cni_err(k, 7, "sysctl", "invalid network config");
			if (path_of(key, t->name[0] && k->op == CNI_CHECK ? t->name : k->ifname, path,
				    sizeof(path)))
				return cni_err(k, 999, NULL, "invalid net sysctl key: \"%s\"", key);
			if (!undo) {
				r = sysctl_get(t->ns, path, cur, sizeof(cur));
				if (!r && strcmp(cur, v))
					return cni_err(k, 999, NULL, DIFFERS, "value", path, v, cur);
			} else if (nundo) {
				/* the old value whole (sysctl_set's is cut short) */
				r = sysctl_get(t->ns, path, undo[*nundo][1], SLEN);
				if (!r)
					r = sysctl_set(t->ns, path, v, NULL, 0);
				if (!r)
					strcpy(undo[(*nundo)++][0], path);
			}
			if (r)
				return cni_fail(k, path, r);
		}
	}
	return 0;
}

/* What l has of each of keys[] */
static void state(const struct link_info *l, long *have)
{
	have[T_MTU] = l->mtu;
	have[T_TXQ] = l->txqlen;
	have[T_PROMISC] = !!(l->flags & IFF_PROMISC);
	have[T_ALLMULTI] = !!(l->flags & IFF_ALLMULTI);
}

/* The link's state as the reference's backup, for what t changes: the
 * reference reads mac, mtu, promisc and allmulti (txQLen since 1.2); our
 * DEL reads ifname too. */
static int save(const struct tun *t, const struct link_info *l)
{
	char s[256], mac[18], d[PATH_MAX], *p;
	long have[4];
	int fd, i, n = 1;

	state(l, have);
	s[0] = '{';
	if (t->mac)
		n += snprintf(s + n, sizeof(s) - n, "\"mac\":\"%s\",",
			      mac_format(l->addr, l->addrlen, mac, sizeof(mac)));
	for (i = 0; i < 4; i++)
		if (t->v[i] >= (i == T_PROMISC || i == T_MTU))
			n += i < T_PROMISC ?
			     snprintf(s + n, sizeof(s) - n, "\"%s\":%ld,", keys[i], have[i]) :
			     snprintf(s + n, sizeof(s) - n, "\"%s\":%s,", keys[i],
				      have[i] ? "true" : "false");
	if (t->name[0])
		n += snprintf(s + n, sizeof(s) - n, "\"ifname\":\"%s\",", t->name);
	s[n - 1] = '}';
	/* the directory, and its parents, as MkdirAll */
	strcpy(d, t->file);
	for (p = d + 1; (p = strchr(p, '/')); *p++ = '/') {
		*p = '\0';
		if (mkdir(d, 0700) && errno != EEXIST)
			return -errno;
	}
	fd = open(t->file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	n = write(fd, s, n) == n ? 0 : -EIO;
	close(fd);
	return n;
}

/* The request that makes l what t asks. */
static void request(const struct tun *t, struct link_req *rq)
{
	rq->mac = t->mac ? t->hw : NULL;
	rq->mtu = t->v[T_MTU] > 0 ? t->v[T_MTU] : 0;
	rq->txqlen = t->v[T_TXQ];
	rq->name = t->name[0] ? t->name : NULL;
	if (t->v[T_PROMISC] == 1)
		rq->change |= IFF_PROMISC, rq->flags |= IFF_PROMISC;
	if (t->v[T_ALLMULTI] >= 0)
		rq->change |= IFF_ALLMULTI, rq->flags |= t->v[T_ALLMULTI] ? IFF_ALLMULTI : 0;
}

/* ADD's and CHECK's: the config, prevResult and the namespace */
static int ready(struct cni *k, struct tun *t)
{
	if (conf(k, t))
		return -1;
	if (!k->conf->has_prev)
		return cni_err(k, 999, NULL, "Required prevResult missing");
	return t->nsfd < 0 ? cni_fail(k, k->netns, t->nsfd) : 0;
}

static int add(struct cni *k)
{
	char undo[NSET][2][SLEN];
	struct tun t = { 0 };
	struct mnl_socket *nl;
	struct link_info l;
	struct link_req rq;
	int i, nundo = 0, r = -1, saved = 0;

	if (ready(k, &t) || sysctls(k, &t, undo, &nundo))
		goto out;
	/* the link only when something of it is asked, as the reference */
	r = t.mac || t.name[0] || t.v[T_MTU] > 0 || t.v[T_PROMISC] == 1 || t.v[T_ALLMULTI] >= 0 ||
	    t.v[T_TXQ] >= 0 ? nl_sock_fd(k->c, t.nsfd, NETLINK_ROUTE, &nl) : 1;
	if (!r)
		r = link_get(k->c, nl, 0, k->ifname, &l);
	if (r == 1) {
		r = 0;
	} else if (!r) {
		rq = (struct link_req)LINK_REQ_INIT(l.index);
		request(&t, &rq);
		r = save(&t, &l);
		saved = !r;
		if (r)
			cni_fail(k, t.file, r);
		else if ((r = link_change(k->c, nl, &rq)))
			cni_fail(k, k->ifname, r);
	} else if (r) {
		cni_fail(k, k->ifname, r);
	}
	k->res = k->conf->prev;
	for (i = 0; i < k->res.nifs && !r; i++) {
		struct cni_if *f = &k->res.ifs[i];

		if (strcmp(f->name, k->ifname))
			continue;
		if (t.mac)
			snprintf(f->mac, sizeof(f->mac), "%s", t.mac);
		if (t.name[0] && f->sandbox[0])
			strcpy(f->name, t.name);
	}
out:
	/* leave nothing: the backup, and the sysctls as they were */
	if (r && saved)
		unlink(t.file);
	while (r && nundo--)
		sysctl_set(t.ns, undo[nundo][0], undo[nundo][1], NULL, 0);
	if (t.nsfd >= 0)
		close(t.nsfd);
	return r ? -1 : 0;
}

/* The backup's values put back, and the file removed; nothing there is
 * nothing to do, and like the reference's, DEL does not fail. */
static int del(struct cni *k)
{
	struct tun t = { 0 }, b = { 0 };
	struct mnl_socket *nl;
	struct link_info l;
	struct link_req rq;
	struct cj *j = NULL;
	char *s = NULL;
	int fd = -1, i;
	struct stat st;

	if (conf(k, &t) || (fd = open(t.file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0)
		goto out;
	j = calloc(1, sizeof(*j));
	if (!j || fstat(fd, &st) || st.st_size > 4096 || !(s = calloc(1, st.st_size + 1)) ||
	    read(fd, s, st.st_size) != st.st_size || cj_parse(j, s, st.st_size))
		goto out;
	for (i = 0; i < 4; i++)
		b.v[i] = -1;
	for (i = 0; i < 4; i++)
		val(j, 0, keys[i], i >= T_PROMISC, &b.v[i]);
	if (!cj_str(j, cj_get(j, 0, "mac"), b.macs, sizeof(b.macs)) && !mac_parse(b.macs, b.hw))
		b.mac = b.macs;
	/* renamed: found by the new name, given the old one back */
	cj_str(j, cj_get(j, 0, "ifname"), t.name, sizeof(t.name));
	if (b.v[T_PROMISC] == 0)
		b.v[T_PROMISC] = 2;	/* off: request() sets only "on" */
	if (t.nsfd >= 0 && !nl_sock_fd(k->c, t.nsfd, NETLINK_ROUTE, &nl) &&
	    !link_get(k->c, nl, 0, t.name[0] ? t.name : k->ifname, &l)) {
		rq = (struct link_req)LINK_REQ_INIT(l.index);
		request(&b, &rq);
		if (b.v[T_PROMISC] == 2)
			rq.change |= IFF_PROMISC;
		rq.name = t.name[0] ? k->ifname : NULL;
		if (link_change(k->c, nl, &rq))
			goto out;
	}
	unlink(t.file);
out:
	if (fd >= 0)
		close(fd);
	if (t.nsfd >= 0)
		close(t.nsfd);
	free(s);
	if (j)
		cj_free(j);
	free(j);
	k->err.code = 0;
	return 0;
}

static int check(struct cni *k)
{
	struct tun t = { 0 };
	struct mnl_socket *nl;
	struct link_info l;
	char cur[24], want[24], mac[18];
	long have[4];
	int i, r = -1;

	if (ready(k, &t) || sysctls(k, &t, NULL, NULL))
		goto out;
	if (nl_sock_fd(k->c, t.nsfd, NETLINK_ROUTE, &nl) ||
	    link_get(k->c, nl, 0, t.name[0] ? t.name : k->ifname, &l)) {
		cni_err(k, 999, NULL, "Cannot find container link %s", t.name[0] ? t.name : k->ifname);
		goto out;
	}
	state(&l, have);
	/* as the reference: promisc false asks for it off */
	if (t.v[T_PROMISC] < 0)
		t.v[T_PROMISC] = 0;
	if (t.mac && memcmp(t.hw, l.addr, 6))
		cni_err(k, 999, NULL, DIFFERS, "Ethernet", l.name, t.mac,
			mac_format(l.addr, l.addrlen, mac, sizeof(mac)));
	for (i = 0; i < 4 && !k->err.code; i++)
		if (t.v[i] >= 0 && t.v[i] != have[i]) {
			snprintf(want, sizeof(want), "%ld", t.v[i]);
			snprintf(cur, sizeof(cur), "%ld", have[i]);
			cni_err(k, 999, NULL, DIFFERS, keys[i], l.name, want, cur);
		}
	r = k->err.code ? -1 : 0;
out:
	if (t.nsfd >= 0)
		close(t.nsfd);
	return r;
}

static int none(struct cni *k)
{
	(void)k;
	return 0;
}

cni_op *const cni_tuning[CNI_NOPS] = { add, del, check, none, none };
