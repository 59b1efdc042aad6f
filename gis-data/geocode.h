/*
 * geocode: a point for an offence that has an address and no point, from
 * the store's reference layers: the house with that number on that street,
 * else the street (its part within the offence's mahalla when one is
 * known), else only the mahalla. Addresses are read as the offices write
 * them: "Bahor MFY, Navroʻz koʻchasi, 12-uy", "Navroʻz koʻchasi 12",
 * "ул. Навруз, д. 12"; names compare without case, spaces or the kind of
 * apostrophe ("Navro'z" is "Navroʻz").
 *
 * A mahalla-level result has no point: a heatmap of mahalla centres would
 * draw hotspots where nothing happened, so such an offence is counted in
 * its mahalla only, as one given with a mahalla code alone.
 *
 * Ownership: a geocoder holds its own copy of what it read; free with
 * geocode_free(). Threading: one thread (it holds a GEOS locator).
 */
#ifndef POSBON_GEOCODE_H
#define POSBON_GEOCODE_H

#include "store.h"

typedef struct geocoder geocoder;

enum geocode_level {
	GEOCODE_NONE,    /* nothing found */
	GEOCODE_HOUSE,   /* the house: its middle */
	GEOCODE_STREET,  /* the street's middle, within the mahalla when known */
	GEOCODE_MAHALLA, /* only the mahalla (named by code or in the address) */
};

struct geocode_result {
	enum geocode_level level;
	double lon, lat;     /* HOUSE and STREET */
	const char *mahalla; /* the mahalla code used or found, or NULL; the geocoder's */
};

/* Reads the houses, streets and mahallas of st into *out. ERR_NOMEM,
 * ERR_DB, ERR_GEOMETRY. */
int geocode_open(store *st, geocoder **out);

/* Accepts NULL. */
void geocode_free(geocoder *g);

/* Whether g knows any house or street (a store without reference layers
 * places nothing). */
int geocode_has_ground(const geocoder *g);

/* Places address, of the mahalla with code mahalla (NULL: unknown; a
 * mahalla named in the address is used then). */
void geocode_find(const geocoder *g, const char *address, const char *mahalla,
                  struct geocode_result *out);

/* "house", "street" (as STORE_LOCATED_*), "mahalla", "none". */
const char *geocode_level_name(enum geocode_level level);

#endif
