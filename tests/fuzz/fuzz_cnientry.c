/* libFuzzer: the CNI plugin entry (cni/cni.c's cni_entry) on arbitrary
 * environment and stdin.  An input starting "CNI_" begins with
 * environment lines, NAME=VALUE up to an empty line; the rest is the
 * configuration (with its prevResult) read from stdin.  Everything up to
 * the plugin's own ops runs as in a plugin: the strict JSON check, Go's
 * key rules, the version, the environment, then stub ops that never reach
 * the kernel: ADD prints prevResult back as the result (with the config's
 * dns, every string of both escaped again), the other commands read
 * CNI_ARGS and valid-attachments and fail with the conf's strings in the
 * error object.  Checked: whatever was printed is one JSON object (the
 * strict check) of UTF-8 only; the exit status is 0 or 1; and where the
 * configuration is taken, its tokens are the ones jsmn makes of it. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
/* jsmn's own parser, strict: cj_parse's tokens must be its tokens */
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>
#include "../../cni/cniplug.h"

static int out = -1;

static int add(struct cni *k)
{
	char *a = strdup(getenv("CNI_ARGS") ? getenv("CNI_ARGS") : ""), *bad;

	if (a)
		cni_conf_args(k->conf, a, &bad);
	free(a);
	k->res = k->conf->prev;
	if (k->conf->dns) {
		k->res.dns = k->conf->dns;
		k->res.dnslen = k->conf->dnslen;
	}
	return 0;
}

static int other(struct cni *k)
{
	cni_conf_valid(k->conf, k->id ? k->id : "", k->ifname ? k->ifname : "");
	return cni_err(k, 999, k->conf->name, "%s %s %s", k->conf->type, k->conf->bridge,
		       k->conf->data_dir);
}

static cni_op *const stub[CNI_NOPS] = { add, other, other, other, other };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* what the entry prints goes to a file we read back */
	out = memfd_create("out", 0);
	if (out < 0 || dup2(out, 1) < 0)
		abort();
	return 0;
}

/* Environment lines at the start of s (n bytes); the offset of the rest. */
static size_t env(const char *s, size_t n)
{
	static const char *const names[] = { "CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS",
					     "CNI_IFNAME", "CNI_PATH", "CNI_ARGS" };
	static const char *const dflt[] = { "ADD", "c1", "/run/netns/fuzz", "eth0",
					    "/nonexistent", "" };
	size_t i = 0, e;
	char line[512], *v;
	int k;

	for (k = 0; k < 6; k++)
		setenv(names[k], dflt[k], 1);
	if (n < 4 || memcmp(s, "CNI_", 4))
		return 0;
	for (; i < n && s[i] != '\n'; i = e + 1) {
		for (e = i; e < n && s[e] != '\n' && s[e]; e++)
			;
		if (e < n && !s[e])
			return n;	/* a NUL in the environment: none */
		snprintf(line, sizeof(line), "%.*s", (int)(e - i), s + i);
		v = strchr(line, '=');
		if (v && !strncmp(line, "CNI_", 4)) {
			*v = '\0';
			setenv(line, v + 1, 1);
		}
		if (e == n)
			return n;
	}
	return i < n ? i + 1 : n;
}

static void same_as_jsmn(const char *s, size_t n)
{
	struct cj j;
	jsmntok_t *t;
	jsmn_parser p;
	int i;

	if (cj_parse(&j, s, n))
		return;
	t = malloc((j.n + 1) * sizeof(*t));
	jsmn_init(&p);
	if (!t || jsmn_parse(&p, s, n, t, j.n + 1) != j.n)
		abort();
	for (i = 0; i < j.n; i++)
		if (t[i].type != j.t[i].type || t[i].start != j.t[i].start ||
		    t[i].end != j.t[i].end || t[i].size != j.t[i].size)
			abort();
	free(t);
	cj_free(&j);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *s = (const char *)data;
	size_t at = env(s, size);
	struct nsb c = { 0 };
	struct cj j = { 0 };
	char *got = NULL;
	off_t n;
	int in = memfd_create("in", 0), r, k;

	if (in < 0 || write(in, s + at, size - at) != (ssize_t)(size - at) ||
	    lseek(in, 0, SEEK_SET) != 0)
		abort();
	same_as_jsmn(s + at, size - at);
	r = cni_entry(&c, "fuzz", stub, getenv("CNI_COMMAND"), in);
	close(in);
	fflush(stdout);
	n = lseek(out, 0, SEEK_CUR);
	if ((r != 0 && r != 1) || n <= 0 || !(got = malloc(n)) || pread(out, got, n, 0) != n)
		abort();
	/* one object, a newline after it, nothing but UTF-8 */
	if (got[n - 1] != '\n' || cj_parse(&j, got, n))
		abort();
	for (at = 0; at < (size_t)n; at += k)
		if (!(k = utf8_len((const unsigned char *)got + at, n - at)))
			abort();
	cj_free(&j);
	free(got);
	if (ftruncate(out, 0) || lseek(out, 0, SEEK_SET))
		abort();
	nsb_free(&c);
	return 0;
}
