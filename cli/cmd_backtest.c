/*
 * posbon backtest: rolling backtests of the ways of choosing hotspots (KDE
 * hotspots, Gi* hot cells, previous-period counts, the patrol zones) as a
 * table for the planner or JSON, and the hit-rate curves as a PNG or SVG
 * chart.
 */
#include "backtest.h"
#include "backtestopts.h"
#include "chart.h"
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "render.h"
#include "store.h"
#include "timeparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHART_W 900
#define CHART_H 640

static void print_table(const struct backtest *b)
{
	char from[32], to[32];
	timeparse_utc_text(b->folds[0].train_from, from, sizeof from);
	timeparse_utc_text(b->folds[b->n_folds - 1].test_to, to, sizeof to);
	printf("%zu folds (train %d weeks, test %d, step %d) from %s to %s; grid %d x %d cells of "
	       "%g m in EPSG:%d, %zu in the district; Gi* band %.1f m; %zu zones in play\n",
	       b->n_folds, b->params.train_weeks, b->params.test_weeks, b->params.step_weeks, from,
	       to, b->width, b->height, b->cell, b->epsg, b->cells, b->band, b->zones);
	printf("%-8s %17s %17s %17s %17s %8s\n", "method", "hit rate", "PAI", "RRI", "PEI",
	       "cells");
	for (int m = 0; m < BACKTEST_METHODS; m++) {
		const struct backtest_measure *a = &b->mean[m], *s = &b->sd[m];
		printf("%-8s %8.3f ± %6.3f %8.2f ± %6.2f %8.2f ± %6.2f %8.3f ± %6.3f %8.1f\n",
		       backtest_method_name(m), a->hit_rate, s->hit_rate, a->pai, s->pai, a->rri,
		       s->rri, a->pei, s->pei, a->cells);
	}
}

static int write_chart(const struct backtest *b, const char *path, const char *lang)
{
	size_t n = strlen(path), len;
	int svg = n > 4 && !strcmp(path + n - 4, ".svg");
	if (!svg && !(n > 4 && !strcmp(path + n - 4, ".png")))
		return err_set_field(ERR_INVALID, "chart",
		                     "chart: '%s' does not end in .png or .svg", path);
	unsigned char *data;
	int rc = chart_render(b, lang, svg ? CHART_SVG : CHART_PNG, CHART_W, CHART_H, &data, &len);
	if (rc < 0)
		return rc;
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		rc = err_set(ERR_IO, "%s: cannot write", path);
	if (f && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: write failed", path);
	free(data);
	return rc;
}

int cmd_backtest(int argc, char **argv)
{
	const char *style_path = NULL, *tz = NULL, *format = "table", *chart = NULL, *lang = "en",
	           *date = NULL;
	struct backtestopts bo;
	backtestopts_defaults(&bo);
	const struct opt table[] = {
	    {"shift", OPT_STRING, &bo.text.shift, "H-H",
	     "shift hours, e.g. 18:00-02:00 (every hour)", 0, 0, 0},
	    {"weekdays", OPT_STRING, &bo.text.weekdays, "DAYS",
	     "days the shift starts on (every day)", 0, 0, 0},
	    BACKTESTOPTS_TABLE(&bo),
	    {"categories", OPT_STRING, &bo.text.categories, "CODES", "offence categories", 0, 0, 0},
	    {"services", OPT_STRING, &bo.text.services, "CODES", "registering services", 0, 0, 0},
	    {"date", OPT_STRING, &date, "DATE", "zones valid on this day (any)", 0, 0, 0},
	    {"format", OPT_STRING, &format, "FMT", "table or json", 0, 0, 0},
	    {"chart", OPT_STRING, &chart, "FILE", "write the hit-rate curves (.png or .svg)", 0, 0,
	     0},
	    {"lang", OPT_STRING, &lang, "LANG", "chart labels: uz, ru or en", 0, 0, 0},
	    {"style", OPT_STRING, &style_path, "FILE", "style for the KDE kernel and bandwidth", 0,
	     0, 0},
	    {"tz", OPT_STRING, &tz, "ZONE",
	     "time zone of local times (the districts' stored one, else Asia/Tashkent)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct backtest b = {0};

	rc = opts_parse(
	    "backtest",
	    "DB [--shift H-H --weekdays DAYS] [--train-weeks 8 --test-weeks 1 --folds 44 "
	    "--step-weeks 1] [--end DATE] [--format table|json] [--chart out.png|out.svg]",
	    "Chooses hotspots in each training period four ways and scores them on the "
	    "test period\nthat follows: hit rate, PAI, RRI and PEI per fold, their mean "
	    "and spread (docs/analysis.md).",
	    table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "backtest needs the database path (see posbon backtest --help)");
	if (strcmp(format, "table") && strcmp(format, "json"))
		return err_set_field(ERR_INVALID, "format", "format: '%s' is not table or json",
		                     format);
	if (!chart_lang_known(lang))
		return err_set_field(ERR_INVALID, "lang", "lang: '%s' is not uz, ru or en", lang);
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, tz, &r)) < 0 ||
	    (rc = backtestopts_run(&bo, r, date, &b)) < 0)
		goto out;
	if (!strcmp(format, "json")) {
		json_t *o;
		if ((rc = backtest_json(&b, &o)) < 0)
			goto out;
		if (json_dumpf(o, stdout, JSON_COMPACT) < 0)
			rc = err_set(ERR_IO, "stdout: cannot write");
		putchar('\n');
		json_decref(o);
	} else {
		print_table(&b);
	}
	if (rc == 0 && chart)
		rc = write_chart(&b, chart, lang);
out:
	backtest_free(&b);
	renderer_free(r);
	store_close(st);
	return rc;
}
