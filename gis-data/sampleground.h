/*
 * sampleground: the ground of the sample district, so that its maps have
 * streets, buildings and places as a real district's have from
 * OpenStreetMap (store_put_ref_feature(), source "sample").
 *
 * From what the sample generator made, in its metric frame (metres east
 * and north of the centre): its main roads become primary streets; a grid
 * of mahalla streets every four parcels (every fourth one a tertiary
 * street) crosses the district; a share of the parcels holds a house with
 * the street and number of its address; its places become a bazaar, bus
 * stops, tea houses, schools and parks, and a few mosques are added (the
 * houses may be left out: they are most of the rows). Names
 * are Uzbek, in Latin and Cyrillic.
 *
 * Draws come from a generator of its own, seeded from the sample's seed:
 * the sample's offences, zones and tracks are the same with the ground as
 * without it, and the ground is the same for the same seed.
 *
 * Threading: the caller's store and thread.
 */
#ifndef POSBON_SAMPLEGROUND_H
#define POSBON_SAMPLEGROUND_H

#include "store.h"

#include <stddef.h>
#include <stdint.h>

/* A place of the sample and what it is on the map. */
enum sampleground_kind {
	SAMPLEGROUND_MARKET,
	SAMPLEGROUND_STOP,
	SAMPLEGROUND_TEAHOUSE,
	SAMPLEGROUND_SCHOOL,
	SAMPLEGROUND_PARK,
};

struct sampleground_place {
	double x, y;
	enum sampleground_kind kind;
};

struct sampleground_in {
	uint64_t seed;
	const char *prefix; /* of the features' ids: "" for one district, "D03-" in a city */
	int houses;         /* whether to build the houses */
	double box[4];      /* the district's box: minx, miny, maxx, maxy */
	double parcel;      /* metres: the address grid */
	/* Whether (x, y) lies in the district, and its lon/lat. */
	int (*inside)(void *ctx, double x, double y);
	void (*to_lonlat)(double x, double y, double *lon, double *lat);
	void *ctx;
	/* The Uzbek Cyrillic spelling of a Latin name into out (cap bytes). */
	void (*cyrillic)(const char *latin, char *out, size_t cap);
	const double *roads; /* n_roads lines of road_points x, y pairs each */
	size_t n_roads, road_points;
	const struct sampleground_place *places;
	size_t n_places;
	const char *const *names; /* of people and places, for streets and places */
	size_t n_names;
};

/* The address of the parcel holding (x, y), with or without a house on
 * it: the nearer east-west street of its block (into street, n bytes) and
 * the number, counted as the parcels run east, odd north of the street and
 * even south of it. */
void sampleground_address(const struct sampleground_in *in, double x, double y, char *street,
                          size_t n, long *number);

/* Writes the ground into st (in the caller's transaction); *written
 * counts the features. ERR_NOMEM, and the store's errors. */
int sampleground_write(store *st, const struct sampleground_in *in, long *written);

#endif
