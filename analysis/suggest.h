/*
 * suggest: the suggested patrol plan of a shift, from the data to GeoJSON
 * (docs/planning.md, "Suggested plan").
 *
 * The forecast: the offences of the training period that pass the filter,
 * each weighing its aoristic share of the shift (shift.h: an offence known
 * only between 22:00 and 06:00 weighs half in a 02:00-10:00 shift),
 * counted on a grid of square cells (200 m on the ground by default) and
 * divided by the number of shifts in the period: expected offences of one
 * shift per cell. With the counts forecast the grid is Web Mercator like
 * the hotspots' and the candidates are the cells with any offence; with
 * the gistar forecast the grid is gistar.h's UTM grid of the same cell and
 * its default band over the same offences, and the candidates are only
 * the cells hot at 95% (bin >= 2) with any offence, so such a plan never
 * visits a cell that is not significantly hot. Either way most offences
 * first, at most SUGGEST_DEFAULT_CANDIDATES. A cell's value for a service
 * is its expected offences of each category times the service's relevance
 * for the category (1 unless the relevance table says otherwise).
 *
 * The units: "ppx:4:480,youth:2:360" (service, how many, minutes on duty),
 * each starting from the centre of its service's current zones of the shift
 * (else the district's centre); or, without a list, every assignment of the
 * current zones on duty in the shift, for the minutes it overlaps the shift,
 * from its zone's centre. plan.h chooses their cells; each unit's cells are
 * joined into its suggested zone.
 *
 * The comparison: the current zones of the shift (valid on the period's
 * last day, with an assignment on duty): the share of the shift's offences
 * (weighted as above) inside their polygons, per assignment and together.
 *
 * Threading: reads the dataset and the shapes (both may be shared);
 * re-entrant.
 */
#ifndef POSBON_SUGGEST_H
#define POSBON_SUGGEST_H

#include "dataset.h"
#include "shapes.h"
#include "shift.h"

#include <jansson.h>
#include <stddef.h>

#define SUGGEST_DEFAULT_CELL       200.0 /* ground metres */
#define SUGGEST_DEFAULT_CANDIDATES 2000

/* Where the candidates and their grid come from (see above). */
enum suggest_forecast {
	SUGGEST_FORECAST_COUNTS, /* the period's offences per Web Mercator cell */
	SUGGEST_FORECAST_GISTAR  /* the Gi* hot cells at 95% of the UTM grid */
};

struct suggest_params {
	struct dataset_filter filter; /* period (closed), categories, services */
	struct shift shift;
	/* As given, checked (suggest_defaults() fills the defaults): */
	double cell;           /* ground metres, 25 .. 2000 */
	double visit;          /* minutes per visit, within the shift */
	double every;          /* minutes between visits to a cell, visit .. 1440 */
	double speed;          /* km/h, 0 .. 200; 0 ignores travel */
	int shared;            /* units per cell, 1 .. 10 */
	size_t candidates;     /* 0: SUGGEST_DEFAULT_CANDIDATES */
	const char *units;     /* "ppx:4:480,..."; NULL or "": from the current zones */
	const char *relevance; /* "ypx:road_traffic=3,..."; NULL: 1 everywhere */
	double seconds;        /* the optimiser's time limit; 0: its default */
	enum suggest_forecast forecast;
};

/* "counts" or "gistar" (NULL or "": counts) into *out. ERR_INVALID
 * ("forecast: 'x' is not counts or gistar"). */
int suggest_forecast_parse(const char *text, enum suggest_forecast *out);

/* "counts" or "gistar"; static. */
const char *suggest_forecast_name(enum suggest_forecast f);

/* Sets p to the defaults: every offence, the whole day, 200 m cells, visits
 * of 15 minutes every 120, 5 km/h, no shared cells, units from the zones. */
void suggest_defaults(struct suggest_params *p);

/* Plans the shift: *out (a new reference) is a FeatureCollection with one
 * Feature per unit (its suggested zone, a MultiPolygon in lon/lat, or null
 * when it got no cell; properties service, unit, minutes, minutes_used,
 * travel_km, rounds, visits, expected_offences, share, value, cells [{order,
 * i, j, lon, lat, expected_offences, value}], i and j the cell's column and
 * row in the grid) and the figures as members (forecast, offences, shifts,
 * expected_offences, covered, share, cell_m, visit, every, speed_kmh,
 * candidates, stopped, from, to, shift, current {share, expected_offences,
 * units [...]}, and with the gistar forecast gistar {crs, band_m,
 * band_source, hot_cells}). ERR_INVALID naming the parameter ("units: ...",
 * "speed: ...", "from: the period ... holds no offence of the shift",
 * "relevance: ...", "forecast: ..." when Gi* cannot run), ERR_PROJ,
 * ERR_NOMEM, ERR_GEOMETRY. */
int suggest_plan(const dataset *ds, const shapes *sh, const struct suggest_params *p, json_t **out);

#endif
