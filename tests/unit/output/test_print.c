/* print: a layer's legend alone (print_legend(), WMS GetLegendGraphic) on
 * a generated district: fitted to its content or to the size asked, on a
 * transparent or painted background, scaled, in each language, the Gi*
 * bins, the trends categories and the planner's statuses, and refused
 * unless one layer is named. The printed pages themselves
 * are checked end to end by tests/integration/test_print.sh. */
#include "testutil.h"

#include "err.h"
#include "print.h"
#include "render.h"

#include <cairo.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return testutil_rendered_open(state, 2000, 8);
}

/* Decodes a legend, checks its size is the one reported, and counts the
 * pixels drawn; *corner is the top-left pixel (ARGB). */
static long decode(const struct print_legend *l, uint32_t *corner)
{
	cairo_surface_t *s = testutil_png_decode(l->png, l->len);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	assert_int_equal(w, l->width);
	assert_int_equal(h, l->height);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s);
	long n = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			n += ((const uint32_t *)(d + (size_t)y * stride))[x] >> 24 > 0;
	*corner = *(const uint32_t *)d;
	cairo_surface_destroy(s);
	return n;
}

static void test_fitted_and_sized(void **state)
{
	struct testutil_rendered *f = *state;
	struct print_legend_request q = {.layer = RENDER_HEATMAP};
	struct print_legend a, b, c;
	uint32_t corner;
	dataset_filter_all(&q.filter);
	assert_int_equal(print_legend(f->r, f->st, &q, &a), 0);
	assert_true(decode(&a, &corner) > 500);
	assert_int_equal(a.width, 267); /* 190 pt and the margins at 96 dpi */
	assert_true(a.height > 40 && a.height < 200);
	assert_int_equal(corner, 0); /* transparent */
	q.scale = 2;
	assert_int_equal(print_legend(f->r, f->st, &q, &b), 0);
	assert_true(abs(b.width - 2 * a.width) <= 1 && abs(b.height - 2 * a.height) <= 1);
	assert_true(decode(&b, &corner) > 3 * decode(&a, &corner));
	q = (struct print_legend_request){
	    .layer = RENDER_ZONES, .width = 150, .height = 30, .opaque = 1, .background = 0x102030};
	dataset_filter_all(&q.filter);
	assert_int_equal(print_legend(f->r, f->st, &q, &c), 0);
	decode(&c, &corner);
	assert_int_equal(c.width, 150);
	assert_int_equal(c.height, 30);
	assert_int_equal(corner, 0xFF102030);
	free(a.png);
	free(b.png);
	free(c.png);
}

static void test_rows_follow_the_data_and_language(void **state)
{
	struct testutil_rendered *f = *state;
	struct print_legend_request q = {.layer = RENDER_ZONES};
	struct print_legend zones, tracks, ru;
	uint32_t corner;
	dataset_filter_all(&q.filter);
	assert_int_equal(print_legend(f->r, f->st, &q, &zones), 0);
	q.layer = RENDER_TRACKS;
	assert_int_equal(print_legend(f->r, f->st, &q, &tracks), 0);
	/* A row per service against one for the tracks. */
	size_t services = dataset_service_count(renderer_dataset(f->r));
	assert_true(services > 2);
	assert_true(zones.height > tracks.height + (int)(services - 1) * 10);
	q.layer = RENDER_ZONES;
	q.lang = PRINT_RU;
	assert_int_equal(print_legend(f->r, f->st, &q, &ru), 0);
	decode(&ru, &corner);
	assert_true(ru.len != zones.len || memcmp(ru.png, zones.png, ru.len) != 0);
	free(zones.png);
	free(tracks.png);
	free(ru.png);
}

/* Whether the legend has a swatch pixel of (r, g, b) at alpha a (0-255;
 * premultiplied in the decoded surface). */
static int has_swatch(const struct print_legend *l, int r, int g, int b, int a)
{
	cairo_surface_t *s = testutil_png_decode(l->png, l->len);
	uint32_t want = (uint32_t)a << 24 | (uint32_t)(r * a / 255) << 16 |
	                (uint32_t)(g * a / 255) << 8 | (uint32_t)(b * a / 255);
	int found = 0;
	for (int y = 0; y < l->height && !found; y++)
		for (int x = 0; x < l->width && !found; x++)
			found = testutil_pixels_close(testutil_pixel(s, x, y), want, 2);
	cairo_surface_destroy(s);
	return found;
}

static void test_gistar_and_trends(void **state)
{
	struct testutil_rendered *f = *state;
	struct print_legend_request q = {.layer = RENDER_GISTAR};
	struct print_legend gistar, tracks;
	dataset_filter_all(&q.filter);
	assert_int_equal(print_legend(f->r, f->st, &q, &gistar), 0);
	q.layer = RENDER_TRACKS;
	assert_int_equal(print_legend(f->r, f->st, &q, &tracks), 0);
	/* six rows, hot 99% to cold 99%, against the tracks' one */
	assert_true(gistar.height > tracks.height + 5 * 10);
	assert_true(has_swatch(&gistar, 214, 47, 39, 191));   /* hot, 99% */
	assert_true(has_swatch(&gistar, 250, 185, 132, 191)); /* hot, 90% */
	assert_true(has_swatch(&gistar, 69, 117, 181, 191));  /* cold, 99% */
	assert_false(has_swatch(&tracks, 214, 47, 39, 191));
	/* every trends category of the style: sixteen rows */
	struct print_legend trends;
	q.layer = RENDER_TRENDS;
	assert_int_equal(print_legend(f->r, f->st, &q, &trends), 0);
	assert_true(trends.height > gistar.height + 9 * 10);
	assert_true(has_swatch(&trends, 153, 0, 13, 191)); /* oscillating hot */
	/* the planner's: coverage's four statuses, dosage's three, in the
	 * style's colours (gap #e31a1c; met #1a9641) */
	struct print_legend coverage, dosage;
	q.layer = RENDER_COVERAGE;
	assert_int_equal(print_legend(f->r, f->st, &q, &coverage), 0);
	q.layer = RENDER_DOSAGE;
	assert_int_equal(print_legend(f->r, f->st, &q, &dosage), 0);
	assert_true(coverage.height > dosage.height);
	assert_true(has_swatch(&coverage, 0xe3, 0x1a, 0x1c, 89)); /* at fill_opacity 0.35 */
	assert_true(has_swatch(&dosage, 0x1a, 0x96, 0x41, 89));
	assert_false(has_swatch(&dosage, 0xe3, 0x1a, 0x1c, 89));
	assert_true(dosage.height > tracks.height + 2 * 10);
	free(gistar.png);
	free(tracks.png);
	free(trends.png);
	free(coverage.png);
	free(dosage.png);
}

static void test_refused(void **state)
{
	struct testutil_rendered *f = *state;
	struct print_legend_request q = {.layer = RENDER_HEATMAP | RENDER_ZONES};
	struct print_legend out;
	dataset_filter_all(&q.filter);
	assert_int_equal(print_legend(f->r, f->st, &q, &out), ERR_INVALID);
	assert_null(out.png);
	q.layer = 0;
	assert_int_equal(print_legend(f->r, f->st, &q, &out), ERR_INVALID);
}

int main(void)
{
	/* the legends only read the district: one for every test */
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fitted_and_sized),
	    cmocka_unit_test(test_rows_follow_the_data_and_language),
	    cmocka_unit_test(test_gistar_and_trends),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, setup, testutil_rendered_close);
}
