/*
 * bench_coverage: time of coverage_compute() for every shift of a week, as
 * `posbon coverage` and GET /api/coverage compute it (one thread, the data
 * in memory), with hotspot_find() for the same shift timed beside it.
 *
 * Opens DB, generating it first when the file does not exist: the sample
 * district (gis-data/sample.h, --offences N, default 1,000,000, a year
 * ending 2026-06-30) and --zones Z (default 500) more patrol zones over it:
 * 32-gon discs on a square lattice over the district's extent, each a
 * little wider than its lattice step so that neighbours overlap, assigned
 * in turn to four services, units of their own, on the shifts 06-14, 14-22
 * and 22-06 of every day, every seventh zone a joint patrol with a second
 * service. The shifts timed are those three on each day of the week (21).
 * The coverage index (zones on a grid, mahallas met) is made once and
 * timed on its own. Prints per shift the hotspots and statuses, and the
 * median and largest milliseconds over the shifts.
 *
 *   build/bench_coverage DB [--offences N] [--zones Z] [--style styles/default.json]
 */
#include "benchutil.h"
#include "coverage.h"
#include "err.h"
#include "hotspot.h"
#include "render.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DISC_VERTICES 32

static void put_le(unsigned char **p, const void *v, size_t n)
{
	memcpy(*p, v, n); /* the machines this runs on are little-endian */
	*p += n;
}

/* Little-endian WKB of a disc of DISC_VERTICES around (lon, lat). */
static size_t disc_wkb(unsigned char *buf, double lon, double lat, double rx, double ry)
{
	unsigned char *p = buf, order = 1;
	uint32_t type = 3, rings = 1, n = DISC_VERTICES + 1;
	put_le(&p, &order, 1);
	put_le(&p, &type, 4);
	put_le(&p, &rings, 4);
	put_le(&p, &n, 4);
	for (uint32_t k = 0; k < n; k++) {
		double a = 2 * M_PI * (k % DISC_VERTICES) / DISC_VERTICES;
		double xy[2] = {lon + rx * cos(a), lat + ry * sin(a)};
		put_le(&p, xy, sizeof xy);
	}
	return (size_t)(p - buf);
}

static int add_zones(store *st, long zones)
{
	static const char *const services[] = {"ppx", "ypx", "youth", "prevention"};
	static const int starts[] = {6 * 60, 14 * 60, 22 * 60};
	struct store_summary sum;
	unsigned char wkb[1024];
	int rc = store_summarize(st, &sum);
	if (rc < 0)
		return rc;
	const struct store_extent *e = &sum.areas_extent;
	int side = (int)ceil(sqrt((double)zones));
	double dx = (e->maxx - e->minx) / side, dy = (e->maxy - e->miny) / side;
	if ((rc = store_begin(st)) < 0)
		return rc;
	for (long z = 0; z < zones && rc == 0; z++) {
		char id[32], unit[32], unit2[32];
		int s = (int)(z % 4), start = starts[z / 4 % 3];
		snprintf(id, sizeof id, "B-%03ld", z);
		snprintf(unit, sizeof unit, "%s-%03ld", services[s], z / 4);
		snprintf(unit2, sizeof unit2, "%s-J%03ld", services[(s + 1) % 4], z / 7);
		struct store_assignment as[2] = {
		    {services[s], unit, {start, (start + 480) % 1440, CIVIL_ALL_WEEKDAYS}},
		    {services[(s + 1) % 4],
		     unit2,
		     {start, (start + 480) % 1440, CIVIL_ALL_WEEKDAYS}}};
		double lon = e->minx + (z % side + 0.5) * dx, lat = e->miny + (z / side + 0.5) * dy;
		struct store_zone zn = {.external_id = id,
		                        .name = id,
		                        .wkb = wkb,
		                        .wkb_len = disc_wkb(wkb, lon, lat, 0.6 * dx, 0.6 * dy),
		                        .assignments = as,
		                        .n_assignments = z % 7 == 0 ? 2 : 1};
		struct store_put_info info;
		rc = store_put_zone(st, &zn, "bench", &info);
	}
	return rc == 0 ? store_commit(st) : (store_rollback(st), rc);
}

static int generate(const char *path, long offences, long zones)
{
	store *st;
	int rc = bench_sample(path, offences, &st);
	if (rc == 0) {
		fprintf(stderr, "adding %ld zones ...\n", zones);
		rc = add_zones(st, zones);
	}
	store_close(st);
	return rc;
}

int main(int argc, char **argv)
{
	const char *db = NULL, *style_path = "styles/default.json";
	long offences = 1000000, zones = 500;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (a[0] != '-') {
			db = a;
			continue;
		}
		if (!v) {
			fprintf(stderr, "bench_coverage: %s needs a value\n", a);
			return 2;
		}
		i++;
		if (strcmp(a, "--offences") == 0)
			offences = strtol(v, NULL, 10);
		else if (strcmp(a, "--zones") == 0)
			zones = strtol(v, NULL, 10);
		else if (strcmp(a, "--style") == 0)
			style_path = v;
		else {
			fprintf(stderr, "bench_coverage: unknown option %s\n", a);
			return 2;
		}
	}
	if (!db || zones < 1 || zones > 100000) {
		fprintf(stderr, "usage: bench_coverage DB [--offences N] [--zones 1..100000] "
		                "[--style FILE]\n");
		return 2;
	}
	store *st = NULL;
	renderer *r = NULL;
	coverage_index *ix = NULL;
	double cov_ms[21], hot_ms[21];
	int rc = 0;
	if (access(db, F_OK) != 0)
		rc = generate(db, offences, zones);
	if (rc == 0)
		rc = bench_open(db, offences, style_path, &st, &r);
	if (rc < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(r));
	struct held_shapes *held;
	const shapes *sh = renderer_shapes_acquire(r, &held);
	double t0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
	rc = coverage_index_new(sh, &ix);
	double index_ms = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
	printf("offences held %zu, zones %zu, mahallas %zu; coverage index %.1f ms\n",
	       dataset_count(ds), shapes_count(sh, SHAPES_ZONES), shapes_count(sh, SHAPES_MAHALLAS),
	       index_ms);
	static const char *const hours[] = {"06:00-14:00", "14:00-22:00", "22:00-06:00"};
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	for (int k = 0; k < 21 && rc == 0; k++) {
		struct shift shift;
		struct hotspot_set set = {0};
		struct coverage c = {0};
		if ((rc = shift_parse(hours[k % 3], days[k / 3], &shift)) < 0)
			break;
		struct hotspot_params p = {.shift = &shift,
		                           .kernel = hm ? hm->kernel : KDE_QUARTIC,
		                           .bandwidth = hm ? hm->bandwidth : 200};
		dataset_filter_all(&p.filter);
		hotspot_default_period(ds, &p.filter);
		t0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
		rc = hotspot_find(ds, sh, &p, &set);
		hot_ms[k] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
		struct coverage_params cp = {.index = ix};
		t0 = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID);
		if (rc == 0)
			rc = coverage_compute(ds, sh, &set, &cp, &c);
		cov_ms[k] = bench_clock_ms(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (rc == 0)
			printf(
			    "%s %s: %7.1f offences, %3zu zones in play, %3zu hotspots (%zu gaps, "
			    "%zu "
			    "covered, %zu joint, %zu overlaps); hotspots %.1f ms, coverage %.1f "
			    "ms\n",
			    days[k / 3], hours[k % 3], c.offences, c.zones, c.n_hotspots,
			    c.counts[COVERAGE_GAP], c.counts[COVERAGE_COVERED],
			    c.counts[COVERAGE_JOINT], c.counts[COVERAGE_OVERLAP], hot_ms[k],
			    cov_ms[k]);
		coverage_free(&c);
		hotspot_set_free(&set);
	}
	renderer_shapes_release(r, held);
	if (rc == 0) {
		qsort(cov_ms, 21, sizeof *cov_ms, bench_cmp_double);
		qsort(hot_ms, 21, sizeof *hot_ms, bench_cmp_double);
		printf("21 shifts, CPU ms per shift: coverage median %.1f, max %.1f; hotspots "
		       "median %.1f, max %.1f\n",
		       cov_ms[10], cov_ms[20], hot_ms[10], hot_ms[20]);
	}
out:
	if (rc < 0)
		fprintf(stderr, "bench_coverage: %s\n", err_msg());
	coverage_index_free(ix);
	renderer_free(r);
	store_close(st);
	return rc < 0 ? 1 : 0;
}
