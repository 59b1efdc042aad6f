/*
 * posbon import: one file into one layer of a database, with a progress bar
 * on a terminal and a report of what was read, stored and skipped. With
 * --dry-run, the mapping with sample values and what the import would do,
 * writing nothing (a database that does not exist yet is not created).
 */
#include "commands.h"
#include "err.h"
#include "import.h"
#include "numtext.h"
#include "opts.h"
#include "ringfix.h"
#include "store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct progress {
	struct timespec last;
	int shown;
};

static void show_progress(void *ctx, long done, long total)
{
	struct progress *p = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double since =
	    (double)(now.tv_sec - p->last.tv_sec) + (double)(now.tv_nsec - p->last.tv_nsec) / 1e9;
	if (p->shown && since < 0.2 && done != total)
		return;
	p->last = now;
	p->shown = 1;
	if (total > 0) {
		int width = 40, filled = (int)((double)width * (double)done / (double)total);
		char bar[41];
		memset(bar, '#', (size_t)filled);
		memset(bar + filled, '.', (size_t)(width - filled));
		bar[width] = '\0';
		fprintf(stderr, "\r[%s] %ld/%ld", bar, done, total);
	} else {
		fprintf(stderr, "\r%ld rows", done);
	}
	if (done == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Each mapped field with how it was chosen and its first values as read. */
static void print_previews(const struct import_report *r)
{
	printf("fields (FIELD <- COLUMN, how it was chosen: first values -> as read):\n");
	if (!r->n_previews)
		printf("  (none)\n");
	for (size_t i = 0; i < r->n_previews; i++) {
		const struct fieldguess_preview *p = &r->previews[i];
		printf("  %s <- %s (%s)%s\n", p->target, p->source, p->how ? p->how : "-",
		       p->n ? "" : ": no values in the first rows");
		for (int k = 0; k < p->n; k++)
			printf("      '%s' -> %s\n", p->values[k], p->read_as[k]);
	}
}

static void print_report(const char *path, const struct import_report *r, double seconds,
                         int dry_run, enum import_layer layer)
{
	printf("%s: layer %s, coordinates in %s\n", path, r->layer_name ? r->layer_name : "-",
	       r->crs ? r->crs : "-");
	if (dry_run) {
		print_previews(r);
		printf("dry run, nothing written: of %ld read, would insert %ld, update %ld, leave "
		       "%ld unchanged, skip %ld\n",
		       r->read, r->inserted, r->updated, r->unchanged, r->skipped);
	} else {
		printf("fields: %s\n", r->mapping && *r->mapping ? r->mapping : "(none)");
		printf("read %ld, inserted %ld, updated %ld, unchanged %ld, skipped %ld (%.1f s, "
		       "%.0f rows/s)\n",
		       r->read, r->inserted, r->updated, r->unchanged, r->skipped, seconds,
		       seconds > 0 ? (double)r->read / seconds : 0.0);
	}
	if (layer == IMPORT_OSM || layer == IMPORT_REFERENCE) {
		printf("kept by kind:");
		for (int k = 0; k < OSMTAGS_KINDS; k++)
			printf(" %s %ld%s", osmtags_kinds[k], r->by_kind[k],
			       k + 1 < OSMTAGS_KINDS ? "," : "\n");
		printf("places of interest among them: %ld", r->pois);
		if (layer == IMPORT_OSM)
			printf("; nothing to draw: %ld", r->unused);
		putchar('\n');
	}
	if (r->boxed)
		printf("box kept %.5f,%.5f,%.5f,%.5f; beyond it: %ld\n", r->box[0], r->box[1],
		       r->box[2], r->box[3], r->beyond);
	if (r->outside)
		printf("points outside every mahalla (stored without one): %ld\n", r->outside);
	if (r->no_mahallas)
		printf("no mahallas in the database yet: import them, then re-import offences to "
		       "assign them\n");
	if (r->by_house || r->by_street)
		printf("placed by their address: %ld at the house, %ld on the street\n",
		       r->by_house, r->by_street);
	if (r->by_mahalla_code)
		printf("without coordinates, counted by mahalla code: %ld\n", r->by_mahalla_code);
	if (r->repeated_ids)
		printf("ids repeating an earlier row (stored as ID#2, ID#3...): %ld\n",
		       r->repeated_ids);
	if (r->repaired)
		printf("invalid polygons repaired with MakeValid: %ld\n", r->repaired);
	if (r->closed_lines)
		printf("boundary lines closed into polygons (repaired; ends at most %g m apart): "
		       "%ld\n",
		       RINGFIX_TOLERANCE_M, r->closed_lines);
	for (size_t i = 0; i < r->n_reasons; i++) {
		const struct import_reason *g = &r->reasons[i];
		printf("%s %ld: %s (%s", g->skipped ? "skipped" : "note", g->count, g->text,
		       r->row_word);
		for (long k = 0; k < g->count && k < IMPORT_FIRST_ROWS; k++)
			printf("%s %ld", k ? "," : "", g->rows[k]);
		printf("%s)", g->count > IMPORT_FIRST_ROWS ? ", ..." : "");
		if (g->example && *g->example && strcmp(g->example, g->text) != 0)
			printf(": %s", g->example);
		putchar('\n');
	}
}

int cmd_import(int argc, char **argv)
{
	const char *layer = NULL, *srs = NULL, *tzname = NULL, *order = NULL, *source = NULL;
	const char *ogr_layer = NULL, *unit = NULL, *bbox = NULL, *kind = NULL;
	double box[4];
	struct opt_list fields = {0};
	int skip_bad = 0, quiet = 0, dry_run = 0;
	char targets[IMPORT_REFERENCE + 1][256];
	char help[2200];
	for (int l = IMPORT_DISTRICTS; l <= IMPORT_REFERENCE; l++)
		import_targets((enum import_layer)l, targets[l], sizeof targets[l]);
	snprintf(help, sizeof help,
	         "Reads FILE (any vector format GDAL reads: GeoJSON, Shapefile, GeoPackage, KML, "
	         "GPX, CSV with\ncoordinate or WKT columns) into one layer of DB, reprojected to "
	         "EPSG:4326. One transaction per file:\nall or nothing unless --skip-bad. "
	         "Importing the same file again changes nothing.\n\nfields per layer "
	         "(--field TARGET=COLUMN; guessed from common names when not given):\n"
	         "  regions, districts, mahallas: %s\n  offences: %s\n  zones: %s\n  tracks: %s\n"
	         "  osm (an OpenStreetMap .osm, .osm.pbf or .osm.bz2 into the reference layers): "
	         "none, the tags say what each feature is\n"
	         "  reference (any vector file into the reference layers: a cadastre's buildings, "
	         "a street register; other columns are kept as tags): %s",
	         targets[IMPORT_MAHALLAS], targets[IMPORT_OFFENCES], targets[IMPORT_ZONES],
	         targets[IMPORT_TRACKS], targets[IMPORT_REFERENCE]);
	const struct opt table[] = {
	    {"layer", OPT_STRING, &layer, "LAYER",
	     "regions, districts, mahallas, offences, zones, tracks, osm or reference (required)",
	     0, 0, 0},
	    {"field", OPT_LIST, &fields, "TARGET=COLUMN", "take TARGET from the file's COLUMN", 0,
	     0, 0},
	    {"srs", OPT_STRING, &srs, "CRS",
	     "CRS of the coordinates (EPSG:2263, a WKT or PROJ string), overriding the file's", 0,
	     0, 0},
	    {"tz", OPT_STRING, &tzname, "ZONE",
	     "time zone of local times in the file (default: the districts' stored one, else "
	     "Asia/Tashkent); districts: their time zone, stored",
	     0, 0, 0},
	    {"date-order", OPT_STRING, &order, "dmy|mdy",
	     "order of 01/02/2020-style dates (default: slashes mdy, dots dmy)", 0, 0, 0},
	    {"source", OPT_STRING, &source, "NAME",
	     "id namespace for rows without an id column (default: the file name; reference: "
	     "of every id, default the file name without its extension)",
	     0, 0, 0},
	    {"ogr-layer", OPT_STRING, &ogr_layer, "NAME", "layer of a multi-layer file", 0, 0, 0},
	    {"unit", OPT_STRING, &unit, "UNIT",
	     "tracks: the unit of every fix (default: the GPX track's name or the unit field)", 0,
	     0, 0},
	    {"bbox", OPT_STRING, &bbox, "W,S,E,N",
	     "osm, reference: keep what meets this lon/lat box (default: the districts' extent)", 0,
	     0, 0},
	    {"kind", OPT_STRING, &kind, "KIND",
	     "reference: the kind of features without a kind column or value (landuse, park, "
	     "water, building, railway, street, poi, address)",
	     0, 0, 0},
	    {"skip-bad", OPT_FLAG, &skip_bad, NULL, "skip bad rows (reported) instead of failing",
	     0, 0, 0},
	    {"dry-run", OPT_FLAG, &dry_run, NULL,
	     "show the fields with sample values and what the import would do; write nothing", 0, 0,
	     0},
	    {"quiet", OPT_FLAG, &quiet, NULL, "no progress bar", 0, 0, 0},
	    {0},
	};
	const char *pos[2];
	int npos, rc;
	struct import_field maps[OPT_LIST_MAX];
	struct import_report rep = {0};
	store *st = NULL;

	rc = opts_parse("import", "DB --layer LAYER FILE", help, table, argc, argv, pos, 2, &npos);
	if (rc)
		return rc < 0 ? rc : 0;
	if (npos != 2)
		return err_set(ERR_INVALID, "import needs DB and FILE (see posbon import --help)");
	if (!layer)
		return err_set(ERR_INVALID, "--layer is required (districts, mahallas, offences, "
		                            "zones, tracks, osm or reference)");
	struct import_options o = {.path = pos[1],
	                           .srs = srs,
	                           .timezone = tzname,
	                           .source = source,
	                           .ogr_layer = ogr_layer,
	                           .skip_bad = skip_bad,
	                           .dry_run = dry_run,
	                           .unit = unit,
	                           .kind = kind,
	                           .fields = maps,
	                           .n_fields = (size_t)fields.n};
	if ((rc = import_layer_parse(layer, &o.layer)) < 0)
		return rc;
	if (bbox) {
		if (numtext_list(bbox, ',', box, 4) < 0 || !(box[0] < box[2] && box[1] < box[3]) ||
		    box[0] < -180 || box[2] > 180 || box[1] < -90 || box[3] > 90)
			return err_set_field(
			    ERR_INVALID, "bbox",
			    "--bbox '%s': expected WEST,SOUTH,EAST,NORTH in degrees, "
			    "west < east and south < north",
			    bbox);
		o.bbox = box;
	}
	if (order && strcmp(order, "dmy") == 0)
		o.date_order = DATE_ORDER_DMY;
	else if (order && strcmp(order, "mdy") == 0)
		o.date_order = DATE_ORDER_MDY;
	else if (order)
		return err_set(ERR_INVALID, "--date-order: '%s' is neither dmy nor mdy", order);
	for (int i = 0; i < fields.n; i++) {
		static char copies[OPT_LIST_MAX][256];
		const char *eq = strchr(fields.items[i], '=');
		if (!eq || eq == fields.items[i] || !eq[1])
			return err_set(ERR_INVALID, "--field '%s': expected TARGET=COLUMN",
			               fields.items[i]);
		snprintf(copies[i], sizeof copies[i], "%.*s", (int)(eq - fields.items[i]),
		         fields.items[i]);
		maps[i].target = copies[i];
		maps[i].source = eq + 1;
	}
	struct progress progress = {0};
	if (!quiet && isatty(2)) {
		o.progress = show_progress;
		o.progress_ctx = &progress;
	}
	/* A dry run against a database that is not there yet reads the file
	 * into an empty one in memory, so that it creates no file. */
	if (dry_run && access(pos[0], F_OK) != 0)
		rc = store_open(":memory:", STORE_CREATE, &st);
	else
		rc = store_open(pos[0], dry_run ? 0 : STORE_CREATE, &st);
	if (rc < 0)
		return rc;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = import_run(st, &o, &rep);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc == 0)
		print_report(o.path, &rep,
		             (double)(t1.tv_sec - t0.tv_sec) +
		                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		             dry_run, o.layer);
	else if (dry_run && rep.mapping)
		print_previews(&rep);
	if (rc < 0 && rc != ERR_NOMEM)
		err_set(rc, "%s\nnothing of %s was stored", err_msg(), o.path);
	import_report_free(&rep);
	store_close(st);
	return rc;
}
