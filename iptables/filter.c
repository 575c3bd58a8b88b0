/* The filter table's commands: its rules are read back from their
 * comments (iptables' -A lines), and each command is one transaction on
 * the rules and chains as they were dumped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include "ipt.h"

/* A rule of the filter table, read from its identity, or from its comment
 * when an older nsbox made it (w and buf then hold r's words) */
struct frule {
	struct ipt r;
	int ok;
	char buf[NFT_COMMENT_MAX], *w[48];
};

static int fparse(const struct nft_rule *v, struct frule *f)
{
	int n;

	if (v->family != AF_INET || v->chain >= 0)
		return 0;
	if (ipt_from_id(v, &f->r) == NFT_BY_IPTABLES)
		return 1;
	if (strncmp(v->comment, "-A ", 3))
		return 0;
	memcpy(f->buf, v->comment, sizeof(f->buf));
	n = nsb_split(f->buf, f->w, 48);
	n = n >= 3 && !ipt_parse(NULL, n, f->w, &f->r) && f->r.cmd == 'A' && f->r.filter &&
	    !strcmp(f->r.cname, v->cname) && !ipt_fcheck(NULL, &f->r);
	if (n)	/* -Z writes it again, with its identity if one fits */
		ipt_identity(&f->r);
	return n;
}

static int chcmp(const void *a, const void *b)
{
	return strcmp(((const struct nft_chain *)a)->name, ((const struct nft_chain *)b)->name);
}

/* The index of chain name in ch, -1: none */
static int fchain(const struct nft_chain *ch, int nc, const char *name)
{
	while (nc-- > 0)
		if (!strcmp(ch[nc].name, name))
			return nc;
	return -1;
}

/* Whether name is one of nsbox's own chains (nat, the CNI plugins') */
static int ours(const char *name)
{
	int i;

	for (i = 0; i < NFT_NCHAINS; i++)
		if (!strcmp(name, nft_chain_name(i)))
			return 1;
	return 0;
}

/* How many rules jump to name, and hold it */
static int refs(const struct frule *f, int k, const char *name, int *rules,
		const struct nft_rule *v)
{
	int i, n = 0;

	for (i = 0, *rules = 0; i < k; i++) {
		n += f[i].ok && f[i].r.target == T_CHAIN && !strcmp(f[i].r.n.jump, name);
		*rules += f[i].ok && !strcmp(v[i].cname, name);
	}
	return n;
}

/* -S (two passes: the chains, then the rules) or -L of the filter table */
static void flist(const struct ipt *q, const struct frule *f, const struct nft_rule *v, int k,
		  const struct nft_chain *ch, int nc)
{
	int pass, i, j, x, nrules, first = 1;
	const char *pol;
	char what[64];

	for (pass = q->cmd == 'L'; pass < 2; pass++)
		for (j = -3; j < nc; j++) {
			const char *cn = j < 0 ? ipt_nth(fnames, j + 3) : ch[j].name;
			unsigned long nr = 0;

			if ((j >= 0 && ch[j].hook >= 0) || (*q->cname && strcmp(q->cname, cn)))
				continue;
			x = fchain(ch, nc, cn);
			pol = x >= 0 && ch[x].policy == NF_DROP ? "DROP" : "ACCEPT";
			if (j < 0)
				fmt_buf(what, sizeof(what), "policy %s%s", pol,
					 HAS(q, O_VERBOSE) ? " 0 packets, 0 bytes" : "");
			else
				fmt_buf(what, sizeof(what), "%d references", refs(f, k, cn, &nrules, v));
			if (!pass) {
				fmt_out(j < 0 ? "-P %s %s\n" : "-N %s\n", cn, pol);
				continue;
			}
			if (q->cmd == 'L')
				ipt_head(q, first, cn, what);
			first = 0;
			for (i = 0; i < k; i++) {
				if (!f[i].ok || strcmp(v[i].cname, cn))
					continue;
				nr++;
				if (q->cmd == 'S')
					puts(v[i].comment);
				else
					ipt_row(&f[i].r, &v[i], q, nr);
			}
		}
}

/* An op of the batch */
static void op(struct nft_op *o, int *nop, int type, int flags, const char *chain, int hook,
	       int policy, uint64_t handle, const struct nft_nat *n, const char *comment)
{
	struct nft_op *p = &o[(*nop)++];

	p->type = type;
	p->flags = flags;
	p->chain = chain;
	p->hook = hook;
	p->policy = policy;
	p->handle = handle;
	p->n = n;
	p->comment = comment;
}

/* Long: the filter table's commands, each one transaction on the rules and
 * chains as they were dumped */
/* Over 60 lines: the filter table's commands over one dump of its chains
 * NOLINTNEXTLINE(readability-function-size) */
int ipt_filter(struct nsb *c, struct mnl_socket *nl, struct ipt *r)
{
	struct nft_rule *v = NULL;
	struct nft_chain *ch = NULL;
	struct frule *f = NULL;
	struct nft_op *o = NULL;
	char s[NFT_COMMENT_MAX + 64] = "";
	const char *name = r->cname;
	int k, nc, i, e = 0, nop = 0, cmd = r->cmd, fc = nsb_word(name, fnames), x, hit = -1, n;
	unsigned long nr = 0;

	k = nft_rules(c, nl, &v);
	nc = k < 0 ? k : nft_chains(c, nl, &ch);
	if (nc < 0) {
		e = nsb_fail(c, "nf_tables", nc);
		goto out;
	}
	f = calloc(k + 1, sizeof(*f));
	o = calloc(k + nc + 2, sizeof(*o));
	if (!f || !o) {
		e = nsb_fail(c, "nf_tables", -ENOMEM);
		goto out;
	}
	list_sort(ch, nc, sizeof(*ch), chcmp);
	for (i = 0; i < k; i++)
		f[i].ok = fparse(&v[i], &f[i]);
	x = fchain(ch, nc, name);
	if (cmd == 'P') {
		if (fc < 0)
			e = nsb_msg(c, 1, NULL, "Bad built-in chain name.");
		else if ((n = nsb_word(r->policy, "DROP\0ACCEPT\0")) < 0)
			e = nsb_msg(c, 1, NULL, "Bad policy name. Run `dmesg' for more information.");
		else
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE, name, NF_INET_LOCAL_IN + fc, n, 0, NULL, NULL);
		goto commit;
	}
	if (cmd == 'N') {
		if (fc >= 0 || x >= 0)
			e = nsb_msg(c, 1, NULL, "Chain already exists.");
		else if (*name == '-' || !*name || nsb_word(name, targets) >= 0 || strlen(name) > 28) {
			e = nsb_msg(ipt_voice(c), 2, NULL, *name == '-' ? "chain name not allowed to start with `-'" :
				    strlen(name) < 29 ? "chain name may not clash with target name" :
				    "chain name `%s' too long (must be under 29 chars)", name);
		}
		else if (ours(name))
			e = ipt_unsup(c, name, "(a chain of nsbox's own)");
		else
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE | NLM_F_EXCL, name, -1, -1, 0, NULL, NULL);
		goto commit;
	}
	if ((*name || strchr("AIRDC", cmd)) && fc < 0 && (x < 0 || ch[x].hook >= 0)) {
		e = nsb_msg(strchr("LS", cmd) ? ipt_voice(c) : c, 1, NULL, strchr("LS", cmd) ? "chain `%s' in table `filter' is incompatible, use 'nft' tool."
			    : "No chain/target/match by that name.", name);
		goto out;
	}
	if (cmd == 'L' || cmd == 'S') {
		flist(r, f, v, k, ch, nc);
		goto out;
	}
	if (cmd == 'X') {
		for (i = 0; i < nc && !e; i++) {
			if (ch[i].hook >= 0 || (*name && strcmp(name, ch[i].name)))
				continue;
			if (refs(f, k, ch[i].name, &n, v) || n) {
				e = nsb_msg(ipt_voice(c), 4, NULL, " CHAIN_DEL failed (Device or resource busy): chain %s",
					    ch[i].name);
			}
			op(o, &nop, NFT_MSG_DELCHAIN, 0, ch[i].name, -1, -1, 0, NULL, NULL);
		}
		if (fc >= 0)
			e = nsb_msg(c, 1, NULL, "No chain/target/match by that name.");
		goto commit;
	}
	if (strchr("AIRDC", cmd) && !(cmd == 'D' && r->at)) {
		if (ipt_fcheck(c, r)) {
			e = 2;
			goto out;
		}
		/* a jump to a base chain: the kernel refuses it (its own: a loop) */
		if (r->target == T_CHAIN && nsb_word(r->n.jump, fnames) >= 0) {
			e = ipt_refused(c, r, strcmp(r->n.jump, name) ? "No such file or directory" :
					"Operation not supported");
			goto out;
		}
		if (r->target == T_CHAIN && fchain(ch, nc, r->n.jump) < 0) {
			e = nsb_msg(ipt_voice(c), 2, NULL, "Chain '%s' does not exist", r->n.jump);
			goto out;
		}
		if (ipt_line(r, s, sizeof(s)) >= NFT_COMMENT_MAX) {
			e = ipt_unsup(c, "a rule this long", NULL);
			goto out;
		}
		ipt_identity(r);
	}
	/* the rule -I|-R|-D N or -D|-C RULE mean, as the chain numbers them */
	for (i = 0; i < k; i++) {
		if (!f[i].ok || strcmp(v[i].cname, name))
			continue;
		nr++;
		if (hit < 0 && (r->at ? nr == r->at : strchr("DC", cmd) && !strcmp(v[i].comment, s)))
			hit = i;
	}
	switch (cmd) {
	case 'C':
	case 'D':
	case 'R':
		if (cmd == 'D' && r->at && fc >= 0 && x < 0)
			e = nsb_msg(c, 1, NULL, "No chain/target/match by that name.");
		else if (hit < 0)
			e = !r->at ? ipt_bad(c) : nsb_msg(c, 1, NULL, cmd == 'R' ? "Index of replacement too big." :
							   "Index of deletion too big.");
		else if (cmd == 'R')
			op(o, &nop, NFT_MSG_NEWRULE, NLM_F_REPLACE, name, -1, -1, v[hit].handle, &r->n, s);
		else if (cmd == 'D')
			op(o, &nop, NFT_MSG_DELRULE, 0, name, -1, -1, v[hit].handle, NULL, NULL);
		break;
	case 'A':
	case 'I':
		if (r->at > nr + 1) {
			e = nsb_msg(c, 1, NULL, "Index of insertion too big.");
			break;
		}
		if (fc >= 0 && x < 0)	/* the built-in chain, made on demand */
			op(o, &nop, NFT_MSG_NEWCHAIN, NLM_F_CREATE, name, NF_INET_LOCAL_IN + fc, -1, 0, NULL, NULL);
		op(o, &nop, NFT_MSG_NEWRULE, NLM_F_CREATE | (cmd == 'A' || hit < 0 ? NLM_F_APPEND : 0),
		   name, -1, -1, cmd == 'I' && hit >= 0 ? v[hit].handle : 0, &r->n, s);
		if (cmd == 'I' && !r->at)
			o[nop - 1].flags = NLM_F_CREATE;	/* the head */
		break;
	default:	/* -F, -Z: each rule of the chain (of every chain) */
		for (i = 0; i < k; i++)
			if (f[i].ok && (!*name || !strcmp(name, v[i].cname)))
				op(o, &nop, cmd == 'F' ? NFT_MSG_DELRULE : NFT_MSG_NEWRULE,
				   cmd == 'F' ? 0 : NLM_F_REPLACE, v[i].cname, -1, -1, v[i].handle,
				   &f[i].r.n, v[i].comment);
	}
commit:
	if (!e && nop && (e = nft_ops(c, nl, o, nop)))
		e = nsb_fail(c, "nf_tables", e);
out:
	free(v);
	free(ch);
	free(f);
	free(o);
	return e;
}

