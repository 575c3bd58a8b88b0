/* static/alloc.c (the static build's malloc) under other names: sizes across
 * every class and the big-block path, reuse after free, realloc keeping
 * contents, calloc zeroing and overflow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

void *a_malloc(size_t n);
void a_free(void *p);
void *a_calloc(size_t m, size_t n);
void *a_realloc(void *p, size_t n);

static void test_sizes(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 4096, 65535, 65536, 65537, 1 << 20 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	size_t i, j;
	(void)state;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = a_malloc(sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		memset(p[i], (int)i, sizes[i]);
	}
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(((unsigned char *)p[i])[j], i);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		a_free(p[i]);
	a_free(NULL);
}

static void test_reuse_realloc_calloc(void **state)
{
	char *a, *b, *c;
	size_t i;
	(void)state;

	a = a_malloc(40);
	a_free(a);
	b = a_malloc(50);	/* same 64-byte class: the freed block comes back */
	assert_ptr_equal(a, b);
	strcpy(b, "keep me");
	c = a_realloc(b, 60);
	assert_ptr_equal(c, b);
	c = a_realloc(c, 100000);
	assert_string_equal(c, "keep me");
	a_free(c);
	c = a_calloc(1000, 10);
	for (i = 0; i < 10000; i++)
		assert_int_equal(c[i], 0);
	a_free(c);
	assert_null(a_calloc(SIZE_MAX / 2, 4));
	for (i = 0; i < 100000; i++)	/* many cycles stay bounded */
		a_free(a_malloc(i % 5000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_reuse_realloc_calloc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
