/* natdnat [-n NETNS] [-j]                          list port forwards
 * natdnat [-n NETNS] [-e] [-d] [-p tcp|udp] [-i IFACE] [ADDR:]PORT[-PORT] TO_ADDR[:PORT]
 *
 * Forward connections to ADDR:PORT (any local address when ADDR is left out)
 * to TO_ADDR:PORT (the same port when :PORT is left out), both for packets
 * arriving from outside (chain prerouting) and for connections made on this
 * host itself (chain output; not with -i, which only matches arriving
 * packets). Turns on IPv4 forwarding in that namespace. Rules live in
 * nsbox's own nf_tables table (table ip nsbox), each with the command that
 * made it as its comment; no other table is touched.
 * 127.0.0.0/8 is refused as ADDR or TO_ADDR, and "any local address" leaves
 * it out: forwarding loopback needs route_localnet, which exposes loopback
 * services to the network (CVE-2020-8558).
 *   -n NETNS  act inside NETNS
 *   -j        list as JSON: [{"protocol","dst","dport","dport_end","iifname",
 *             "to","to_port","chains","comment"}] (no "dst": any local address)
 *   -e        succeed when the forward exists already (or, with -d, is gone)
 *   -d        delete the forward these arguments describe
 *   -p        protocol, tcp (default) or udp
 *   -i IFACE  only packets arriving through IFACE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "cli.h"


enum { O_N = 2, O_J, O_E, O_D, O_P, O_I };

static const struct nsb_optdef opts[] = {
	{ "-n", O_N, 1 },
	{ "-j", O_J, 0 },
	{ "-e", O_E, 0 },
	{ "-d", O_D, 0 },
	{ "-p", O_P, 1 },
	{ "-i", O_I, 1 },
	{ 0 }
};

struct args {
	const char *netns, *dport, *to;
	int json, idem, del, change;
	struct nft_nat n;
};

static int loopback(const struct nsb_prefix *p)
{
	return p->family == AF_INET && p->addr[0] == 127;
}

static int operand(struct nsb *c, struct args *a, const char *s)
{
	struct nft_nat *n = &a->n;
	int r;

	if (!a->dport) {
		a->dport = s;
		r = dport_parse(s, &n->dst, &n->lo, &n->hi);
		n->has_dst = n->dst.family == AF_INET;
	} else if (!a->to) {
		a->to = s;
		r = dnat_to_parse(s, &n->to, &n->toport);
	} else {
		return nsb_usage(c, s, "unexpected argument");
	}
	if (r == -ERANGE)
		return nsb_usage(c, s, "invalid port (1-65535, or LOW-HIGH with LOW <= HIGH)");
	if (r)
		return nsb_usage(c, s, "invalid IPv4 address");
	if (loopback(&n->dst) || loopback(&n->to))
		return nsb_usage(c, s, "127.0.0.0/8 cannot be forwarded (it needs route_localnet)");
	return 0;
}

static int parse(struct nsb *c, int argc, char **argv, struct args *a)
{
	struct nsb_opts st = { 0 };
	int k, r;

	memset(a, 0, sizeof(*a));
	a->n.proto = IPPROTO_TCP;
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		switch (k) {
		case NSB_OPT_USAGE:
			return 2;
		case O_N:
			a->netns = st.arg;
			break;
		case O_J:
			a->json = 1;
			break;
		case O_E:
			a->idem = a->change = 1;
			break;
		case O_D:
			a->del = a->change = 1;
			break;
		case O_P:
			a->change = 1;
			if (!strcmp(st.arg, "tcp"))
				a->n.proto = IPPROTO_TCP;
			else if (!strcmp(st.arg, "udp"))
				a->n.proto = IPPROTO_UDP;
			else
				return nsb_usage(c, st.arg, "unknown protocol (tcp or udp)");
			break;
		case O_I:
			a->change = 1;
			if (!ifname_valid(st.arg))
				return nsb_usage(c, st.arg, "invalid interface name");
			snprintf(a->n.ifname, sizeof(a->n.ifname), "%s", st.arg);
			break;
		default:
			r = operand(c, a, st.arg);
			if (r)
				return r;
		}
	}
	if (a->change && !a->dport)
		return nsb_usage(c, "[ADDR:]PORT", "missing operand");
	if (a->dport && !a->to)
		return nsb_usage(c, "TO_ADDR", "missing operand");
	if (a->json && a->dport)
		return nsb_usage(c, "-j", "only lists");
	return 0;
}

/* The command in canonical form: what the rules' comment says. */
static void describe(const struct nft_nat *n, char *buf, size_t len)
{
	char a[16];
	int o = snprintf(buf, len, "natdnat -p %s", n->proto == IPPROTO_TCP ? "tcp" : "udp");

	if (n->ifname[0])
		o += snprintf(buf + o, len - o, " -i %s", n->ifname);
	buf[o++] = ' ';
	if (n->has_dst)
		o += snprintf(buf + o, len - o, "%s:", addr_ntop(AF_INET, n->dst.addr, a, sizeof(a)));
	o += snprintf(buf + o, len - o, "%u", n->lo);
	if (n->hi != n->lo)
		o += snprintf(buf + o, len - o, "-%u", n->hi);
	o += snprintf(buf + o, len - o, " %s", addr_ntop(AF_INET, n->to.addr, a, sizeof(a)));
	if (n->toport)
		snprintf(buf + o, len - o, ":%u", n->toport);
}

static void show_json(struct json *j, const struct nft_nat *n, const struct nft_rule *v,
		      int nv, const char *comment)
{
	char a[16];
	int i;

	json_open(j, '{');
	json_kstr(j, "protocol", n->proto == IPPROTO_TCP ? "tcp" : "udp");
	if (n->has_dst)
		json_kstr(j, "dst", addr_ntop(AF_INET, n->dst.addr, a, sizeof(a)));
	json_kint(j, "dport", n->lo);
	if (n->hi != n->lo)
		json_kint(j, "dport_end", n->hi);
	if (n->ifname[0])
		json_kstr(j, "iifname", n->ifname);
	json_kstr(j, "to", addr_ntop(AF_INET, n->to.addr, a, sizeof(a)));
	if (n->toport)
		json_kint(j, "to_port", n->toport);
	json_key(j, "chains");
	json_open(j, '[');
	for (i = 0; i < nv; i++)
		if (v[i].chain >= 0 && !strcmp(v[i].comment, comment))
			json_str(j, nft_chain_name(v[i].chain));
	json_close(j, '[');
	json_kstr(j, "comment", comment);
	json_close(j, '{');
}

static int list(struct nsb *c, struct mnl_socket *nl, int json)
{
	struct nft_rule *v;
	struct json j = { 0 };
	int n = nft_rules(c, nl, &v), i, k;

	if (n < 0)
		return nsb_fail(c, "nf_tables", n);
	if (json)
		json_open(&j, '[');
	for (i = 0; i < n; i++) {
		char words[NFT_COMMENT_MAX], *w[16];
		struct args r;

		if (v[i].chain < 0 || strncmp(v[i].comment, "natdnat ", 8))
			continue;
		/* one forward is a rule in each of prerouting and output */
		for (k = 0; k < i; k++)
			if (v[k].chain >= 0 && !strcmp(v[k].comment, v[i].comment))
				break;
		if (k < i)
			continue;
		memcpy(words, v[i].comment, sizeof(words));
		k = nsb_split(words, w, 16);
		/* a comment not of ours (nft add ... comment) is skipped, silently */
		c->quiet = 1;
		k = k < 2 || parse(c, k, w, &r);
		c->quiet = 0;
		if (k)
			continue;
		if (json)
			show_json(&j, &r.n, v, n, v[i].comment);
		else
			puts(v[i].comment + 8);
	}
	if (json)
		json_close(&j, '[');
	free(v);
	return 0;
}

int natdnat_main(struct nsb *c, int argc, char **argv)
{
	struct mnl_socket *nl;
	struct args a;
	char comment[NFT_COMMENT_MAX];
	int fwd, r = parse(c, argc, argv, &a);

	if (r)
		return r;
	r = nl_sock(c, a.netns, NETLINK_NETFILTER, &nl);
	if (r)
		return nsb_fail(c, a.netns ? a.netns : "nf_tables", r);
	if (!a.dport)
		return list(c, nl, a.json);
	describe(&a.n, comment, sizeof(comment));
	/* -i: locally made connections arrive on no interface, so no output rule */
	r = nft_nat_commit(c, a.netns, nl, &a.n, comment,
			   1u << NFT_PRE | (a.n.ifname[0] ? 0 : 1u << NFT_OUT), a.del, a.idem, &fwd);
	return r ? nsb_fail(c, fwd ? NSB_IP_FORWARD : a.dport, r) : 0;
}
