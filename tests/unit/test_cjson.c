/* The CNI plugins' JSON (lib/cjson.c, cli/json.c) in tables: {text,
 * taken?} for the strict RFC 8259 check (each expectation is what Go
 * 1.19's json.Valid says of the same bytes, the reference plugins'
 * decoder), {object, key, value found} for Go's field lookup (case
 * folding, duplicates), {JSON string, bytes} for unescaping, {bytes, JSON
 * text} for escaping, and whole configurations read as Go reads them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>
/* jsmn's own parser, strict, to compare the tokens with (cni.h takes only
 * its types) */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>
#include "cni.h"
#include "cli.h"

enum { BAD = -1, OBJECT = 0, VALUE = 1 };	/* not JSON, an object, JSON not an object */

/* Valid JSON: cj_parse's tokens are jsmn's, one for one. */
static void same_as_jsmn(const struct cj *j)
{
	jsmntok_t *t = calloc(j->n + 1, sizeof(*t));
	jsmn_parser p;
	int i;

	assert_non_null(t);
	jsmn_init(&p);
	assert_int_equal(jsmn_parse(&p, j->s, strlen(j->s), t, j->n + 1), j->n);
	for (i = 0; i < j->n; i++) {
		assert_int_equal(t[i].type, j->t[i].type);
		assert_int_equal(t[i].start, j->t[i].start);
		assert_int_equal(t[i].end, j->t[i].end);
		assert_int_equal(t[i].size, j->t[i].size);
	}
	free(t);
}

static int parse(const char *s, size_t len)
{
	struct cj j;
	int r = cj_parse(&j, s, len);

	if (!r && len == strlen(s))
		same_as_jsmn(&j);
	cj_free(&j);
	return !r ? OBJECT : r == -EBADMSG && j.at == SIZE_MAX ? VALUE : BAD;
}

static void test_strict(void **state)
{
	static const struct {
		const char *in;
		int want;
	} t[] = {
		{ "{}", OBJECT },
		{ " \t\r\n{ }\n", OBJECT },
		{ "{\"a\":1}", OBJECT },
		{ "{\"a\":[1,2,{\"b\":null}],\"c\":{}}", OBJECT },
		{ "{\"a\":-0}", OBJECT },
		{ "{\"a\":-1.5e+10}", OBJECT },
		{ "{\"a\":1E5}", OBJECT },
		{ "{\"a\":0.0e-0}", OBJECT },
		{ "{\"a\":[ ],\"b\":{ }}", OBJECT },
		{ "{\"a\":true,\"b\":false,\"c\":null}", OBJECT },
		{ "{\"\":\"\"}", OBJECT },
		{ "{\"a\":\"\\u00e9\\ud83d\\ude00\\uD83D\"}", OBJECT },
		{ "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", OBJECT },
		{ "{\"a\":\"\xff\xfe\xc0\xaf\xed\xa0\x80\"}", OBJECT },	/* not UTF-8: Go takes it */
		{ "{\"a\":\"\x7f\"}", OBJECT },
		{ "{\"a\":\"x\",\"a\":\"y\"}", OBJECT },
		{ "[]", VALUE },
		{ "[1]", VALUE },
		{ "\"s\"", VALUE },
		{ "null", VALUE },
		{ "0", VALUE },
		{ "", BAD },
		{ "  ", BAD },
		{ "{", BAD },
		{ "}", BAD },
		{ "{\"a\":1,}", BAD },
		{ "{\"a\":[1,]}", BAD },
		{ "{\"a\":[,1]}", BAD },
		{ "{,}", BAD },
		{ "{\"a\"}", BAD },
		{ "{\"a\":}", BAD },
		{ "{\"a\" 1}", BAD },
		{ "{\"a\"::1}", BAD },
		{ "{a:1}", BAD },
		{ "{'a':1}", BAD },
		{ "{1:1}", BAD },
		{ "{\"a\":1 \"b\":2}", BAD },
		{ "{\"a\":nul}", BAD },
		{ "{\"a\":nulll}", BAD },
		{ "{\"a\":True}", BAD },
		{ "{\"a\":01}", BAD },
		{ "{\"a\":-01}", BAD },
		{ "{\"a\":1.2.3}", BAD },
		{ "{\"a\":-}", BAD },
		{ "{\"a\":--1}", BAD },
		{ "{\"a\":1.}", BAD },
		{ "{\"a\":.5}", BAD },
		{ "{\"a\":1e}", BAD },
		{ "{\"a\":1e+}", BAD },
		{ "{\"a\":1e5.0}", BAD },
		{ "{\"a\":+1}", BAD },
		{ "{\"a\":0x1}", BAD },
		{ "{\"a\":NaN}", BAD },
		{ "{\"a\":Infinity}", BAD },
		{ "{\"a\":\"\x01\"}", BAD },
		{ "{\"a\":\"\x1f\"}", BAD },
		{ "{\"a\":\"tab\there\"}", BAD },
		{ "{\"a\":\"line\nbreak\"}", BAD },
		{ "{\"a\":\"\\x\"}", BAD },
		{ "{\"a\":\"\\'\"}", BAD },
		{ "{\"a\":\"\\u12\"}", BAD },
		{ "{\"a\":\"\\u12g4\"}", BAD },
		{ "{\"a\":\"\\", BAD },
		{ "{\"a\":\"open}", BAD },
		{ "{\"a\":[1}", BAD },
		{ "{\"a\":{]}", BAD },
		{ "{\"a\":\"x\"]", BAD },
		{ "{\"a\":1}}", BAD },
		{ "{} x", BAD },
		{ "{}{}", BAD },
		{ "{} ,", BAD },
		{ "{}/* c */", BAD },
		{ "\xef\xbb\xbf{}", BAD },	/* a byte order mark */
		{ "{\"a\":\f1}", BAD },		/* form feed is not a blank */
		{ "{\"a\":\v1}", BAD },
		{ "{\"a\":1}\n\n\x1a", BAD },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int r = parse(t[i].in, strlen(t[i].in));

		if (r != t[i].want)
			fail_msg("cj_parse(\"%s\") = %d, want %d", t[i].in, r, t[i].want);
	}
	/* a NUL is not JSON, in a string or after the object */
	assert_int_equal(parse("{\"a\":\"\0\"}", 8), BAD);
	assert_int_equal(parse("{}\0", 3), BAD);
}

/* {"a": then d brackets, d closing, } */
static char *nest(int d, const char *open, const char *close)
{
	size_t n = strlen(open) * d, m = strlen(close) * d;
	char *s = malloc(n + m + 8), *p = s;
	int i;

	assert_non_null(s);
	p += sprintf(p, "{\"a\":");
	for (i = 0; i < d; i++)
		p = stpcpy(p, open);
	p = stpcpy(p, "0");
	for (i = 0; i < d; i++)
		p = stpcpy(p, close);
	strcpy(p, "}");
	return s;
}

/* as deep as Go goes (10000, the object counted), no deeper; no stack
 * overflow far beyond it */
static void test_deep(void **state)
{
	char *s;

	(void)state;
	s = nest(CJ_DEPTH - 1, "[", "]");
	assert_int_equal(parse(s, strlen(s)), OBJECT);
	free(s);
	s = nest(CJ_DEPTH - 1, "{\"b\":[0,", "]}");
	/* half objects, half arrays: 2 * (CJ_DEPTH - 1) deep */
	assert_int_equal(parse(s, strlen(s)), BAD);
	free(s);
	s = nest(CJ_DEPTH / 2 - 1, "{\"b\":[0,", "]}");
	assert_int_equal(parse(s, strlen(s)), OBJECT);
	free(s);
	s = nest(CJ_DEPTH, "[", "]");
	assert_int_equal(parse(s, strlen(s)), BAD);
	free(s);
	s = nest(1000000, "[", "]");
	assert_int_equal(parse(s, strlen(s)), BAD);
	free(s);
}

/* 1 MiB arrays and objects under an unknown key: every token counted,
 * none refused for number */
static void test_wide(void **state)
{
	size_t n = 1 << 20, i;
	char *s = malloc(n + 64), *p;
	struct cni_conf *c = calloc(1, sizeof(*c));
	struct cj j;

	(void)state;
	assert_non_null(s);
	assert_non_null(c);
	p = s + sprintf(s, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"x\":[");
	for (i = 0; (size_t)(p - s) < n - 4; i++)
		p += sprintf(p, "%s0", i ? "," : "");
	strcpy(p, "]}");
	assert_int_equal(cj_parse(&j, s, strlen(s)), 0);
	assert_int_equal(j.n, 7 + (int)i);
	same_as_jsmn(&j);
	assert_int_equal(j.t[cj_get(&j, 0, "x")].size, (int)i);
	cj_free(&j);
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_string_equal(c->name, "n");
	/* the same key 60000 times: the last counts */
	p = s + sprintf(s, "{\"cniVersion\":\"1.0.0\"");
	for (i = 0; i < 60000; i++)
		p += sprintf(p, ",\"name\":\"n%zu\"", i);
	strcpy(p, "}");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_string_equal(c->name, "n59999");
	cj_free(&c->j);
	free(c);
	free(s);
}

static void test_get(void **state)
{
	static const struct {
		const char *in, *key;
		int sorted;
		const char *want;	/* the value's text, NULL: absent */
	} t[] = {
		{ "{\"hostPort\":1}", "hostPort", 0, "1" },
		{ "{\"HostPort\":2}", "hostPort", 0, "2" },
		{ "{\"HOSTPORT\":3}", "hostPort", 0, "3" },
		{ "{\"hostport\":4}", "hostPort", 0, "4" },
		{ "{\"host_port\":5}", "hostPort", 0, NULL },
		{ "{\"hostPor\":5}", "hostPort", 0, NULL },
		{ "{\"hostPortt\":5}", "hostPort", 0, NULL },
		{ "{\"\\u0068ost\\u0050ort\":6}", "hostPort", 0, "6" },
		{ "{\"hostPort\":1,\"HostPort\":2}", "hostPort", 0, "2" },
		{ "{\"HostPort\":2,\"hostPort\":1}", "hostPort", 0, "1" },
		{ "{\"a\":1,\"a\":2,\"a\":3}", "a", 0, "3" },
		{ "{\"name\":\"a\",\"name\":null}", "name", 0, NULL },
		{ "{\"name\":null,\"name\":\"b\"}", "name", 0, "b" },
		{ "{\"name\":null}", "name", 0, NULL },
		{ "{\"\xe2\x84\xaa" "ey\":7}", "key", 0, "7" },	/* KELVIN SIGN */
		{ "{\"\\u212aEY\":7}", "key", 0, "7" },
		{ "{\"\xc5\xbfubnet\":8}", "subnet", 0, "8" },	/* LONG S */
		{ "{\"\xc4\xb0pam\":9}", "ipam", 0, NULL },	/* U+0130: Go 1.19 does not fold it */
		{ "{\"\xe2\x84\xaa\":9}", "s", 0, NULL },
		{ "{\"a`b\":1}", "a@b", 0, NULL },		/* only letters fold */
		{ "{\"A[B\":1}", "a{b", 0, NULL },
		{ "{\"CNI.dev/Valid-Attachments\":[]}", "cni.dev/valid-attachments", 0, "[]" },
		{ "{\"a\":{\"b\":1},\"c\":2}", "b", 0, NULL },	/* not inside another */
		{ "{\"a\":{\"b\":1},\"b\":2}", "b", 0, "2" },
		{ "{\"ips\":1,\"IPS\":2}", "ips", 0, "2" },
		/* a map re-marshalled: sorted, "IPS" < "Ips" < "ips" */
		{ "{\"ips\":1,\"IPS\":2}", "ips", 1, "1" },
		{ "{\"Ips\":1,\"ips\":3,\"IPS\":2}", "ips", 1, "3" },
		{ "{\"ips\":1,\"IPS\":2,\"ips\":4}", "ips", 1, "4" },
		{ "{\"IPS\":2,\"Ips\":5}", "ips", 1, "5" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct cj j;
		char got[64] = "(absent)";
		int v;

		assert_int_equal(cj_parse(&j, t[i].in, strlen(t[i].in)), 0);
		same_as_jsmn(&j);
		j.sorted = t[i].sorted;
		v = cj_get(&j, 0, t[i].key);
		if (v >= 0)
			snprintf(got, sizeof(got), "%.*s", j.t[v].end - j.t[v].start,
				 j.s + j.t[v].start);
		if (strcmp(got, t[i].want ? t[i].want : "(absent)"))
			fail_msg("cj_get(%s, %s) = %s, want %s", t[i].in, t[i].key, got,
				 t[i].want ? t[i].want : "(absent)");
		cj_free(&j);
	}
}

static void test_str(void **state)
{
	static const struct {
		const char *in;		/* a JSON string */
		int ret;
		const char *want;
	} t[] = {
		{ "\"plain\"", 0, "plain" },
		{ "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, "\"\\/\b\f\n\r\t" },
		{ "\"a\\u00e9\\u20AC\"", 0, "a\xc3\xa9\xe2\x82\xac" },
		{ "\"\\ud83d\\ude00\"", 0, "\xf0\x9f\x98\x80" },
		{ "\"\\ud800\"", 0, "\xef\xbf\xbd" },
		{ "\"\\ud800x\"", 0, "\xef\xbf\xbdx" },
		{ "\"\\udc00\\ud800\"", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\\ud800\\u0041\"", 0, "\xef\xbf\xbd" "A" },
		{ "\"\xc3\xa9\xf0\x9f\x98\x80\"", 0, "\xc3\xa9\xf0\x9f\x98\x80" },
		{ "\"\xff\"", 0, "\xef\xbf\xbd" },
		{ "\"\xe2\x84\"", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\xc0\xaf\"", 0, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\xed\xa0\x80\"", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"\xf4\x90\x80\x80\"", 0, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\"a\\u0000b\"", -EINVAL, NULL },
		{ "\"0123456789abcdef\"", -E2BIG, NULL },	/* buf holds 15 and a NUL */
		{ "\"0123456789abcde\"", 0, "0123456789abcde" },
		{ "\"0123456789abcd\xc3\xa9\"", -E2BIG, NULL },
		{ "\"0123456789abcd\xff\"", -E2BIG, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char doc[128], buf[16];
		struct cj j;
		int r;

		snprintf(doc, sizeof(doc), "{\"k\":%s}", t[i].in);
		assert_int_equal(cj_parse(&j, doc, strlen(doc)), 0);
		r = cj_str(&j, 2, buf, sizeof(buf));
		if (r != t[i].ret)
			fail_msg("cj_str(%s) = %d, want %d", t[i].in, r, t[i].ret);
		if (!r)
			assert_string_equal(buf, t[i].want);
		cj_free(&j);
	}
}

static void test_quote(void **state)
{
	static const struct {
		const char *in, *want;
	} t[] = {
		{ "a", "\"a\"" },
		{ "", "\"\"" },
		{ "\"\\", "\"\\\"\\\\\"" },
		{ "\x01\x1f\n\x7f", "\"\\u0001\\u001f\\u000a\x7f\"" },
		{ "\xff", "\"\\ufffd\"" },
		{ "\xe2\x84", "\"\\ufffd\\ufffd\"" },
		{ "\xc3\xa9\xe2\x84\xaa", "\"\xc3\xa9\xe2\x84\xaa\"" },
		{ "/", "\"/\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char out[64];
		size_t n = json_quote(out, sizeof(out), t[i].in, strlen(t[i].in));

		assert_int_equal(n, strlen(t[i].want));
		assert_string_equal(out, t[i].want);
		/* one byte short: the length it needs, nothing pretending to fit */
		assert_true(json_quote(out, n, t[i].in, strlen(t[i].in)) >= n);
	}
}

#define CONF(rest) "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"bridge\"" rest "}"

static void test_conf(void **state)
{
	struct cni_conf *c = calloc(1, sizeof(*c));
	static const char *const bad[][2] = {
		{ CONF(",\"dns\":{\"nameservers\":[1]}"), "dns" },
		{ CONF(",\"dns\":{\"domain\":[]}"), "dns" },
		{ CONF(",\"dns\":[]"), "dns" },
		{ CONF(",\"mtu\":1500,\"MTU\":\"x\""), "mtu" },
		{ CONF(",\"mtu\":1e3"), "mtu" },
		{ CONF(",\"ipMasq\":1"), "ipMasq" },
		{ CONF(",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":80,\"HOSTPORT\":0,"
		       "\"containerPort\":80}]}"), "hostPort" },
	};
	const char *s;
	size_t i;

	(void)state;
	assert_non_null(c);
	/* containerd's capitalised port mappings */
	s = CONF(",\"runtimeConfig\":{\"portMappings\":[{\"HostPort\":8090,\"ContainerPort\":80,"
		 "\"Protocol\":\"tcp\",\"HostIP\":\"\"}]}");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_int_equal(c->nports, 1);
	assert_int_equal(c->ports[0].host, 8090);
	assert_int_equal(c->ports[0].cont, 80);
	assert_int_equal(c->ports[0].proto, IPPROTO_TCP);
	assert_int_equal(c->ports[0].hostip.family, 0);
	/* duplicates: the last; null: as absent; case: any */
	s = CONF(",\"mtu\":1400,\"MTU\":1500,\"ipam\":null,\"IsGateway\":true,\"bridge\":\"b1\","
		 "\"Bridge\":\"b2\",\"hairpinMode\":true,\"hairpinMode\":null");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_int_equal(c->mtu, 1500);
	assert_int_equal(c->ipam, -1);
	assert_int_equal(c->is_gw, 1);
	assert_int_equal(c->hairpin, 0);
	assert_string_equal(c->bridge, "b2");
	/* prevResult as Go re-marshals it: of "ips" and "IPS", "ips" */
	s = CONF(",\"prevResult\":{\"ips\":[{\"address\":\"10.1.0.5/24\"}],"
		 "\"IPS\":[{\"address\":\"10.2.0.5/24\"},{\"address\":\"10.2.0.6/24\"}]}");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_int_equal(c->prev.nips, 1);
	assert_int_equal(c->prev.ips[0].addr.addr[1], 1);
	/* args.cni.ips, in any case */
	s = CONF(",\"ARGS\":{\"CNI\":{\"IPs\":[\"10.3.0.9\"]}}");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_int_equal(c->nreq, 1);
	/* a dns object keeps its text, read again for printing */
	s = CONF(",\"DNS\":{\"Nameservers\":[\"1.1.1.1\",null],\"x\":{}}");
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), 0);
	assert_non_null(c->dns);
	assert_int_equal(c->dns[0], '{');
	assert_int_equal(c->dns[c->dnslen - 1], '}');
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cni_conf_parse(c, bad[i][0], strlen(bad[i][0])) != -EINVAL)
			fail_msg("%s: taken", bad[i][0]);
		assert_string_equal(c->why, bad[i][1]);
	}
	s = "{\"cniVersion\":\"1.0.0\",} ";
	assert_int_equal(cni_conf_parse(c, s, strlen(s)), -EBADMSG);
	assert_int_equal(c->j.at, 22);
	cj_free(&c->j);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_wide),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_str),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_conf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
