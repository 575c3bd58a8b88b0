/* Growing arrays for dump replies: one element per kernel message. */
#include <stdlib.h>
#include "nsbox.h"

void *list_next(struct nsb_list *l)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 16;
		void *v = realloc(l->v, cap * l->size);

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	return (char *)l->v + l->n * l->size;
}

void list_reset(void *l)
{
	((struct nsb_list *)l)->n = 0;
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
