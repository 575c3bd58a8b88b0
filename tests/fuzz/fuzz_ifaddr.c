/* libFuzzer: arbitrary bytes as rtnetlink address replies into
 * core/ifaddr.c's own callback (the file is included to reach it). */
#include "../../core/ifaddr.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct alist l = { NULL, 0, 0, AF_UNSPEC };
	int i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, alist_cb, &l);
	for (i = 0; i < l.n; i++)
		if (l.v[i].label[sizeof(l.v[i].label) - 1])
			abort();
	free(l.v);
	free(buf);
	return 0;
}
