/* A rule of iptables' as nsbox takes it: the checks that make it
 * nsbox's rule (the nat table's and the filter table's), its -S line and
 * -L row, and the nat table's rules read back from their comments. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include "ipt.h"

/* what nf_tables cannot say as one match, or iptables refuses */
static int negs(struct nsb *c, const struct nft_nat *n)
{
	if ((n->neg & NFT_NEG_PROTO && (n->lo || n->slo || n->syn)) ||
	    (n->neg & NFT_NEG_SRC && !n->src.plen) || (n->neg & NFT_NEG_DST && !n->dst.plen))
		return ipt_unsup(c, "!", "with these matches");
	return 0;
}

/* r as far as iptables and nsbox take it, made nsbox's rule: 0, or 2
 * after the message */
int ipt_check(struct nsb *c, struct ipt *r)
{
	struct nft_nat *n = &r->n;

	if (r->fword)
		return ipt_unsup(c, r->fword, "in the nat table");
	if (!r->target)
		return nsb_usage(c, "-j", "missing option");
	if (!T_NAT(r->target))
		return ipt_unsup(c, "-j", n->jump);
	if (n->proto == IPPROTO_ICMP)
		return ipt_unsup(c, "-p", "icmp");
	if (r->target == T_DNAT ? r->chain == C_POST : r->chain != C_POST)
		return ipt_unsup(c, ipt_nth(cnames, r->chain), r->target == T_DNAT ? "-j DNAT" : "-j MASQUERADE|SNAT");
	if (r->dir && r->dir != (r->chain == C_PRE ? 'i' : 'o'))
		return nsb_usage(c, r->dir == 'i' || (r->dir == 1 && r->chain != C_PRE) ? "-i" : "-o",
				 "not in this chain");
	if (negs(c, n))
		return 2;
	if (r->tow != (r->target == T_MASQ ? T_NONE : r->target))
		return nsb_usage(c, r->target == T_SNAT ? "--to-source" : r->target == T_DNAT ?
				 "--to-destination" : "--to-*", r->target == T_MASQ ? "not with MASQUERADE"
				 : "missing option");
	if (n->toport && !n->proto)
		return nsb_usage(c, "PORT", "needs -p tcp|udp");
	/* natdnat's any local address, as iptables says it */
	if (r->groups >> G_ADDR & 1 && (!r->local || r->target != T_DNAT || n->dst.plen))
		return nsb_usage(c, "-m addrtype", "--dst-type LOCAL with DNAT only");
	/* as natdnat: DNAT to loopback needs route_localnet (CVE-2020-8558) */
	if (n->to.addr[0] == 127)
		return ipt_unsup(c, "127.0.0.0/8", NULL);
	n->src.family = AF_INET;	/* the family of a masquerade's rule */
	n->masq = r->target != T_DNAT;
	n->snat = r->target == T_SNAT;
	n->has_dst = n->dst.plen != 0;
	n->anydst = !r->local;
	n->ifneg = !!(n->neg & N_IF);
	n->neg &= ~N_IF;
	n->jump = NULL;
	return 0;
}

/* the filter table's targets as nf_tables' verdicts */
static const unsigned char verdicts[] = {
	[T_ACCEPT] = NFT_V_ACCEPT, [T_DROP] = NFT_V_DROP, [T_RETURN] = NFT_V_RETURN,
	[T_REJECT] = NFT_V_REJECT, [T_LOG] = 0, [T_CHAIN] = NFT_V_JUMP
};

/* The same for the filter table's rule r */
int ipt_fcheck(struct nsb *c, struct ipt *r)
{
	struct nft_nat *n = &r->n;
	int t = r->target, fc = nsb_word(r->cname, fnames);

	if (r->seen & NATTAB_OPTS || r->local)
		return ipt_unsup(c, r->local ? "-m addrtype" : "--to-*", "in the filter table");
	if (T_NAT(t))
		return ipt_unsup(c, "-j", n->jump);
	if ((fc == F_OUTPUT && n->iif[0]) || (fc == F_INPUT && n->ifname[0])) {
		return nsb_msg(ipt_voice(c), 2, NULL, "Can't use %s with %s", fc == F_OUTPUT ? "-i" : "-o", r->cname);
	}
	if (negs(c, n))
		return 2;
	if (n->rtype == NFT_REJECT_TCP_RST && (n->proto != IPPROTO_TCP || n->neg & NFT_NEG_PROTO))
		return ipt_unsup(c, "tcp-reset", "without -p tcp");
	n->src.family = AF_INET;
	n->chain = r->cname;
	n->ifneg = !!(n->neg & N_IF);
	n->log = t == T_LOG;
	n->verdict = verdicts[t];
	if (t == T_REJECT && !HAS(r, O_REJECT_WITH))
		n->rcode = 3;	/* icmp-port-unreachable */
	if (t != T_CHAIN)
		n->jump = NULL;
	return 0;
}

static const char *bang(const struct nft_nat *n, unsigned int bit)
{
	return (bit == N_IF ? (unsigned int)n->ifneg : n->neg & bit) ? " !" : "";
}

/* a string as iptables -S prints it: quoted unless it is a plain word */
static const char *quote(const char *s)
{
	return *s && !s[strspn(s, "_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")]
	       ? "%s" : "\"%s\"";
}

/* ct state bits as iptables lists them */
static void stnames(char *b, size_t len, unsigned int bits)
{
	int i, o = 0;

	*b = '\0';
	for (i = 0; i < 5; i++)
		if (bits & sbits[i])
			o += fmt_buf(b + o, len - o, "%s%s", o ? "," : "", ipt_nth(states, i));
}

/* "tcp", "udp", "icmp" */
static const char *pname(int proto)
{
	return proto == IPPROTO_TCP ? "tcp" : proto == IPPROTO_UDP ? "udp" : "icmp";
}

/* port match x ('s' or 'd'): -S's "[ !] --xport LO[:HI]" (l 0) or -L's
 * " xpt[s]:[!]LO[:HI]" */
static int ports(char *b, size_t len, int l, int x, const char *ng, const unsigned int *lo)
{
	int o = l ? fmt_buf(b, len, " %cpt%s:%s%u", x, lo[0] != lo[1] ? "s" : "", ng, lo[0]) :
		    fmt_buf(b, len, "%s --%cport %u", ng, x, lo[0]);

	return o + (lo[0] != lo[1] ? fmt_buf(b + o, len - o, ":%u", lo[1]) : 0);
}

/* the matches of a rule of the nat table, in -S's order */
static const char nat_order[] = { G_PORT, 0 };

/* -S's words (nl 0) or -L's (1) for r's matches, in the order they were
 * loaded, and its target's options */
static int extras(const struct ipt *r, char *b, size_t len, int l)
{
	const struct nft_nat *n = &r->n;
	const char *m, *ng, *opt;
	char st[64];
	int i, o = 0;

	for (m = r->filter ? r->order : nat_order; *m; m++) {
		if (*m == G_PORT && (r->filter || n->lo)) {
			o += fmt_buf(b + o, len - o, l ? " %s" : " -m %s", pname(n->proto));
			if (n->slo)
				o += ports(b + o, len - o, l, 's',
					   n->neg & NFT_NEG_SPORT ? (l ? "!" : " !") : "", &n->slo);
			if (n->lo)
				o += ports(b + o, len - o, l, 'd',
					   n->neg & NFT_NEG_DPORT ? (l ? "!" : " !") : "", &n->lo);
			if (n->syn)
				o += fmt_buf(b + o, len - o, l ? " flags:%s0x17/0x02" :
					      "%s --tcp-flags FIN,SYN,RST,ACK SYN",
					      n->neg & NFT_NEG_SYN ? (l ? "!" : " !") : "");
		} else if (*m == G_CT || *m == G_STATE) {
			ng = n->neg & NFT_NEG_CT ? " !" : "";
			opt = *m == G_CT ? "ctstate" : "state";
			stnames(st, sizeof(st), n->ctstate);
			if (l)
				o += fmt_buf(b + o, len - o, "%s %s %s", ng, opt, st);
			else
				o += fmt_buf(b + o, len - o, " -m %s%s --%s %s",
					      *m == G_CT ? "conntrack" : "state", ng, opt, st);
		} else if (*m == G_MPORT) {
			o += fmt_buf(b + o, len - o, l ? " multiport %sports " : " -m multiport --%sports ",
				      n->mpsrc ? "s" : "d");
			for (i = 0; i < n->nmports; i++)
				o += fmt_buf(b + o, len - o, "%s%u", i ? "," : "", n->mports[i]);
		} else if (*m == G_COMMENT) {
			o += fmt_buf(b + o, len - o, l ? " /* %s */" : " -m comment --comment %.0s",
				      r->comment);
			if (!l)
				o += fmt_buf(b + o, len - o, quote(r->comment), r->comment);
		}
	}
	return o;
}
/* the index of r's --reject-with in rejects (halved); the last ICMP
 * code's when none is */
static int rejidx(const struct nft_nat *n)
{
	int i = 0;

	if (n->rtype == NFT_REJECT_TCP_RST)
		return REJ_TCP_RESET;
	while (i < REJ_TCP_RESET - 1 && rcodes[i] != n->rcode)
		i++;
	return i;
}

/* -j's word */
static const char *tname(const struct ipt *r)
{
	return r->target == T_CHAIN ? r->n.jump : r->target ? ipt_nth(targets, r->target - T_MASQ) : "";
}

/* iptables -S's line for r; its length */
int ipt_line(const struct ipt *r, char *buf, size_t len)
{
	const struct nft_nat *n = &r->n;
	char a[20];
	int t = r->target, o = fmt_buf(buf, len, "-A %s", r->filter ? r->cname : ipt_nth(cnames, r->chain));

	if (n->src.plen)
		o += fmt_buf(buf + o, len - o, "%s -s %s/%d", bang(n, NFT_NEG_SRC),
			      addr_ntop(AF_INET, n->src.addr, a, sizeof(a)), n->src.plen);
	if (n->dst.plen)
		o += fmt_buf(buf + o, len - o, "%s -d %s/%d", bang(n, NFT_NEG_DST),
			      addr_ntop(AF_INET, n->dst.addr, a, sizeof(a)), n->dst.plen);
	if (n->iif[0])
		o += fmt_buf(buf + o, len - o, "%s -i %s", bang(n, NFT_NEG_IIF), n->iif);
	if (n->ifname[0])
		o += fmt_buf(buf + o, len - o, "%s -o %s", bang(n, N_IF), n->ifname);
	if (n->proto)
		o += fmt_buf(buf + o, len - o, "%s -p %s", bang(n, NFT_NEG_PROTO), pname(n->proto));
	if (r->local)
		o += fmt_buf(buf + o, len - o, " -m addrtype --dst-type LOCAL");
	o += extras(r, buf + o, len - o, 0);
	if (t)
		o += fmt_buf(buf + o, len - o, " -j %s", tname(r));
	if (t == T_SNAT || t == T_DNAT)
		o += fmt_buf(buf + o, len - o, " --to-%s %s", t == T_SNAT ? "source" : "destination",
			      addr_ntop(AF_INET, n->to.addr, a, sizeof(a)));
	if (n->toport)
		o += fmt_buf(buf + o, len - o, ":%u", n->toport);
	if (t == T_REJECT)
		o += fmt_buf(buf + o, len - o, " --reject-with %s", ipt_nth(rejects, 2 * rejidx(n)));
	if (n->logprefix) {
		o += fmt_buf(buf + o, len - o, " --log-prefix ");
		o += fmt_buf(buf + o, len - o, quote(n->logprefix), n->logprefix);
	}
	if (t == T_LOG && n->loglevel != 4)
		o += fmt_buf(buf + o, len - o, " --log-level %d", n->loglevel);
	return o;
}

/* iptables' own fields of a rule's identity (tags 64 and up): what -S and
 * -L print beyond the rule's struct nft_nat */
#define F(tag, m) NFT_FIELD(tag, struct ipt, m)
static const struct nft_field ipt_fields[] = {
	F(64, target), F(65, local), F(66, filter), F(67, order),
	NFT_FIELD_STR(68, struct ipt, comment), NFT_FIELD_STR(69, struct ipt, cname),
};
#define NIPT (int)(sizeof(ipt_fields) / sizeof(ipt_fields[0]))

void ipt_identity(struct ipt *r)
{
	int l = nft_id_put(r->xid, 0, sizeof(r->xid), ipt_fields, NIPT, r);

	/* too long: no identity, the rule read from its comment */
	r->n.maker = l < 0 ? 0 : NFT_BY_IPTABLES;
	r->n.xid = r->xid;
	r->n.xidlen = l < 0 ? 0 : l;
}

int ipt_from_id(const struct nft_rule *v, struct ipt *r)
{
	int by;

	memset(r, 0, sizeof(*r));
	by = nft_id_nat(v, &r->n);
	if (by && by != NFT_BY_IPTABLES)
		return by;	/* natmasq's or natdnat's: r->n alone */
	if (!by || nft_id_get(v->id, v->idlen, ipt_fields, NIPT, r) ||
	    (unsigned int)r->target > T_CHAIN || (r->target == T_CHAIN && !r->n.jump) || r->order[7] ||
	    (strchr(r->order, G_COMMENT) && !r->comment) ||
	    r->filter != (v->chain < 0) || (r->filter ? !r->cname || strcmp(r->cname, v->cname)
					   : !T_NAT(r->target))) {
		memset(r, 0, sizeof(*r));
		return 0;
	}
	ipt_identity(r);
	return by;
}

/* A rule of our table: iptables' own, or one natmasq or natdnat made,
 * from its identity, or, when an older nsbox made it, from its comment
 * (iptables' -A line, or the natmasq or natdnat command), read without a
 * word said (the parsers' context is NULL).  0, or -1: not one we show. */
int ipt_from_rule(const struct nft_rule *v, struct ipt *r, char *buf, char **w)
{
	struct nat_args a = { 0 };
	int n, k = 0, ch, by;

	for (ch = 0; ch < 4 && cnft[ch] != v->chain; ch++)
		;
	by = ipt_from_id(v, r);
	if (by == NFT_BY_IPTABLES) {
		r->chain = ch;
		return 0;
	}
	a.n = r->n;	/* natmasq's or natdnat's, read once */
	if (!by) {
		memcpy(buf, v->comment, NFT_COMMENT_MAX);
		n = nsb_split(buf, w, 48);
		by = n < 2 ? 0 : !strcmp(w[0], "natmasq") ? NFT_BY_NATMASQ :
		     !strcmp(w[0], "natdnat") ? NFT_BY_NATDNAT : 0;
		if (by)
			k = (by == NFT_BY_NATMASQ ? natmasq_parse : natdnat_parse)(NULL, n, w, &a);
		else
			k = n < 3 || ipt_parse(NULL, n, w, r) || r->cmd != 'A';
	}
	if (by == NFT_BY_NATMASQ || by == NFT_BY_NATDNAT) {
		memset(r, 0, sizeof(*r));
		r->n = a.n;
		r->target = a.n.masq ? T_MASQ : T_DNAT;
		r->dir = a.n.masq ? 'o' : 'i';
		r->local = !a.n.masq && !a.n.has_dst;	/* natdnat's any local address */
		if (!a.n.masq) {	/* natdnat's -i */
			memcpy(r->n.iif, a.n.ifname, sizeof(r->n.iif));
			r->n.ifname[0] = '\0';
		}
	} else if (by) {
		k = 1;	/* another maker's */
	}
	r->filter = 0;
	r->chain = ch;
	k = k || (!by && ipt_check(NULL, r));
	return k ? -1 : 0;
}

/* iptables -L's address column: a /32 is a bare address */
static void col(char *t, size_t len, const struct nsb_prefix *p)
{
	char b[16];

	fmt_buf(t, len, p->plen == 32 ? "%s" : "%s/%d", addr_ntop(AF_INET, p->addr, b, sizeof(b)),
		 p->plen);
}

/* a counter as iptables -L -v prints it: 5 digits, else K, M, G, T; with
 * -x, every digit */
static void num(unsigned long long v, int exact)
{
	int k = 0;

	while (!exact && v > (k ? 9999 : 99999) && k < 4) {
		v = (v + 500) / 1000;
		k++;
	}
	if (k)
		fmt_out("%4llu%c ", v, " KMGT"[k]);
	else
		fmt_out(exact ? "%8llu " : "%5llu ", v);
}

/* an interface column of -L -v */
static const char *ifcol(char *b, const char *name, int neg)
{
	fmt_buf(b, 20, "%s%s", neg ? "!" : "", *name ? name : "*");
	return b;
}

/* -L's line of r, the chain's rule number nr; v its rule (the counters of -v) */
void ipt_row(const struct ipt *r, const struct nft_rule *v, const struct ipt *q,
		unsigned long nr)
{
	const struct nft_nat *n = &r->n;
	char s[24], d[24], x[200], b[20], b2[20];
	int o, t = r->target;

	col(s, sizeof(s), &n->src);
	col(d, sizeof(d), &n->dst);
	o = fmt_buf(x, sizeof(x), "%s", r->local ? " ADDRTYPE match dst-type LOCAL" : "");
	o += extras(r, x + o, sizeof(x) - o, 1);
	if (t == T_SNAT || t == T_DNAT) {
		o += fmt_buf(x + o, sizeof(x) - o, " to:%s",
			      addr_ntop(AF_INET, n->to.addr, b, sizeof(b)));
		if (n->toport)
			o += fmt_buf(x + o, sizeof(x) - o, ":%u", n->toport);
	}
	if (t == T_REJECT)
		o += fmt_buf(x + o, sizeof(x) - o, " reject-with %s", ipt_nth(rejects, 2 * rejidx(n)));
	if (t == T_LOG)
		o += fmt_buf(x + o, sizeof(x) - o, " LOG flags 0 level %d", n->loglevel);
	if (n->logprefix)
		fmt_buf(x + o, sizeof(x) - o, " prefix \"%s\"", n->logprefix);
	if (HAS(q, O_LINE_NUMBERS))
		fmt_out("%-4lu ", nr);
	if (HAS(q, O_VERBOSE)) {
		num(v->packets, HAS(q, O_EXACT));
		num(v->bytes, HAS(q, O_EXACT));
	}
	fmt_out("%-9s %c%-5d-- ", tname(r), n->neg & NFT_NEG_PROTO ? '!' : ' ', n->proto);
	if (HAS(q, O_VERBOSE))
		fmt_out(" %-6s %-6s ", ifcol(b, n->iif, n->neg & NFT_NEG_IIF),
		       ifcol(b2, n->ifname, n->ifneg));
	fmt_out("%c%-20s%c%-20s%s\n", n->neg & NFT_NEG_SRC ? '!' : ' ', s,
	       n->neg & NFT_NEG_DST ? '!' : ' ', d, x);
}

/* Whether iptables shows v (a rule of table ip from iptables, natmasq or
 * natdnat), in chain k (-1: any of ours); r is it.  -I's numbers, -C and
 * -F go by the same rules -S and -L show (a CNI plugin's stay out). */
int ipt_shown(const struct nft_rule *v, int k, struct ipt *r)
{
	char buf[NFT_COMMENT_MAX], *w[48];

	return v->family == AF_INET && v->chain >= 0 && (k < 0 || v->chain == cnft[k]) &&
	       !ipt_from_rule(v, r, buf, w);
}

int ipt_bad(struct nsb *c)
{
	return nsb_msg(c, 1, NULL, "Bad rule (does a matching rule exist in that chain?).");
}

int ipt_refused(struct nsb *c, const struct ipt *r, const char *why)
{
	if (strchr("DC", r->cmd))
		return ipt_bad(c);
	return nsb_msg(ipt_voice(c), 4, NULL, " RULE_%s failed (%s): rule in chain %s",
		       r->cmd == 'A' ? "APPEND" : r->cmd == 'I' ? "INSERT" : "REPLACE", why, r->cname);
}

/* -L's head of a chain */
void ipt_head(const struct ipt *q, int first, const char *name, const char *what)
{
	fmt_out("%sChain %s (%s)\n%s%starget     prot opt %ssource               destination         \n",
	       first ? "" : "\n", name, what, HAS(q, O_LINE_NUMBERS) ? "num  " : "",
	       !HAS(q, O_VERBOSE) ? "" : HAS(q, O_EXACT) ? "    pkts      bytes " : " pkts bytes ",
	       HAS(q, O_VERBOSE) ? "in     out     " : "");
}

