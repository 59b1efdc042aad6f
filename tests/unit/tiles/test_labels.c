/* labels: glyph coverage of Uzbek and Russian, collisions, the fit rule,
 * prints, and seamless placement across tiles, checked on decoded pixels. */
#include "testutil.h"

#include "err.h"
#include "labels.h"
#include "style.h"
#include "tilemath.h"
#include "view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define Z  15
#define TX 22690 /* a z15 tile over Tashkent */
#define TY 12120
#define PX 256

static const char *const names[] = {
    "Bogʻishamol", "Боғишамол", "Oʻzbekiston", "Ўзбекистон", "Qoʻyliq", "Қўйлиқ",
    "Gʻalaba",     "Ғалаба",    "Hamza",       "Ҳамза",      "Oqtepa",  "Оқтепа",
};
#define N_NAMES (sizeof names / sizeof names[0])

static style *default_style(void)
{
	char path[1024];
	style *s = NULL;
	const char *src = getenv("POSBON_SOURCE_DIR");
	assert_non_null(src);
	snprintf(path, sizeof path, "%s/styles/default.json", src);
	assert_int_equal(style_load(path, &s), 0);
	return s;
}

static uint64_t rng_state;

static double uniform(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static void test_uzbek_and_cyrillic_have_glyphs(void **state)
{
	(void)state;
	style *s = default_style();
	const char *fonts[] = {"regular", "medium", "bold"};
	int unknown = -1;
	for (size_t f = 0; f < 3; f++) {
		const struct style_font *font = style_font(s, fonts[f]);
		assert_non_null(font);
		for (size_t i = 0; i < N_NAMES; i++) {
			assert_int_equal(labels_unknown_glyphs(font, names[i], &unknown), 0);
			if (unknown)
				fail_msg("%s lacks %d glyphs of %s", font->family, unknown,
				         names[i]);
		}
	}
	/* Each family on its own, and the apostrophe-like U+2018 as often typed. */
	const char *families[] = {"Noto Sans", "DejaVu Sans"};
	for (size_t f = 0; f < 2; f++) {
		struct style_font one = {.name = "one", .family = families[f], .weight = 400};
		assert_int_equal(labels_unknown_glyphs(&one, "O‘zbekiston ҳ қ ғ ў", &unknown), 0);
		assert_int_equal(unknown, 0);
		/* Han characters are in neither: two unknown glyphs, not a silent
		 * fallback to another font. */
		assert_int_equal(labels_unknown_glyphs(&one, "Toshkent 漢字", &unknown), 0);
		assert_int_equal(unknown, 2);
	}
	assert_int_equal(labels_unknown_glyphs(style_font(s, "regular"), "a\xff", &unknown),
	                 ERR_INVALID);
	style_free(s);
}

/* The view of the tiles TX .. TX + ntx - 1 of row TY as one picture. */
static struct view tiles_view(int ntx)
{
	struct view v;
	assert_int_equal(view_for_tile(Z, TX, TY, PX, &v), 0);
	v.width = ntx * PX;
	return v;
}

/* Random labels over the tiles TX - 1 .. TX + 2, anchors in frame units. */
static size_t random_items(const struct style_label *st, struct labels_item *out, size_t n)
{
	struct tile_bounds a, b;
	tile_bounds_merc(Z, TX - 1, TY, &a);
	tile_bounds_merc(Z, TX + 2, TY, &b);
	for (size_t i = 0; i < n; i++)
		out[i] = (struct labels_item){
		    .text = names[i % N_NAMES],
		    .style = st,
		    .x = a.minx + uniform() * (b.maxx - a.minx),
		    .y = a.miny + uniform() * (a.maxy - a.miny),
		    .r = (20 + 80 * uniform()) * (a.maxx - a.minx) / PX,
		    .rank = i % 5 == 0 ? LABELS_RANK_DISTRICT : LABELS_RANK_MAHALLA,
		};
	return n;
}

/* Draws the items anchored in the view's label box, as a painter adds them;
 * returns the picture and keeps lb for inspection. */
static cairo_surface_t *draw(const struct view *v, enum labels_edges edges,
                             const struct labels_item *items, size_t n, labels **lb_out)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->width, v->height);
	cairo_t *cr = cairo_create(img);
	labels *lb = NULL;
	double box[4];
	assert_int_equal(labels_new(v, edges, &lb), 0);
	labels_frame_box(lb, box);
	for (size_t i = 0; i < n; i++)
		if (items[i].x >= box[0] && items[i].x <= box[2] && items[i].y >= box[1] &&
		    items[i].y <= box[3])
			assert_int_equal(labels_add(lb, &items[i]), 0);
	assert_int_equal(labels_draw(lb, cr), 0);
	cairo_destroy(cr);
	cairo_surface_flush(img);
	*lb_out = lb;
	return img;
}

static void test_no_two_labels_overlap(void **state)
{
	(void)state;
	style *s = default_style();
	const struct style_label *st = style_mahallas(s)->label;
	struct labels_item items[150];
	labels *lb = NULL;
	rng_state = 3;
	size_t n = random_items(st, items, 150);
	struct view v = tiles_view(2);
	cairo_surface_t *img = draw(&v, LABELS_SEAMLESS, items, n, &lb);
	const struct labels_placed *p;
	size_t np = labels_placed(lb, &p), drawn = 0;
	assert_true(np > 10 && np < n); /* crowded: some are refused */
	double m = LABELS_MARGIN;
	for (size_t i = 0; i < np; i++) {
		for (size_t j = 0; j < i; j++)
			assert_false(p[i].x0 - m < p[j].x1 && p[j].x0 < p[i].x1 + m &&
			             p[i].y0 - m < p[j].y1 && p[j].y0 < p[i].y1 + m);
		/* The box's centre stays within the label's circle. */
		double cx = (p[i].x0 + p[i].x1) / 2, cy = (p[i].y0 + p[i].y1) / 2;
		assert_true(hypot(cx - p[i].ax, cy - p[i].ay) <= 40);
		if (p[i].x0 < 0 || p[i].y0 < 0 || p[i].x1 > v.width || p[i].y1 > v.height)
			continue;
		/* Text and halo pixels where the label was placed. */
		int text = 0, halo = 0;
		for (int y = (int)p[i].y0; y < (int)p[i].y1; y++)
			for (int x = (int)p[i].x0; x < (int)p[i].x1; x++) {
				text +=
				    testutil_pixel_is(testutil_pixel(img, x, y), &st->colour, 40);
				halo += testutil_pixel_is(testutil_pixel(img, x, y),
				                          &st->halo->colour, 8);
			}
		assert_true(text > 10);
		assert_true(halo > 10);
		drawn++;
	}
	assert_true(drawn > 3);
	/* Nothing outside the labels' boxes. */
	for (int y = 0; y < v.height; y++)
		for (int x = 0; x < v.width; x++) {
			int in = 0;
			for (size_t i = 0; i < np && !in; i++)
				in = x >= p[i].x0 - 1 && x < p[i].x1 + 1 && y >= p[i].y0 - 1 &&
				     y < p[i].y1 + 1;
			if (!in)
				assert_int_equal(testutil_pixel(img, x, y), 0);
		}
	cairo_surface_destroy(img);
	labels_free(lb);
	style_free(s);
}

static void test_only_labels_that_fit_their_circle(void **state)
{
	(void)state;
	style *s = default_style();
	const struct style_label *st = style_mahallas(s)->label;
	struct view v = tiles_view(1);
	double cx = v.x0 + 128 * v.res, cy = v.y0 - 128 * v.res;
	/* "Bogʻishamol" at z15 is ~60 px wide: it fits a circle of 25 px
	 * (1.6 x 50 = 80 px), not one of 15 px (48 px). */
	struct labels_item items[] = {
	    {"Bogʻishamol", st, cx - 60 * v.res, cy, 25 * v.res, LABELS_RANK_MAHALLA, 0, 0, 0, 0,
	     0},
	    {"Bogʻishamol", st, cx + 60 * v.res, cy, 15 * v.res, LABELS_RANK_MAHALLA, 0, 0, 0, 0,
	     0},
	    /* no circle: no test */
	    {"Oqtepa", st, cx, cy - 90 * v.res, 0, LABELS_RANK_MAHALLA, 0, 0, 0, 0, 0},
	};
	labels *lb = NULL;
	cairo_surface_t *img = draw(&v, LABELS_SEAMLESS, items, 3, &lb);
	const struct labels_placed *p;
	assert_int_equal(labels_placed(lb, &p), 2);
	assert_true(p[0].ax < 128); /* the larger circle goes first */
	assert_string_equal(p[1].text, "Oqtepa");
	/* Out of the label's zoom range (mahalla labels from z13) nothing is added. */
	labels *low = NULL;
	struct view v12;
	assert_int_equal(view_for_tile(12, TX / 8, TY / 8, PX, &v12), 0);
	assert_int_equal(labels_new(&v12, LABELS_SEAMLESS, &low), 0);
	assert_int_equal(labels_add(low, &items[0]), 0);
	cairo_t *cr = cairo_create(img);
	assert_int_equal(labels_draw(low, cr), 0);
	assert_int_equal(labels_placed(low, &p), 0);
	struct labels_item bad = {"a\xff", st, cx, cy, 0, LABELS_RANK_MAHALLA, 0, 0, 0, 0, 0};
	assert_int_equal(labels_add(lb, &bad), ERR_INVALID);
	cairo_destroy(cr);
	labels_free(low);
	cairo_surface_destroy(img);
	labels_free(lb);
	style_free(s);
}

/* Two tiles drawn one by one have the very pixels of the same two tiles
 * drawn as one picture, labels across their common edge included. */
static void test_tiles_are_seamless(void **state)
{
	(void)state;
	style *s = default_style();
	struct labels_item items[200];
	rng_state = 11;
	size_t n = random_items(style_mahallas(s)->label, items, 200);
	struct view wide = tiles_view(2), left = tiles_view(1), right;
	assert_int_equal(view_for_tile(Z, TX + 1, TY, PX, &right), 0);
	labels *lw, *ll, *lr;
	cairo_surface_t *iw = draw(&wide, LABELS_SEAMLESS, items, n, &lw);
	cairo_surface_t *il = draw(&left, LABELS_SEAMLESS, items, n, &ll);
	cairo_surface_t *ir = draw(&right, LABELS_SEAMLESS, items, n, &lr);
	const struct labels_placed *p;
	size_t np = labels_placed(lw, &p), crossing = 0;
	for (size_t i = 0; i < np; i++)
		crossing += p[i].x0 < PX && p[i].x1 > PX && p[i].y1 > 0 && p[i].y0 < PX;
	assert_true(crossing >= 1);
	int worst = 0, lit = 0;
	for (int y = 0; y < PX; y++)
		for (int x = 0; x < 2 * PX; x++) {
			uint32_t a = testutil_pixel(iw, x, y),
			         b = x < PX ? testutil_pixel(il, x, y)
			                    : testutil_pixel(ir, x - PX, y);
			lit += a != 0;
			for (int sh = 0; sh < 32; sh += 8) {
				int d = abs((int)(a >> sh & 0xff) - (int)(b >> sh & 0xff));
				worst = d > worst ? d : worst;
			}
		}
	assert_true(lit > 1000);
	assert_true(worst <= 2);
	cairo_surface_destroy(iw);
	cairo_surface_destroy(il);
	cairo_surface_destroy(ir);
	labels_free(lw);
	labels_free(ll);
	labels_free(lr);
	style_free(s);
}

/* A print keeps every label inside the picture by the margin. */
static void test_prints_keep_labels_inside(void **state)
{
	(void)state;
	style *s = default_style();
	struct labels_item items[150];
	rng_state = 5;
	size_t n = random_items(style_mahallas(s)->label, items, 150);
	struct view v = tiles_view(2);
	labels *lb;
	cairo_surface_t *img = draw(&v, LABELS_INSIDE, items, n, &lb);
	const struct labels_placed *p;
	size_t np = labels_placed(lb, &p);
	assert_true(np > 5);
	for (size_t i = 0; i < np; i++) {
		assert_true(p[i].x0 >= LABELS_MARGIN && p[i].y0 >= LABELS_MARGIN);
		assert_true(p[i].x1 <= v.width - LABELS_MARGIN);
		assert_true(p[i].y1 <= v.height - LABELS_MARGIN);
	}
	for (int x = 0; x < v.width; x++)
		assert_int_equal(testutil_pixel(img, x, 0) | testutil_pixel(img, x, v.height - 1),
		                 0);
	cairo_surface_destroy(img);
	labels_free(lb);
	style_free(s);
}

/* On a print, a name too wide for its shape that asks for a callout stands
 * beside it (its box clear of the circle, a line joining it to the anchor);
 * one that does not ask is dropped, and callouts yield to names that fit. */
static void test_callouts_beside_small_shapes(void **state)
{
	(void)state;
	style *s = default_style();
	const struct style_label *st = style_mahallas(s)->label;
	struct view v = tiles_view(1);
	double cx = v.x0 + 128 * v.res, cy = v.y0 - 128 * v.res;
	struct labels_item items[] = {
	    {.text = "Bogʻishamol",
	     .style = st,
	     .x = cx,
	     .y = cy,
	     .r = 10 * v.res,
	     .rank = LABELS_RANK_ZONE,
	     .callout = 1},
	    {.text = "Oqtepa",
	     .style = st,
	     .x = cx + 60 * v.res,
	     .y = cy + 60 * v.res,
	     .r = 8 * v.res,
	     .rank = LABELS_RANK_ZONE},
	    /* a name that fits, ranked after the callout, still goes first */
	    {.text = "Yulduz",
	     .style = st,
	     .x = cx + 70 * v.res,
	     .y = cy,
	     .r = 40 * v.res,
	     .rank = LABELS_RANK_MAHALLA},
	};
	labels *lb = NULL;
	cairo_surface_t *img = draw(&v, LABELS_INSIDE, items, 3, &lb);
	const struct labels_placed *p;
	assert_int_equal(labels_placed(lb, &p), 2);
	assert_string_equal(p[0].text, "Yulduz");
	assert_string_equal(p[1].text, "Bogʻishamol");
	/* clear of the circle: the box's nearest point lies beyond r */
	double dx = fmax(fmax(p[1].x0 - p[1].ax, 0), p[1].ax - p[1].x1);
	double dy = fmax(fmax(p[1].y0 - p[1].ay, 0), p[1].ay - p[1].y1);
	assert_true(hypot(dx, dy) > 10);
	assert_false(p[0].x1 > p[1].x0 && p[1].x1 > p[0].x0 && p[0].y1 > p[1].y0 &&
	             p[1].y1 > p[0].y0);
	/* the leader: ink on the line halfway from the anchor to the box */
	double bx = fmin(fmax(p[1].ax, p[1].x0), p[1].x1),
	       by = fmin(fmax(p[1].ay, p[1].y0), p[1].y1);
	int mx = (int)lround((p[1].ax + bx) / 2), my = (int)lround((p[1].ay + by) / 2);
	uint32_t ink = 0;
	for (int y = my - 1; y <= my + 1; y++)
		for (int x = mx - 1; x <= mx + 1; x++)
			ink |= testutil_pixel(img, x, y);
	assert_true(ink != 0);
	cairo_surface_destroy(img);
	labels_free(lb);
	/* tiles never use callouts: a tile's choice must not depend on room */
	img = draw(&v, LABELS_SEAMLESS, items, 1, &lb);
	assert_int_equal(labels_placed(lb, &p), 0);
	cairo_surface_destroy(img);
	labels_free(lb);
	style_free(s);
}

/* A name along a line: drawn only where the line holds it, turned along
 * it, its box the box around the turned text; a line label yields to a
 * mahalla's whatever the order they were added in. */
static void test_labels_along_lines(void **state)
{
	(void)state;
	style *s = default_style();
	const struct style_label *st = style_mahallas(s)->label;
	struct view v = tiles_view(1);
	double cx = v.x0 + 128 * v.res, cy = v.y0 - 128 * v.res;
	struct labels_item items[] = {
	    /* 45 degrees down to the right, 200 px of line: placed */
	    {.text = "Bunyodkor",
	     .style = st,
	     .x = cx - 60 * v.res,
	     .y = cy + 60 * v.res,
	     .rank = LABELS_RANK_STREET,
	     .length = 200 * v.res,
	     .angle = M_PI / 4},
	    /* 20 px of line: the text does not fit */
	    {.text = "Qatortol",
	     .style = st,
	     .x = cx + 60 * v.res,
	     .y = cy - 60 * v.res,
	     .rank = LABELS_RANK_STREET,
	     .length = 20 * v.res,
	     .angle = 0},
	    /* where a mahalla's name is: the mahalla wins */
	    {.text = "Chilonzor",
	     .style = st,
	     .x = cx + 60 * v.res,
	     .y = cy + 60 * v.res,
	     .rank = LABELS_RANK_STREET,
	     .length = 200 * v.res,
	     .angle = 0},
	    {.text = "Oqtepa",
	     .style = st,
	     .x = cx + 60 * v.res,
	     .y = cy + 60 * v.res,
	     .rank = LABELS_RANK_MAHALLA},
	};
	labels *lb = NULL;
	cairo_surface_t *img = draw(&v, LABELS_SEAMLESS, items, 4, &lb);
	const struct labels_placed *p;
	assert_int_equal(labels_placed(lb, &p), 2);
	assert_string_equal(p[0].text, "Oqtepa");
	assert_string_equal(p[1].text, "Bunyodkor");
	/* Turned by 45 degrees, its box is about as high as it is wide. */
	double w = p[1].x1 - p[1].x0, h = p[1].y1 - p[1].y0;
	assert_true(w > 40 && fabs(w - h) < 2);
	cairo_surface_destroy(img);
	labels_free(lb);
	style_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uzbek_and_cyrillic_have_glyphs),
	    cmocka_unit_test(test_no_two_labels_overlap),
	    cmocka_unit_test(test_only_labels_that_fit_their_circle),
	    cmocka_unit_test(test_tiles_are_seamless),
	    cmocka_unit_test(test_prints_keep_labels_inside),
	    cmocka_unit_test(test_labels_along_lines),
	    cmocka_unit_test(test_callouts_beside_small_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
