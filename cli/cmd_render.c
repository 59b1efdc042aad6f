/*
 * posbon render, export-density, export-tiles and print: one picture of any
 * layers, for a tile or a box, to a PNG file (the same rendering the
 * server's tiles go through), the density grid as a GeoTIFF, the tiles of
 * the district as one MBTiles file, and printed maps.
 */
#include "backtestopts.h"
#include "commands.h"
#include "densityexport.h"
#include "err.h"
#include "filteropts.h"
#include "mbtiles.h"
#include "numtext.h"
#include "opts.h"
#include "params.h"
#include "print.h"
#include "render.h"
#include "store.h"
#include "tilemath.h"

#include <math.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

/* The rows of the commands that draw layers as the tile server does: the
 * filters, the heatmap's bandwidth and the style. */
/* clang-format off */
#define PICTURE_OPTIONS(fo, bandwidth, style_path)                                           \
	FILTER_OPTIONS(fo),                                                                   \
	OPT_PARAM(param_bandwidth, &(bandwidth)),                                              \
	{"style", OPT_STRING, &(style_path), "FILE", "style file (default: styles/default.json of the share folder)",       \
	 0, 0, 0}

/* The trends layer's analysis, as GET /tiles/trends takes it (0: the
 * defaults of trends_run()). */
#define TRENDS_OPTIONS(t)                                                                   \
	OPT_PARAM_HELP(param_trends_weeks, &(t).weeks,                                      \
	               "trends: weeks up to --to or the latest offence (12)"),               \
	OPT_PARAM_HELP(param_grid_cell, &(t).cell, "trends: cell size (as posbon trends)"),  \
	OPT_PARAM_HELP(param_grid_band, &(t).band, "trends: distance band (as posbon trends)")

/* The base layer's names: their language and size, as the tiles' lang and
 * labelscale. */
#define NAMES_OPTIONS(n)                                                                    \
	{"lang", OPT_STRING, &(n).lang, "uz|uz-Cyrl|ru|en",                                 \
	 "base: the names' language (the local names)", 0, 0, 0},                           \
	OPT_PARAM(param_label_scale, &(n).scale)
/* clang-format on */

struct trends_opts {
	long weeks;
	double cell, band;
};

struct names_opts {
	const char *lang;
	double scale;
};

/* What render and export-tiles share once their options are read: q's
 * bandwidth and trends arguments, the store db (*st) and a renderer of
 * style_path on it (*r), and q's filter. On failure *st and *r are what was
 * opened (the caller closes them). */
static int picture_open(const char *db, const char *style_path, const struct filter_opts *fo,
                        double bandwidth, const struct trends_opts *t, const struct names_opts *n,
                        store **st, renderer **r, struct render_request *q)
{
	int rc, lang = n->lang ? ground_lang_of(n->lang) : GROUND_NAME;
	if (t->weeks && fo->text.from)
		return err_set(ERR_INVALID,
		               "--weeks: give the number of weeks or --from, not both");
	if (lang < 0)
		return err_set(ERR_INVALID, "--lang '%s': not uz, uz-Cyrl, ru or en", n->lang);
	q->names.lang = (enum ground_lang)lang;
	q->names.scale = n->scale;
	q->bandwidth = bandwidth;
	q->trends.weeks = (int)t->weeks;
	q->trends.cell = t->cell;
	q->trends.band = t->band;
	if ((rc = store_open(db, 0, st)) < 0 ||
	    (rc = renderer_open(*st, style_path, fo->tz, r)) < 0)
		return rc;
	return dataset_filter_parse(renderer_dataset(*r), &fo->text, &q->filter);
}

static int write_file(const char *path, const unsigned char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return err_set(ERR_IO, "%s: cannot write", path);
	size_t n = fwrite(data, 1, len, f);
	if (fclose(f) != 0 || n != len)
		return err_set(ERR_IO, "%s: write failed", path);
	return 0;
}

static int parse_tile(const char *text, int *z, long *x, long *y)
{
	if (tile_parse(text, z, x, y) < 0)
		return err_set(ERR_INVALID, "--tile %s", err_msg());
	return 0;
}

static int parse_bbox(const char *text, double b[4])
{
	if (numtext_list(text, ',', b, 4) < 0)
		return err_set(ERR_INVALID, "--bbox '%s': expected minlon,minlat,maxlon,maxlat",
		               text);
	return 0;
}

/* The bounds keep w and h times --scale an int; the view refuses more. */
static int parse_size(const char *text, int *w, int *h)
{
	double v[2];
	if (numtext_list(text, 'x', v, 2) < 0 || !(v[0] >= 1 && v[0] <= 16384) ||
	    !(v[1] >= 1 && v[1] <= 16384) || v[0] != floor(v[0]) || v[1] != floor(v[1]))
		return err_set(ERR_INVALID, "--size '%s': expected WIDTHxHEIGHT, 1 to 16384 each",
		               text);
	*w = (int)v[0];
	*h = (int)v[1];
	return 0;
}

int cmd_render(int argc, char **argv)
{
	const char *layers = NULL, *tile = NULL, *bbox = NULL, *size = "1024x768", *out = NULL;
	const char *style_path = NULL;
	struct filter_opts fo = {0};
	long scale = 1;
	double bandwidth = 0;
	struct trends_opts to = {0};
	struct names_opts no = {NULL, 1};
	const struct opt table[] = {
	    {"layer", OPT_STRING, &layers, "LAYERS",
	     "layers joined by +: base, districts, mahallas, choropleth, heatmap, offences, "
	     "zones, tracks, gistar, change, trends",
	     0, 0, 0},
	    TRENDS_OPTIONS(to),
	    {"tile", OPT_STRING, &tile, "Z/X/Y", "a 256-px Web Mercator tile", 0, 0, 0},
	    {"bbox", OPT_STRING, &bbox, "W,S,E,N", "a lon/lat box instead of a tile", 0, 0, 0},
	    {"size", OPT_STRING, &size, "WxH", "pixels of a --bbox picture (1024x768)", 0, 0, 0},
	    {"scale", OPT_LONG, &scale, "N", "device pixels per pixel: 2 for retina tiles", 1, 4,
	     0},
	    {"output", OPT_STRING, &out, "FILE", "the PNG to write (required)", 0, 0, 'o'},
	    PICTURE_OPTIONS(fo, bandwidth, style_path),
	    NAMES_OPTIONS(no),
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	unsigned char *png = NULL;
	size_t len = 0;
	struct render_request q = {0};

	rc = opts_parse("render", "DB --layer LAYERS (--tile Z/X/Y | --bbox W,S,E,N) -o FILE",
	                "Draws layers of DB into a PNG, as the tile server does.", table, argc,
	                argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "render needs the database path (see posbon render --help)");
	if (!layers || !out)
		return err_set(ERR_INVALID, "render needs --layer and -o FILE");
	if (!tile == !bbox)
		return err_set(ERR_INVALID, "render needs either --tile or --bbox");
	if ((rc = render_layers_parse(layers, &q.layers)) < 0)
		return rc;
	if (tile) {
		int z;
		long x, y;
		if ((rc = parse_tile(tile, &z, &x, &y)) < 0 ||
		    (rc = view_for_tile(z, x, y, 256 * (int)scale, &q.view)) < 0)
			return rc;
	} else {
		double b[4];
		int w = 0, h = 0;
		if ((rc = parse_bbox(bbox, b)) < 0 || (rc = parse_size(size, &w, &h)) < 0 ||
		    (rc = view_for_bbox(b[0], b[1], b[2], b[3], w * (int)scale, h * (int)scale,
		                        (double)scale, &q.view)) < 0)
			return rc;
	}
	if ((rc = picture_open(pos[0], style_path, &fo, bandwidth, &to, &no, &st, &r, &q)) < 0 ||
	    (rc = render_png(r, &q, &png, &len)) < 0 || (rc = write_file(out, png, len)) < 0)
		goto out;
	printf("%s: %dx%d, %zu bytes\n", out, q.view.width, q.view.height, len);
out:
	free(png);
	renderer_free(r);
	store_close(st);
	return rc;
}

int cmd_export_density(int argc, char **argv)
{
	const char *out = NULL, *bbox = NULL, *kernel = "quartic", *compress = "deflate";
	const char *style_path = NULL;
	struct filter_opts fo = {0};
	double cell = 10, radius = 300;
	int weighted = 0;
	const struct opt table[] = {
	    {"output", OPT_STRING, &out, "FILE", "the GeoTIFF to write (required)", 0, 0, 'o'},
	    {"cell", OPT_DOUBLE, &cell, "METRES", "cell size (10)", 0.5, 10000, 0},
	    {"radius", OPT_DOUBLE, &radius, "METRES", "kernel bandwidth (300)", 10, 20000, 0},
	    {"kernel", OPT_STRING, &kernel, "NAME",
	     "quartic, triangular, uniform, triweight or epanechnikov", 0, 0, 0},
	    {"bbox", OPT_STRING, &bbox, "W,S,E,N",
	     "extent in lon/lat (default: the district plus one radius)", 0, 0, 0},
	    {"weighted", OPT_FLAG, &weighted, NULL, "weigh categories as the style does", 0, 0, 0},
	    {"compress", OPT_STRING, &compress, "KIND",
	     "GeoTIFF compression: deflate (default), zstd, lzw or none", 0, 0, 0},
	    FILTER_OPTIONS(fo),
	    {"style", OPT_STRING, &style_path, "FILE", "style for --weighted", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	dataset *ds = NULL;
	style *sty = NULL;
	struct dataset_filter filter;
	struct density_result res;
	double box[4];
	double weights[DATASET_MAX_CATEGORIES];

	rc = opts_parse("export-density", "DB -o FILE [--cell M] [--radius M] [filters]",
	                "Writes the kernel density of the offences as a GeoTIFF in the "
	                "district's UTM zone,\nin offences per km2 over the period, for QGIS.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1 || !out)
		return err_set(ERR_INVALID, "export-density needs DB and -o FILE");
	char filter_text[512];
	filteropts_text(&fo, filter_text, sizeof filter_text);
	struct density_export e = {.path = out,
	                           .cell = cell,
	                           .bandwidth = radius,
	                           .compress = compress,
	                           .filter_text = filter_text};
	if (strcasecmp(compress, "deflate") && strcasecmp(compress, "zstd") &&
	    strcasecmp(compress, "lzw") && strcasecmp(compress, "none"))
		return err_set(ERR_INVALID, "--compress '%s': expected deflate, zstd, lzw or none",
		               compress);
	if ((rc = kde_kernel_parse(kernel, &e.kernel)) < 0)
		return rc;
	if (bbox) {
		if ((rc = parse_bbox(bbox, box)) < 0)
			return rc;
		e.bbox = box;
	}
	if ((rc = store_open(pos[0], 0, &st)) < 0)
		return rc;
	/* The offences only: no shapes, and the style only for its weights. */
	if ((rc = dataset_load(st, fo.tz, &ds)) < 0 ||
	    (rc = dataset_filter_parse(ds, &fo.text, &filter)) < 0 ||
	    (weighted && (rc = style_load(style_path, &sty)) < 0))
		goto out;
	if (weighted) {
		for (size_t i = 0; i < dataset_category_count(ds); i++)
			weights[i] = style_category_weight(sty, dataset_category(ds, i));
		e.weights = weights;
	}
	if ((rc = density_export_write(ds, &filter, &e, &res)) < 0)
		goto out;
	printf("%s: %dx%d cells of %g m in EPSG:%d, %.0f offences at %zu places, densest %.1f "
	       "per km2\n",
	       out, res.width, res.height, cell, res.epsg, res.offences, res.places,
	       res.max_density);
out:
	style_free(sty);
	dataset_free(ds);
	store_close(st);
	return rc;
}

int cmd_print(int argc, char **argv)
{
	const char *out = NULL, *mahalla = NULL, *paper = "a4", *lang = "uz";
	const char *format = NULL, *layers = NULL, *style_path = NULL;
	struct filter_opts fo = {0};
	struct print_request q = {0};
	const char *shift_hours = NULL, *date = NULL, *sort = NULL, *since = NULL,
	           *rules_path = NULL;
	double scale = 0, dpi = 0, bandwidth = 0, visit = param_print_visit.def,
	       every = param_print_every.def;
	long hotspots = (long)param_print_hotspots.def;
	int atlas = 0, landscape = 0, coverage = 0, roster = 0, backtest = 0, compare = 0, pack = 0;
	struct standing_rules rules;
	struct shift shift;
	struct backtestopts bo;
	backtestopts_defaults(&bo);
	const struct opt table[] = {
	    {"coverage", OPT_FLAG, &coverage, NULL,
	     "the coverage of a shift's hotspots by the services' zones", 0, 0, 0},
	    {"roster", OPT_FLAG, &roster, NULL, "the roster of a shift (PDF, or CSV for .csv)", 0,
	     0, 0},
	    {"backtest", OPT_FLAG, &backtest, NULL,
	     "the hotspot methods of a rolling backtest (an atlas's last page with --atlas)", 0, 0,
	     0},
	    {"compare", OPT_FLAG, &compare, NULL,
	     "the comparison table of the districts (of the mahallas of one --district)", 0, 0, 0},
	    {"sort", OPT_STRING, &sort, "MEASURE",
	     "compare: the rows' order (posbon compare --sort; default the codes)", 0, 0, 0},
	    {"shift", OPT_STRING, &shift_hours, "HH:MM-HH:MM",
	     "coverage, roster, backtest: the shift's hours; --weekdays are the days it starts on",
	     0, 0, 0},
	    {"date", OPT_STRING, &date, "YYYY-MM-DD",
	     "coverage, roster, backtest: the zones valid on this day", 0, 0, 0},
	    BACKTESTOPTS_TABLE(&bo),
	    OPT_PARAM(param_print_visit, &visit),
	    OPT_PARAM(param_print_every, &every),
	    {"mahalla", OPT_STRING, &mahalla, "CODE", "print this mahalla", 0, 0, 0},
	    {"atlas", OPT_FLAG, &atlas, NULL, "district overview and one page per mahalla", 0, 0,
	     0},
	    {"pack", OPT_FLAG, &pack, NULL,
	     "the mahalla meeting's pack: its map, then activities, open tasks, standing, "
	     "officials and at-risk counts",
	     0, 0, 0},
	    {"since", OPT_STRING, &since, "YYYY-MM-DD",
	     "pack: the activities since this day (the period's first)", 0, 0, 0},
	    {"standing-rules", OPT_STRING, &rules_path, "FILE",
	     "pack: the standing's criteria and suppress_below, JSON (built-in without)", 0, 0, 0},
	    {"output", OPT_STRING, &out, "FILE", "the PDF or PNG to write (required)", 0, 0, 'o'},
	    {"paper", OPT_STRING, &paper, "A4|A3", "paper size (A4)", 0, 0, 0},
	    {"landscape", OPT_FLAG, &landscape, NULL, "landscape instead of portrait", 0, 0, 0},
	    OPT_PARAM(param_print_scale, &scale),
	    {"lang", OPT_STRING, &lang, "uz|ru|en", "language of the page (uz)", 0, 0, 0},
	    {"layers", OPT_STRING, &layers, "LAYERS",
	     "layers joined by , or +: base, districts, mahallas, choropleth, heatmap, change, "
	     "gistar, trends, offences, zones, tracks (base,heatmap,zones,mahallas,districts)",
	     0, 0, 0},
	    {"format", OPT_STRING, &format, "pdf|png",
	     "output format (from the file name, else pdf)", 0, 0, 0},
	    OPT_PARAM(param_print_dpi, &dpi),
	    OPT_PARAM(param_print_hotspots, &hotspots),
	    OPT_PARAM(param_bandwidth, &bandwidth),
	    FILTER_OPTIONS(fo),
	    {"style", OPT_STRING, &style_path, "FILE",
	     "style file (default: styles/default.json of the share folder)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct print_result res = {0};
	struct backtest bt = {0};

	rc = opts_parse(
	    "print",
	    "DB (--district CODE [--atlas] | --mahalla CODE [--pack [--since DAY]] | --coverage | "
	    "--roster | --backtest | --compare) -o FILE",
	    "Prints a map of a district or mahalla at a true scale as a PDF (or PNG):\n"
	    "title, period, legend, scale bar, north arrow, offences by category and\n"
	    "the top hotspots. Without --from/--to: the 90 days up to the latest "
	    "offence.\n--coverage prints a shift's hotspots by the services covering them, with "
	    "the tables;\n--roster the units on duty with their zones, hotspots and target "
	    "minutes (their\nhotspots from the 8 weeks up to the latest offence without "
	    "--from/--to);\n--backtest the hit-rate curves and measures of the hotspot methods "
	    "(posbon backtest);\n--compare the comparison table of posbon compare;\n--pack a "
	    "mahalla meeting's pack: the map page, then its activities since --since,\nopen "
	    "tasks, standing and its history, officials and at-risk counts (small ones "
	    "withheld).",
	    table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1 || !out)
		return err_set(ERR_INVALID, "print needs DB and -o FILE (see posbon print --help)");
	if (!format) {
		size_t n = strlen(out);
		format = n > 4 && strcasecmp(out + n - 4, ".png") == 0   ? "png"
		         : n > 4 && strcasecmp(out + n - 4, ".csv") == 0 ? "csv"
		                                                         : "pdf";
	}
	if (coverage + roster + backtest + compare > 1)
		return err_set_field(
		    ERR_INVALID, "print",
		    "print: one of --coverage, --roster, --backtest and --compare");
	if (compare && (fo.text.hours || fo.text.weekdays))
		return err_set_field(ERR_INVALID, "print",
		                     "print: the comparison counts whole days, without --hours or "
		                     "--weekdays");
	if (sort && !compare)
		return err_set_field(ERR_INVALID, "print", "print: --sort goes with --compare");
	if (backtest && !atlas && (fo.text.from || fo.text.to))
		return err_set_field(ERR_INVALID, "print",
		                     "print: a backtest spans --folds and the weeks up to "
		                     "--end, not --from/--to");
	if (backtest && fo.text.hours)
		return err_set_field(ERR_INVALID, "print",
		                     "print: a backtest takes --shift, not --hours");
	if (backtest) {
		/* The weekdays are the shift's, as in posbon backtest. */
		bo.text.shift = shift_hours;
		bo.text.weekdays = fo.text.weekdays;
		bo.text.categories = fo.text.categories;
		bo.text.services = fo.text.services;
		fo.text.weekdays = NULL;
	} else if (coverage || roster) {
		/* The weekdays are the shift's, as in posbon hotspots and coverage. */
		if ((rc = shift_parse(shift_hours, fo.text.weekdays, &shift)) < 0)
			return rc;
		fo.text.weekdays = NULL;
	} else if (shift_hours || date) {
		return err_set_field(ERR_INVALID, "print",
		                     "print: --shift and --date go with --coverage, --roster "
		                     "or --backtest");
	}
	/* A comparison of several districts is of the filter's districts. */
	const char *district =
	    compare && fo.text.district && strchr(fo.text.district, ',') ? NULL : fo.text.district;
	q = (struct print_request){.kind = coverage             ? PRINT_COVERAGE
	                                   : roster             ? PRINT_ROSTER
	                                   : backtest && !atlas ? PRINT_BACKTEST
	                                   : compare            ? PRINT_COMPARE
	                                                        : PRINT_AREA,
	                           .shift = coverage || roster ? &shift : NULL,
	                           .date = date,
	                           .visit = visit,
	                           .every = every,
	                           .district = district,
	                           .mahalla = mahalla,
	                           .sort = sort,
	                           .atlas = atlas,
	                           .pack = pack,
	                           .since = since,
	                           .standing = &rules,
	                           .landscape = landscape,
	                           .scale = scale,
	                           .dpi = dpi,
	                           .bandwidth = bandwidth,
	                           .hotspots = hotspots > 0 ? (int)hotspots : -1,
	                           .printed_at = (int64_t)time(NULL)};
	standing_rules_default(&rules);
	if ((rules_path && (rc = standing_rules_load(rules_path, &rules)) < 0) ||
	    (rc = print_paper_parse(paper, &q.paper)) < 0 ||
	    (rc = print_lang_parse(lang, &q.lang)) < 0 ||
	    (rc = print_format_parse(format, &q.format)) < 0 ||
	    (layers && (rc = render_layers_parse(layers, &q.layers)) < 0))
		return rc;
	if ((rc = store_open(pos[0], 0, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, fo.tz, &r)) < 0 ||
	    (rc = dataset_filter_parse(renderer_dataset(r), &fo.text, &q.filter)) < 0 ||
	    (backtest && (rc = backtestopts_run(&bo, r, date, &bt)) < 0))
		goto out;
	q.backtest = backtest ? &bt : NULL;
	if ((rc = print_make(r, st, &q, &res)) < 0 || (rc = write_file(out, res.data, res.len)) < 0)
		goto out;
	/* Pages without a map (a roster, a backtest's) have no scale, a CSV no
	 * pages. */
	if (q.format == PRINT_CSV)
		printf("%s: %zu bytes\n", out, res.len);
	else if (!(res.scale > 0))
		printf("%s: %d page%s, %zu bytes\n", out, res.pages, res.pages == 1 ? "" : "s",
		       res.len);
	else
		printf("%s: %d page%s at 1:%.0f, %zu bytes\n", out, res.pages,
		       res.pages == 1 ? "" : "s", res.scale, res.len);
out:
	free(res.data);
	backtest_free(&bt);
	renderer_free(r);
	store_close(st);
	return rc;
}

/* "11-16" or "14" into the zooms of an export. */
static int parse_zooms(const char *text, int *minzoom, int *maxzoom)
{
	double z[2];
	if (numtext_list(text, '-', z, 2) < 0) {
		if (numtext_list(text, '-', z, 1) < 0)
			return err_set(ERR_INVALID, "--zooms '%s': expected Z-Z, e.g. 11-16", text);
		z[1] = z[0];
	}
	if (!(z[0] >= 0 && z[1] <= TILE_MAX_ZOOM) || z[0] != floor(z[0]) || z[1] != floor(z[1]))
		return err_set(ERR_INVALID, "--zooms '%s': zooms are 0 to %d", text, TILE_MAX_ZOOM);
	*minzoom = (int)z[0];
	*maxzoom = (int)z[1];
	if (*minzoom > *maxzoom)
		return err_set(ERR_INVALID, "--zooms '%s': the first zoom is above the last", text);
	return 0;
}

/* A day in the district's time zone, "-" for no time. */
static void local_day(const dataset *ds, int64_t utc, char *out, size_t n)
{
	if (utc == STORE_NO_TIME) {
		snprintf(out, n, "-");
		return;
	}
	time_t t = (time_t)(utc + tz_offset_at(dataset_zone(ds), utc));
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* The description of an export's metadata: layers, filter, period and when. */
static void describe_export(const dataset *ds, const char *layers, const struct filter_opts *fo,
                            const struct dataset_filter *f, char *out, size_t n)
{
	const char *names[] = {"from", "to", "hours", "weekdays", "categories", "services"};
	const char *values[] = {fo->text.from,     fo->text.to,         fo->text.hours,
	                        fo->text.weekdays, fo->text.categories, fo->text.services};
	char filter[1024] = "", from[16], to[16], now[32];
	size_t used = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (values[i] && *values[i] && used < sizeof filter)
			used += (size_t)snprintf(filter + used, sizeof filter - used, "%s%s %s",
			                         used ? ", " : "", names[i], values[i]);
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	local_day(ds, f->from != STORE_NO_TIME ? f->from : first, from, sizeof from);
	local_day(ds, f->to != STORE_NO_TIME ? f->to : last, to, sizeof to);
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(out, n, "layers %s; filter: %s; period %s to %s (%s); generated %s by posbon",
	         layers, used ? filter : "none", from, to, tz_name(dataset_zone(ds)), now);
}

/* Set by SIGINT and SIGTERM during an export: it stops, leaving no file. */
static atomic_int export_stop;

static void stop_export(int sig)
{
	(void)sig;
	atomic_store(&export_stop, 1);
}

/* Progress on stderr, a line rewritten at each whole percent. */
static void show_progress(void *ctx, long long done, long long total)
{
	int *shown = ctx, percent = (int)(100 * done / total);
	/* A terminal's line is rewritten; a log gets a line every tenth. */
	int tty = isatty(STDERR_FILENO);
	if (!tty)
		percent -= percent % 10;
	if (percent == *shown && done < total)
		return;
	*shown = percent;
	fprintf(stderr, "%sexport-tiles: %lld of %lld tiles (%d%%)%s", tty ? "\r" : "", done, total,
	        percent, done == total || !tty ? "\n" : "");
}

int cmd_export_tiles(int argc, char **argv)
{
	const char *out = NULL, *layers = NULL, *zooms = "11-16", *bbox = NULL, *name = NULL;
	const char *style_path = NULL;
	struct filter_opts fo = {0};
	long scale = 1, max_tiles = 100000, threads = 0;
	double bandwidth = 0;
	struct trends_opts to = {0};
	struct names_opts no = {NULL, 1};
	const struct opt table[] = {
	    {"output", OPT_STRING, &out, "FILE", "the MBTiles file to write (required)", 0, 0, 'o'},
	    {"layers", OPT_STRING, &layers, "LAYERS",
	     "layers joined by +, as posbon render draws them (required)", 0, 0, 0},
	    {"zooms", OPT_STRING, &zooms, "Z-Z", "zoom levels, e.g. 11-16 (the default) or 14", 0,
	     0, 0},
	    {"bbox", OPT_STRING, &bbox, "W,S,E,N", "lon/lat box (default: the district's extent)",
	     0, 0, 0},
	    {"scale", OPT_LONG, &scale, "N", "device pixels per pixel: 2 for 512-px tiles", 1, 4,
	     0},
	    {"max-tiles", OPT_LONG, &max_tiles, "N", "refuse exports of more tiles (100000)", 1,
	     1e9, 0},
	    {"threads", OPT_LONG, &threads, "N", "rendering threads (default: the cores)", 1, 256,
	     0},
	    {"name", OPT_STRING, &name, "TEXT", "the tile set's name (posbon LAYERS)", 0, 0, 0},
	    PICTURE_OPTIONS(fo, bandwidth, style_path),
	    TRENDS_OPTIONS(to),
	    NAMES_OPTIONS(no),
	    {0},
	};
	const char *pos[1];
	int npos, rc, shown = -1;
	store *st = NULL;
	renderer *r = NULL;
	mbtiles *mb = NULL;
	struct render_request q = {0};
	struct mbtiles_export e = {.progress = show_progress, .progress_ctx = &shown};
	struct mbtiles_stats stats;
	long long total;
	char description[2048], default_name[256];
	struct timespec t0, t1;

	rc = opts_parse("export-tiles",
	                "DB -o FILE --layers LAYERS [--zooms Z-Z] [--bbox W,S,E,N] [filters]",
	                "Renders every tile of the district at the zooms into one MBTiles 1.3 "
	                "file for\nQGIS, GDAL and offline viewers; fully transparent tiles are "
	                "left out.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1 || !out || !layers)
		return err_set(ERR_INVALID, "export-tiles needs DB, --layers and -o FILE (see "
		                            "posbon export-tiles --help)");
	if ((rc = render_layers_parse(layers, &q.layers)) < 0 ||
	    (rc = parse_zooms(zooms, &e.minzoom, &e.maxzoom)) < 0 ||
	    (bbox && (rc = parse_bbox(bbox, e.bounds)) < 0))
		return rc;
	e.tile_px = TILE_SIZE * (int)scale;
	e.threads = threads ? (int)threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	e.threads = e.threads < 1 ? 1 : e.threads;
	if ((rc = picture_open(pos[0], style_path, &fo, bandwidth, &to, &no, &st, &r, &q)) < 0)
		goto out;
	if (!bbox) {
		double m[4];
		dataset_extent(renderer_dataset(r), m);
		tile_merc_to_lonlat(m[0], m[1], &e.bounds[0], &e.bounds[1]);
		tile_merc_to_lonlat(m[2], m[3], &e.bounds[2], &e.bounds[3]);
	}
	if ((rc = mbtiles_count(&e, &total)) < 0) {
		rc = err_set(rc, "--bbox: %s", err_msg());
		goto out;
	}
	if (total > max_tiles) {
		rc = err_set(ERR_INVALID,
		             "--max-tiles: zooms %d-%d of this box make %lld tiles, more than %ld; "
		             "ask for fewer --zooms or a smaller --bbox",
		             e.minzoom, e.maxzoom, total, max_tiles);
		goto out;
	}
	if ((rc = mbtiles_create(out, &mb)) < 0) {
		rc = err_set(ERR_INVALID, "--output: %s", err_msg());
		goto out;
	}
	describe_export(renderer_dataset(r), layers, &fo, &q.filter, description,
	                sizeof description);
	snprintf(default_name, sizeof default_name, "posbon %s", layers);
	struct mbtiles_meta meta = {.name = name ? name : default_name,
	                            .description = description,
	                            .attribution = "posbon",
	                            .bounds = {e.bounds[0], e.bounds[1], e.bounds[2], e.bounds[3]},
	                            .minzoom = e.minzoom,
	                            .maxzoom = e.maxzoom};
	struct sigaction stop = {.sa_handler = stop_export}, old_int, old_term;
	sigemptyset(&stop.sa_mask);
	sigaction(SIGINT, &stop, &old_int);
	sigaction(SIGTERM, &stop, &old_term);
	e.stop = &export_stop;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = mbtiles_export(r, &q, &e, mb, &stats)) < 0) {
		mbtiles_discard(mb);
		if (shown >= 0)
			fputc('\n', stderr); /* end the progress line before the message */
	} else
		rc = mbtiles_finish(mb, &meta);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	if (rc < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%s: %lld tiles written, %lld empty skipped, %zu bytes, zooms %d-%d, %.1f s (%.0f "
	       "tiles/s on %d thread%s)\n",
	       out, stats.written, stats.empty, stats.bytes, e.minzoom, e.maxzoom, seconds,
	       (double)(stats.written + stats.empty) / seconds, e.threads,
	       e.threads == 1 ? "" : "s");
out:
	renderer_free(r);
	store_close(st);
	return rc;
}
