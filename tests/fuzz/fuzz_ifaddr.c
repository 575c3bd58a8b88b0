/* libFuzzer: arbitrary bytes as rtnetlink address replies into
 * lib/ifaddr.c's own callback (the file is included to reach it). */
#include "../../lib/ifaddr.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct alist l = { { NULL, 0, 0, sizeof(struct ifaddr_info) }, AF_UNSPEC };
	const struct ifaddr_info *v;
	int i;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, alist_cb, &l);
	v = l.l.v;
	for (i = 0; i < l.l.n; i++)
		if (v[i].label[sizeof(v[i].label) - 1])
			abort();
	free(l.l.v);
	free(buf);
	return 0;
}
