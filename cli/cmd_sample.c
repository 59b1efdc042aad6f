/*
 * posbon sample: writes the sample district of gis-data/sample.h into a new
 * database (the demo data of `make run`). With an explicit --end of a day
 * that is over the result is fully deterministic; without it the period ends
 * at the present minute of today, so that the demo looks live and nothing in
 * it lies in the future.
 */
#include "commands.h"
#include "err.h"
#include "opts.h"
#include "sample.h"
#include "store.h"

#include <stdio.h>
#include <time.h>

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int cmd_sample(int argc, char **argv)
{
	struct sample_options so;
	struct sample_report rep;
	struct store_summary sum;
	struct timespec t0;
	store *st = NULL;
	const char *pos[1], *end = NULL, *ground = "full";
	int npos, rc;

	sample_defaults(&so);
	long seed = (long)so.seed, offences = so.offences, mahallas = so.mahallas, days = so.days;
	long districts = so.districts;
	const struct opt table[] = {
	    {"seed", OPT_LONG, &seed, "N", "seed of the generator (default 1)", 0, 999999, 0},
	    {"districts", OPT_LONG, &districts, "N",
	     "districts side by side, a city of them (default 1)", 1, SAMPLE_MAX_DISTRICTS, 0},
	    {"offences", OPT_LONG, &offences, "N",
	     "offence records, over all the districts (default 20000)", 0, SAMPLE_MAX_OFFENCES, 0},
	    {"mahallas", OPT_LONG, &mahallas, "N", "mahallas of each district (default 40)",
	     SAMPLE_MIN_MAHALLAS, SAMPLE_MAX_MAHALLAS, 0},
	    {"end", OPT_STRING, &end, "YYYY-MM-DD",
	     "last day of the period (default today; a day not over yet ends now)", 0, 0, 0},
	    {"ground", OPT_STRING, &ground, "full|streets|none",
	     "each district's streets, houses and places; streets: without the houses, which "
	     "are 19 rows in 20 (full)",
	     0, 0, 0},
	    {"days", OPT_LONG, &days, "N", "length of the period in days (default 365)",
	     SAMPLE_MIN_DAYS, SAMPLE_MAX_DAYS, 0},
	    {0}};
	rc = opts_parse("sample", "DB [options]",
	                "Generates a realistic sample district, or a city of them, into a new "
	                "database: mahallas, a period of offences, patrol zones and a week of "
	                "patrol tracks. The same options give the same data.",
	                table, argc, argv, pos, 1, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 1)
		return err_set(ERR_INVALID,
		               "sample needs the database path (see posbon sample --help)");
	if (end && sample_end_day(end, &so.end_day) < 0)
		return err_set(ERR_INVALID,
		               "--end: '%s' is not a calendar date YYYY-MM-DD after 1970", end);
	if (sample_ground_parse(ground, &so.ground) < 0)
		return err_set(ERR_INVALID, "--ground: '%s' is not full, streets or none", ground);
	so.seed = (uint64_t)seed;
	so.districts = (int)districts;
	so.offences = offences;
	so.mahallas = (int)mahallas;
	so.days = (int)days;

	if ((rc = store_open(pos[0], STORE_CREATE, &st)) < 0)
		return rc;
	if ((rc = store_summarize(st, &sum)) < 0)
		goto out;
	if (sum.districts || sum.mahallas || sum.offences) {
		rc = err_set(ERR_CONFLICT,
		             "%s already holds data (%ld districts, %ld mahallas, %ld offences); "
		             "the sample goes only into a new database (give a new file name)",
		             pos[0], sum.districts, sum.mahallas, sum.offences);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = sample_generate(st, &so, &rep)) < 0)
		goto out;
	printf("%s: %ld district%s, %ld mahallas, %ld categories, %ld services, %ld offences over "
	       "%d days ending %s, %ld patrol zones, %ld tracks (%ld fixes), %ld streets, houses "
	       "and places; seed %ld, %.1f s\n",
	       pos[0], rep.districts, rep.districts == 1 ? "" : "s", rep.mahallas, rep.categories,
	       rep.services, rep.offences, so.days, end ? end : "today", rep.zones, rep.tracks,
	       rep.fixes, rep.ground, seed, seconds_since(&t0));
out:
	store_close(st);
	return rc;
}
