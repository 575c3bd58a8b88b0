/* The ip personality's parts (cli/ip*.c), private to them. */
#ifndef NSBOX_IP_H
#define NSBOX_IP_H

#include "cli.h"

struct ipc {
	struct nsb *c;
	const char *netns;	/* -n */
	const char *obj, *cmd;	/* full words, for messages */
	int json, family, brief, stats, details;
	int up;			/* link|addr show up: only links that are up */
	int all;		/* -all: netns delete and exec act on every one */
};

/* w is full, or an abbreviation of it at least min characters long: how
 * iproute2's matches() reads its tables in their order, written out. */
int ip_abbrev(const char *w, const char *full, int min);
/* A word of one of ip's tables: the fewest letters that name it (in the
 * table's order, as iproute2's matches() reads it) and what it is; a table
 * ends with an empty word. */
struct ip_word {
	char word[12];
	unsigned char min, op;
};
/* The entry of t w abbreviates, or NULL. */
const struct ip_word *ip_find(const char *w, const struct ip_word *t);
/* "ip: OBJ CMD ... WHAT: not supported by nsbox", exit 2. */
int ip_unsup(struct ipc *ip, const char *what, const char *arg);
/* The rtnetlink socket of -n's namespace (1 after the message). */
int ip_sock(struct ipc *ip, struct mnl_socket **nl);
/* "dev NAME" or a bare NAME (what ip accepts where one device is named);
 * a bare word once *dev is known is not supported.  0, else 2 after the
 * message. */
int ip_devarg(struct ipc *ip, char **argv, int *i, int argc, const char **dev);
/* dev's command's socket: 0, 2 when no dev was named, 1 (after the message) */
int ip_devsock(struct ipc *ip, const char *dev, struct mnl_socket **nl);

/* netns NS: a name, a path, or a process id (as ip takes it) into buf */
int ip_nsarg(struct ipc *ip, const char *arg, char *buf, size_t len);

/* The kernel refused a change: iproute2's line for it ("Error: TEXT." with
 * the kernel's text, else "RTNETLINK answers: ERROR") and its exit 2 (a
 * name not found stays nsbox's line and 1, as iproute2's "Cannot find
 * device" is 1). */
int ip_refused(struct ipc *ip, int err);
/* One line of iproute2's own words on stderr (its parser's complaints,
 * where a script may match them); returns status. */
int ip_say(struct ipc *ip, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* link_index's err for dev: iproute2's "Cannot find device" line when it
 * is not there (-ENODEV), else nsbox's; 1 */
int ip_nodev(struct ipc *ip, const char *dev, int err);
/* ip's "Error: duplicate" for key given twice, the second time with arg: 255 */
int ip_dup(struct ipc *ip, const char *key, const char *arg);

int ip_link(struct ipc *ip, int cmd, int argc, char **argv);
int ip_addr(struct ipc *ip, int cmd, int argc, char **argv);
int ip_route(struct ipc *ip, int cmd, int argc, char **argv);

/* The routes of -4/-6's family in s's table (0: main) that ip route show and
 * flush select: on s->oif when set, s's prefix exactly when got has it
 * (iprt.c's parse); malloc'd, count or -errno. */
int ip_routes(struct ipc *ip, struct mnl_socket *nl, const struct route_info *s,
	      unsigned int got, struct route_info **out);

/* ipshow.c: ip's own text, -br and -j shapes */
int ip_show_links(struct ipc *ip, const char *dev, int addrs);
/* route get's answer for get, else what ip_routes selects */
int ip_show_routes(struct ipc *ip, const struct nsb_prefix *get, const struct route_info *s,
		   unsigned int got);

enum { IP_ADD = 1, IP_SET, IP_DEL, IP_SHOW, IP_FLUSH, IP_REPLACE, IP_CHANGE, IP_APPEND,
       IP_GET };

#endif
