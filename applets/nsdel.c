/* nsdel [-e] NAME...
 *
 * Delete named network namespaces (/run/netns/NAME). A namespace lives on
 * while a process or open file still holds it.
 *   -e   succeed when NAME does not exist
 */
#include <errno.h>
#include "cli.h"

static const struct nsb_optdef opts[] = {
	{ "-e", 'e', 0 },
	{ 0 }
};

int nsdel_main(struct nsb *c, int argc, char **argv)
{
	struct nsb_opts st = { 0 };
	int k, idem = 0, any = 0, r = 0;

	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		if (k == NSB_OPT_USAGE)
			return 2;
		if (k == 'e')
			idem = 1;
		else if (!ns_name_valid(st.arg))
			return nsb_usage(c, st.arg, "invalid namespace name");
		else
			any = 1;
	}
	if (!any)
		return nsb_usage(c, "NAME", "missing operand");
	st = (struct nsb_opts){ 0 };
	while ((k = nsb_opt(c, &st, argc, argv, opts)) != NSB_OPT_END) {
		int e;

		if (k != NSB_OPT_OPERAND)
			continue;
		nl_forget(c, st.arg);
		e = ns_del(st.arg);
		if (e == -ENOENT && idem)
			continue;
		if (e)
			r = nsb_fail(c, st.arg, e);
	}
	return r;
}
