/*
 * dosage: how long patrols actually stayed in the hotspots of a shift.
 *
 * From GPS tracks (a time on every fix) and a hotspot set (hotspot.h), for
 * the occurrences of a shift on a range of local days: per hotspot and
 * unit, the minutes present and the visits, against a target visit length
 * (docs/planning.md, "Dosage"; after Koper's analysis of the Minneapolis
 * hot-spots experiment, visits of about 11-15 minutes).
 *
 * Presence: between two fixes at most DOSAGE_MAX_INTERP seconds apart (or
 * the max_interp given) the
 * unit moves linearly from one to the other, and the time is split exactly
 * where that line crosses the hotspot grid's cell boundaries (each piece
 * takes the hotspot of its middle, hotspot_index_at()). Fixes further apart
 * are not joined: the unit is present nowhere between them. Presence is
 * clipped to the shift's occurrences (a shift on a day runs from its start
 * on that local day, past midnight when it ends at or before its start).
 *
 * Visits: a unit's presence in one hotspot during one shift occurrence,
 * joined across absences of at most DOSAGE_VISIT_GAP seconds; a longer
 * absence (out of the hotspot or unobserved) ends the visit. A visit lasts
 * from its first to its last moment of presence (short absences included);
 * minutes present count presence only. A full visit lasts at least the
 * target minutes. A hotspot meets the target in an occurrence when it had
 * at least the target number of full visits (of any units); its status is
 * met when it did in every occurrence, unvisited when nobody was ever
 * present, short otherwise. Several units present at once each count.
 *
 * Ownership: a dosage_result owns everything it points to; free it with
 * dosage_result_free(). Threading: dosage_compute() only reads its inputs
 * (which other threads may share); a result, once made, is read-only.
 */
#ifndef POSBON_DOSAGE_H
#define POSBON_DOSAGE_H

#include "dataset.h"
#include "hotspot.h"
#include "shapes.h"
#include "shift.h"
#include "store.h"
#include "timeparse.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define DOSAGE_DEFAULT_TARGET_MINUTES 15.0 /* Koper: about 11-15 minutes a visit */
#define DOSAGE_DEFAULT_TARGET_VISITS  1    /* full visits per hotspot and shift */
#define DOSAGE_MAX_INTERP             60   /* seconds: fixes further apart are not joined */
#define DOSAGE_VISIT_GAP              120  /* seconds of absence that end a visit */
#define DOSAGE_MAX_DAYS               366  /* longest range of days */

struct dosage_params {
	const struct shift *shift; /* NULL: the whole day, every day */
	long from_day, to_day;     /* local days since 1970-01-01 the shift starts on, inclusive */
	const tz *zone;            /* the district's time zone (borrowed) */
	double target_minutes;     /* length of a full visit, (0, 600]; 0: the default */
	long target_visits;        /* full visits per hotspot and occurrence, 1..100; 0: default */
	long max_interp;           /* seconds between fixes still joined, 1..600; 0: default */
};

enum dosage_status {
	DOSAGE_UNVISITED, /* nobody present in any occurrence */
	DOSAGE_SHORT,     /* fewer full visits than the target in some occurrence */
	DOSAGE_MET,       /* the target in every occurrence */
};

/* One unit's dose in one hotspot over all occurrences. */
struct dosage_unit {
	const char *unit, *service; /* borrowed from the result; service may be NULL */
	double seconds;             /* present */
	unsigned visits, full_visits;
	double longest; /* seconds of its longest visit */
};

struct dosage_hotspot {
	int index; /* in the hotspot set's items */
	int rank;
	double seconds; /* all units' presence */
	unsigned visits, full_visits;
	unsigned occurrences_met; /* occurrences with the target number of full visits */
	enum dosage_status status;
	struct dosage_unit *units; /* n_units, most seconds first */
	size_t n_units;
};

struct dosage_result {
	struct dosage_hotspot *items; /* every hotspot of the set, the least dosed first */
	size_t n;
	size_t occurrences;    /* of the shift in the range of days */
	long from_day, to_day; /* as given */
	int64_t first, last;   /* UTC start of the first occurrence, end of the last */
	double target_minutes; /* as used */
	long target_visits;    /* as used */
	long max_interp;       /* as used */
	size_t tracks, fixes;  /* tracks and fixes with any time in an occurrence */
	char **names;          /* unit and service strings the items point to */
	size_t n_names;
};

/* The dose of each hotspot of set from the n tracks (Web Mercator, as
 * shapes_load() gives them; fixes in time order) for the occurrences of p's
 * shift, into *out (overwritten; free with dosage_result_free() on
 * success). Items come ordered: unvisited first, then short, then met;
 * within each, fewer occurrences met, fewer minutes, then the hotspot's
 * rank. ERR_INVALID naming the parameter ("from: ...", "target: ...",
 * "visits: ...", "interpolate: ..."), ERR_NOMEM. */
int dosage_compute(const struct hotspot_set *set, const struct shapes_track *const *tracks,
                   size_t n, const struct dosage_params *p, struct dosage_result *out);

/* Frees what r points to; accepts a zeroed result. */
void dosage_result_free(struct dosage_result *r);

/* Reads the tracks of st with any time in p's occurrences and computes
 * their dosage: what `posbon dosage` and GET /api/dosage run, fresh from
 * the store so that live fixes count. Errors as dosage_compute() and
 * shapes_load(). */
int dosage_from_store(store *st, const struct hotspot_set *set, const struct dosage_params *p,
                      struct dosage_result *out);

/* The local day (days since 1970-01-01) of "YYYY-MM-DD", or of today in
 * zone when text is NULL. ERR_INVALID naming field ("date: ..."). */
int dosage_day(const tz *zone, const char *field, const char *text, long *day);

/* Local day (days since 1970-01-01) as "YYYY-MM-DD" into buf of n bytes. */
void dosage_day_text(long day, char *buf, size_t n);

/* "unvisited", "short", "met". */
const char *dosage_status_name(enum dosage_status s);

/* r as a GeoJSON FeatureCollection: one Feature per hotspot in r's order,
 * the hotspot's polygon with properties rank, status, minutes, visits,
 * full_visits, occurrences_met, longest_visit_minutes and units [{unit,
 * service, minutes, visits, full_visits, longest_visit_minutes}], and the
 * figures as members of the collection (from, to, shift, occurrences,
 * target_minutes, target_visits, tracks, fixes, hotspots, threshold). ds
 * names categories in the hotspots' polygons' source (hotspot_geojson()).
 * *out is a new reference. ERR_NOMEM. */
int dosage_geojson(const struct dosage_result *r, const struct hotspot_set *set, const dataset *ds,
                   json_t **out);

#endif
