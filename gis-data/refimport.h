/*
 * refimport: any vector file into the store's reference layers (posbon
 * import --layer reference): a cadastre's buildings, a city's own street
 * register, its address points, its parks, in Shapefile, GeoPackage,
 * GeoJSON, CSV with WKT, whatever OGR reads.
 *
 * import.c reads the file as it reads every layer (the mapping of fields
 * with --field and its guesses, the file's CRS, row numbers, --skip-bad,
 * --dry-run, one transaction; importer.h); this module makes each row a
 * reference feature as osmimport.c makes an OpenStreetMap feature one, so
 * the base map, print and the geocoder use both alike:
 * - kind: the kind column's value, else --kind, one of osmtags_kinds
 *   (case ignored); anything else fails the row naming the kinds;
 * - class: a street's class as osmtags reads a highway value ("primary",
 *   "unclassified" -> residential, "footway" -> path), anything else fails
 *   the row; another kind's class as the file has it;
 * - poi: the place it is (market, school ...); a feature of kind poi is
 *   always one: its poi column, else its class, else "poi";
 * - names: name (the local one, drawn and matched first), else the first of
 *   name_uz, name_uz_cyrl, name_ru, name_en, and each language's own;
 * - street and housenumber, the address the geocoder finds houses by;
 * - every other column, set and not empty, in tags as a JSON object of
 *   strings, as OpenStreetMap's tags are kept;
 * - the geometry as it is, 2D, in EPSG:4326 (curves as lines);
 * - external id "SOURCE:ID": SOURCE the file's name without its extension,
 *   with "/LAYER" when the layer is named otherwise (or --source), ID the id
 *   column or else the feature's FID, so a newer file of the same source
 *   updates in place; a repeated ID becomes ID#2.
 * A feature whose box misses the box of the import (refimport_box()) is
 * counted beyond it and not stored, as OpenStreetMap's are; a kind drawn
 * in a shape the base map does not draw (a building as a point) is stored
 * and noted.
 *
 * Ownership: a struct refimport belongs to its importer (refimport_free()).
 * Threading: one import at a time per store.
 */
#ifndef POSBON_REFIMPORT_H
#define POSBON_REFIMPORT_H

#include "import.h"

#include <ogr_api.h>

struct importer;
struct refimport;

/* The targets of --layer reference with the column names guessed for them. */
extern const struct fieldguess_target refimport_targets[];

/* Sets the box the reference layers keep into rep (box, boxed): o->bbox,
 * else the extent of st's districts, else none (boxed 0). ERR_DB. */
int refimport_box(store *st, const struct import_options *o, struct import_report *rep);

/* 1, counted in rep->beyond, when the box of g (lon/lat) misses rep's box;
 * 0 when it meets it or there is none. */
int refimport_beyond(struct import_report *rep, OGRGeometryH g);

/* After the fields are mapped: checks --kind, that every row can have a
 * kind (ERR_INVALID naming the kinds and the file's columns) and that the
 * layer has geometries; chooses the box and sets up im->ref. */
int refimport_begin(struct importer *im);

/* The current row (its values copied) as a reference feature: stored,
 * beyond the box, or a row error (importer_row_error()). */
int refimport_feature(struct importer *im, OGRFeatureH f);

/* Accepts NULL. */
void refimport_free(struct refimport *r);

#endif
