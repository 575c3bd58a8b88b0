/* The shapes ip prints, shared by iplink, ipaddr and iproute: text close to
 * ip's, and JSON with ip -j's key names.  Writes to stdout, as json.c does;
 * a NULL struct json means text. */
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/if_arp.h>
#include "cli.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#define IFF_ECHO	0x40000
#endif

/* ip's order, which ip -j keeps in its "flags" array */
static const struct {
	unsigned int bit;
	char name[12];
} flagnames[] = {
	{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_BROADCAST, "BROADCAST" },
	{ IFF_POINTOPOINT, "POINTOPOINT" }, { IFF_MULTICAST, "MULTICAST" },
	{ IFF_NOARP, "NOARP" }, { IFF_ALLMULTI, "ALLMULTI" }, { IFF_PROMISC, "PROMISC" },
	{ IFF_MASTER, "MASTER" }, { IFF_SLAVE, "SLAVE" }, { IFF_DEBUG, "DEBUG" },
	{ IFF_DYNAMIC, "DYNAMIC" }, { IFF_AUTOMEDIA, "AUTOMEDIA" }, { IFF_PORTSEL, "PORTSEL" },
	{ IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_UP, "UP" }, { IFF_LOWER_UP, "LOWER_UP" },
	{ IFF_DORMANT, "DORMANT" }, { IFF_ECHO, "ECHO" },
};

static const char operstates[][16] = {
	"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"
};

const char *show_operstate(int state)
{
	return state >= 0 && state < 7 ? operstates[state] : "UNKNOWN";
}

static const char *num(unsigned int v, char *buf, size_t len)
{
	snprintf(buf, len, "%u", v);
	return buf;
}

const char *show_scope(int scope, char *buf, size_t len)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	}
	return num(scope, buf, len);
}

const char *show_proto(int proto, char *buf, size_t len)
{
	static const char names[][9] = {
		"unspec", "redirect", "kernel", "boot", "static"
	};

	if (proto < 5)
		return names[proto];
	if (proto == 9)
		return "ra";
	if (proto == 16)
		return "dhcp";
	return num(proto, buf, len);
}

static const char *link_type(unsigned int type, char *buf, size_t len)
{
	switch (type) {
	case ARPHRD_ETHER: return "ether";
	case ARPHRD_LOOPBACK: return "loopback";
	case ARPHRD_NONE: return "none";
	case ARPHRD_VOID: return "void";
	}
	snprintf(buf, len, "[%u]", type);
	return buf;
}

static void put(struct json *j, int *first, const char *s)
{
	if (j)
		json_str(j, s);
	else
		printf("%s%s", *first ? "" : ",", s);
	*first = 0;
}

/* Long: every field of ip's two link lines, text and -j, in ip's order. */
void show_link(struct json *j, const struct link_info *li,
	       const struct link_info *all, int n)
{
	const struct link_info *peer = NULL, *master = NULL;
	unsigned int flags = li->flags;
	char a[100], b[100], t[16], at[24] = "";
	size_t i;
	int first = 1;

	if (li->link && li->netnsid < 0) {
		peer = link_find(all, n, li->link);
		snprintf(at, sizeof(at), "@%s", peer ? peer->name : "");
		if (!peer)
			snprintf(at, sizeof(at), "@if%d", li->link);
	} else if (li->link) {
		snprintf(at, sizeof(at), "@if%d", li->link);
	}
	if (li->master)
		master = link_find(all, n, li->master);
	if (j) {
		json_kint(j, "ifindex", li->index);
		if (peer)
			json_kstr(j, "link", peer->name);
		else if (li->link)
			json_kint(j, "link_index", li->link);
		json_kstr(j, "ifname", li->name);
		json_key(j, "flags");
		json_open(j, '[');
	} else {
		printf("%d: %s%s: <", li->index, li->name, at);
	}
	/* ip's words: no carrier on an up link, and "M-DOWN" when the link
	 * this one sits on is down */
	if ((flags & IFF_UP) && !(flags & IFF_RUNNING))
		put(j, &first, "NO-CARRIER");
	for (i = 0; i < sizeof(flagnames) / sizeof(flagnames[0]); i++)
		if (flags & flagnames[i].bit)
			put(j, &first, flagnames[i].name);
	if (peer && !(peer->flags & IFF_UP))
		put(j, &first, "M-DOWN");
	if (j) {
		json_close(j, '[');
		json_kint(j, "mtu", li->mtu);
		if (master)
			json_kstr(j, "master", master->name);
		json_kstr(j, "operstate", show_operstate(li->operstate));
		json_kstr(j, "link_type", link_type(li->type, t, sizeof(t)));
		if (li->addrlen)
			json_kstr(j, "address", mac_format(li->addr, li->addrlen, a, sizeof(a)));
		if (li->brdlen)
			json_kstr(j, "broadcast", mac_format(li->brd, li->brdlen, b, sizeof(b)));
		if (li->link && li->netnsid >= 0)
			json_kint(j, "link_netnsid", li->netnsid);
		return;
	}
	printf("> mtu %d", li->mtu);
	if (master)
		printf(" master %s", master->name);
	printf(" state %s\n    link/%s", show_operstate(li->operstate),
	       link_type(li->type, t, sizeof(t)));
	if (li->addrlen)
		printf(" %s", mac_format(li->addr, li->addrlen, a, sizeof(a)));
	if (li->brdlen)
		printf(" brd %s", mac_format(li->brd, li->brdlen, b, sizeof(b)));
	if (li->link && li->netnsid >= 0)
		printf(" link-netnsid %d", li->netnsid);
	putchar('\n');
}
