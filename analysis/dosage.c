/*
 * dosage: presence pieces from the tracks, visits from the pieces.
 *
 * Workload: a week of 60 units with a fix every 10 seconds (3.6 million
 * fixes) against a few dozen hotspots. Each segment between two fixes is cut
 * where it crosses the grid's cell lines (a 10-second step is a few cells at
 * most), consecutive pieces in one hotspot are joined, and only presence in
 * a hotspot is kept (a few percent of the time), clipped to the shift's
 * occurrences. Sorting those records by hotspot, unit, occurrence and time
 * then gives the visits in one pass.
 */
#include "dosage.h"

#include "civil.h"

#include "err.h"
#include "strmap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A unit's stretch of presence in one hotspot within one occurrence. */
struct presence {
	int32_t hotspot, unit, occ;
	double t0, t1; /* UTC seconds */
};

struct window {
	double start, end; /* UTC seconds */
};

struct work {
	const struct hotspot_set *set;
	struct window *win;
	size_t n_win;
	struct presence *pr;
	size_t n_pr, cap_pr;
	/* the run being joined: one hotspot, continuous in time */
	int run_h;
	double run_t0, run_t1;
	int32_t unit;
	long max_interp;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "dosage: out of memory");
}

const char *dosage_status_name(enum dosage_status s)
{
	static const char *const names[] = {"unvisited", "short", "met"};
	return names[s];
}

int dosage_day(const tz *zone, const char *field, const char *text, long *day)
{
	if (!text) {
		*day = (long)tz_local_day(zone, (int64_t)time(NULL));
		return 0;
	}
	struct shapes_shift s;
	if (shapes_shift_on(text, 0, CIVIL_MINUTES_PER_DAY, &s) < 0)
		return err_set_field(ERR_INVALID, field, "%s: '%s' is not a date YYYY-MM-DD", field,
		                     text);
	*day = s.day;
	return 0;
}

/* The occurrences of p's shift, in time order. */
static int make_windows(const struct dosage_params *p, struct work *k)
{
	const struct shift s = p->shift ? *p->shift : SHIFT_WHOLE_DAY;
	int start = s.start;
	unsigned days = s.weekdays;
	int64_t length = shift_minutes(&s) * (int64_t)60;
	if (!(k->win = malloc((size_t)(p->to_day - p->from_day + 1) * sizeof *k->win)))
		return nomem();
	for (long d = p->from_day; d <= p->to_day; d++) {
		int weekday = (int)(((d + 3) % 7 + 7) % 7);
		if (!(days & (1u << weekday)))
			continue;
		int64_t local = (int64_t)d * CIVIL_SECONDS_PER_DAY + (int64_t)start * 60;
		struct window w = {(double)tz_local_to_utc(p->zone, local),
		                   (double)tz_local_to_utc(p->zone, local + length)};
		/* A 24-hour shift across a clock change may meet the next day's. */
		if (k->n_win && w.start < k->win[k->n_win - 1].end)
			k->win[k->n_win - 1].end = w.start;
		k->win[k->n_win++] = w;
	}
	return 0;
}

/* Index of the first occurrence ending after t (n_win when none does). */
static size_t window_after(const struct work *k, double t)
{
	size_t lo = 0, hi = k->n_win;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (k->win[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Keeps the current run, cut into the occurrences it meets. */
static int flush_run(struct work *k)
{
	int h = k->run_h;
	k->run_h = -1;
	if (h < 0 || k->run_t1 <= k->run_t0)
		return 0;
	for (size_t w = window_after(k, k->run_t0); w < k->n_win && k->win[w].start < k->run_t1;
	     w++) {
		double t0 = fmax(k->run_t0, k->win[w].start), t1 = fmin(k->run_t1, k->win[w].end);
		if (t1 <= t0)
			continue;
		if (k->n_pr == k->cap_pr) {
			size_t cap = k->cap_pr ? k->cap_pr * 2 : 1024;
			struct presence *v = realloc(k->pr, cap * sizeof *v);
			if (!v)
				return nomem();
			k->pr = v;
			k->cap_pr = cap;
		}
		k->pr[k->n_pr++] = (struct presence){h, k->unit, (int32_t)w, t0, t1};
	}
	return 0;
}

/* Adds the piece t0..t1 in hotspot h (-1: none) to the run. */
static int add_piece(struct work *k, int h, double t0, double t1)
{
	if (t1 <= t0)
		return 0;
	if (h == k->run_h && t0 == k->run_t1) {
		k->run_t1 = t1;
		return 0;
	}
	int rc = flush_run(k);
	k->run_h = h;
	k->run_t0 = t0;
	k->run_t1 = t1;
	return rc;
}

/* Parameter s (0..1) of the first grid line at or after a, going by d,
 * and the parameter step between lines; lines lie at origin + i * cell. */
static void first_line(double a, double d, double origin, double cell, double *s, double *step)
{
	if (d == 0) {
		*s = *step = INFINITY;
		return;
	}
	double i = floor((a - origin) / cell) + (d > 0);
	*s = (origin + i * cell - a) / d;
	*step = fabs(cell / d);
}

/* The segment from fix i to fix i + 1 of t, cut at the grid's cell lines. */
static int walk_segment(struct work *k, const struct shapes_track *t, size_t i)
{
	const struct hotspot_set *set = k->set;
	double xa = t->xy[2 * i], ya = t->xy[2 * i + 1];
	double dx = t->xy[2 * i + 2] - xa, dy = t->xy[2 * i + 3] - ya;
	double ta = (double)t->t[i], dt = (double)(t->t[i + 1] - t->t[i]);
	double sx, stepx, sy, stepy, s = 0;
	int rc = 0;
	first_line(xa, dx, set->x0, set->cell_merc, &sx, &stepx);
	first_line(ya, dy, set->y0, set->cell_merc, &sy, &stepy);
	while (s < 1 && rc == 0) {
		double next = fmin(fmin(sx, sy), 1);
		if (next > s) {
			double mid = (s + next) / 2;
			int h = hotspot_index_at(set, xa + dx * mid, ya + dy * mid);
			rc = add_piece(k, h, ta + s * dt, ta + next * dt);
		}
		s = next;
		if (sx <= s)
			sx += stepx;
		if (sy <= s)
			sy += stepy;
	}
	return rc;
}

/* The presence of one track in the hotspots during the occurrences. */
static int walk_track(struct work *k, const struct shapes_track *t, int32_t unit, int *used)
{
	int rc = 0;
	k->unit = unit;
	k->run_h = -1;
	*used = 0;
	for (size_t i = 0; i + 1 < t->n_fixes && rc == 0; i++) {
		int64_t gap = t->t[i + 1] - t->t[i];
		size_t w = window_after(k, (double)t->t[i]);
		int meets = w < k->n_win && k->win[w].start < (double)t->t[i + 1];
		*used |= meets;
		if (gap <= 0)
			continue;
		if (gap > k->max_interp || !meets)
			rc = flush_run(k);
		else
			rc = walk_segment(k, t, i);
	}
	return rc ? rc : flush_run(k);
}

static int compare_presence(const void *a, const void *b)
{
	const struct presence *x = a, *y = b;
	if (x->hotspot != y->hotspot)
		return x->hotspot < y->hotspot ? -1 : 1;
	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->occ != y->occ)
		return x->occ < y->occ ? -1 : 1;
	return (x->t0 > y->t0) - (x->t0 < y->t0);
}

static int compare_unit(const void *a, const void *b)
{
	const struct dosage_unit *x = a, *y = b;
	if (x->seconds != y->seconds)
		return x->seconds > y->seconds ? -1 : 1;
	return strcmp(x->unit, y->unit);
}

static int compare_item(const void *a, const void *b)
{
	const struct dosage_hotspot *x = a, *y = b;
	if (x->status != y->status)
		return x->status < y->status ? -1 : 1;
	if (x->occurrences_met != y->occurrences_met)
		return x->occurrences_met < y->occurrences_met ? -1 : 1;
	if (x->seconds != y->seconds)
		return x->seconds < y->seconds ? -1 : 1;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* Ends a visit of length seconds into u and the occurrence's count. */
static void end_visit(struct dosage_unit *u, double length, double full, unsigned *occ_full)
{
	u->visits++;
	if (length > u->longest)
		u->longest = length;
	if (length >= full) {
		u->full_visits++;
		(*occ_full)++;
	}
}

/* The visits of the sorted presence records of hotspot item h, [a, b). */
static int hotspot_visits(struct work *k, const struct dosage_result *r,
                          const char *const *unit_service, size_t a, size_t b, unsigned *occ_full,
                          struct dosage_hotspot *h)
{
	const double full = r->target_minutes * 60;
	size_t units = 0;
	for (size_t i = a; i < b; i++)
		units += i == a || k->pr[i].unit != k->pr[i - 1].unit;
	if (units && !(h->units = calloc(units, sizeof *h->units)))
		return nomem();
	memset(occ_full, 0, k->n_win * sizeof *occ_full);
	struct dosage_unit *u = NULL;
	double start = 0, end = 0;
	for (size_t i = a; i < b; i++) {
		const struct presence *p = &k->pr[i];
		int new_unit = i == a || p->unit != k->pr[i - 1].unit;
		int same_visit =
		    !new_unit && p->occ == k->pr[i - 1].occ && p->t0 - end <= DOSAGE_VISIT_GAP;
		if (i > a && !same_visit)
			end_visit(u, end - start, full, &occ_full[k->pr[i - 1].occ]);
		if (new_unit) {
			u = &h->units[h->n_units++];
			u->unit = r->names[2 * p->unit];
			u->service = unit_service[p->unit];
		}
		if (!same_visit) {
			start = p->t0;
			end = p->t0;
		}
		/* Two tracks of one unit may overlap: count its time once. */
		if (p->t1 > end) {
			u->seconds += p->t1 - fmax(p->t0, end);
			end = p->t1;
		}
	}
	if (b > a)
		end_visit(u, end - start, full, &occ_full[k->pr[b - 1].occ]);
	for (size_t i = 0; i < h->n_units; i++) {
		h->seconds += h->units[i].seconds;
		h->visits += h->units[i].visits;
		h->full_visits += h->units[i].full_visits;
	}
	for (size_t w = 0; w < k->n_win; w++)
		h->occurrences_met += occ_full[w] >= (unsigned)r->target_visits;
	h->status = h->seconds <= 0                           ? DOSAGE_UNVISITED
	            : h->occurrences_met < (unsigned)k->n_win ? DOSAGE_SHORT
	                                                      : DOSAGE_MET;
	if (h->n_units > 1)
		qsort(h->units, h->n_units, sizeof *h->units, compare_unit);
	return 0;
}

/* Index of the unit named name in r->names (pairs of unit and service),
 * added with service when new. */
static int unit_index(strmap *index, struct dosage_result *r, const struct shapes_track *t,
                      int32_t *out)
{
	int64_t v;
	if (strmap_get(index, t->unit, &v)) {
		*out = (int32_t)v;
		return 0;
	}
	char **names = realloc(r->names, (r->n_names + 2) * sizeof *names);
	if (!names)
		return nomem();
	r->names = names;
	names[r->n_names] = strdup(t->unit);
	names[r->n_names + 1] = t->service ? strdup(t->service) : NULL;
	r->n_names += 2;
	if (!names[r->n_names - 2] || (t->service && !names[r->n_names - 1]))
		return nomem();
	*out = (int32_t)(r->n_names / 2 - 1);
	return strmap_put(index, t->unit, *out);
}

static int check_params(const struct dosage_params *p, struct dosage_result *r)
{
	if (p->to_day < p->from_day)
		return err_set_field(ERR_INVALID, "to", "to: the last day is before the first");
	if (p->to_day - p->from_day >= DOSAGE_MAX_DAYS)
		return err_set_field(ERR_INVALID, "from", "from: at most %d days at once",
		                     DOSAGE_MAX_DAYS);
	r->target_minutes = p->target_minutes ? p->target_minutes : DOSAGE_DEFAULT_TARGET_MINUTES;
	r->target_visits = p->target_visits ? p->target_visits : DOSAGE_DEFAULT_TARGET_VISITS;
	if (!(r->target_minutes > 0 && r->target_minutes <= 600))
		return err_set_field(ERR_INVALID, "target", "target: %g minutes is not in (0, 600]",
		                     r->target_minutes);
	if (r->target_visits < 1 || r->target_visits > 100)
		return err_set_field(ERR_INVALID, "visits", "visits: %ld is not in 1..100",
		                     r->target_visits);
	r->max_interp = p->max_interp ? p->max_interp : DOSAGE_MAX_INTERP;
	if (r->max_interp < 1 || r->max_interp > 600)
		return err_set_field(ERR_INVALID, "interpolate",
		                     "interpolate: %ld seconds is not in 1..600", r->max_interp);
	r->from_day = p->from_day;
	r->to_day = p->to_day;
	return 0;
}

int dosage_compute(const struct hotspot_set *set, const struct shapes_track *const *tracks,
                   size_t n, const struct dosage_params *p, struct dosage_result *out)
{
	struct work k = {.set = set, .run_h = -1};
	strmap *index = NULL;
	const char **unit_service = NULL;
	unsigned *occ_full = NULL;
	int rc;
	memset(out, 0, sizeof *out);
	if ((rc = check_params(p, out)) < 0 || (rc = make_windows(p, &k)) < 0)
		goto out;
	out->occurrences = k.n_win;
	k.max_interp = out->max_interp;
	if (k.n_win) {
		out->first = (int64_t)k.win[0].start;
		out->last = (int64_t)k.win[k.n_win - 1].end;
	}
	if (!(index = strmap_new())) {
		rc = nomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int32_t unit = 0;
		int used = 0;
		if ((rc = unit_index(index, out, tracks[i], &unit)) < 0 ||
		    (rc = walk_track(&k, tracks[i], unit, &used)) < 0)
			goto out;
		out->tracks += (size_t)used;
		out->fixes += used ? tracks[i]->n_fixes : 0;
	}
	if (k.n_pr > 1)
		qsort(k.pr, k.n_pr, sizeof *k.pr, compare_presence);
	if (!(out->items = calloc(set->n ? set->n : 1, sizeof *out->items)) ||
	    !(occ_full = calloc(k.n_win ? k.n_win : 1, sizeof *occ_full)) ||
	    !(unit_service = calloc(out->n_names / 2 + 1, sizeof *unit_service))) {
		rc = nomem();
		goto out;
	}
	for (size_t u = 0; u < out->n_names / 2; u++)
		unit_service[u] = out->names[2 * u + 1];
	out->n = set->n;
	size_t a = 0;
	for (size_t h = 0; h < set->n; h++) {
		size_t b = a;
		while (b < k.n_pr && k.pr[b].hotspot == (int32_t)h)
			b++;
		out->items[h].index = (int)h;
		out->items[h].rank = set->items[h].rank;
		if ((rc = hotspot_visits(&k, out, unit_service, a, b, occ_full, &out->items[h])) <
		    0)
			goto out;
		a = b;
	}
	if (out->n > 1)
		qsort(out->items, out->n, sizeof *out->items, compare_item);
out:
	if (rc < 0)
		dosage_result_free(out);
	free(unit_service);
	free(occ_full);
	strmap_free(index);
	free(k.pr);
	free(k.win);
	return rc;
}

void dosage_result_free(struct dosage_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->items[i].units);
	free(r->items);
	for (size_t i = 0; i < r->n_names; i++)
		free(r->names[i]);
	free(r->names);
	memset(r, 0, sizeof *r);
}

int dosage_from_store(store *st, const struct hotspot_set *set, const struct dosage_params *p,
                      struct dosage_result *out)
{
	struct dosage_result probe;
	const struct shapes_track **tracks = NULL;
	shapes *sh = NULL;
	int rc;
	/* The occurrences first, to read only the tracks that meet them. */
	struct hotspot_set none = {0};
	if ((rc = dosage_compute(&none, NULL, 0, p, &probe)) < 0)
		return rc;
	struct shapes_options so = {.tracks_from = probe.occurrences ? probe.first : 0,
	                            .tracks_to = probe.occurrences ? probe.last : -1,
	                            .tracks_only = 1};
	dosage_result_free(&probe);
	if ((rc = shapes_load(st, &so, &sh)) < 0)
		return rc;
	size_t n = shapes_count(sh, SHAPES_TRACKS);
	if (!(tracks = malloc((n ? n : 1) * sizeof *tracks))) {
		rc = nomem();
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		tracks[i] = shapes_track(sh, i);
	rc = dosage_compute(set, tracks, n, p, out);
out:
	free(tracks);
	shapes_free(sh);
	return rc;
}

void dosage_day_text(long day, char *buf, size_t n)
{
	time_t t = (time_t)day * CIVIL_SECONDS_PER_DAY;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%d", &tm);
}

static json_t *units_json(const struct dosage_hotspot *h)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < h->n_units; i++) {
		const struct dosage_unit *u = &h->units[i];
		json_array_append_new(a, json_pack("{s:s, s:s?, s:f, s:i, s:i, s:f}", "unit",
		                                   u->unit, "service", u->service, "minutes",
		                                   u->seconds / 60, "visits", (int)u->visits,
		                                   "full_visits", (int)u->full_visits,
		                                   "longest_visit_minutes", u->longest / 60));
	}
	return a;
}

int dosage_geojson(const struct dosage_result *r, const struct hotspot_set *set, const dataset *ds,
                   json_t **out)
{
	json_t *hot = NULL, *fc = NULL, *features;
	char from[16], to[16], shift[64] = "";
	int rc;
	*out = NULL;
	if ((rc = hotspot_geojson(set, ds, &hot)) < 0)
		return rc;
	if (set->has_shift)
		shift_format(&set->shift, shift, sizeof shift);
	dosage_day_text(r->from_day, from, sizeof from);
	dosage_day_text(r->to_day, to, sizeof to);
	fc = json_pack("{s:s, s:[], s:s, s:s, s:s?, s:i, s:f, s:i, s:i, s:I, s:i, s:f}", "type",
	               "FeatureCollection", "features", "from", from, "to", to, "shift",
	               *shift ? shift : NULL, "occurrences", (int)r->occurrences, "target_minutes",
	               r->target_minutes, "target_visits", (int)r->target_visits, "tracks",
	               (int)r->tracks, "fixes", (json_int_t)r->fixes, "hotspots", (int)r->n,
	               "threshold", set->threshold);
	features = json_object_get(fc, "features");
	const json_t *hot_features = json_object_get(hot, "features");
	for (size_t i = 0; fc && i < r->n; i++) {
		const struct dosage_hotspot *h = &r->items[i];
		double longest = 0;
		for (size_t u = 0; u < h->n_units; u++)
			longest = fmax(longest, h->units[u].longest);
		json_t *geometry =
		    json_object_get(json_array_get(hot_features, (size_t)h->index), "geometry");
		json_t *f = json_pack(
		    "{s:s, s:O, s:{s:i, s:s, s:f, s:i, s:i, s:i, s:f, s:o}}", "type", "Feature",
		    "geometry", geometry ? geometry : json_null(), "properties", "rank", h->rank,
		    "status", dosage_status_name(h->status), "minutes", h->seconds / 60, "visits",
		    (int)h->visits, "full_visits", (int)h->full_visits, "occurrences_met",
		    (int)h->occurrences_met, "longest_visit_minutes", longest / 60, "units",
		    units_json(h));
		if (!f || json_array_append_new(features, f) < 0) {
			json_decref(fc);
			fc = NULL;
		}
	}
	json_decref(hot);
	if (!fc)
		return nomem();
	*out = fc;
	return 0;
}
