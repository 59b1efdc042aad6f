/*
 * posbon dosage: minutes and visits of the patrols in the hotspots of a
 * shift, from the GPS tracks, as a table for the planner or as GeoJSON.
 */
#include "commands.h"
#include "dosage.h"
#include "err.h"
#include "hotspot.h"
#include "opts.h"
#include "params.h"
#include "render.h"
#include "store.h"

#include <stdio.h>

static void print_table(const struct dosage_result *r, const struct hotspot_set *set,
                        const char *from, const char *to)
{
	char shift[64] = "the whole day";
	if (set->has_shift)
		shift_format(&set->shift, shift, sizeof shift);
	printf("shift %s, %s .. %s: %zu occurrences, %zu tracks, %zu fixes\n", shift, from, to,
	       r->occurrences, r->tracks, r->fixes);
	printf("target: %ld visit(s) of %g minutes per hotspot and shift\n", r->target_visits,
	       r->target_minutes);
	printf("%4s %-9s %8s %6s %5s %5s  %s\n", "rank", "status", "minutes", "visits", "full",
	       "met", "units (minutes/visits)");
	for (size_t i = 0; i < r->n; i++) {
		const struct dosage_hotspot *h = &r->items[i];
		printf("%4d %-9s %8.1f %6u %5u %2u/%-2zu ", h->rank, dosage_status_name(h->status),
		       h->seconds / 60, h->visits, h->full_visits, h->occurrences_met,
		       r->occurrences);
		for (size_t u = 0; u < h->n_units; u++)
			printf(" %s %.1f/%u", h->units[u].unit, h->units[u].seconds / 60,
			       h->units[u].visits);
		printf("%s\n", h->n_units ? "" : " -");
	}
	if (!r->n)
		printf("(no hotspots: no offence in the training period and shift)\n");
}

int cmd_dosage(int argc, char **argv)
{
	const char *hours = NULL, *days = NULL, *out = NULL, *tzname = NULL;
	const char *date = NULL, *from = NULL, *to = NULL;
	const char *style_path = NULL;
	double target = DOSAGE_DEFAULT_TARGET_MINUTES, share = 0, cell = 0;
	long visits = DOSAGE_DEFAULT_TARGET_VISITS, interp = DOSAGE_MAX_INTERP;
	const struct opt table[] = {
	    {"shift", OPT_STRING, &hours, "H-H",
	     "shift hours, e.g. 18:00-02:00 (default: the whole day)", 0, 0, 0},
	    {"weekdays", OPT_STRING, &days, "DAYS",
	     "days the shift starts on, e.g. fri-sun (default: every day)", 0, 0, 0},
	    {"date", OPT_STRING, &date, "YYYY-MM-DD", "the one day the shift starts on", 0, 0, 0},
	    {"from", OPT_STRING, &from, "YYYY-MM-DD", "first day (default: 6 days before --to)", 0,
	     0, 0},
	    {"to", OPT_STRING, &to, "YYYY-MM-DD", "last day (default: today)", 0, 0, 0},
	    OPT_PARAM(param_dosage_target, &target),
	    OPT_PARAM(param_dosage_visits, &visits),
	    {"interpolate", OPT_LONG, &interp, "SECONDS",
	     "longest silence between fixes still joined (60)", 1, 600, 0},
	    OPT_PARAM_HELP(param_hotspot_share, &share,
	                   "hotspots: share of the district's area (0.03)"),
	    OPT_PARAM_HELP(param_hotspot_cell, &cell, "hotspots: grid cell size (25)"),
	    {"output", OPT_STRING, &out, "FILE", "write GeoJSON instead of the table", 0, 0, 'o'},
	    {"style", OPT_STRING, &style_path, "FILE", "style for the kernel and bandwidth", 0, 0,
	     0},
	    {"tz", OPT_STRING, &tzname, "ZONE",
	     "time zone of local times (the districts' stored one, else Asia/Tashkent)", 0, 0, 0},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct shift sh;
	struct hotspot_set set = {0};
	struct dosage_result res = {0};
	json_t *fc = NULL;

	rc = opts_parse("dosage",
	                "DB [--shift 18:00-02:00] [--weekdays fri] [--date D | --from D --to D]",
	                "Minutes present and visits of the patrol units in each hotspot of a "
	                "shift, from\nthe GPS tracks, against a target visit length (Koper: "
	                "about 11-15 minutes).\nHotspots visited too little or not at all come "
	                "first. The hotspots are those of\nthe shift over the 8 weeks ending at "
	                "the latest offence (posbon hotspots).",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "dosage needs the database path (see posbon dosage --help)");
	if (date && (from || to))
		return err_set(ERR_INVALID, "--date: give either --date or --from/--to");
	if ((rc = shift_parse(hours, days, &sh)) < 0)
		return rc;
	if ((rc = store_open(pos[0], STORE_READONLY, &st)) < 0)
		return rc;
	if ((rc = renderer_open(st, style_path, tzname, &r)) < 0)
		goto out;
	const dataset *ds = renderer_dataset(r);
	struct dosage_params dp = {.shift = hours || days ? &sh : NULL,
	                           .zone = dataset_zone(ds),
	                           .target_minutes = target,
	                           .target_visits = visits,
	                           .max_interp = interp};
	if ((rc = dosage_day(dp.zone, date ? "date" : "to", date ? date : to, &dp.to_day)) < 0)
		goto out;
	dp.from_day = dp.to_day - (date ? 0 : 6);
	if (from && (rc = dosage_day(dp.zone, "from", from, &dp.from_day)) < 0)
		goto out;
	struct hotspot_params hp = {.shift = dp.shift, .share = share, .cell = cell};
	renderer_kernel(r, &hp.kernel, &hp.bandwidth);
	if ((rc = dataset_filter_parse(ds, &(struct dataset_filter_text){0}, &hp.filter)) < 0)
		goto out;
	hotspot_default_period(ds, &hp.filter);
	struct held_shapes *held;
	rc = hotspot_find(ds, renderer_shapes_acquire(r, &held), &hp, &set);
	renderer_shapes_release(r, held);
	if (rc < 0 || (rc = dosage_from_store(st, &set, &dp, &res)) < 0)
		goto out;
	if (!out) {
		char d0[16], d1[16];
		dosage_day_text(res.from_day, d0, sizeof d0);
		dosage_day_text(res.to_day, d1, sizeof d1);
		print_table(&res, &set, d0, d1);
		goto out;
	}
	if ((rc = dosage_geojson(&res, &set, ds, &fc)) < 0)
		goto out;
	if (json_dump_file(fc, out, JSON_COMPACT) < 0)
		rc = err_set(ERR_IO, "%s: cannot write", out);
	else
		printf("%s: %zu hotspots, %zu occurrences, %zu tracks\n", out, res.n,
		       res.occurrences, res.tracks);
out:
	json_decref(fc);
	dosage_result_free(&res);
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	return rc;
}
