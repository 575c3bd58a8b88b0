/* libFuzzer: the batch line splitter gets arbitrary lines. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *line = malloc(size + 1), *argv[64];
	int n, i;

	if (!line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	n = nsb_split(line, argv, 64);
	if (n > 63)
		abort();
	for (i = 0; i < n; i++)
		/* every word lies inside the line it came from */
		if (argv[i] < line || argv[i] > line + size || strlen(argv[i]) > size)
			abort();
	if (n >= 0 && argv[n])
		abort();
	free(line);
	return 0;
}
