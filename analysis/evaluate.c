/*
 * evaluate: the difference-in-differences of an area against the rest of
 * its district (see evaluate.h).
 */
#include "evaluate.h"

#include "civil.h"
#include "err.h"
#include "numtext.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define WEEK_SECONDS (7 * CIVIL_SECONDS_PER_DAY)

struct walk {
	const struct evaluate_area *a;
	const struct evaluate_params *p;
	struct evaluate_result *r;
	int pass;          /* 0: the area's districts; 1: the counts */
	double *districts; /* pass 0: the area's offences per district index */
	int n_districts;
};

static int in_area(const struct evaluate_area *a, const struct dataset_offence *o)
{
	if (a->mahalla >= 0)
		return o->mahalla == a->mahalla;
	double dx = o->x - a->x, dy = o->y - a->y;
	return dx * dx + dy * dy <= a->radius * a->radius;
}

static int visit(void *ctx, const struct dataset_offence *o, double w)
{
	struct walk *k = ctx;
	int area = in_area(k->a, o);
	if (k->pass == 0) {
		if (area && o->district != DATASET_NONE && o->district < k->n_districts)
			k->districts[o->district] += w;
		return 0;
	}
	if (!area && (k->r->district < 0 || o->district != k->r->district))
		return 0;
	int64_t week = (o->mid - (k->p->at - (int64_t)k->p->weeks * WEEK_SECONDS)) / WEEK_SECONDS;
	if (o->mid < k->p->at - (int64_t)k->p->weeks * WEEK_SECONDS || week >= 2 * k->p->weeks)
		return 0;
	int after = week >= k->p->weeks;
	if (area) {
		k->r->area[after] += w;
		k->r->area_weekly[week] += w;
	} else {
		k->r->control[after] += w;
		k->r->control_weekly[week] += w;
	}
	return 0;
}

/* The estimate from the four counts (see evaluate.h). */
static void estimate(struct evaluate_result *r)
{
	double a0 = r->area[0], a1 = r->area[1], c0 = r->control[0], c1 = r->control[1];
	r->expected = c0 > 0 ? a0 * c1 / c0 : NAN;
	r->difference = a1 - r->expected;
	r->ratio = r->low = r->high = r->p = NAN;
	if (c0 <= 0 && c1 <= 0)
		return;
	if (a0 <= 0 || a1 <= 0 || c0 <= 0 || c1 <= 0)
		a0 += 0.5, a1 += 0.5, c0 += 0.5, c1 += 0.5;
	double log_ratio = log((a1 / a0) / (c1 / c0));
	double se = sqrt(1 / a1 + 1 / a0 + 1 / c1 + 1 / c0);
	r->ratio = exp(log_ratio);
	r->low = exp(log_ratio - 1.959964 * se);
	r->high = exp(log_ratio + 1.959964 * se);
	r->p = erfc(fabs(log_ratio) / se / sqrt(2));
}

int evaluate_run(const dataset *ds, const struct evaluate_area *a, const struct evaluate_params *p,
                 struct evaluate_result *out)
{
	memset(out, 0, sizeof *out);
	out->district = -1;
	if (p->weeks < 1 || p->weeks > EVALUATE_MAX_WEEKS)
		return err_set_field(ERR_INVALID, "weeks", "weeks: 1 to %d", EVALUATE_MAX_WEEKS);
	out->weeks = p->weeks;
	out->at = p->at;
	struct dataset_filter f = p->filter;
	f.from = p->at - (int64_t)p->weeks * WEEK_SECONDS;
	f.to = p->at + (int64_t)p->weeks * WEEK_SECONDS - 1;
	static const double everywhere[4] = {-2.1e7, -2.1e7, 2.1e7, 2.1e7};
	double districts[DATASET_MAX_DISTRICTS] = {0};
	struct walk k = {a, p, out, 0, districts, (int)dataset_district_count(ds)};
	if (k.n_districts > DATASET_MAX_DISTRICTS)
		k.n_districts = DATASET_MAX_DISTRICTS;
	dataset_each_weighted(ds, everywhere, &f, visit, &k);
	for (int d = 0; d < k.n_districts; d++)
		if (districts[d] > 0 &&
		    (out->district < 0 || districts[d] > districts[out->district]))
			out->district = d;
	k.pass = 1;
	dataset_each_weighted(ds, everywhere, &f, visit, &k);
	estimate(out);
	return 0;
}

/* The activity asked into the ask's place and day (a store_list_activities()
 * callback). */
struct found_activity {
	int found;
	char mahalla[128], district[128];
	double lon, lat;
	int64_t start;
};

static int found_activity(void *ctx, const struct store_activity *a)
{
	struct found_activity *f = ctx;
	f->found = 1;
	snprintf(f->mahalla, sizeof f->mahalla, "%s",
	         strcmp(a->place_kind, "mahalla") == 0 && a->mahalla_code ? a->mahalla_code : "");
	snprintf(f->district, sizeof f->district, "%s", a->district_code ? a->district_code : "");
	f->lon = a->lon;
	f->lat = a->lat;
	f->start = a->started;
	return 0;
}

int evaluate_resolve(store *st, const dataset *ds, const struct evaluate_ask *ask,
                     struct evaluate_area *a, struct evaluate_params *p, char *district, size_t n)
{
	struct found_activity act = {0};
	double lon, lat;
	int rc;
	*a = (struct evaluate_area){.mahalla = -1, .radius = ask->radius};
	district[0] = '\0';
	if (ask->activity) {
		struct store_activity_query q = {
		    .id = ask->activity, .from = STORE_NO_TIME, .to = STORE_NO_TIME};
		if ((rc = store_list_activities(st, &q, found_activity, &act)) < 0)
			return rc;
		if (!act.found)
			return err_set_field(ERR_NOTFOUND, "activity",
			                     "activity: no activity has the id '%s'",
			                     ask->activity);
		p->at = act.start;
		snprintf(district, n, "%s", act.district);
	}
	const char *mahalla = ask->mahalla ? ask->mahalla : act.mahalla[0] ? act.mahalla : NULL;
	if (mahalla) {
		struct store_area_found m;
		if ((a->mahalla = dataset_mahalla_index(ds, mahalla)) < 0 ||
		    (rc = store_find_area(st, STORE_MAHALLAS, mahalla, &m)) < 0 || !m.found)
			return err_set_field(ERR_NOTFOUND, "mahalla",
			                     "mahalla: no mahalla has the code '%s'", mahalla);
		snprintf(district, n, "%s", m.district_code);
	} else if (ask->lon || ask->lat || act.found) {
		if (act.found && !ask->lon && !ask->lat)
			lon = act.lon, lat = act.lat;
		else if ((rc = numtext_parse("lon", ask->lon, -180, 180, "a longitude", &lon)) <
		             0 ||
		         (rc = numtext_parse("lat", ask->lat, -85, 85, "a latitude", &lat)) < 0)
			return rc;
		if ((rc = tile_lonlat_to_merc(lon, lat, &a->x, &a->y)) < 0)
			return err_set_field(ERR_INVALID, "lon", "lon, lat: not on the map");
	} else {
		return err_set_field(ERR_INVALID, "mahalla",
		                     "mahalla: the area is a mahalla, a point (lon, lat) or an "
		                     "activity's place");
	}
	if (ask->at) {
		struct time_span span;
		if (timeparse_parse(dataset_zone(ds), ask->at, NULL, DATE_ORDER_AUTO, &span) < 0)
			return err_set_field(ERR_INVALID, "at", "at: %s", err_msg());
		p->at = span.from;
	} else if (!act.found) {
		return err_set_field(ERR_INVALID, "at",
		                     "at: the day things changed (YYYY-MM-DD) or an activity is "
		                     "required");
	}
	return 0;
}

static json_t *number(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *evaluate_json(const dataset *ds, const struct evaluate_result *r)
{
	json_t *weekly = json_array();
	const tz *zone = dataset_zone(ds);
	for (int w = 0; w < 2 * r->weeks; w++) {
		int64_t start = r->at + (int64_t)(w - r->weeks) * WEEK_SECONDS;
		int64_t day = tz_local_day(zone, start), y;
		int m, d;
		char text[16];
		civil_date_from_days(day, &y, &m, &d);
		snprintf(text, sizeof text, "%04d-%02d-%02d", (int)y, m, d);
		json_array_append_new(weekly, json_pack("{s:s, s:f, s:f}", "week", text, "area",
		                                        r->area_weekly[w], "control",
		                                        r->control_weekly[w]));
	}
	return json_pack(
	    "{s:i, s:o, s:{s:f, s:f}, s:{s:f, s:f}, s:{s:o, s:o, s:o, s:o, s:o, s:o}, "
	    "s:o}",
	    "weeks", r->weeks, "district",
	    r->district >= 0 ? json_string(dataset_district(ds, (size_t)r->district)) : json_null(),
	    "area", "before", r->area[0], "after", r->area[1], "control", "before", r->control[0],
	    "after", r->control[1], "estimate", "ratio", number(r->ratio), "low", number(r->low),
	    "high", number(r->high), "p", number(r->p), "expected", number(r->expected),
	    "difference", number(r->difference), "weekly", weekly);
}
