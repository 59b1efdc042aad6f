/*
 * import: vector files of any GDAL/OGR format into the store.
 *
 * Reads one layer of a file (GeoJSON, Shapefile, GeoPackage, KML, GPX, CSV
 * with coordinate columns, ...), reprojects its coordinates to EPSG:4326
 * through OGR's PROJ-backed transformations, maps attributes onto posbon's
 * fields (--field target=SOURCE, else guessed from common names), parses
 * dates and times in a configured time zone, and upserts every record through
 * store.h inside one transaction: all or nothing, unless skip_bad is set.
 *
 * Records keep stable external ids, so importing the same file again changes
 * nothing: an id column is used as it is (a repeated id becomes id#2, id#3 in
 * file order, since real exports repeat an incident once per victim); rows
 * without an id get "<source>:<hash of the row>", numbered the same way when
 * identical rows repeat, so identical but separate records stay separate.
 *
 * Threading: one import at a time per store.
 */
#ifndef POSBON_IMPORT_H
#define POSBON_IMPORT_H

#include "fieldguess.h"
#include "osmtags.h"
#include "store.h"
#include "timeparse.h"

#include <stddef.h>

enum import_layer {
	IMPORT_DISTRICTS,
	IMPORT_MAHALLAS,
	IMPORT_REGIONS, /* a city or province of districts */
	IMPORT_OFFENCES,
	IMPORT_ZONES,
	IMPORT_TRACKS,
	IMPORT_OSM,       /* OpenStreetMap extracts into the reference layers (osmimport.h) */
	IMPORT_REFERENCE, /* any vector file into the reference layers (refimport.h) */
};

/* "districts" -> IMPORT_DISTRICTS; ERR_INVALID listing the valid names. */
int import_layer_parse(const char *name, enum import_layer *out);

/* Writes the target field names of a layer, comma-separated, into buf (for
 * --help and messages); returns buf. */
const char *import_targets(enum import_layer layer, char *buf, size_t n);

struct import_field {
	const char *target; /* one of import_targets() */
	const char *source; /* the file's field name */
};

struct import_options {
	enum import_layer layer;
	const char *path;
	const char *ogr_layer; /* layer name within the file; NULL: the first */
	const char *srs;       /* CRS of the coordinates ("EPSG:2263"), overriding the file's */
	const char *timezone;  /* local time zone of the file's times; NULL: Asia/Tashkent */
	enum date_order date_order;
	const struct import_field *fields;
	size_t n_fields;
	const char *source; /* id namespace for rows without an id; NULL: file name */
	const char *actor;  /* who imports, for the audit row; NULL: "import" */
	int skip_bad;       /* skip bad rows instead of rolling the file back */
	int dry_run;        /* read and check everything, fill the report, store nothing */
	const char *unit;   /* tracks: the unit of every fix and line, overriding the file */
	const double
	    *bbox; /* osm, reference: west, south, east, north; NULL: the districts' extent */
	const char *kind; /* reference: the kind (osmtags_kinds) of rows without one */
	/* Called now and then with rows read and the total (-1 when unknown). */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
};

#define IMPORT_FIRST_ROWS 5

/* Rows skipped or noted for one reason, with the first row numbers. */
struct import_reason {
	char *text;    /* the reason, the same for every row of the group */
	char *example; /* the full message of the first row */
	long count;
	long rows[IMPORT_FIRST_ROWS];
	int skipped; /* 1: these rows were not stored; 0: stored, noted */
};

struct import_report {
	long read, inserted, updated, unchanged, skipped;
	long repaired;            /* invalid polygons repaired by MakeValid */
	long closed_lines;        /* boundaries drawn as lines, closed into polygons */
	long outside;             /* offence points in no mahalla */
	long by_mahalla_code;     /* offences without a point, counted in their mahalla */
	long by_house, by_street; /* offences placed by their address (geocode.h) */
	long repeated_ids;        /* rows whose id repeated an earlier row's */
	int no_mahallas;          /* offences imported before any mahalla */
	const char *row_word;     /* "row" for CSV, numbered as a spreadsheet shows it (the
	                             header is row 1), "feature" otherwise */
	char *layer_name;         /* the OGR layer read */
	char *crs;                /* the CRS the coordinates were read in */
	char *mapping;            /* "target=SOURCE, ..." as used */
	struct fieldguess_preview *previews; /* per mapped field with sample values */
	size_t n_previews;
	struct import_reason *reasons;
	size_t n_reasons;
	/* osm, reference: features stored by kind (as osmtags_kinds), and
	 * those that are also places (poi); features beyond the box, and (osm)
	 * of no use to a map */
	long by_kind[OSMTAGS_KINDS], pois, beyond, unused;
	double box[4]; /* osm, reference: the box kept (west, south, east, north) */
	int boxed;     /* osm, reference: 0 when there was no box and everything was kept */
};

/* Adds a row (feature) to rep's group of reason, made with example the
 * first time. ERR_NOMEM. */
int import_report_note(struct import_report *rep, long row, const char *reason, const char *example,
                       int skipped);

/* Imports o->path into st. Fills rep (free with import_report_free(), also
 * after a failure: it tells how far the import came). On failure nothing of
 * the file is stored and err_msg() names the file, row and field.
 *
 * Offences: when more than half of the rows read would be stored without a
 * time (no date) or skipped without a place (no coordinates and no mahalla
 * code), the mapping is wrong far more often than the file: the import fails
 * with ERR_INVALID naming the file, the count, the mapping and the columns.
 * With o->dry_run the whole file is read and checked in a transaction that
 * is rolled back: the report and the return code are those of the import,
 * and nothing is written. */
int import_run(store *st, const struct import_options *o, struct import_report *rep);

void import_report_free(struct import_report *rep);

/* Ends the transaction of an import of o that came to rc: commits it with
 * the audit row of r (source: the file's name as the audit names it) when
 * rc is 0, rolls it back on a dry run or a failure (keeping the failure's
 * message). rc, or the error of the audit or the commit. */
int import_end(store *st, int rc, const struct import_options *o, const char *source,
               const struct import_report *r);

#endif
