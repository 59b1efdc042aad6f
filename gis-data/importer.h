/*
 * importer: the state of one import_run() and the row helpers of import.c,
 * internal to gis-data, for the readers of a layer kept in a file of their
 * own (refimport.c) as spl.h is for the backend's files. import.c opens the
 * file, maps the fields, sets up the CRS, runs the rows (savepoints with
 * --skip-bad, file:row in errors) and ends the transaction; a layer's reader
 * turns the current row into a record with these helpers.
 *
 * Ownership: everything in a struct importer belongs to import_run().
 * Threading: one import at a time per store, as import.h.
 */
#ifndef POSBON_IMPORTER_H
#define POSBON_IMPORTER_H

#include "coderesolve.h"
#include "geocode.h"
#include "import.h"
#include "strmap.h"

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

enum { IMPORTER_MAX_TARGETS = FIELDGUESS_MAX_TARGETS };

struct track_fix;
struct refimport;

struct importer {
	store *st;
	const struct import_options *o;
	struct import_report *rep;
	GDALDatasetH ds;
	OGRLayerH layer;
	OGRFeatureDefnH defn;
	const struct fieldguess_target *targets;
	struct fieldguess_map map; /* source field index per target, -1 for none */
	int n_fields;
	int coords_from_fields;          /* x/y columns instead of the feature geometry */
	struct fieldguess_sample sample; /* the first rows */
	long no_time, no_place;          /* offences that would lose either */
	OGRSpatialReferenceH src_srs, wgs84;
	OGRCoordinateTransformationH ct;
	tz *zone;
	strmap *ids;           /* id -> times seen in this file */
	strmap *mahalla_codes; /* known mahallas */
	geocoder *geo;         /* addresses to points, opened at the first that needs one */
	coderesolve *categories, *services;
	long row;                         /* current row, in rep->row_word units */
	char *vals[IMPORTER_MAX_TARGETS]; /* copied values of the current feature */
	size_t val_caps[IMPORTER_MAX_TARGETS];
	const char *reason; /* short reason of the current row's failure */
	char source[128];
	/* tracks from points: fixes gathered over the file, grouped at the end */
	struct track_fix *fixes;
	size_t n_fixes, cap_fixes;
	/* GPX track points: the fields naming their track and segment, and
	 * the tracks' names by track_fid (NULL when unnamed) */
	int gpx_track_field, gpx_segment_field;
	char **gpx_names;
	size_t n_gpx_names;
	struct refimport *ref; /* the reference layer's own state (refimport.h) */
};

/* The current feature's value of target name, or NULL when unmapped/empty;
 * borrowed until the next row. */
const char *importer_val(const struct importer *im, const char *name);

/* Fails the current row with err_set(code, fmt, ...); reason (static) groups
 * such rows in the report when --skip-bad skips them. Returns code. */
int importer_row_error(struct importer *im, int code, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Counts a stored record's change in the report, noting a repaired polygon. */
int importer_put_info(struct importer *im, const struct store_put_info *info);

/* The current feature's geometry as a new 2D geometry in EPSG:4326 in *out
 * (free with OGR_G_DestroyGeometry()). A row error for none, or for
 * coordinates that do not reach longitude/latitude. */
int importer_geometry(struct importer *im, OGRFeatureH f, OGRGeometryH *out);

/* Makes the id in buf (n bytes) unique within the file: the second row with
 * it becomes "ID#2", the third "ID#3" (counted in the report's repeated_ids
 * when counted is set). */
int importer_repeat_id(struct importer *im, char *buf, size_t n, int counted);

#endif
