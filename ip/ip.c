/* ip [OPTIONS] OBJECT [COMMAND [ARGS...]]: nsbox called as ip, with
 * iproute2's syntax for what namespace scripts use (netns, link, addr,
 * route) and its abbreviations, written out as iproute2's tables read them.
 * Anything else exits 2 with one line saying nsbox does not support it. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/netlink.h>
#include "ip.h"

int ip_abbrev(const char *w, const char *full, int min)
{
	size_t n = strlen(w);

	return n >= (size_t)min && n <= strlen(full) && !strncmp(w, full, n);
}

const char *ip_find(const char *w, const char *tab)
{
	for (; *tab; tab += strlen(tab + 2) + 3)
		if (ip_abbrev(w, tab + 2, tab[0]))
			return tab;
	return NULL;
}

int ip_unsup(struct ipc *ip, const char *what, const char *arg)
{
	return nsb_msg(ip->c, 2, NULL, "%s%s%s%s%s%s%s: not supported by nsbox",
		       ip->obj ? ip->obj : "", ip->cmd ? " " : "", ip->cmd ? ip->cmd : "",
		       ip->cmd ? " ... " : ip->obj ? " " : "", what, arg ? " " : "",
		       arg ? arg : "");
}

int ip_sock(struct ipc *ip, struct mnl_socket **nl)
{
	int r = nl_sock(ip->c, ip->netns, NETLINK_ROUTE, nl);

	return r ? nsb_fail(ip->c, ip->netns, r) : 0;
}

int ip_devsock(struct ipc *ip, const char *dev, struct mnl_socket **nl)
{
	if (!dev)
		return nsb_usage(ip->c, "dev", "missing operand");
	return ip_sock(ip, nl);
}

int ip_devarg(struct ipc *ip, char **argv, int *i, int argc, const char **dev)
{
	const char *w = argv[*i];

	if (*dev && strcmp(w, "dev"))	/* a word after the device */
		return ip_unsup(ip, w, NULL);
	if (!strcmp(w, "dev")) {
		if (++*i >= argc)
			return nsb_usage(ip->c, "dev", "missing argument");
		w = argv[*i];
	}
	if (*dev)
		return nsb_usage(ip->c, w, "unexpected argument");
	if (!ifname_valid(w))
		return nsb_usage(ip->c, w, "invalid interface name");
	*dev = w;
	return 0;
}

/* ------------------------------------------------------------ ip netns */

static int ns_dev_ino(const char *path, struct stat *st)
{
	return stat(path, st) < 0 ? -errno : 0;
}

/* ip netns pids NAME / identify [PID]: who is in which namespace */
static int pids(struct ipc *ip, const char *name, const char *pid)
{
	char path[300];
	struct stat want, st;
	struct dirent *e;
	char **names = NULL;
	DIR *d;
	int r, k, n = 0;

	if (name) {
		if (ns_path(name, path, sizeof(path)))
			return nsb_usage(ip->c, name, "invalid namespace name");
	} else {
		fmt_buf(path, sizeof(path), "/proc/%s/ns/net", pid ? pid : "self");
	}
	r = ns_dev_ino(path, &want);
	if (r)
		return nsb_fail(ip->c, name ? name : pid, r);
	if (!name) {
		int hit = 0;

		n = ns_list_order(&names, 0);
		for (k = 0; k < n; k++) {
			fmt_buf(path, sizeof(path), NSB_RUN_NETNS "/%s", names[k]);
			if (!ns_dev_ino(path, &st) && st.st_dev == want.st_dev &&
			    st.st_ino == want.st_ino && ++hit)
				puts(names[k]);
		}
		if (!hit)	/* as ip: an empty line for an unnamed namespace */
			putchar('\n');
		free(names);
		return n < 0 ? nsb_fail(ip->c, NSB_RUN_NETNS, n) : 0;
	}
	d = opendir("/proc");
	if (!d)
		return nsb_fail(ip->c, "/proc", -errno);
	while ((e = readdir(d)))
		if (e->d_name[0] > '0' && e->d_name[0] <= '9') {
			fmt_buf(path, sizeof(path), "/proc/%s/ns/net", e->d_name);
			if (!ns_dev_ino(path, &st) && st.st_dev == want.st_dev &&
			    st.st_ino == want.st_ino)
				puts(e->d_name);
		}
	closedir(d);
	return 0;
}

/* The number this namespace gives NAME, or -1. */
static int nsid_of(struct ipc *ip, struct mnl_socket *nl, const char *name)
{
	int fd = ns_open(name), id;

	if (fd < 0)
		return -1;
	id = link_netnsid(ip->c, nl, fd);
	close(fd);
	return id < 0 ? -1 : id;
}

static int ns_show(struct ipc *ip, int ids)
{
	struct mnl_socket *nl;
	struct json j = { 0 };
	char **names = NULL;
	int *idv = NULL, n, ni = 0, k, i, id;

	if (ip_sock(ip, &nl))
		return 1;
	n = ns_list_order(&names, 0);
	if (n < 0)
		return nsb_fail(ip->c, NSB_RUN_NETNS, n);
	if (ids && (ni = ns_ids(ip->c, nl, &idv)) < 0) {
		free(names);
		return nsb_fail(ip->c, "list-id", ni);
	}
	if (ip->json)
		json_open(&j, '[');
	for (i = 0; i < (ids ? ni : n); i++) {
		const char *name = NULL;

		id = ids ? idv[i] : nsid_of(ip, nl, names[i]);
		for (k = 0; k < n && ids; k++)
			if (nsid_of(ip, nl, names[k]) == id)
				name = names[k];
		if (!ids)
			name = names[i];
		if (ip->json) {
			json_open(&j, '{');
			if (ids)
				json_kint(&j, "nsid", id);
			if (name)
				json_kstr(&j, "name", name);
			if (!ids && id >= 0)
				json_kint(&j, "id", id);
			json_close(&j, '{');
		} else if (ids) {
			fmt_out("nsid %d ", id);
			if (name)
				fmt_out("(iproute2 netns name: %s)", name);
			putchar('\n');
		} else {
			fmt_out(id >= 0 ? "%s (id: %d)\n" : "%s\n", name, id);
		}
	}
	if (ip->json)
		json_close(&j, '[');
	free(names);
	free(idv);
	return 0;
}

static int ns_setid(struct ipc *ip, const char *name, const char *id)
{
	struct mnl_socket *nl;
	unsigned long v;
	int fd, r;

	if (!strcmp(id, "auto"))
		v = (unsigned long)-1;
	else if (num_parse(id, 0, 0x7fffffff, &v))
		return nsb_usage(ip->c, id, "invalid nsid");
	if (ip_sock(ip, &nl))
		return 1;
	fd = ns_open(name);
	if (fd < 0)
		return nsb_fail(ip->c, name, fd);
	r = ns_set_id(ip->c, nl, fd, (int)v);
	close(fd);
	return r ? nsb_fail(ip->c, name, r) : 0;
}

/* MIN, OP, WORD: iproute2's ipnetns.c order (ip_find) */
static const char ns_cmds[] =
	"\001l" "list\0" "\001l" "show\0" "\002l" "lst\0" "\007i" "list-id\0"
	"\001a" "add\0" "\002s" "set\0" "\001d" "delete\0" "\001I" "identify\0"
	"\001p" "pids\0" "\001e" "exec\0";

/* netns add NAME: lo left down, as ip leaves it; words after NAME are
 * ignored, as ip ignores them */
static int ns_add_cmd(struct ipc *ip, const char *name)
{
	int fd, r;

	if (!ns_name_valid(name))
		return nsb_usage(ip->c, name, "invalid namespace name");
	r = ns_add(name, 0, &fd);
	if (r)	/* refused by /run/netns itself (rootless, read-only /run): say so */
		return nsb_fail(ip->c, (r == -EACCES || r == -EPERM || r == -EROFS) &&
				access(NSB_RUN_NETNS, W_OK) ? NSB_RUN_NETNS : name, r);
	close(fd);
	return 0;
}

static int ns_del_cmd(struct ipc *ip, const char *name)
{
	int r;

	if (!ns_name_valid(name))
		return nsb_usage(ip->c, name, "invalid namespace name");
	nl_forget(ip->c, name);
	r = ns_del(name);
	return r ? nsb_fail(ip->c, name, r) : 0;
}

/* ip -all netns delete|exec CMD: each namespace in ip netns list's order;
 * exec prints ip's "netns: NAME" header before each and, as ip, exits 0
 * whatever the commands do */
static int ns_all(struct ipc *ip, int op, char **cmd)
{
	char **names;
	int n = ns_list_order(&names, 0), i, status = 0;

	if (n < 0)
		return nsb_fail(ip->c, NSB_RUN_NETNS, n);
	for (i = 0; i < n; i++) {
		if (op == 'd') {
			status |= ns_del_cmd(ip, names[i]);
			continue;
		}
		fmt_out("\nnetns: %s\n", names[i]);
		nsb_nsexec(ip->c, names[i], cmd, 1);
	}
	free(names);
	return status;
}

static int netns(struct ipc *ip, int argc, char **argv)
{
	const char *e = argc ? ip_find(argv[0], ns_cmds) : "\001l";
	int op, want = 2;

	ip->cmd = argc ? argv[0] : "list";
	if (!e) {
		ip->cmd = NULL;
		return ip_unsup(ip, argv[0], NULL);
	}
	op = (unsigned char)e[1];
	if (ip->netns && op != 'l' && op != 'i')
		return ip_unsup(ip, "-n", ip->netns);
	if (ip->all && op == 'd')
		return ns_all(ip, op, NULL);
	switch (op) {
	case 'l':
	case 'i':
		return argc > 1 ? ip_unsup(ip, argv[1], NULL) : ns_show(ip, op == 'i');
	case 'a':
	case 'd':
		if (argc < 2)
			return nsb_usage(ip->c, "NAME", "missing operand");
		return op == 'a' ? ns_add_cmd(ip, argv[1]) : ns_del_cmd(ip, argv[1]);
	case 'e':
		if (argc < (ip->all ? 2 : 3))
			return nsb_usage(ip->c, argc < 2 ? "NAME" : "CMD", "missing operand");
		if (ip->all)
			return ns_all(ip, op, argv + 1);
		if (!strchr(argv[1], '/') && !ns_name_valid(argv[1]))
			return nsb_usage(ip->c, argv[1], "invalid namespace name");
		/* in a batch the next lines still need this process as it is */
		return nsb_nsexec(ip->c, argv[1], argv + 2, ip->c->batch);
	case 's':
		want = 3;
		break;
	case 'I':
		if (argc > 2)
			return ip_unsup(ip, argv[2], NULL);
		return pids(ip, NULL, argc > 1 ? argv[1] : "self");
	}
	if (argc != want)
		return nsb_usage(ip->c, argc < want ? "NAME" : argv[want], argc < want ?
				 "missing operand" : "unexpected argument");
	return op == 'p' ? pids(ip, argv[1], NULL) : ns_setid(ip, argv[1], argv[2]);
}

/* ---------------------------------------------------------- dispatch */

/* MIN, OBJ (0: iproute2 has it, nsbox does not), WORD: iproute2 6.x's ip.c
 * order decides what a short word means */
static const char objs[] =
	"\001a" "address\0" "\005\000" "addrlabel\0" "\001\000" "maddress\0"
	"\001r" "route\0" "\002\000" "rule\0" "\001\000" "neighbor\0"
	"\001\000" "neighbour\0" "\002\000" "ntable\0" "\002\000" "ntbl\0" "\001l" "link\0"
	"\002\000" "l2tp\0" "\001\000" "fou\0" "\001\000" "ila\0" "\002\000" "macsec\0"
	"\001\000" "tunnel\0" "\004\000" "tunl\0" "\003\000" "tuntap\0" "\002\000" "tap\0"
	"\002\000" "token\0" "\002\000" "tcpmetrics\0" "\004\000" "tcp_metrics\0"
	"\002\000" "monitor\0" "\001\000" "xfrm\0" "\002\000" "mroute\0" "\002\000" "mrule\0"
	"\003n" "netns\0" "\004\000" "netconf\0" "\001\000" "vrf\0" "\001\000" "sr\0"
	"\004\000" "nexthop\0" "\002\000" "mptcp\0" "\001\000" "ioam\0" "\002\000" "stats\0";

/* the commands of link, address and route, in their order: MIN, IP_*, WORD */
static const char cmds[] =
	"\001\001" "add\0" "\001\007" "change\0" "\003\007" "chg\0" "\001\006" "replace\0"
	"\001\000" "prepend\0" "\002\010" "append\0" "\002\002" "set\0" "\001\003" "delete\0"
	"\001\004" "show\0" "\002\004" "lst\0" "\001\004" "list\0" "\001\011" "get\0"
	"\001\005" "flush\0" "\002\000" "save\0" "\005\000" "showdump\0"
	"\001\000" "restore\0" "\001\000" "xstats\0" "\002\000" "afstats\0"
	"\001\000" "property\0" "\001\000" "test\0" "\001\000" "help\0";

static int ip_do(struct ipc *ip, int argc, char **argv)
{
	const char *e = ip_find(argv[0], objs);
	int op = IP_SHOW;

	ip->obj = ip->cmd = NULL;
	ip->up = 0;
	if (!e)
		return nsb_msg(ip->c, 2, argv[0], "unknown object");
	if (!e[1])
		return ip_unsup(ip, e + 2, NULL);
	ip->obj = e + 2;
	if (e[1] == 'n')
		return netns(ip, argc - 1, argv + 1);
	ip->cmd = "show";
	if (argc > 1) {
		/* ip link's table has set before show: "ip l s" is set */
		e = ip_find(ip->obj[0] == 'l' && !strcmp(argv[1], "s") ? "set" : argv[1], cmds);
		if (!e || !e[1]) {
			ip->cmd = NULL;
			return ip_unsup(ip, argv[1], NULL);
		}
		ip->cmd = e + 2;
		op = (unsigned char)e[1];
		argc--;
		argv++;
	}
	if (ip->obj[0] == 'l')
		return ip_link(ip, op, argc - 1, argv + 1);
	if (ip->obj[0] == 'a')
		return ip_addr(ip, op, argc - 1, argv + 1);
	return ip_route(ip, op, argc - 1, argv + 1);
}

/* ip -batch FILE: one command a line, this process throughout */
static int batch(struct ipc *ip, const char *file, int force)
{
	struct nsb_lines in;
	char *line, where[300], *argv[100];
	unsigned long no = 0;
	int r = nsb_lines_open(&in, file), status = 0, was = ip->c->batch;

	if (r)
		return nsb_fail(ip->c, file, r);
	ip->c->batch = 1;
	while ((r = nsb_lines_next(&in, &line)) > 0) {
		char *hash = strchr(line, '#');
		int argc;

		no++;
		if (hash)
			*hash = '\0';
		fmt_buf(where, sizeof(where), "%s:%lu", file, no);
		ip->c->where = where;
		argc = nsb_split(line, argv, 100);
		if (argc == 0)
			continue;
		r = argc < 0 ? nsb_usage(ip->c, NULL, "unterminated quote or too many words")
			     : ip_do(ip, argc, argv);
		fflush(stdout);
		if (r) {
			status = 1;
			if (!force)
				break;
		}
	}
	ip->c->where = NULL;
	if (r < 0)
		status = nsb_fail(ip->c, file, r);
	nsb_lines_close(&in);
	ip->c->batch = was;
	return status;
}

enum { O_NETNS = 1, O_JSON, O_BRIEF, O_STATS, O_DETAILS, O_BATCH, O_FORCE, O_FAMILY,
       O_4, O_6, O_VERSION, O_ALL };

/* ip.c's order: -f is -family, -b -batch, -n -netns; MIN, O_* (| 0x40: takes
 * an argument), WORD */
static const char gopts[] =
	"\002H" "-family\0" "\002\011" "-4\0" "\002\012" "-6\0" "\002\004" "-stats\0"
	"\002\004" "-statistics\0" "\002\005" "-details\0" "\002\013" "-Version\0"
	"\003\007" "-force\0" "\002F" "-batch\0" "\002A" "-netns\0" "\002\014" "-all\0"
	"\002\002" "-json\0"
	"\003\003" "-brief\0";

int ip_main(struct nsb *c, int argc, char **argv)
{
	struct ipc ip = { .c = c, .family = AF_UNSPEC };
	const char *batchf = NULL, *arg = "", *e;
	int i, force = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i] + (argv[i][1] == '-');

		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		e = ip_find(o, gopts);
		if (!e)
			return ip_unsup(&ip, "option", argv[i]);
		if (e[1] & 0x40) {
			if (++i >= argc)
				return nsb_usage(c, o, "option needs an argument");
			arg = argv[i];
		}
		switch (e[1] & 0x3f) {
		case O_NETNS:
			if (!strchr(arg, '/') && !ns_name_valid(arg))
				return nsb_usage(c, arg, "invalid namespace name");
			ip.netns = arg;
			break;
		case O_JSON: ip.json = 1; break;
		case O_BRIEF: ip.brief = 1; break;
		case O_STATS: ip.stats++; break;
		case O_DETAILS: ip.details = 1; break;
		case O_BATCH: batchf = arg; break;
		case O_FORCE: force = 1; break;
		case O_ALL: ip.all = 1; break;
		case O_4: ip.family = AF_INET; break;
		case O_6: ip.family = AF_INET6; break;
		case O_VERSION:
			puts("ip utility, nsbox " NSB_VERSION);
			return 0;
		case O_FAMILY:
			if (strcmp(arg, "inet") && strcmp(arg, "inet6"))
				return ip_unsup(&ip, "-family", arg);
			ip.family = arg[4] ? AF_INET6 : AF_INET;
		}
	}
	if (batchf)
		return i < argc ? nsb_usage(c, argv[i], "unexpected argument")
				: batch(&ip, batchf, force);
	if (i >= argc)
		return nsb_usage(c, NULL, "usage: ip [OPTIONS] link|address|route|netns [COMMAND]");
	return ip_do(&ip, argc - i, argv + i);
}
