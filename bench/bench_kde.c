/*
 * bench_kde: time of one 256 x 256 heatmap tile from kde_grid_eval().
 *
 * One million offences (or argv[1]) spread uniformly over a 10 km x 10 km
 * district around Tashkent (69.2797 E, 41.3111 N) are projected to Web
 * Mercator once; then, for tiles of several zooms at the district centre
 * and several bandwidths, the points within the tile's reach (tile padded
 * by one bandwidth, kde_grid_reach()) are selected by a linear scan and
 * the tile is evaluated with cos(latitude) row scales, as the tile server
 * does it. Reported: points used, selection scan and grid time per tile
 * (median and fastest of repeated runs, wall clock) with the default
 * method (KDE_METHOD_AUTO).
 *
 * Then the headline tile, z 14 with the quartic kernel at 200 m: each method
 * timed alone (the stamp; the row sweep in portable code; the sweep as the
 * CPU allows, AVX2 on most x86-64), against the 10 ms target, and the peer,
 * the brute-force sum over the same points at every cell (kde_density_at()),
 * whose values every method must match: the largest relative difference is
 * reported, and the exit status is 1 when it exceeds 1e-9 on these evenly
 * spread points. Last, the sweep's worst case, 20 000 points within 25 cm
 * of one spot, against the brute force: there a cell may be off by more
 * than 1e-6 of its value only at the rim of the cluster's disc, and by no
 * more than 1e-9 of the peak anywhere (exit status 1 otherwise).
 *
 *   cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
 *   cmake --build build --target bench_kde && build/bench_kde [points]
 */
#include "err.h"
#include "kde.h"
#include "tilemath.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_PI         3.14159265358979323846
#define BENCH_LON        69.2797
#define BENCH_LAT        41.3111
#define BENCH_DISTRICT_M 10000.0
#define BENCH_TARGET_MS  10.0
#define BENCH_MAX_REPS   41

static uint64_t bench_rng = 0x2545F4914F6CDD1Du;

static double bench_rnd(void)
{
	bench_rng ^= bench_rng >> 12;
	bench_rng ^= bench_rng << 25;
	bench_rng ^= bench_rng >> 27;
	return (double)((bench_rng * 0x2545F4914F6CDD1Du) >> 11) / 9007199254740992.0;
}

static double bench_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The points of all[0..n) inside box, into sel; returns how many. */
static size_t bench_select(const struct kde_point *all, size_t n, const double box[4],
                           struct kde_point *sel)
{
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (all[k].x >= box[0] && all[k].x <= box[2] && all[k].y >= box[1] &&
		    all[k].y <= box[3])
			sel[m++] = all[k];
	return m;
}

/* Evaluates the grid at least 5 times and for up to a second (41 times at
 * most); *med and *min get the median and fastest time, in ms. */
static int bench_time(const struct kde_params *p, const struct kde_grid *g,
                      const struct kde_point *pts, size_t m, double *out, double *med, double *min)
{
	double times[BENCH_MAX_REPS];
	int reps = 0;
	double started = bench_now_ms();
	while (reps < BENCH_MAX_REPS && (reps < 5 || bench_now_ms() - started < 1000.0)) {
		double t0 = bench_now_ms();
		if (kde_grid_eval(p, g, pts, NULL, m, out) < 0) {
			fprintf(stderr, "bench_kde: %s\n", err_msg());
			return -1;
		}
		times[reps++] = bench_now_ms() - t0;
	}
	qsort(times, (size_t)reps, sizeof *times, bench_cmp);
	*med = times[reps / 2];
	*min = times[0];
	return 0;
}

/* Largest |got - want| / want over the cells, 0 where both are 0. */
static double bench_rel_diff(const double *got, const double *want, size_t cells)
{
	double worst = 0;
	for (size_t c = 0; c < cells; c++) {
		double d = fabs(got[c] - want[c]);
		if (d == 0)
			continue;
		d = want[c] != 0 ? d / fabs(want[c]) : INFINITY;
		if (d > worst)
			worst = d;
	}
	return worst;
}

/* BENCH_CLUSTER points within 25 cm of one spot of g (pts must hold them),
 * the quartic and triweight kernels at 200 m swept and compared with the
 * brute force cell by cell: the largest relative difference, the cells
 * beyond 1e-6 of their value and the largest error over the peak. 1 when a
 * cell is beyond 1e-6 of its value and 1e-9 of the peak, else 0. */
#define BENCH_CLUSTER 20000
static int bench_cluster(const struct kde_grid *g, struct kde_point *pts, size_t room, double *ref,
                         double *out)
{
	if (room < BENCH_CLUSTER)
		return 0;
	const double sx = g->x0 + 100.3 * g->cell, sy = g->y0 - 120.7 * g->cell;
	for (size_t k = 0; k < BENCH_CLUSTER; k++) {
		pts[k].x = sx + (bench_rnd() - 0.5) * 0.5;
		pts[k].y = sy + (bench_rnd() - 0.5) * 0.5;
	}
	printf("\n%d points within 25 cm of one spot of the z 14 tile, 200 m, the sweep against "
	       "the brute force:\n\n",
	       BENCH_CLUSTER);
	printf("| kernel | grid (median) | largest relative difference | cells beyond 1e-6 | "
	       "largest error / peak |\n");
	printf("|---|---|---|---|---|\n");
	const enum kde_kernel kernels[] = {KDE_QUARTIC, KDE_TRIWEIGHT};
	int rc = 0;
	for (size_t ki = 0; ki < sizeof kernels / sizeof *kernels; ki++) {
		struct kde_params p = {.kernel = kernels[ki], .bandwidth = 200.0};
		double peak = 0;
		for (int j = 0; j < g->height; j++) {
			for (int i = 0; i < g->width; i++) {
				double *v = &ref[(size_t)j * (size_t)g->width + (size_t)i];
				kde_density_at(&p, pts, NULL, BENCH_CLUSTER,
				               g->x0 + ((double)i + 0.5) * g->cell,
				               g->y0 - ((double)j + 0.5) * g->cell, g->row_scale[j],
				               v);
				peak = *v > peak ? *v : peak;
			}
		}
		double med, min;
		if (bench_time(&p, g, pts, BENCH_CLUSTER, out, &med, &min) < 0)
			return 1;
		size_t cells = (size_t)g->width * (size_t)g->height, beyond = 0;
		double worst = 0, worst_abs = 0;
		for (size_t c = 0; c < cells; c++) {
			double d = fabs(out[c] - ref[c]);
			if (d > 1e-6 * fabs(ref[c]))
				beyond++;
			if (d > 1e-6 * fabs(ref[c]) + 1e-9 * peak)
				rc = 1;
			if (d > 0)
				worst = fmax(worst, ref[c] != 0 ? d / fabs(ref[c]) : INFINITY);
			worst_abs = fmax(worst_abs, d / peak);
		}
		printf("| %s | %.2f ms | %.1e | %zu of %zu | %.1e |\n", kde_kernel_name(p.kernel),
		       med, worst, beyond, cells, worst_abs);
	}
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 1;
	size_t n = 1000000;
	struct kde_point *all = NULL, *sel = NULL;
	double *out = NULL, *ref = NULL;
	const size_t cells = (size_t)TILE_SIZE * TILE_SIZE;

	if (argc > 1) {
		char *end;
		unsigned long long v = strtoull(argv[1], &end, 10);
		if (*end || v == 0 || v > 100000000ULL) {
			fprintf(stderr, "usage: %s [points, 1..100000000]\n", argv[0]);
			return 2;
		}
		n = (size_t)v;
	}
	all = malloc(n * sizeof *all);
	sel = malloc(n * sizeof *sel);
	out = malloc(cells * sizeof *out);
	ref = malloc(cells * sizeof *ref);
	if (!all || !sel || !out || !ref) {
		fprintf(stderr, "bench_kde: out of memory\n");
		goto out;
	}

	/* Uniform over the district in ground metres, then to Mercator. */
	const double m_per_deg_lat = TILE_EARTH_RADIUS * BENCH_PI / 180.0;
	const double m_per_deg_lon = m_per_deg_lat * cos(BENCH_LAT * BENCH_PI / 180.0);
	for (size_t k = 0; k < n; k++) {
		double e = (bench_rnd() - 0.5) * BENCH_DISTRICT_M;
		double nn = (bench_rnd() - 0.5) * BENCH_DISTRICT_M;
		if (tile_lonlat_to_merc(BENCH_LON + e / m_per_deg_lon,
		                        BENCH_LAT + nn / m_per_deg_lat, &all[k].x, &all[k].y) < 0) {
			fprintf(stderr, "bench_kde: %s\n", err_msg());
			goto out;
		}
	}

	printf("%zu offences uniform over a %.0f km x %.0f km district at %.4f E %.4f N; "
	       "256 x 256 tiles, Web Mercator with cos(lat) row scales; kde_grid_eval() with "
	       "KDE_METHOD_AUTO\n\n",
	       n, BENCH_DISTRICT_M / 1e3, BENCH_DISTRICT_M / 1e3, BENCH_LON, BENCH_LAT);
	printf("| zoom | tile (ground) | kernel | bandwidth | points used | select scan | grid "
	       "(median) | grid (fastest) | grid per point |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");

	const int zooms[] = {13, 14, 15, 16};
	const double bandwidths[] = {100.0, 200.0, 400.0};
	const enum kde_kernel kernels[] = {KDE_QUARTIC, KDE_TRIANGULAR};
	struct kde_grid head_grid = {0};
	double head_rows[TILE_SIZE];
	size_t head_points = 0;
	for (size_t zi = 0; zi < sizeof zooms / sizeof *zooms; zi++) {
		int z = zooms[zi];
		struct tile_range tr;
		if (tile_cover(z, BENCH_LON, BENCH_LAT, BENCH_LON, BENCH_LAT, &tr) < 0) {
			fprintf(stderr, "bench_kde: %s\n", err_msg());
			goto out;
		}
		struct tile_bounds b;
		tile_bounds_merc(z, tr.x0, tr.y0, &b);
		double rows[TILE_SIZE];
		tile_row_scales(z, tr.y0, TILE_SIZE, rows);
		struct kde_grid g = {b.minx,    b.maxy,    tile_merc_per_pixel(z, TILE_SIZE),
		                     TILE_SIZE, TILE_SIZE, rows};
		double ground = (b.maxx - b.minx) * rows[TILE_SIZE / 2];
		for (size_t bi = 0; bi < sizeof bandwidths / sizeof *bandwidths; bi++) {
			for (size_t ki = 0; ki < sizeof kernels / sizeof *kernels; ki++) {
				/* Quartic at every bandwidth; triangular (not a
				 * polynomial: stamped) at 200 m only. */
				if (kernels[ki] != KDE_QUARTIC && bandwidths[bi] != 200.0)
					continue;
				struct kde_params p = {.kernel = kernels[ki],
				                       .bandwidth = bandwidths[bi]};
				double box[4];
				if (kde_grid_reach(&p, &g, box) < 0) {
					fprintf(stderr, "bench_kde: %s\n", err_msg());
					goto out;
				}
				double t0 = bench_now_ms();
				size_t m = bench_select(all, n, box, sel);
				double select_ms = bench_now_ms() - t0;
				double med, min;
				if (bench_time(&p, &g, sel, m, out, &med, &min) < 0)
					goto out;
				printf(
				    "| %d | %.0f m | %s | %.0f m | %zu | %.2f ms | %.2f ms | %.2f "
				    "ms | %.0f ns |\n",
				    z, ground, kde_kernel_name(p.kernel), p.bandwidth, m, select_ms,
				    med, min, m ? med * 1e6 / (double)m : 0.0);
				if (z == 14 && p.bandwidth == 200.0 && p.kernel == KDE_QUARTIC) {
					head_grid = g;
					memcpy(head_rows, rows, sizeof rows);
					head_grid.row_scale = head_rows;
				}
			}
		}
	}

	/* The headline tile: the points again, each method alone, the peer. */
	const struct kde_params head = {.kernel = KDE_QUARTIC, .bandwidth = 200.0};
	double box[4];
	if (kde_grid_reach(&head, &head_grid, box) < 0) {
		fprintf(stderr, "bench_kde: %s\n", err_msg());
		goto out;
	}
	head_points = bench_select(all, n, box, sel);
	double t0 = bench_now_ms();
	for (int j = 0; j < TILE_SIZE; j++) {
		double y = head_grid.y0 - ((double)j + 0.5) * head_grid.cell;
		for (int i = 0; i < TILE_SIZE; i++) {
			double x = head_grid.x0 + ((double)i + 0.5) * head_grid.cell;
			kde_density_at(&head, sel, NULL, head_points, x, y, head_rows[j],
			               &ref[(size_t)j * TILE_SIZE + (size_t)i]);
		}
	}
	double peer_ms = bench_now_ms() - t0;

	printf("\nz 14 tile (256 x 256), quartic, 200 m, %zu points; target %.0f ms:\n\n",
	       head_points, BENCH_TARGET_MS);
	printf("| method | grid (median) | grid (fastest) | vs brute force | largest relative "
	       "difference |\n");
	printf("|---|---|---|---|---|\n");
	const struct {
		enum kde_method method;
		const char *name;
	} methods[] = {
	    {KDE_METHOD_STAMP, "stamp (KDE_METHOD_STAMP)"},
	    {KDE_METHOD_SWEEP_GENERIC, "row sweep, portable code (KDE_METHOD_SWEEP_GENERIC)"},
	    {KDE_METHOD_SWEEP, "row sweep, as the CPU allows (KDE_METHOD_SWEEP)"},
	    {KDE_METHOD_AUTO, "default (KDE_METHOD_AUTO)"},
	};
	double worst = 0, auto_med = 0;
	for (size_t mi = 0; mi < sizeof methods / sizeof *methods; mi++) {
		struct kde_params p = head;
		p.method = methods[mi].method;
		double med, min;
		if (bench_time(&p, &head_grid, sel, head_points, out, &med, &min) < 0)
			goto out;
		double diff = bench_rel_diff(out, ref, cells);
		if (diff > worst)
			worst = diff;
		if (p.method == KDE_METHOD_AUTO)
			auto_med = med;
		printf("| %s | %.2f ms | %.2f ms | %.0fx faster | %.1e |\n", methods[mi].name, med,
		       min, peer_ms / med, diff);
	}
	printf("| brute force per cell (kde_density_at) | %.0f ms | | | |\n", peer_ms);
	printf("\nz 14 / 200 m tile: %.2f ms (median, KDE_METHOD_AUTO): %s the %.0f ms target\n",
	       auto_med, auto_med < BENCH_TARGET_MS ? "within" : "ABOVE", BENCH_TARGET_MS);
	rc = worst <= 1e-9 ? 0 : 1;

	/* The sweep's worst case: a dense cluster, whose rim cells get a tiny
	 * value next to the rounding of many large coefficients. */
	if (bench_cluster(&head_grid, sel, n, ref, out) != 0)
		rc = 1;
out:
	free(ref);
	free(out);
	free(sel);
	free(all);
	return rc;
}
