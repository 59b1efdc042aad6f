/*
 * posbon hotspots: the hotspots of a shift as a table for the planner, or
 * as GeoJSON for the viewer, QGIS or the print module.
 */
#include "commands.h"
#include "err.h"
#include "hotspot.h"
#include "opts.h"
#include "render.h"
#include "shiftopts.h"
#include "store.h"

#include <stdio.h>
#include <time.h>

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
	printf("shift %s, %s .. %s: %.10g offences\n", shift, from, to, s->offences);
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
		printf("%4d %8.1f %6.1f%% %9.2f %10.1f  %-16s %-12s %s\n", h->rank, h->offences,
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
		printf("%s: %zu hotspots of %zu, %.10g offences\n", path, json_array_size(features),
		       s->n, s->offences);
	json_decref(fc);
	return rc;
}

int cmd_hotspots(int argc, char **argv)
{
	const char *out = NULL;
	struct shiftopts so;
	long top = 0;
	shiftopts_defaults(&so);
	const struct opt table[] = {
	    SHIFTOPTS_TABLE(&so),
	    {"top", OPT_LONG, &top, "N", "only the first N hotspots", 1, 100000, 0},
	    {"output", OPT_STRING, &out, "FILE", "write GeoJSON instead of the table", 0, 0, 'o'},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
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
	if ((rc = shiftopts_find(&so, pos[0], &st, &r, &set)) < 0)
		goto out;
	if (out)
		rc = write_geojson(&set, renderer_dataset(r), top, out);
	else
		print_table(&set, renderer_dataset(r), top);
out:
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	return rc;
}
