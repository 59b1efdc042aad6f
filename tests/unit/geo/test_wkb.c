/* wkb: every run of points of each geometry type, both byte orders, Z and M
 * dropped, and malformed input refused at its byte. */
#include "testutil.h"

#include "err.h"
#include "wkb.h"

#include <stdint.h>
#include <string.h>

/* A little WKB writer for the tests: little-endian unless big. */
struct buf {
	unsigned char b[1024];
	size_t n;
	int big;
};

static void put_u32(struct buf *w, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		w->b[w->n++] = (unsigned char)(w->big ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put_double(struct buf *w, double d)
{
	uint64_t v;
	memcpy(&v, &d, 8);
	for (int i = 0; i < 8; i++)
		w->b[w->n++] = (unsigned char)(w->big ? v >> (56 - 8 * i) : v >> (8 * i));
}

static void header(struct buf *w, uint32_t type)
{
	w->b[w->n++] = w->big ? 0 : 1;
	put_u32(w, type);
}

/* n points of dims ordinates: x = k, y = 10 k (k counting from first),
 * extra ordinates 99. */
static void pts(struct buf *w, int n, int dims, int first)
{
	for (int k = first; k < first + n; k++) {
		put_double(w, k);
		put_double(w, 10.0 * k);
		for (int d = 2; d < dims; d++)
			put_double(w, 99);
	}
}

static int record(void *ctx, enum wkb_run kind, const double *xy, size_t n)
{
	char *out = ctx, run[64];
	static const char *const names[] = {"P", "L", "S", "H"};
	snprintf(run, sizeof run, "%s%zu(%g,%g) ", names[kind], n, xy[0], xy[1]);
	strcat(out, run);
	return 0;
}

static const char *walk(struct buf *w)
{
	static char out[512];
	out[0] = 0;
	assert_int_equal(wkb_walk(w->b, w->n, record, out), 0);
	return out;
}

static void test_types(void **state)
{
	(void)state;
	struct buf w = {.n = 0};
	header(&w, 1);
	pts(&w, 1, 2, 3);
	assert_string_equal(walk(&w), "P1(3,30) ");

	w = (struct buf){.big = 1};
	header(&w, 1002); /* LINESTRING Z, big-endian */
	put_u32(&w, 3);
	pts(&w, 3, 3, 1);
	assert_string_equal(walk(&w), "L3(1,10) ");

	w = (struct buf){.n = 0};
	header(&w, 6); /* MULTIPOLYGON: a polygon with a hole, and another */
	put_u32(&w, 2);
	header(&w, 3);
	put_u32(&w, 2);
	put_u32(&w, 4);
	pts(&w, 4, 2, 0);
	put_u32(&w, 4);
	pts(&w, 4, 2, 5);
	header(&w, 3003); /* POLYGON ZM */
	put_u32(&w, 1);
	put_u32(&w, 4);
	pts(&w, 4, 4, 7);
	assert_string_equal(walk(&w), "S4(0,0) H4(5,50) S4(7,70) ");

	w = (struct buf){.n = 0};
	header(&w, 7 | 0x20000000u | 0x80000000u); /* EWKB GEOMETRYCOLLECTION Z with SRID */
	put_u32(&w, 4326);
	put_u32(&w, 2);
	header(&w, 1 | 0x80000000u);
	pts(&w, 1, 3, 2);
	header(&w, 5 | 0x80000000u);
	put_u32(&w, 1);
	header(&w, 2 | 0x80000000u);
	put_u32(&w, 2);
	pts(&w, 2, 3, 4);
	assert_string_equal(walk(&w), "P1(2,20) L2(4,40) ");
}

static void test_malformed(void **state)
{
	(void)state;
	char out[512] = "";
	struct buf w = {.n = 0};
	header(&w, 2);
	put_u32(&w, 1000000); /* more points than bytes */
	pts(&w, 2, 2, 0);
	assert_int_equal(wkb_walk(w.b, w.n, record, out), ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "byte 9"));
	for (size_t cut = 0; cut < 41; cut++) { /* a LINESTRING of 2 points, cut anywhere */
		w = (struct buf){.n = 0};
		header(&w, 2);
		put_u32(&w, 2);
		pts(&w, 2, 2, 0);
		assert_int_equal(wkb_walk(w.b, cut, record, out), ERR_GEOMETRY);
	}
	w = (struct buf){.n = 0};
	header(&w, 17);
	assert_int_equal(wkb_walk(w.b, w.n, record, out), ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "not a point, line, polygon or collection"));
	w = (struct buf){.n = 0};
	w.b[w.n++] = 7;
	assert_int_equal(wkb_walk(w.b, w.n, record, out), ERR_GEOMETRY);
	w = (struct buf){.n = 0};
	for (int i = 0; i < 40; i++) { /* collections in collections */
		header(&w, 7);
		put_u32(&w, 1);
	}
	assert_int_equal(wkb_walk(w.b, w.n, record, out), ERR_GEOMETRY);
	assert_non_null(strstr(err_msg(), "nested too deep"));
	assert_int_equal(wkb_walk(NULL, 0, record, out), ERR_GEOMETRY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_types),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
