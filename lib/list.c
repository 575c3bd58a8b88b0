/* Growing arrays for dump replies: one element per kernel message. */
#include <errno.h>
#include <stdlib.h>
#include "nsbox.h"

void *list_add(struct nsb_list *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		void *v = realloc(l->v, cap * l->size);

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	return (char *)l->v + l->n++ * l->size;
}

void list_reset(void *l)
{
	((struct nsb_list *)l)->n = 0;
}

struct dump {
	struct nsb_list l;	/* first: list_reset works on the whole */
	list_fill_fn *fill;
	const void *arg;
};

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct dump *d = data;
	void *e = list_add(&d->l);
	int r = e ? d->fill(nlh, e, d->arg) : -ENOMEM;

	d->l.n -= e && r;	/* a reply fill skips or refuses */
	if (r < 0) {
		errno = -r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int list_dump(struct nsb *c, struct mnl_socket *nl, struct nlmsghdr *nlh, size_t size,
	      list_fill_fn *fill, const void *arg, void *out)
{
	struct dump d = { { NULL, 0, 0, size }, fill, arg };
	int r = nl_dump(c, nl, nlh, dump_cb, &d, list_reset);

	if (r) {
		free(d.l.v);
		return r;
	}
	*(void **)out = d.l.v;
	return d.l.n;
}

/* Insertion sort, stable: the lists sorted here are a namespace's links or
 * /run/netns's names, a few dozen elements, where libc's qsort would cost
 * 1.6 KiB of the static binary for nothing. */
void list_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *v = base, *a, *b, t;
	size_t i, j, k;

	for (i = 1; i < n; i++)
		for (j = i; j > 0; j--) {
			a = v + (j - 1) * size;
			b = a + size;
			if (cmp(a, b) <= 0)
				break;
			for (k = 0; k < size; k++) {
				t = a[k];
				a[k] = b[k];
				b[k] = t;
			}
		}
}
