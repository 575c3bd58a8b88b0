/* nsexec NETNS CMD [ARG...]
 *
 * Run CMD inside NETNS (a name under /run/netns or a path) as ip netns exec
 * does: private mount namespace, the namespace's own sysfs on /sys, and
 * /etc/netns/NAME/ENTRY bound over /etc/ENTRY. Exits with CMD's status; 127 when
 * CMD is not found, 126 when it cannot be executed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "cli.h"

/* iproute2 skips these silently; a user who wrote the file wants to know */
static void skipped(void *c, const char *src, const char *dst)
{
	nsb_msg(c, 0, src, "%s does not exist: not bound", dst);
}

static int enter_and_exec(struct nsb *c, const char *netns, char **cmd)
{
	int r = ns_exec_prepare(netns, skipped, c);

	if (r)
		return nsb_fail(c, netns, r);
	fflush(stdout);
	execvp(cmd[0], cmd);
	r = errno;
	nsb_fail(c, cmd[0], -r);
	return r == ENOENT ? 127 : 126;
}

int nsexec_main(struct nsb *c, int argc, char **argv)
{
	pid_t pid;
	int st, r;

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
	/* refused here, before a fork: not there, or not a namespace */
	r = ns_open(argv[1]);
	if (r < 0)
		return nsb_fail(c, argv[1], r);
	close(r);
	if (!c->batch)
		return enter_and_exec(c, argv[1], argv + 2);
	/* in a batch the next lines still need this process as it is */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return nsb_fail(c, argv[1], -errno);
	if (pid == 0)
		_exit(enter_and_exec(c, argv[1], argv + 2));
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return nsb_fail(c, argv[1], -errno);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
