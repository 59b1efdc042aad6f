/* render + heatmap + points: real sample database, PNG decoded, pixels
 * checked against brute-force densities. */
#include "testutil.h"

#include "civil.h"
#include "classify.h"
#include "err.h"
#include "heatmap.h"
#include "render.h"
#include "shapes.h"
#include "store.h"
#include "stylecolour.h"
#include "styleramp.h"
#include "tilemath.h"

#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int setup(void **state)
{
	return testutil_rendered_open(state, 6000, 12);
}

/* The densest tile of the sample at zoom z around the district. */
static void busiest_tile(renderer *r, int z, long *tx, long *ty)
{
	const dataset *ds = renderer_dataset(r);
	double e[4];
	dataset_extent(ds, e);
	double cx = (e[0] + e[2]) / 2, cy = (e[1] + e[3]) / 2, lon, lat;
	tile_merc_to_lonlat(cx, cy, &lon, &lat);
	struct tile_range tr;
	double west, south, east, north;
	tile_merc_to_lonlat(e[0], e[1], &west, &south);
	tile_merc_to_lonlat(e[2], e[3], &east, &north);
	assert_int_equal(tile_cover(z, west, south, east, north, &tr), 0);
	struct dataset_filter all;
	dataset_filter_all(&all);
	struct dataset_points pts = {0};
	size_t best = 0;
	for (long x = tr.x0; x <= tr.x1; x++)
		for (long y = tr.y0; y <= tr.y1; y++) {
			struct tile_bounds b;
			tile_bounds_merc(z, x, y, &b);
			double box[4] = {b.minx, b.miny, b.maxx, b.maxy};
			assert_int_equal(dataset_gather(ds, box, &all, NULL, &pts), 0);
			if (pts.n > best) {
				best = pts.n;
				*tx = x;
				*ty = y;
			}
		}
	dataset_points_free(&pts);
	assert_true(best > 50);
}

/* The style's weight of each of the dataset's categories, as the renderer
 * weighs them, into w (DATASET_MAX_CATEGORIES entries). */
static void category_weights(renderer *r, double *w)
{
	const dataset *ds = renderer_dataset(r);
	for (size_t c = 0; c < dataset_category_count(ds); c++)
		w[c] = style_category_weight(renderer_style(r), dataset_category(ds, c));
}

/* Density of n points at the centre of pixel (i, j) of view v, one by one
 * with the style's kernel and bandwidth. */
static double points_density(renderer *r, const struct kde_point *pts, const double *w, size_t n,
                             const struct view *v, int i, int j)
{
	const struct style_heatmap *h = style_heatmap(renderer_style(r));
	double x = v->x0 + (i + 0.5) * v->res, y = v->y0 - (j + 0.5) * v->res, out;
	struct kde_params p = {.kernel = h->kernel, .bandwidth = h->bandwidth};
	assert_int_equal(kde_density_at(&p, pts, w, n, x, y, tile_scale_factor_merc(y), &out), 0);
	return out;
}

/* Every offence passing f, weighed as the renderer weighs. */
static void gather_all(renderer *r, const struct dataset_filter *f, struct dataset_points *pts)
{
	const dataset *ds = renderer_dataset(r);
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	double w[DATASET_MAX_CATEGORIES];
	category_weights(r, w);
	assert_int_equal(dataset_gather(ds, world, f, w, pts), 0);
}

/* Brute-force density at pixel (i, j) of view v, as the renderer weighs. */
static double brute_density(renderer *r, const struct view *v, const struct dataset_filter *f,
                            int i, int j)
{
	struct dataset_points pts = {0};
	gather_all(r, f, &pts);
	double out = points_density(r, pts.pts, pts.w, pts.n, v, i, j);
	dataset_points_free(&pts);
	return out;
}

static void test_heatmap_pixels_are_the_ramp_of_the_true_density(void **state)
{
	struct testutil_rendered *f = *state;
	const struct style_heatmap *h = style_heatmap(renderer_style(f->r));
	struct render_request q = {.layers = RENDER_HEATMAP};
	long x = 0, y = 0;
	busiest_tile(f->r, 14, &x, &y);
	assert_int_equal(view_for_tile(14, x, y, 256, &q.view), 0);
	dataset_filter_all(&q.filter);
	cairo_surface_t *img = testutil_render_decoded(f->r, &q);
	assert_int_equal(cairo_image_surface_get_width(img), 256);
	style_ramp *ramp;
	double weights[DATASET_MAX_CATEGORIES];
	const dataset *ds = renderer_dataset(f->r);
	category_weights(f->r, weights);
	assert_int_equal(heatmap_ramp(h, ds, &q.filter, weights, 0, &ramp), 0);
	int coloured = 0, transparent = 0;
	for (int k = 0; k < 40; k++) {
		int i = (k * 37) % 256, j = (k * 101 + 13) % 256;
		double d = brute_density(f->r, &q.view, &q.filter, i, j);
		struct style_colour c;
		style_ramp_colour(ramp, d, &c);
		c.a *= h->opacity;
		uint32_t want = style_colour_pixel(&c);
		if (!testutil_pixels_close(testutil_pixel(img, i, j), want, 2))
			fail_msg("pixel %d,%d: %08x, density %g wants %08x", i, j,
			         testutil_pixel(img, i, j), d, want);
		coloured += (want >> 24) != 0;
		transparent += (want >> 24) == 0;
	}
	assert_true(coloured > 5);
	style_ramp_free(ramp);
	cairo_surface_destroy(img);
}

static void test_neighbouring_tiles_are_seamless(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request q = {.layers = RENDER_HEATMAP};
	long x = 0, y = 0;
	busiest_tile(f->r, 15, &x, &y);
	dataset_filter_all(&q.filter);
	/* One wide picture of both tiles: its two halves must be the tiles. */
	assert_true(testutil_seam(f->r, &q, 15, x, y) > 0);
}

static void test_density_does_not_depend_on_zoom(void **state)
{
	struct testutil_rendered *f = *state;
	long x = 0, y = 0;
	busiest_tile(f->r, 13, &x, &y);
	const struct style_heatmap *h = style_heatmap(renderer_style(f->r));
	struct heatmap_opts o = {.kernel = h->kernel, .bandwidth = h->bandwidth, .opacity = 1};
	struct dataset_filter all;
	dataset_filter_all(&all);
	struct dataset_points scratch = {0};
	struct view z13;
	assert_int_equal(view_for_tile(13, x, y, 256, &z13), 0);
	static double grid[256 * 256];
	assert_int_equal(heatmap_density(&z13, renderer_dataset(f->r), &all, &o, &scratch, grid),
	                 0);
	/* The same places through 1-pixel views at the resolution of z15 and z17. */
	for (int k = 0; k < 20; k++) {
		int i = (k * 53 + 7) % 256, j = (k * 29 + 100) % 256;
		for (int z = 15; z <= 17; z += 2) {
			struct view v = z13;
			v.res = tile_merc_per_pixel(z, 256);
			v.zoom = z;
			v.width = v.height = 1;
			v.x0 = z13.x0 + (i + 0.5) * z13.res - v.res / 2;
			v.y0 = z13.y0 - (j + 0.5) * z13.res + v.res / 2;
			double d;
			assert_int_equal(
			    heatmap_density(&v, renderer_dataset(f->r), &all, &o, &scratch, &d), 0);
			double want = grid[j * 256 + i];
			assert_true(fabs(d - want) <= 1e-9 * fmax(1.0, fabs(want)));
		}
	}
	dataset_points_free(&scratch);
}

/* Whether local hour h is in "22-06": 22:00 up to 06:00. */
static int night_hour(int h)
{
	return h >= 22 || h < 6;
}

/* The offences the filter "hours=22-06,
 * categories=assault,hooliganism,burglary" keeps, picked by hand from every
 * offence (dataset.h's rules, not its code): an offence of those categories
 * weighs its style weight times the share of its span's minutes that fall
 * in the night (half the sample's burglaries are spans), its hour when
 * exact, and nothing without a time or with a span over the 72 h limit. */
struct night_pick {
	const dataset *ds;
	const style *s;
	struct kde_point *pts;
	double *w;
	size_t n;
	size_t partial; /* spans partly in the night */
};

static int pick_night(void *ctx, const struct dataset_offence *o)
{
	struct night_pick *p = ctx;
	const char *cat = dataset_category(p->ds, o->category);
	if (!cat ||
	    (strcmp(cat, "assault") != 0 && strcmp(cat, "hooliganism") != 0 &&
	     strcmp(cat, "burglary") != 0) ||
	    o->mid == STORE_NO_TIME || o->span > 72 * 60)
		return 0;
	int in = 0;
	if (o->span == 0)
		in = night_hour(o->hour);
	else
		for (int m = 0; m < o->span; m++)
			in += night_hour((o->week_minute + m) / 60 % 24);
	double share = o->span == 0 ? in : (double)in / o->span;
	p->partial += o->span > 0 && share > 0 && share < 1;
	if (share > 0) {
		p->pts[p->n] = (struct kde_point){o->x, o->y};
		p->w[p->n++] = share * style_category_weight(p->s, cat);
	}
	return 0;
}

/* The filtered heatmap is the density of the offences the filter names
 * and nothing else: the same values as from the hand-picked offences, the
 * ramp's colours of them, and clear wherever none of them reaches while
 * the unfiltered picture is painted there. */
static void test_a_filter_shows_only_what_it_keeps_and_bad_layers_are_refused(void **state)
{
	struct testutil_rendered *f = *state;
	const dataset *ds = renderer_dataset(f->r);
	const struct style_heatmap *h = style_heatmap(renderer_style(f->r));
	struct render_request q = {.layers = RENDER_HEATMAP};
	long x = 0, y = 0;
	busiest_tile(f->r, 14, &x, &y);
	assert_int_equal(view_for_tile(14, x, y, 256, &q.view), 0);
	dataset_filter_all(&q.filter);
	cairo_surface_t *all = testutil_render_decoded(f->r, &q);

	struct night_pick pick = {.ds = ds, .s = renderer_style(f->r)};
	pick.pts = calloc(dataset_count(ds), sizeof *pick.pts);
	pick.w = calloc(dataset_count(ds), sizeof *pick.w);
	const double world[4] = {-2e7, -2e7, 2e7, 2e7};
	assert_int_equal(dataset_each(ds, world, &q.filter, pick_night, &pick), 0);
	/* The sample has such offences, some of them spans partly in the
	 * night, and many more of others. */
	assert_true(pick.n > 20 && pick.n < dataset_count(ds) / 4);
	assert_true(pick.partial > 5);

	struct dataset_filter_text night = {.hours = "22-06",
	                                    .categories = "assault,hooliganism,burglary"};
	assert_int_equal(dataset_filter_parse(ds, &night, &q.filter), 0);
	cairo_surface_t *few = testutil_render_decoded(f->r, &q);
	double weights[DATASET_MAX_CATEGORIES];
	category_weights(f->r, weights);
	struct heatmap_opts o = {
	    .kernel = h->kernel, .bandwidth = h->bandwidth, .weights = weights, .opacity = 1};
	struct dataset_points scratch = {0};
	static double grid[256 * 256];
	assert_int_equal(heatmap_density(&q.view, ds, &q.filter, &o, &scratch, grid), 0);
	dataset_points_free(&scratch);
	style_ramp *ramp, *ramp_all;
	assert_int_equal(heatmap_ramp(h, ds, &q.filter, weights, 0, &ramp), 0);
	struct dataset_filter everything;
	dataset_filter_all(&everything);
	assert_int_equal(heatmap_ramp(h, ds, &everything, weights, 0, &ramp_all), 0);
	/* Fitted to the filter: the style's ramp times the filter's share of
	 * every offence of its period and territory. */
	style_ramp *fitted;
	assert_int_equal(heatmap_ramp(h, ds, &q.filter, weights, 1, &fitted), 0);
	struct dataset_filter whole;
	dataset_filter_all(&whole);
	whole.from = q.filter.from;
	whole.to = q.filter.to;
	double share = dataset_weighted_count(ds, &q.filter, weights) /
	               dataset_weighted_count(ds, &whole, weights);
	assert_true(share > 0 && share < 0.5);
	for (size_t i = 0; i < style_ramp_size(ramp); i++) {
		double a, b;
		style_ramp_stop(ramp, i, &a, NULL);
		style_ramp_stop(fitted, i, &b, NULL);
		assert_true(fabs(b - a * share) <= 1e-9 * a);
	}
	style_ramp_free(fitted);

	/* Sampled pixels where no kept offence reaches, yet all of them paint
	 * (to at least 2 / 255 alpha): the filter must clear every one. */
	struct dataset_points every = {0};
	gather_all(f->r, &everything, &every);
	int to_clear = 0, cleared = 0;
	for (int j = 1; j < 256; j += 2)
		for (int i = 1; i < 256; i += 2) {
			double want = points_density(f->r, pick.pts, pick.w, pick.n, &q.view, i, j);
			if (fabs(grid[j * 256 + i] - want) > 1e-9 * fmax(1.0, want))
				fail_msg("pixel %d,%d: density %.12g, the kept offences' %.12g", i,
				         j, grid[j * 256 + i], want);
			struct style_colour c;
			style_ramp_colour(ramp, want, &c);
			c.a *= h->opacity;
			uint32_t px = testutil_pixel(few, i, j);
			if (!testutil_pixels_close(px, style_colour_pixel(&c), 2))
				fail_msg(
				    "pixel %d,%d: %08x, the kept offences' density %g wants %08x",
				    i, j, px, want, style_colour_pixel(&c));
			if (want > 0)
				continue;
			style_ramp_colour(
			    ramp_all,
			    points_density(f->r, every.pts, every.w, every.n, &q.view, i, j), &c);
			if (c.a * h->opacity * 255 < 2)
				continue;
			to_clear++;
			cleared += testutil_pixel(all, i, j) >> 24 && px == 0;
		}
	assert_true(to_clear >= 20);
	assert_int_equal(cleared, to_clear);
	dataset_points_free(&every);
	style_ramp_free(ramp);
	style_ramp_free(ramp_all);
	free(pick.pts);
	free(pick.w);
	cairo_surface_destroy(all);
	cairo_surface_destroy(few);

	unsigned mask;
	assert_int_equal(render_layers_parse("heatmap+offences", &mask), 0);
	assert_int_equal(mask, RENDER_HEATMAP | RENDER_OFFENCES);
	assert_int_equal(render_layers_parse("heatmap+unicorns", &mask), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "unicorns"));
	assert_int_equal(render_layers_parse("", &mask), ERR_INVALID);
}

static void test_offence_points_at_high_zoom(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request q = {.layers = RENDER_OFFENCES};
	long x = 0, y = 0;
	busiest_tile(f->r, 17, &x, &y);
	assert_int_equal(view_for_tile(17, x, y, 512, &q.view), 0);
	dataset_filter_all(&q.filter);
	cairo_surface_t *img = testutil_render_decoded(f->r, &q);
	assert_int_equal(cairo_image_surface_get_width(img), 512);
	int opaque = 0;
	for (int j = 0; j < 512; j++)
		for (int i = 0; i < 512; i++)
			opaque += (testutil_pixel(img, i, j) >> 24) > 200;
	assert_true(opaque > 50);
	cairo_surface_destroy(img);
	/* Below the layer's zoom range nothing is drawn. */
	assert_int_equal(view_for_tile(9, x >> 8, y >> 8, 256, &q.view), 0);
	img = testutil_render_decoded(f->r, &q);
	for (int j = 0; j < 256; j += 3)
		for (int i = 0; i < 256; i += 3)
			assert_int_equal(testutil_pixel(img, i, j), 0);
	cairo_surface_destroy(img);
}

static void test_new_offence_changes_only_nearby_tiles(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request near = {.layers = RENDER_HEATMAP}, far;
	long x = 0, y = 0;
	busiest_tile(f->r, 15, &x, &y);
	/* bounded period and fixed breaks: the ramp does not move with the data */
	struct dataset_filter_text period = {.from = "2025-07-01", .to = "2026-06-30"};
	assert_int_equal(dataset_filter_parse(renderer_dataset(f->r), &period, &near.filter), 0);
	far = near;
	assert_int_equal(view_for_tile(15, x, y, 256, &near.view), 0);
	assert_int_equal(view_for_tile(15, x + 6, y + 6, 256, &far.view), 0);
	char e_near[160], e_far[160], e2[160];
	assert_int_equal(render_etag(f->r, &near, e_near, sizeof e_near), 0);
	assert_int_equal(render_etag(f->r, &far, e_far, sizeof e_far), 0);
	cairo_surface_t *before = testutil_render_decoded(f->r, &near);
	const dataset *ds = renderer_dataset(f->r);
	const struct style_heatmap *h = style_heatmap(renderer_style(f->r));
	double weights[DATASET_MAX_CATEGORIES];
	category_weights(f->r, weights);
	struct heatmap_opts ho = {
	    .kernel = h->kernel, .bandwidth = h->bandwidth, .weights = weights, .opacity = 1};
	struct dataset_points scratch = {0};
	static double d_before[256 * 256], d_after[256 * 256];
	assert_int_equal(heatmap_density(&near.view, ds, &near.filter, &ho, &scratch, d_before), 0);

	/* a new offence at the centre of the near tile */
	double lon, lat;
	tile_merc_to_lonlat(near.view.x0 + 128 * near.view.res, near.view.y0 - 128 * near.view.res,
	                    &lon, &lat);
	struct store_put_info info;
	struct store_offence o = {.external_id = "live-1",
	                          .occurred_from = 1780000000,
	                          .occurred_to = 1780000000,
	                          .precision = PREC_MINUTE,
	                          .reported_at = STORE_NO_TIME,
	                          .category = "theft",
	                          .has_point = 1,
	                          .lon = lon,
	                          .lat = lat};
	assert_int_equal(store_put_offence(f->st, &o, &info), 0);
	size_t added;
	assert_int_equal(renderer_sync(f->r, f->st, &added), 0);
	assert_int_equal(added, 1);

	assert_int_equal(render_etag(f->r, &near, e2, sizeof e2), 0);
	assert_string_not_equal(e2, e_near);
	assert_int_equal(render_etag(f->r, &far, e2, sizeof e2), 0);
	assert_string_equal(e2, e_far);
	/* The density grows by one theft's kernel around it, nothing else
	 * (within the sweep's accuracy, ~1e-11 of the grid's peak). */
	assert_int_equal(heatmap_density(&near.view, ds, &near.filter, &ho, &scratch, d_after), 0);
	dataset_points_free(&scratch);
	double ox, oy, peak = 1;
	tile_lonlat_to_merc(lon, lat, &ox, &oy);
	for (int k = 0; k < 256 * 256; k++)
		peak = fmax(peak, d_after[k]);
	const double theft = style_category_weight(renderer_style(f->r), "theft");
	cairo_surface_t *after = testutil_render_decoded(f->r, &near);
	int differ = 0;
	for (int j = 0; j < 256; j++)
		for (int i = 0; i < 256; i++) {
			double x = near.view.x0 + (i + 0.5) * near.view.res;
			double y = near.view.y0 - (j + 0.5) * near.view.res;
			double d = hypot(x - ox, y - oy) * tile_scale_factor_merc(y);
			double grew = theft * kde_kernel_density(h->kernel, h->bandwidth, d);
			if (fabs(d_after[j * 256 + i] - d_before[j * 256 + i] - grew) > 1e-9 * peak)
				fail_msg(
				    "pixel %d,%d: density %.12g, was %.12g, one theft adds %.12g",
				    i, j, d_after[j * 256 + i], d_before[j * 256 + i], grew);
			/* Pixels out of the new kernel's reach are the same bytes. */
			int same = testutil_pixel(before, i, j) == testutil_pixel(after, i, j);
			if (grew == 0)
				assert_true(same);
			differ += !same;
		}
	assert_true(differ > 100);
	cairo_surface_destroy(before);
	cairo_surface_destroy(after);
}

/* A stored zone shows after renderer_reload_shapes(), with a new ETag for
 * zone tiles only. */
static void test_zone_change_reloads_shapes(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request zq = {.layers = RENDER_ZONES}, mq = {.layers = RENDER_MAHALLAS};
	long x = 0, y = 0;
	dataset_filter_all(&zq.filter);
	dataset_filter_all(&mq.filter);
	busiest_tile(f->r, 15, &x, &y);
	assert_int_equal(view_for_tile(15, x, y, 256, &zq.view), 0);
	mq.view = zq.view;
	char ez[160], em[160], e2[160];
	assert_int_equal(render_etag(f->r, &zq, ez, sizeof ez), 0);
	assert_int_equal(render_etag(f->r, &mq, em, sizeof em), 0);
	cairo_surface_t *before = testutil_render_decoded(f->r, &zq);

	double lon, lat, h = 0.0005;
	tile_merc_to_lonlat(zq.view.x0 + 128 * zq.view.res, zq.view.y0 - 128 * zq.view.res, &lon,
	                    &lat);
	/* little-endian WKB of one square ring */
	unsigned char wkb[9 + 4 + 5 * 16];
	const double xy[10] = {lon - h, lat - h, lon + h, lat - h, lon + h,
	                       lat + h, lon - h, lat + h, lon - h, lat - h};
	const uint32_t type = 3, rings = 1, points = 5;
	wkb[0] = 1;
	memcpy(wkb + 1, &type, 4);
	memcpy(wkb + 5, &rings, 4);
	memcpy(wkb + 9, &points, 4);
	memcpy(wkb + 13, xy, sizeof xy);
	struct store_assignment a = {
	    .service = "ppx", .shift.start = 0, .shift.end = 1440, .shift.weekdays = 127};
	struct store_zone z = {.external_id = "new-zone",
	                       .name = "New",
	                       .wkb = wkb,
	                       .wkb_len = sizeof wkb,
	                       .assignments = &a,
	                       .n_assignments = 1};
	struct store_put_info info;
	assert_int_equal(store_put_zone(f->st, &z, "test", &info), 0);
	assert_int_equal(render_etag(f->r, &zq, e2, sizeof e2), 0);
	assert_string_equal(e2, ez); /* not seen before the reload */
	assert_int_equal(renderer_reload_shapes(f->r, f->st), 0);
	assert_int_equal(render_etag(f->r, &zq, e2, sizeof e2), 0);
	assert_string_not_equal(e2, ez);
	assert_int_equal(render_etag(f->r, &mq, e2, sizeof e2), 0);
	assert_string_equal(e2, em);
	cairo_surface_t *after = testutil_render_decoded(f->r, &zq);
	/* Inside the square, clear of its outline and of its label below the
	 * centre: the ppx fill over what was there (nothing); a little outside:
	 * what was there. */
	double px, py, ex, ey;
	tile_lonlat_to_merc(lon + h / 4, lat - 3 * h / 4, &ex, &ey);
	view_to_px(&zq.view, ex, ey, &px, &py);
	struct style_colour fill;
	assert_int_equal(style_service_colour(renderer_style(f->r), "ppx", &fill), 1);
	fill.a *= style_zones(renderer_style(f->r))->fill_opacity;
	assert_int_equal(testutil_pixel(before, (int)px, (int)py), 0);
	uint32_t inside = testutil_pixel(after, (int)px, (int)py);
	if (!testutil_pixel_is(inside, &fill, 2))
		fail_msg("pixel %d,%d of the new zone: %08x, not the ppx fill %08x", (int)px,
		         (int)py, inside, style_colour_pixel(&fill));
	tile_lonlat_to_merc(lon + 2 * h, lat - 2 * h, &ex, &ey);
	view_to_px(&zq.view, ex, ey, &px, &py);
	assert_int_equal(testutil_pixel(before, (int)px, (int)py),
	                 testutil_pixel(after, (int)px, (int)py));
	cairo_surface_destroy(before);
	cairo_surface_destroy(after);
}

static void test_choropleth_classes_and_colours(void **state)
{
	struct testutil_rendered *f = *state;
	struct render_request q = {.layers = RENDER_CHOROPLETH};
	struct choropleth_classes c;
	const struct style_choropleth *st = style_choropleth(renderer_style(f->r));
	assert_non_null(st);
	dataset_filter_all(&q.filter);
	q.metric = 1 + STYLE_METRIC_COUNT;
	assert_int_equal(renderer_choropleth(f->r, &q.filter, q.metric, &c), 0);
	assert_int_equal(c.n_values, 12);
	assert_true(c.n_classes >= 2 && c.n_classes <= st->classes);
	/* the values are the mahallas' counts, address-only records included */
	const dataset *ds = renderer_dataset(f->r);
	double counts[64], total = 0, sum = 0, top = 0;
	dataset_mahalla_counts(ds, &q.filter, NULL, counts);
	for (size_t i = 0; i < dataset_mahalla_count(ds); i++)
		total += counts[i];
	for (size_t i = 0; i < c.n_values; i++) {
		sum += c.values[i];
		top = fmax(top, c.values[i]);
	}
	assert_float_equal(sum, total, 1e-9);
	assert_float_equal(c.breaks[c.n_classes - 1], top, 0);

	/* each mahalla is filled with its class colour at its label anchor */
	shapes *sh;
	struct shapes_options so = {.tracks_from = STORE_NO_TIME, .tracks_to = STORE_NO_TIME};
	assert_int_equal(shapes_load(f->st, &so, &sh), 0);
	double e[4], w, s0, ea, n;
	dataset_extent(ds, e);
	tile_merc_to_lonlat(e[0], e[1], &w, &s0);
	tile_merc_to_lonlat(e[2], e[3], &ea, &n);
	assert_int_equal(view_for_bbox(w, s0, ea, n, 800, 800, 1, &q.view), 0);
	q.view.zoom = st->zoom.min + 0.5; /* inside the layer's zoom range */
	cairo_surface_t *img = testutil_render_decoded(f->r, &q);
	for (size_t i = 0; i < shapes_count(sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		double px, py;
		view_to_px(&q.view, a->anchor.x, a->anchor.y, &px, &py);
		struct style_colour want =
		    c.colours[classify_class(c.breaks, c.n_classes, c.values[i])];
		want.a *= st->opacity;
		if (!testutil_pixels_close(testutil_pixel(img, (int)px, (int)py),
		                           style_colour_pixel(&want), 2))
			fail_msg("mahalla %s: %08x, class colour %08x", a->code,
			         testutil_pixel(img, (int)px, (int)py), style_colour_pixel(&want));
	}
	cairo_surface_destroy(img);
	shapes_free(sh);
	choropleth_classes_free(&c);

	/* the rate per 1,000 residents and the change need what they need */
	assert_int_equal(renderer_choropleth(f->r, &q.filter, 1 + STYLE_METRIC_RATE, &c), 0);
	assert_int_equal(c.metric, STYLE_METRIC_RATE);
	assert_true(c.n_classes >= 2);
	choropleth_classes_free(&c);
	assert_int_equal(renderer_choropleth(f->r, &q.filter, 1 + STYLE_METRIC_CHANGE, &c), 0);
	assert_int_equal(c.n_classes, 0); /* no bounded period: no change to show */
	choropleth_classes_free(&c);
	struct dataset_filter_text half = {.from = "2026-01-01", .to = "2026-06-30"};
	assert_int_equal(dataset_filter_parse(ds, &half, &q.filter), 0);
	assert_int_equal(renderer_choropleth(f->r, &q.filter, 1 + STYLE_METRIC_CHANGE, &c), 0);
	assert_true(c.n_classes >= 2);
	choropleth_classes_free(&c);
}

/* A style reload never runs out: a held style outlives the reloads that
 * retire it, and each reload's style is freed by its last holder (LeakSanitizer
 * checks the hundred between). Tiles take the new style's generation. */
static void test_style_reloads_without_end(void **state)
{
	struct testutil_rendered *f = *state;
	char path[4096];
	snprintf(path, sizeof path, "%s/styles/default.json", getenv("POSBON_SOURCE_DIR"));
	struct render_request q = {.layers = RENDER_HEATMAP};
	assert_int_equal(view_for_tile(12, 2000, 1500, 256, &q.view), 0);
	dataset_filter_all(&q.filter);
	char before[160], after[160];
	assert_int_equal(render_etag(f->r, &q, before, sizeof before), 0);
	struct held_style *held;
	const style *old = renderer_style_acquire(f->r, &held);
	const double bandwidth = style_heatmap(old)->bandwidth;
	for (int i = 0; i < 100; i++)
		assert_int_equal(renderer_reload_style(f->r, path), 0);
	assert_true(old != renderer_style(f->r));
	assert_true(style_heatmap(old)->bandwidth == bandwidth);
	renderer_style_release(f->r, held);
	assert_int_equal(render_etag(f->r, &q, after, sizeof after), 0);
	assert_string_not_equal(before, after);
	unsigned char *png;
	size_t len;
	assert_int_equal(render_png(f->r, &q, &png, &len), 0);
	free(png);
}

/* How long a picture may be kept follows what it shows: boundaries a day,
 * offences of a period over before today (the district's day, Tashkent at
 * UTC+5) an hour, what may still change ten seconds. */
static void test_max_age_follows_what_may_change(void **state)
{
	struct testutil_rendered *f = *state;
	const int64_t day = civil_days_from_date(2026, 6, 29) * CIVIL_SECONDS_PER_DAY;
	const int64_t local_2300 = day + 18 * 3600; /* 2026-06-29 23:00 in Tashkent */
	struct render_request q = {.layers = RENDER_MAHALLAS};
	dataset_filter_all(&q.filter);
	assert_int_equal(render_max_age(f->r, &q, local_2300), 86400);
	q.layers = RENDER_HEATMAP | RENDER_MAHALLAS;
	assert_int_equal(render_max_age(f->r, &q, local_2300), 10);
	q.filter.to = local_2300;
	assert_int_equal(render_max_age(f->r, &q, local_2300 + 1800), 10);
	assert_int_equal(render_max_age(f->r, &q, local_2300 + 5400), 3600);
	q.layers = RENDER_OFFENCES | RENDER_CHOROPLETH | RENDER_GISTAR | RENDER_CHANGE;
	assert_int_equal(render_max_age(f->r, &q, local_2300 + 5400), 3600);
	q.layers |= RENDER_ZONES;
	assert_int_equal(render_max_age(f->r, &q, local_2300 + 5400), 10);
	q.layers = RENDER_HEATMAP | RENDER_DOSAGE;
	assert_int_equal(render_max_age(f->r, &q, local_2300 + 5400), 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_heatmap_pixels_are_the_ramp_of_the_true_density),
	    cmocka_unit_test(test_neighbouring_tiles_are_seamless),
	    cmocka_unit_test(test_density_does_not_depend_on_zoom),
	    cmocka_unit_test(test_a_filter_shows_only_what_it_keeps_and_bad_layers_are_refused),
	    cmocka_unit_test(test_offence_points_at_high_zoom),
	    cmocka_unit_test(test_new_offence_changes_only_nearby_tiles),
	    cmocka_unit_test(test_zone_change_reloads_shapes),
	    cmocka_unit_test(test_choropleth_classes_and_colours),
	    cmocka_unit_test(test_style_reloads_without_end),
	    cmocka_unit_test(test_max_age_follows_what_may_change),
	};
	return cmocka_run_group_tests(tests, setup, testutil_rendered_close);
}
