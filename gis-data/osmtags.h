/*
 * osmtags: the tags of one OpenStreetMap feature and what posbon makes of
 * them for the ground of its maps.
 *
 * GDAL's OSM driver gives a few tags as fields (name, highway, building, ...
 * as its osmconf.ini says) and the rest in one text field, other_tags, written
 * as PostgreSQL's hstore writes it: "key"=>"value","key2"=>"value2", with \"
 * and \\ escaped. osmtags_parse_hstore() reads that text; osmtags_add() takes
 * a field. osmtags_classify() then says what the feature is on a map: a
 * street and its class, a building, water, a park, other land use, a railway,
 * a point of interest (a market, a school, a mosque, a bus stop ...) or only
 * an address, and which of its names is which language.
 *
 * Ownership: an osmtags owns copies of its keys and values (osmtags_free());
 * every string it returns, and every string of a struct osmtags_class, is
 * static or borrowed from it until the next osmtags_clear() or
 * osmtags_free().
 * Threading: an osmtags belongs to one thread; the functions keep no state.
 */
#ifndef POSBON_OSMTAGS_H
#define POSBON_OSMTAGS_H

#include <stddef.h>

typedef struct osmtags osmtags;

/* An empty set of tags in *out; ERR_NOMEM. */
int osmtags_new(osmtags **out);
void osmtags_free(osmtags *t);

/* Empties t, keeping its memory for the next feature. */
void osmtags_clear(osmtags *t);

/* Adds key=value (a later value of the same key replaces the earlier one).
 * Empty keys and values are not kept. ERR_NOMEM. */
int osmtags_add(osmtags *t, const char *key, const char *value);

/* Adds every pair of an other_tags text. ERR_INVALID naming the byte offset
 * where the text stops being "k"=>"v" pairs separated by commas. */
int osmtags_parse_hstore(osmtags *t, const char *text);

/* The value of key, or NULL. */
const char *osmtags_get(const osmtags *t, const char *key);

/* The pairs, in the order first added. */
size_t osmtags_count(const osmtags *t);
const char *osmtags_key(const osmtags *t, size_t i);
const char *osmtags_value(const osmtags *t, size_t i);

/* Every pair as a compact JSON object of strings, in order; a new string
 * (free()), NULL when out of memory. */
char *osmtags_json(const osmtags *t);

/* The kinds of feature a map draws, in drawing order (ground first), and
 * their names. */
enum osmtags_kind {
	OSMTAGS_LANDUSE,
	OSMTAGS_PARK,
	OSMTAGS_WATER,
	OSMTAGS_BUILDING,
	OSMTAGS_RAILWAY,
	OSMTAGS_STREET,
	OSMTAGS_POI,
	OSMTAGS_ADDRESS,
	OSMTAGS_KINDS
};
extern const char *const osmtags_kinds[OSMTAGS_KINDS];

/* The index of kind in osmtags_kinds, or -1. */
int osmtags_kind_index(const char *kind);

/* How the feature was drawn in OpenStreetMap. */
enum osmtags_shape {
	OSMTAGS_POINT,
	OSMTAGS_LINE,
	OSMTAGS_AREA,
};

/* What the feature is on a map. kind is one of osmtags_kinds, or NULL when
 * the map has no use for it; class refines it (a street's "primary",
 * "residential" ..., a building's "yes" or "house", water's "river"; NULL
 * when none). poi is the kind of place it also is, whatever its kind: one of
 * "market", "school", "kindergarten", "college", "mosque", "worship",
 * "bus_stop", "metro_stop", "cafe", "shop", "bank", "hospital", "police" and
 * "park", or NULL. names: the name tags, NULL where absent. */
struct osmtags_class {
	const char *kind, *cls, *poi;
	const char *name, *name_uz, *name_uz_cyrl, *name_ru, *name_en;
	const char *street, *housenumber; /* addr:street, addr:housenumber */
};

void osmtags_classify(const osmtags *t, enum osmtags_shape shape, struct osmtags_class *out);

/* The street class of an OpenStreetMap highway value ("primary_link" ->
 * "primary", "footway" -> "path"; a class is its own), or NULL for a value
 * that is no street. Static. */
const char *osmtags_street_class(const char *highway);

#endif
