/*
 * osmimport: OpenStreetMap extracts into the store's reference layers.
 *
 * Reads .osm (XML) and .osm.pbf through GDAL's OSM driver, and .osm.bz2
 * (decompressed to a temporary file first: GDAL has no bzip2 reader) and
 * .osm.gz (through /vsigzip/). The points, lines and multipolygons are read
 * in the order the driver interleaves them, so a large file is read once.
 * Every feature's tags (the driver's fields and other_tags) are classified
 * by osmtags_classify(); what a map draws is upserted with
 * store_put_ref_feature() under "osm:" and its OSM type and id ("osm:n1",
 * "osm:w2", "osm:r3"), so a newer extract of the same place updates in
 * place and an unchanged feature is left as it is.
 *
 * Features are kept when their bounding box meets the box of the import
 * (import_options.bbox, else the extent of the store's districts, else
 * everything), whole: a street that crosses the district's edge keeps its
 * length. A feature without a usable geometry (a relation whose members the
 * extract cut off) is skipped and reported; the rest of the file goes on.
 * The whole file is one transaction: a failure of the file or the database
 * stores nothing.
 *
 * Threading: one import at a time per store; the GDAL options it sets are
 * the calling thread's own.
 */
#ifndef POSBON_OSMIMPORT_H
#define POSBON_OSMIMPORT_H

#include "import.h"

/* import_run() for o->layer IMPORT_OSM (o->fields, srs, timezone and
 * skip_bad do not apply). Fills rep as import_run() does, with by_kind,
 * pois, beyond, unused and the box. */
int osmimport_run(store *st, const struct import_options *o, struct import_report *rep);

#endif
