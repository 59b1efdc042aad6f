/*
 * query: the query arguments that several handlers read alike (numbers,
 * flags, the offence filter, the planner's and the trends layer's
 * analysis, the shift, a backtest), for the API, the tiles, the prints
 * and the WMS's vendor parameters.
 *
 * Each reader follows app.h's convention: it answers nothing, and returns
 * 0 or a negative ERR_* code (ERR_INVALID for bad input) after recording
 * the message and the argument's name with err_set_field(), for the
 * handler to answer with app_reply_error(). An absent argument leaves its
 * output as it was (the caller's default).
 */
#ifndef POSBON_QUERY_H
#define POSBON_QUERY_H

#include "backtest.h"
#include "http.h"
#include "params.h"
#include "render.h"
#include "shift.h"

/* The number argument name from min to max into *out: "name: 'text' is
 * not WHAT from MIN to MAX" when it is not. */
int query_number(struct http_request *rq, const char *name, double min, double max,
                 const char *what, double *out);

/* The same for a whole number. */
int query_whole(struct http_request *rq, const char *name, long min, long max, const char *what,
                long *out);

/* The argument of row p (params.h) into *out: a long for OPT_LONG, else
 * a double. */
int query_param(struct http_request *rq, const struct param *p, void *out);

/* Argument name as true or false into *out. */
int query_bool(struct http_request *rq, const char *name, int *out);

/* Whether a yes/no argument is set: "1", "true", "yes" or present empty. */
int query_flag(struct http_request *rq, const char *name);

/* The shift and weekdays arguments (the days it starts on) into *out. */
int query_shift(struct http_request *rq, struct shift *out);

/* The filter and heatmap arguments of rq into q: from, to, hours,
 * weekdays, categories, services, district, metric, bandwidth; the
 * districts narrowed to the credentials' scope (query_scope()). */
int query_filter(struct http_request *rq, const dataset *ds, struct render_request *q);

/* Refuses hours and weekdays (ERR_INVALID naming the one given): for what
 * counts whole days (the comparison table). */
int query_whole_days(struct http_request *rq);

/* Narrows f to the districts rq's credentials reach: ERR_FORBIDDEN naming
 * "district" when f named others. */
int query_scope(struct http_request *rq, const dataset *ds, struct dataset_filter *f);

/* The plan of the planner's layers and the zones layer into q (after
 * query_filter()): shift (then weekdays are the days it starts on, and
 * the filter's hours and weekdays the shift's), date (for dosage, today by
 * default), share, cell, target, visits. */
int query_plan(struct http_request *rq, const dataset *ds, struct render_request *q);

/* The trends layer's analysis into q->trends (after query_filter()):
 * weeks (a whole number, not with from), cell, band, as GET /api/trends
 * takes them. */
int query_trends(struct http_request *rq, struct render_request *q);

/* The base layer's names into q->names: the argument lang_arg ("lang";
 * WMS's "LANGUAGE") of uz, uz-Cyrl, ru, en (absent: the local names) and
 * labelscale. */
int query_names(struct http_request *rq, const char *lang_arg, struct render_request *q);

/* Runs the backtest rq's query asks for (shift, weekdays, train_weeks,
 * test_weeks, step_weeks, folds, end, categories, services, cell, share,
 * date) into *b (free with backtest_free() on success), for the API and
 * the printed page. */
int query_backtest(struct http_request *rq, struct backtest *b);

#endif
