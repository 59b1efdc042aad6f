/*
 * posbon evaluate: did the activities in an area help? Offences in the
 * weeks before and from a day, in the area and in the rest of its
 * district, with the difference-in-differences estimate (evaluate.h;
 * docs/analysis.md, "Did it help?"), as a table or as the JSON of GET
 * /api/evaluate.
 */
#include "cliout.h"
#include "commands.h"
#include "err.h"
#include "evaluate.h"
#include "filteropts.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct table {
	const dataset *ds;
	const struct evaluate_result *r;
	const struct evaluate_area *a;
	json_t *o;
};

static int print_table(FILE *f, void *ctx)
{
	const struct table *t = ctx;
	const dataset *ds = t->ds;
	const struct evaluate_result *r = t->r;
	const struct evaluate_area *a = t->a;
	json_t *o = t->o;
	const char *district = r->district >= 0 ? dataset_district(ds, (size_t)r->district) : "-";
	json_t *weekly = json_object_get(o, "weekly");
	if (a->mahalla >= 0)
		fprintf(f, "area: mahalla %s", dataset_mahalla(ds, (size_t)a->mahalla));
	else
		fprintf(f, "area: %.0f m around the point", a->radius);
	fprintf(f, " (district %s); %d weeks before %s and %d from it\n", district, r->weeks,
	        json_string_value(json_object_get(json_array_get(weekly, r->weeks), "week")),
	        r->weeks);
	fprintf(f, "%-24s %10s %10s\n", "", "before", "after");
	fprintf(f, "%-24s %10.0f %10.0f\n", "area", r->area[0], r->area[1]);
	fprintf(f, "rest of %-16s %10.0f %10.0f\n", district, r->control[0], r->control[1]);
	if (isfinite(r->ratio))
		fprintf(
		    f,
		    "estimate: %.2f times what the rest of the district predicts (95%%: %.2f .. "
		    "%.2f), p = %.3g\nexpected after: %.1f, observed %.0f (%+.1f)\n",
		    r->ratio, r->low, r->high, r->p, r->expected, r->area[1], r->difference);
	else
		fprintf(f, "estimate: none (the rest of the district had no offences)\n");
	return ferror(f) ? err_set(ERR_IO, "cannot write the table") : 0;
}

int cmd_evaluate(int argc, char **argv)
{
	const char *out = NULL, *format = "table", *style_path = NULL;
	struct filter_opts fo = {0};
	struct evaluate_ask ask = {0};
	long weeks = 0;
	const struct opt table[] = {
	    {"activity", OPT_STRING, &ask.activity, "ID",
	     "the activity: its place is the area, its start the day", 0, 0, 0},
	    {"mahalla", OPT_STRING, &ask.mahalla, "CODE", "the area: a mahalla", 0, 0, 0},
	    {"lon", OPT_STRING, &ask.lon, "DEG", "the area: around this point", 0, 0, 0},
	    {"lat", OPT_STRING, &ask.lat, "DEG", "(with --lon)", 0, 0, 0},
	    OPT_PARAM(param_evaluate_radius, &ask.radius),
	    {"at", OPT_STRING, &ask.at, "DAY", "the day things changed (local, YYYY-MM-DD)", 0, 0,
	     0},
	    OPT_PARAM(param_evaluate_weeks, &weeks),
	    FILTER_OPTIONS(fo),
	    CLIOUT_OPTIONS(format, "table (the default) or json", out, style_path),
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	json_t *o = NULL;

	ask.radius = param_evaluate_radius.def;
	weeks = (long)param_evaluate_weeks.def;
	rc = opts_parse("evaluate",
	                "DB (--activity ID | --mahalla CODE | --lon X --lat Y [--radius M]) "
	                "[--at DAY] [--weeks 8] [filters] [--format table|json] [-o FILE]",
	                "Did it help? The offences of an area in the weeks before a day and from "
	                "it, against\nthe rest of its district over the same weeks: a "
	                "difference-in-differences estimate\nwith its 95% interval "
	                "(docs/analysis.md).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "evaluate needs the database path (see posbon evaluate --help)");
	if ((rc = cliout_check_format(format)) < 0)
		return rc;
	if (fo.text.from || fo.text.to)
		return err_set_field(ERR_INVALID, fo.text.from ? "from" : "to",
		                     "the window is --weeks around --at: no --from or --to");
	struct evaluate_area area;
	struct evaluate_params p = {.weeks = (int)weeks};
	struct evaluate_result res;
	char district[128];
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, fo.tz, &r)) < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	if ((rc = dataset_filter_parse(ds, &fo.text, &p.filter)) < 0 ||
	    (rc = evaluate_resolve(st, ds, &ask, &area, &p, district, sizeof district)) < 0 ||
	    (rc = evaluate_run(ds, &area, &p, &res)) < 0)
		goto out;
	if (!(o = evaluate_json(ds, &res))) {
		rc = err_set(ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = cliout_write(out, format, o, print_table, &(struct table){ds, &res, &area, o});
out:
	json_decref(o);
	renderer_free(r);
	store_close(st);
	return rc;
}
