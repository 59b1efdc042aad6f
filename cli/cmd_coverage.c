/*
 * posbon coverage: which services' zones cover the hotspots of a shift, as
 * tables for the planner or as the JSON or CSV of GET /api/coverage.
 */
#include "commands.h"
#include "coverage.h"
#include "err.h"
#include "opts.h"
#include "shiftopts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void print_groups(const char *title, const struct coverage_group *g, size_t n, int units)
{
	printf("\n%s\n%-12s %-12s %5s %9s %8s %8s %8s %6s\n", title, "service", units ? "unit" : "",
	       "zones", "area ha", "area %", "offences", "hotspot", "PAI");
	for (size_t i = 0; i < n; i++) {
		char pai[16] = "-";
		if (isfinite(g[i].pai))
			snprintf(pai, sizeof pai, "%.2f", g[i].pai);
		printf("%-12s %-12s %5zu %9.2f %7.2f%% %7.1f%% %7.1f%% %6s\n", g[i].service,
		       units && g[i].unit ? g[i].unit : "", g[i].zones, g[i].zone_area_m2 / 1e4,
		       g[i].area_share * 100, g[i].offence_share * 100,
		       g[i].hotspot_offence_share * 100, pai);
	}
	if (!n)
		printf("(no zone in play on this shift)\n");
}

/* "zone service/unit" of assignment k. */
static void print_assignment(const struct coverage *c, size_t k, const char *sep)
{
	const struct coverage_assignment *a = &c->assignments[k];
	printf("%s%s %s%s%s", sep, a->z->external_id, a->a->service, a->a->unit ? "/" : "",
	       a->a->unit ? a->a->unit : "");
}

static void print_tables(const struct coverage *c)
{
	char shift[64] = "every hour";
	if (c->set->has_shift)
		shift_format(&c->set->shift, shift, sizeof shift);
	printf("shift %s%s%s: %.10g offences, %.10g in hotspots, %.10g inside zones in play (%zu "
	       "zones)\n",
	       shift, c->date ? " on " : "", c->date ? c->date : "", c->offences,
	       c->hotspot_offences, c->offences_in_zones, c->zones);
	printf("hotspots: %zu gaps, %zu covered, %zu joint, %zu overlaps\n\n",
	       c->counts[COVERAGE_GAP], c->counts[COVERAGE_COVERED], c->counts[COVERAGE_JOINT],
	       c->counts[COVERAGE_OVERLAP]);
	printf("%4s %8s %9s  %-8s %s\n", "rank", "offences", "area ha", "status",
	       "covered by (zone service/unit)");
	for (size_t i = 0; i < c->n_hotspots; i++) {
		const struct coverage_hotspot *h = &c->hotspots[i];
		printf("%4d %8.1f %9.2f  %-8s", h->h->rank, h->h->offences, h->h->area_m2 / 1e4,
		       coverage_status_name(h->status));
		for (size_t j = 0; j < h->n_covered_by; j++)
			print_assignment(c, h->covered_by[j], j ? ", " : " ");
		printf("\n");
	}
	if (!c->n_hotspots)
		printf("(no hotspots: no offence in the period and shift)\n");
	print_groups("per unit (area: of the district; offences: of the shift's, of the "
	             "hotspots')",
	             c->units, c->n_units, 1);
	print_groups("per service", c->services, c->n_services, 0);
	printf("\nresponsibility per mahalla (zones meeting it on this shift)\n");
	for (size_t m = 0; m < c->n_mahallas; m++) {
		const struct coverage_mahalla *cm = &c->mahallas[m];
		printf("%-10s %-24s", cm->area->code ? cm->area->code : "-",
		       cm->area->name_uz ? cm->area->name_uz : "");
		for (size_t j = 0; j < cm->n; j++)
			print_assignment(c, cm->assignments[j], j ? ", " : " ");
		printf("%s\n", cm->n ? "" : " nobody");
	}
}

static int write_output(const struct coverage *c, const char *format, const char *path)
{
	FILE *f = path ? fopen(path, "w") : stdout;
	int rc = 0;
	if (!f)
		return err_set(ERR_IO, "%s: cannot write", path);
	if (strcmp(format, "csv") == 0) {
		rc = coverage_csv(c, f);
	} else if (strcmp(format, "json") == 0) {
		json_t *o;
		if ((rc = coverage_json(c, &o)) == 0) {
			if (json_dumpf(o, f, JSON_COMPACT) < 0)
				rc = err_set(ERR_IO, "%s: cannot write", path ? path : "stdout");
			json_decref(o);
		}
	} else {
		print_tables(c);
	}
	if (path && fclose(f) != 0 && rc == 0)
		rc = err_set(ERR_IO, "%s: cannot write", path);
	return rc;
}

int cmd_coverage(int argc, char **argv)
{
	const char *out = NULL, *format = "table", *date = NULL;
	struct shiftopts so;
	shiftopts_defaults(&so);
	const struct opt table[] = {
	    SHIFTOPTS_TABLE(&so),
	    {"date", OPT_STRING, &date, "YYYY-MM-DD",
	     "planning date: only zones valid on it (default: any)", 0, 0, 0},
	    {"format", OPT_STRING, &format, "table|json|csv", "what to write (table)", 0, 0, 0},
	    {"output", OPT_STRING, &out, "FILE", "write to FILE instead of stdout", 0, 0, 'o'},
	    {0},
	};
	const char *pos[1];
	int npos, rc;
	store *st = NULL;
	renderer *r = NULL;
	struct hotspot_set set = {0};
	struct coverage cov = {0};

	rc = opts_parse("coverage", "DB [--shift 18:00-02:00] [--weekdays fri] [options]",
	                "Which services' patrol zones cover the hotspots of a shift: gaps, "
	                "overlaps and joint\npatrols per hotspot; per unit and service the zone "
	                "area, the shares of the shift's and\nthe hotspots' offences inside its "
	                "zones and their PAI; per mahalla who has zones there.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "coverage needs the database path (see posbon coverage --help)");
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "csv") != 0)
		return err_set(ERR_INVALID, "--format: '%s' is not table, json or csv", format);
	if ((rc = shiftopts_find(&so, pos[0], &st, &r, &set)) < 0)
		goto out;
	struct held_shapes *held;
	const shapes *sh = renderer_shapes_acquire(r, &held);
	struct coverage_params p = {.date = date};
	rc = coverage_compute(renderer_dataset(r), sh, &set, &p, &cov);
	if (rc == 0)
		rc = write_output(&cov, format, out);
	coverage_free(&cov);
	renderer_shapes_release(r, held);
out:
	hotspot_set_free(&set);
	renderer_free(r);
	store_close(st);
	return rc;
}
