/* btpage: the method a reader is pointed to (the highest mean PAI, none
 * when no method marked a cell), and the page body drawn from a hand-built
 * backtest with undefined measures and a single fold, in every language
 * and both orientations, inside its box and leaving the Cairo context
 * sound. */
#include "testutil.h"

#include "btpage.h"

#include <math.h>

static double diagonal[4] = {0, 0, 1, 1};

/* One fold; kde marked nothing (its PAI, RRI and PEI undefined). */
static void hand_built(struct backtest *b, struct backtest_fold *fold)
{
	static const double pai[BACKTEST_METHODS] = {NAN, 3.5, 7.25, 2};
	*b = (struct backtest){.cell = 100, .cells = 400, .zones = 2, .n_folds = 1};
	b->params.train_weeks = 8;
	b->params.test_weeks = b->params.step_weeks = 1;
	*fold = (struct backtest_fold){0};
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		b->mean[m] = (struct backtest_measure){
		    0.3, pai[m], isnan(pai[m]) ? NAN : 0.9, isnan(pai[m]) ? NAN : 0.5, 12, 30};
		b->sd[m] = (struct backtest_measure){NAN, NAN, NAN, NAN, NAN, NAN};
		fold->m[m] = b->mean[m];
		b->curve[m] = diagonal;
		b->curve_n[m] = 2;
	}
	b->folds = fold;
}

static void test_best(void **state)
{
	(void)state;
	struct backtest b;
	struct backtest_fold fold;
	hand_built(&b, &fold);
	assert_int_equal(btpage_best(&b), BACKTEST_COUNTS);
	for (int m = 0; m < BACKTEST_METHODS; m++)
		b.mean[m].pai = NAN;
	assert_int_equal(btpage_best(&b), -1);
}

static void test_draw(void **state)
{
	(void)state;
	static const char *const langs[] = {"uz", "ru", "en", "xx"};
	struct backtest b;
	struct backtest_fold fold;
	hand_built(&b, &fold);
	for (int l = 0; l < 4; l++)
		for (int landscape = 0; landscape < 2; landscape++) {
			cairo_surface_t *s =
			    cairo_image_surface_create(CAIRO_FORMAT_RGB24, 842, 842);
			cairo_t *cr = cairo_create(s);
			struct typeset t = {cr, 1};
			btpage_draw(&t, 28, 28, landscape ? 786 : 539, landscape ? 539 : 786,
			            landscape, &b, langs[l]);
			assert_int_equal(cairo_status(cr), CAIRO_STATUS_SUCCESS);
			/* Nothing leaves the box but the rows' colour marks, 4 pt
			 * left of the table: the surface starts black. */
			cairo_destroy(cr);
			cairo_surface_flush(s);
			int w = landscape ? 786 : 539, h = landscape ? 539 : 786;
			size_t outside = 0, inside = 0;
			const unsigned char *px = cairo_image_surface_get_data(s);
			int stride = cairo_image_surface_get_stride(s);
			for (int y = 0; y < 842; y++)
				for (int x = 0; x < 842; x++) {
					const unsigned char *p = px + y * stride + 4 * x;
					int drawn = p[0] | p[1] | p[2];
					int in = x >= 23 && x < 28 + w && y >= 28 && y < 28 + h;
					outside += drawn && !in;
					inside += drawn && in;
				}
			assert_int_equal(outside, 0);
			assert_true(inside > 0);
			cairo_surface_destroy(s);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_best),
	    cmocka_unit_test(test_draw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
