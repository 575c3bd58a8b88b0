/* nsgraph [-j | --dot] [-s]
 *
 * Every network namespace as one picture: this one (called "host") and
 * each named one under /run/netns, with their interfaces, addresses and
 * default routes, the veth pairs between them and bridge ports.
 * An interface is UP when it is up and has carrier (what traffic needs,
 * at once: the kernel's operstate follows a moment later), "no carrier"
 * when up without (a veth whose peer is down), else "down".
 *   (none)  a text diagram in 80 columns, ASCII only: one [NS] block a
 *           namespace, a bridge's ports under it, and at each end of a
 *           veth "<-> NS:IFNAME" naming the other end
 *   --dot   Graphviz: a cluster a namespace, a box an interface, a line
 *           a veth pair, a dashed arrow from a port to its bridge;
 *           nsgraph --dot | dot -Tsvg > net.svg
 *   -j      the same facts as JSON, with ip -j's keys where ip has them
 *           ("operstate" the kernel's, "state" the word above)
 *   -s      each interface's counters: a column "rx PACKETS/BYTES tx
 *           PACKETS/BYTES" in text and DOT, ip -s -j's "stats64" in -j
 * Text and DOT leave out the addresses every namespace has (host and link
 * scope: 127.0.0.1, ::1, fe80::) and a lo that has no other; -j keeps all.
 */
/* Over 500 lines: one loader and three renderers (text, dot, JSON) of one
 * graph. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <net/if.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "cli.h"

#define COL 40		/* where addresses start in the text diagram */

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#endif

static const struct nsb_optdef opts[] = {
	{ "-j", 'j', 0 },
	{ "--dot", 'd', 0 },
	{ "-s", 's', 0 },
	{ 0 }
};

struct gns {
	const char *name;
	int fd;
	struct stat st;
	struct link_info *lv;	/* sorted by name */
	struct ifaddr_info *av;
	struct route_info *rv;	/* default routes only */
	int nlinks, na, nr;	/* counts of lv, av, rv */
	int masq, fwd;		/* rules in table ip nsbox */
};

struct graph {
	struct nsb *c;
	struct gns *ns;		/* [0] is this namespace */
	int n;
	int *ids;		/* ids[i * n + j]: j's nsid as i sees it, or < 0 */
	char **names;
	int sw;			/* -s: width of the counter column, else 0 */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct link_info *)a)->name, ((const struct link_info *)b)->name);
}

static int load_routes(struct nsb *c, struct mnl_socket *nl, struct gns *s)
{
	struct route_info *v;
	int f, k, n;

	for (f = AF_INET; f; f = f == AF_INET ? AF_INET6 : 0) {
		n = route_list(c, nl, f, RT_TABLE_MAIN, &v);
		if (n == -EAFNOSUPPORT)
			continue;
		if (n < 0)
			return n;
		for (k = 0; k < n; k++)
			if (!v[k].dst_len && v[k].type == RTN_UNICAST) {
				void *p = realloc(s->rv, (s->nr + 1) * sizeof(*v));

				if (!p) {
					free(v);
					return -ENOMEM;
				}
				s->rv = p;
				s->rv[s->nr++] = v[k];
			}
		free(v);
	}
	return 0;
}

/* The NAT summary: masquerade rules and port forwards in our table (a
 * forward has a rule in prerouting and maybe output: count it once). */
static int load_nat(struct nsb *c, struct gns *s)
{
	struct mnl_socket *nl;
	struct nft_rule *v = NULL;
	int r = nl_sock_fd(c, s->fd, NETLINK_NETFILTER, &nl), n, i, k;

	/* NAT is an optional kernel feature; the picture does not need it */
	if (r == -EPROTONOSUPPORT || r == -EAFNOSUPPORT || r == -ENOENT) {
		s->masq = -1;
		return 0;
	}
	if (r)
		return r;
	n = nft_rules(c, nl, &v);
	if (n == -EINVAL || n == -EOPNOTSUPP || n == -EPROTONOSUPPORT || n == -ENOENT) {
		s->masq = -1;	/* nfnetlink without nf_tables */
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (v[i].chain == NFT_POST && !strncmp(v[i].comment, "natmasq ", 8))
			s->masq++;
		if (v[i].chain < 0 || strncmp(v[i].comment, "natdnat ", 8))
			continue;
		for (k = 0; k < i && strcmp(v[k].comment, v[i].comment); k++)
			;
		s->fwd += k == i;
	}
	free(v);
	return n < 0 ? n : 0;
}

static void nat_text(const struct gns *s, char *buf, size_t len)
{
	fmt_buf(buf, len, s->masq < 0 ? "nat: unavailable" : "nat: %d masquerade, %d port forward%s",
		 s->masq, s->fwd, s->fwd == 1 ? "" : "s");
}

/* One namespace's links, addresses and default routes into s. */
static int load_ns(struct nsb *c, struct gns *s)
{
	struct mnl_socket *nl;
	int r = nl_sock_fd(c, s->fd, NETLINK_ROUTE, &nl);

	if (r)
		return r;
	r = s->nlinks = link_list(c, nl, &s->lv);
	if (r < 0)
		return r;
	list_sort(s->lv, s->nlinks, sizeof(*s->lv), by_name);
	r = s->na = ifaddr_list(c, nl, AF_UNSPEC, &s->av);
	if (r < 0)
		return r;
	r = load_routes(c, nl, s);
	return r ? r : load_nat(c, s);
}

static int load(struct graph *g)
{
	struct nsb *c = g->c;
	struct mnl_socket *nl;
	int n = ns_list(&g->names), i, j, k, r;

	if (n < 0)
		return nsb_fail(c, NSB_RUN_NETNS, n);
	g->ns = calloc(n + 1, sizeof(*g->ns));
	if (!g->ns)
		return nsb_fail(c, "nsgraph", -ENOMEM);
	for (i = -1; i < n; i++) {
		struct gns *s = &g->ns[g->n];

		s->name = i < 0 ? "host" : g->names[i];
		s->fd = i < 0 ? ns_self() : ns_open(s->name);
		/* deleted or replaced since it was listed (the host is always there) */
		if (i >= 0 && (s->fd == -ENOENT || s->fd == -NSB_ENOTNS))
			continue;
		g->n++;
		if (s->fd < 0 || fstat(s->fd, &s->st) < 0)
			return nsb_fail(c, s->name, s->fd < 0 ? s->fd : -errno);
		/* a second name for a namespace already shown (ip netns attach) */
		for (k = 0; k < g->n - 1; k++)
			if (g->ns[k].st.st_dev == s->st.st_dev && g->ns[k].st.st_ino == s->st.st_ino)
				break;
		if (k < g->n - 1) {
			close(s->fd);
			g->n--;
			continue;
		}
		r = load_ns(c, s);
		if (r)
			return nsb_fail(c, s->name, r);
	}
	g->ids = malloc(sizeof(int) * g->n * g->n);
	if (!g->ids)
		return nsb_fail(c, "nsgraph", -ENOMEM);
	for (i = 0; i < g->n; i++) {
		struct gns *s = &g->ns[i];

		for (k = 0; k < s->nlinks && s->lv[k].netnsid < 0; k++)
			;
		for (j = 0; j < g->n; j++) {
			/* only namespaces with links elsewhere need the numbers */
			r = -ENOENT;
			if (k < s->nlinks && j != i) {
				r = nl_sock_fd(c, s->fd, NETLINK_ROUTE, &nl);
				if (!r)
					r = link_netnsid(c, nl, g->ns[j].fd);
			}
			if (r < 0 && r != -ENOENT)
				return nsb_fail(c, s->name, r);
			g->ids[i * g->n + j] = r;
		}
	}
	return 0;
}

static void unload(struct graph *g)
{
	int i;

	for (i = 0; i < g->n; i++) {
		close(g->ns[i].fd);
		free(g->ns[i].lv);
		free(g->ns[i].av);
		free(g->ns[i].rv);
	}
	free(g->ns);
	free(g->ids);
	free(g->names);
}

/* The other end of a veth and its namespace in *pj; NULL when that end is
 * in a namespace without a name. */
static const struct link_info *peer(const struct graph *g, int i,
				    const struct link_info *li, int *pj)
{
	int j;

	if (!li->link || strcmp(li->kind, "veth"))
		return NULL;
	for (j = 0; j < g->n; j++)
		if (li->netnsid < 0 ? j == i : g->ids[i * g->n + j] == li->netnsid) {
			*pj = j;
			return link_find(g->ns[j].lv, g->ns[j].nlinks, li->link);
		}
	return NULL;
}

static const char *state(const struct link_info *li)
{
	if (!(li->flags & IFF_UP))
		return "down";
	return li->flags & IFF_LOWER_UP ? "UP" : "no carrier";
}

static int stats_text(const struct link_info *li, char *buf)
{
	return fmt_str(buf, "rx %llu/%llu tx %llu/%llu",
		       (unsigned long long)li->stats[LS_RX_PACKETS],
		       (unsigned long long)li->stats[LS_RX_BYTES],
		       (unsigned long long)li->stats[LS_TX_PACKETS],
		       (unsigned long long)li->stats[LS_TX_BYTES]);
}

static const char *kind(const struct link_info *li)
{
	return li->kind[0] ? li->kind : li->flags & IFF_LOOPBACK ? "loopback" : "device";
}

/* Every namespace has these: they say nothing about the wiring. */
static int shown_addr(const struct ifaddr_info *a)
{
	return a->scope != RT_SCOPE_HOST && a->scope != RT_SCOPE_LINK;
}

static int shown(const struct gns *s, const struct link_info *li)
{
	int k;

	if (!(li->flags & IFF_LOOPBACK) || s->nlinks == 1)
		return 1;
	for (k = 0; k < s->na; k++)
		if (s->av[k].index == li->index && shown_addr(&s->av[k]))
			return 1;
	return 0;
}

static const char *ifname(const struct gns *s, int index, char *buf)
{
	const struct link_info *li = link_find(s->lv, s->nlinks, index);

	if (li)
		return li->name;
	fmt_str(buf, "if%d", index);
	return buf;
}

static void route_text(const struct gns *s, const struct route_info *rt, char *buf)
{
	char a[64], d[16];
	int n = fmt_str(buf, "default");

	if (rt->has_gw)
		n += fmt_str(buf + n, " via %s", addr_ntop(rt->family, rt->gw, a, sizeof(a)));
	if (rt->oif)
		n += fmt_str(buf + n, " dev %s", ifname(s, rt->oif, d));
	if (rt->has_metric)
		fmt_str(buf + n, " metric %u", rt->metric);
}

static const char *addr_text(const struct ifaddr_info *a, char *buf)
{
	return show_prefix(a->family, a->local, a->plen, buf, 96);
}

/* A word of the text diagram in the column at base, or after the words
 * already there, or on the next line in that column when it would pass
 * column 80.  Columns are padded only when a word follows. */
static void word(int *col, int base, const char *w)
{
	int len = strlen(w);

	if (*col < base - 1)
		*col += fmt_out("%*s", base - 1 - *col, "");
	else if (*col > base && *col + 1 + len > 80)
		*col = fmt_out("\n%*s", base, "") - 1;
	*col += fmt_out(" %s", w);
}

static void text_link(const struct graph *g, int i, const struct link_info *li,
		      int depth, int last)
{
	const struct gns *s = &g->ns[i];
	const struct link_info *p;
	char w[600], a[96];
	int col, k, j, pad = 18 - 3 * depth, base = COL + (g->sw ? g->sw + 1 : 0);

	col = fmt_out("  %*s%s%-*s %-8s %s", depth > 1 ? 3 * depth - 3 : 0, "",
		     depth ? last ? "`- " : "|- " : "", pad > 0 ? pad : 0, li->name,
		     kind(li), state(li)) - 1;
	if (g->sw && stats_text(li, a))
		word(&col, COL, a);
	for (k = 0; k < s->na; k++)
		if (s->av[k].index == li->index && shown_addr(&s->av[k]))
			word(&col, base, addr_text(&s->av[k], a));
	p = peer(g, i, li, &j);
	if (p) {
		k = fmt_str(w, "<-> %s:%s", g->ns[j].name, p->name);
		if (p->master)
			fmt_str(w + k, " on %s", ifname(&g->ns[j], p->master, a));
		word(&col, base, w);
	} else if (li->link && !strcmp(li->kind, "veth")) {
		fmt_str(w, "<-> if%d in nsid %d", li->link, li->netnsid);
		word(&col, base, w);
	}
	putchar('\n');
}

/* The first shown link at or after k whose master is master (0: those
 * without one, or whose master vanished), or -1. */
static int child(const struct gns *s, int master, int k)
{
	for (; k < s->nlinks; k++) {
		const struct link_info *li = &s->lv[k];
		int m = link_find(s->lv, s->nlinks, li->master) ? li->master : 0;

		if (m == master && shown(s, li))
			return k;
	}
	return -1;
}

static void text_tree(const struct graph *g, int i, int master, int depth)
{
	const struct gns *s = &g->ns[i];
	int k, next;

	for (k = child(s, master, 0); k >= 0 && depth < 8; k = next) {
		next = child(s, master, k + 1);
		text_link(g, i, &s->lv[k], depth, next < 0);
		text_tree(g, i, s->lv[k].index, depth + 1);
	}
}

static void text_out(struct graph *g)
{
	char w[128];
	int i, k, n;

	/* one counter column for the whole picture, as wide as its widest */
	for (i = 0; g->sw && i < g->n; i++)
		for (k = 0; k < g->ns[i].nlinks; k++) {
			n = stats_text(&g->ns[i].lv[k], w);
			if (shown(&g->ns[i], &g->ns[i].lv[k]) && n > g->sw)
				g->sw = n;
		}
	for (i = 0; i < g->n; i++) {
		fmt_out("%s[%s]\n", i ? "\n" : "", g->ns[i].name);
		text_tree(g, i, 0, 0);
		for (k = 0; k < g->ns[i].nr; k++) {
			route_text(&g->ns[i], &g->ns[i].rv[k], w);
			fmt_out("  %s\n", w);
		}
		if (g->ns[i].masq || g->ns[i].fwd) {
			nat_text(&g->ns[i], w, sizeof(w));
			fmt_out("  %s\n", w);
		}
	}
}

/* Inside a DOT "string": only the quote and the backslash are special. */
static void dot_put(const char *s)
{
	for (; *s; s++)
		fmt_out(*s == '"' || *s == '\\' ? "\\%c" : "%c", *s);
}

/* Node ids are NS/IFNAME, "." for this namespace: "/" is in neither kind
 * of name and "." is never a namespace name, so ids cannot clash. */
static void dot_node(const struct graph *g, int i, const struct link_info *li)
{
	putchar('"');
	dot_put(i ? g->ns[i].name : ".");
	putchar('/');
	dot_put(li->name);
	putchar('"');
}

static void end(const struct graph *g, struct json *j, const char *key, int i,
		const struct link_info *li)
{
	json_key(j, key);
	json_open(j, '{');
	json_kstr(j, "netns", g->ns[i].name);
	json_kstr(j, "ifname", li->name);
	json_close(j, '{');
}

/* Veth pairs (once a pair) and port-to-master edges, as DOT when j is
 * NULL, else as JSON objects. */
static void edges(const struct graph *g, struct json *j)
{
	const struct link_info *li, *p;
	int i, k, pj, m;

	for (i = 0; i < g->n; i++)
		for (k = 0; k < g->ns[i].nlinks; k++) {
			li = &g->ns[i].lv[k];
			for (m = 0; m < 2; m++) {
				if (m) {
					pj = i;
					p = li->master ? link_find(g->ns[i].lv, g->ns[i].nlinks, li->master) : NULL;
				} else {
					p = peer(g, i, li, &pj);
					if (p && (pj < i || (pj == i && p->index < li->index)))
						p = NULL;
				}
				if (!p)
					continue;
				if (j) {
					json_open(j, '{');
					json_kstr(j, "type", m ? "master" : "veth");
					end(g, j, "from", i, li);
					end(g, j, "to", pj, p);
					json_close(j, '{');
					continue;
				}
				/* the master first ranks a bridge left of its ports;
				 * the arrow still points from the port to it */
				putchar('\t');
				dot_node(g, m ? pj : i, m ? p : li);
				fputs(" -- ", stdout);
				dot_node(g, m ? i : pj, m ? li : p);
				puts(m ? " [dir=back, style=dashed];" : " [penwidth=2];");
			}
		}
}

static void dot_out(const struct graph *g)
{
	char w[128];
	int i, k, a;

	puts("graph nsgraph {\n\trankdir=LR;\n\tnode [shape=box];");
	for (i = 0; i < g->n; i++) {
		const struct gns *s = &g->ns[i];

		fmt_out("\tsubgraph \"cluster_");
		dot_put(i ? s->name : ".");
		fmt_out("\" {\n\t\tlabel=\"");
		dot_put(s->name);
		for (k = 0; k < s->nr; k++) {
			route_text(s, &s->rv[k], w);
			fmt_out("\\n");
			dot_put(w);
		}
		if (s->masq || s->fwd) {
			nat_text(s, w, sizeof(w));
			fmt_out("\\n");
			dot_put(w);
		}
		puts("\";");
		for (k = 0; k < s->nlinks; k++) {
			const struct link_info *li = &s->lv[k];

			if (!shown(s, li))
				continue;
			fmt_out("\t\t");
			dot_node(g, i, li);
			fmt_out(" [label=\"");
			dot_put(li->name);
			fmt_out("\\n%s %s", kind(li), state(li));
			if (g->sw && stats_text(li, w))
				fmt_out("\\n%s", w);
			for (a = 0; a < s->na; a++)
				if (s->av[a].index == li->index && shown_addr(&s->av[a]))
					fmt_out("\\n%s", addr_text(&s->av[a], w));
			puts("\"];");
		}
		puts("\t}");
	}
	edges(g, NULL);
	puts("}");
}

/* Long: one JSON document, written top to bottom in the order it prints. */
/* Over 60 lines: the graph's JSON, namespaces, links, addresses and routes, one nesting
 * level a block
 * NOLINTNEXTLINE(readability-function-size) */
static void json_out(const struct graph *g)
{
	struct json j = { 0 };
	char w[64], s[16];
	int i, k, a, pj;

	json_open(&j, '{');
	json_key(&j, "namespaces");
	json_open(&j, '[');
	for (i = 0; i < g->n; i++) {
		const struct gns *ns = &g->ns[i];

		json_open(&j, '{');
		json_kstr(&j, "name", ns->name);
		json_key(&j, "current");
		json_bool(&j, !i);
		json_key(&j, "links");
		json_open(&j, '[');
		for (k = 0; k < ns->nlinks; k++) {
			const struct link_info *li = &ns->lv[k], *p;

			json_open(&j, '{');
			json_kstr(&j, "ifname", li->name);
			json_kint(&j, "ifindex", li->index);
			json_kstr(&j, "kind", kind(li));
			json_kstr(&j, "operstate", show_operstate(li->operstate));
			json_kstr(&j, "state", state(li));
			if (li->master)
				json_kstr(&j, "master", ifname(ns, li->master, w));
			if (li->link && li->netnsid >= 0)
				json_kint(&j, "link_netnsid", li->netnsid);
			p = peer(g, i, li, &pj);
			if (p) {
				json_key(&j, "peer");
				json_open(&j, '{');
				json_kstr(&j, "netns", g->ns[pj].name);
				json_kstr(&j, "ifname", p->name);
				json_kint(&j, "ifindex", p->index);
				json_close(&j, '{');
			}
			json_key(&j, "addr_info");
			json_open(&j, '[');
			for (a = 0; a < ns->na; a++) {
				if (ns->av[a].index == li->index)
					show_addr(&j, &ns->av[a], SHOW_FEW);
			}
			json_close(&j, '[');
			if (g->sw)
				show_stats(&j, li);
			json_close(&j, '{');
		}
		json_close(&j, '[');
		json_key(&j, "routes");
		json_open(&j, '[');
		for (k = 0; k < ns->nr; k++) {
			const struct route_info *rt = &ns->rv[k];

			json_open(&j, '{');
			json_kstr(&j, "dst", "default");
			if (rt->has_gw)
				json_kstr(&j, "gateway", addr_ntop(rt->family, rt->gw, w, sizeof(w)));
			if (rt->oif)
				json_kstr(&j, "dev", ifname(ns, rt->oif, s));
			if (rt->has_metric)
				json_kint(&j, "metric", rt->metric);
			json_close(&j, '{');
		}
		json_close(&j, '[');
		json_key(&j, "nat");
		if (ns->masq < 0) {
			json_raw(&j, "null");
		} else {
			json_open(&j, '{');
			json_kint(&j, "masquerade", ns->masq);
			json_kint(&j, "forwards", ns->fwd);
			json_close(&j, '{');
		}
		json_close(&j, '{');
	}
	json_close(&j, '[');
	json_key(&j, "edges");
	json_open(&j, '[');
	edges(g, &j);
	json_close(&j, '[');
	json_close(&j, '{');
}

int nsgraph_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	struct graph g = { c, NULL, 0, NULL, NULL, 0 };
	int k, mode = 0, r;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (k == NSB_OPT_OPERAND)
			return nsb_usage(c, st.arg, "unexpected argument");
		if (k == 's') {
			g.sw = 1;
			continue;
		}
		if (mode && mode != k)
			return nsb_usage(c, argv[st.i - 1], "-j and --dot exclude each other");
		mode = k;
	}
	r = load(&g);
	if (!r) {
		if (mode == 'j')
			json_out(&g);
		else if (mode == 'd')
			dot_out(&g);
		else
			text_out(&g);
	}
	unload(&g);
	return r;
}
