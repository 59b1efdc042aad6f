/*
 * zonecheck: what a patrol zone must be before it is stored, checked the
 * same way for the HTTP API and the importer.
 *
 * The geometry is a Polygon or MultiPolygon in longitude/latitude. An
 * invalid one is repaired with GEOS MakeValid when the result is still
 * polygonal and not empty (lines a repair leaves are dropped); otherwise it
 * is refused with GEOS's reason and where: the GeoJSON path of the vertex
 * nearest to the problem and the problem's coordinates. The zone must meet
 * (intersect or touch) the district: the districts of the store, or its
 * mahallas when it has no districts (a store with neither cannot say, and
 * accepts). Assignments name known services, shifts of minutes 0..1439 to
 * 0..1440 with start != end (end < start crosses midnight), weekday masks
 * 1..127; validity dates are real "YYYY-MM-DD" days, from <= to; the name is
 * required.
 *
 * A problem is reported as ERR_INVALID (ERR_GEOMETRY for a polygon that
 * cannot be read or repaired) with a message, and the GeoJSON Feature path
 * of the value at fault in the report ("properties.assignments[1].service",
 * "geometry.coordinates[0][2]").
 *
 * Threading: every call makes its own GEOS context; the store belongs to the
 * calling thread.
 */
#ifndef POSBON_ZONECHECK_H
#define POSBON_ZONECHECK_H

#include "store.h"

#include <stddef.h>

struct zonecheck_report {
	char field[96];       /* GeoJSON path of the value at fault, "" when none */
	int repaired;         /* the polygon was invalid and MakeValid repaired it */
	char reason[200];     /* why it was invalid, when repaired or refused */
	unsigned char *fixed; /* the repaired WKB; free with zonecheck_report_free() */
	size_t fixed_len;
};

/* "HH:MM" (or "H:MM"; optionally ":00" seconds) from 00:00 to 24:00 into minutes after
 * midnight. ERR_INVALID quoting the text. */
int zonecheck_clock(const char *text, int *minutes);

/* Whether text is a real day "YYYY-MM-DD": 0, or ERR_INVALID quoting it. */
int zonecheck_date(const char *text);

/* A GeoJSON geometry object (its text) as WKB: *wkb is new (free()). ERR_GEOMETRY
 * with the reader's reason; field "geometry". */
int zonecheck_geojson(const char *geojson, unsigned char **wkb, size_t *len,
                      struct zonecheck_report *rep);

/* Checks z against st as the header says. When the polygon is repaired,
 * z->wkb and z->wkb_len are pointed at rep->fixed. rep is cleared first;
 * free it with zonecheck_report_free() whatever the result. */
int zonecheck_zone(store *st, struct store_zone *z, struct zonecheck_report *rep);

/* Frees what rep holds (not rep); accepts NULL. */
void zonecheck_report_free(struct zonecheck_report *rep);

#endif
