/* Table for GC's cni.dev/valid-attachments (lib/cniconf.c: cni_conf_parse
 * refuses a list it cannot read whole, cni_conf_valid matches IDs whole):
 * {the list, expected parse result, an attachment asked about, whether it
 * is valid}.  A refused list must release nothing, so it is an error, not
 * an empty list. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cni.h"

#define A300 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" \
	     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void test_valid(void **state)
{
	static const struct {
		const char *list;
		int ret;
		const char *id, *ifname;	/* asked about (ret 0) */
		int valid;
	} t[] = {
		{ "[]", 0, "c1", "eth0", 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]", 0, "c1", "eth0", 1 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]", 0, "c1", "eth1", 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]", 0, "c", "eth0", 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]", 0, "c12", "eth0", 0 },
		/* read out of a rule comment: each ends at a space */
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]", 0, "c1 eth0 masq", "eth0 masq", 1 },
		{ "[{\"ifname\":\"eth0\",\"containerID\":\"c\\u0031\"}]", 0, "c1", "eth0", 1 },
		{ "[{\"containerID\":\"" A300 "\",\"ifname\":\"eth0\"}]", 0, A300, "eth0", 1 },
		{ "[{\"containerID\":\"" A300 "\",\"ifname\":\"eth0\"}]", 0, "aaaa", "eth0", 0 },
		{ "[{\"containerID\":\"x\",\"ifname\":\"e\"},{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]",
		  0, "c1", "eth0", 1 },
		{ "5", -EINVAL, NULL, NULL, 0 },
		{ "\"c1\"", -EINVAL, NULL, NULL, 0 },
		/* null is absent (Go's nil): GC refuses it (cni/cni.c) */
		{ "null", 0, "c1", "eth0", 0 },
		{ "{}", -EINVAL, NULL, NULL, 0 },
		{ "[1]", -EINVAL, NULL, NULL, 0 },
		{ "[\"c1\"]", -EINVAL, NULL, NULL, 0 },
		{ "[null]", -EINVAL, NULL, NULL, 0 },
		{ "[[]]", -EINVAL, NULL, NULL, 0 },
		{ "[{}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":1,\"ifname\":\"eth0\"}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":5}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":null}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"ifname\":\"eth0\"}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"c1\"}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"\",\"ifname\":\"eth0\"}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"\"}]", -EINVAL, NULL, NULL, 0 },
		{ "[{\"containerID\":\"c1\",\"ifname\":\"eth0\"},{\"containerID\":\"c2\"}]",
		  -EINVAL, NULL, NULL, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cni_conf *c = calloc(1, sizeof(*c));
		char *s = malloc(strlen(t[i].list) + 128);
		int r;

		assert_non_null(c);
		assert_non_null(s);
		sprintf(s, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"type\":\"bridge\","
			"\"cni.dev/valid-attachments\":%s}", t[i].list);
		r = cni_conf_parse(c, s, strlen(s));
		if (r != t[i].ret)
			fail_msg("%s: %d, expected %d", t[i].list, r, t[i].ret);
		if (!r && cni_conf_valid(c, t[i].id, t[i].ifname) != t[i].valid)
			fail_msg("%s: %s/%s not %d", t[i].list, t[i].id, t[i].ifname, t[i].valid);
		free(s);
		free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_valid) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
