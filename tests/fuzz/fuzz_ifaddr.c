/* libFuzzer: arbitrary bytes as rtnetlink address replies into
 * lib/ifaddr.c's own fill function (the file is included to reach it). */
#include "../../lib/ifaddr.c"
#include "fill.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct fuzz_fill f;
	const struct ifaddr_info *v;
	int i, family = AF_UNSPEC;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fuzz_fill(&f, buf, size, sizeof(struct ifaddr_info), addr_fill, &family);
	v = f.l.v;
	for (i = 0; i < f.l.n; i++)
		if (v[i].label[sizeof(v[i].label) - 1])
			abort();
	free(f.l.v);
	free(buf);
	return 0;
}
