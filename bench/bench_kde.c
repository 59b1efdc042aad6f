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
 * (median of repeated runs). The peer is the brute-force sum over the same
 * points at every cell (kde_density_at()), timed once for the z 14 tile at
 * 200 m, whose values must agree.
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

int main(int argc, char **argv)
{
	int rc = 1;
	size_t n = 1000000;
	struct kde_point *all = NULL, *sel = NULL;
	double *out = NULL, *ref = NULL;

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
	out = malloc((size_t)TILE_SIZE * TILE_SIZE * sizeof *out);
	ref = malloc((size_t)TILE_SIZE * TILE_SIZE * sizeof *ref);
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
	       "256 x 256 tiles, Web Mercator with cos(lat) row scales\n\n",
	       n, BENCH_DISTRICT_M / 1e3, BENCH_DISTRICT_M / 1e3, BENCH_LON, BENCH_LAT);
	printf("| zoom | tile (ground) | kernel | bandwidth | points used | select scan | grid "
	       "(median) | grid per point |\n");
	printf("|---|---|---|---|---|---|---|---|\n");

	const int zooms[] = {13, 14, 15, 16};
	const double bandwidths[] = {100.0, 200.0, 400.0};
	const enum kde_kernel kernels[] = {KDE_QUARTIC, KDE_TRIANGULAR};
	double peer_ms = -1, peer_grid_ms = -1, peer_diff = 0;
	size_t peer_points = 0;
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
				/* Quartic at every bandwidth; triangular (a sqrt per
				 * cell) at 200 m only. */
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

				double times[41];
				int reps = 0;
				double started = bench_now_ms();
				while (reps < 41 &&
				       (reps < 5 || bench_now_ms() - started < 1000.0)) {
					t0 = bench_now_ms();
					if (kde_grid_eval(&p, &g, sel, NULL, m, out) < 0) {
						fprintf(stderr, "bench_kde: %s\n", err_msg());
						goto out;
					}
					times[reps++] = bench_now_ms() - t0;
				}
				qsort(times, (size_t)reps, sizeof *times, bench_cmp);
				double med = times[reps / 2];
				printf("| %d | %.0f m | %s | %.0f m | %zu | %.2f ms | %.2f ms | "
				       "%.0f ns "
				       "|\n",
				       z, ground, kde_kernel_name(p.kernel), p.bandwidth, m,
				       select_ms, med, m ? med * 1e6 / (double)m : 0.0);

				if (z == 14 && p.bandwidth == 200.0 && p.kernel == KDE_QUARTIC) {
					t0 = bench_now_ms();
					for (int j = 0; j < TILE_SIZE; j++) {
						double y = g.y0 - ((double)j + 0.5) * g.cell;
						for (int i = 0; i < TILE_SIZE; i++) {
							double x =
							    g.x0 + ((double)i + 0.5) * g.cell;
							kde_density_at(&p, sel, NULL, m, x, y,
							               rows[j],
							               &ref[j * TILE_SIZE + i]);
						}
					}
					peer_ms = bench_now_ms() - t0;
					peer_grid_ms = med;
					peer_points = m;
					for (int c = 0; c < TILE_SIZE * TILE_SIZE; c++) {
						double d = fabs(out[c] - ref[c]) /
						           (ref[c] > 0 ? ref[c] : 1);
						if (d > peer_diff)
							peer_diff = d;
					}
				}
			}
		}
	}
	if (peer_ms >= 0) {
		printf("\nPeer, z 14 tile, quartic 200 m, %zu points: brute force per cell "
		       "(kde_density_at) %.0f ms vs grid stamp %.2f ms: %.0fx faster; largest "
		       "relative difference %.1e\n",
		       peer_points, peer_ms, peer_grid_ms, peer_ms / peer_grid_ms, peer_diff);
	}
	rc = peer_diff <= 1e-9 ? 0 : 1;
out:
	free(ref);
	free(out);
	free(sel);
	free(all);
	return rc;
}
