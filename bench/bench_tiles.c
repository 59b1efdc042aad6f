/*
 * bench_tiles: time of heatmap tiles through the renderer, as the tile
 * server draws them (render_png of RENDER_HEATMAP, 256 px, one thread).
 * --layers LAYERS (as posbon render's --layer: "mahallas",
 * "heatmap+mahallas") times other layers the same way; without heatmap the
 * database needs no offences when the tiles are given with --tile, and the
 * points columns print "-".
 *
 * Opens a database, loads it into a renderer with the style, and renders
 * heatmap tiles where the data is:
 *   --pick weighted (default): at each zoom, the tiles holding N offences
 *       drawn at random (seeded; the same offences at every zoom), so busy
 *       tiles come up as often as users look at them;
 *   --pick densest: every tile at each zoom that touches the data's densest
 *       square of --densest-km km (2), each rendered --repeat times;
 *   --tile Z/X/Y (repeatable): exactly these tiles, --repeat times each.
 * One untimed render first computes the colour ramp (cached per filter, as
 * in the server). Reported per zoom (per tile with --tile): tiles rendered,
 * points gathered per tile (the offences within the tile's reach: the tile
 * padded by one bandwidth), mean / median / p95 milliseconds per tile.
 * --list prints the chosen tiles with their EPSG:3857 bounds and ground
 * metres per pixel instead of timing them (bench/run.sh feeds MapServer
 * from it).
 *
 *   build/bench_tiles DB [--zooms 12-16] [--tiles N] [--pick weighted|densest]
 *                        [--densest-km K] [--tile Z/X/Y]... [--repeat R]
 *                        [--bandwidth M] [--tz ZONE] [--style FILE] [--seed S]
 *                        [--layers LAYERS] [--list]
 */
#include "benchutil.h"
#include "dataset.h"
#include "err.h"
#include "kde.h"
#include "render.h"
#include "store.h"
#include "style.h"
#include "tilemath.h"
#include "view.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_TILES 4096

struct tile {
	int z;
	long x, y;
};

static uint64_t rng_state = 0x2545F4914F6CDD1Du;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Du;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_tile(const void *a, const void *b)
{
	const struct tile *s = a, *t = b;
	if (s->z != t->z)
		return s->z - t->z;
	if (s->x != t->x)
		return (s->x > t->x) - (s->x < t->x);
	return (s->y > t->y) - (s->y < t->y);
}

/* Tile of zoom z containing Mercator position (mx, my). */
static struct tile tile_at(int z, double mx, double my)
{
	double n = ldexp(1.0, z);
	long x = (long)floor((mx + TILE_ORIGIN_SHIFT) / (2 * TILE_ORIGIN_SHIFT) * n);
	long y = (long)floor((TILE_ORIGIN_SHIFT - my) / (2 * TILE_ORIGIN_SHIFT) * n);
	long max = (long)n - 1;
	x = x < 0 ? 0 : x > max ? max : x;
	y = y < 0 ? 0 : y > max ? max : y;
	return (struct tile){z, x, y};
}

static double total_weight(const struct dataset_points *p)
{
	double sum = 0;
	for (size_t k = 0; k < p->n; k++)
		sum += p->w[k];
	return sum;
}

/* Turns p->w into running sums, for pick_place(). */
static int running_weights(struct dataset_points *p)
{
	for (size_t k = 1; k < p->n; k++)
		p->w[k] += p->w[k - 1];
	return p->n && p->w[p->n - 1] > 0 ? 0 : -1;
}

/* The place whose running-sum interval holds u x total, u in [0, 1). */
static size_t pick_place(const struct dataset_points *p, double u)
{
	double target = u * p->w[p->n - 1];
	size_t lo = 0, hi = p->n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->w[mid] > target)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Offences within the tile's reach, as heatmap_density() gathers them: how
 * many (*offences) at how many places (*places, the kernel's points). */
static int tile_points(const renderer *r, const struct tile *t, double bandwidth,
                       const struct dataset_filter *f, struct dataset_points *scratch,
                       double *offences, double *places)
{
	struct view v;
	double rows[TILE_SIZE], reach[4];
	int rc;
	if ((rc = view_for_tile(t->z, t->x, t->y, TILE_SIZE, &v)) < 0)
		return rc;
	tile_row_scales(t->z, t->y, TILE_SIZE, rows);
	struct kde_params p = {.kernel = style_heatmap(renderer_style(r))->kernel,
	                       .bandwidth = bandwidth};
	struct kde_grid g = {v.x0, v.y0, v.res, v.width, v.height, rows};
	if ((rc = kde_grid_reach(&p, &g, reach)) < 0 ||
	    (rc = dataset_gather(renderer_dataset(r), reach, f, NULL, scratch)) < 0)
		return rc;
	*places = (double)scratch->n;
	*offences = total_weight(scratch);
	return 0;
}

/* The Mercator box of the densest square of side km ground kilometres:
 * points binned at half the side, the best 2 x 2 window of bins. */
static int densest_box(const struct dataset_points *all, double km, double box[4])
{
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY, sy = 0;
	for (size_t k = 0; k < all->n; k++) {
		minx = fmin(minx, all->pts[k].x);
		maxx = fmax(maxx, all->pts[k].x);
		miny = fmin(miny, all->pts[k].y);
		maxy = fmax(maxy, all->pts[k].y);
		sy += all->pts[k].y;
	}
	double half = km * 500.0 / tile_scale_factor_merc(sy / (double)all->n);
	long gw = (long)((maxx - minx) / half) + 2, gh = (long)((maxy - miny) / half) + 2;
	if (gw * gh > 50000000L)
		return err_set(ERR_INVALID, "--densest-km %g: too small for the data's extent", km);
	double *count = calloc((size_t)(gw * gh), sizeof *count);
	if (!count)
		return err_set(ERR_NOMEM, "out of memory");
	for (size_t k = 0; k < all->n; k++) {
		long cx = (long)((all->pts[k].x - minx) / half);
		long cy = (long)((all->pts[k].y - miny) / half);
		count[cy * gw + cx] += all->w[k];
	}
	double best = 0;
	long bx = 0, by = 0;
	for (long cy = 0; cy + 1 < gh; cy++)
		for (long cx = 0; cx + 1 < gw; cx++) {
			double s = count[cy * gw + cx] + count[cy * gw + cx + 1] +
			           count[(cy + 1) * gw + cx] + count[(cy + 1) * gw + cx + 1];
			if (s > best) {
				best = s;
				bx = cx;
				by = cy;
			}
		}
	free(count);
	box[0] = minx + (double)bx * half;
	box[1] = miny + (double)by * half;
	box[2] = box[0] + 2 * half;
	box[3] = box[1] + 2 * half;
	return 0;
}

static void usage(void)
{
	fprintf(stderr,
	        "usage: bench_tiles DB [--zooms 12-16] [--tiles N] [--pick weighted|densest]\n"
	        "                      [--densest-km K] [--tile Z/X/Y]... [--repeat R]\n"
	        "                      [--bandwidth M] [--tz ZONE] [--style FILE] [--seed S]\n"
	        "                      [--layers LAYERS] [--list]\n");
}

/* One table row: the runs' offences and places in reach (npts NULL: "-", no
 * heatmap drawn) and their wall and CPU times (sorted in place). */
static void print_row(const char *label, size_t tiles, const double *npts, const double *nplaces,
                      double *ms, double *cpu, size_t n)
{
	double sum = 0, pts = 0, ptsmax = 0, places = 0;
	for (size_t i = 0; i < n; i++) {
		sum += ms[i];
		if (npts) {
			pts += npts[i];
			ptsmax = fmax(ptsmax, npts[i]);
			places += nplaces[i];
		}
	}
	double median = bench_median(ms, n), cpu_median = bench_median(cpu, n);
	size_t p95 = (size_t)ceil(0.95 * (double)n);
	if (npts)
		printf("| %s | %zu | %.0f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |\n", label,
		       tiles, pts / (double)n, ptsmax, places / (double)n, sum / (double)n, median,
		       ms[p95 ? p95 - 1 : 0], cpu_median);
	else
		printf("| %s | %zu | - | - | - | %.2f | %.2f | %.2f | %.2f |\n", label, tiles,
		       sum / (double)n, median, ms[p95 ? p95 - 1 : 0], cpu_median);
}

int main(int argc, char **argv)
{
	const char *db = NULL, *tz = NULL, *pick = "weighted", *layers_text = "heatmap";
	char style_path[4096];
	int z0 = 12, z1 = 16, list = 0, repeat = 0;
	unsigned layers = RENDER_HEATMAP;
	long ntiles = 50;
	double bandwidth = 0, km = 2.0;
	struct tile *tiles = malloc(MAX_TILES * sizeof *tiles);
	size_t nt = 0;
	int explicit_tiles = 0;

	/* styles/default.json of this source tree (__FILE__ is absolute under CMake). */
	snprintf(style_path, sizeof style_path, "%s", __FILE__);
	char *slash = strrchr(style_path, '/');
	if (slash && slash - style_path >= 6 && strncmp(slash - 6, "/bench", 6) == 0)
		strcpy(slash - 6, "/styles/default.json");
	else
		snprintf(style_path, sizeof style_path, "styles/default.json");

	if (!tiles) {
		fprintf(stderr, "bench_tiles: out of memory\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int len = 0;
		if (!strcmp(a, "--list")) {
			list = 1;
			continue;
		}
		if (a[0] != '-') {
			if (db) {
				usage();
				return 2;
			}
			db = a;
			continue;
		}
		if (!v) {
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
			ntiles = strtol(v, NULL, 10);
		} else if (!strcmp(a, "--repeat")) {
			repeat = (int)strtol(v, NULL, 10);
		} else if (!strcmp(a, "--pick")) {
			pick = v;
		} else if (!strcmp(a, "--densest-km")) {
			km = strtod(v, NULL);
		} else if (!strcmp(a, "--bandwidth")) {
			bandwidth = strtod(v, NULL);
		} else if (!strcmp(a, "--tz")) {
			tz = v;
		} else if (!strcmp(a, "--layers")) {
			if (render_layers_parse(v, &layers) < 0 || !layers) {
				fprintf(stderr, "bench_tiles: --layers '%s': %s\n", v,
				        err_msg()[0] ? err_msg() : "no layer");
				return 2;
			}
			layers_text = v;
		} else if (!strcmp(a, "--style")) {
			snprintf(style_path, sizeof style_path, "%s", v);
		} else if (!strcmp(a, "--seed")) {
			rng_state ^= strtoull(v, NULL, 10) * 0x9E3779B97F4A7C15u;
			if (!rng_state)
				rng_state = 1;
		} else if (!strcmp(a, "--tile")) {
			struct tile t;
			if (sscanf(v, "%d/%ld/%ld%n", &t.z, &t.x, &t.y, &len) != 3 || v[len] ||
			    tile_check(t.z, t.x, t.y) < 0 || nt == MAX_TILES) {
				fprintf(stderr, "bench_tiles: --tile '%s': %s\n", v,
				        err_msg()[0] ? err_msg() : "expected Z/X/Y");
				return 2;
			}
			tiles[nt++] = t;
			explicit_tiles = 1;
		} else {
			usage();
			return 2;
		}
	}
	if (!db || z0 < 0 || z1 > TILE_MAX_ZOOM || z0 > z1 || ntiles < 1 || ntiles > 1000 ||
	    repeat < 0 || !(km > 0) || bandwidth < 0 ||
	    (strcmp(pick, "weighted") && strcmp(pick, "densest"))) {
		usage();
		return 2;
	}
	if (!repeat)
		repeat = explicit_tiles ? 10 : !strcmp(pick, "densest") ? 3 : 1;

	int rc = 1;
	store *st = NULL;
	renderer *r = NULL;
	struct dataset_points all = {0}, scratch = {0};
	double *ms = NULL, *npts = NULL, *nplaces = NULL, *cpu = NULL;
	double t_load = now_ms();
	if (store_open(db, STORE_READONLY, &st) < 0 || renderer_open(st, style_path, tz, &r) < 0) {
		fprintf(stderr, "bench_tiles: %s\n", err_msg());
		goto out;
	}
	t_load = now_ms() - t_load;
	const struct style_heatmap *h = style_heatmap(renderer_style(r));
	const int heat = (layers & RENDER_HEATMAP) != 0;
	if (heat && !h) {
		fprintf(stderr, "bench_tiles: %s has no heatmap layer\n", style_path);
		goto out;
	}
	if (!bandwidth && h)
		bandwidth = h->bandwidth;
	struct dataset_filter filter;
	dataset_filter_all(&filter);
	const double world[4] = {-1e300, -1e300, 1e300, 1e300};
	if (dataset_gather(renderer_dataset(r), world, &filter, NULL, &all) < 0) {
		fprintf(stderr, "bench_tiles: %s\n", err_msg());
		goto out;
	}
	const double offences_total = total_weight(&all);
	if (all.n == 0 && (heat || !explicit_tiles)) {
		fprintf(stderr, "bench_tiles: %s has no located offences%s\n", db,
		        heat ? "" : " (give the tiles with --tile)");
		goto out;
	}

	if (!explicit_tiles) {
		if (!strcmp(pick, "weighted")) {
			size_t *idx = malloc((size_t)ntiles * sizeof *idx);
			if (!idx || running_weights(&all) < 0) {
				free(idx);
				goto out;
			}
			/* Offences drawn at random: a place as often as it has offences. */
			for (long k = 0; k < ntiles; k++)
				idx[k] = pick_place(&all, (double)(rng_next() >> 11) /
				                              9007199254740992.0);
			for (int z = z0; z <= z1; z++)
				for (long k = 0; k < ntiles && nt < MAX_TILES; k++)
					tiles[nt++] =
					    tile_at(z, all.pts[idx[k]].x, all.pts[idx[k]].y);
			free(idx);
		} else {
			double box[4] = {0, 0, 0, 0}, west, south, east, north;
			if (densest_box(&all, km, box) < 0) {
				fprintf(stderr, "bench_tiles: %s\n", err_msg());
				goto out;
			}
			tile_merc_to_lonlat(box[0], box[1], &west, &south);
			tile_merc_to_lonlat(box[2], box[3], &east, &north);
			fprintf(stderr, "densest %.1f km square: %.5f,%.5f,%.5f,%.5f\n", km, west,
			        south, east, north);
			for (int z = z0; z <= z1; z++) {
				struct tile_range tr;
				if (tile_cover(z, west, south, east, north, &tr) < 0) {
					fprintf(stderr, "bench_tiles: %s\n", err_msg());
					goto out;
				}
				for (long y = tr.y0; y <= tr.y1; y++)
					for (long x = tr.x0; x <= tr.x1 && nt < MAX_TILES; x++)
						tiles[nt++] = (struct tile){z, x, y};
			}
		}
	}
	if (list) {
		qsort(tiles, nt, sizeof *tiles, cmp_tile);
		for (size_t i = 0; i < nt; i++) {
			if (i && !cmp_tile(&tiles[i], &tiles[i - 1]))
				continue;
			struct tile_bounds b;
			tile_bounds_merc(tiles[i].z, tiles[i].x, tiles[i].y, &b);
			double lon, lat;
			tile_merc_to_lonlat((b.minx + b.maxx) / 2, (b.miny + b.maxy) / 2, &lon,
			                    &lat);
			printf("%d/%ld/%ld %.6f %.6f %.6f %.6f %.4f\n", tiles[i].z, tiles[i].x,
			       tiles[i].y, b.minx, b.miny, b.maxx, b.maxy,
			       tile_ground_resolution(tiles[i].z, TILE_SIZE, lat));
		}
		rc = 0;
		goto out;
	}

	size_t nrun = nt * (size_t)repeat;
	ms = malloc(nrun * sizeof *ms);
	npts = malloc(nrun * sizeof *npts);
	nplaces = malloc(nrun * sizeof *nplaces);
	cpu = malloc(nrun * sizeof *cpu);
	if (!ms || !npts || !nplaces || !cpu) {
		fprintf(stderr, "bench_tiles: out of memory\n");
		goto out;
	}
	/* Untimed: the colour ramp of the filter is computed once and cached. */
	struct render_request q = {.layers = layers, .filter = filter, .bandwidth = bandwidth};
	unsigned char *png = NULL;
	size_t len = 0;
	if (view_for_tile(tiles[0].z, tiles[0].x, tiles[0].y, TILE_SIZE, &q.view) < 0 ||
	    render_png(r, &q, &png, &len) < 0) {
		fprintf(stderr, "bench_tiles: %s\n", err_msg());
		goto out;
	}
	free(png);

	if (heat)
		printf("%.0f offences at %zu places, %s kernel, bandwidth %.0f m, 256 px tiles, "
		       "one thread; renderer load %.0f ms\n\n",
		       offences_total, all.n, kde_kernel_name(h->kernel), bandwidth, t_load);
	else
		printf("layers %s (style %s), %.0f offences at %zu places, 256 px tiles, one "
		       "thread; renderer load %.0f ms\n\n",
		       layers_text, style_path, offences_total, all.n, t_load);
	if (explicit_tiles)
		printf("| tile | renders | offences in reach | (max) | places (kernel points) | "
		       "mean ms | median ms | p95 ms | median CPU ms |\n"
		       "|---|---|---|---|---|---|---|---|---|\n");
	else
		printf(
		    "| zoom | tiles | offences in reach (mean) | (max) | places (mean) | mean ms "
		    "| median ms | p95 ms | median CPU ms "
		    "|\n|---|---|---|---|---|---|---|---|---|\n");
	/* Time each tile; rows per zoom (or per tile for --tile). */
	size_t start = 0;
	for (size_t i = 0; i < nt; i++) {
		double offences = 0, places = 0;
		if ((heat && tile_points(r, &tiles[i], bandwidth, &filter, &scratch, &offences,
		                         &places) < 0) ||
		    view_for_tile(tiles[i].z, tiles[i].x, tiles[i].y, TILE_SIZE, &q.view) < 0) {
			fprintf(stderr, "bench_tiles: %s\n", err_msg());
			goto out;
		}
		for (int k = 0; k < repeat; k++) {
			double t0 = now_ms(), c0 = cpu_ms();
			if (render_png(r, &q, &png, &len) < 0) {
				fprintf(stderr, "bench_tiles: %d/%ld/%ld: %s\n", tiles[i].z,
				        tiles[i].x, tiles[i].y, err_msg());
				goto out;
			}
			ms[i * repeat + k] = now_ms() - t0;
			cpu[i * repeat + k] = cpu_ms() - c0;
			npts[i * repeat + k] = offences;
			nplaces[i * repeat + k] = places;
			free(png);
		}
		int last = i + 1 == nt || (!explicit_tiles && tiles[i + 1].z != tiles[i].z) ||
		           explicit_tiles;
		if (last) {
			char label[64];
			if (explicit_tiles)
				snprintf(label, sizeof label, "%d/%ld/%ld", tiles[i].z, tiles[i].x,
				         tiles[i].y);
			else
				snprintf(label, sizeof label, "%d", tiles[i].z);
			size_t from = start * repeat, count = (i + 1 - start) * repeat;
			print_row(label, explicit_tiles ? (size_t)repeat : i + 1 - start,
			          heat ? npts + from : NULL, nplaces + from, ms + from, cpu + from,
			          count);
			fflush(stdout);
			start = i + 1;
		}
	}
	rc = 0;
out:
	free(ms);
	free(npts);
	free(nplaces);
	free(cpu);
	dataset_points_free(&all);
	dataset_points_free(&scratch);
	renderer_free(r);
	store_close(st);
	free(tiles);
	return rc;
}
