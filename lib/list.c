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
