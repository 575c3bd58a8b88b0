/* libFuzzer: the iptables personality's argv handling, whole (its lexer,
 * grammar and the nf_tables transaction it sends), inside the sandbox of
 * personality.h.  Words are the input split at NUL bytes. */
#include "personality.h"

int iptables_main(struct nsb *c, int argc, char **argv);

FUZZ_SANDBOX(NULL)

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *argv[FUZZ_WORDS], *words;
	int argc = fuzz_argv(data, size, "iptables", argv, &words);

	fuzz_run(iptables_main, 0, argc, argv);
	free(words);
	return 0;
}
