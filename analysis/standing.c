/*
 * standing: the categories of the mahallas from an office's criteria (see
 * standing.h).
 */
#include "standing.h"

#include "civil.h"
#include "err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const measure_names[STANDING_MEASURES] = {"rate", "change", "repeat_places",
                                                             "overdue_tasks"};
static const char *const category_names[] = {"green", "yellow", "red"};

int standing_suppressed(const struct standing_rules *r, long count)
{
	return count > 0 && count < r->suppress_below;
}

const char *standing_measure_name(enum standing_measure m)
{
	return measure_names[m];
}

const char *standing_category_name(enum standing_category c)
{
	return category_names[c];
}

void standing_rules_default(struct standing_rules *r)
{
	*r = (struct standing_rules){
	    .period_days = 90,
	    .repeat_min = 3,
	    .repeat_metres = 50,
	    .suppress_below = 5,
	    .red = {15, 25, 5, 3},
	    .yellow = {8, 10, 2, 1},
	};
}

/* A number member of o into *out (null: NAN when may_null); absent: kept. */
static int member(const char *path, json_t *o, const char *name, double min, double max,
                  int may_null, double *out)
{
	json_t *v = json_object_get(o, name);
	if (!v)
		return 0;
	if (json_is_null(v) && may_null) {
		*out = NAN;
		return 0;
	}
	if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > max)
		return err_set_field(ERR_INVALID, name, "%s: %s: a number from %g to %g%s", path,
		                     name, min, max, may_null ? ", or null for none" : "");
	*out = json_number_value(v);
	return 0;
}

int standing_rules_load(const char *path, struct standing_rules *r)
{
	json_error_t jerr;
	double v[4];
	int rc = 0;
	standing_rules_default(r);
	json_t *doc = json_load_file(path, 0, &jerr);
	if (!doc)
		return err_set(ERR_INVALID, "%s:%d: %s", path, jerr.line, jerr.text);
	v[0] = r->period_days, v[1] = r->repeat_min, v[2] = r->repeat_metres,
	v[3] = r->suppress_below;
	if ((rc = member(path, doc, "period_days", 7, 3660, 0, &v[0])) < 0 ||
	    (rc = member(path, doc, "repeat_min", 2, 1000, 0, &v[1])) < 0 ||
	    (rc = member(path, doc, "repeat_metres", 5, 1000, 0, &v[2])) < 0 ||
	    (rc = member(path, doc, "suppress_below", 0, 1000, 0, &v[3])) < 0)
		goto out;
	for (int level = 0; level < 2 && rc == 0; level++) {
		json_t *limits = json_object_get(doc, level ? "yellow" : "red");
		double *to = level ? r->yellow : r->red;
		for (int m = 0; m < STANDING_MEASURES && rc == 0 && limits; m++)
			rc = member(path, limits, measure_names[m], -1e9, 1e9, 1, &to[m]);
	}
	r->period_days = (int)v[0];
	r->repeat_min = (int)v[1];
	r->repeat_metres = v[2];
	r->suppress_below = (int)v[3];
out:
	json_decref(doc);
	return rc;
}

/* A place of the period: its mahalla (shapes index) and square. */
struct place {
	size_t mahalla;
	int64_t cx, cy;
};

static int place_cmp(const void *a, const void *b)
{
	const struct place *p = a, *q = b;
	if (p->mahalla != q->mahalla)
		return p->mahalla < q->mahalla ? -1 : 1;
	if (p->cx != q->cx)
		return p->cx < q->cx ? -1 : 1;
	return (p->cy > q->cy) - (p->cy < q->cy);
}

struct walk {
	const int *row_of; /* dataset mahalla index -> row, -1 none */
	size_t n_keys;
	struct standing_table *t;
	const struct standing_rules *rules;
	int64_t split; /* the period's first second: before it, the previous period */
	struct place *places;
	size_t n_places, cap;
	int failed;
};

static int visit(void *ctx, const struct dataset_offence *o, double w)
{
	struct walk *k = ctx;
	if (o->mahalla == DATASET_NONE || o->mahalla >= k->n_keys || k->row_of[o->mahalla] < 0)
		return 0;
	struct standing_row *r = &k->t->rows[k->row_of[o->mahalla]];
	if (o->mid < k->split) {
		r->previous += w;
		return 0;
	}
	r->offences += w;
	if (k->n_places == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 1024;
		struct place *p = realloc(k->places, cap * sizeof *p);
		if (!p) {
			k->failed = 1;
			return 1;
		}
		k->places = p, k->cap = cap;
	}
	k->places[k->n_places++] = (struct place){(size_t)k->row_of[o->mahalla],
	                                          (int64_t)floor(o->x / k->rules->repeat_metres),
	                                          (int64_t)floor(o->y / k->rules->repeat_metres)};
	return 0;
}

/* Open tasks past their due day per row (a store_list_tasks() callback). */
struct overdue {
	struct standing_table *t;
	int64_t today; /* local day number */
};

static int count_overdue(void *ctx, const struct store_task *task)
{
	struct overdue *o = ctx;
	int y, m, d;
	if (!task->mahalla_code || !task->due ||
	    sscanf(task->due, "%4d-%2d-%2d", &y, &m, &d) != 3 ||
	    civil_days_from_date(y, m, d) >= o->today)
		return 0;
	for (size_t i = 0; i < o->t->n; i++)
		if (strcmp(o->t->rows[i].code, task->mahalla_code) == 0)
			o->t->rows[i].m[STANDING_OVERDUE_TASKS]++;
	return 0;
}

static void categorise(struct standing_row *r, const struct standing_rules *rules)
{
	size_t n = 0;
	r->category = STANDING_GREEN;
	r->reasons[0] = '\0';
	for (int level = STANDING_RED; level >= STANDING_YELLOW; level--) {
		const double *limit = level == STANDING_RED ? rules->red : rules->yellow;
		for (int m = 0; m < STANDING_MEASURES; m++)
			if (isfinite(limit[m]) && isfinite(r->m[m]) && r->m[m] >= limit[m])
				n += (size_t)snprintf(r->reasons + n,
				                      n < sizeof r->reasons ? sizeof r->reasons - n
				                                            : 0,
				                      "%s%s", n ? "," : "", measure_names[m]);
		if (n) {
			r->category = (enum standing_category)level;
			return;
		}
	}
}

int standing_compute(const dataset *ds, const shapes *sh, store *st,
                     const struct standing_rules *rules, const struct dataset_filter *f,
                     int64_t today, struct standing_table *out)
{
	static const double everywhere[4] = {-2.1e7, -2.1e7, 2.1e7, 2.1e7};
	const tz *zone = dataset_zone(ds);
	size_t n = shapes_count(sh, SHAPES_MAHALLAS), n_keys = dataset_mahalla_count(ds);
	int rc = 0;
	memset(out, 0, sizeof *out);
	int *row_of = malloc((n_keys + 1) * sizeof *row_of);
	out->rows = calloc(n + 1, sizeof *out->rows);
	if (!row_of || !out->rows) {
		free(row_of);
		free(out->rows);
		out->rows = NULL;
		return err_set(ERR_NOMEM, "standing: out of memory");
	}
	for (size_t i = 0; i < n_keys; i++)
		row_of[i] = -1;
	for (size_t i = 0; i < n; i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		int key = dataset_mahalla_index(ds, a->code);
		if (!dataset_filter_holds(ds, f, a->district_code))
			continue;
		struct standing_row *r = &out->rows[out->n];
		*r = (struct standing_row){
		    .code = a->code, .district = a->district_code, .population = a->population};
		r->m[STANDING_REPEAT_PLACES] = r->m[STANDING_OVERDUE_TASKS] = 0;
		if (key >= 0 && (size_t)key < n_keys)
			row_of[key] = (int)out->n;
		out->n++;
	}
	int64_t day = tz_local_day(zone, today);
	out->from = tz_local_to_utc(zone, (day - rules->period_days + 1) * CIVIL_SECONDS_PER_DAY);
	out->to = tz_local_to_utc(zone, (day + 1) * CIVIL_SECONDS_PER_DAY) - 1;
	struct dataset_filter g = *f;
	g.from = tz_local_to_utc(zone, (day - 2 * rules->period_days + 1) * CIVIL_SECONDS_PER_DAY);
	g.to = out->to;
	struct walk k = {row_of, n_keys, out, rules, out->from, NULL, 0, 0, 0};
	dataset_each_weighted(ds, everywhere, &g, visit, &k);
	if (k.failed) {
		rc = err_set(ERR_NOMEM, "standing: out of memory");
		goto done;
	}
	/* repeat places: runs of one mahalla's square in the sorted places */
	if (k.n_places)
		qsort(k.places, k.n_places, sizeof *k.places, place_cmp);
	for (size_t i = 0, j; i < k.n_places; i = j) {
		for (j = i; j < k.n_places && place_cmp(&k.places[i], &k.places[j]) == 0; j++)
			;
		if ((int)(j - i) >= rules->repeat_min)
			out->rows[k.places[i].mahalla].m[STANDING_REPEAT_PLACES]++;
	}
	struct store_task_query q = {.open = 1};
	struct overdue o = {out, day};
	if ((rc = store_list_tasks(st, &q, count_overdue, &o)) < 0)
		goto done;
	for (size_t i = 0; i < out->n; i++) {
		struct standing_row *r = &out->rows[i];
		r->m[STANDING_RATE] =
		    r->population > 0 ? r->offences / (double)r->population * 1000 : NAN;
		r->m[STANDING_CHANGE] =
		    r->previous > 0 ? (r->offences - r->previous) / r->previous * 100 : NAN;
		categorise(r, rules);
	}
done:
	free(k.places);
	free(row_of);
	if (rc < 0)
		standing_free(out);
	return rc;
}

void standing_free(struct standing_table *t)
{
	free(t->rows);
	memset(t, 0, sizeof *t);
}

int standing_record(store *st, const struct standing_table *t, int64_t now, json_t *changed,
                    char *where)
{
	int rc;
	if ((rc = store_begin(st)) < 0)
		return err_set(rc, "database busy: %s", err_msg());
	for (size_t i = 0; i < t->n && rc == 0; i++) {
		const struct standing_row *r = &t->rows[i];
		json_t *m = standing_measures_json(r);
		char *measures = m ? json_dumps(m, JSON_COMPACT) : NULL;
		json_decref(m);
		int change = 0;
		struct store_standing s = {r->code,  category_names[r->category],
		                           now,      STORE_NO_TIME,
		                           measures, r->reasons[0] ? r->reasons : NULL};
		rc = measures ? store_standing_record(st, &s, &change)
		              : err_set(ERR_NOMEM, "out of memory");
		free(measures);
		if (change) {
			json_array_append_new(changed, json_pack("{s:s, s:s}", "mahalla", r->code,
			                                         "category", s.category));
			/* two district codes at most in a short list; a long one means every stream
			 */
			if (where && r->district && !strstr(where, r->district)) {
				size_t len = strlen(where);
				if (len + strlen(r->district) + 2 < STORE_SCOPE_MAX)
					snprintf(where + len, STORE_SCOPE_MAX - len, "%s%s",
					         len ? "," : "", r->district);
			}
		}
	}
	if (rc == 0 && (rc = store_commit(st)) == 0)
		return 0;
	char msg[512];
	snprintf(msg, sizeof msg, "%s", err_msg());
	store_rollback(st);
	return err_set(rc, "%s", msg);
}

json_t *standing_measures_json(const struct standing_row *r)
{
	json_t *o = json_pack("{s:f, s:f}", "offences", r->offences, "previous", r->previous);
	for (int m = 0; m < STANDING_MEASURES; m++)
		json_object_set_new(o, measure_names[m],
		                    isfinite(r->m[m]) ? json_real(round(r->m[m] * 100) / 100)
		                                      : json_null());
	return o;
}
