/* Private to cli/cni*.c: one CNI invocation and the plugins' entry points. */
#ifndef NSBOX_CNIPLUG_H
#define NSBOX_CNIPLUG_H

#include "cli.h"
#include "cni.h"

enum { CNI_ADD, CNI_DEL, CNI_CHECK, CNI_GC, CNI_STATUS, CNI_NOPS };

struct cni {
	struct nsb *c;
	const char *plugin;		/* "bridge", "host-local", ... */
	int op;
	int legacy;			/* config is 0.3.x/0.4.0: ips carry "version" */
	const char *id, *netns, *ifname, *path;
	char *in;			/* stdin, NUL-terminated */
	size_t inlen;
	struct cni_conf *conf;
	char *sub;			/* a delegated plugin's output (res points in) */
	struct cni_error err;		/* code 0: none yet */
	struct cni_result res;		/* what ADD prints */
	struct nft_rule *rules;		/* CHECK: our tables, dumped once */
	int nrules;
};

/* Record an error (the first one wins); returns -1. */
int cni_err(struct cni *k, int code, const char *details, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A -errno from lib/ as error 999 "what: reason", the kernel's text as details. */
int cni_fail(struct cni *k, const char *what, int err);
/* CNI_NETNS opened (an fd), never the namespace we run in: ADD and CHECK
 * -1 with the error set; DEL -2 when there is nothing to act on there
 * (unset, empty, gone, not a namespace, or ours: DEL then releases what it
 * can outside it and succeeds). */
int cni_netns(struct cni *k);
/* Run the plugin type from CNI_PATH with CNI_COMMAND cmd and our stdin;
 * with res, its result is read into res (pointing into k->sub). */
int cni_exec(struct cni *k, const char *type, const char *cmd, struct cni_result *res);
/* Drop our nf_tables rules whose comment starts "PLUGIN NET ID IFNAME "
 * (gc: of every attachment not in cni.dev/valid-attachments). */
int cni_nft_drop(struct cni *k, int gc);
/* CHECK: the rule labelled comment is in the table of family, in every
 * chain of the mask want; else error 999, the comment as details. */
int cni_nft_want(struct cni *k, const char *comment, int family, unsigned int want);
/* portmap's rule dropping packets to 127/8 from anywhere but lo: one,
 * while any attachment has a "localnet" rule (cni_nft_drop takes it with
 * the last) */
#define CNI_GUARD "nsbox localnet guard"
/* "PLUGIN NET ID IFNAME what" into buf (NFT_COMMENT_MAX). */
int cni_comment(struct cni *k, char *buf, const char *what);

typedef int cni_op(struct cni *);
extern cni_op *const cni_bridge[CNI_NOPS], *const cni_hostlocal[CNI_NOPS],
	*const cni_portmap[CNI_NOPS], *const cni_loopback[CNI_NOPS],
	*const cni_tuning[CNI_NOPS], *const cni_firewall[CNI_NOPS];
/* The protocol for CNI_COMMAND cmd (not VERSION) with the configuration
 * read from fd: plugin name's ops run, the result or the error object
 * printed; the exit status.  cni_main calls it with the ops of the name
 * it was called by, the fuzzer (tests/fuzz/fuzz_cnientry.c) with its own. */
int cni_entry(struct nsb *c, const char *name, cni_op *const *plugin, const char *cmd,
	      int fd);

#endif
