/* libFuzzer: the iptables personality's argv handling, whole (its lexer,
 * grammar and the nf_tables transaction it sends), inside the sandbox of
 * personality.h.  Words are the input split at NUL bytes. */
#include "personality.h"

int iptables_main(struct nsb *c, int argc, char **argv);

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
	int argc = fuzz_argv(data, size, "iptables", argv, &words);

	if (argc) {
		fuzz_fresh(&c);
		c.applet = "iptables";
		iptables_main(&c, argc, argv);
		nsb_free(&c);
	}
	free(words);
	return 0;
}
