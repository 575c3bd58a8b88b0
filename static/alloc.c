/*
 * malloc for the static musl build only (like static/fmt.c).  musl's mallocng
 * is ~7 KiB of the binary and built for long-running, many-threaded
 * programs; nsbox is one short single-threaded process (a batch at most)
 * that allocates a few buffers.  Power-of-two size classes with free lists
 * over mmap'd arenas; big blocks get their own mapping.  musl supports
 * replacing malloc this way (malloc, free, calloc, realloc).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define MIN_SHIFT 4			/* 16-byte blocks */
#define MAX_SHIFT 16			/* up to 64 KiB from arenas */
#define ARENA (256 * 1024)

struct hdr {
	size_t size;			/* usable bytes: class size or mapping */
	size_t big;			/* its own mapping */
};

/* an allocator keeps state by nature; nsbox is single-threaded */
static void *freelist[MAX_SHIFT + 1];
static char *arena, *arena_end;

static int shift_for(size_t n)
{
	int s = MIN_SHIFT;

	while (((size_t)1 << s) < n)
		s++;
	return s;
}

void *malloc(size_t n)
{
	struct hdr *h;
	int s;

	if (n > ((size_t)1 << MAX_SHIFT)) {
		size_t len = (n + sizeof(*h) + 4095) & ~(size_t)4095;

		if (len < n) {
			errno = ENOMEM;
			return NULL;
		}
		h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (h == MAP_FAILED) {
			errno = ENOMEM;
			return NULL;
		}
		h->size = len - sizeof(*h);
		h->big = 1;
		return h + 1;
	}
	s = shift_for(n);
	if (freelist[s]) {
		h = freelist[s];
		freelist[s] = *(void **)(h + 1);
		return h + 1;
	}
	if ((size_t)(arena_end - arena) < sizeof(*h) + ((size_t)1 << s)) {
		arena = mmap(NULL, ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (arena == MAP_FAILED) {
			arena = arena_end = NULL;
			errno = ENOMEM;
			return NULL;
		}
		arena_end = arena + ARENA;
	}
	h = (struct hdr *)arena;
	arena += sizeof(*h) + ((size_t)1 << s);
	h->size = (size_t)1 << s;
	h->big = 0;
	return h + 1;
}

void free(void *p)
{
	struct hdr *h;

	if (!p)
		return;
	h = (struct hdr *)p - 1;
	if (h->big) {
		munmap(h, h->size + sizeof(*h));
		return;
	}
	*(void **)p = freelist[shift_for(h->size)];
	freelist[shift_for(h->size)] = h;
}

void *calloc(size_t m, size_t n)
{
	void *p;

	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	p = malloc(m * n);
	if (p)
		memset(p, 0, m * n);
	return p;
}

void *realloc(void *p, size_t n)
{
	struct hdr *h;
	void *q;

	if (!p)
		return malloc(n);
	h = (struct hdr *)p - 1;
	if (n <= h->size)
		return p;
	q = malloc(n);
	if (q) {
		memcpy(q, p, h->size);
		free(p);
	}
	return q;
}
