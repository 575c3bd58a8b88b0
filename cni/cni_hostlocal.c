/*
 * host-local: addresses from "ranges" (one per range set: dual stack) or
 * "subnet", kept in DATADIR/NETWORK in the reference plugin's format
 * (lib/ipam.c), under its lock; "routes" and "resolvConf" passed on.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cniplug.h"

static int open_store(struct cni *k, struct ipam *st)
{
	int r;

	if (k->conf->ipam < 0)
		return cni_err(k, 7, NULL, "IPAM config missing 'ipam' key");
	r = ipam_open(st, k->conf->data_dir, k->conf->name);
	return r ? cni_fail(k, k->conf->data_dir, r) : 0;
}

static int blank(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '"' || ch == '\\';
}

/* resolv.conf's nameserver, domain, search and options as a DNS object */
static int dns(struct cni *k)
{
	static const char *const keys[] = { "nameserver", "domain", "search", "options" };
	static const char *const names[] = { "nameservers", "domain", "search", "options" };
	int fd = open(k->conf->resolv, O_RDONLY | O_CLOEXEC), i, first, m;
	/* each byte escaped is at most 6, a word's quotes and comma 3 more */
	char f[4096], *b = malloc(8 * sizeof(f) + 128), *l, *e, *w, *x;
	ssize_t len = fd < 0 ? -1 : read(fd, f, sizeof(f) - 1);
	int n = 1;

	if (fd >= 0)
		close(fd);
	if (len < 0 || !b) {
		free(b);
		return cni_fail(k, k->conf->resolv, len < 0 ? -errno : -ENOMEM);
	}
	f[len] = '\0';
	b[0] = '{';
	for (i = 0; i < 4; i++) {
		first = 1;
		for (l = f; *l; l = *e ? e + 1 : e) {
			for (e = l; *e && *e != '\n'; e++)
				;
			/* word 0 the key, the others its values */
			for (m = 0, w = l; w < e; w = x, m++) {
				while (w < e && blank(*w))
					w++;
				for (x = w; x < e && !blank(*x); x++)
					;
				if (x == w || (m == 0 && ((size_t)(x - w) != strlen(keys[i]) ||
							  memcmp(w, keys[i], x - w))) ||
				    (i == 1 && m > 1))
					break;
				if (m == 0)
					continue;
				if (first)
					n += sprintf(b + n, "%s\"%s\":%s", n > 1 ? "," : "", names[i],
						     i == 1 ? "" : "[");
				else if (i != 1)
					b[n++] = ',';
				n += json_quote(b + n, 7 * (x - w) + 3, w, x - w);
				first = 0;
			}
			if (i == 1 && !first)
				break;	/* domain: the first */
		}
		if (!first && i != 1)
			b[n++] = ']';
	}
	b[n++] = '}';
	k->res.dns = k->sub = b;
	k->res.dnslen = n;
	return 0;
}

/* CNI_ARGS: IP= a requested address; errors in the reference's words */
static int args(struct cni *k)
{
	char *bad = NULL, *a = getenv("CNI_ARGS");
	int r;

	a = strdup(a ? a : "");
	r = a ? cni_conf_args(k->conf, a, &bad) : -ENOMEM;
	if (r)
		r = r == -ENOMEM ? cni_fail(k, "CNI_ARGS", r) :
		    cni_err(k, 999, NULL, r == -EINVAL ? "ARGS: invalid pair \"%s\"" :
			    r == -ENOENT ? "ARGS: unknown args [\"%s\"]" :
			    "ARGS: error parsing value of pair \"%s\"", bad);
	free(a);
	return r;
}

static int add(struct cni *k)
{
	struct cni_conf *c = k->conf;
	struct ipam st = { 0 };
	char a[48];
	int r, at = 0;

	/* CNI_ARGS before the store, as the reference: refused, it makes none */
	if (args(k) || open_store(k, &st))
		return -1;
	/* resolv.conf first: an error after the allocation would leave it */
	r = !c->nsets ? cni_err(k, 7, NULL, "no IP ranges specified") : c->resolv[0] ? dns(k) : 0;
	if (!r)
		r = ipam_alloc(&st, c, k->id, k->ifname, k->res.ips, &at);
	ipam_close(&st);
	if (r == -EEXIST)
		return cni_err(k, 999, NULL, "%s/%s has an address already, duplicate allocation is not allowed",
			       k->id, k->ifname);
	if (r == -EADDRNOTAVAIL)
		return cni_err(k, 999, NULL, "failed to allocate all requested IPs: %s",
			       addr_ntop(c->req[at].family, c->req[at].addr, a, sizeof(a)));
	/* a set full, or its requested address (ips[at]) taken or a gateway */
	if (r == -EADDRINUSE && k->res.ips[at].addr.family)
		return cni_err(k, 999, NULL, "failed to allocate for range %d: requested IP address %s is not available",
			       at, addr_ntop(k->res.ips[at].addr.family, k->res.ips[at].addr.addr, a, sizeof(a)));
	if (r == -EADDRINUSE)
		return cni_err(k, 999, NULL, "no IP addresses available in a range set");
	if (r)
		return r == -1 ? -1 : cni_fail(k, c->data_dir, r);
	k->res.nips = c->nsets;
	k->res.nroutes = c->nroutes;
	memcpy(k->res.routes, c->routes, sizeof(c->routes));
	return 0;
}

static int keep(const void *conf, const char *id, const char *ifname)
{
	return cni_conf_valid(conf, id, ifname);
}

static int store_op(struct cni *k)
{
	struct ipam st = { 0 };
	int r = 0;

	if (open_store(k, &st))
		return -1;
	if (k->op == CNI_DEL)
		r = ipam_release(&st, k->id, k->ifname, NULL, NULL);
	else if (k->op == CNI_GC)
		r = ipam_release(&st, NULL, NULL, keep, k->conf);
	else if (k->op == CNI_CHECK && (r = ipam_count(&st, k->id, k->ifname)) >= 0 &&
		 r < k->conf->nsets)
		r = cni_err(k, 999, NULL, "host-local: no address held by %s/%s", k->id, k->ifname);
	ipam_close(&st);
	return r < -1 ? cni_fail(k, k->conf->data_dir, r) : r == -1 ? -1 : 0;
}

cni_op *const cni_hostlocal[CNI_NOPS] = { add, store_op, store_op, store_op, store_op };
