/* libFuzzer: arbitrary bytes as rtnetlink route replies into lib/route.c's
 * own fill function and callbacks (the file is included to reach its static functions). */
#include "../../lib/route.c"
#include "fill.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct rfilter v4 = { AF_INET, RT_TABLE_MAIN }, v6 = { AF_INET6, 1000 };	/* past rtm_table's 8 bits */
	struct fuzz_fill f;
	struct route_info rt;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	fuzz_fill(&f, buf, size, sizeof(struct route_info), route_fill, &v4);
	free(f.l.v);
	fuzz_fill(&f, buf, size, sizeof(struct route_info), route_fill, &v6);
	free(f.l.v);
	mnl_cb_run(buf, size, 0, 0, get_cb, &rt);
	free(buf);
	return 0;
}
