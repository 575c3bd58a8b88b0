/* libFuzzer: the ip personality's argv handling, whole (ip_main: options,
 * objects, every word, and the requests it then sends), inside the sandbox
 * of personality.h.  Words are the input split at NUL bytes.  -batch FILE
 * is left out: a FILE such as /dev/zero never ends.  As in a batch, netns
 * exec runs in a child, which seccomp keeps from running anything. */
#include "personality.h"

int ip_main(struct nsb *c, int argc, char **argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_sandbox(NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[FUZZ_WORDS], *words;
	struct nsb c;
	int argc = fuzz_argv(data, size, "ip", argv, &words), i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "-b", 2) || !strncmp(argv[i], "--b", 3))
			argc = 0;
	if (argc) {
		fuzz_fresh(&c);
		c.applet = "ip";
		c.batch = 1;	/* netns exec forks (its exec is refused) */
		ip_main(&c, argc, argv);
		nsb_free(&c);
	}
	free(words);
	return 0;
}
