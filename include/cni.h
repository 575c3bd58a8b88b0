/*
 * The library side of nsbox's CNI plugins (lib/cniconf.c, lib/ipam.c): the
 * network configuration and result JSON checked against RFC 8259, read
 * as Go's encoding/json reads it into fixed structs (tokens as jsmn's, as
 * many as the text has), and host-local's address store.  Like the rest of lib/:
 * 0 or -errno, never prints.  The protocol and the plugins are cni/cni*.c.
 */
#ifndef NSBOX_CNI_H
#define NSBOX_CNI_H

#include "nsbox.h"

/* jsmn's tokens (its type only: cj_parse makes them) */
#define JSMN_HEADER
#include <jsmn.h>

/* JSON nests at most this deep, as in Go's encoding/json (maxNestingDepth) */
#define CJ_DEPTH	10000
#define CNI_NSETS	4	/* host-local range sets */
#define CNI_NRANGES	4	/* ranges in one set */
#define CNI_NIPS	8
#define CNI_NREQ	8	/* requested addresses (ips, IP=) */
#define CNI_NROUTES	16
#define CNI_NIFS	4
#define CNI_NPORTS	32

/* A parsed JSON document: the text and jsmn's tokens over it. */
struct cj {
	const char *s;
	int n;
	int sorted;		/* keys read as in a map Go re-marshalled */
	size_t at;		/* where cj_parse found the text not JSON */
	jsmntok_t *t;		/* n of them, malloc'd: cj_free */
};
/* The JSON text s (len bytes) checked strictly against RFC 8259 (nested at
 * most CJ_DEPTH deep; bytes that are not UTF-8 inside strings are taken,
 * as Go's decoder takes them) and cut into tokens.  -EBADMSG not JSON (j->at the
 * byte at fault) or not an object (j->at SIZE_MAX), -ENOMEM, -E2BIG over
 * 2 GiB.  j->t is
 * j's own (whatever it held is not freed). */
int cj_parse(struct cj *j, const char *s, size_t len);
void cj_free(struct cj *j);
/* Token after i and everything inside it. */
int cj_next(const struct cj *j, int i);
/* Value of key in object obj as Go's encoding/json finds a struct field:
 * the key unescaped, ASCII letters in any case (and U+212A for k, U+017F
 * for s, as Go 1.19's fold), a duplicate's last value (j->sorted: the
 * greatest key's, as in prevResult, a map Go re-marshals sorted); -1 when
 * absent or null (obj < 0 gives -1 too). */
int cj_get(const struct cj *j, int obj, const char *key);
/* String token i unescaped into buf as Go reads it (bytes that are not
 * UTF-8 and lone surrogates become U+FFFD): -EINVAL not a string, or
 * holding a NUL; -E2BIG too long. */
int cj_str(const struct cj *j, int i, char *buf, size_t len);

struct cni_ip {
	struct nsb_prefix addr;		/* the address with its prefix length */
	int has_gw;
	unsigned char gw[16];
	int iface;			/* index into interfaces, -1 none */
};
struct cni_route {
	struct nsb_prefix dst;
	int has_gw;
	unsigned char gw[16];
};
struct cni_if {
	char name[16];
	char mac[18];
	char sandbox[256];
};
/* A result (prevResult, or what an IPAM plugin printed).  Counts first:
 * the fields used most stay within a short displacement. */
struct cni_result {
	int nifs, nips, nroutes;
	int dnslen;
	const char *dns;		/* the "dns" object as JSON text, or NULL */
	struct cni_ip ips[CNI_NIPS];
	struct cni_route routes[CNI_NROUTES];
	struct cni_if ifs[CNI_NIFS];
};

struct cni_range {
	struct nsb_prefix subnet;	/* host bits clear */
	unsigned char start[16], end[16], gw[16];
};
struct cni_port {
	unsigned long host, cont;
	int proto;			/* IPPROTO_TCP, IPPROTO_UDP */
	char pname[8];			/* as given: "tcp", "UDP" */
	struct nsb_prefix hostip;	/* family 0: none given */
};

/* Everything any of the four plugins reads from its stdin. */
struct cni_conf {
	const char *why;		/* what was wrong, when parsing failed */
	/* bridge */
	int is_gw, is_dgw, force, masq, hairpin, promisc;
	unsigned long mtu;
	int ipam;			/* token of "ipam", -1 */
	int valid;			/* token of cni.dev/valid-attachments, -1 */
	int has_prev;
	int nsets, nroutes, nports, nreq;
	int dnslen;
	const char *dns;		/* the "dns" of the network config, JSON text */
	char version[16], bridge[16], type[32];
	char ipam_type[64];
	char name[128];
	/* host-local (from "ipam") */
	int nsetranges[CNI_NSETS];
	char data_dir[256], resolv[256];
	struct cni_route routes[CNI_NROUTES];
	struct cni_range sets[CNI_NSETS][CNI_NRANGES];
	/* the addresses asked for: args.cni.ips, runtimeConfig.ips, CNI_ARGS'
	 * IP= (a CIDR gives its address), each once */
	struct nsb_prefix req[CNI_NREQ];
	/* portmap */
	struct cni_port ports[CNI_NPORTS];
	struct cni_result prev;
	struct cj j;
};

/* An error object: ours, or one another plugin printed. */
struct cni_error {
	unsigned long code;
	char msg[256], details[256];
};
/* The error object at token 0 of j (absent fields left alone). */
int cni_error_parse(const struct cj *j, struct cni_error *e);

/* Read the whole network configuration s (NUL-terminated, len bytes)
 * into c (zeroed, or parsed before: its tokens are freed first).
 * -EBADMSG: not JSON (the spec's code 6), c->j.at where; -EINVAL: a field
 * is wrong (code 7), c->why names it; -ENOMEM.  c keeps pointers into s
 * and tokens: cj_free(&c->j). */
int cni_conf_parse(struct cni_conf *c, const char *s, size_t len);
/* CNI_ARGS ("K=V;K=V", cut at its ';': a copy) as the reference
 * host-local reads it: IP= a requested address, IgnoreUnknown=1|true;
 * *bad gets the pair at fault.  -EINVAL: not KEY=VALUE; -EDOM: the address
 * wrong; -ENOENT: a key unknown (the first), without IgnoreUnknown;
 * -E2BIG: too many addresses requested. */
int cni_conf_args(struct cni_conf *c, char *args, char **bad);
/* A result object at token i of j (prevResult, an IPAM plugin's output). */
int cni_result_parse(const struct cj *j, int i, struct cni_result *r, const char **why);
/* 1 if (id, ifname) is listed in cni.dev/valid-attachments (GC); each may
 * end at a space (read out of a rule comment) or at its NUL. */
int cni_conf_valid(const struct cni_conf *c, const char *id, const char *ifname);

/* ipam.c: host-local's store, DATADIR/NETWORK, in the reference plugin's
 * format: a file named by each address holding "ID\r\nIFNAME", the last
 * address handed out per range set in last_reserved_ip.N, and "lock",
 * flock'ed for every operation. */
struct ipam {
	int dfd, lock;			/* the directory, the lock file */
	char path[4096];		/* the directory's path */
};
/* Open (making it) and lock the store; ipam_close unlocks and closes. */
int ipam_open(struct ipam *st, const char *dir, const char *net);
void ipam_close(struct ipam *st);
/* One address from each range set for (id, ifname), in the reference's
 * order; all or none.  A set takes the first requested address (c->req)
 * inside one of its ranges (ips[i].addr gets it first), or allocates as
 * usual.  ips[i] gets the address and the gateway.  -EEXIST: (id, ifname)
 * has one already; -EADDRINUSE: set *at is full (or its request is taken or a
 * gateway); -EADDRNOTAVAIL: no set took request c->req[*at]. */
int ipam_alloc(const struct ipam *st, const struct cni_conf *c, const char *id,
	       const char *ifname, struct cni_ip *ips, int *at);

/* Release every address of (id, ifname); keep(arg, id, ifname) != 0 spares
 * an entry instead (GC: id NULL, keep decides).  Returns the count freed. */
int ipam_release(const struct ipam *st, const char *id, const char *ifname,
		 int (*keep)(const void *, const char *, const char *), const void *arg);
/* How many addresses (id, ifname) holds. */
int ipam_count(const struct ipam *st, const char *id, const char *ifname);

/* cnilink.c: IFF_* flag on or off (promiscMode); a bridge port's hairpin;
 * RTM_NEWADDR (exclusive) with the IPv4 broadcast address and IFA_F_*
 * flags (IFA_F_NODAD). */
int link_set_flag(struct nsb *c, struct mnl_socket *nl, int ifindex, unsigned int flag,
		  int on);
int brport_hairpin(struct nsb *c, struct mnl_socket *nl, int ifindex, int on);
int ifaddr_add_brd(struct nsb *c, struct mnl_socket *nl, int ifindex,
		   const struct nsb_prefix *p, unsigned int flags);

#endif
