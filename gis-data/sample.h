/*
 * sample: a deterministic, realistic sample district (the demo data of
 * `make run` and the test data of everything downstream), or a city of them
 * (a directorate's view, and benchmarks up to a country: 200 districts,
 * 10,000 mahallas, 10 million offences).
 *
 * Writes one district near Tashkent (41.30°N 69.25°E, about 8 × 6 km), its
 * mahallas (a Voronoi tessellation clipped to the district, names in Uzbek
 * Latin, their Uzbek Cyrillic form in name_ru), offence categories and
 * services, a year of offences clustered around markets, transport stops,
 * night venues, schools, parks and main roads with near-repeats (each
 * geocoded to the address point of its 30 m parcel, so that records share
 * addresses as real ones do), patrol zones with their shift assignments
 * and a week of GPS patrol tracks. A city has several such districts side
 * by side (samplecity.h), each with all of that; codes begin with the
 * district's ("D03-M07"), and the offences are spread over the districts by
 * their population and a rate of their own, so that their figures differ.
 * Everything comes from one seeded PRNG of this module, so the same options
 * give the same database content on the same build; only bookkeeping
 * columns such as updated_at differ. One district is the same with this
 * generator as before it made cities.
 *
 * Times are generated in local time of Asia/Tashkent (UTC+5 all year, no DST
 * since 1992) and stored in UTC.
 *
 * Threading: sample_generate() uses only the store it is given and a GEOS
 * context of its own; it may run on any thread that owns that store.
 */
#ifndef POSBON_SAMPLE_H
#define POSBON_SAMPLE_H

#include "samplecity.h"
#include "store.h"

#include <stdint.h>

/* The bounds that sample_generate() accepts. */
#define SAMPLE_MAX_OFFENCES  20000000L /* drawn in memory first, 32 bytes each: 640 MB */
#define SAMPLE_MAX_DISTRICTS SAMPLECITY_MAX_DISTRICTS
#define SAMPLE_MIN_MAHALLAS  2
#define SAMPLE_MAX_MAHALLAS  50
#define SAMPLE_MIN_DAYS      7 /* the patrol tracks cover the last 7 days */
#define SAMPLE_MAX_DAYS      3660

/* How much ground (sampleground.h) each district gets. The houses are
 * nineteen in twenty of its rows and most of its cost: about 15,000 a
 * district, 0.8 s and 10 MB; a country of 200 districts is better made
 * with streets alone. */
enum sample_ground {
	SAMPLE_GROUND_FULL,    /* streets, houses and places */
	SAMPLE_GROUND_STREETS, /* streets and places, no houses */
	SAMPLE_GROUND_NONE,
};

struct sample_options {
	uint64_t seed;
	int districts;   /* number of districts: 1, or a city of them */
	long offences;   /* number of offence records, over all the districts */
	int mahallas;    /* number of mahallas of each district */
	int64_t end_day; /* UTC seconds of 00:00 local of the day after the last day */
	int days;        /* length of the period in days, ending with the last day */
	int64_t now;     /* the present, UTC seconds: nothing generated lies after it */
	enum sample_ground ground;
};

/* Seed 1, one district, 20,000 offences, 40 mahallas, 365 days ending
 * today (local), now from the clock, the full ground. A period whose last day has not ended stops
 * at the present minute: no offence, report or track lies after it. */
void sample_defaults(struct sample_options *o);

/* Sets *end_day to the end of the local day date ("YYYY-MM-DD"), that is
 * 00:00 Tashkent time of the next day in UTC seconds; date NULL means today.
 * ERR_INVALID quoting the value when it is not a calendar date. */
int sample_end_day(const char *date, int64_t *end_day);

/* Sets *ground from its name: "full", "streets" or "none"; ERR_INVALID
 * quoting the text otherwise. */
int sample_ground_parse(const char *text, enum sample_ground *ground);

/* What sample_generate() wrote. */
struct sample_report {
	long districts, mahallas, categories, services, offences, zones, tracks, fixes;
	long ground; /* reference features: streets, houses, places (sampleground.h) */
};

/* Generates the sample into st inside one transaction (rolled back on
 * failure), through the store's upserts only. st should be empty: existing
 * records with the same codes are updated. ERR_INVALID when an option is out
 * of its bounds; rep is filled on success. */
int sample_generate(store *st, const struct sample_options *o, struct sample_report *rep);

#endif
