/* libFuzzer: the CNI network configuration parser (lib/cniconf.c), which
 * reads prevResult and every plugin's fields, on arbitrary bytes.  Besides
 * crashes, check what the plugins rely on: counts within their arrays,
 * prefixes within their families, ranges in order, requested addresses
 * of a family and each once; then CNI_ARGS's parser on the same bytes. */
#include <stdlib.h>
#include <string.h>
#include "cni.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cni_conf *c = calloc(1, sizeof(*c));
	char *s = malloc(size + 1);
	char *bad;
	int i, k;

	if (!c || !s)
		goto out;
	memcpy(s, data, size);
	s[size] = '\0';
	if (cni_conf_parse(c, s, size) == 0) {
		if (c->nsets > CNI_NSETS || c->nroutes > CNI_NROUTES || c->nports > CNI_NPORTS ||
		    c->prev.nips > CNI_NIPS || c->prev.nifs > CNI_NIFS ||
		    c->prev.nroutes > CNI_NROUTES || c->nreq > CNI_NREQ)
			abort();
		/* requests: an address of either family, each once */
		for (i = 0; i < c->nreq; i++) {
			if (!addr_len(c->req[i].family))
				abort();
			for (k = 0; k < i; k++)
				if (!memcmp(&c->req[k], &c->req[i], sizeof(c->req[i])))
					abort();
		}
		for (i = 0; i < c->nsets; i++)
			for (k = 0; k < c->nsetranges[i]; k++) {
				const struct cni_range *r = &c->sets[i][k];
				int n = addr_len(r->subnet.family);

				if (!n || memcmp(r->start, r->end, n) > 0)
					abort();
			}
		for (i = 0; i < c->prev.nips; i++)
			if (c->prev.ips[i].iface >= c->prev.nifs ||
			    c->prev.ips[i].addr.plen > addr_len(c->prev.ips[i].addr.family) * 8)
				abort();
		cni_conf_valid(c, "id", "eth0");
	}
	/* the same bytes as CNI_ARGS (it cuts them: parsed, s is done) */
	if (!cni_conf_args(c, s, &bad) && c->nreq > CNI_NREQ)
		abort();
out:
	if (c)
		cj_free(&c->j);
	free(c);
	free(s);
	return 0;
}
