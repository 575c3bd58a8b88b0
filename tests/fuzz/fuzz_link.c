/* libFuzzer: arbitrary bytes as rtnetlink link replies into lib/link.c's
 * own callbacks (the file is included to reach its static functions). */
#include "../../lib/link.c"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	void *buf = malloc(size + 1);
	struct nsb_list l = { NULL, 0, 0, sizeof(struct link_info) };
	struct link_info li;
	int nsid = -1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, list_cb, &l);
	free(l.v);
	memset(&li, 0, sizeof(li));
	mnl_cb_run(buf, size, 0, 0, get_cb, &li);
	if (li.name[sizeof(li.name) - 1] || li.kind[sizeof(li.kind) - 1] ||
	    li.addrlen > sizeof(li.addr) || li.brdlen > sizeof(li.brd))
		abort();
	mnl_cb_run(buf, size, 0, 0, nsid_cb, &nsid);
	free(buf);
	return 0;
}
