#include "query.h"

#include "app.h"
#include "dosage.h"
#include "err.h"
#include "ground.h"
#include "numtext.h"
#include "trends.h"
#include "zonecheck.h"

#include <string.h>

int query_number(struct http_request *rq, const char *name, double min, double max,
                 const char *what, double *out)
{
	const char *text = http_arg(rq, name);
	return text ? numtext_parse(name, text, min, max, what, out) : 0;
}

int query_whole(struct http_request *rq, const char *name, long min, long max, const char *what,
                long *out)
{
	const char *text = http_arg(rq, name);
	return text ? numtext_whole(name, text, min, max, what, out) : 0;
}

int query_param(struct http_request *rq, const struct param *p, void *out)
{
	if (p->type == OPT_LONG)
		return query_whole(rq, p->name, (long)p->min, (long)p->max, p->what, out);
	return query_number(rq, p->name, p->min, p->max, p->what, out);
}

int query_bool(struct http_request *rq, const char *name, int *out)
{
	const char *text = http_arg(rq, name);
	if (!text)
		return 0;
	if (strcmp(text, "true") && strcmp(text, "false"))
		return err_set_field(ERR_INVALID, name, "%s: '%s' is not true or false", name,
		                     text);
	*out = !strcmp(text, "true");
	return 0;
}

int query_flag(struct http_request *rq, const char *name)
{
	const char *v = http_arg(rq, name);
	return v && (!*v || strcmp(v, "1") == 0 || strcmp(v, "true") == 0 || strcmp(v, "yes") == 0);
}

int query_shift(struct http_request *rq, struct shift *out)
{
	return shift_parse(http_arg(rq, "shift"), http_arg(rq, "weekdays"), out);
}

int query_whole_days(struct http_request *rq)
{
	static const char *const times[] = {"hours", "weekdays"};
	for (int i = 0; i < 2; i++)
		if (http_arg(rq, times[i]))
			return err_set_field(ERR_INVALID, times[i],
			                     "%s: the comparison counts whole days", times[i]);
	return 0;
}

int query_scope(struct http_request *rq, const dataset *ds, struct dataset_filter *f)
{
	struct dataset_filter scope;
	if (!rq->scope[0])
		return 0;
	/* A district of the scope removed since the token was made reaches
	 * nothing: the scope is refused rather than widened. */
	if (dataset_filter_parse(ds, &(struct dataset_filter_text){.district = rq->scope}, &scope) <
	    0)
		return err_set_field(ERR_FORBIDDEN, "district",
		                     "district: the credentials' districts are no longer all held");
	if (dataset_filter_within(f, &scope))
		return err_set_field(ERR_FORBIDDEN, "district",
		                     "district: outside the districts of %s (%s)", rq->who,
		                     rq->scope);
	return 0;
}

int query_filter(struct http_request *rq, const dataset *ds, struct render_request *q)
{
	struct dataset_filter_text t = {
	    .from = http_arg(rq, "from"),
	    .to = http_arg(rq, "to"),
	    .hours = http_arg(rq, "hours"),
	    .weekdays = http_arg(rq, "weekdays"),
	    .categories = http_arg(rq, "categories"),
	    .services = http_arg(rq, "services"),
	    .district = http_arg(rq, "district"),
	    .region = http_arg(rq, "region"),
	};
	int rc = dataset_filter_parse(ds, &t, &q->filter);
	if (rc < 0 || (rc = query_scope(rq, ds, &q->filter)) < 0)
		return rc;
	static const char *const metrics[] = {[STYLE_METRIC_COUNT] = "count",
	                                      [STYLE_METRIC_RATE] = "rate",
	                                      [STYLE_METRIC_CHANGE] = "change"};
	const char *ramp = http_arg(rq, "ramp");
	if (ramp && strcmp(ramp, "fitted") != 0 && strcmp(ramp, "absolute") != 0)
		return err_set_field(ERR_INVALID, "ramp", "ramp: '%s' is not fitted or absolute",
		                     ramp);
	q->fit = ramp && strcmp(ramp, "fitted") == 0;
	const char *metric = http_arg(rq, "metric");
	for (int m = 0; metric && m < 3; m++)
		if (strcmp(metric, metrics[m]) == 0)
			q->metric = m + 1;
	if (metric && !q->metric)
		return err_set_field(ERR_INVALID, "metric",
		                     "metric: '%s' is not count, rate or change", metric);
	return query_param(rq, &param_bandwidth, &q->bandwidth);
}

int query_plan(struct http_request *rq, const dataset *ds, struct render_request *q)
{
	struct render_plan *pl = &q->plan;
	const char *hours = http_arg(rq, "shift"), *date = http_arg(rq, "date");
	long visits = 0;
	int rc;
	if (hours && http_arg(rq, "hours"))
		return err_set_field(ERR_INVALID, "hours",
		                     "hours: give either hours or a shift, not both");
	if (hours) {
		if ((rc = query_shift(rq, &pl->shift)) < 0)
			return rc;
		pl->has_shift = 1;
		/* Layers filtered by the offences' own times (the heatmap) take
		 * the shift's hours on its days: the hours after midnight count on
		 * the day the shift started, an approximation of the map only. */
		q->filter.hours = shift_hours(&pl->shift);
		q->filter.weekdays = pl->shift.weekdays;
	}
	if (date || (q->layers & RENDER_DOSAGE)) {
		if ((rc = dosage_day(dataset_zone(ds), "date", date, &pl->day)) < 0)
			return rc;
		pl->has_day = 1;
	}
	if ((rc = query_param(rq, &param_hotspot_share, &pl->share)) < 0 ||
	    /* The trends layer reads its own cell (query_trends()). */
	    ((q->layers & RENDER_PLANNING) &&
	     (rc = query_param(rq, &param_hotspot_cell, &pl->cell)) < 0) ||
	    (rc = query_param(rq, &param_dosage_target, &pl->target)) < 0 ||
	    (rc = query_param(rq, &param_dosage_visits, &visits)) < 0)
		return rc;
	pl->visits = (int)visits;
	if (q->layers & RENDER_DOSAGE)
		q->st = app_store(rq->app);
	return 0;
}

int query_trends(struct http_request *rq, struct render_request *q)
{
	long weeks = 0;
	int rc;
	if ((rc = query_param(rq, &param_trends_weeks, &weeks)) < 0 ||
	    (rc = query_param(rq, &param_grid_cell, &q->trends.cell)) < 0 ||
	    (rc = query_param(rq, &param_grid_band, &q->trends.band)) < 0)
		return rc;
	q->trends.weeks = (int)weeks;
	/* Checked here, not only by trends_run(): a tile draws a refused
	 * analysis as empty, and this one is the caller's mistake. */
	if (q->trends.weeks && q->filter.from != STORE_NO_TIME)
		return err_set_field(ERR_INVALID, "weeks",
		                     "weeks: give the number of weeks or the period's start "
		                     "(from), not both");
	return 0;
}

int query_backtest(struct http_request *rq, struct backtest *b)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	struct backtest_text t = {http_arg(rq, "shift"), http_arg(rq, "weekdays"),
	                          http_arg(rq, "end"), http_arg(rq, "categories"),
	                          http_arg(rq, "services")};
	struct backtest_params p = {.date = http_arg(rq, "date")};
	renderer_kernel(app->r, &p.kernel, &p.bandwidth);
	long train = (long)param_backtest_train.def, test = (long)param_backtest_test.def,
	     step = (long)param_backtest_step.def, folds = (long)param_backtest_folds.def;
	struct shift shift;
	int rc;
	if ((rc = query_param(rq, &param_backtest_train, &train)) < 0 ||
	    (rc = query_param(rq, &param_backtest_test, &test)) < 0 ||
	    (rc = query_param(rq, &param_backtest_step, &step)) < 0 ||
	    (rc = query_param(rq, &param_backtest_folds, &folds)) < 0 ||
	    (rc = query_param(rq, &param_grid_cell, &p.cell)) < 0 ||
	    (rc = query_param(rq, &param_hotspot_share, &p.share)) < 0)
		return rc;
	p.train_weeks = (int)train;
	p.test_weeks = (int)test;
	p.step_weeks = (int)step;
	p.folds = (int)folds;
	if (p.date && zonecheck_date(p.date) < 0)
		return err_set_field(ERR_INVALID, "date", "date: '%s' is not a day YYYY-MM-DD",
		                     p.date);
	if ((rc = backtest_params_text(ds, &t, &p, &shift)) < 0)
		return rc;
	struct held_shapes *held;
	rc = backtest_run(ds, renderer_shapes_acquire(app->r, &held), &p, b);
	renderer_shapes_release(app->r, held);
	return rc;
}

int query_names(struct http_request *rq, const char *lang_arg, struct render_request *q)
{
	const char *lang = http_arg(rq, lang_arg);
	int l = lang ? ground_lang_of(lang) : GROUND_NAME;
	if (l < 0)
		return err_set_field(ERR_INVALID, lang_arg,
		                     "%s: '%.40s' is not uz, uz-Cyrl, ru or en", lang_arg, lang);
	q->names.lang = (enum ground_lang)l;
	q->names.scale = 1;
	return query_param(rq, &param_label_scale, &q->names.scale);
}
