/*
 * evaluate: did the activities in an area help? A difference-in-differences
 * estimate: the area's offences in the N weeks before a day and the N
 * weeks from it, against the rest of its district over the same weeks
 * (docs/analysis.md, "Did it help?").
 *
 * The area is a mahalla or a circle; its district is the one most of the
 * area's offences in the window lie in, and the control is every other
 * offence of that district passing the same filter. The estimate is the
 * ratio of the area's change to the control's, (A1 / A0) / (C1 / C0),
 * with a 95% interval and a two-sided p from the normal approximation of
 * its logarithm, whose variance for Poisson counts is 1/A1 + 1/A0 + 1/C1
 * + 1/C0 (0.5 is added to each count when one is 0). The expected count
 * is what the area would have had after had it changed as the control
 * did, A0 x C1 / C0.
 *
 * Ownership: a result holds no pointers. Threading: evaluate_run() only
 * reads the dataset, which may be shared.
 */
#ifndef POSBON_EVALUATE_H
#define POSBON_EVALUATE_H

#include "dataset.h"
#include "store.h"

#include <jansson.h>

#define EVALUATE_MAX_WEEKS 52

struct evaluate_area {
	int mahalla;         /* dataset_mahalla() index, or -1 for the circle */
	double x, y, radius; /* the circle: EPSG:3857 centre and metres */
};

struct evaluate_params {
	struct dataset_filter filter; /* its time span is replaced by the window */
	int64_t at;                   /* the day things changed, UTC seconds (a local midnight) */
	int weeks;                    /* 1 .. EVALUATE_MAX_WEEKS before, as many after */
};

struct evaluate_result {
	int weeks;
	int64_t at;
	int district;               /* dataset_district() index; -1: none */
	double area[2], control[2]; /* [0] before, [1] after */
	double area_weekly[2 * EVALUATE_MAX_WEEKS], control_weekly[2 * EVALUATE_MAX_WEEKS];
	double ratio, low, high, p;  /* NAN when the control had nothing before */
	double expected, difference; /* the area after: expected, observed minus it */
};

/* What an evaluation is asked, as the API's arguments and the command's
 * options give it: an activity (its place and start), or a mahalla or a
 * point and a day; NULL: not given. */
struct evaluate_ask {
	const char *activity;
	const char *mahalla;
	const char *lon, *lat; /* degrees */
	const char *at;        /* a local day "YYYY-MM-DD" */
	double radius;         /* metres around a point */
};

/* The area and day of ask into *a and p->at (a mahalla's area, or the
 * circle of radius around a point or an activity at a point), with the
 * district of the area's mahalla or activity into district[n] ("" when
 * unknown) for the caller's scope check. ERR_INVALID or ERR_NOTFOUND
 * naming the argument. */
int evaluate_resolve(store *st, const dataset *ds, const struct evaluate_ask *ask,
                     struct evaluate_area *a, struct evaluate_params *p, char *district, size_t n);

/* Counts and estimates; ERR_INVALID naming "weeks" out of range. */
int evaluate_run(const dataset *ds, const struct evaluate_area *a, const struct evaluate_params *p,
                 struct evaluate_result *out);

/* The result as GET /api/evaluate answers it (the weeks' first days as
 * local dates): a new object, or NULL when out of memory. */
json_t *evaluate_json(const dataset *ds, const struct evaluate_result *r);

#endif
