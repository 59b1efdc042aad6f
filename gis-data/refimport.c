/*
 * refimport: rows of any vector file -> reference features (refimport.h).
 * The row's values come from import.c (importer_val()); what is left of
 * the row is its unmapped columns, kept as tags, and its geometry.
 */
#include "refimport.h"

#include "err.h"
#include "importer.h"
#include "osmtags.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Column names compare folded: lower case, letters and digits only. */
const struct fieldguess_target refimport_targets[] = {
    {"id",
     {"externalid", "id", "osmid", "objectid", "gid", "uid", "uuid", "cadastralnumber", "cadnum",
      "kadastrraqami", "kadastr"}},
    {"kind", {"kind", "refkind"}},
    {"class", {"class", "fclass", "highway", "streetclass", "roadclass"}},
    {"poi", {"poi"}},
    {"name", {"name", "nomi", "nazvanie", "title"}},
    {"name_uz", {"nameuz", "nomiuz", "nameuzlatn", "uz", "uzlatn"}},
    {"name_uz_cyrl", {"nameuzcyrl", "nomiuzcyrl", "nameuzcyr", "uzcyrl", "uzcyr"}},
    {"name_ru", {"nameru", "nomiru", "nazvanieru", "ru"}},
    {"name_en", {"nameen", "nomien", "en"}},
    {"street", {"street", "addrstreet", "streetname", "kocha", "kochanomi", "ulitsa", "ulica"}},
    {"housenumber",
     {"housenumber", "addrhousenumber", "housenr", "houseno", "house", "number", "uy", "uyraqami",
      "dom", "nomer"}},
    {NULL, {NULL}},
};

struct refimport {
	osmtags *tags;        /* the row's unmapped columns */
	unsigned char *taken; /* per column of the file: mapped to a target */
	char source[128];     /* the prefix of external ids */
	char kinds[160];      /* "landuse, park, ...", for messages */
	unsigned char *wkb;
	size_t wkb_cap;
};

int refimport_box(store *st, const struct import_options *o, struct import_report *rep)
{
	struct store_extent e;
	if (o->bbox) {
		memcpy(rep->box, o->bbox, sizeof rep->box);
		rep->boxed = 1;
		return 0;
	}
	int rc = store_area_extent(st, &e);
	if (rc < 0 || e.empty)
		return rc;
	rep->box[0] = e.minx;
	rep->box[1] = e.miny;
	rep->box[2] = e.maxx;
	rep->box[3] = e.maxy;
	rep->boxed = 1;
	return 0;
}

int refimport_beyond(struct import_report *rep, OGRGeometryH g)
{
	OGREnvelope e;
	if (!rep->boxed)
		return 0;
	OGR_G_GetEnvelope(g, &e);
	if (e.MaxX < rep->box[0] || e.MinX > rep->box[2] || e.MaxY < rep->box[1] ||
	    e.MinY > rep->box[3]) {
		rep->beyond++;
		return 1;
	}
	return 0;
}

/* The index of kind in osmtags_kinds, case ignored, or -1. */
static int kind_index(const char *kind)
{
	for (int i = 0; kind && i < OSMTAGS_KINDS; i++)
		if (strcasecmp(kind, osmtags_kinds[i]) == 0)
			return i;
	return -1;
}

/* The prefix of ids (refimport.h): --source, else the file's name without
 * its extension ("buildings.shp" and "buildings.gpkg" are one source), and
 * the layer's name after a slash when it is another ("city/streets" for
 * the streets of city.gpkg), so that two layers of a file keep apart. */
static void source_of(const struct importer *im, char *buf, size_t n)
{
	const char *path = im->o->path, *base = strrchr(path, '/');
	const char *layer = OGR_L_GetName(im->layer);
	if (im->o->source) {
		snprintf(buf, n, "%s", im->o->source);
		return;
	}
	snprintf(buf, n, "%s", base ? base + 1 : path);
	char *dot = strrchr(buf, '.');
	if (dot && dot != buf)
		*dot = '\0';
	if (strcmp(buf, layer) != 0) {
		size_t used = strlen(buf);
		snprintf(buf + used, n - used, "/%s", layer);
	}
}

int refimport_begin(struct importer *im)
{
	const struct import_options *o = im->o;
	struct refimport *r = calloc(1, sizeof *r);
	char columns[700];
	int rc;
	if (!r || !(r->taken = calloc((size_t)im->n_fields + 1, 1)))
		goto nomem;
	im->ref = r;
	for (int k = 0; k < OSMTAGS_KINDS; k++) {
		size_t used = strlen(r->kinds);
		snprintf(r->kinds + used, sizeof r->kinds - used, "%s%s", k ? ", " : "",
		         osmtags_kinds[k]);
	}
	if (o->kind && kind_index(o->kind) < 0)
		return err_set_field(ERR_INVALID, "kind",
		                     "--kind '%s': not a kind of the reference layers (kinds: %s)",
		                     o->kind, r->kinds);
	if (!o->kind && im->map.col[fieldguess_target(im->targets, "kind")] < 0)
		return err_set_field(
		    ERR_INVALID, "kind",
		    "%s: what are its features? Give --kind KIND for the whole file "
		    "or --field kind=COLUMN (kinds: %s; the file's columns: %s)",
		    o->path, r->kinds, fieldguess_columns(im->defn, columns, sizeof columns));
	for (int t = 0; im->targets[t].name; t++)
		if (im->map.col[t] >= 0)
			r->taken[im->map.col[t]] = 1;
	if (OGR_L_GetGeomType(im->layer) == wkbNone)
		return err_set(ERR_INVALID,
		               "%s: layer %s has no geometry (a CSV needs a WKT column; for "
		               "longitude and latitude columns convert it first: ogr2ogr -oo "
		               "X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat out.gpkg FILE)",
		               o->path, OGR_L_GetName(im->layer));
	/* OGR keeps a CSV's WKT column as a field too: it is the geometry. */
	int wkt = OGR_FD_GetFieldIndex(im->defn, "WKT");
	if (wkt >= 0)
		r->taken[wkt] = 1;
	source_of(im, r->source, sizeof r->source);
	if ((rc = osmtags_new(&r->tags)) < 0)
		return rc;
	return refimport_box(im->st, o, im->rep);
nomem:
	free(r);
	return err_set(ERR_NOMEM, "reference import: out of memory");
}

void refimport_free(struct refimport *r)
{
	if (!r)
		return;
	osmtags_free(r->tags);
	free(r->taken);
	free(r->wkb);
	free(r);
}

/* The stored class of the row's class value for kind (NULL: none). */
static int class_of(struct importer *im, int kind, const char **cls)
{
	const char *v = importer_val(im, "class");
	char lower[64];
	*cls = v;
	if (!v || kind != OSMTAGS_STREET)
		return 0;
	size_t n = strlen(v);
	for (size_t i = 0; i <= n && n < sizeof lower; i++)
		lower[i] = (char)tolower((unsigned char)v[i]);
	if (n < sizeof lower && (*cls = osmtags_street_class(lower)) != NULL)
		return 0;
	return importer_row_error(im, ERR_INVALID, "not a street class",
	                          "field class: '%s' is not a street class (motorway, trunk, "
	                          "primary, secondary, tertiary, residential, service, pedestrian, "
	                          "track, path, or another OpenStreetMap highway value)",
	                          v);
}

/* The shapes the base map draws a kind in: 1 points, 2 lines, 4 areas. */
static int drawn_shapes(int kind)
{
	static const unsigned char shapes[OSMTAGS_KINDS] = {
	    [OSMTAGS_LANDUSE] = 4,  [OSMTAGS_PARK] = 4,    [OSMTAGS_WATER] = 6,
	    [OSMTAGS_BUILDING] = 4, [OSMTAGS_RAILWAY] = 2, [OSMTAGS_STREET] = 2,
	    [OSMTAGS_POI] = 7,      [OSMTAGS_ADDRESS] = 7,
	};
	return shapes[kind];
}

/* Notes a feature the base map will not draw in its shape. */
static int note_shape(struct importer *im, int kind, OGRGeometryH g)
{
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
	int shape = t == wkbPoint || t == wkbMultiPoint             ? 1
	            : t == wkbLineString || t == wkbMultiLineString ? 2
	            : t == wkbPolygon || t == wkbMultiPolygon       ? 4
	                                                            : 0;
	char reason[160];
	if (!shape || (shape & drawn_shapes(kind)))
		return 0;
	snprintf(reason, sizeof reason,
	         "stored, not drawn: the base map draws no %s as a %s (it is still a place for "
	         "addresses and names)",
	         osmtags_kinds[kind], OGRGeometryTypeToName(t));
	return import_report_note(im->rep, im->row, reason, NULL, 0);
}

/* The row's columns that no target took, into r->tags. */
static int read_tags(struct importer *im, OGRFeatureH f)
{
	struct refimport *r = im->ref;
	osmtags_clear(r->tags);
	for (int i = 0; i < im->n_fields; i++) {
		if (r->taken[i] || !OGR_F_IsFieldSetAndNotNull(f, i))
			continue;
		const char *v = OGR_F_GetFieldAsString(f, i);
		int rc = fieldguess_is_empty(v)
		             ? 0
		             : osmtags_add(r->tags,
		                           OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(im->defn, i)), v);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* The geometry as ISO WKB into r->wkb (*len bytes). */
static int to_wkb(struct refimport *r, OGRGeometryH g, size_t *len)
{
	*len = (size_t)OGR_G_WkbSize(g);
	if (*len > r->wkb_cap) {
		unsigned char *w = realloc(r->wkb, *len);
		if (!w)
			return err_set(ERR_NOMEM, "reference import: out of memory");
		r->wkb = w;
		r->wkb_cap = *len;
	}
	return OGR_G_ExportToIsoWkb(g, wkbNDR, r->wkb) == OGRERR_NONE
	           ? 0
	           : err_set(ERR_GEOMETRY, "geometry not writable as WKB");
}

int refimport_feature(struct importer *im, OGRFeatureH f)
{
	struct refimport *r = im->ref;
	OGRGeometryH g = NULL;
	char id[STORE_ID_MAX + 64], *json = NULL;
	const char *cls;
	struct store_put_info info;
	size_t len;
	int rc;

	const char *kind_text = importer_val(im, "kind") ? importer_val(im, "kind") : im->o->kind;
	int kind = kind_index(kind_text);
	if (!kind_text)
		return importer_row_error(
		    im, ERR_INVALID, "no kind",
		    "field kind: empty, and no --kind for the rest (kinds: %s)", r->kinds);
	if (kind < 0)
		return importer_row_error(im, ERR_INVALID, "unknown kind",
		                          "field kind: '%s' is not a kind of the reference layers "
		                          "(kinds: %s)",
		                          kind_text, r->kinds);
	if ((rc = class_of(im, kind, &cls)) < 0 || (rc = importer_geometry(im, f, &g)) < 0)
		return rc;
	if (OGR_G_HasCurveGeometry(g, 0)) {
		OGRGeometryH lines = OGR_G_GetLinearGeometry(g, 0, NULL);
		OGR_G_DestroyGeometry(g);
		if (!(g = lines))
			return err_set(ERR_NOMEM, "reference import: out of memory");
	}
	OGR_G_CloseRings(g);
	if (refimport_beyond(im->rep, g))
		goto out;
	if ((rc = read_tags(im, f)) < 0)
		goto out;
	if ((rc = to_wkb(r, g, &len)) < 0) {
		im->reason = rc == ERR_GEOMETRY ? "geometry not writable" : NULL;
		goto out;
	}
	if (importer_val(im, "id"))
		snprintf(id, sizeof id, "%s:%s", r->source, importer_val(im, "id"));
	else
		snprintf(id, sizeof id, "%s:%lld", r->source,
		         OGR_F_GetFID(f) == OGRNullFID ? (long long)im->row
		                                       : (long long)OGR_F_GetFID(f));
	if ((rc = importer_repeat_id(im, id, sizeof id, importer_val(im, "id") != NULL)) < 0)
		goto out;
	if (!(json = osmtags_json(r->tags))) {
		rc = err_set(ERR_NOMEM, "reference import: out of memory");
		goto out;
	}
	const char *names[] = {importer_val(im, "name_uz"), importer_val(im, "name_uz_cyrl"),
	                       importer_val(im, "name_ru"), importer_val(im, "name_en")};
	const char *name = importer_val(im, "name");
	for (size_t i = 0; !name && i < sizeof names / sizeof names[0]; i++)
		name = names[i];
	const char *poi = importer_val(im, "poi");
	if (!poi && kind == OSMTAGS_POI)
		poi = cls ? cls : "poi";
	struct store_ref_feature rf = {
	    .external_id = id,
	    .source = r->source,
	    .kind = osmtags_kinds[kind],
	    .cls = cls,
	    .poi = poi,
	    .name = name,
	    .name_uz = names[0],
	    .name_uz_cyrl = names[1],
	    .name_ru = names[2],
	    .name_en = names[3],
	    .street = importer_val(im, "street"),
	    .housenumber = importer_val(im, "housenumber"),
	    .tags = json,
	    .wkb = r->wkb,
	    .wkb_len = len,
	};
	if ((rc = store_put_ref_feature(im->st, &rf, &info)) < 0) {
		if (rc == ERR_GEOMETRY || rc == ERR_INVALID)
			rc = importer_row_error(
			    im, rc,
			    rc == ERR_GEOMETRY ? "geometry SpatiaLite cannot read"
			                       : "reference feature refused",
			    "field %s: %s", err_field() ? err_field() : "-", err_msg());
		goto out;
	}
	im->rep->by_kind[kind]++;
	im->rep->pois += poi != NULL;
	if ((rc = importer_put_info(im, &info)) == 0)
		rc = note_shape(im, kind, g);
out:
	free(json);
	OGR_G_DestroyGeometry(g);
	return rc;
}
