/*
 * posbon plan: the suggested patrol plan of a shift (analysis/suggest.h)
 * as a table for the planner or as GeoJSON for the viewer and QGIS.
 */
#include "commands.h"
#include "err.h"
#include "hotspot.h"
#include "opts.h"
#include "params.h"
#include "plan.h"
#include "render.h"
#include "store.h"
#include "suggest.h"

#include <stdio.h>
#include <string.h>

static double number(json_t *o, const char *name)
{
	return json_number_value(json_object_get(o, name));
}

static void print_table(json_t *fc)
{
	json_t *f, *cur = json_object_get(fc, "current");
	size_t i;
	printf("shift %s, %s .. %s: %.0f offences over %.0f shifts, %.2f expected per shift\n",
	       json_string_value(json_object_get(fc, "shift")),
	       json_string_value(json_object_get(fc, "from")),
	       json_string_value(json_object_get(fc, "to")), number(fc, "offences"),
	       number(fc, "shifts"), number(fc, "expected_offences"));
	printf("visits of %g min every %g min, %g km/h, %g m cells, %.0f candidates (%s)%s\n",
	       number(fc, "visit"), number(fc, "every"), number(fc, "speed_kmh"),
	       number(fc, "cell_m"), number(fc, "candidates"),
	       json_string_value(json_object_get(fc, "forecast")),
	       json_is_true(json_object_get(fc, "stopped")) ? " (stopped by the time limit)" : "");
	printf("%-20s %-11s %7s %7s %6s %6s %9s %7s\n", "unit", "service", "minutes", "used",
	       "cells", "visits", "expected", "share");
	json_array_foreach(json_object_get(fc, "features"), i, f)
	{
		json_t *p = json_object_get(f, "properties");
		printf("%-20s %-11s %7.0f %7.1f %6zu %6.0f %9.3f %6.1f%%\n",
		       json_string_value(json_object_get(p, "unit")),
		       json_string_value(json_object_get(p, "service")), number(p, "minutes"),
		       number(p, "minutes_used"), json_array_size(json_object_get(p, "cells")),
		       number(p, "visits"), number(p, "expected_offences"),
		       100 * number(p, "share"));
	}
	printf("suggested plan: %.3f expected offences per shift covered, %.1f%%\n",
	       number(fc, "covered"), 100 * number(fc, "share"));
	printf("current zones:  %.3f expected offences per shift inside, %.1f%% (%zu units on "
	       "duty)\n",
	       number(cur, "expected_offences"), 100 * number(cur, "share"),
	       json_array_size(json_object_get(cur, "units")));
}

int cmd_plan(int argc, char **argv)
{
	const char *hours = NULL, *days = NULL, *out = NULL, *tz = NULL, *format = "table";
	const char *forecast = NULL;
	const char *style_path = NULL;
	struct dataset_filter_text ft = {0};
	struct suggest_params sp;
	suggest_defaults(&sp);
	long shared = 1, candidates = SUGGEST_DEFAULT_CANDIDATES;
	const struct opt table[] = {
	    {"shift", OPT_STRING, &hours, "H-H", "shift hours, e.g. 18:00-02:00 (default: the day)",
	     0, 0, 0},
	    {"weekdays", OPT_STRING, &days, "DAYS", "days the shift starts on, e.g. fri", 0, 0, 0},
	    {"units", OPT_STRING, &sp.units, "LIST",
	     "SERVICE:COUNT:MINUTES,... (default: the current zones' units on duty)", 0, 0, 0},
	    OPT_PARAM(param_plan_visit, &sp.visit),
	    OPT_PARAM(param_plan_every, &sp.every),
	    OPT_PARAM(param_plan_speed, &sp.speed),
	    OPT_PARAM(param_plan_cell, &sp.cell),
	    {"shared", OPT_LONG, &shared, "N", "units that may share a cell (1)", 1, 10, 0},
	    {"candidates", OPT_LONG, &candidates, "N", "cells planned over, most offences first", 1,
	     PLAN_MAX_PLACES, 0},
	    {"forecast", OPT_STRING, &forecast, "counts|gistar",
	     "candidates: cells with offences, or only the Gi* hot cells at 95% (counts)", 0, 0, 0},
	    {"relevance", OPT_STRING, &sp.relevance, "LIST",
	     "SERVICE:CATEGORY=WEIGHT,... (default 1 everywhere)", 0, 0, 0},
	    {"from", OPT_STRING, &ft.from, "DATE", "first day (default: 8 weeks before --to)", 0, 0,
	     0},
	    {"to", OPT_STRING, &ft.to, "DATE", "last day (default: the latest offence)", 0, 0, 0},
	    {"categories", OPT_STRING, &ft.categories, "CODES", "offence categories", 0, 0, 0},
	    {"services", OPT_STRING, &ft.services, "CODES", "registering services", 0, 0, 0},
	    {"format", OPT_STRING, &format, "table|geojson", "output (table)", 0, 0, 0},
	    {"output", OPT_STRING, &out, "FILE", "write to FILE instead of stdout", 0, 0, 'o'},
	    {"style", OPT_STRING, &style_path, "FILE", "style", 0, 0, 0},
	    {"tz", OPT_STRING, &tz, "ZONE",
	     "time zone of local times (the districts' stored one, else Asia/Tashkent)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	json_t *fc = NULL;
	FILE *f = NULL;

	rc = opts_parse("plan",
	                "DB --shift 18:00-02:00 --weekdays fri [--units ppx:4:480] [options]",
	                "Suggests a patrol plan for a shift: the cells each unit visits, in order, "
	                "within its\nminutes, covering the most expected offences; compared with "
	                "the current zones.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "plan needs the database path (see posbon plan --help)");
	if (strcmp(format, "table") != 0 && strcmp(format, "geojson") != 0)
		return err_set_field(ERR_INVALID, "format", "format: '%s' is not table or geojson",
		                     format);
	sp.shared = (int)shared;
	sp.candidates = (size_t)candidates;
	if ((rc = suggest_forecast_parse(forecast, &sp.forecast)) < 0 ||
	    (rc = shift_parse(hours, days, &sp.shift)) < 0)
		return rc;
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, tz, &r)) < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	if ((rc = dataset_filter_parse(ds, &ft, &sp.filter)) < 0)
		goto out;
	hotspot_default_period(ds, &sp.filter);
	struct held_shapes *held;
	rc = suggest_plan(ds, renderer_shapes_acquire(r, &held), &sp, &fc);
	renderer_shapes_release(r, held);
	if (rc < 0)
		goto out;
	if (out && !(f = freopen(out, "w", stdout))) {
		rc = err_set(ERR_IO, "%s: cannot write", out);
		goto out;
	}
	if (strcmp(format, "table") == 0)
		print_table(fc);
	else if (json_dumpf(fc, stdout, JSON_COMPACT) < 0)
		rc = err_set(ERR_IO, "%s: cannot write", out ? out : "stdout");
	fflush(stdout);
out:
	json_decref(fc);
	renderer_free(r);
	store_close(st);
	return rc;
}
