/*
 * bench_basemap: time of base-layer tiles (the ground posbon draws from the
 * reference layers: land use, parks, water, buildings, streets, places and
 * their names), uncached, on one thread, as the tile server draws them:
 * render_image() of RENDER_BASE at 256 px, then pngenc_encode().
 *
 * The tiles: at each zoom the N tiles nearest to the middle of the houses
 * (the box of the buildings' centres; of all features without buildings),
 * or --centre LON,LAT, nearest first, ties by row then column; so the same
 * list every run, which --list prints for bench/basemap_mapnik.py to draw
 * the same tiles. Each tile is rendered --repeat times; a tile's time is the
 * median of its repeats, and a zoom's row the mean over its tiles (total
 * time / tiles, as a server pays it). One untimed render first loads the
 * fonts. --out DIR also writes the tiles as DIR/Z-X-Y.png (untimed; DIR is
 * made if missing).
 *
 *   build/bench_basemap DB [--zooms 13-17] [--tiles N] [--repeat R]
 *                          [--centre LON,LAT] [--style FILE] [--out DIR] [--list]
 *
 * Prints a Markdown table, per zoom: tiles, reference features whose box
 * meets the tile (mean), render ms, PNG ms, ms per tile (render + PNG),
 * median tile, CPU ms per tile.
 */
#include "benchutil.h"
#include "err.h"
#include "pngenc.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"
#include "view.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_PER_ZOOM 400
#define MAX_REPEAT   50

struct tile {
	int z;
	long x, y;
	double d2; /* squared distance of its middle from the centre, in tiles */
};

static int by_distance(const void *a, const void *b)
{
	const struct tile *s = a, *t = b;
	if (s->d2 != t->d2)
		return (s->d2 > t->d2) - (s->d2 < t->d2);
	if (s->y != t->y)
		return (s->y > t->y) - (s->y < t->y);
	return (s->x > t->x) - (s->x < t->x);
}

/* The middle (Web Mercator) of the buildings' centres of g, or of all its
 * features when it has no building. -1 for an empty ground. */
static int ground_middle(const ground *g, double *mx, double *my)
{
	double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (int pass = 0; pass < 2 && !(box[0] <= box[2]); pass++)
		for (size_t i = 0; i < ground_count(g); i++) {
			const struct ground_feature *f = ground_feature(g, i);
			if (pass == 0 && f->kind != OSMTAGS_BUILDING)
				continue;
			double cx = (f->bbox[0] + f->bbox[2]) / 2,
			       cy = (f->bbox[1] + f->bbox[3]) / 2;
			box[0] = fmin(box[0], cx);
			box[1] = fmin(box[1], cy);
			box[2] = fmax(box[2], cx);
			box[3] = fmax(box[3], cy);
		}
	if (!(box[0] <= box[2]))
		return -1;
	*mx = (box[0] + box[2]) / 2;
	*my = (box[1] + box[3]) / 2;
	return 0;
}

/* The n tiles of zoom z nearest to (mx, my), nearest first, into out. */
static size_t tiles_near(int z, double mx, double my, long n, struct tile *out)
{
	double side = 2 * TILE_ORIGIN_SHIFT / ldexp(1.0, z);
	double fx = (mx + TILE_ORIGIN_SHIFT) / side, fy = (TILE_ORIGIN_SHIFT - my) / side;
	long reach = (long)ceil(sqrt((double)n)) + 1, max = (1L << z) - 1;
	size_t k = 0;
	struct tile *all = malloc((size_t)((2 * reach + 1) * (2 * reach + 1)) * sizeof *all);
	if (!all)
		return 0;
	for (long y = (long)fy - reach; y <= (long)fy + reach; y++)
		for (long x = (long)fx - reach; x <= (long)fx + reach; x++) {
			if (x < 0 || y < 0 || x > max || y > max)
				continue;
			double dx = (double)x + 0.5 - fx, dy = (double)y + 0.5 - fy;
			all[k++] = (struct tile){z, x, y, dx * dx + dy * dy};
		}
	qsort(all, k, sizeof *all, by_distance);
	if (k > (size_t)n)
		k = (size_t)n;
	memcpy(out, all, k * sizeof *out);
	free(all);
	return k;
}

/* Renders t once: its render, PNG and CPU milliseconds; the PNG into path
 * when not NULL. */
static int time_tile(renderer *r, const struct tile *t, const char *path, double *render_ms,
                     double *png_ms, double *cpu_ms)
{
	struct render_request q = {.layers = RENDER_BASE};
	cairo_surface_t *img = NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	int rc = view_for_tile(t->z, t->x, t->y, TILE_SIZE, &q.view);
	if (rc < 0)
		return rc;
	double c0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID), t0 = bench_clock_ms(CLOCK_MONOTONIC);
	if ((rc = render_image(r, &q, &img)) < 0)
		return rc;
	double t1 = bench_clock_ms(CLOCK_MONOTONIC);
	rc = pngenc_encode(img, &png, &len);
	double t2 = bench_clock_ms(CLOCK_MONOTONIC);
	*cpu_ms = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
	*render_ms = t1 - t0;
	*png_ms = t2 - t1;
	cairo_surface_destroy(img);
	if (rc == 0 && path) {
		FILE *f = fopen(path, "wb");
		if (!f || fwrite(png, 1, len, f) != len)
			rc = err_set(ERR_IO, "%s: cannot write", path);
		if (f && fclose(f) != 0 && rc == 0)
			rc = err_set(ERR_IO, "%s: cannot write", path);
	}
	free(png);
	return rc;
}

/* Reference features whose box meets tile t. */
static size_t features_in(const ground *g, const struct tile *t, struct ground_list *found)
{
	struct tile_bounds b;
	tile_bounds_merc(t->z, t->x, t->y, &b);
	double box[4] = {b.minx, b.miny, b.maxx, b.maxy};
	return ground_find(g, box, found) < 0 ? 0 : found->n;
}

static void usage(void)
{
	fprintf(stderr, "usage: bench_basemap DB [--zooms 13-17] [--tiles N] [--repeat R]\n"
	                "                        [--centre LON,LAT] [--style FILE] [--out DIR] "
	                "[--list]\n");
}

int main(int argc, char **argv)
{
	const char *db = NULL, *style_path = NULL, *out_dir = NULL;
	int z0 = 13, z1 = 17, repeat = 3, list = 0, have_centre = 0;
	long per_zoom = 16;
	double lon = 0, lat = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int len = 0;
		if (!strcmp(a, "--list")) {
			list = 1;
			continue;
		}
		if (a[0] != '-' && !db) {
			db = a;
			continue;
		}
		if (a[0] != '-' || !v) {
			usage();
			return 2;
		}
		i++;
		if (!strcmp(a, "--zooms")) {
			if (bench_parse_zooms(v, &z0, &z1) < 0) {
				usage();
				return 2;
			}
		} else if (!strcmp(a, "--tiles")) {
			per_zoom = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--repeat")) {
			repeat = (int)strtol(v, NULL, 10);
		} else if (!strcmp(a, "--centre")) {
			if (sscanf(v, "%lf,%lf%n", &lon, &lat, &len) != 2 || v[len]) {
				usage();
				return 2;
			}
			have_centre = 1;
		} else if (!strcmp(a, "--style")) {
			style_path = v;
		} else if (!strcmp(a, "--out")) {
			out_dir = v;
		} else {
			usage();
			return 2;
		}
	}
	if (!db || z0 < 0 || z1 > TILE_MAX_ZOOM || z0 > z1 || per_zoom < 1 ||
	    per_zoom > MAX_PER_ZOOM || repeat < 1 || repeat > MAX_REPEAT) {
		usage();
		return 2;
	}

	int rc = 1;
	store *st = NULL;
	renderer *r = NULL;
	struct held_ground *hg = NULL;
	struct ground_list found = {0};
	size_t nz = (size_t)(z1 - z0 + 1);
	struct tile *tiles = malloc(nz * (size_t)per_zoom * sizeof *tiles);
	double *runs = malloc((size_t)repeat * 3 * sizeof *runs);
	double *tile_ms = malloc((size_t)per_zoom * sizeof *tile_ms);
	size_t *count = calloc(nz, sizeof *count);
	double mx, my, t_load = bench_clock_ms(CLOCK_MONOTONIC);
	if (!tiles || !runs || !tile_ms || !count) {
		fprintf(stderr, "bench_basemap: out of memory\n");
		goto out;
	}
	if (out_dir && mkdir(out_dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "bench_basemap: %s: %s\n", out_dir, strerror(errno));
		goto out;
	}
	if (store_open(db, STORE_READONLY, &st) < 0 ||
	    renderer_open(st, style_path, NULL, &r) < 0) {
		fprintf(stderr, "bench_basemap: %s\n", err_msg());
		goto out;
	}
	t_load = bench_clock_ms(CLOCK_MONOTONIC) - t_load;
	const ground *g = renderer_ground_acquire(r, &hg);
	if (have_centre) {
		if (tile_lonlat_to_merc(lon, lat, &mx, &my) < 0) {
			fprintf(stderr, "bench_basemap: --centre: %s\n", err_msg());
			goto out;
		}
	} else if (ground_middle(g, &mx, &my) < 0) {
		fprintf(stderr, "bench_basemap: %s has no reference features (posbon sample)\n",
		        db);
		goto out;
	}
	size_t nt = 0;
	for (int z = z0; z <= z1; z++) {
		count[z - z0] = tiles_near(z, mx, my, per_zoom, tiles + nt);
		nt += count[z - z0];
	}
	if (list) {
		for (size_t i = 0; i < nt; i++) {
			struct tile_bounds b;
			tile_bounds_merc(tiles[i].z, tiles[i].x, tiles[i].y, &b);
			printf("%d/%ld/%ld %.6f %.6f %.6f %.6f\n", tiles[i].z, tiles[i].x,
			       tiles[i].y, b.minx, b.miny, b.maxx, b.maxy);
		}
		rc = 0;
		goto out;
	}

	double r0, p0, c0;
	if (time_tile(r, &tiles[0], NULL, &r0, &p0, &c0) < 0) {
		fprintf(stderr, "bench_basemap: %s\n", err_msg());
		goto out;
	}
	tile_merc_to_lonlat(mx, my, &lon, &lat);
	printf("base layer of %s (%zu reference features), %ld tiles per zoom nearest to "
	       "%.5f,%.5f, 256 px, render + PNG, median of %d renders per tile, one thread, "
	       "uncached; renderer load %.0f ms\n\n",
	       db, ground_count(g), per_zoom, lon, lat, repeat, t_load);
	printf("| zoom | tiles | features per tile | render ms | PNG ms | ms per tile | median "
	       "tile ms | CPU ms per tile |\n|---|---|---|---|---|---|---|---|\n");
	size_t i = 0;
	for (size_t zi = 0; zi < nz; zi++) {
		double sum_render = 0, sum_png = 0, sum_cpu = 0, sum_features = 0;
		size_t n = count[zi];
		for (size_t k = 0; k < n; k++, i++) {
			char path[4096], *p = NULL;
			if (out_dir) {
				snprintf(path, sizeof path, "%s/%d-%ld-%ld.png", out_dir,
				         tiles[i].z, tiles[i].x, tiles[i].y);
				p = path;
			}
			for (int j = 0; j < repeat; j++) {
				/* The file is written after the last timed render only. */
				if (time_tile(r, &tiles[i], j + 1 == repeat ? p : NULL, &runs[j],
				              &runs[repeat + j], &runs[2 * repeat + j]) < 0) {
					fprintf(stderr, "bench_basemap: %d/%ld/%ld: %s\n",
					        tiles[i].z, tiles[i].x, tiles[i].y, err_msg());
					goto out;
				}
			}
			double total[MAX_REPEAT];
			for (int j = 0; j < repeat; j++)
				total[j] = runs[j] + runs[repeat + j];
			tile_ms[k] = bench_median(total, (size_t)repeat);
			sum_render += bench_median(runs, (size_t)repeat);
			sum_png += bench_median(runs + repeat, (size_t)repeat);
			sum_cpu += bench_median(runs + 2 * repeat, (size_t)repeat);
			sum_features += (double)features_in(g, &tiles[i], &found);
		}
		double sum_tiles = 0;
		for (size_t k = 0; k < n; k++)
			sum_tiles += tile_ms[k];
		double nd = (double)n;
		printf("| %d | %zu | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", z0 + (int)zi, n,
		       sum_features / nd, sum_render / nd, sum_png / nd, sum_tiles / nd,
		       bench_median(tile_ms, n), sum_cpu / nd);
		fflush(stdout);
	}
	rc = 0;
out:
	ground_list_free(&found);
	if (hg)
		renderer_ground_release(r, hg);
	renderer_free(r);
	store_close(st);
	free(tiles);
	free(runs);
	free(tile_ms);
	free(count);
	return rc;
}
