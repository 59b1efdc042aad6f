/*
 * sampletrack: the GPS fixes of one patrol unit on one shift, for the
 * sample generator (sample.h). Every SAMPLETRACK_INTERVAL seconds the unit
 * walks (1-1.6 m/s) or drives (3-5 m/s) between random waypoints of its
 * zone, sometimes pausing; some units start late, some leave the zone for a
 * while.
 *
 * Positions are metres in the generator's frame, turned into lon/lat by
 * its function; every draw comes from its generator, in a fixed order.
 *
 * Threading: the caller's.
 */
#ifndef POSBON_SAMPLETRACK_H
#define POSBON_SAMPLETRACK_H

#include "samplerng.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

#define SAMPLETRACK_INTERVAL  30
#define SAMPLETRACK_MAX_FIXES (86400 / SAMPLETRACK_INTERVAL + 1)

/* The zone a unit patrols, and the generator's frame. */
struct sampletrack_zone {
	double inner_x, inner_y; /* a point inside it */
	/* A uniform random point of it, drawn from the same generator. */
	void (*random_point)(void *ctx, double *x, double *y);
	void (*to_lonlat)(double x, double y, double *lon, double *lat);
	void *ctx;
};

/* The fixes of a unit of service (its code: "ypx" drives, "ppx" drives
 * half the time, the others walk) in zone from from to to (UTC seconds)
 * into fixes, room for SAMPLETRACK_MAX_FIXES; returns how many. */
size_t sampletrack_walk(struct samplerng *r, const struct sampletrack_zone *z, const char *service,
                        int64_t from, int64_t to, struct store_fix *fixes);

#endif
