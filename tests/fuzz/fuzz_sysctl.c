/* libFuzzer: the sysctl personality's argv handling and its -p FILE
 * reader, whole, inside the sandbox of personality.h with a tmpfs of a
 * few keys on /proc/sys.  Words are the input split at NUL bytes (a -p
 * among them is left out: its FILE could be /dev/zero); then the same
 * bytes as the file of sysctl -e -p. */
/* one network namespace for the run: sysctl here reads and writes only
 * the tmpfs on /proc/sys */
#define FUZZ_NETNS_EVERY 0x7fffffff
#include "personality.h"
/* the build leaves lib/NAME.c to fuzz_NAME.c to include */
#include "../../lib/sysctl.c"

int sysctl_main(struct nsb *c, int argc, char **argv);

#define CONF "/run/fuzz.conf"

FUZZ_SANDBOX("net/ipv4/ip_forward\0" "0\n\0" "net/ipv4/conf/lo/forwarding\0" "1\n\0"
	     "net/ipv4/route/flush\0" "\0" "kernel/hostname\0" "fuzz\n\0")

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[FUZZ_WORDS], *words, *load[] = { "sysctl", "-e", "-p", CONF, NULL };
	int argc = fuzz_argv(data, size, "sysctl", argv, &words), fd;

	fuzz_run(sysctl_main, 0, fuzz_without(argc, argv, "-p", "--l"), argv);
	fd = open(CONF, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, data, size) == (ssize_t)size)
		fuzz_run(sysctl_main, 0, 4, load);
	if (fd >= 0)
		close(fd);
	free(words);
	return 0;
}
