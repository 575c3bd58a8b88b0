/* Parser table for CNI_ARGS as host-local reads it (lib/cniconf.c,
 * cni_conf_args): {input, expected result, the pair it blames, the
 * address requested}.  The expectations are what the reference host-local
 * (containernetworking-plugins 1.1.1) does with the same CNI_ARGS. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "cni.h"

static void test_args(void **state)
{
	static const struct {
		const char *in;
		int ret;
		const char *bad, *req;	/* NULL: none */
	} t[] = {
		{ "", 0, NULL, NULL },
		{ "IP=10.1.2.3", 0, NULL, "10.1.2.3" },
		{ "IP=10.1.2.3/24", 0, NULL, "10.1.2.3" },
		{ "IP=fd00::3/64", 0, NULL, "fd00::3" },
		{ "IP=", 0, NULL, NULL },
		{ "IP=10.1.2.3;IP=10.1.2.4", 0, NULL, "10.1.2.4" },
		{ "IP=10.1.2.3;IP=", 0, NULL, NULL },
		{ "IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.1.2.3", 0, NULL, "10.1.2.3" },
		{ "FOO=bar;IgnoreUnknown=TRUE", 0, NULL, NULL },
		{ "IgnoreUnknown=true;FOO=", 0, NULL, NULL },
		{ "FOO=bar", -ENOENT, "FOO=bar", NULL },
		{ "FOO=bar;BAZ=1", -ENOENT, "FOO=bar", NULL },
		{ "ip=10.1.2.3", -ENOENT, "ip=10.1.2.3", NULL },
		{ "FOO=bar;IgnoreUnknown=0", -ENOENT, "FOO=bar", NULL },
		{ "IgnoreUnknown=1;IgnoreUnknown=false;FOO=bar", -ENOENT, "FOO=bar", NULL },
		{ "IP", -EINVAL, "IP", NULL },
		{ "IP=10.1.2.3;", -EINVAL, "", NULL },
		{ ";IP=10.1.2.3", -EINVAL, "", NULL },
		{ "IP=10.1.2.3;FOO", -EINVAL, "FOO", NULL },
		{ "IP=bogus", -EDOM, "IP=bogus", NULL },
		{ "IP=10.1.2.3,10.1.2.4", -EDOM, "IP=10.1.2.3,10.1.2.4", NULL },
		{ "IP=10.1.2.3/33", -EDOM, "IP=10.1.2.3/33", NULL },
		{ "IgnoreUnknown=1;K=a=b", -EINVAL, "K=a=b", NULL },
		{ "IP=bogus;IP=10.1.2.12", -EDOM, "IP=bogus", NULL },
		{ "IgnoreUnknown=yes;FOO=1", -EDOM, "IgnoreUnknown=yes", NULL },
		{ "IgnoreUnknown=0;IgnoreUnknown=TRUE;FOO=1", 0, NULL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cni_conf *c = calloc(1, sizeof(*c));
		char *s = strdup(t[i].in), *bad = NULL, buf[64];
		int r;

		assert_non_null(c);
		assert_non_null(s);
		r = cni_conf_args(c, s, &bad);
		if (r != t[i].ret)
			fail_msg("cni_conf_args(\"%s\") = %d, want %d", t[i].in, r, t[i].ret);
		if (t[i].bad)
			assert_string_equal(bad ? bad : "(none)", t[i].bad);
		if (!r) {
			assert_int_equal(c->nreq, !!t[i].req);
			if (t[i].req)
				assert_string_equal(addr_ntop(c->req[0].family, c->req[0].addr, buf,
							      sizeof(buf)), t[i].req);
		}
		free(s);
		free(c);
	}
}

/* a request already there (from the config's ips) counts once; the ninth
 * is too many */
static void test_args_more(void **state)
{
	struct cni_conf *c = calloc(1, sizeof(*c));
	char s[64], *bad;
	int i;

	(void)state;
	assert_non_null(c);
	for (i = 0; i < CNI_NREQ; i++) {
		snprintf(s, sizeof(s), "IP=10.1.2.%d", i + 1);
		assert_int_equal(cni_conf_args(c, s, &bad), 0);
		snprintf(s, sizeof(s), "IP=10.1.2.%d/8", i + 1);
		assert_int_equal(cni_conf_args(c, s, &bad), 0);
	}
	assert_int_equal(c->nreq, CNI_NREQ);
	strcpy(s, "IP=10.1.2.99");
	assert_int_equal(cni_conf_args(c, s, &bad), -EDOM);
	assert_string_equal(bad, "IP=10.1.2.99");
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_args_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
