/*
 * dataset: the offences that rendering needs, in memory.
 *
 * Loaded once from a store: every offence with a point, projected to Web
 * Mercator metres, with its time span, local hour and weekday (in the
 * district's time zone), category, service, mahalla and district as small
 * indices.
 * 48 bytes an offence. A uniform grid over the district indexes them: the
 * records are sorted by grid cell, so a tile's query reads a few contiguous
 * runs. Offences that arrive later (live ingest) are appended to a small
 * unsorted tail that every query also scans, and folded into the grid when
 * the tail grows; points far outside the district (geocoding errors) live in
 * an outlier list of their own so that they never stretch the grid.
 * Offences stored without a point but with a mahalla code are kept apart:
 * they count in their mahalla's figures, never on the map.
 *
 * Date filters use the middle of an offence's span. Hour and weekday
 * filters count aoristically (Ratcliffe 2002; docs/analysis.md, "Uncertain
 * times"): an offence known only between two times weighs the share of its
 * span that falls in the filter's hours of the week, an exact one 1 or 0.
 * Spans longer than the filter's span_limit (default 72 h) and offences
 * without a time weigh 0 once hours or weekdays are filtered. The span is
 * read in the zone's offset at its start (no DST change inside a span).
 *
 * Threading: any number of threads may query at once; dataset_sync(),
 * dataset_reload() and dataset_refresh_areas() take a write lock, and
 * dataset_filter_parse() a read lock for the codes.
 */
#ifndef POSBON_DATASET_H
#define POSBON_DATASET_H

#include "kde.h"
#include "shift.h"
#include "store.h"
#include "timeparse.h"
#include "utm.h"

#include <stddef.h>
#include <stdint.h>

typedef struct dataset dataset;

#define DATASET_MAX_CATEGORIES 1024
#define DATASET_MAX_SERVICES   256
#define DATASET_MAX_DISTRICTS  1024
#define DATASET_NONE           0xFFFF    /* no category / mahalla */
#define DATASET_UNKNOWN        0xFF      /* hour or weekday not known */
#define DATASET_GONE           0x80      /* precision flag of a replaced or deleted record */
#define DATASET_SPAN_LIMIT     (72 * 60) /* minutes: longer spans have no hour */
#define DATASET_SPAN_CAP       0xFFFF    /* span minutes stored; longer spans keep this */

/* One offence as rendering keeps it. */
struct dataset_offence {
	double x, y;          /* EPSG:3857 metres */
	int64_t id;           /* offences.id in the store */
	int64_t mid;          /* middle of the occurred span, UTC seconds; STORE_NO_TIME */
	uint16_t category;    /* index of dataset_category(), DATASET_NONE */
	uint16_t mahalla;     /* index of dataset_mahalla(), DATASET_NONE */
	uint8_t service;      /* index of dataset_service(), DATASET_UNKNOWN for none */
	uint8_t hour;         /* local hour 0..23 or DATASET_UNKNOWN */
	uint8_t weekday;      /* local weekday, 0 = Monday, or DATASET_UNKNOWN */
	uint8_t precision;    /* enum time_precision, | DATASET_GONE once deleted */
	uint16_t week_minute; /* local start of the span, minutes after Monday 00:00 */
	uint16_t span;        /* span length in minutes (0: exact), DATASET_SPAN_CAP at most */
	uint16_t district;    /* index of dataset_district(), DATASET_NONE */
};

/* Which offences a picture shows. */
struct dataset_filter {
	int64_t from, to; /* UTC seconds, inclusive; STORE_NO_TIME for open */
	uint32_t hours;   /* bit h = local hour h; CIVIL_ALL_HOURS: any hour */
	uint8_t weekdays; /* bit 0 = Monday; CIVIL_ALL_WEEKDAYS: any day */
	/* Hours of the week (bit d * 24 + h, d = 0 Monday) also required: all
	 * ones by default; a shift narrows it (dataset_filter_shift()). */
	uint64_t week[SHIFT_WEEK_WORDS];
	int span_limit; /* minutes; longer spans weigh 0 under hours or weekdays */
	uint64_t categories[DATASET_MAX_CATEGORIES / 64]; /* bit i = category i */
	uint64_t services[DATASET_MAX_SERVICES / 64];
	uint64_t districts[DATASET_MAX_DISTRICTS / 64];
	int no_category, no_service, no_district; /* also offences without one */
};

/* The filter as it comes from a command line or a query string; NULL or ""
 * fields mean "no restriction". */
struct dataset_filter_text {
	const char *from, *to;  /* "2026-01-01", "2026-01-01T08:00", ...: local time */
	const char *hours;      /* "20-08" */
	const char *weekdays;   /* "mon-fri" */
	const char *categories; /* "theft,robbery" */
	const char *services;   /* "ppx,youth" */
	const char *district;   /* "chilonzor,yunusobod": the territory */
	const char *region;     /* "tashkent_city": its districts (and district's within) */
	const char *span_limit; /* hours, "72": longest span counted by hour and weekday */
};

/* Loads every located offence of st, with local hours in the zone tzname
 * (NULL: the store's, store_time_zone()). *out is new; free with dataset_free(). */
int dataset_load(store *st, const char *tzname, dataset **out);

void dataset_free(dataset *ds);

/* Called with each offence a sync or reload takes in or lets go of, for
 * those who track where the data changed. Runs under the dataset's lock:
 * it must not call back into the dataset. */
typedef void (*dataset_seen_fn)(void *ctx, const struct dataset_offence *o);

/* Appends offences added to the store since the last load or sync (by id),
 * calling seen (may be NULL) for each. *added (may be NULL) receives how
 * many. */
int dataset_sync(dataset *ds, store *st, dataset_seen_fn seen, void *ctx, size_t *added);

/* Takes in the districts and regions stored since the load, and each
 * district's region and area as they are now, for the filters' codes and
 * areas (an import of areas while a daemon runs); the offences held keep
 * their districts. */
int dataset_refresh_areas(dataset *ds, store *st);

/* Brings offence id (a store id) up to date after a correction or a
 * deletion: its old copy is dropped and, when the store still has it, its
 * new state read; seen hears of both. */
int dataset_reload(dataset *ds, store *st, int64_t id, dataset_seen_fn seen, void *ctx);

/* The district's time zone that local hours and weekdays are read in;
 * borrowed for the dataset's lifetime. */
const tz *dataset_zone(const dataset *ds);

/* Number of offences held (with a point). */
size_t dataset_count(const dataset *ds);

/* Code of category/service/mahalla index i; NULL when out of range. Borrowed
 * for the dataset's lifetime. */
const char *dataset_category(const dataset *ds, size_t i);
const char *dataset_service(const dataset *ds, size_t i);
const char *dataset_mahalla(const dataset *ds, size_t i);
const char *dataset_district(const dataset *ds, size_t i);
size_t dataset_category_count(const dataset *ds);

/* Number of district codes known (every stored district, and codes offences
 * name). */
size_t dataset_district_count(const dataset *ds);

/* Index of a district code, or -1. */
int dataset_district_index(const dataset *ds, const char *code);

/* Whether f lets offences of district index i through: 1 when f names no
 * districts. */
int dataset_filter_has_district(const struct dataset_filter *f, size_t i);

/* Narrows f to district index i: what f let through of it, and nothing of
 * the other districts or of offences in none. */
void dataset_filter_district(struct dataset_filter *f, size_t i);

/* Narrows f's districts to those scope lets through. Returns 1 when f
 * named districts (or offences in none) beyond scope's, else 0: a request
 * for another territory, to refuse. */
int dataset_filter_within(struct dataset_filter *f, const struct dataset_filter *scope);

/* f's districts as codes joined by "," (new; free()), or NULL when f names
 * none (every district) or on no memory: the territory shapes.h's painters
 * take. */
char *dataset_filter_territory(const dataset *ds, const struct dataset_filter *f);

/* Whether f's territory holds a record of district code (NULL: of none),
 * such as a zone: 1 when f names no districts. */
int dataset_filter_holds(const dataset *ds, const struct dataset_filter *f, const char *code);

/* Whether f narrows the territory to some districts. */
int dataset_filter_scoped(const struct dataset_filter *f);

/* Index of a category code, or -1. */
int dataset_category_index(const dataset *ds, const char *code);

/* The extent of the district (districts and mahallas, else the offences
 * without outliers), EPSG:3857 metres: minx, miny, maxx, maxy. */
void dataset_extent(const dataset *ds, double out[4]);

/* The area in km² of f's districts (f NULL or naming none: every district,
 * else every mahalla; 0 when the store has neither), for densities
 * averaged over the territory a picture shows. */
double dataset_area_km2(const dataset *ds, const struct dataset_filter *f);

/* The first and last offence time (middles of spans), UTC seconds;
 * STORE_NO_TIME both when no offence has a time. */
void dataset_time_range(const dataset *ds, int64_t *first, int64_t *last);

/* Sum of the weights (as dataset_gather() weighs) of every offence passing
 * f, wherever it lies. */
double dataset_weighted_count(const dataset *ds, const struct dataset_filter *f,
                              const double *weights);

/* A filter that passes everything. */
void dataset_filter_all(struct dataset_filter *f);

/* Parses t into f. ERR_INVALID naming the field ("hours: '25-3' is ..."). */
int dataset_filter_parse(const dataset *ds, const struct dataset_filter_text *t,
                         struct dataset_filter *f);

/* How much of o passes f, 0..1: 0 when o fails the period, category or
 * service; else the share of o's span in f's hours of the week (hours x
 * weekdays x week), aoristically as the header says. */
double dataset_filter_weight(const struct dataset_filter *f, const struct dataset_offence *o);

/* The share of o's span (its hour when exact) in the hours-of-week mask
 * week (SHIFT_WEEK_WORDS words), 0 for a span longer than limit minutes
 * or an offence without a time; 1 when week holds every hour. */
double dataset_week_share(const struct dataset_offence *o, const uint64_t *week, int limit);

/* Calls fn for every offence inside bbox (minx, miny, maxx, maxy, metres)
 * that passes f; fn returns 0 to go on, anything else stops the walk and is
 * returned. The record is borrowed for the call. */
int dataset_each(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                 int (*fn)(void *ctx, const struct dataset_offence *o), void *ctx);

/* dataset_each() that also hands fn the offence's dataset_filter_weight(). */
int dataset_each_weighted(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                          int (*fn)(void *ctx, const struct dataset_offence *o, double w),
                          void *ctx);

/* Number of mahalla codes known (every stored mahalla, and codes offences
 * name); counts arrays have this many entries. */
size_t dataset_mahalla_count(const dataset *ds);

/* Index of a mahalla code, or -1. */
int dataset_mahalla_index(const dataset *ds, const char *code);

/* Offences passing f per mahalla index (weighted as dataset_gather() does),
 * including those stored without a point but with a mahalla code: fills
 * counts[0 .. dataset_mahalla_count() - 1]. */
void dataset_mahalla_counts(const dataset *ds, const struct dataset_filter *f,
                            const double *weights, double *counts);

/* Offences passing f (in mahalla index `mahalla`, or everywhere when it is
 * -1), counted by their filter weight, including those without a point; by_category (entries for
 * dataset_category_count()) and by_service (dataset_service_count()) get
 * the counts per index when not NULL. Returns the total. */
double dataset_tally(const dataset *ds, const struct dataset_filter *f, int mahalla,
                     double *by_category, double *by_service);

/* A table that dataset_tally_table() fills: rows of districts or mahallas,
 * columns of periods (spans) by category. */
struct dataset_table {
	int by_mahalla; /* an offence's row is that of its mahalla index, else of its district's */
	const int *row_of; /* row of index k < n_keys, or -1: none */
	size_t n_keys, n_rows;
	const int64_t *from, *to; /* span s: UTC seconds, inclusive; STORE_NO_TIME open */
	size_t n_spans;
	size_t n_categories; /* category indices counted by category; others count in total only */
	/* Caller-owned, overwritten: total[r * n_spans + s] and
	 * by_category[(r * n_spans + s) * n_categories + c], for rows r <
	 * n_rows and r = n_rows, the row of every offence passing (a row or
	 * none): (n_rows + 1) x n_spans and that x n_categories entries. */
	double *total, *by_category;
};

/* dataset_tally() of every row and span of t at once, in one pass over the
 * offences (a table of many rows costs what one tally costs): each offence
 * passing f with its period replaced by span s counts, by its filter
 * weight, in span s of its row and of the row of all. */
void dataset_tally_table(const dataset *ds, const struct dataset_filter *f,
                         struct dataset_table *t);

size_t dataset_service_count(const dataset *ds);

/* Points for kernel density: a growable, caller-owned buffer. */
struct dataset_points {
	struct kde_point *pts;
	double *w;
	size_t n, cap;
};

/* Replaces out's content with the points inside bbox that pass f, weighted by
 * weights[category] (NULL: all 1; offences without a category weigh 1) times
 * their dataset_filter_weight(). Offences at the same place are one point
 * with the sum of their weights (the kernel's sum is the same, its cost
 * less); places in the unsorted tail may still come more than once. */
int dataset_gather(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                   const double *weights, struct dataset_points *out);

void dataset_points_free(struct dataset_points *p);

/* Replaces out's content with the offences of ds passing f that lie inside
 * the box of u's frame, in frame metres, weighted as dataset_gather() weighs. */
int dataset_gather_utm(const dataset *ds, utm *u, const double box[4],
                       const struct dataset_filter *f, const double *weights,
                       struct dataset_points *out);

/* Lifts f's hours and weekdays, for a shift to choose the times: the
 * weekdays are then the days the shift starts on, not the offences'. */
void dataset_filter_any_time(struct dataset_filter *f);

/* Narrows f to the hours of the week of s: dataset_filter_weight() then
 * gives an offence's aoristic share of the shift (and of f's hours). */
void dataset_filter_shift(struct dataset_filter *f, const struct shift *s);

/* The share of o's span in s (1 or 0 for an exact time, 0 for a span longer
 * than limit minutes). Builds the mask on each call: walks over many
 * offences use dataset_filter_shift(). */
double dataset_shift_weight(const struct dataset_offence *o, const struct shift *s, int limit);

#endif
