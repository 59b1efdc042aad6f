/*
 * Import rows (import.c) from CSV and GeoJSON: the field guessing, the
 * date and time columns, coordinates, codes, geometries and ids of each
 * layer, into a sample district's store (its mahallas locate offences).
 *
 * Input: a format byte ('c' CSV, 'x' OpenStreetMap XML, 'h' the text of
 * an OSM other_tags field alone, anything else GeoJSON), a layer byte ('o'
 * offences, 'm' mahallas, 'd' districts, 'z' zones, 't' tracks, 'r' the
 * reference layers with --kind poi for rows without a kind; OSM XML goes
 * to the reference layers whatever it says), then the file. It is
 * written to GDAL's /vsimem/ and imported all or nothing, as `posbon
 * import` does; a valid file stays imported.
 */
#include "fuzzutil.h"
#include "import.h"
#include "osmtags.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static store *st;
	if (!st) {
		st = fuzzutil_sample_store("import.sqlite");
		CPLSetErrorHandler(CPLQuietErrorHandler);
	}
	if (size < 2)
		return 0;
	struct import_options o = {.layer = IMPORT_OFFENCES, .source = "fuzz"};
	switch (data[1]) {
	case 'm':
		o.layer = IMPORT_MAHALLAS;
		break;
	case 'd':
		o.layer = IMPORT_DISTRICTS;
		break;
	case 'z':
		o.layer = IMPORT_ZONES;
		break;
	case 't':
		o.layer = IMPORT_TRACKS;
		break;
	case 'r':
		o.layer = IMPORT_REFERENCE;
		o.kind = "poi";
		break;
	}
	if (data[0] == 'h') {
		osmtags *t;
		char *text = malloc(size - 1);
		if (text && osmtags_new(&t) == 0) {
			memcpy(text, data + 2, size - 2);
			text[size - 2] = '\0';
			osmtags_parse_hstore(t, text);
			struct osmtags_class c;
			osmtags_classify(t, (enum osmtags_shape)(data[1] % 3), &c);
			osmtags_free(t);
		}
		free(text);
		return 0;
	}
	if (data[0] == 'x')
		o.layer = IMPORT_OSM;
	o.path = data[0] == 'c'   ? "/vsimem/fuzz.csv"
	         : data[0] == 'x' ? "/vsimem/fuzz.osm"
	                          : "/vsimem/fuzz.geojson";
	GByte *copy = CPLMalloc(size - 2 + 1);
	memcpy(copy, data + 2, size - 2);
	VSILFILE *f = VSIFileFromMemBuffer(o.path, copy, (vsi_l_offset)(size - 2), TRUE);
	if (!f) {
		CPLFree(copy);
		return 0;
	}
	VSIFCloseL(f);
	struct import_report rep;
	import_run(st, &o, &rep);
	import_report_free(&rep);
	VSIUnlink(o.path);
	return 0;
}
