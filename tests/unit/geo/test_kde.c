/* kde: normalisation, grid = brute force (every method), seamless tiles,
 * resolution independence, reach, the sweep on clustered points and odd
 * grid shapes, limits and bad input. */
#include "testutil.h"

#include "err.h"
#include "kde.h"
#include "tilemath.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PI 3.14159265358979323846

static const enum kde_kernel all_kernels[] = {KDE_QUARTIC, KDE_TRIANGULAR, KDE_UNIFORM,
                                              KDE_TRIWEIGHT, KDE_EPANECHNIKOV};

/* Every way of computing a grid; each must give the brute-force values. */
static const enum kde_method all_methods[] = {KDE_METHOD_STAMP, KDE_METHOD_SWEEP,
                                              KDE_METHOD_SWEEP_GENERIC, KDE_METHOD_AUTO};
#define N_METHODS (sizeof all_methods / sizeof *all_methods)

static const char *method_name(enum kde_method m)
{
	switch (m) {
	case KDE_METHOD_AUTO:
		return "auto";
	case KDE_METHOD_STAMP:
		return "stamp";
	case KDE_METHOD_SWEEP:
		return "sweep";
	case KDE_METHOD_SWEEP_GENERIC:
		return "sweep (generic)";
	}
	return "?";
}

/* Reproducible xorshift64* numbers in [0, 1). */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}

static double uniform(double lo, double hi)
{
	return lo + (hi - lo) * rnd();
}

/* |got - want| <= rel |want| + abs. */
static void assert_close(double got, double want, double rel, double abs, const char *what, int i,
                         int j)
{
	if (!(fabs(got - want) <= rel * fabs(want) + abs))
		fail_msg("%s at cell (%d, %d): got %.17g, want %.17g", what, i, j, got, want);
}

static double *grid_new(const struct kde_grid *g)
{
	double *out = malloc((size_t)g->width * (size_t)g->height * sizeof *out);
	assert_non_null(out);
	return out;
}

static double centre_x(const struct kde_grid *g, int i)
{
	return g->x0 + ((double)i + 0.5) * g->cell;
}

static double centre_y(const struct kde_grid *g, int j)
{
	return g->y0 - ((double)j + 0.5) * g->cell;
}

static void test_kernel_names(void **state)
{
	(void)state;
	enum kde_kernel k;
	for (size_t i = 0; i < sizeof all_kernels / sizeof *all_kernels; i++) {
		assert_int_equal(kde_kernel_parse(kde_kernel_name(all_kernels[i]), &k), 0);
		assert_int_equal(k, all_kernels[i]);
	}
	assert_int_equal(kde_kernel_parse("biweight", &k), 0);
	assert_int_equal(k, KDE_QUARTIC);
	assert_int_equal(kde_kernel_parse("gaussian", &k), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "gaussian"));
	assert_string_equal(kde_kernel_name((enum kde_kernel)9), "?");
	/* Zero-initialised parameters mean the default, quartic. */
	struct kde_params p = {0};
	assert_int_equal(p.kernel, KDE_QUARTIC);
	/* QGIS's numbering. */
	assert_int_equal(KDE_QUARTIC, 0);
	assert_int_equal(KDE_TRIANGULAR, 1);
	assert_int_equal(KDE_UNIFORM, 2);
	assert_int_equal(KDE_TRIWEIGHT, 3);
	assert_int_equal(KDE_EPANECHNIKOV, 4);
}

/* The constants c of c / (pi r^2) x profile, and a radial integral of each
 * kernel over the plane (Simpson's rule on 2 pi d K(d) dd) equal to 1. */
static void test_kernels_integrate_to_one(void **state)
{
	(void)state;
	const double want_c[] = {[KDE_QUARTIC] = 3,
	                         [KDE_TRIANGULAR] = 3,
	                         [KDE_UNIFORM] = 1,
	                         [KDE_TRIWEIGHT] = 4,
	                         [KDE_EPANECHNIKOV] = 2};
	const double r = 137.0;
	for (size_t i = 0; i < sizeof all_kernels / sizeof *all_kernels; i++) {
		enum kde_kernel k = all_kernels[i];
		assert_true(kde_kernel_norm(k) == want_c[k]);
		assert_close(kde_kernel_density(k, r, 0), 1e6 * want_c[k] / (PI * r * r), 1e-14, 0,
		             kde_kernel_name(k), 0, 0);
		assert_true(kde_kernel_density(k, r, r * 1.000001) == 0);

		const int steps = 20000; /* even */
		double h = r / steps, sum = 0;
		for (int s = 0; s <= steps; s++) {
			double d = r * s / steps; /* exactly r at the end */
			/* The uniform kernel's value at the rim itself belongs to it. */
			double f = 2 * PI * d * kde_kernel_density(k, r, d) / KDE_M2_PER_KM2;
			sum += f * (s == 0 || s == steps ? 1 : (s % 2 ? 4 : 2));
		}
		double integral = sum * h / 3;
		if (fabs(integral - 1) > 1e-9)
			fail_msg("%s integrates to %.12f", kde_kernel_name(k), integral);
	}
	/* Profiles at half the bandwidth. */
	double u2 = 0.25;
	assert_close(kde_kernel_density(KDE_QUARTIC, r, r / 2),
	             1e6 * 3 / (PI * r * r) * (1 - u2) * (1 - u2), 1e-14, 0, "quartic", 0, 0);
	assert_close(kde_kernel_density(KDE_TRIANGULAR, r, r / 2), 1e6 * 3 / (PI * r * r) * 0.5,
	             1e-14, 0, "triangular", 0, 0);
	assert_close(kde_kernel_density(KDE_TRIWEIGHT, r, r / 2),
	             1e6 * 4 / (PI * r * r) * pow(1 - u2, 3), 1e-14, 0, "triweight", 0, 0);
	assert_close(kde_kernel_density(KDE_EPANECHNIKOV, r, r / 2),
	             1e6 * 2 / (PI * r * r) * (1 - u2), 1e-14, 0, "epanechnikov", 0, 0);
}

/* One point on a fine grid: the cells sum to one point per its ground area,
 * in a metric frame and in a frame whose metres are 0.75 ground metres. */
static void test_grid_integrates_to_one(void **state)
{
	(void)state;
	const double r = 100.0;
	const double scales[] = {1.0, 0.75};
	for (size_t si = 0; si < 2; si++) {
		double s = scales[si];
		double reach = r / s;
		struct kde_grid g = {.cell = 0.5};
		g.width = g.height = (int)ceil(2.2 * reach / g.cell);
		g.x0 = 1000.0 - 1.1 * reach;
		g.y0 = 2000.0 + 1.1 * reach;
		double *rows = malloc((size_t)g.height * sizeof *rows);
		assert_non_null(rows);
		for (int j = 0; j < g.height; j++)
			rows[j] = s;
		g.row_scale = rows;
		double *out = grid_new(&g);
		/* Off the cell lattice, so that no symmetry helps the sum. */
		struct kde_point pt = {1000.123, 2000.377};
		for (size_t i = 0; i < sizeof all_kernels / sizeof *all_kernels; i++) {
			struct kde_params p = {.kernel = all_kernels[i], .bandwidth = r};
			assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), 0);
			double sum = 0;
			for (size_t c = 0; c < (size_t)g.width * (size_t)g.height; c++)
				sum += out[c];
			double ground_cell = g.cell * s;
			double total = sum * ground_cell * ground_cell / KDE_M2_PER_KM2;
			/* Smooth kernels integrate to ~1e-7 on this grid; the
			 * uniform kernel's rim cuts cells, worth ~3e-5. */
			double tol = all_kernels[i] == KDE_UNIFORM ? 2e-4 : 1e-6;
			if (fabs(total - 1) > tol)
				fail_msg("%s at scale %g sums to %.9f",
				         kde_kernel_name(all_kernels[i]), s, total);
		}
		free(out);
		free(rows);
	}
}

/* Every cell of the grid against the brute-force sum over all points, for
 * every kernel and every method, with weights and a per-row scale that
 * changes down the grid. The sweep's two code paths agree bit for bit. */
static void test_grid_matches_brute_force(void **state)
{
	(void)state;
	enum { N = 3000 };
	struct kde_grid g = {
	    .x0 = 523000.0, .y0 = 4574000.0, .cell = 12.5, .width = 96, .height = 72};
	double *rows = malloc((size_t)g.height * sizeof *rows);
	assert_non_null(rows);
	for (int j = 0; j < g.height; j++)
		rows[j] = 0.70 + 0.0008 * j;
	g.row_scale = rows;
	struct kde_point *pts = malloc(N * sizeof *pts);
	double *w = malloc(N * sizeof *w);
	assert_non_null(pts);
	assert_non_null(w);
	/* Points over the grid and 400 m (more than r / 0.7) around it. */
	for (int k = 0; k < N; k++) {
		pts[k].x = uniform(g.x0 - 400, g.x0 + g.width * g.cell + 400);
		pts[k].y = uniform(g.y0 - g.height * g.cell - 400, g.y0 + 400);
		w[k] = uniform(0.5, 3.0);
	}
	const size_t cells = (size_t)g.width * (size_t)g.height;
	double *want = grid_new(&g), *out = grid_new(&g), *sweep = grid_new(&g);
	for (size_t i = 0; i < sizeof all_kernels / sizeof *all_kernels; i++) {
		struct kde_params p = {.kernel = all_kernels[i], .bandwidth = 180.0};
		const double *weights = i % 2 ? w : NULL;
		int nonzero = 0;
		double peak = 0;
		for (int j = 0; j < g.height; j++) {
			for (int c = 0; c < g.width; c++) {
				double *v = &want[(size_t)j * (size_t)g.width + (size_t)c];
				assert_int_equal(kde_density_at(&p, pts, weights, N,
				                                centre_x(&g, c), centre_y(&g, j),
				                                rows[j], v),
				                 0);
				nonzero += *v > 0;
				if (*v > peak)
					peak = *v;
			}
		}
		/* The comparison is not of empty grids: ~50 points per disc. */
		assert_int_equal(nonzero, g.width * g.height);
		assert_true(peak > 100);
		for (size_t m = 0; m < N_METHODS; m++) {
			p.method = all_methods[m];
			assert_int_equal(kde_grid_eval(&p, &g, pts, weights, N, out), 0);
			for (size_t c = 0; c < cells; c++)
				assert_close(out[c], want[c], 1e-6, 1e-12, method_name(p.method),
				             (int)(c % (size_t)g.width),
				             (int)(c / (size_t)g.width));
			if (p.method == KDE_METHOD_SWEEP)
				memcpy(sweep, out, cells * sizeof *out);
			if (p.method == KDE_METHOD_SWEEP_GENERIC)
				assert_memory_equal(out, sweep, cells * sizeof *out);
		}
	}
	free(sweep);
	free(out);
	free(want);
	free(w);
	free(pts);
	free(rows);
}

/* Two z 14 tiles side by side near Tashkent, in Web Mercator with their
 * cos(latitude) row scales, against one 512-wide grid over both. */
static void test_adjacent_tiles_are_seamless(void **state)
{
	(void)state;
	enum { N = 6000, W = TILE_SIZE };
	const int z = 14;
	const long tx = 11344, ty = 6123;
	struct kde_params p = {.kernel = KDE_QUARTIC, .bandwidth = 200.0};
	struct tile_bounds lb, rb;
	tile_bounds_merc(z, tx, ty, &lb);
	tile_bounds_merc(z, tx + 1, ty, &rb);
	double rows[W];
	tile_row_scales(z, ty, W, rows);
	double res = tile_merc_per_pixel(z, W);
	struct kde_grid left = {lb.minx, lb.maxy, res, W, W, rows};
	struct kde_grid right = {rb.minx, rb.maxy, res, W, W, rows};
	struct kde_grid wide = {lb.minx, lb.maxy, res, 2 * W, W, rows};

	/* Points within the reach of the wide grid and a little beyond. */
	double reach[4];
	assert_int_equal(kde_grid_reach(&p, &wide, reach), 0);
	struct kde_point *pts = malloc(N * sizeof *pts);
	assert_non_null(pts);
	for (int k = 0; k < N; k++) {
		pts[k].x = uniform(reach[0] - 50, reach[2] + 50);
		pts[k].y = uniform(reach[1] - 50, reach[3] + 50);
	}
	double *l = grid_new(&left), *r = grid_new(&right), *wd = grid_new(&wide);
	/* The edges' brute-force values, once. */
	double want_l[W], want_r[W];
	for (int j = 0; j < W; j++) {
		double y = centre_y(&left, j);
		assert_int_equal(kde_density_at(&p, pts, NULL, N, centre_x(&left, W - 1), y,
		                                rows[j], &want_l[j]),
		                 0);
		assert_int_equal(
		    kde_density_at(&p, pts, NULL, N, centre_x(&right, 0), y, rows[j], &want_r[j]),
		    0);
	}
	for (size_t m = 0; m < N_METHODS; m++) {
		p.method = all_methods[m];
		assert_int_equal(kde_grid_eval(&p, &left, pts, NULL, N, l), 0);
		assert_int_equal(kde_grid_eval(&p, &right, pts, NULL, N, r), 0);
		assert_int_equal(kde_grid_eval(&p, &wide, pts, NULL, N, wd), 0);

		/* The wide grid split in two is the two tiles. */
		for (int j = 0; j < W; j++) {
			for (int i = 0; i < W; i++) {
				assert_close(l[j * W + i], wd[j * 2 * W + i], 1e-9, 1e-12, "left",
				             i, j);
				assert_close(r[j * W + i], wd[j * 2 * W + W + i], 1e-9, 1e-12,
				             "right", i, j);
			}
		}

		/* The shared edge: both sides equal the brute force at their centres and
		 * differ by no more than the quartic kernel's slope allows across one
		 * cell: |dK/dd| <= 8 / (3 sqrt 3) x 1e6 x 3 / (pi r^3) per point. */
		const double slope =
		    8.0 / (3.0 * sqrt(3.0)) * 1e6 * 3.0 / (PI * pow(p.bandwidth, 3));
		double largest_step = 0;
		for (int j = 0; j < W; j++) {
			double xl = centre_x(&left, W - 1), xr = centre_x(&right, 0),
			       y = centre_y(&left, j);
			assert_close(l[j * W + W - 1], want_l[j], 1e-9, 1e-12, "left edge", W - 1,
			             j);
			assert_close(r[j * W], want_r[j], 1e-9, 1e-12, "right edge", 0, j);
			int near = 0;
			double step = (xr - xl) * rows[j]; /* ground metres between centres */
			for (int k = 0; k < N; k++) {
				double dx = pts[k].x - xl, dy = pts[k].y - y;
				near += sqrt(dx * dx + dy * dy) * rows[j] <= p.bandwidth + step;
			}
			double diff = fabs(l[j * W + W - 1] - r[j * W]);
			if (diff > near * slope * step * (1 + 1e-9))
				fail_msg("row %d: edge values %.9g and %.9g differ by more than %d "
				         "points' "
				         "slope allows",
				         j, l[j * W + W - 1], r[j * W], near);
			if (diff / want_l[j] > largest_step)
				largest_step = diff / want_l[j];
		}
		/* Neighbouring cells differ (the check above was not vacuous) but
		 * only by a few per cent. */
		assert_true(largest_step > 1e-4 && largest_step < 0.2);
	}

	/* Without the padding rule the left tile's east edge would be wrong:
	 * points of the right tile reach it. */
	struct kde_point *own = malloc(N * sizeof *own);
	assert_non_null(own);
	size_t n_own = 0;
	for (int k = 0; k < N; k++)
		if (pts[k].x >= lb.minx && pts[k].x < lb.maxx && pts[k].y >= lb.miny &&
		    pts[k].y < lb.maxy)
			own[n_own++] = pts[k];
	double *lo = grid_new(&left);
	p.method = KDE_METHOD_AUTO;
	assert_int_equal(kde_grid_eval(&p, &left, own, NULL, n_own, lo), 0);
	assert_true(lo[128 * W + W - 1] < 0.75 * l[128 * W + W - 1]);
	free(lo);
	free(own);
	free(l);
	free(r);
	free(wd);
	free(pts);
}

/* The same ground point in a 10 m grid and in a 2.5 m grid whose cell
 * centres include the 10 m ones: the same value. */
static void test_value_independent_of_resolution(void **state)
{
	(void)state;
	enum { N = 2500 };
	struct kde_grid coarse = {
	    .x0 = 523000.0, .y0 = 4574000.0, .cell = 10.0, .width = 60, .height = 50};
	struct kde_grid fine = {.x0 = 523000.0 + 3.75,
	                        .y0 = 4574000.0 - 3.75,
	                        .cell = 2.5,
	                        .width = 240,
	                        .height = 200};
	/* A UTM-like scale that varies with northing, from each row's centre. */
	double crow[50], frow[200];
	for (int j = 0; j < coarse.height; j++)
		crow[j] = 0.9996 + 1e-7 * (centre_y(&coarse, j) - 4573000.0);
	for (int j = 0; j < fine.height; j++)
		frow[j] = 0.9996 + 1e-7 * (centre_y(&fine, j) - 4573000.0);
	coarse.row_scale = crow;
	fine.row_scale = frow;
	struct kde_point *pts = malloc(N * sizeof *pts);
	assert_non_null(pts);
	for (int k = 0; k < N; k++) {
		pts[k].x = uniform(522700, 523900);
		pts[k].y = uniform(4573200, 4574300);
	}
	double *c = grid_new(&coarse), *f = grid_new(&fine);
	for (size_t i = 0; i < sizeof all_kernels / sizeof *all_kernels * N_METHODS; i++) {
		struct kde_params p = {.kernel = all_kernels[i / N_METHODS],
		                       .bandwidth = 150.0,
		                       .method = all_methods[i % N_METHODS]};
		assert_int_equal(kde_grid_eval(&p, &coarse, pts, NULL, N, c), 0);
		assert_int_equal(kde_grid_eval(&p, &fine, pts, NULL, N, f), 0);
		for (int j = 0; j < coarse.height; j++) {
			assert_true(centre_y(&coarse, j) == centre_y(&fine, 4 * j));
			for (int x = 0; x < coarse.width; x++) {
				assert_true(centre_x(&coarse, x) == centre_x(&fine, 4 * x));
				assert_close(f[(size_t)(4 * j) * 240 + (size_t)(4 * x)],
				             c[j * 60 + x], 1e-9, 1e-12, method_name(p.method), x,
				             j);
			}
		}
	}
	free(c);
	free(f);
	free(pts);
}

/* Points outside kde_grid_reach() change nothing; points just inside it
 * reach the corner cell. */
static void test_reach(void **state)
{
	(void)state;
	enum { N = 4000 };
	const struct kde_params p = {.kernel = KDE_UNIFORM, .bandwidth = 120.0};
	struct kde_grid g = {.x0 = 1000.0, .y0 = 5000.0, .cell = 8.0, .width = 40, .height = 30};
	double rows[30];
	for (int j = 0; j < g.height; j++)
		rows[j] = 0.6 + 0.01 * j; /* reach 200 m north, ~137 m south */
	g.row_scale = rows;
	double box[4];
	assert_int_equal(kde_grid_reach(&p, &g, box), 0);
	assert_close(box[0], centre_x(&g, 0) - 120.0 / 0.6, 1e-6, 0, "west", 0, 0);
	assert_close(box[2], centre_x(&g, 39) + 120.0 / 0.6, 1e-6, 0, "east", 0, 0);
	assert_close(box[3], centre_y(&g, 0) + 120.0 / 0.6, 1e-6, 0, "north", 0, 0);
	assert_close(box[1], centre_y(&g, 29) - 120.0 / 0.89, 1e-6, 0, "south", 0, 0);

	struct kde_point *pts = malloc(N * sizeof *pts), *inside = malloc(N * sizeof *pts);
	assert_non_null(pts);
	assert_non_null(inside);
	size_t n_in = 0;
	for (int k = 0; k < N; k++) {
		pts[k].x = uniform(box[0] - 300, box[2] + 300);
		pts[k].y = uniform(box[1] - 300, box[3] + 300);
		if (pts[k].x >= box[0] && pts[k].x <= box[2] && pts[k].y >= box[1] &&
		    pts[k].y <= box[3])
			inside[n_in++] = pts[k];
	}
	assert_true(n_in > 500 && n_in < N - 500);
	double *all = grid_new(&g), *in = grid_new(&g);
	const double norm = kde_kernel_density(KDE_UNIFORM, 120.0, 0);
	double cx = centre_x(&g, 0), cy = centre_y(&g, 0), reach0 = 120.0 / rows[0] * 0.999999;
	struct kde_point north = {cx, cy + reach0}, west = {cx - reach0, cy};
	assert_true(north.y <= box[3] && west.x >= box[0]);
	for (size_t m = 0; m < N_METHODS; m++) {
		struct kde_params pm = p;
		pm.method = all_methods[m];
		assert_int_equal(kde_grid_eval(&pm, &g, pts, NULL, N, all), 0);
		assert_int_equal(kde_grid_eval(&pm, &g, inside, NULL, n_in, in), 0);
		for (int c = 0; c < g.width * g.height; c++)
			assert_true(all[c] == in[c]);

		/* Just inside one bandwidth north of, and west of, the corner
		 * cell. */
		assert_int_equal(kde_grid_eval(&pm, &g, &north, NULL, 1, in), 0);
		assert_true(in[0] == norm);
		assert_true(in[1] == 0); /* the next cell east is beyond the rim */
		assert_int_equal(kde_grid_eval(&pm, &g, &west, NULL, 1, in), 0);
		assert_true(in[0] == norm);
		assert_true(in[g.width] == 0); /* the next row is beyond the rim */
	}
	free(all);
	free(in);
	free(inside);
	free(pts);
}

/* The sweep's worst case for rounding: 20 000 points within 25 cm of one
 * spot (as offences geocoded to one address are), alone and over 2 000
 * spread ones, at z 14's cell size and 200 m. The sweep's monomials cancel
 * and its running sums hold ~20 000 times a point's coefficients, so its
 * error is absolute: a tiny fraction of the peak, but large next to the
 * value in cells at the very rim of the cluster's disc. Every cell is
 * checked against the brute force to 1e-6 of its value, with a floor of
 * 1e-9 of the grid's peak (docs/heatmap.md); cells above 1e-3 of the peak
 * need no floor; cells no disc reaches are exactly 0; the two code paths
 * agree bit for bit. */
static void test_sweep_clustered(void **state)
{
	(void)state;
	enum { NC = 20000, NB = 2000, W = 32 };
	struct kde_grid g = {
	    .x0 = 7712000.0, .y0 = 5058500.0, .cell = 9.5546, .width = W, .height = W};
	double rows[W];
	for (int j = 0; j < W; j++)
		rows[j] = 0.7509 + 1e-6 * j;
	g.row_scale = rows;
	struct kde_point *pts = malloc((NC + NB) * sizeof *pts);
	double *w = malloc((NC + NB) * sizeof *w);
	assert_non_null(pts);
	assert_non_null(w);
	/* The spot near cell (4, 4), so that the rim of its disc (28 cells
	 * across) crosses ~40 cells of the grid. */
	const double sx = centre_x(&g, 4) + 0.37 * g.cell, sy = centre_y(&g, 4) - 0.21 * g.cell;
	for (int k = 0; k < NC + NB; k++) {
		pts[k].x = k < NC ? sx + uniform(-0.25, 0.25) : uniform(g.x0 - 300, g.x0 + 600);
		pts[k].y = k < NC ? sy + uniform(-0.25, 0.25) : uniform(g.y0 - 600, g.y0 + 300);
		w[k] = uniform(0.5, 1.5);
	}
	/* Quartic unweighted (equal terms: the rounding adds up most) and
	 * weighted, the other polynomial kernels weighted; the cluster alone
	 * for the quartic and the uniform kernel (whose rim is a step). */
	const struct {
		int alone;
		enum kde_kernel kernel;
		int weighted;
	} runs[] = {{1, KDE_QUARTIC, 0}, {1, KDE_UNIFORM, 1},   {0, KDE_QUARTIC, 0},
	            {0, KDE_QUARTIC, 1}, {0, KDE_TRIWEIGHT, 1}, {0, KDE_EPANECHNIKOV, 1}};
	const size_t cells = (size_t)W * W;
	double *want = grid_new(&g), *out = grid_new(&g), *sweep = grid_new(&g);
	double worst = 0, worst_high = 0;
	int floored = 0;
	for (size_t r = 0; r < sizeof runs / sizeof *runs; r++) {
		{
			size_t n = runs[r].alone ? NC : NC + NB;
			struct kde_params p = {.kernel = runs[r].kernel, .bandwidth = 200.0};
			const double *weights = runs[r].weighted ? w : NULL;
			double peak = 0;
			for (size_t c = 0; c < cells; c++) {
				assert_int_equal(kde_density_at(&p, pts, weights, n,
				                                centre_x(&g, (int)(c % W)),
				                                centre_y(&g, (int)(c / W)),
				                                rows[c / W], &want[c]),
				                 0);
				peak = want[c] > peak ? want[c] : peak;
			}
			for (int m = 0; m < 2; m++) {
				p.method = m ? KDE_METHOD_SWEEP_GENERIC : KDE_METHOD_SWEEP;
				assert_int_equal(kde_grid_eval(&p, &g, pts, weights, n, out), 0);
				for (size_t c = 0; c < cells; c++) {
					double d = fabs(out[c] - want[c]);
					if (want[c] == 0) {
						assert_true(out[c] == 0);
						continue;
					}
					double rel = d / want[c];
					worst = rel > worst ? rel : worst;
					floored += rel > 1e-6;
					if (want[c] >= 1e-3 * peak) {
						worst_high = rel > worst_high ? rel : worst_high;
						assert_close(out[c], want[c], 1e-6, 0,
						             kde_kernel_name(p.kernel),
						             (int)(c % W), (int)(c / W));
					}
					assert_close(out[c], want[c], 1e-6, 1e-9 * peak,
					             kde_kernel_name(p.kernel), (int)(c % W),
					             (int)(c / W));
				}
				if (m == 0)
					memcpy(sweep, out, cells * sizeof *out);
				else
					assert_memory_equal(out, sweep, cells * sizeof *out);
			}
		}
	}
	print_message("clustered: largest relative error %.1e (%.1e where the value is "
	              "above 1e-3 of the peak); %d cell-evaluations needed the floor\n",
	              worst, worst_high, floored);
	free(sweep);
	free(out);
	free(want);
	free(w);
	free(pts);
}

/* The sweep on grids of odd shapes (one cell, one row, one column) and with
 * discs from two cells' radius to wider than the grid, points on cell
 * centres and on the rim of a centre's disc, against the brute force. */
static void test_sweep_grid_shapes(void **state)
{
	(void)state;
	enum { N = 400 };
	const struct {
		int width, height;
		double cell, bandwidth;
	} shapes[] = {{1, 1, 10.0, 35.0},  {37, 1, 10.0, 35.0},  {1, 53, 10.0, 35.0},
	              {5, 3, 10.0, 400.0}, {40, 30, 10.0, 16.5}, {64, 48, 2.0, 9.0},
	              {40, 30, 10.0, 3.0}}; /* the last stamped: discs too narrow */
	const enum kde_kernel kernels[] = {KDE_QUARTIC, KDE_UNIFORM, KDE_TRIWEIGHT,
	                                   KDE_EPANECHNIKOV};
	struct kde_point *pts = malloc(N * sizeof *pts);
	double *w = malloc(N * sizeof *w);
	assert_non_null(pts);
	assert_non_null(w);
	for (size_t si = 0; si < sizeof shapes / sizeof *shapes; si++) {
		struct kde_grid g = {.x0 = 531000.0,
		                     .y0 = 4581000.0,
		                     .cell = shapes[si].cell,
		                     .width = shapes[si].width,
		                     .height = shapes[si].height};
		double *rows = malloc((size_t)g.height * sizeof *rows);
		assert_non_null(rows);
		for (int j = 0; j < g.height; j++)
			rows[j] = 0.8 + 0.001 * j;
		g.row_scale = rows;
		for (size_t ki = 0; ki < sizeof kernels / sizeof *kernels; ki++) {
			struct kde_params p = {.kernel = kernels[ki],
			                       .bandwidth = shapes[si].bandwidth};
			double box[4];
			assert_int_equal(kde_grid_reach(&p, &g, box), 0);
			for (int k = 0; k < N; k++) {
				int i = (int)(rnd() * g.width), j = (int)(rnd() * g.height);
				double reach = p.bandwidth / rows[j];
				w[k] = uniform(0.5, 2.0);
				if (k % 4 == 0) { /* on a cell centre */
					pts[k].x = centre_x(&g, i);
					pts[k].y = centre_y(&g, j);
				} else if (k % 4 == 1) { /* on the rim of a centre's disc */
					pts[k].x = centre_x(&g, i) + (k % 8 == 1 ? reach : -reach);
					pts[k].y = centre_y(&g, j);
				} else {
					pts[k].x = uniform(box[0] - 10, box[2] + 10);
					pts[k].y = uniform(box[1] - 10, box[3] + 10);
				}
			}
			size_t cells = (size_t)g.width * (size_t)g.height;
			double *want = grid_new(&g), *out = grid_new(&g);
			double peak = 0;
			for (size_t c = 0; c < cells; c++) {
				int i = (int)(c % (size_t)g.width), j = (int)(c / (size_t)g.width);
				assert_int_equal(kde_density_at(&p, pts, w, N, centre_x(&g, i),
				                                centre_y(&g, j), rows[j], &want[c]),
				                 0);
				peak = want[c] > peak ? want[c] : peak;
			}
			for (int m = 0; m < 2; m++) {
				p.method = m ? KDE_METHOD_SWEEP_GENERIC : KDE_METHOD_SWEEP;
				assert_int_equal(kde_grid_eval(&p, &g, pts, w, N, out), 0);
				for (size_t c = 0; c < cells; c++) {
					if (p.kernel == KDE_UNIFORM) {
						/* the same points count: exact zeros */
						assert_close(out[c], want[c], 1e-12, 0,
						             kde_kernel_name(p.kernel),
						             (int)(c % (size_t)g.width),
						             (int)(c / (size_t)g.width));
						continue;
					}
					/* Where a point's rim passes within rounding of
					 * the centre the brute force may add 0 and the
					 * sweep its rounding: never below 0. */
					assert_true(out[c] >= 0);
					assert_close(out[c], want[c], 1e-6, 1e-9 * peak,
					             kde_kernel_name(p.kernel),
					             (int)(c % (size_t)g.width),
					             (int)(c / (size_t)g.width));
				}
			}
			free(out);
			free(want);
		}
		free(rows);
	}
	free(w);
	free(pts);
}

/* Weights scale a point's terms; identical points add up; nothing (or
 * nothing near) gives exact zeros. The stamp repeats the brute force's
 * arithmetic and is exact to the bit; the sweep's two points or doubled
 * weight double every operation (exact), a weight of 2.5 or a point on a
 * centre are within its rounding of the brute force. */
static void test_weights_and_empty(void **state)
{
	(void)state;
	struct kde_grid g = {.x0 = 0, .y0 = 100, .cell = 5, .width = 20, .height = 20};
	double one[400], two[400], doubled[400];
	struct kde_point pt[2] = {{42.1, 57.3}, {42.1, 57.3}};
	double w2 = 2.0, w25 = 2.5;
	for (size_t m = 0; m < N_METHODS; m++) {
		const struct kde_params p = {.bandwidth = 50.0, .method = all_methods[m]};
		const int exact = p.method == KDE_METHOD_STAMP;
		const char *name = method_name(p.method);
		assert_int_equal(kde_grid_eval(&p, &g, pt, NULL, 1, one), 0);
		assert_int_equal(kde_grid_eval(&p, &g, pt, NULL, 2, two), 0);
		assert_int_equal(kde_grid_eval(&p, &g, pt, &w2, 1, doubled), 0);
		for (int c = 0; c < 400; c++)
			assert_true(two[c] == doubled[c] && two[c] == 2 * one[c]);
		assert_int_equal(kde_grid_eval(&p, &g, pt, &w25, 1, doubled), 0);
		for (int c = 0; c < 400; c++) {
			double want;
			assert_int_equal(kde_density_at(&p, pt, &w25, 1, centre_x(&g, c % 20),
			                                centre_y(&g, c / 20), 1.0, &want),
			                 0);
			if (exact)
				assert_close(doubled[c], 2.5 * one[c], 1e-15, 0, name, c % 20,
				             c / 20);
			assert_close(doubled[c], want, exact ? 0 : 1e-6,
			             exact ? 0 : 1e-9 * kde_kernel_density(KDE_QUARTIC, 50.0, 0),
			             name, c % 20, c / 20);
		}

		/* A point on a cell centre puts the kernel's peak there. */
		struct kde_point centre = {centre_x(&g, 7), centre_y(&g, 3)};
		assert_int_equal(kde_grid_eval(&p, &g, &centre, NULL, 1, one), 0);
		if (exact)
			assert_true(one[3 * 20 + 7] == kde_kernel_density(KDE_QUARTIC, 50.0, 0));
		assert_close(one[3 * 20 + 7], 1e6 * 3 / (PI * 2500), exact ? 1e-14 : 1e-12, 0, name,
		             7, 3);

		/* No points, or points far away (even absurdly far): all zero. */
		assert_int_equal(kde_grid_eval(&p, &g, NULL, NULL, 0, one), 0);
		for (int c = 0; c < 400; c++)
			assert_true(one[c] == 0);
		struct kde_point far[4] = {{1e300, 50}, {50, -1e300}, {-1e300, 1e300}, {5000, 50}};
		assert_int_equal(kde_grid_eval(&p, &g, far, NULL, 4, one), 0);
		for (int c = 0; c < 400; c++)
			assert_true(one[c] == 0);
	}
}

static void test_rejects_bad_input(void **state)
{
	(void)state;
	struct kde_params p = {.bandwidth = 100.0, .max_cells = 1000};
	struct kde_grid g = {.x0 = 0, .y0 = 0, .cell = 10, .width = 40, .height = 30};
	double out[1200];
	for (int c = 0; c < 1200; c++)
		out[c] = 42;
	struct kde_point pt = {5, -5};

	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "too large"));
	assert_non_null(strstr(err_msg(), "larger cell size"));
	assert_non_null(strstr(err_msg(), "40 x 30"));
	p.max_cells = 0; /* the default cap: 4096 x 4096 */
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), 0);
	struct kde_grid huge = {.cell = 0.1, .width = 5000, .height = 4000};
	assert_int_equal(kde_grid_check(&p, &huge), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "too large"));
	struct kde_grid most = {.cell = 0.1, .width = 4096, .height = 4096};
	assert_int_equal(kde_grid_check(&p, &most), 0);

	for (int c = 0; c < 1200; c++)
		out[c] = 42;
	p.bandwidth = 0;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "bandwidth"));
	p.bandwidth = NAN;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	p.bandwidth = 2e6;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "bandwidth 2e+06 m is outside"));
	p.bandwidth = 100;
	p.kernel = (enum kde_kernel)7;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "kernel 7"));
	p.kernel = KDE_QUARTIC;
	p.method = (enum kde_method)9;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "method 9"));
	p.method = KDE_METHOD_AUTO;
	g.cell = -1;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "cell size"));
	g.cell = INFINITY;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	g.cell = 10;
	g.x0 = 2e9;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "corner"));
	g.x0 = 0;
	g.width = 0;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	g.width = 40;
	double rows[30];
	for (int j = 0; j < 30; j++)
		rows[j] = j == 3 ? 0 : 1;
	g.row_scale = rows;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "row 3"));
	rows[3] = NAN;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	rows[3] = 1e4;
	assert_int_equal(kde_grid_eval(&p, &g, &pt, NULL, 1, out), ERR_INVALID);
	g.row_scale = NULL;
	struct kde_point bad[3] = {{1, 1}, {2, 2}, {INFINITY, 3}};
	assert_int_equal(kde_grid_eval(&p, &g, bad, NULL, 3, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "point 2"));
	double w[3] = {1, NAN, 1};
	assert_int_equal(kde_grid_eval(&p, &g, bad, w, 2, out), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "weight"));
	/* Every refusal left the caller's buffer alone. */
	for (int c = 0; c < 1200; c++)
		assert_true(out[c] == 42);

	double v;
	assert_int_equal(kde_density_at(&p, &pt, NULL, 1, 0, 0, 0, &v), ERR_INVALID);
	assert_non_null(strstr(err_msg(), "scale"));
	assert_int_equal(kde_density_at(&p, &pt, NULL, 1, 5, -5, 1, &v), 0);
	assert_true(v == kde_kernel_density(KDE_QUARTIC, 100, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kernel_names),
	    cmocka_unit_test(test_kernels_integrate_to_one),
	    cmocka_unit_test(test_grid_integrates_to_one),
	    cmocka_unit_test(test_grid_matches_brute_force),
	    cmocka_unit_test(test_adjacent_tiles_are_seamless),
	    cmocka_unit_test(test_value_independent_of_resolution),
	    cmocka_unit_test(test_reach),
	    cmocka_unit_test(test_sweep_clustered),
	    cmocka_unit_test(test_sweep_grid_shapes),
	    cmocka_unit_test(test_weights_and_empty),
	    cmocka_unit_test(test_rejects_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
