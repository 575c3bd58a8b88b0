/*
 * CNI network configuration and results, read with jsmn (Debian's
 * libjsmn-dev: header only, tokens in a caller's array, no allocation) in
 * strict mode.  Every field the four plugins use is read here, into fixed
 * arrays: the plugins see only checked values.  Unknown keys are ignored,
 * as the spec asks.
 */
#include <errno.h>
#include <stddef.h>
#include <strings.h>
#include <string.h>
#include <netinet/in.h>
#include "cni.h"

int cj_parse(struct cj *j, const char *s, size_t len)
{
	jsmn_parser p;
	int n;

	jsmn_init(&p);
	j->s = s;
	n = jsmn_parse(&p, s, len, j->t, CNI_NTOK);
	j->n = n > 0 ? n : 0;
	if (n == JSMN_ERROR_NOMEM)
		return -E2BIG;
	return n > 0 && j->t[0].type == JSMN_OBJECT ? 0 : -EBADMSG;
}

int cj_next(const struct cj *j, int i)
{
	int k = 1;

	/* each token owes its children: done when nothing is owed */
	while (k && i < j->n)
		k += j->t[i++].size - 1;
	return i;
}

static int is(const struct cj *j, int i, const char *w)
{
	size_t n = strlen(w);

	return j->t[i].type == JSMN_STRING && (size_t)(j->t[i].end - j->t[i].start) == n &&
	       !memcmp(j->s + j->t[i].start, w, n);
}

int cj_get(const struct cj *j, int obj, const char *key)
{
	int i, k;

	if (obj < 0 || obj >= j->n || j->t[obj].type != JSMN_OBJECT)
		return -1;
	for (i = obj + 1, k = 0; k < j->t[obj].size && i + 1 < j->n; k++) {
		if (is(j, i, key))
			return i + 1;
		i = cj_next(j, i + 1);
	}
	return -1;
}

static int hex4(const unsigned char *p)
{
	int v = 0, i;

	for (i = 0; i < 4; i++) {
		int ch = p[i], d = ch >= '0' && ch <= '9' ? ch - '0' :
			 (ch | 32) >= 'a' && (ch | 32) <= 'f' ? (ch | 32) - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

int cj_str(const struct cj *j, int i, char *buf, size_t len)
{
	const char *p, *e;
	size_t o = 0;

	if (i < 0 || j->t[i].type != JSMN_STRING)
		return -EINVAL;
	p = j->s + j->t[i].start;
	e = j->s + j->t[i].end;
	while (p < e) {
		unsigned int ch = (unsigned char)*p++;
		int v;

		if (ch == '\\') {
			/* jsmn checked the escapes; \u needs its value */
			ch = (unsigned char)*p++;
			if (ch == 'u') {
				v = hex4((const unsigned char *)p);
				p += 4;
				/* a NUL would cut the string short: refused */
				if (v <= 0 || (v >= 0xd800 && v < 0xe000))
					return -EINVAL;
				if (v >= 0x800) {
					if (o + 3 >= len)
						return -E2BIG;
					buf[o++] = 0xe0 | v >> 12;
					buf[o++] = 0x80 | (v >> 6 & 0x3f);
				} else if (v >= 0x80) {
					if (o + 2 >= len)
						return -E2BIG;
					buf[o++] = 0xc0 | v >> 6;
				}
				ch = v < 0x80 ? v : 0x80 | (v & 0x3f);
			} else {
				ch = ch == 'n' ? '\n' : ch == 't' ? '\t' : ch == 'r' ? '\r' :
				     ch == 'b' ? '\b' : ch == 'f' ? '\f' : ch;
			}
		}
		if (o + 1 >= len)
			return -E2BIG;
		buf[o++] = ch;
	}
	buf[o] = '\0';
	return 0;
}

/* true/false; an absent key leaves *v alone. */
static int get_bool(const struct cj *j, int obj, const char *key, int *v)
{
	int i = cj_get(j, obj, key);

	if (i < 0)
		return 0;
	if (j->t[i].type != JSMN_PRIMITIVE || (j->s[j->t[i].start] != 't' &&
					       j->s[j->t[i].start] != 'f'))
		return -EINVAL;
	*v = j->s[j->t[i].start] == 't';
	return 0;
}

static int get_num(const struct cj *j, int i, unsigned long max, unsigned long *v)
{
	char b[24];
	int n;

	if (i < 0 || j->t[i].type != JSMN_PRIMITIVE)
		return -EINVAL;
	n = j->t[i].end - j->t[i].start;
	if (n <= 0 || n >= (int)sizeof(b))
		return -EINVAL;
	memcpy(b, j->s + j->t[i].start, n);
	b[n] = '\0';
	return num_parse(b, 0, max, v);
}

/* An optional string field: absent leaves buf alone. */
static int get_str(const struct cj *j, int obj, const char *key, char *buf, size_t len)
{
	int i = cj_get(j, obj, key);

	return i < 0 ? 0 : cj_str(j, i, buf, len);
}

/* An address (need_len 0) or ADDR/LEN (need_len 1) string at token i. */
static int get_addr(const struct cj *j, int i, struct nsb_prefix *p, int need_len)
{
	char b[64];

	if (cj_str(j, i, b, sizeof(b)))
		return -EINVAL;
	return need_len ? prefix_parse(b, AF_UNSPEC, p, 1) : addr_parse(b, AF_UNSPEC, p);
}

static int get_gw(const struct cj *j, int obj, int family, int *has, unsigned char *gw)
{
	struct nsb_prefix p;
	int i = cj_get(j, obj, "gw") >= 0 ? cj_get(j, obj, "gw") : cj_get(j, obj, "gateway");

	*has = 0;
	if (i < 0)
		return 0;
	if (get_addr(j, i, &p, 0) || (family && p.family != family))
		return -EINVAL;
	memcpy(gw, p.addr, 16);
	*has = 1;
	return 0;
}

static int get_routes(const struct cj *j, int i, struct cni_route *v, int *n)
{
	int k, e;

	*n = 0;
	if (i < 0)
		return 0;
	if (j->t[i].type != JSMN_ARRAY || j->t[i].size > CNI_NROUTES)
		return -EINVAL;
	for (k = 0, e = i + 1; k < j->t[i].size; k++, e = cj_next(j, e)) {
		struct cni_route *r = &v[(*n)++];

		if (get_addr(j, cj_get(j, e, "dst"), &r->dst, 1) ||
		    get_gw(j, e, r->dst.family, &r->has_gw, r->gw))
			return -EINVAL;
		prefix_clear_host(&r->dst);
	}
	return 0;
}

int cni_result_parse(const struct cj *j, int i, struct cni_result *r, const char **why)
{
	int k, e, a;

	memset(r, 0, sizeof(*r));
	a = cj_get(j, i, "interfaces");
	*why = "interfaces";
	if (a >= 0 && (j->t[a].type != JSMN_ARRAY || j->t[a].size > CNI_NIFS))
		return -EINVAL;
	for (k = 0, e = a + 1; a >= 0 && k < j->t[a].size; k++, e = cj_next(j, e)) {
		struct cni_if *f = &r->ifs[r->nifs++];

		if (cj_str(j, cj_get(j, e, "name"), f->name, sizeof(f->name)) ||
		    get_str(j, e, "mac", f->mac, sizeof(f->mac)) ||
		    get_str(j, e, "sandbox", f->sandbox, sizeof(f->sandbox)))
			return -EINVAL;
	}
	a = cj_get(j, i, "ips");
	*why = "ips";
	if (a >= 0 && (j->t[a].type != JSMN_ARRAY || j->t[a].size > CNI_NIPS))
		return -EINVAL;
	for (k = 0, e = a + 1; a >= 0 && k < j->t[a].size; k++, e = cj_next(j, e)) {
		struct cni_ip *p = &r->ips[r->nips++];
		int x = cj_get(j, e, "interface");
		unsigned long v = 0;

		if (get_addr(j, cj_get(j, e, "address"), &p->addr, 1) ||
		    get_gw(j, e, p->addr.family, &p->has_gw, p->gw) ||
		    (x >= 0 && (get_num(j, x, CNI_NIFS - 1, &v) || (int)v >= r->nifs)))
			return -EINVAL;
		p->iface = x >= 0 ? (int)v : -1;
	}
	*why = "routes";
	if (get_routes(j, cj_get(j, i, "routes"), r->routes, &r->nroutes))
		return -EINVAL;
	a = cj_get(j, i, "dns");
	*why = "dns";
	if (a >= 0 && j->t[a].type != JSMN_OBJECT)
		return -EINVAL;
	if (a >= 0) {
		r->dns = j->s + j->t[a].start;
		r->dnslen = j->t[a].end - j->t[a].start;
	}
	return 0;
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
	struct nsb_prefix p;
	int i, len, k;

	if (get_addr(j, cj_get(j, e, "subnet"), &r->subnet, 1))
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
	{
		static const char *const keys[] = { "rangeStart", "rangeEnd", "gateway" };
		unsigned char *dst[] = { r->start, r->end, r->gw };

		for (k = 0; k < 3; k++) {
			i = cj_get(j, e, keys[k]);
			if (i < 0)
				continue;
			if (get_addr(j, i, &p, 0) || p.family != r->subnet.family ||
			    !inside(&r->subnet, p.addr))
				return -EINVAL;
			memcpy(dst[k], p.addr, 16);
		}
	}
	return memcmp(r->start, r->end, len) > 0 ? -EINVAL : 0;
}

/* host-local: "ranges" (sets of ranges) or the older single "subnet". */
static int get_ipam(struct cni_conf *c, int ip)
{
	const struct cj *j = &c->j;
	int a = cj_get(j, ip, "ranges"), k, e, m, x;

	c->why = "ipam.ranges";
	if (a < 0) {
		if (cj_get(j, ip, "subnet") >= 0) {
			c->nsets = 1;
			c->nsetranges[0] = 1;
			if (get_range(j, ip, &c->sets[0][0]))
				return -EINVAL;
		}
	} else if (j->t[a].type != JSMN_ARRAY || j->t[a].size > CNI_NSETS) {
		return -EINVAL;
	}
	for (k = 0, e = a + 1; a >= 0 && k < j->t[a].size; k++, e = cj_next(j, e)) {
		if (j->t[e].type != JSMN_ARRAY || !j->t[e].size || j->t[e].size > CNI_NRANGES)
			return -EINVAL;
		c->nsetranges[c->nsets] = j->t[e].size;
		for (m = 0, x = e + 1; m < j->t[e].size; m++, x = cj_next(j, x)) {
			if (get_range(j, x, &c->sets[c->nsets][m]) ||
			    c->sets[c->nsets][m].subnet.family != c->sets[c->nsets][0].subnet.family)
				return -EINVAL;
		}
		c->nsets++;
	}
	c->why = "ipam.routes";
	if (get_routes(j, cj_get(j, ip, "routes"), c->routes, &c->nroutes))
		return -EINVAL;
	c->why = "ipam.dataDir";
	strcpy(c->data_dir, "/var/lib/cni/networks");
	if (get_str(j, ip, "dataDir", c->data_dir, sizeof(c->data_dir)) || c->data_dir[0] != '/')
		return -EINVAL;
	c->why = "ipam.resolvConf";
	return get_str(j, ip, "resolvConf", c->resolv, sizeof(c->resolv));
}

/* runtimeConfig.portMappings: [{hostPort, containerPort, protocol, hostIP}] */
static int get_ports(struct cni_conf *c, int a)
{
	const struct cj *j = &c->j;
	int k, e;

	c->why = "runtimeConfig.portMappings";
	if (a < 0)
		return 0;
	if (j->t[a].type != JSMN_ARRAY || j->t[a].size > CNI_NPORTS)
		return -EINVAL;
	for (k = 0, e = a + 1; k < j->t[a].size; k++, e = cj_next(j, e)) {
		struct cni_port *p = &c->ports[c->nports++];
		unsigned long h, t;
		char proto[8] = "tcp", ip[64] = "";

		if (get_num(j, cj_get(j, e, "hostPort"), 65535, &h) || !h ||
		    get_num(j, cj_get(j, e, "containerPort"), 65535, &t) || !t ||
		    get_str(j, e, "protocol", proto, sizeof(proto)) ||
		    get_str(j, e, "hostIP", ip, sizeof(ip)))
			return -EINVAL;
		p->host = h;
		p->cont = t;
		p->proto = !strcasecmp(proto, "tcp") ? IPPROTO_TCP :
			   !strcasecmp(proto, "udp") ? IPPROTO_UDP : 0;
		p->has_hostip = ip[0] != '\0';
		if (!p->proto || (p->has_hostip && addr_parse(ip, AF_UNSPEC, &p->hostip)))
			return -EINVAL;
	}
	return 0;
}

int cni_conf_parse(struct cni_conf *c, const char *s, size_t len)
{
	const struct cj *j = &c->j;
	int r, i;

	/* the tokens are jsmn's to fill: only what follows them is cleared */
	memset(&c->why, 0, sizeof(*c) - offsetof(struct cni_conf, why));
	c->why = "JSON";
	r = cj_parse(&c->j, s, len);
	if (r)
		return -EBADMSG;
	strcpy(c->bridge, "cni0");
	c->ipam = cj_get(j, 0, "ipam");
	c->valid = cj_get(j, 0, "cni.dev/valid-attachments");
	i = cj_get(j, 0, "dns");
	if (i >= 0 && j->t[i].type == JSMN_OBJECT) {
		c->dns = j->s + j->t[i].start;
		c->dnslen = j->t[i].end - j->t[i].start;
	}
	c->why = "cniVersion";
	if (get_str(j, 0, "cniVersion", c->version, sizeof(c->version)))
		return -EINVAL;
	c->why = "name";
	if (get_str(j, 0, "name", c->name, sizeof(c->name)))
		return -EINVAL;
	c->why = "type";
	if (get_str(j, 0, "type", c->type, sizeof(c->type)))
		return -EINVAL;
	c->why = "bridge";
	if (get_str(j, 0, "bridge", c->bridge, sizeof(c->bridge)) || !ifname_valid(c->bridge))
		return -EINVAL;
	c->why = "a boolean";
	if (get_bool(j, 0, "isGateway", &c->is_gw) ||
	    get_bool(j, 0, "isDefaultGateway", &c->is_dgw) ||
	    get_bool(j, 0, "forceAddress", &c->force) || get_bool(j, 0, "ipMasq", &c->masq) ||
	    get_bool(j, 0, "hairpinMode", &c->hairpin) ||
	    get_bool(j, 0, "promiscMode", &c->promisc))
		return -EINVAL;
	c->is_gw |= c->is_dgw;
	c->why = "mtu";
	i = cj_get(j, 0, "mtu");
	if (i >= 0 && (get_num(j, i, 65535, &c->mtu) || c->mtu < 68))
		return -EINVAL;
	c->why = "ipam";
	if (c->ipam >= 0 && (j->t[c->ipam].type != JSMN_OBJECT ||
			     get_str(j, c->ipam, "type", c->ipam_type, sizeof(c->ipam_type)) ||
			     get_ipam(c, c->ipam)))
		return -EINVAL;
	if (get_ports(c, cj_get(j, cj_get(j, 0, "runtimeConfig"), "portMappings")))
		return -EINVAL;
	i = cj_get(j, 0, "prevResult");
	c->has_prev = i >= 0;
	if (i >= 0 && cni_result_parse(j, i, &c->prev, &c->why))
		return -EINVAL;
	c->why = "cni.dev/valid-attachments";
	return c->valid >= 0 && j->t[c->valid].type != JSMN_ARRAY ? -EINVAL : 0;
}

int cni_conf_valid(const struct cni_conf *c, const char *id, const char *ifname)
{
	const struct cj *j = &c->j;
	char a[256], b[16];
	int k, e;

	for (k = 0, e = c->valid + 1; c->valid >= 0 && k < j->t[c->valid].size;
	     k++, e = cj_next(j, e))
		if (!cj_str(j, cj_get(j, e, "containerID"), a, sizeof(a)) &&
		    !cj_str(j, cj_get(j, e, "ifname"), b, sizeof(b)) &&
		    !strcmp(a, id) && !strcmp(b, ifname))
			return 1;
	return 0;
}
