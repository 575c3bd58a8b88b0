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

static int open_store(struct cni *k, int *lock)
{
	int dfd;

	*lock = -1;
	if (k->conf->ipam < 0)
		return cni_err(k, 7, NULL, "IPAM config missing 'ipam' key");
	dfd = ipam_open(k->conf->data_dir, k->conf->name, lock);
	if (dfd < 0)
		cni_fail(k, k->conf->data_dir, dfd);
	return dfd;
}

/* resolv.conf's nameserver, domain, search and options as a DNS object */
static int dns(struct cni *k)
{
	static const char *const keys[] = { "nameserver", "domain", "search", "options" };
	static const char *const names[] = { "nameservers", "domain", "search", "options" };
	int fd = open(k->conf->resolv, O_RDONLY | O_CLOEXEC), i, first;
	char f[4096], *b = malloc(8192), *l, *e, *w;
	ssize_t len = fd < 0 ? -1 : read(fd, f, sizeof(f) - 1);
	size_t n = 1;

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
			e = l + strcspn(l, "\n");
			w = l + strspn(l, " \t");
			if (strncmp(w, keys[i], strlen(keys[i])) || !strchr(" \t", w[strlen(keys[i])]))
				continue;
			for (w += strlen(keys[i]); w < e && n < 7000; ) {
				int wl;

				w += strspn(w, " \t\r");
				wl = strcspn(w, " \t\r\n\"\\");
				if (!wl || (i == 1 && !first))
					break;
				if (first)
					n += snprintf(b + n, 8192 - n, "%s\"%s\":%s", n > 1 ? "," : "",
						      names[i], i == 1 ? "" : "[");
				else
					b[n++] = ',';
				n += snprintf(b + n, 8192 - n, "\"%.*s\"", wl, w);
				first = 0;
				w += wl;
			}
		}
		if (!first && i != 1)
			b[n++] = ']';
	}
	b[n++] = '}';
	k->res.dns = k->sub = b;
	k->res.dnslen = n;
	return 0;
}

static int add(struct cni *k)
{
	struct cni_conf *c = k->conf;
	int lock = -1, dfd, r, i;

	if ((dfd = open_store(k, &lock)) < 0)
		return -1;
	if (!c->nsets) {
		ipam_close(dfd, lock);
		return cni_err(k, 7, NULL, "no IP ranges specified");
	}
	r = ipam_alloc(dfd, c, k->id, k->ifname, k->res.ips);
	ipam_close(dfd, lock);
	if (r == -EEXIST)
		return cni_err(k, 999, NULL, "%s/%s has an address already, duplicate allocation is not allowed",
			       k->id, k->ifname);
	if (r == -ENOSPC)
		return cni_err(k, 999, NULL, "no IP addresses available in a range set");
	if (r)
		return cni_fail(k, c->data_dir, r);
	k->res.nips = c->nsets;
	k->res.nroutes = c->nroutes;
	for (i = 0; i < c->nroutes; i++)
		k->res.routes[i] = c->routes[i];
	if (c->resolv[0] && dns(k)) {
		/* leave nothing: the addresses go back */
		if ((dfd = open_store(k, &lock)) >= 0) {
			ipam_release(dfd, k->id, k->ifname, NULL, NULL);
			ipam_close(dfd, lock);
		}
		return -1;
	}
	return 0;
}

static int keep(const void *conf, const char *id, const char *ifname)
{
	return cni_conf_valid(conf, id, ifname);
}

static int store_op(struct cni *k)
{
	int lock = -1, dfd = open_store(k, &lock), r = 0;

	if (dfd < 0)
		return -1;
	if (k->op == CNI_DEL)
		r = ipam_release(dfd, k->id, k->ifname, NULL, NULL);
	else if (k->op == CNI_GC)
		r = ipam_release(dfd, NULL, NULL, keep, k->conf);
	else if (k->op == CNI_CHECK && (r = ipam_count(dfd, k->id, k->ifname)) >= 0 &&
		 r < k->conf->nsets)
		r = cni_err(k, 999, NULL, "host-local: no address held by %s/%s", k->id, k->ifname);
	ipam_close(dfd, lock);
	return r < -1 ? cni_fail(k, k->conf->data_dir, r) : r == -1 ? -1 : 0;
}

cni_op *const cni_hostlocal[CNI_NOPS] = { add, store_op, store_op, store_op, store_op };
