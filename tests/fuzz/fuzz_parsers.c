/* libFuzzer: every user-input parser in lib/addr.c gets arbitrary bytes.
 * Besides crashes, check the invariants the applets rely on. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1), ep[64];
	struct nsb_prefix p;
	unsigned char mac[6];
	unsigned int lo, hi;
	unsigned long v;
	char *ns, *ifn;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (prefix_parse(s, AF_UNSPEC, &p, 0) == 0) {
		if (p.plen < 0 || p.plen > addr_len(p.family) * 8)
			abort();
		prefix_clear_host(&p);
	}
	if (prefix_parse(s, AF_INET, &p, 1) == 0 && (p.family != AF_INET || p.plen > 32))
		abort();
	if (addr_parse(s, AF_INET6, &p) == 0 && p.family != AF_INET6)
		abort();
	if (mac_parse(s, mac) == 0 && strlen(s) != 17)
		abort();
	if (port_range_parse(s, &lo, &hi) == 0 && (lo < 1 || hi > 65535 || lo > hi))
		abort();
	if (num_parse(s, 68, 65535, &v) == 0 && (v < 68 || v > 65535))
		abort();
	if (ifname_valid(s) && (strlen(s) > 15 || strchr(s, '/') || strchr(s, ':')))
		abort();
	if (ns_name_valid(s) && strchr(s, '/'))
		abort();
	if (size < sizeof(ep)) {
		memcpy(ep, s, size + 1);
		if (endpoint_split(ep, &ns, &ifn) == 0 && strchr(ifn, ':'))
			abort();
	}
	free(s);
	return 0;
}
