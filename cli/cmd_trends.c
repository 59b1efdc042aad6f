/*
 * posbon trends: emerging hot and cold spots from weekly Gi* and the
 * Mann-Kendall trend test (docs/analysis.md, "Trends"), as a table for the
 * planner or GeoJSON of the categorised cells.
 */
#include "cliout.h"
#include "commands.h"
#include "err.h"
#include "filteropts.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"
#include "trends.h"

#include <stdio.h>
#include <string.h>

#define TABLE_CELLS 20 /* categorised cells listed in the table */

/* The summary and the first categorised cells, read from the GeoJSON so
 * that the table and the JSON list cells in one order. */
struct table {
	const struct trends_result *r;
	const json_t *fc;
};

static int print_table(FILE *f, void *ctx)
{
	const struct trends_result *r = ((const struct table *)ctx)->r;
	const json_t *fc = ((const struct table *)ctx)->fc;
	const struct gistar_result *g = &r->grid;
	fprintf(f, "grid: %d x %d cells of %g m in EPSG:%d, %zu analysed, band %.1f m (%s)\n",
	        g->width, g->height, g->cell, g->epsg, g->cells, g->band,
	        gistar_band_source_name(g->band_source));
	fprintf(f,
	        "period: %s .. %s, %d weeks, %.10g offences; a week is hot or cold at p <= %g, "
	        "a trend significant at p <= %g\n",
	        json_string_value(json_object_get(fc, "from")),
	        json_string_value(json_object_get(fc, "to")), r->weeks, g->offences, r->alpha,
	        r->alpha);
	for (int c = 1 - TRENDS_PATTERNS; c < TRENDS_PATTERNS; c++)
		if (r->categories[c + TRENDS_PATTERNS - 1])
			fprintf(f, "  %-24s %6zu cells\n", trends_category_name(c),
			        r->categories[c + TRENDS_PATTERNS - 1]);
	json_t *features = json_object_get(fc, "features");
	size_t n = json_array_size(features);
	if (n)
		fprintf(f, "%5s %5s %-24s %4s %4s %6s %8s %9s %8s\n", "i", "j", "category", "hot",
		        "cold", "count", "mk_z", "mk_p", "count_z");
	for (size_t k = 0; k < n && k < TABLE_CELLS; k++) {
		json_t *p = json_object_get(json_array_get(features, k), "properties");
		double v[8];
		const char *names[] = {"i",     "j",    "weeks_hot", "weeks_cold",
		                       "count", "mk_z", "mk_p",      "count_mk_z"};
		for (int m = 0; m < 8; m++)
			v[m] = json_number_value(json_object_get(p, names[m]));
		fprintf(f, "%5.0f %5.0f %-24s %4.0f %4.0f %6.0f %8.3f %9.2e %8.3f\n", v[0], v[1],
		        json_string_value(json_object_get(p, "category")), v[2], v[3], v[4], v[5],
		        v[6], v[7]);
	}
	if (n > TABLE_CELLS)
		fprintf(f, "(%zu more cells: --format json)\n", n - TABLE_CELLS);
	return ferror(f) ? err_set(ERR_IO, "cannot write the table") : 0;
}

int cmd_trends(int argc, char **argv)
{
	const char *out = NULL, *format = "table", *style_path = NULL;
	struct filter_opts fo = {0};
	struct trends_params p = {0};
	long weeks = 0;
	const struct opt table[] = {
	    OPT_PARAM(param_trends_weeks, &weeks),
	    OPT_PARAM(param_grid_cell, &p.cell),
	    OPT_PARAM_HELP(param_grid_band, &p.band,
	                   "distance band (as posbon gistar chooses it over the whole period)"),
	    OPT_PARAM(param_trends_alpha, &p.alpha),
	    FILTER_OPTIONS(fo),
	    CLIOUT_OPTIONS(format, "table (the default) or json", out, style_path),
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct trends_result res = {0};
	json_t *fc = NULL;

	rc = opts_parse("trends",
	                "DB [--weeks 12] [--cell M] [--band M] [filters] [--format table|json] "
	                "[-o FILE]",
	                "Emerging hot and cold spots: Getis-Ord Gi* per cell in each week, the "
	                "Mann-Kendall trend\nof each cell's z-scores and ArcGIS's categories (new, "
	                "consecutive, intensifying,\npersistent, diminishing, sporadic, "
	                "oscillating, historical; docs/analysis.md).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "trends needs the database path (see posbon trends --help)");
	if ((rc = cliout_check_format(format)) < 0)
		return rc;
	p.weeks = (int)weeks;
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, fo.tz, &r)) < 0 ||
	    (rc = dataset_filter_parse(renderer_dataset(r), &fo.text, &p.filter)) < 0)
		goto out;
	struct held_shapes *held;
	rc = trends_run(renderer_dataset(r), renderer_shapes_acquire(r, &held), &p, &res);
	renderer_shapes_release(r, held);
	if (rc < 0 || (rc = trends_geojson(&res, &fc)) < 0)
		goto out;
	rc = cliout_write(out, format, fc, print_table, &(struct table){&res, fc});
out:
	json_decref(fc);
	trends_result_free(&res);
	renderer_free(r);
	store_close(st);
	return rc;
}
