/* For the fuzzers that include a lib/ file: its list_fill_fn run on every
 * message of arbitrary bytes, as list_dump runs it on a dump's replies. */
#include <stdlib.h>
#include <libmnl/libmnl.h>

struct fuzz_fill {
	struct nsb_list l;
	list_fill_fn *fill;
	const void *arg;
};

static int fuzz_fill_cb(const struct nlmsghdr *nlh, void *data)
{
	struct fuzz_fill *f = data;
	void *e = list_add(&f->l);
	int r = e ? f->fill(nlh, e, f->arg) : -1;

	f->l.n -= e && r;	/* a reply skipped or refused */
	return r < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/* The elements made (the caller checks and frees f->l.v). */
static void fuzz_fill(struct fuzz_fill *f, const void *buf, size_t size, size_t elem,
		      list_fill_fn *fill, const void *arg)
{
	*f = (struct fuzz_fill){ { NULL, 0, 0, elem }, fill, arg };
	mnl_cb_run(buf, size, 0, 0, fuzz_fill_cb, f);
}
