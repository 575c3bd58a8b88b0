/* nsexec NETNS CMD [ARG...]
 *
 * Run CMD inside NETNS (a name under /run/netns or a path) as ip netns exec
 * does: private mount namespace, the namespace's own sysfs on /sys, and
 * /etc/netns/NAME/ENTRY bound over /etc/ENTRY. Exits with CMD's status; 127 when
 * CMD is not found, 126 when it cannot be executed.
 */
#include <string.h>
#include "cli.h"

int nsexec_main(struct nsb *c, int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--")) {	/* end of options */
		argc--;
		argv++;
	}
	if (argc < 2)
		return nsb_usage(c, "NETNS", "missing operand");
	if (argc < 3)
		return nsb_usage(c, "CMD", "missing operand");
	if (!strchr(argv[1], '/') && !ns_name_valid(argv[1]))
		return nsb_usage(c, argv[1], "invalid namespace name");
	/* in a batch the next lines still need this process as it is */
	return nsb_nsexec(c, argv[1], argv + 2, c->batch);
}
