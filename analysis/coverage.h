/*
 * coverage: which services' zones cover the hotspots of a shift.
 *
 * For a shift's hotspots (hotspot.h) and the patrol zones in play on that
 * shift, it says per hotspot which assignments cover it and whether it is
 * a gap, covered, a joint patrol or an overlap; per unit and per service
 * the share of the shift's offences and of the hotspots' offences inside
 * its zones, their area and the PAI; per mahalla which assignments have
 * zones there (docs/planning.md, "Coverage"). Definitions:
 *  - a zone is in play when one of its assignments is on duty during the
 *    shift (its hours meet the shift's on one of the shift's weekdays) and,
 *    when a planning date is given, the date is inside its validity;
 *  - a zone covers a hotspot when it holds at least half of the hotspot's
 *    offences (a hotspot without offences: when it holds its peak);
 *  - a joint patrol is a zone in play with assignments of two or more
 *    services on duty during the shift (as the zones layer draws it);
 *  - a hotspot is a gap when no zone in play covers it, covered when the
 *    zones covering it belong to one service, joint when they belong to
 *    several services that are all on one joint patrol zone among them,
 *    and an overlap otherwise (several services that did not plan it
 *    together);
 *  - an offence is inside a unit's (service's) zones when it is inside any
 *    of them, counted once; the zone area is the ground area of their
 *    union; PAI = (offences inside / the shift's offences) / (zone area /
 *    the district's area).
 *
 * The expensive part that does not depend on the shift (zone edges on a
 * grid for point-in-polygon, the zones' GEOS shapes, which zones meet
 * which mahallas) is a coverage_index, made once per shapes and shared by
 * any number of shifts.
 *
 * Ownership: a coverage owns its arrays and borrows strings and zones from
 * the shapes and hotspots from the hotspot set: keep both alive while it
 * is used; free it with coverage_free(). Threading: an index is read-only
 * once made and may be shared; coverage_compute() only reads its inputs.
 */
#ifndef POSBON_COVERAGE_H
#define POSBON_COVERAGE_H

#include "dataset.h"
#include "hotspot.h"
#include "shapes.h"

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

typedef struct coverage_index coverage_index;

enum coverage_status {
	COVERAGE_GAP,
	COVERAGE_COVERED,
	COVERAGE_JOINT,
	COVERAGE_OVERLAP,
};

struct coverage_params {
	const char *date; /* planning date "YYYY-MM-DD" for zone validity; NULL: any */
	/* Made by coverage_index_new() for the same shapes, or NULL to make
	 * one for this call only. */
	const coverage_index *index;
	/* 1: for the hotspots' statuses alone: the units' and services' zones,
	 * areas, shares and PAI stay 0 and the mahallas' lists empty (the
	 * zones' unions cost the most, a country's zones several seconds). */
	int statuses_only;
};

/* An assignment on duty during the shift, of a zone in play. */
struct coverage_assignment {
	size_t zone; /* shapes_zone() index */
	const struct shapes_zone *z;
	const struct shapes_assignment *a;
	size_t unit, service; /* indices in units and services */
};

struct coverage_hotspot {
	const struct hotspot *h;
	enum coverage_status status;
	size_t *covered_by; /* indices in assignments, ascending */
	size_t n_covered_by;
	size_t services; /* distinct services covering it */
};

/* A unit of a service (units), or a whole service (services; unit NULL). */
struct coverage_group {
	const char *service, *unit; /* unit NULL: an assignment without a unit */
	size_t zones;               /* zones in play with it */
	double offences;            /* offences of the shift inside its zones (aoristic) */
	double hotspot_offences;    /* of those, in a hotspot */
	double zone_area_m2;        /* ground area of the union of its zones */
	double offence_share;       /* offences / the shift's offences */
	double hotspot_offence_share;
	double area_share; /* zone_area_m2 / the district's area */
	double pai;        /* offence_share / area_share; NAN when no area */
};

struct coverage_mahalla {
	const struct shapes_area *area;
	size_t *assignments; /* indices in assignments whose zone meets it */
	size_t n;
};

struct coverage {
	const struct hotspot_set *set;           /* period, shift, figures of the hotspots */
	const char *date;                        /* as given (borrowed), NULL */
	double offences;                         /* of the filter and shift, anywhere (aoristic) */
	double hotspot_offences;                 /* in any hotspot */
	double offences_in_zones;                /* inside at least one zone in play */
	size_t zones;                            /* zones in play */
	struct coverage_assignment *assignments; /* by zone, then as stored */
	size_t n_assignments;
	struct coverage_hotspot *hotspots; /* in rank order */
	size_t n_hotspots;
	struct coverage_group *units, *services; /* by service code, then unit */
	size_t n_units, n_services;
	struct coverage_mahalla *mahallas; /* every mahalla, in code order */
	size_t n_mahallas;
	size_t counts[4]; /* hotspots by enum coverage_status */
};

/* The shift-independent part of coverage for the zones and mahallas of sh
 * (loaded in Web Mercator, as the renderer's). *out is new; free with
 * coverage_index_free(). ERR_GEOMETRY when GEOS cannot read a zone,
 * ERR_NOMEM. */
int coverage_index_new(const shapes *sh, coverage_index **out);

/* Frees an index; accepts NULL. */
void coverage_index_free(coverage_index *idx);

/* The coverage of set's hotspots (found on ds and sh, with set's filter
 * and shift; no shift: every hour of every day) by the zones of sh, into
 * *out (overwritten; free with coverage_free() on success). ERR_INVALID
 * "date: ..." for a bad planning date, ERR_GEOMETRY, ERR_NOMEM. */
int coverage_compute(const dataset *ds, const shapes *sh, const struct hotspot_set *set,
                     const struct coverage_params *p, struct coverage *out);

/* Frees what c points to; accepts a zeroed coverage. */
void coverage_free(struct coverage *c);

/* "gap", "covered", "joint", "overlap". */
const char *coverage_status_name(enum coverage_status s);

/* The coverage as JSON (docs/api.md, GET /api/coverage): {period, shift,
 * date, offences, hotspot_offences, offences_in_zones, zones,
 * district_area_m2, hotspots, units, services, mahallas, gaps, covered,
 * joint, overlaps}. *out is a new reference. ERR_NOMEM. */
int coverage_json(const struct coverage *c, json_t **out);

/* The coverage as CSV, one row per hotspot and covering assignment (a
 * hotspot nobody covers: one row with empty zone, service and unit):
 * rank,status,offences,area_m2,zone,service,unit. ERR_IO when f fails. */
int coverage_csv(const struct coverage *c, FILE *f);

#endif
