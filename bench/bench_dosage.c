/*
 * bench_dosage: time of dosage_compute() for a week of GPS tracks of 60
 * units with a fix every 10 seconds (about 3.6 million fixes), as `posbon
 * dosage` and GET /api/dosage compute it once the tracks are read (one
 * thread, the tracks in memory).
 *
 * DB is a database with offences (posbon sample DB); its whole-day hotspots
 * (the default training period) are the hotspot set. The tracks are made
 * up, seeded: each unit drives at 5-12 m/s to a place and lingers there
 * 2-25 minutes, the place a hotspot's peak half of the time and anywhere in
 * the hotspots' grid otherwise, so both branches of the walk (inside and
 * outside hotspots) are exercised. The week's occurrences of a whole-day
 * shift take every fix. Prints the fixes, the presence found and the
 * median, min and max milliseconds (wall and thread CPU) of --runs runs
 * after one untimed run.
 *
 *   build/bench_dosage DB [--units 60] [--days 7] [--step 10] [--runs 7]
 */
#include "benchutil.h"
#include "dosage.h"
#include "err.h"
#include "hotspot.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FIRST_DAY 20634L /* 2026-06-29, a Monday */

/* A uniform number in [0, 1) from a 64-bit xorshift state. */
static double uniform(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (double)(*s >> 11) / 9007199254740992.0;
}

/* Unit u's track over the days: fixes every step seconds from local
 * midnight of FIRST_DAY (UTC+5). xy and t are allocated here. */
static int make_track(const struct hotspot_set *set, int u, long days, int step,
                      struct shapes_track *t)
{
	size_t n = (size_t)(days * 86400 / step);
	double *xy = malloc(2 * n * sizeof *xy);
	int64_t *tt = malloc(n * sizeof *tt);
	if (!xy || !tt) {
		free(xy);
		free(tt);
		return err_set(ERR_NOMEM, "bench: out of memory");
	}
	uint64_t s = 0x9E3779B97F4A7C15ull * (uint64_t)(u + 1);
	double w = set->width * set->cell_merc, h = set->height * set->cell_merc;
	double x = set->x0 + uniform(&s) * w, y = set->y0 - uniform(&s) * h;
	double gx = x, gy = y, speed = 5, linger = 0;
	int64_t t0 = FIRST_DAY * 86400 - 5 * 3600;
	for (size_t i = 0; i < n; i++) {
		double dx = gx - x, dy = gy - y, d = hypot(dx, dy);
		if (d <= speed * step) {
			x = gx;
			y = gy;
			linger -= step;
			if (linger <= 0) {
				int hot = set->n && uniform(&s) < 0.5;
				const struct hotspot *p =
				    hot ? &set->items[(size_t)(uniform(&s) * set->n)] : NULL;
				if (p)
					tile_lonlat_to_merc(p->peak_lon, p->peak_lat, &gx, &gy);
				else {
					gx = set->x0 + uniform(&s) * w;
					gy = set->y0 - uniform(&s) * h;
				}
				speed = 5 + 7 * uniform(&s);
				linger = 120 + uniform(&s) * 1380;
			}
		} else {
			x += dx / d * speed * step;
			y += dy / d * speed * step;
		}
		xy[2 * i] = x;
		xy[2 * i + 1] = y;
		tt[i] = t0 + (int64_t)i * step;
	}
	*t = (struct shapes_track){.unit = NULL, .xy = xy, .t = tt, .n_fixes = n};
	return 0;
}

int main(int argc, char **argv)
{
	const char *db = argc > 1 ? argv[1] : NULL;
	long units = 60, days = 7, step = 10, runs = 7;
	for (int i = 2; i + 1 < argc; i += 2) {
		long v = strtol(argv[i + 1], NULL, 10);
		if (strcmp(argv[i], "--units") == 0)
			units = v;
		else if (strcmp(argv[i], "--days") == 0)
			days = v;
		else if (strcmp(argv[i], "--step") == 0)
			step = v;
		else if (strcmp(argv[i], "--runs") == 0)
			runs = v;
		else
			db = NULL;
	}
	if (!db || argc % 2 || units < 1 || units > 1000 || days < 1 || days > 31 || step < 1 ||
	    runs < 1 || runs > 100) {
		fprintf(stderr, "usage: bench_dosage DB [--units 1..1000] [--days 1..31] [--step "
		                "SECONDS] [--runs 1..100]\n");
		return 2;
	}
	store *st = NULL;
	renderer *r = NULL;
	struct hotspot_set set = {0};
	struct dosage_result res = {0};
	struct shapes_track *tracks = calloc((size_t)units, sizeof *tracks);
	const struct shapes_track **ptr = calloc((size_t)units, sizeof *ptr);
	char(*names)[16] = calloc((size_t)units, sizeof *names);
	double *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
	int rc = tracks && ptr && names && wall && cpu ? 0 : ERR_NOMEM;
	if (rc == 0 && (rc = store_open(db, STORE_READONLY, &st)) == 0)
		rc = renderer_open(st, "styles/default.json", NULL, &r);
	if (rc < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(r));
	struct hotspot_params hp = {.kernel = hm ? hm->kernel : KDE_QUARTIC,
	                            .bandwidth = hm ? hm->bandwidth : 200};
	dataset_filter_all(&hp.filter);
	hotspot_default_period(ds, &hp.filter);
	struct held_shapes *held;
	rc = hotspot_find(ds, renderer_shapes_acquire(r, &held), &hp, &set);
	renderer_shapes_release(r, held);
	size_t fixes = 0;
	for (long u = 0; u < units && rc == 0; u++) {
		rc = make_track(&set, (int)u, days, (int)step, &tracks[u]);
		snprintf(names[u], sizeof names[u], "U-%02ld", u + 1);
		tracks[u].unit = names[u];
		tracks[u].service = "ppx";
		ptr[u] = &tracks[u];
		fixes += tracks[u].n_fixes;
	}
	struct dosage_params p = {
	    .zone = dataset_zone(ds), .from_day = FIRST_DAY, .to_day = FIRST_DAY + days - 1};
	for (long i = -1; i < runs && rc == 0; i++) {
		dosage_result_free(&res);
		double w0 = bench_clock_ms(CLOCK_MONOTONIC),
		       c0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
		rc = dosage_compute(&set, ptr, (size_t)units, &p, &res);
		if (i >= 0) {
			wall[i] = bench_clock_ms(CLOCK_MONOTONIC) - w0;
			cpu[i] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
		}
	}
	if (rc < 0)
		goto out;
	double minutes = 0;
	unsigned visits = 0;
	for (size_t i = 0; i < res.n; i++) {
		minutes += res.items[i].seconds / 60;
		visits += res.items[i].visits;
	}
	qsort(wall, (size_t)runs, sizeof *wall, bench_cmp_double);
	qsort(cpu, (size_t)runs, sizeof *cpu, bench_cmp_double);
	printf("%ld units x %ld days, a fix every %ld s: %zu fixes; %zu hotspots (grid %dx%d of "
	       "%g m)\n",
	       units, days, step, fixes, set.n, set.width, set.height, set.cell);
	printf("presence %.0f unit-minutes in %u visits over %zu occurrences\n", minutes, visits,
	       res.occurrences);
	printf("dosage_compute over %ld runs: median %.1f ms (min %.1f, max %.1f), median CPU "
	       "%.1f ms\n",
	       runs, wall[runs / 2], wall[0], wall[runs - 1], cpu[runs / 2]);
out:
	if (rc < 0)
		fprintf(stderr, "bench_dosage: %s\n", err_msg());
	for (long u = 0; tracks && u < units; u++) {
		free((void *)tracks[u].xy);
		free((void *)tracks[u].t);
	}
	dosage_result_free(&res);
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	free(tracks);
	free(ptr);
	free(names);
	free(wall);
	free(cpu);
	return rc < 0 ? 1 : 0;
}
