/* libFuzzer: arbitrary bytes as a netlink reply into the project's libmnl
 * (static/mnl.c): message walking, control messages, attribute parsing and
 * validation must stay inside the buffer whatever the lengths say. */
#include <stdlib.h>
#include <string.h>
#include "../../static/mnl.c"

static int attr_cb(const struct nlattr *a, void *data)
{
	int *n = data;
	int t;

	(*n)++;
	for (t = MNL_TYPE_UNSPEC; t < MNL_TYPE_MAX; t++)
		if (mnl_attr_validate(a, t) == 0 && t == MNL_TYPE_NUL_STRING)
			(void)strlen(mnl_attr_get_str(a));
	if ((a->nla_type & NLA_F_NESTED) && mnl_attr_validate(a, MNL_TYPE_NESTED) == 0)
		mnl_attr_parse_nested(a, attr_cb, data);
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, (nlh->nlmsg_type & 0xf) * 4, attr_cb, data);
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* netlink buffers are 4-byte aligned in real life */
	void *buf = malloc(size + 4);
	int n = 0;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	mnl_cb_run(buf, size, 0, 0, data_cb, &n);
	free(buf);
	return 0;
}
