/*
 * NAT rules over nf_tables netlink, in nsbox's own "table ip nsbox" (IPv4)
 * and "table ip6 nsbox" (IPv6).  Two tables, not one inet table: the ip
 * table older nsbox versions made keeps working as it is, with nothing to
 * move.  Each rule's comment (rule userdata) is the nsbox command that made
 * it, and that is how rules are recognised again for -e and -d.  Other
 * tables are never touched: iptables-nft and iptables-legacy rules live
 * beside ours.
 * Here: our base chains, the cache of our tables kept with a socket, and
 * the commits that make and remove rules (nft_nat_apply, nft_nat_commit
 * with forwarding, nft_drop).  A request is decided on the cache
 * (nftplan.c), sent as one batch (nftenc.c) on the condition that the
 * ruleset is still the generation it was decided on, and decided again on
 * tables read afresh (nftdec.c) when a concurrent commit went first.
 * iptables' filter table has its own chains and operations (nftfilt.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "nftint.h"

const struct nft_basechain nft_base[NFT_NCHAINS] = {
	[NFT_POST] = { "postrouting", NF_INET_POST_ROUTING, 100 },	/* srcnat */
	[NFT_PRE] = { "prerouting", NF_INET_PRE_ROUTING, -100 },	/* dstnat */
	[NFT_OUT] = { "output", NF_INET_LOCAL_OUT, -100 },
	[NFT_FWD] = { "forward", NF_INET_FORWARD, 0 },			/* filter */
	/* before dstnat: sees destinations as they arrived (a reply to a
	 * connection masqueraded from 127.0.0.1 is still to the bridge) */
	[NFT_GUARD] = { "guard", NF_INET_PRE_ROUTING, -150 },
};

const char *nft_chain_name(int chain)
{
	return nft_base[chain].name;
}

const char *nft_fwd_path(const struct nft_nat *n)
{
	return nft_family(n) == AF_INET6 ? NSB_IP6_FORWARD : NSB_IP_FORWARD;
}

void nft_cache_free(struct nft_cache *k)
{
	if (k)
		free(k->d.v);
	free(k);
}

/* The generation first: a change during the dumps then fails our batch. */
static int refresh(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k)
{
	uint32_t gen;
	int r = nft_get_gen(c, nl, &gen);

	if (!r)
		r = nft_dump_rules(c, nl, &k->d);
	if (!r)
		r = nft_our_chains(c, nl, &k->chains);
	k->gen = r ? 0 : gen;
	k->mixed = 0;
	return r;
}

struct echo {
	struct nft_cache *k;
	uint32_t gen;
	int bad;
};

/* The kernel's echo of our commit: the new rules with their handles, and
 * the generation the commit made. */
static int echo_cb(const struct nlmsghdr *nlh, void *data)
{
	struct echo *e = data;

	if ((nlh->nlmsg_type == NFT(NFT_MSG_NEWGEN) ? nft_gen_cb(nlh, &e->gen) :
	     nft_rule_cb(nlh, &e->k->d)) == MNL_CB_ERROR)
		e->bad = 1;
	return MNL_CB_OK;
}

/* Send plan p and bring the cache k up to what the kernel echoed; cond:
 * only if the ruleset is still generation k->gen (-ERESTART if not). */
static int commit(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k,
		  const struct nft_plan *p, const struct nft_nat *n, const char *comment,
		  int cond)
{
	size_t len = (size_t)(p->ndel + 2 * NFT_NCHAINS + 3) * MSG_MAX;
	char *buf = malloc(len);
	struct mnl_nlmsg_batch *b = buf ? mnl_nlmsg_batch_start(buf, len) : NULL;
	struct echo e = { k, 0, 0 };
	uint32_t key = nft_key(comment);
	struct nft_rule *v;
	/* nft_drop's (n NULL) deletes by comment in either table */
	int i, nmsg, r = -ENOMEM, fam = n ? nft_family(n) : 0;

	if (!b)
		goto out;
	if (!cond)
		k->gen = 0;
	nmsg = nft_encode(c, b, k, p, n, fam, comment);
	k->gen = 0;	/* unknown until the echo says */
	r = nl_batch(c, nl, mnl_nlmsg_batch_head(b), mnl_nlmsg_batch_size(b), nmsg,
		     echo_cb, &e);
	if (r || e.bad)
		goto out;
	v = k->d.v;	/* the echo may have grown it */
	for (i = 0; i < k->d.n && p->ndel; )
		if (nft_ours(&v[i], key, comment, fam, p->mask))
			v[i] = v[--k->d.n];
		else
			i++;
	k->chains |= p->chains << NFT_SHIFT(fam);
	/* an older kernel without the NEWGEN echo: dump again next time.
	 * Unconditioned, others may have committed before us: the cache
	 * holds our own rules right, theirs may be stale (own rules only
	 * ever look at their own). */
	k->gen = e.gen;
	k->mixed |= !cond;
out:
	if (b)
		mnl_nlmsg_batch_stop(b);
	free(buf);
	return r;
}

/* Decide on the cache k and, when something must change, commit it.
 * Where the decision rests on others' rules (natdnat's EEXIST, -e making a
 * rule once among parallel writers), a lost race would be wrong: the
 * commit holds only if the ruleset is still generation k->gen, and
 * -ERESTART says k was stale.  A rule its maker alone labels (n->own: a CNI
 * attachment's) rests on nothing but its own rules and our chains: made
 * unconditioned, as many writers at once need (a condition fails all but
 * one of them each round); a chain or table gone meanwhile is -ENOENT,
 * and tried again.  fresh: k was just dumped, so doing nothing stands. */
static int apply(struct nsb *c, struct mnl_socket *nl, struct nft_cache *k,
		 const struct nft_nat *n, const char *comment, unsigned int mask,
		 int del, int idem, int fresh)
{
	struct nft_plan p;
	uint32_t gen;
	int r;

	if (nft_plan(k->d.v, k->d.n, k->chains, comment, nft_family(n), mask, del, idem, &p)) {
		/* the guard made with its chain needs no condition: the
		 * chain's NLM_F_EXCL is one (EEXIST: another maker won, and
		 * a look again finds the rule in) */
		int excl = (p.chains >> NFT_GUARD) & 1;

		r = commit(c, nl, k, &p, n, comment, !n->own && !excl);
		return excl && r == -EEXIST ? -ERESTART : r;
	}
	if (fresh || n->own)
		return p.err;
	/* nothing to change, by a cache that must still be current */
	r = nft_get_gen(c, nl, &gen);
	return r ? r : gen != k->gen ? -ERESTART : p.err;
}

int nft_nat_apply(struct nsb *c, struct mnl_socket *nl, const struct nft_nat *n,
		  const char *comment, unsigned int mask, int del, int idem)
{
	struct nft_cache **k = nl_nft_cache(c, nl);
	int tries, r = -EBUSY;

	if (!k)
		return -EINVAL;
	if (!*k && !(*k = calloc(1, sizeof(**k))))
		return -ENOMEM;
	(*k)->d.size = sizeof(struct nft_rule);
	/* every lost race means another commit went in; 64 nsbox processes at
	 * once each lose at most 63 times */
	for (tries = 0; tries < 100; tries++) {
		/* a decision resting on others' rules (not n->own) needs them
		 * current: after an unconditioned commit of ours, dump again */
		int fresh = !(*k)->gen || ((*k)->mixed && !n->own);

		if (fresh)
			r = refresh(c, nl, *k);
		if (!fresh || !r)
			r = apply(c, nl, *k, n, comment, mask, del, idem, fresh);
		/* EINTR: dumps kept being interrupted by commits */
		if (r != -ERESTART && r != -EINTR && (r != -ENOENT || !n->own))
			return r;
		(*k)->gen = 0;
	}
	return r;
}

/* Whether our table of family holds any rule (one we cannot read counts). */
static int any_rule(struct nsb *c, struct mnl_socket *nl, int family)
{
	struct nft_rule *v = NULL;
	int n = nft_rules(c, nl, &v), i, any = n < 0;

	for (i = 0; i < n; i++)
		any |= v[i].family == family;
	free(v);
	return any;
}

/* Forwarding and concurrent commits: a loser puts back the 0 it read only
 * when no rule of ours is in, and looks again after writing it; a winner
 * makes sure forwarding is on after its commit.  Whatever the interleaving,
 * either the loser's second look sees the winner's rule (and turns it on
 * again) or the winner's check comes after the loser's write. */
int nft_nat_commit(struct nsb *c, const char *netns, struct mnl_socket *nl,
		   const struct nft_nat *n, const char *comment, unsigned int chains,
		   int del, int idem, int *fwd_failed)
{
	const char *fwd = nft_fwd_path(n);
	char old[8] = "1";
	int r, fam = nft_family(n);

	*fwd_failed = 0;
	if (!del) {
		/* NAT to another host or namespace needs forwarding; on before
		 * the rule, so traffic never meets a rule without it */
		r = sysctl_set(netns, fwd, "1", old, sizeof(old));
		if (r) {
			*fwd_failed = 1;
			return r;
		}
	}
	r = nft_nat_apply(c, nl, n, comment, chains, del, idem);
	if (!r && !del)
		sysctl_set(netns, fwd, "1", NULL, 0);
	if (r && strcmp(old, "1") && !any_rule(c, nl, fam)) {
		sysctl_set(netns, fwd, old, NULL, 0);	/* leave nothing behind */
		if (any_rule(c, nl, fam))
			sysctl_set(netns, fwd, "1", NULL, 0);
	}
	return r;
}

/* A rule by where it is: its table's family and its handle there. */
struct nft_at {
	int family;
	uint64_t handle;
};

/* Whether a rule of was[0..nw) is not in now[0..nn). */
static int rule_gone(const struct nft_at *was, int nw, const struct nft_at *now, int nn)
{
	int i, j;

	for (j = 0; j < nw; j++) {
		for (i = 0; i < nn && (now[i].handle != was[j].handle ||
				       now[i].family != was[j].family); i++)
			;
		if (i == nn)
			return 1;
	}
	return 0;
}

/* One look's tally of v[0..n): whether a rule pins the guard, whether one
 * of ours is left, and where the peers' rules are (*at, *nat of them). */
static int tally(const struct nft_rule *v, int n, int (*sel)(const char *, void *),
		 void *data, struct nft_at **at, int *nat, int *pin, int *own)
{
	struct nft_at *t = realloc(*at, (size_t)(n + 1) * sizeof(*t));
	int i, s;

	if (!t)
		return -ENOMEM;
	*at = t;
	for (i = *nat = *pin = *own = 0; i < n; i++) {
		s = v[i].chain >= 0 ? sel(v[i].comment, data) : NFT_KEEP;
		*pin |= s == NFT_PIN;
		*own |= s == NFT_DROP;
		if (s == NFT_PEER || s == NFT_PIN)
			t[(*nat)++] = (struct nft_at){ v[i].family, v[i].handle };
	}
	return 0;
}

/* Mark in k what p deletes: ours, and the guard when tail allows (renamed
 * "", as commit() deletes by comment); the rest goes out of its reach
 * (chain -1).  Returns the families that keep a rule (bit 0 ip, 1 ip6). */
static unsigned int choose(struct nft_cache *k, int (*sel)(const char *, void *), void *data,
			   int tail, struct nft_plan *p, int *last)
{
	struct nft_rule *v = k->d.v;
	unsigned int left = 0, gkeep = 0, gdrop = 0, fb;
	int i, s;

	for (i = p->ndel = *last = 0; i < k->d.n; i++) {
		s = v[i].chain >= 0 ? sel(v[i].comment, data) : NFT_KEEP;
		fb = 1u << (v[i].family == AF_INET6);
		if (s == NFT_DROP || (s == NFT_DROP_LAST && tail)) {
			*last |= s == NFT_DROP_LAST;
			gdrop |= v[i].chain == NFT_GUARD ? fb : 0;
			v[i].comment[0] = '\0';
			v[i].key = nft_key("");
			p->ndel++;
		} else {
			left |= fb;
			gkeep |= v[i].chain == NFT_GUARD ? fb : 0;
			v[i].chain = -1;
		}
	}
	/* the guard's chain goes with its last rule */
	p->delguard = gdrop & ~gkeep;
	return left;
}

/* One transaction for all of them: each commit that deletes rules queues
 * nf_tables' destroy work (a synchronize_rcu), and closing a netfilter
 * socket waits for it (nft_rcv_nl_event flushes it, seen on 6.18): a
 * second commit right after the first costs a second grace period. */
int nft_drop(struct nsb *c, struct mnl_socket *nl,
	     int (*sel)(const char *comment, void *data), void *data)
{
	struct nft_cache k = { .d = { .size = sizeof(struct nft_rule) } }, **kc;
	struct nft_plan p = { 0 };
	/* where the peers' rules are: this look's, the look before's */
	struct nft_at *peer[2] = { NULL, NULL }, *t;
	unsigned int left;
	int n, np = 0, pin, last, own, split, lost = 0, tries, r = -EBUSY;

	for (tries = 0; tries < 100; tries++) {
		r = nft_get_gen(c, nl, &k.gen);
		if (!r)
			r = nft_dump_rules(c, nl, &k.d);
		if (!r)
			r = tally(k.d.v, k.d.n, sel, data, &peer[1], &n, &pin, &own);
		if (r)
			goto next;
		/* our tail (nothing of ours left) lost to a commit taking a
		 * peer's rule: that peer looks again after it, as we do below,
		 * so the tail is its to take; the last deleter alone contends
		 * for it, not every deleter finishing at once */
		if (lost && !own && rule_gone(peer[0], np, peer[1], n))
			break;
		t = peer[0], peer[0] = peer[1], peer[1] = t, np = n;
		/* ours lost with the tail: ours alone first, unconditioned */
		split = lost && own;
		left = choose(&k, sel, data, !pin && !split, &p, &last);
		p.deltab = 0;
		if (!split)
			r = nft_empty_tables(c, nl, ~left & 3, &p.deltab);
		p.delguard &= ~p.deltab;	/* a table going takes it anyway */
		/* an attachment's own rules go by handle, unconditioned: what
		 * sel chose stays chosen whatever else changed, and a rule gone
		 * meanwhile (ENOENT: the whole batch refused) makes us choose
		 * again.  The guard (the last localnet rule's) and an empty
		 * table are another matter: a concurrent ADD may have just
		 * counted on them, so those go only if the ruleset is still
		 * the generation we looked at (-ERESTART: choose again). */
		lost = 0;
		if (!r && (p.ndel || p.deltab)) {
			r = commit(c, nl, &k, &p, NULL, "", last || p.deltab);
			lost = r == -ERESTART || r == -ENOENT;
		}
		/* unconditioned, we may have raced another DEL that kept the
		 * guard or a table for the rules we just took: look again, after
		 * every such commit (the last of us to commit sees both gone, and
		 * takes them, conditioned; a peer's yield counts on that look) */
		if (!r && p.ndel && !last && !p.deltab)
			continue;
next:
		if (r != -ENOENT && r != -ERESTART && r != -EINTR)
			break;
	}
	free(peer[0]);
	free(peer[1]);
	free(k.d.v);
	kc = nl_nft_cache(c, nl);
	if (kc && *kc)
		(*kc)->gen = 0;	/* what nft_nat_apply keeps for nl: dump again */
	return r;
}
