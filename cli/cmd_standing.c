/*
 * posbon standing: the mahallas' standing from the office's rules
 * (analysis/standing.h; docs/analysis.md, "The mahalla's standing"), as a
 * table or JSON; with --record it is recorded too, as POST /api/standing
 * does (run daily by a timer, so that each category's period is kept).
 */
#include "cliout.h"
#include "commands.h"
#include "err.h"
#include "filteropts.h"
#include "opts.h"
#include "render.h"
#include "standing.h"
#include "store.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static int print_table(FILE *f, void *ctx)
{
	const struct standing_table *t = ctx;
	fprintf(f, "%-16s %-12s %-8s %9s %9s %8s %8s %7s %7s  %s\n", "mahalla", "district",
	        "standing", "offences", "previous", "rate", "change", "repeat", "overdue",
	        "reasons");
	for (size_t i = 0; i < t->n; i++) {
		const struct standing_row *r = &t->rows[i];
		char rate[16] = "-", change[16] = "-";
		if (isfinite(r->m[STANDING_RATE]))
			snprintf(rate, sizeof rate, "%.2f", r->m[STANDING_RATE]);
		if (isfinite(r->m[STANDING_CHANGE]))
			snprintf(change, sizeof change, "%+.0f%%", r->m[STANDING_CHANGE]);
		fprintf(f, "%-16s %-12s %-8s %9.0f %9.0f %8s %8s %7.0f %7.0f  %s\n", r->code,
		        r->district ? r->district : "-", standing_category_name(r->category),
		        r->offences, r->previous, rate, change, r->m[STANDING_REPEAT_PLACES],
		        r->m[STANDING_OVERDUE_TASKS], r->reasons);
	}
	return ferror(f) ? err_set(ERR_IO, "cannot write the table") : 0;
}

int cmd_standing(int argc, char **argv)
{
	const char *out = NULL, *format = "table", *style_path = NULL, *rules_path = NULL;
	struct filter_opts fo = {0};
	int record = 0;
	const struct opt table[] = {
	    {"rules", OPT_STRING, &rules_path, "FILE",
	     "the criteria, JSON (docs/analysis.md; built-in without)", 0, 0, 0},
	    {"record", OPT_FLAG, &record, NULL,
	     "record the categories: a changed one ends its period and starts one", 0, 0, 0},
	    FILTER_OPTIONS(fo),
	    CLIOUT_OPTIONS(format, "table (the default) or json", out, style_path),
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct standing_rules rules;
	struct standing_table t = {0};
	json_t *o = NULL, *rows = NULL, *changed = json_array();

	rc = opts_parse("standing",
	                "DB [--rules FILE] [--record] [--district CODES] "
	                "[--format table|json] [-o FILE]",
	                "The mahallas' standing (green, yellow, red) from the office's criteria: "
	                "the rate,\nthe change, the repeat places and the overdue tasks of the "
	                "last days (docs/analysis.md).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		goto out;
	if (npos != 1) {
		rc = err_set(ERR_INVALID,
		             "standing needs the database path (see posbon standing --help)");
		goto out;
	}
	struct dataset_filter f;
	if ((rc = cliout_check_format(format)) < 0)
		goto out;
	standing_rules_default(&rules);
	if ((rules_path && (rc = standing_rules_load(rules_path, &rules)) < 0) ||
	    (rc = store_open(pos[0], record ? 0 : STORE_READONLY, &st)) < 0 ||
	    (rc = renderer_open(st, style_path, fo.tz, &r)) < 0 ||
	    (rc = dataset_filter_parse(renderer_dataset(r), &fo.text, &f)) < 0)
		goto out;
	struct held_shapes *held;
	int64_t now = (int64_t)time(NULL);
	rc = standing_compute(renderer_dataset(r), renderer_shapes_acquire(r, &held), st, &rules,
	                      &f, now, &t);
	renderer_shapes_release(r, held);
	if (rc < 0 || (record && (rc = standing_record(st, &t, now, changed, NULL)) < 0))
		goto out;
	rows = json_array();
	for (size_t i = 0; i < t.n; i++)
		json_array_append_new(
		    rows,
		    json_pack("{s:s, s:s?, s:s, s:o, s:s}", "mahalla", t.rows[i].code, "district",
		              t.rows[i].district, "category",
		              standing_category_name(t.rows[i].category), "measures",
		              standing_measures_json(&t.rows[i]), "reasons", t.rows[i].reasons));
	o = json_pack("{s:i, s:O, s:O}", "period_days", rules.period_days, "mahallas", rows,
	              "changed", changed);
	rc = cliout_write(out, format, o, print_table, &t);
	if (rc == 0 && record)
		fprintf(stderr, "posbon standing: %zu recorded, %zu changed\n", t.n,
		        json_array_size(changed));
out:
	json_decref(o);
	json_decref(rows);
	json_decref(changed);
	standing_free(&t);
	renderer_free(r);
	store_close(st);
	return rc < 0 ? rc : 0;
}
