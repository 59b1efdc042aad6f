/*
 * standing: the mahalla's standing, a category (green, yellow, red) from
 * criteria an office sets (docs/analysis.md, "The mahalla's standing"):
 * per mahalla, over the last period_days days, the offences per 1,000
 * residents, their change against the period before (%), the repeat
 * places (squares of repeat_metres with repeat_min offences or more) and
 * the overdue tasks. A mahalla is red when a measure reaches its red
 * limit, yellow when one reaches its yellow limit, else green; a limit
 * that is NAN is no criterion.
 *
 * Rules come from a JSON file (standing_rules_load()) or the defaults.
 * Ownership: a standing_table owns its rows; codes are borrowed from the
 * shapes. Threading: standing_compute() only reads the dataset and shapes.
 */
#ifndef POSBON_STANDING_H
#define POSBON_STANDING_H

#include "dataset.h"
#include "shapes.h"
#include "store.h"

#include <jansson.h>

enum standing_measure {
	STANDING_RATE,          /* offences per 1,000 residents in the period */
	STANDING_CHANGE,        /* % against the period before */
	STANDING_REPEAT_PLACES, /* places with repeat_min offences or more */
	STANDING_OVERDUE_TASKS, /* open tasks past their due day */
	STANDING_MEASURES
};

enum standing_category { STANDING_GREEN, STANDING_YELLOW, STANDING_RED };

struct standing_rules {
	int period_days;      /* 90 */
	int repeat_min;       /* 3 */
	double repeat_metres; /* 50 */
	int suppress_below;   /* at-risk counts under it print as "<N" outside the services: 5 */
	double red[STANDING_MEASURES], yellow[STANDING_MEASURES];
};

void standing_rules_default(struct standing_rules *r);

/* Reads rules from a JSON file over the defaults: {"period_days",
 * "repeat_min", "repeat_metres", "suppress_below", "red": {"rate",
 * "change", "repeat_places", "overdue_tasks"}, "yellow": {...}}, a limit
 * null for none. ERR_INVALID naming file:member. */
int standing_rules_load(const char *path, struct standing_rules *r);

const char *standing_measure_name(enum standing_measure m);

/* Whether an at-risk count is withheld outside the services (a viewer's
 * answer, anything printed): above 0 and below the rules' suppress_below. */
int standing_suppressed(const struct standing_rules *r, long count);
const char *standing_category_name(enum standing_category c);

struct standing_row {
	const char *code, *district;
	long population;             /* residents; < 0 unknown */
	double offences, previous;   /* counts of the period and the one before */
	double m[STANDING_MEASURES]; /* NAN when unknown (no population, nothing before) */
	enum standing_category category;
	char reasons[160]; /* the measures that reached its limits, "rate,change" */
};

struct standing_table {
	struct standing_row *rows;
	size_t n;
	int64_t from, to; /* the period, UTC seconds */
};

/* The standing of every mahalla of the shapes that filter f holds (its
 * districts), for the period_days ending with the local day of `today`
 * (UTC seconds), with the overdue tasks counted from st. */
int standing_compute(const dataset *ds, const shapes *sh, store *st,
                     const struct standing_rules *rules, const struct dataset_filter *f,
                     int64_t today, struct standing_table *out);

void standing_free(struct standing_table *t);

/* Records every row of t at `now` in one transaction of st
 * (store_standing_record()); the mahallas whose category changed are
 * appended to changed as {"mahalla", "category"}, and their districts to
 * where (STORE_SCOPE_MAX bytes, as events_publish() takes them; NULL:
 * not wanted). */
int standing_record(store *st, const struct standing_table *t, int64_t now, json_t *changed,
                    char *where);

/* A row's measures as a JSON object (what the history keeps). */
json_t *standing_measures_json(const struct standing_row *r);

#endif
