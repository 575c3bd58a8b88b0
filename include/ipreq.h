/*
 * cli/ipreq.c: the requests that the ip-like applets (iplink, ipaddr,
 * iproute) and the ip personality both make, called by each with explicit
 * arguments: ip link set's keywords and request, an address flush, and
 * ip route's words and change.  Neither calls the other; both call this.
 */
#ifndef NSBOX_IPREQ_H
#define NSBOX_IPREQ_H

#include "cli.h"

/* ip link set's keywords, read into one request */
struct linkset {
	struct link_req rq;
	const char *master;	/* a name, looked up when sent */
	const char *netns;	/* a name or a path */
	unsigned int seen;	/* keywords met, by their index in the table */
	const char *dup;	/* with LINKSET_DUP: the keyword given twice */
	unsigned char mac[6];
	char nspath[32];	/* netns PID as /proc/PID/ns/net */
};
void linkset_init(struct linkset *s);
#define LINKSET_IP	1	/* ip's dialect: netns takes a process id too, and
				 * only what ip takes once is refused given twice */
#define LINKSET_DUP	3	/* linkset_word: a keyword given twice (nothing printed) */
/* argv[*i], when it is one of link set's words, with its argument, into s:
 * 1 (*i then on its last word), 0 when it is not one, 2 after a usage
 * message, LINKSET_DUP for a keyword given twice (s->dup names it, the
 * caller says so). */
int linkset_word(struct nsb *c, struct linkset *s, int argc, char **argv, int *i,
		 int flags);
/* s's request on dev, sent on nl: 0; 1 when a name is not found or NETNS
 * cannot be opened (message printed); -errno when the kernel refuses the
 * change (not printed: the applet and the personality word it each their
 * own way). */
int linkset_send(struct nsb *c, struct mnl_socket *nl, const char *dev,
		 struct linkset *s);

/* Every address of family (AF_UNSPEC: all) on dev: 0, 1 after the message. */
int addr_flush(struct nsb *c, struct mnl_socket *nl, const char *dev, int family);

/* host, link, global, site, nowhere or a number: 0, or 2 after the message */
int scope_arg(struct nsb *c, const char *s, unsigned char *scope);

/* ip route's words: the applet iproute takes PREFIX and five keywords,
 * the personality ip route's [to] [TYPE] PREFIX and its keywords; for a
 * selector (show, flush) the prefix is optional and only table (and
 * flush's dev) may follow. */
enum rt_dialect { RT_APPLET, RT_IP };
enum rt_use { RT_USE_CHANGE, RT_USE_SHOW, RT_USE_FLUSH };
#define RT_GOT_SCOPE	1
#define RT_GOT_PROTO	2
#define RT_GOT_DST	4
struct rtargs {
	enum rt_dialect dialect;
	enum rt_use use;
	int family;		/* -4/-6 or AF_UNSPEC */
	const char *dev;	/* out: dev or oif */
	unsigned int got;	/* out: RT_GOT_* */
	const char *unsup;	/* out with RT_UNSUP: the word nsbox does not take */
	const char *unsup_arg;	/* and its argument, or NULL */
};
#define RT_UNSUP	3
/* argv into rt: 0, 2 after a usage message, RT_UNSUP (nothing printed). */
int rt_parse(struct nsb *c, struct rtargs *a, int argc, char **argv, struct route_info *rt);

enum rt_op { RTOP_ADD, RTOP_DEL, RTOP_REPLACE, RTOP_CHANGE, RTOP_APPEND };
/* The change op of rt (as rt_parse read it, with iproute2's defaults for
 * what a left out), sent on nl: 0; 1 after a message (dev not found; with
 * idem, an add finding another route there); -errno when the kernel refuses
 * the change (not printed, as linkset_send).  idem: -e (add: the same route
 * there succeeds, del: one gone succeeds).  subject names rt in messages. */
int rt_change(struct nsb *c, struct mnl_socket *nl, enum rt_op op, int idem,
	      const struct rtargs *a, struct route_info *rt, const char *subject);

#endif
