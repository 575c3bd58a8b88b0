/* nsadd [-e] [--no-lo] NAME...
 *
 * Create named network namespaces at /run/netns/NAME, usable with ip netns.
 * Loopback is brought up unless --no-lo.
 *   -e        succeed when NAME already exists
 *   --no-lo   leave lo down
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/netlink.h>
#include "cli.h"

enum { O_IDEM = NSB_OPT_KEY, O_NOLO };

static const struct nsb_optdef opts[] = {
	{ "-e", O_IDEM, 0 },
	{ "--no-lo", O_NOLO, 0 },
	{ 0 }
};

/* lo is ifindex 1 in every new namespace */
static int lo_up(struct nsb *c, int nsfd)
{
	struct mnl_socket *nl;
	int r = nl_sock_fd(c, nsfd, NETLINK_ROUTE, &nl);

	return r ? r : link_set_up(c, nl, 1, 1);
}

int nsadd_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	int k, idem = 0, lo = 1, first = 0, r = 0, i;
	char *made;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (k == O_IDEM)
			idem = 1;
		else if (k == O_NOLO)
			lo = 0;
		else if (!ns_name_valid(st.arg))
			return nsb_usage(c, st.arg, "invalid namespace name");
		else if (!first)
			first = st.i - 1;
	}
	if (!first)
		return nsb_usage(c, "NAME", "missing operand");
	made = calloc(argc, 1);
	if (!made)
		return nsb_fail(c, argv[first], -ENOMEM);
	st = (struct nsb_opts){ 0 };
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		int fd;

		if (k != NSB_OPT_OPERAND)
			continue;
		i = ns_add(st.arg, idem, &fd);
		if (i == -EEXIST && idem)
			continue;
		if (i) {
			/* refused by /run/netns itself (rootless, read-only /run): say so */
			r = nsb_fail(c, (i == -EACCES || i == -EPERM || i == -EROFS) &&
				     access(NSB_RUN_NETNS, W_OK) ? NSB_RUN_NETNS : st.arg, i);
			break;
		}
		made[st.i - 1] = 1;
		if (lo)
			i = lo_up(c, fd);
		close(fd);
		if (i) {
			r = nsb_fail(c, st.arg, i);
			break;
		}
	}
	/* all or nothing: undo this invocation's namespaces */
	for (i = 1; r && i < argc; i++)
		if (made[i]) {
			nl_forget(c, argv[i]);
			ns_del(argv[i]);
		}
	free(made);
	return r;
}
