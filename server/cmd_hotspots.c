/*
 * posbon hotspots: the hotspots of a shift as a table for the planner, or
 * as GeoJSON for the viewer, QGIS or the print module.
 */
#include "commands.h"
#include "err.h"
#include "hotspot.h"
#include "opts.h"
#include "render.h"
#include "store.h"

#include <stdio.h>
#include <time.h>

#ifndef POSBON_STYLE_DEFAULT
#define POSBON_STYLE_DEFAULT "styles/default.json"
#endif

static void utc_day(int64_t t, char *buf, size_t n)
{
	if (t == STORE_NO_TIME) {
		snprintf(buf, n, "open");
		return;
	}
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%MZ", &tm);
}

static void print_table(const struct hotspot_set *s, const dataset *ds, long top)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	char shift[64] = "every hour", from[32], to[32];
	if (s->has_shift)
		shift_format(&s->shift, shift, sizeof shift);
	utc_day(s->filter.from, from, sizeof from);
	utc_day(s->filter.to, to, sizeof to);
	printf("shift %s, %s .. %s: %zu offences\n", shift, from, to, s->offences);
	printf("the densest %g%% of %.2f km2 (%g m cells, %s kernel of %g m): density >= %.1f "
	       "offences per km2 over the period\n",
	       s->share * 100, s->district_area_m2 / 1e6, s->cell, kde_kernel_name(s->kernel),
	       s->bandwidth, s->threshold);
	printf("%4s %8s %7s %9s %10s  %-16s %-12s %s\n", "rank", "offences", "share", "area ha",
	       "peak/km2", "top category", "busiest hour", "busiest day");
	for (size_t i = 0; i < s->n && (top <= 0 || (long)i < top); i++) {
		const struct hotspot *h = &s->items[i];
		int c = hotspot_top_category(s, h), hour = hotspot_busiest_hour(h);
		int day = hotspot_busiest_weekday(h);
		char busiest[16] = "-";
		if (hour >= 0)
			snprintf(busiest, sizeof busiest, "%02d:00", hour);
		printf("%4d %8zu %6.1f%% %9.2f %10.1f  %-16s %-12s %s\n", h->rank, h->offences,
		       h->share * 100, h->area_m2 / 1e4, h->peak,
		       c >= 0 ? dataset_category(ds, (size_t)c) : "-", busiest,
		       day >= 0 ? days[day] : "-");
	}
	if (!s->n)
		printf("(no hotspots: no offence in the period and shift)\n");
}

/* Writes the set's first top hotspots (all when top <= 0) as GeoJSON. */
static int write_geojson(const struct hotspot_set *s, const dataset *ds, long top, const char *path)
{
	json_t *fc;
	int rc = hotspot_geojson(s, ds, &fc);
	if (rc < 0)
		return rc;
	json_t *features = json_object_get(fc, "features");
	while (top > 0 && json_array_size(features) > (size_t)top)
		json_array_remove(features, json_array_size(features) - 1);
	if (json_dump_file(fc, path, JSON_COMPACT) < 0)
		rc = err_set(ERR_IO, "%s: cannot write", path);
	else
		printf("%s: %zu hotspots of %zu, %zu offences\n", path, json_array_size(features),
		       s->n, s->offences);
	json_decref(fc);
	return rc;
}

int cmd_hotspots(int argc, char **argv)
{
	const char *hours = NULL, *days = NULL, *out = NULL, *tz = NULL;
	const char *style_path = POSBON_STYLE_DEFAULT;
	struct dataset_filter_text ft = {0};
	double share = HOTSPOT_DEFAULT_SHARE, cell = HOTSPOT_DEFAULT_CELL, bandwidth = 0;
	long top = 0;
	const struct opt table[] = {
	    {"shift", OPT_STRING, &hours, "H-H",
	     "shift hours, e.g. 18:00-02:00 or 18-02 (default: the whole day)", 0, 0, 0},
	    {"weekdays", OPT_STRING, &days, "DAYS",
	     "days the shift starts on, e.g. fri or fri-sun (default: every day)", 0, 0, 0},
	    {"from", OPT_STRING, &ft.from, "DATE",
	     "first day or time (local; default: 8 weeks before --to)", 0, 0, 0},
	    {"to", OPT_STRING, &ft.to, "DATE",
	     "last day or time (local; default: the latest offence)", 0, 0, 0},
	    {"categories", OPT_STRING, &ft.categories, "CODES", "offence categories", 0, 0, 0},
	    {"services", OPT_STRING, &ft.services, "CODES", "registering services", 0, 0, 0},
	    {"share", OPT_DOUBLE, &share, "S", "share of the district's area (0.03)", 0.0001, 1, 0},
	    {"cell", OPT_DOUBLE, &cell, "METRES", "grid cell size (25)", 1, 1000, 0},
	    {"bandwidth", OPT_DOUBLE, &bandwidth, "METRES",
	     "density bandwidth (the style's heatmap)", 10, 20000, 0},
	    {"top", OPT_LONG, &top, "N", "only the first N hotspots", 1, 100000, 0},
	    {"output", OPT_STRING, &out, "FILE", "write GeoJSON instead of the table", 0, 0, 'o'},
	    {"style", OPT_STRING, &style_path, "FILE", "style for the kernel and bandwidth", 0, 0,
	     0},
	    {"tz", OPT_STRING, &tz, "ZONE", "time zone of the district (Asia/Tashkent)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct shift sh;
	struct hotspot_set set = {0};

	rc = opts_parse("hotspots", "DB [--shift 18:00-02:00] [--weekdays fri-sun] [options]",
	                "Ranks the hotspots of a shift: the connected areas of highest offence "
	                "density that\nmake up the densest --share of the district, numbered by "
	                "the offences inside.\nWithout --from and --to the training period is the "
	                "8 weeks ending at the latest offence.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "hotspots needs the database path (see posbon hotspots --help)");
	if ((rc = shift_parse(hours, days, &sh)) < 0)
		return rc;
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, tz, &r)) < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	const struct style_heatmap *hm = style_heatmap(renderer_style(r));
	struct hotspot_params p = {.shift = hours || days ? &sh : NULL,
	                           .share = share,
	                           .cell = cell,
	                           .kernel = hm ? hm->kernel : KDE_QUARTIC,
	                           .bandwidth = bandwidth ? bandwidth
	                                        : hm      ? hm->bandwidth
	                                                  : 0};
	if ((rc = dataset_filter_parse(ds, &ft, &p.filter)) < 0)
		goto out;
	hotspot_default_period(ds, &p.filter);
	struct held_shapes *held;
	rc = hotspot_find(ds, renderer_shapes_acquire(r, &held), &p, &set);
	renderer_shapes_release(r, held);
	if (rc < 0)
		goto out;
	if (out)
		rc = write_geojson(&set, ds, top, out);
	else
		print_table(&set, ds, top);
out:
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	return rc;
}
