/*
 * CNI network configuration and results, read from the checked tokens of
 * cjson.c as the reference plugins' Go reads them.  Every field the plugins
 * use is read here, into fixed arrays: the plugins see only checked values.
 * Unknown keys are ignored, as the spec asks.
 * Over 500 lines: one table and reader per part of the configuration.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "cni.h"

/* The fields read by table: a string into a char array, true/false into
 * an int, a number (at most 65535) into an unsigned long, an address
 * (ADDR) or a prefix (ADDR/LEN) into a struct nsb_prefix.  Absent keys
 * leave the field alone. */
enum { K_STR, K_BOOL, K_NUM, K_ADDR, K_PREFIX };
struct key {
	const char *name;
	unsigned char kind;
	unsigned short off, len;
};
#define KEY(name, kind, type, f) { name, kind, offsetof(type, f), sizeof(((type *)0)->f) }

static int get_one(const struct cj *j, int i, int kind, void *f, size_t len)
{
	const jsmntok_t *t = &j->t[i];
	char b[64];
	int n = t->end - t->start;

	if (kind == K_STR)
		return cj_str(j, i, f, len);
	if (kind == K_BOOL) {
		if (t->type != JSMN_PRIMITIVE || (j->s[t->start] != 't' && j->s[t->start] != 'f'))
			return -EINVAL;
		*(int *)f = j->s[t->start] == 't';
		return 0;
	}
	if (kind == K_NUM) {
		if (t->type != JSMN_PRIMITIVE || n <= 0 || n >= 24)
			return -EINVAL;
		memcpy(b, j->s + t->start, n);
		b[n] = '\0';
		return num_parse(b, 0, 65535, f);
	}
	if (cj_str(j, i, b, sizeof(b)))
		return -EINVAL;
	if (!b[0] && kind == K_ADDR) {
		/* "hostIP": "" as runtimes send it: none */
		memset(f, 0, sizeof(struct nsb_prefix));
		return 0;
	}
	return prefix_parse(b, AF_UNSPEC, f, kind == K_PREFIX);
}

/* The keys of table tab (n of them) from object obj into the struct at
 * base; *why names the key being read. */
static int get_keys(const struct cj *j, int obj, void *base, const struct key *tab, int n,
		    const char **why)
{
	int i;

	for (; n--; tab++) {
		*why = tab->name;
		i = cj_get(j, obj, tab->name);
		if (i >= 0 && get_one(j, i, tab->kind, (char *)base + tab->off, tab->len))
			return -EINVAL;
	}
	return 0;
}

/* The size of the array at token a (0 when absent); -1 when it is not an
 * array of at most max elements. */
static int arr(const struct cj *j, int a, int max)
{
	if (a < 0)
		return 0;
	return j->t[a].type == JSMN_ARRAY && j->t[a].size <= max ? j->t[a].size : -1;
}

/* "gw" or "gateway", of the family of p */
static int get_gw(const struct cj *j, int obj, const char *key, const struct nsb_prefix *p,
		  int *has, unsigned char *gw)
{
	struct nsb_prefix g;
	int i = cj_get(j, obj, key);

	*has = i >= 0;
	if (i < 0)
		return 0;
	if (get_one(j, i, K_ADDR, &g, 0) || g.family != p->family)
		return -EINVAL;
	memcpy(gw, g.addr, 16);
	return 0;
}

static int get_routes(const struct cj *j, int i, struct cni_route *v, int *n)
{
	int k, e;

	*n = arr(j, i, CNI_NROUTES);
	for (k = 0, e = i + 1; k < *n; k++, e = cj_next(j, e)) {
		struct cni_route *r = &v[k];
		int d = cj_get(j, e, "dst");

		if (d < 0 || get_one(j, d, K_PREFIX, &r->dst, 0) ||
		    get_gw(j, e, "gw", &r->dst, &r->has_gw, r->gw))
			return -EINVAL;
		prefix_clear_host(&r->dst);
	}
	return *n < 0 ? -EINVAL : 0;
}

/* "dns" at token i, as types.DNS: an object whose nameservers, search and
 * options are arrays of strings (null: ""), domain a string; *dns gets
 * its text, printed again field by field. */
static int get_dns(const struct cj *j, int i, const char **dns, int *len)
{
	static const char *const keys[] = { "nameservers", "search", "options" };
	int k, m, e, a;

	if (i < 0)
		return 0;
	a = cj_get(j, i, "domain");
	if (j->t[i].type != JSMN_OBJECT || (a >= 0 && j->t[a].type != JSMN_STRING))
		return -EINVAL;
	for (k = 0; k < 3; k++) {
		a = cj_get(j, i, keys[k]);
		if (a >= 0 && j->t[a].type != JSMN_ARRAY)
			return -EINVAL;
		for (m = 0, e = a + 1; a >= 0 && m < j->t[a].size; m++, e = cj_next(j, e))
			if (j->t[e].type != JSMN_STRING && j->s[j->t[e].start] != 'n')
				return -EINVAL;
	}
	*dns = j->s + j->t[i].start;
	*len = j->t[i].end - j->t[i].start;
	return 0;
}

static const struct key if_keys[] = {
	KEY("name", K_STR, struct cni_if, name),
	KEY("mac", K_STR, struct cni_if, mac),
	KEY("sandbox", K_STR, struct cni_if, sandbox),
};

int cni_result_parse(const struct cj *j, int i, struct cni_result *r, const char **why)
{
	int k, e, a;

	memset(r, 0, sizeof(*r));
	*why = "not an object";
	if (j->t[i].type != JSMN_OBJECT)
		return -EINVAL;
	*why = "interfaces";
	a = cj_get(j, i, *why);
	r->nifs = arr(j, a, CNI_NIFS);
	if (r->nifs < 0)
		return -EINVAL;
	for (k = 0, e = a + 1; k < r->nifs; k++, e = cj_next(j, e))
		if (get_keys(j, e, &r->ifs[k], if_keys, 3, why))
			return -EINVAL;
	*why = "ips";
	a = cj_get(j, i, *why);
	r->nips = arr(j, a, CNI_NIPS);
	if (r->nips < 0)
		return -EINVAL;
	for (k = 0, e = a + 1; k < r->nips; k++, e = cj_next(j, e)) {
		struct cni_ip *p = &r->ips[k];
		int x = cj_get(j, e, "interface"), d = cj_get(j, e, "address");
		unsigned long v = 0;

		if (d < 0 || get_one(j, d, K_PREFIX, &p->addr, 0) ||
		    get_gw(j, e, "gateway", &p->addr, &p->has_gw, p->gw) ||
		    (x >= 0 && (get_one(j, x, K_NUM, &v, 0) || (int)v >= r->nifs)))
			return -EINVAL;
		p->iface = x >= 0 ? (int)v : -1;
	}
	*why = "routes";
	if (get_routes(j, cj_get(j, i, *why), r->routes, &r->nroutes))
		return -EINVAL;
	*why = "dns";
	return get_dns(j, cj_get(j, i, *why), &r->dns, &r->dnslen);
}

static void last_ip(struct nsb_prefix *p, unsigned char *a)
{
	int i, len = addr_len(p->family);

	memcpy(a, p->addr, 16);
	for (i = p->plen; i < len * 8; i++)
		a[i / 8] |= 0x80 >> (i % 8);
}

static int inside(const struct nsb_prefix *net, const unsigned char *a)
{
	struct nsb_prefix p = *net;

	memcpy(p.addr, a, 16);
	prefix_clear_host(&p);
	return !memcmp(p.addr, net->addr, 16);
}

/* One range: subnet, rangeStart, rangeEnd, gateway, defaults as the
 * reference has them: first usable after the network address, last before
 * the IPv4 broadcast, gateway the first. */
static int get_range(const struct cj *j, int e, struct cni_range *r)
{
	static const char *const keys[] = { "rangeStart", "rangeEnd", "gateway" };
	unsigned char *dst[] = { r->start, r->end, r->gw };
	struct nsb_prefix p;
	int i, len, k;

	i = cj_get(j, e, "subnet");
	if (i < 0 || get_one(j, i, K_PREFIX, &r->subnet, 0))
		return -EINVAL;
	prefix_clear_host(&r->subnet);
	len = addr_len(r->subnet.family);
	if (r->subnet.plen > len * 8 - 2)
		return -EINVAL;		/* no room for a gateway and a host */
	memcpy(r->start, r->subnet.addr, 16);
	r->start[len - 1] |= 1;
	memcpy(r->gw, r->start, 16);
	last_ip(&r->subnet, r->end);
	if (len == 4)
		r->end[3] &= ~1;
	for (k = 0; k < 3; k++) {
		i = cj_get(j, e, keys[k]);
		if (i < 0)
			continue;
		/* a gateway may lie outside the subnet, as the reference has it */
		if (get_one(j, i, K_ADDR, &p, 0) || p.family != r->subnet.family ||
		    (k < 2 && !inside(&r->subnet, p.addr)))
			return -EINVAL;
		memcpy(dst[k], p.addr, 16);
	}
	return memcmp(r->start, r->end, len) > 0 ? -EINVAL : 0;
}

/* host-local: "ranges" (sets of ranges) or the older single "subnet". */
static int get_ipam(struct cni_conf *c, int ip)
{
	const struct cj *j = &c->j;
	int a = cj_get(j, ip, "ranges"), k, e, m, x;

	c->why = "ipam.ranges";
	c->nsets = arr(j, a, CNI_NSETS);
	if (c->nsets < 0)
		return -EINVAL;
	if (a < 0 && cj_get(j, ip, "subnet") >= 0) {
		c->nsets = c->nsetranges[0] = 1;
		if (get_range(j, ip, &c->sets[0][0]))
			return -EINVAL;
	}
	for (k = 0, e = a + 1; a >= 0 && k < c->nsets; k++, e = cj_next(j, e)) {
		struct cni_range *set = c->sets[k];

		c->nsetranges[k] = arr(j, e, CNI_NRANGES);
		if (c->nsetranges[k] <= 0)
			return -EINVAL;
		for (m = 0, x = e + 1; m < c->nsetranges[k]; m++, x = cj_next(j, x))
			if (get_range(j, x, &set[m]) || set[m].subnet.family != set[0].subnet.family)
				return -EINVAL;
	}
	/* no address in two ranges, of one set or of two (the reference's
	 * "subnets overlap", "range set overlaps"); unused ones are zeros */
	for (k = 0; k < CNI_NSETS * CNI_NRANGES; k++)
		for (m = k + 1; m < CNI_NSETS * CNI_NRANGES; m++) {
			const struct cni_range *r = &c->sets[k / CNI_NRANGES][k % CNI_NRANGES],
					       *q = &c->sets[m / CNI_NRANGES][m % CNI_NRANGES];
			int len = addr_len(r->subnet.family);

			if (r->subnet.family && r->subnet.family == q->subnet.family &&
			    memcmp(r->start, q->end, len) <= 0 && memcmp(q->start, r->end, len) <= 0)
				return -EINVAL;
		}
	c->why = "ipam.routes";
	return get_routes(j, cj_get(j, ip, "routes"), c->routes, &c->nroutes);
}

/* runtimeConfig.portMappings: [{hostPort, containerPort, protocol, hostIP}] */
static const struct key port_keys[] = {
	KEY("hostPort", K_NUM, struct cni_port, host),
	KEY("containerPort", K_NUM, struct cni_port, cont),
	KEY("protocol", K_STR, struct cni_port, pname),
	KEY("hostIP", K_ADDR, struct cni_port, hostip),
};

static int get_ports(struct cni_conf *c, int a)
{
	const struct cj *j = &c->j;
	int k, e;

	c->nports = arr(j, a, CNI_NPORTS);
	for (k = 0, e = a + 1; k < c->nports; k++, e = cj_next(j, e)) {
		struct cni_port *p = &c->ports[k];
		const char *n = p->pname;

		strcpy(p->pname, "tcp");
		if (get_keys(j, e, p, port_keys, 4, &c->why))
			return -EINVAL;
		/* the key at fault: ports 1-65535; tcp or udp, in any case */
		c->why = !p->host ? "hostPort" : !p->cont ? "containerPort" : "protocol";
		p->proto = ((n[0] | 32) == 't' && (n[1] | 32) == 'c') ? IPPROTO_TCP :
			   ((n[0] | 32) == 'u' && (n[1] | 32) == 'd') ? IPPROTO_UDP : 0;
		if (!p->host || !p->cont || !p->proto || (n[2] | 32) != 'p' || n[3])
			return -EINVAL;
	}
	c->why = "runtimeConfig.portMappings";
	return c->nports < 0 ? -EINVAL : 0;
}

/* A requested address, once (the reference keeps them in a map by address) */
static int add_req(struct cni_conf *c, struct nsb_prefix *p)
{
	int i;

	p->plen = 0;
	for (i = 0; i < c->nreq && memcmp(&c->req[i], p, sizeof(*p)); i++)
		;
	if (i == CNI_NREQ)
		return -E2BIG;
	c->req[i] = *p;
	c->nreq += i == c->nreq;
	return 0;
}

/* "ips": ["ADDR[/LEN]", ...] of args.cni, then of runtimeConfig (rc);
 * K_ADDR takes both forms ("" is none: refused here) */
static int get_reqs(struct cni_conf *c, int rc)
{
	const struct cj *j = &c->j;
	struct nsb_prefix p;
	int k, e, n, a, x;

	c->why = "ips";
	for (x = 0; x < 2; x++) {
		a = cj_get(j, x ? rc : cj_get(j, cj_get(j, 0, "args"), "cni"), "ips");
		n = arr(j, a, CNI_NREQ);
		if (n < 0)
			return -EINVAL;
		for (k = 0, e = a + 1; k < n; k++, e = cj_next(j, e))
			if (get_one(j, e, K_ADDR, &p, 0) || !p.family || add_req(c, &p))
				return -EINVAL;
	}
	return 0;
}

int cni_conf_args(struct cni_conf *c, char *s, char **bad)
{
	char *p, *v, *x, *unknown = NULL, *ipp = NULL;
	struct nsb_prefix ip;
	int ign = 0, last = !*s;

	for (p = s; !last; p = x + 1) {
		x = strchrnul(p, ';');
		last = !*x;
		*x = '\0';
		v = strchr(p, '=');
		*bad = p;
		if (!v || strchr(v + 1, '='))
			return -EINVAL;	/* one = a pair, as the reference */
		if (!strncmp(p, "IP=", 3)) {
			/* each read as met, the last counts; an empty one asks
			 * for nothing */
			if (p[3] && prefix_parse(p + 3, AF_UNSPEC, &ip, 0))
				return -EDOM;
			ipp = p[3] ? p : NULL;
		} else if (!strncmp(p, "IgnoreUnknown=", 14)) {
			/* any case: only letters become letters; x ends where it was */
			for (x = v; *x; x++)
				*x |= 32;
			ign = !strcmp(v, "=true") || !strcmp(v, "=1");
			if (!ign && strcmp(v, "=false") && strcmp(v, "=0"))
				return -EDOM;
		} else if (!unknown) {
			unknown = p;
		}
	}
	*bad = ipp;
	if (ipp && add_req(c, &ip))
		return -EDOM;
	*bad = unknown;
	return unknown && !ign ? -ENOENT : 0;
}

/* cni.dev/valid-attachments: an array of objects, each with a containerID
 * and an ifname, non-empty strings.  Anything else is refused whole: a GC
 * that read no attachment in it would release every live one. */
static int valid_list(const struct cj *j, int a)
{
	int k, e, i, f;

	if (a >= 0 && j->t[a].type != JSMN_ARRAY)
		return -EINVAL;
	for (k = 0, e = a + 1; a >= 0 && k < j->t[a].size; k++, e = cj_next(j, e)) {
		i = cj_get(j, e, "containerID");
		f = cj_get(j, e, "ifname");
		if (i < 0 || f < 0 || j->t[i].type != JSMN_STRING || j->t[f].type != JSMN_STRING ||
		    j->t[i].end == j->t[i].start || j->t[f].end == j->t[f].start)
			return -EINVAL;
	}
	return 0;
}

static const struct key conf_keys[] = {
	KEY("cniVersion", K_STR, struct cni_conf, version),
	KEY("name", K_STR, struct cni_conf, name),
	KEY("type", K_STR, struct cni_conf, type),
	KEY("bridge", K_STR, struct cni_conf, bridge),
	KEY("isGateway", K_BOOL, struct cni_conf, is_gw),
	KEY("isDefaultGateway", K_BOOL, struct cni_conf, is_dgw),
	KEY("forceAddress", K_BOOL, struct cni_conf, force),
	KEY("ipMasq", K_BOOL, struct cni_conf, masq),
	KEY("hairpinMode", K_BOOL, struct cni_conf, hairpin),
	KEY("promiscMode", K_BOOL, struct cni_conf, promisc),
	KEY("mtu", K_NUM, struct cni_conf, mtu),
}, ipam_keys[] = {
	KEY("type", K_STR, struct cni_conf, ipam_type),
	KEY("dataDir", K_STR, struct cni_conf, data_dir),
	KEY("resolvConf", K_STR, struct cni_conf, resolv),
};

int cni_conf_parse(struct cni_conf *c, const char *s, size_t len)
{
	const struct cj *j = &c->j;

	struct cj prev;
	int i, r;

	cj_free(&c->j);
	memset(c, 0, sizeof(*c));
	c->why = "JSON";
	r = cj_parse(&c->j, s, len);
	if (r)
		return r == -ENOMEM ? r : -EBADMSG;
	strcpy(c->bridge, "cni0");
	strcpy(c->data_dir, "/var/lib/cni/networks");
	c->ipam = cj_get(j, 0, "ipam");
	c->valid = cj_get(j, 0, "cni.dev/valid-attachments");
	c->why = "dns";
	if (get_dns(j, cj_get(j, 0, "dns"), &c->dns, &c->dnslen))
		return -EINVAL;
	if (get_keys(j, 0, c, conf_keys, 11, &c->why) || !ifname_valid(c->bridge) ||
	    (c->mtu && c->mtu < 68))
		return -EINVAL;
	c->is_gw |= c->is_dgw;
	if (c->ipam >= 0 && (j->t[c->ipam].type != JSMN_OBJECT ||
			     get_keys(j, c->ipam, c, ipam_keys, 3, &c->why) ||
			     c->data_dir[0] != '/' || get_ipam(c, c->ipam)))
		return -EINVAL;
	i = cj_get(j, 0, "runtimeConfig");
	if (get_ports(c, cj_get(j, i, "portMappings")) ||
	    get_reqs(c, i))
		return -EINVAL;
	/* Go reads prevResult into a map, then re-marshals it (keys sorted)
	 * to read the result from */
	prev = c->j;
	prev.sorted = 1;
	i = cj_get(j, 0, "prevResult");
	c->has_prev = i >= 0;
	if (i >= 0 && cni_result_parse(&prev, i, &c->prev, &c->why))
		return -EINVAL;
	c->why = "cni.dev/valid-attachments";
	return valid_list(j, c->valid);
}

static const struct key err_keys[] = {
	KEY("code", K_NUM, struct cni_error, code),
	KEY("msg", K_STR, struct cni_error, msg),
	KEY("details", K_STR, struct cni_error, details),
};

int cni_error_parse(const struct cj *j, struct cni_error *e)
{
	const char *why;

	return get_keys(j, 0, e, err_keys, 3, &why);
}

/* s up to a space or its end is w */
static int word_is(const char *w, const char *s)
{
	size_t n = strlen(w);

	return !strncmp(w, s, n) && (s[n] == ' ' || !s[n]);
}

/* String token i equals s up to a space or its end, whole: the buffer is
 * the token's size (unescaping only shortens), never a cut.  1 when it
 * cannot be told (no memory): GC then keeps what it is asked about. */
static int tok_is(const struct cj *j, int i, const char *s)
{
	size_t n = (size_t)(j->t[i].end - j->t[i].start) + 1;
	char *a = malloc(n);
	int r = !a || (!cj_str(j, i, a, n) && word_is(a, s));

	free(a);
	return r;
}

int cni_conf_valid(const struct cni_conf *c, const char *id, const char *ifname)
{
	const struct cj *j = &c->j;
	int k, e;

	/* valid_list checked the shape */
	for (k = 0, e = c->valid + 1; c->valid >= 0 && k < j->t[c->valid].size;
	     k++, e = cj_next(j, e))
		if (tok_is(j, cj_get(j, e, "containerID"), id) &&
		    tok_is(j, cj_get(j, e, "ifname"), ifname))
			return 1;
	return 0;
}
