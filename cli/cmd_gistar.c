/*
 * posbon gistar: Getis-Ord Gi* hot and cold spots on a grid in metres, as
 * a summary for the planner, a GeoTIFF of z-scores for QGIS, GeoJSON of the
 * significant cells, or CSV of every analysed cell (for R and spreadsheets).
 */
#include "commands.h"
#include "err.h"
#include "filteropts.h"
#include "gistar.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

#define TOP_CELLS 10 /* hot cells listed in the summary */

static void print_summary(const struct gistar_result *r)
{
	printf("grid: %d x %d cells of %g m in EPSG:%d, %zu analysed (%s), %.10g offences, mean "
	       "%.3f, sd %.3f per cell\n",
	       r->width, r->height, r->cell, r->epsg, r->cells,
	       r->whole_grid ? "the whole rectangle" : "the district's", r->offences, r->mean,
	       r->sd);
	for (size_t s = 0; s < r->n_steps; s++)
		printf("  band %8.1f m: Moran's I %8.5f, z %8.3f\n", r->step_band[s], r->step_i[s],
		       r->step_z[s]);
	printf("band: %.1f m (%s)%s\n", r->band, gistar_band_source_name(r->band_source),
	       r->fdr ? ", bins by False Discovery Rate" : "");
	printf("cells per bin: cold 99%% %zu, 95%% %zu, 90%% %zu | not significant %zu | hot "
	       "90%% %zu, 95%% %zu, 99%% %zu\n",
	       r->bins[0], r->bins[1], r->bins[2], r->bins[3], r->bins[4], r->bins[5], r->bins[6]);
	/* The hottest cells, by z. */
	size_t cells = (size_t)r->width * r->height, shown[TOP_CELLS];
	int n = 0;
	for (; n < TOP_CELLS; n++) {
		size_t best = cells;
		for (size_t c = 0; c < cells; c++) {
			int taken = 0;
			for (int k = 0; k < n; k++)
				taken |= shown[k] == c;
			if (r->bin[c] > 0 && !taken && (best == cells || r->z[c] > r->z[best]))
				best = c;
		}
		if (best == cells)
			break;
		shown[n] = best;
		if (!n)
			printf("%4s %5s %5s %12s %12s %6s %8s %9s %4s\n", "rank", "i", "j", "x",
			       "y", "count", "z", "p", "bin");
		printf("%4d %5zu %5zu %12.1f %12.1f %6.1f %8.3f %9.2e %4d\n", n + 1,
		       best % (size_t)r->width, best / (size_t)r->width,
		       r->x0 + (best % (size_t)r->width + 0.5) * r->cell,
		       r->y0 - (best / (size_t)r->width + 0.5) * r->cell, r->count[best],
		       r->z[best], r->p[best], r->bin[best]);
	}
	if (!n)
		printf("(no hot cell)\n");
}

/* Every analysed cell: grid position, UTM centre, count, z, p, bin. */
static int write_csv(const struct gistar_result *r, FILE *f)
{
	fprintf(f, "i,j,x,y,count,z,p,bin\n");
	for (size_t c = 0; c < (size_t)r->width * r->height; c++) {
		if (!r->mask[c])
			continue;
		size_t i = c % (size_t)r->width, j = c / (size_t)r->width;
		fprintf(f, "%zu,%zu,%.3f,%.3f,%.10g,%.17g,%.17g,%d\n", i, j,
		        r->x0 + (i + 0.5) * r->cell, r->y0 - (j + 0.5) * r->cell, r->count[c],
		        r->z[c], r->p[c], r->bin[c]);
	}
	return ferror(f) ? err_set(ERR_IO, "cannot write the CSV") : 0;
}

static int write_output(const struct gistar_result *r, const char *format, const char *out,
                        const char *filter_text)
{
	if (!strcmp(format, "tiff")) {
		int rc = gistar_write_tiff(r, out, filter_text);
		if (rc == 0)
			printf("%s: %d x %d cells of %g m in EPSG:%d, band %.1f m, %zu hot and %zu "
			       "cold cells\n",
			       out, r->width, r->height, r->cell, r->epsg, r->band,
			       r->bins[4] + r->bins[5] + r->bins[6],
			       r->bins[0] + r->bins[1] + r->bins[2]);
		return rc;
	}
	FILE *f = out ? fopen(out, "w") : stdout;
	if (!f)
		return err_set(ERR_IO, "%s: cannot write", out);
	int rc = 0;
	if (!strcmp(format, "csv")) {
		rc = write_csv(r, f);
	} else {
		json_t *fc;
		if ((rc = gistar_geojson(r, &fc)) == 0) {
			if (json_dumpf(fc, f, JSON_COMPACT) < 0)
				rc = err_set(ERR_IO, "%s: cannot write", out ? out : "stdout");
			json_decref(fc);
		}
	}
	if (out && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: write failed", out);
	return rc;
}

int cmd_gistar(int argc, char **argv)
{
	const char *out = NULL, *format = NULL, *style_path = NULL;
	struct filter_opts fo = {0};
	struct gistar_params p = {0};
	double max_cells = (double)GISTAR_MAX_CELLS;
	const struct opt table[] = {
	    OPT_PARAM(param_grid_cell, &p.cell),
	    OPT_PARAM(param_grid_band, &p.band),
	    {"fdr", OPT_FLAG, &p.fdr, NULL, "bins by the False Discovery Rate (Benjamini-Hochberg)",
	     0, 0, 0},
	    {"whole-grid", OPT_FLAG, &p.whole_grid, NULL,
	     "analyse every cell of the rectangle, not only the district's", 0, 0, 0},
	    {"max-cells", OPT_DOUBLE, &max_cells, "N", "refuse larger grids (16000000)", 4, 1e9, 0},
	    FILTER_OPTIONS(fo),
	    {"format", OPT_STRING, &format, "FMT",
	     "tiff (z-score, bin, count; the default with -o), json or csv", 0, 0, 0},
	    {"output", OPT_STRING, &out, "FILE", "write here (json and csv: stdout without)", 0, 0,
	     'o'},
	    {"style", OPT_STRING, &style_path, "FILE", "style (for the renderer's set-up)", 0, 0,
	     0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct gistar_result res = {0};
	char filter_text[512];

	rc = opts_parse("gistar",
	                "DB [--cell M] [--band M] [--fdr] [filters] [-o z.tif | --format "
	                "json|csv]",
	                "Getis-Ord Gi* hot and cold spots of the offences counted on a grid in "
	                "metres in the\ndistrict's UTM zone: z-scores, p-values and the 90/95/99% "
	                "bins (docs/analysis.md).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "gistar needs the database path (see posbon gistar --help)");
	if (!format)
		format = out ? "tiff" : NULL;
	if (format && strcmp(format, "tiff") && strcmp(format, "json") && strcmp(format, "csv"))
		return err_set_field(ERR_INVALID, "format", "format: '%s' is not tiff, json or csv",
		                     format);
	if (format && !strcmp(format, "tiff") && !out)
		return err_set_field(ERR_INVALID, "output", "output: a GeoTIFF needs -o FILE");
	p.max_cells = (size_t)max_cells;
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, fo.tz, &r)) < 0 ||
	    (rc = dataset_filter_parse(renderer_dataset(r), &fo.text, &p.filter)) < 0)
		goto out;
	struct held_shapes *held;
	rc = gistar_run(renderer_dataset(r), renderer_shapes_acquire(r, &held), &p, &res);
	renderer_shapes_release(r, held);
	if (rc < 0)
		goto out;
	filteropts_text(&fo, filter_text, sizeof filter_text);
	if (format)
		rc = write_output(&res, format, out, filter_text);
	else
		print_summary(&res);
out:
	gistar_result_free(&res);
	renderer_free(r);
	store_close(st);
	return rc;
}
