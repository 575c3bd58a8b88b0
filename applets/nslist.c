/* nslist [-j]
 *
 * List named network namespaces (/run/netns), one a line, sorted.
 *   -j   JSON as ip -j netns list: [{"name":"NS"},...]
 */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"

static const struct nsb_optdef opts[] = {
	{ "-j", 'j', 0 },
	{ 0 }
};

int nslist_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	struct json j = { 0 };
	char **names;
	int k, json = 0, n, i;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (k == 'j')
			json = 1;
		else
			return nsb_usage(c, st.arg, "unexpected argument");
	}
	n = ns_list(&names);
	if (n < 0)
		return nsb_fail(c, NSB_RUN_NETNS, n);
	if (json)
		json_open(&j, '[');
	for (i = 0; i < n; i++) {
		if (!json) {
			puts(names[i]);
			continue;
		}
		json_open(&j, '{');
		json_kstr(&j, "name", names[i]);
		json_close(&j, '{');
	}
	if (json)
		json_close(&j, '[');
	free(names);
	return 0;
}
