/* A command run inside a network namespace as ip netns exec runs it: what
 * the applet nsexec and the ip personality's netns exec both do. */
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

int nsb_nsexec(struct nsb *c, const char *netns, char **cmd, int forked)
{
	pid_t pid;
	int st, r;

	/* refused here, before a fork: not there, or not a namespace */
	r = ns_open(netns);
	if (r < 0)
		return nsb_fail(c, netns, r);
	close(r);
	if (!forked)
		return enter_and_exec(c, netns, cmd);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return nsb_fail(c, netns, -errno);
	if (pid == 0)
		_exit(enter_and_exec(c, netns, cmd));
	while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return nsb_fail(c, netns, -errno);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
