/*
 * shapes: the vector data of a district in memory, projected for drawing.
 *
 * Owns the districts, mahallas, patrol zones (with their assignments) and
 * patrol tracks (with the time of every fix) of a store, projected into one
 * frame: Web Mercator metres for tiles (tile_lonlat_to_merc), or any CRS
 * PROJ knows for print ("EPSG:32642", a PROJ string), always in (x = east,
 * y = north) order. Polygons are flat ring arrays that a Cairo path takes
 * as they are (fill with CAIRO_FILL_RULE_EVEN_ODD), each with its bounding
 * box, and simplified copies for four zoom bands. Areas and zones carry a
 * label anchor: the centre and radius of their maximum inscribed circle, so
 * that a label centred there sits inside the polygon. Where zones overlap,
 * the intersection is computed once at load (GEOS) and kept as a polygon
 * of its own with the two zones' indices; painters decide per shift
 * whether to show it.
 *
 * Simplification keeps shared boundaries shared: all rings of all polygons
 * are cut at their junctions (points where rings meet with different
 * neighbours, as TopoJSON finds them), and each arc between junctions is
 * simplified once, by Douglas-Peucker in a canonical direction, so two
 * mahallas along one boundary get the very same simplified vertices there.
 * This needs the neighbours to share their boundary vertices exactly (as
 * data cut from one source does); where they do not, each side is simplified
 * on its own and stays within the tolerance of its original. The tolerance
 * of a band is half a device pixel at its most detailed zoom (10, 12, 14),
 * so no zoom of a band is off by more than that.
 *
 * The workload is hundreds of polygons and tracks of thousands of fixes;
 * queries are linear scans over bounding boxes.
 *
 * Ownership: everything the getters return belongs to the shapes and is
 * valid until shapes_free(). Threading: loading uses its own PROJ and GEOS
 * contexts; a loaded shapes is immutable and any number of threads may read
 * it at once.
 */
#ifndef POSBON_SHAPES_H
#define POSBON_SHAPES_H

#include "store.h"
#include "view.h"

#include <cairo.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>

typedef struct shapes shapes;

enum shapes_kind {
	SHAPES_DISTRICTS,
	SHAPES_MAHALLAS,
	SHAPES_ZONES,
	SHAPES_OVERLAPS, /* intersections of two zones */
	SHAPES_TRACKS,
	SHAPES_KINDS
};

/* Zoom bands of simplification: <= 10, 11-12, 13-14, and >= 15 where the
 * geometry is as stored. shapes_band() picks one by resolution, so @2x tiles
 * and prints get the band their pixel size needs. */
#define SHAPES_BANDS 4

/* Rings of a polygon or multipolygon: every shell and hole of every part.
 * Ring r is the points ring_start[r] .. ring_start[r + 1] - 1 of xy (x, y
 * pairs, frame units), implicitly closed (the first point is not repeated). */
struct shapes_rings {
	const double *xy;
	const uint32_t *ring_start; /* n_rings + 1 entries */
	size_t n_rings;
};

struct shapes_geom {
	double bbox[4]; /* minx, miny, maxx, maxy, frame units */
	struct shapes_rings band[SHAPES_BANDS];
};

/* Where a label goes: the centre and radius of the largest circle inside the
 * polygon, frame units. */
struct shapes_anchor {
	double x, y, r;
};

/* A district or a mahalla. Strings are NULL when not stored. */
struct shapes_area {
	const char *code;
	const char *name_uz, *name_ru, *name_en;
	const char *district_code;   /* mahallas: the district it belongs to */
	long population, households; /* mahallas: < 0 when unknown */
	const char *inspector;       /* mahallas: prevention inspector */
	struct shapes_geom geom;
	struct shapes_anchor anchor;
};

struct shapes_assignment {
	const char *service, *unit;
	struct shift shift; /* when the unit patrols the zone */
};

struct shapes_zone {
	const char *external_id, *name;
	const char *valid_from, *valid_to; /* "YYYY-MM-DD", NULL when open */
	long from_day, to_day; /* the same as days since 1970-01-01 (LONG_MIN/MAX open) */
	const struct shapes_assignment *assignments;
	size_t n_assignments;
	const char *district_code; /* NULL: in none */
	struct shapes_geom geom;
	struct shapes_anchor anchor;
};

/* The area where zones zone_a < zone_b overlap (indices of shapes_zone()). */
struct shapes_overlap {
	size_t zone_a, zone_b;
	struct shapes_geom geom;
};

struct shapes_track {
	const char *external_id, *unit, *service;
	const char *district_code; /* of its first fix; NULL: none */
	int64_t started, ended;    /* UTC seconds */
	const double *xy;          /* n_fixes points, frame units */
	const int64_t *t;          /* time of each fix, UTC seconds, not decreasing */
	size_t n_fixes;
	double bbox[4];
};

struct shapes_options {
	const char *crs; /* NULL: Web Mercator; else "EPSG:32642", a PROJ string */
	int64_t tracks_from,
	    tracks_to;   /* only tracks meeting this UTC window; STORE_NO_TIME open */
	int tracks_only; /* no districts, mahallas or zones: the tracks alone, cheaply */
};

/* Loads every district, mahalla and zone of st and the tracks of the window,
 * projected as opt says (NULL: Web Mercator, all tracks). *out is new; free
 * with shapes_free(). ERR_PROJ for a CRS PROJ does not know or a point it
 * cannot project, ERR_GEOMETRY for an unreadable geometry (naming the row),
 * ERR_INVALID for a zone's bad validity date, ERR_DB, ERR_NOMEM. */
int shapes_load(store *st, const struct shapes_options *opt, shapes **out);

/* Frees the shapes; accepts NULL. */
void shapes_free(shapes *sh);

/* Number of shapes of a kind, and shape i (< the count). Districts and
 * mahallas come in code order, zones by external id, overlaps by their zone
 * pair, tracks by start time. */
size_t shapes_count(const shapes *sh, enum shapes_kind kind);
const struct shapes_area *shapes_area(const shapes *sh, enum shapes_kind kind, size_t i);
const struct shapes_zone *shapes_zone(const shapes *sh, size_t i);
const struct shapes_overlap *shapes_overlap(const shapes *sh, size_t i);
const struct shapes_track *shapes_track(const shapes *sh, size_t i);

/* Indices of shapes found by a query: a caller-owned, growable buffer. */
struct shapes_list {
	size_t *idx;
	size_t n, cap;
};

/* Replaces out's content with the indices, ascending, of the shapes of kind
 * whose bounding box meets box (minx, miny, maxx, maxy, frame units). */
int shapes_find(const shapes *sh, enum shapes_kind kind, const double box[4],
                struct shapes_list *out);

/* Frees the buffer of a list; accepts an empty one. */
void shapes_list_free(struct shapes_list *l);

/* The band for drawing at res frame units per device pixel, and the largest
 * distance (frame units) of that band's vertices from the stored boundary. */
int shapes_band(const shapes *sh, double res);
double shapes_band_tolerance(const shapes *sh, int band);

/* Whether (x, y) lies inside an odd number of the rings, as the even-odd
 * fill draws them: point-in-polygon by crossing number, so a point on an
 * edge shared by two neighbours is inside exactly one of them. */
int shapes_rings_contain(const struct shapes_rings *r, double x, double y);

/* Appends the rings of g, in the band for v->res, to cr's path in device
 * pixels of v (new sub-paths, closed). With a box (frame units: minx, miny,
 * maxx, maxy), for strokes without dashes: the edges that do not reach it
 * are left out, and a ring broken by that becomes open lines. Cairo strokes
 * every edge it is given, and at street zooms most of a boundary's edges are
 * outside the tile. NULL: every edge. */
void shapes_path(const shapes *sh, cairo_t *cr, const struct view *v, const struct shapes_geom *g,
                 const double *box);

/* ---- shifts ------------------------------------------------------------ */

#define SHAPES_ANY_DAY LONG_MIN

/* A shift the zones are shown for: its hours on the weekdays it starts on
 * (a weekly shift such as Friday to Sunday evenings), and on a date when
 * the zones' validity matters (its weekday is then the date's). */
struct shapes_shift {
	long day;           /* days since 1970-01-01 of the start, or SHAPES_ANY_DAY */
	struct shift shift; /* hours, and the weekdays it starts on */
};

/* The shift from start to end on date "YYYY-MM-DD" (its weekday follows),
 * and the weekly shift on a weekday (no date: validity is not checked).
 * ERR_INVALID naming the bad value. */
int shapes_shift_on(const char *date, int start, int end, struct shapes_shift *out);
int shapes_shift_weekly(int weekday, int start, int end, struct shapes_shift *out);

/* Writes the distinct services of z's assignments that are on duty during
 * shift (any part of it), in assignment order, to out[0 .. max - 1] and
 * returns how many there are (which may exceed max). shift NULL means any
 * time: every assigned service. A zone not valid on the shift's day has
 * none. Several services on one shift make a joint patrol. */
size_t shapes_zone_services(const struct shapes_zone *z, const struct shapes_shift *shift,
                            const char **out, size_t max);

/* Whether a territory (district codes joined by ","; NULL or "": every
 * district) holds district code (NULL or "": none, which only every
 * district's territory holds). */
int shapes_territory_has(const char *territory, const char *code);

/* Whether area a of kind lies in territory (as shapes_territory_has()): a
 * district by its code, a mahalla by its district's. */
int shapes_area_in(const struct shapes_area *a, enum shapes_kind kind, const char *territory);

/* The kind of area a territory is drawn and measured by: the districts,
 * else (a store without their polygons) the mahallas. */
enum shapes_kind shapes_territory_kind(const shapes *sh);

/* The box (frame units) of the areas of shapes_territory_kind() in
 * territory into box; 0 when there is none, box then untouched. */
int shapes_territory_box(const shapes *sh, const char *territory, double box[4]);

/* Whether zone z is shown for shift: valid on its day and with a service on
 * duty; with shift NULL every zone is. */
int shapes_zone_active(const struct shapes_zone *z, const struct shapes_shift *shift);

/* Whether assignment a is on duty during any part of shift, by its hours
 * and weekdays only (its zone's validity is the caller's to check). */
int shapes_assignment_on_duty(const struct shapes_assignment *a, const struct shapes_shift *shift);

#endif
