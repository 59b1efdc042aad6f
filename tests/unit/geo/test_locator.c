/* locator: the polygon that covers a point, found the same way by the scan
 * of a few polygons' boxes and by the grid of many; a point on a shared edge
 * goes to the polygon added first; a find after more adds sees them. */
#include "testutil.h"

#include "locator.h"

#include <stdio.h>
#include <string.h>

static void add_square(locator *loc, const char *code, double x, double y, double w)
{
	unsigned char wkb[128];
	assert_int_equal(locator_add(loc, code, wkb, testutil_square_wkb(wkb, x, y, x + w, y + w)),
	                 0);
}

/* n x n unit squares from (0, 0), coded "r,c", row by row. */
static locator *chessboard(int n)
{
	locator *loc = locator_new();
	char code[32];
	assert_non_null(loc);
	for (int r = 0; r < n; r++)
		for (int c = 0; c < n; c++) {
			snprintf(code, sizeof code, "%d,%d", r, c);
			add_square(loc, code, c, r, 1);
		}
	return loc;
}

static void expect(locator *loc, double x, double y, const char *code)
{
	const char *found = locator_find(loc, x, y);
	if (!code)
		assert_null(found);
	else if (!found || strcmp(found, code) != 0)
		fail_msg("(%g, %g): %s, not %s", x, y, found ? found : "none", code);
}

/* Below the grid's threshold and above it, the same answers. */
static void test_small_and_large(void **state)
{
	(void)state;
	for (int n = 4; n <= 40; n += 36) {
		locator *loc = chessboard(n);
		char code[32];
		for (int r = 0; r < n; r++)
			for (int c = 0; c < n; c++) {
				snprintf(code, sizeof code, "%d,%d", r, c);
				expect(loc, c + 0.3, r + 0.7, code);
			}
		/* On an edge and a corner: the square added first. */
		expect(loc, 2, 1.5, "1,1");
		expect(loc, 2, 2, "1,1");
		/* Outside every box, and on the outer edge. */
		expect(loc, -0.1, 0.5, NULL);
		expect(loc, n + 0.1, 0.5, NULL);
		expect(loc, 0.5, n + 1e-9, NULL);
		snprintf(code, sizeof code, "%d,%d", n - 1, n - 1);
		expect(loc, n, n, code);
		locator_free(loc);
	}
}

/* A polygon added after a find is found; one added later over others
 * loses to them, one spanning many cells is found in each. */
static void test_adds_after_a_find(void **state)
{
	(void)state;
	locator *loc = chessboard(20);
	expect(loc, 25.5, 5.5, NULL);
	add_square(loc, "east", 24, 0, 20);
	expect(loc, 25.5, 5.5, "east");
	expect(loc, 43.9, 19.9, "east");
	add_square(loc, "over", -5, -5, 60);
	expect(loc, 10.5, 10.5, "10,10");
	expect(loc, 22, 30, "over");
	expect(loc, -4.9, 54.9, "over");
	expect(loc, -5.1, 0, NULL);
	locator_free(loc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_and_large),
	    cmocka_unit_test(test_adds_after_a_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
