/* libFuzzer: arbitrary bytes as rtnetlink link replies into lib/link.c's
 * own fill function and callbacks (the file is included to reach its static functions). */
#include "../../lib/link.c"
#include "fill.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct fuzz_fill f;
	struct link_info li;
	int nsid = -1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fuzz_fill(&f, buf, size, sizeof(struct link_info), link_fill, NULL);
	free(f.l.v);
	fuzz_fill(&f, buf, size, sizeof(int), id_fill, NULL);
	free(f.l.v);
	memset(&li, 0, sizeof(li));
	mnl_cb_run(buf, size, 0, 0, get_cb, &li);
	if (li.name[sizeof(li.name) - 1] || li.kind[sizeof(li.kind) - 1] ||
	    li.addrlen > sizeof(li.addr) || li.brdlen > sizeof(li.brd))
		abort();
	mnl_cb_run(buf, size, 0, 0, nsid_cb, &nsid);
	free(buf);
	return 0;
}
