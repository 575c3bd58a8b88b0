/* libFuzzer: the sysctl personality's argv handling and its -p FILE
 * reader, whole, inside the sandbox of personality.h with a tmpfs of a
 * few keys on /proc/sys.  Words are the input split at NUL bytes (a -p
 * among them is left out: its FILE could be /dev/zero); then the same
 * bytes as the file of sysctl -e -p. */
#include "personality.h"
/* the build leaves lib/NAME.c to fuzz_NAME.c to include */
#include "../../lib/sysctl.c"

int sysctl_main(struct nsb *c, int argc, char **argv);

#define CONF "/run/fuzz.conf"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_sandbox("net/ipv4/ip_forward\0" "0\n\0" "net/ipv4/conf/lo/forwarding\0" "1\n\0"
		     "net/ipv4/route/flush\0" "\0" "kernel/hostname\0" "fuzz\n\0");
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[FUZZ_WORDS], *words, *load[] = { "sysctl", "-e", "-p", CONF, NULL };
	struct nsb c;
	int argc = fuzz_argv(data, size, "sysctl", argv, &words), i, fd;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "-p", 2) || !strncmp(argv[i], "--l", 3))
			argc = 0;
	if (argc) {
		fuzz_fresh(&c);
		c.applet = "sysctl";
		sysctl_main(&c, argc, argv);
		nsb_free(&c);
	}
	fd = open(CONF, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, data, size) == (ssize_t)size) {
		fuzz_fresh(&c);
		c.applet = "sysctl";
		sysctl_main(&c, 4, load);
		nsb_free(&c);
	}
	if (fd >= 0)
		close(fd);
	free(words);
	return 0;
}
