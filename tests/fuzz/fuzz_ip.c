/* libFuzzer: the ip personality's argv handling, whole (ip_main: options,
 * objects, every word, and the requests it then sends), inside the sandbox
 * of personality.h.  Words are the input split at NUL bytes.  -batch FILE
 * is left out: a FILE such as /dev/zero never ends.  As in a batch, netns
 * exec runs in a child, which seccomp keeps from running anything. */
#include "personality.h"

int ip_main(struct nsb *c, int argc, char **argv);

FUZZ_SANDBOX(NULL)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[FUZZ_WORDS], *words;
	int argc = fuzz_argv(data, size, "ip", argv, &words);

	fuzz_run(ip_main, 1, fuzz_without(argc, argv, "-b", "--b"), argv);
	free(words);
	return 0;
}
