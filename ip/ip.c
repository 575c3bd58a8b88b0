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

const struct ip_word *ip_find(const char *w, const struct ip_word *t)
{
	for (; t->word[0]; t++)
		if (ip_abbrev(w, t->word, t->min))
			return t;
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

/* iproute2's ipnetns.c order; op: l(ist), i(d list), a(dd), s(et),
 * d(elete), I(dentify), p(ids), e(xec) */
static const struct ip_word ns_cmds[] = {
	{ "list", 1, 'l' }, { "show", 1, 'l' }, { "lst", 2, 'l' }, { "list-id", 7, 'i' },
	{ "add", 1, 'a' }, { "set", 2, 's' }, { "delete", 1, 'd' }, { "identify", 1, 'I' },
	{ "pids", 1, 'p' }, { "exec", 1, 'e' }, { "", 0, 0 }
};

/* netns add NAME: lo left down, as ip leaves it; words after NAME are
 * ignored, as ip ignores them */
static int ns_add_cmd(struct ipc *ip, const char *name)
{
	int fd, r = ns_add(name, 0, &fd);

	if (r)	/* refused by /run/netns itself (rootless, read-only /run): say so */
		return nsb_fail(ip->c, (r == -EACCES || r == -EPERM || r == -EROFS) &&
				access(NSB_RUN_NETNS, W_OK) ? NSB_RUN_NETNS : name, r);
	close(fd);
	return 0;
}

static int ns_del_cmd(struct ipc *ip, const char *name)
{
	int r;

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
	const struct ip_word *e = argc ? ip_find(argv[0], ns_cmds) : ns_cmds;	/* list */
	int op, want = 2;

	ip->cmd = argc ? argv[0] : "list";
	if (!e) {
		ip->cmd = NULL;
		return ip_unsup(ip, argv[0], NULL);
	}
	op = e->op;
	if (ip->netns && op != 'l' && op != 'i')
		return ip_unsup(ip, "-n", ip->netns);
	/* as iproute2: the word after netns CMD is a name in /run/netns,
	 * never a path (exec ../../proc/1/ns/net entered PID 1's namespace) */
	if (argc > 1 && (op != 'e' || !ip->all) && !ns_name_valid(argv[1]))
		return nsb_usage(ip->c, argv[1], "invalid namespace name");
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

/* ip's objects, in iproute2 6.x's ip.c order (it decides what a short
 * word means); OBJ_NONE: iproute2 has it, nsbox does not */
enum { OBJ_NONE, OBJ_ADDR, OBJ_ROUTE, OBJ_LINK, OBJ_NETNS };
static const struct ip_word objs[] = {
	{ "address", 1, OBJ_ADDR }, { "addrlabel", 5, 0 }, { "maddress", 1, 0 },
	{ "route", 1, OBJ_ROUTE }, { "rule", 2, 0 }, { "neighbor", 1, 0 }, { "neighbour", 1, 0 },
	{ "ntable", 2, 0 }, { "ntbl", 2, 0 }, { "link", 1, OBJ_LINK }, { "l2tp", 2, 0 },
	{ "fou", 1, 0 }, { "ila", 1, 0 }, { "macsec", 2, 0 }, { "tunnel", 1, 0 },
	{ "tunl", 4, 0 }, { "tuntap", 3, 0 }, { "tap", 2, 0 }, { "token", 2, 0 },
	{ "tcpmetrics", 2, 0 }, { "tcp_metrics", 4, 0 }, { "monitor", 2, 0 }, { "xfrm", 1, 0 },
	{ "mroute", 2, 0 }, { "mrule", 2, 0 }, { "netns", 3, OBJ_NETNS }, { "netconf", 4, 0 },
	{ "vrf", 1, 0 }, { "sr", 1, 0 }, { "nexthop", 4, 0 }, { "mptcp", 2, 0 },
	{ "ioam", 1, 0 }, { "stats", 2, 0 }, { "", 0, 0 }
};

/* the commands of link, address and route, in their order; 0: not nsbox's */
static const struct ip_word cmds[] = {
	{ "add", 1, IP_ADD }, { "change", 1, IP_CHANGE }, { "chg", 3, IP_CHANGE },
	{ "replace", 1, IP_REPLACE }, { "prepend", 1, 0 }, { "append", 2, IP_APPEND },
	{ "set", 2, IP_SET }, { "delete", 1, IP_DEL }, { "show", 1, IP_SHOW },
	{ "lst", 2, IP_SHOW }, { "list", 1, IP_SHOW }, { "get", 1, IP_GET },
	{ "flush", 1, IP_FLUSH }, { "save", 2, 0 }, { "showdump", 5, 0 }, { "restore", 1, 0 },
	{ "xstats", 1, 0 }, { "afstats", 2, 0 }, { "property", 1, 0 }, { "test", 1, 0 },
	{ "help", 1, 0 }, { "", 0, 0 }
};

static int ip_do(struct ipc *ip, int argc, char **argv)
{
	const struct ip_word *e = ip_find(argv[0], objs);
	int obj, op = IP_SHOW;

	ip->obj = ip->cmd = NULL;
	ip->up = 0;
	if (!e)
		return nsb_msg(ip->c, 2, argv[0], "unknown object");
	if (!e->op)
		return ip_unsup(ip, e->word, NULL);
	ip->obj = e->word;
	obj = e->op;
	if (obj == OBJ_NETNS)
		return netns(ip, argc - 1, argv + 1);
	ip->cmd = "show";
	if (argc > 1) {
		/* ip link's table has set before show: "ip l s" is set */
		e = ip_find(obj == OBJ_LINK && !strcmp(argv[1], "s") ? "set" : argv[1], cmds);
		if (!e || !e->op) {
			ip->cmd = NULL;
			return ip_unsup(ip, argv[1], NULL);
		}
		ip->cmd = e->word;
		op = e->op;
		argc--;
		argv++;
	}
	if (obj == OBJ_LINK)
		return ip_link(ip, op, argc - 1, argv + 1);
	if (obj == OBJ_ADDR)
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

/* ip's options, in ip.c's order (-f is -family, -b -batch, -n -netns);
 * O_ARG: takes an argument */
#define O_ARG 0x40
static const struct ip_word gopts[] = {
	{ "-family", 2, O_FAMILY | O_ARG }, { "-4", 2, O_4 }, { "-6", 2, O_6 },
	{ "-stats", 2, O_STATS }, { "-statistics", 2, O_STATS }, { "-details", 2, O_DETAILS },
	{ "-Version", 2, O_VERSION }, { "-force", 3, O_FORCE }, { "-batch", 2, O_BATCH | O_ARG },
	{ "-netns", 2, O_NETNS | O_ARG }, { "-all", 2, O_ALL }, { "-json", 2, O_JSON },
	{ "-brief", 3, O_BRIEF }, { "", 0, 0 }
};

int ip_main(struct nsb *c, int argc, char **argv)
{
	struct ipc ip = { .c = c, .family = AF_UNSPEC };
	const char *batchf = NULL, *arg = "";
	const struct ip_word *e;
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
		if (e->op & O_ARG) {
			if (++i >= argc)
				return nsb_usage(c, o, "option needs an argument");
			arg = argv[i];
		}
		switch (e->op & ~O_ARG) {
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
