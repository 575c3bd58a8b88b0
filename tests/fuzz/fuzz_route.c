/* libFuzzer: arbitrary bytes as rtnetlink route replies into lib/route.c's
 * own callbacks (the file is included to reach its static functions). */
#include "../../lib/route.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct rlist l = { { NULL, 0, 0, sizeof(struct route_info) }, AF_INET, RT_TABLE_MAIN };
	struct route_info rt;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, rlist_cb, &l);
	free(l.l.v);
	l = (struct rlist){ { NULL, 0, 0, sizeof(struct route_info) }, AF_INET6, 1000 };	/* past rtm_table's 8 bits */
	mnl_cb_run(buf, size, 0, 0, rlist_cb, &l);
	free(l.l.v);
	mnl_cb_run(buf, size, 0, 0, get_cb, &rt);
	free(buf);
	return 0;
}
