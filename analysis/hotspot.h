/*
 * hotspot: the hotspots of a shift, as crime analysts map them.
 *
 * From the kernel density (kde.h, in offences per km² over the period, as
 * the heatmap draws it) of the offences that pass a filter and fall in a
 * shift, evaluated on a grid of square cells over the district: the
 * hotspots are the 8-connected groups of the district's cells whose
 * density is at or above a threshold, the threshold chosen so that those
 * cells make up a given share of the district's area (3% by default), and
 * ranked by the offences inside them (docs/planning.md, "Hotspots").
 *
 * The grid lies in Web Mercator with square cells of the given ground size
 * at the district's centre; densities and areas use each row's own scale,
 * so they are in ground units everywhere. The district is the cells whose
 * centres lie inside its districts (else its mahallas; with neither, the
 * whole grid), found by rasterising the polygons with Cairo.
 *
 * Threshold ties: every district cell whose density equals the threshold
 * is in, so the hotspots' area may exceed the share by the cells of one
 * density (in practice one cell: densities rarely tie). Cells of density 0
 * are never in a hotspot: when fewer cells than the share have any density,
 * the hotspots are all of those and hold less than the share.
 *
 * Ownership: a hotspot_set owns everything it points to; free it with
 * hotspot_set_free(). Threading: hotspot_find() only reads the dataset and
 * the shapes (both may be shared with other threads); a set, once made, is
 * read-only.
 */
#ifndef POSBON_HOTSPOT_H
#define POSBON_HOTSPOT_H

#include "dataset.h"
#include "kde.h"
#include "shapes.h"
#include "shift.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HOTSPOT_DEFAULT_SHARE  0.03 /* the densest 3% of the district */
#define HOTSPOT_DEFAULT_CELL   25.0 /* ground metres */
#define HOTSPOT_DEFAULT_WEEKS  8    /* training period when none is given */
#define HOTSPOT_TOP_CATEGORIES 5    /* categories listed per hotspot */

struct hotspot_params {
	/* Period, categories and services, as given (see
	 * hotspot_default_period()); hours and weekdays, when set, restrict
	 * further, but a shift is the way to choose times. */
	struct dataset_filter filter;
	const struct shift *shift; /* NULL: every hour of every day */
	double share;              /* of the district's area, (0, 1]; 0: the default */
	double cell;               /* ground metres, 1 .. 1000; 0: the default (25 m, coarser for a
	                              territory whose grid would not fit) */
	enum kde_kernel kernel;
	double bandwidth;      /* ground metres, > 0 (the caller's: the style's heatmap) */
	const double *weights; /* density weight per dataset category; NULL weighs 1 */
};

/* A polygon with holes, or several: part p has the rings part_start[p] ..
 * part_start[p + 1] - 1, the first its shell, the others its holes; ring r
 * has the points ring_start[r] .. ring_start[r + 1] - 1 of xy (lon, lat
 * pairs, closed: the last point repeats the first). Shells run
 * anticlockwise and holes clockwise, as GeoJSON asks. */
struct hotspot_polygon {
	double *xy;
	uint32_t *ring_start; /* n_rings + 1 entries */
	uint32_t *part_start; /* n_parts + 1 entries */
	size_t n_rings, n_parts;
};

struct hotspot {
	int rank;                    /* 1 .. n: by offences inside, then peak */
	struct hotspot_polygon poly; /* the union of its cells, lon/lat */
	size_t cells;
	double area_m2;            /* ground square metres */
	double offences;           /* offences of the filter and shift inside (aoristic) */
	double share;              /* offences / all the filter's and shift's offences */
	double peak;               /* highest cell density, offences per km² over the period */
	double peak_lon, peak_lat; /* centre of that cell */
	double hours[24];          /* offences inside by local hour, when it is known */
	double weekdays[7];        /* by local weekday of the offence, when known, 0 = Monday */
	double *categories;        /* by dataset category index, n_categories entries */
};

struct hotspot_set {
	struct hotspot *items; /* n, ranked */
	size_t n;
	size_t n_categories;
	struct dataset_filter filter; /* as given in the params */
	int has_shift;
	struct shift shift;
	double share, cell, bandwidth; /* as used */
	enum kde_kernel kernel;
	double threshold;        /* offences per km² over the period */
	double district_area_m2; /* ground area of the district's cells */
	double hotspot_area_m2;  /* of all hotspots */
	double offences;         /* all offences of the filter and shift, anywhere */
	/* The component grid: label[j * width + i] is the index in items of
	 * the hotspot holding cell (i, j), or -1; cell (i, j) spans x0 + i cell
	 * .. x0 + (i + 1) cell and y0 - (j + 1) cell .. y0 - j cell, EPSG:3857
	 * metres (cell_merc frame metres each). */
	double x0, y0, cell_merc;
	int width, height;
	int32_t *label;
};

/* Fills an open period of f with the default training period: the
 * HOTSPOT_DEFAULT_WEEKS weeks ending at the latest offence time (when
 * neither end is given) or at f->to (when only the end is). A given start
 * keeps an open end. */
void hotspot_default_period(const dataset *ds, struct dataset_filter *f);

/* Finds the hotspots of ds for p into *out (overwritten; free with
 * hotspot_set_free() on success). sh gives the district's polygons (NULL or
 * none: the whole extent). ERR_INVALID naming the parameter ("share: ...",
 * "cell: ...", "bandwidth: ...", "cell: a grid of ... is too large"),
 * ERR_NOMEM, ERR_GEOMETRY when GEOS cannot join the cells. */
int hotspot_find(const dataset *ds, const shapes *sh, const struct hotspot_params *p,
                 struct hotspot_set *out);

/* Frees what set points to; accepts a zeroed set. */
void hotspot_set_free(struct hotspot_set *set);

/* Index in set->items of the hotspot holding the EPSG:3857 point (x, y),
 * or -1 for none: which offences, fixes or zones lie in which hotspot. */
int hotspot_index_at(const struct hotspot_set *set, double x, double y);

/* The busiest hour (0..23) and weekday (0..6) of h; the earliest on ties,
 * -1 when it holds no offence. */
int hotspot_busiest_hour(const struct hotspot *h);
int hotspot_busiest_weekday(const struct hotspot *h);

/* Index of h's most frequent category (the lowest index on ties), -1 for
 * none. */
int hotspot_top_category(const struct hotspot_set *set, const struct hotspot *h);

/* The set as a GeoJSON FeatureCollection: one Feature per hotspot in rank
 * order (Polygon or MultiPolygon in lon/lat; properties rank, offences,
 * share, area_m2, cells, peak_density, peak [lon, lat], top_categories
 * [{code, count}], busiest_hour, busiest_weekday, hours[24], weekdays[7]),
 * and the set's figures as members of the collection (threshold,
 * district_area_m2, hotspot_area_m2, share, cell_m, bandwidth_m, kernel,
 * offences, from, to, shift). ds names the categories. *out is a new
 * reference. ERR_NOMEM. */
int hotspot_geojson(const struct hotspot_set *set, const dataset *ds, json_t **out);

/* A count as JSON: an integer when whole, else a real (aoristic counts of
 * offences known only as spans are fractional). A new reference. */
json_t *hotspot_count_json(double n);

/* UTC seconds as "YYYY-MM-DDTHH:MM:SSZ" (the period's ends in the JSON of
 * hotspots and coverage), JSON null for STORE_NO_TIME; a new reference. */
json_t *hotspot_time_json(int64_t t);

#endif
