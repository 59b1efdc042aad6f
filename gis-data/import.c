/*
 * import: OGR layer -> store records.
 *
 * One pass over the features. Per feature the mapped fields are copied out of
 * OGR (its string getter reuses one buffer for numbers), the geometry is
 * unwrapped (GeometryCollections around MultiPolygons, single-point
 * MultiPoints), rings are closed, coordinates reprojected, and the record is
 * upserted. Polygon validity and repair happen in the store. Bad rows either
 * abort the file (rollback, error naming file:row and field) or, with
 * skip_bad, are grouped by reason in the report with their first row numbers.
 * Rows that are not errors but are not stored as points (no coordinates) are
 * reported the same way, never dropped silently.
 */
#include "import.h"

#include "civil.h"
#include "err.h"
#include "fieldguess.h"
#include "importer.h"
#include "osmimport.h"
#include "refimport.h"
#include "ringfix.h"
#include "zonecheck.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <ctype.h>
#include <gdal.h>
#include <limits.h>
#include <math.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Targets of each layer with the source names guessed for them. */
static const struct fieldguess_target area_targets[] = {
    {"code", {"code", "pcode", "adm2pcode", "districtcode", "mahallacode", "id", "precinct"}},
    {"name_uz", {"nameuz", "adm2uz", "adm1uz", "nomi", "name"}},
    {"name_ru", {"nameru", "adm2ru", "adm1ru", "nazvanie"}},
    {"name_en", {"nameen", "adm2en", "adm1en", "name"}},
    {"district", {"district", "districtcode", "tuman", "boro", "borough"}},
    {"population", {"population", "pop", "aholi"}},
    {"households", {"households", "xonadonlar", "hh"}},
    {"inspector", {"inspector", "profilaktikainspektori", "officer"}},
    {NULL, {NULL}},
};

static const struct fieldguess_target offence_targets[] = {
    {"id", {"externalid", "id", "incidentkey", "crimeid", "caseid", "uuid", "cmplntnum"}},
    {"date",
     {"date", "occurdate", "occurreddate", "incidentdate", "datetime", "occurredat", "month",
      "cmplntfrdt", "sana"}},
    {"time",
     {"time", "occurtime", "occurredtime", "incidenttime", "cmplntfrtm", "vaqt", "datetime",
      "timestamp", "hour", "soat"}},
    {"from", {"occurredfrom", "datefrom", "from"}},
    {"to", {"occurredto", "dateto", "to"}},
    {"reported", {"reportedat", "reportdate", "rptdt", "reported"}},
    {"category", {"category", "crimetype", "offence", "offense", "ofnsdesc", "type", "turi"}},
    {"service", {"service", "reportedby", "xizmat"}},
    {"article", {"article", "modda", "lawcode"}},
    {"severity", {"severity", "lawcatcd", "ogirlik"}},
    {"status", {"status", "lastoutcomecategory", "outcome", "crmatptcptdcd"}},
    {"address", {"address", "location", "manzil", "street"}},
    {"mahalla", {"mahalla", "mahallacode", "mahallaid"}},
    {"x", {"longitude", "lon", "lng", "long", "x"}},
    {"y", {"latitude", "lat", "y"}},
    {NULL, {NULL}},
};

static const struct fieldguess_target zone_targets[] = {
    {"id", {"externalid", "id", "zoneid", "sector"}},
    {"name", {"name", "zonename", "nomi", "sector"}},
    {"valid_from", {"validfrom", "from", "start"}},
    {"valid_to", {"validto", "to", "end"}},
    {"service", {"service", "xizmat"}},
    {"unit", {"unit", "bolinma"}},
    {"shift_start", {"shiftstart", "shiftfrom"}},
    {"shift_end", {"shiftend", "shiftto"}},
    {"weekdays", {"weekdays", "days"}},
    {"author", {"author", "createdby"}},
    {NULL, {NULL}},
};

static const struct fieldguess_target track_targets[] = {
    {"id", {"trackid", "track", "trksegid", "externalid", "id"}},
    {"unit", {"unit", "unitid", "vehicle", "callsign", "name"}},
    {"service", {"service", "xizmat"}},
    {"time", {"time", "timestamp", "datetime", "fixtime"}},
    {"started", {"startedat", "started", "start"}},
    {"ended", {"endedat", "ended", "end"}},
    {"x", {"longitude", "lon", "lng", "long", "x"}},
    {"y", {"latitude", "lat", "y"}},
    {NULL, {NULL}},
};

/* OpenStreetMap's tags say what each feature is: nothing to map. */
static const struct fieldguess_target osm_targets[] = {{NULL, {NULL}}};

static const struct fieldguess_target *const layer_targets[] = {
    [IMPORT_DISTRICTS] = area_targets, [IMPORT_MAHALLAS] = area_targets,
    [IMPORT_REGIONS] = area_targets,   [IMPORT_OFFENCES] = offence_targets,
    [IMPORT_ZONES] = zone_targets,     [IMPORT_TRACKS] = track_targets,
    [IMPORT_OSM] = osm_targets,        [IMPORT_REFERENCE] = refimport_targets,
};

static const char *const layer_names[] = {
    [IMPORT_DISTRICTS] = "districts",
    [IMPORT_MAHALLAS] = "mahallas",
    [IMPORT_REGIONS] = "regions",
    [IMPORT_OFFENCES] = "offences",
    [IMPORT_ZONES] = "zones",
    [IMPORT_TRACKS] = "tracks",
    [IMPORT_OSM] = "osm",
    [IMPORT_REFERENCE] = "reference",
};

#define LAYER_COUNT ((int)(sizeof layer_names / sizeof layer_names[0]))

int import_layer_parse(const char *name, enum import_layer *out)
{
	for (int i = 0; i < LAYER_COUNT; i++) {
		if (strcmp(name, layer_names[i]) == 0) {
			*out = (enum import_layer)i;
			return 0;
		}
	}
	return err_set(ERR_INVALID,
	               "unknown layer '%s': use regions, districts, mahallas, offences, zones, "
	               "tracks, osm or reference",
	               name);
}

const char *import_targets(enum import_layer layer, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct fieldguess_target *t = layer_targets[layer]; t->name && used < n; t++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", used ? ", " : "", t->name);
	return buf;
}

struct track_fix {
	char *key; /* track id or unit; owned */
	char *unit, *service;
	struct store_fix fix;
	long row;
};

static int target_index(const struct importer *im, const char *name)
{
	return fieldguess_target(im->targets, name);
}

const char *importer_val(const struct importer *im, const char *name)
{
	int t = target_index(im, name);
	return t >= 0 && im->vals[t] && im->vals[t][0] ? im->vals[t] : NULL;
}

static int copy_values(struct importer *im, OGRFeatureH f)
{
	for (int t = 0; im->targets[t].name; t++) {
		int fi = im->map.col[t];
		if (fi < 0 || !OGR_F_IsFieldSetAndNotNull(f, fi)) {
			if (im->vals[t])
				im->vals[t][0] = '\0';
			continue;
		}
		size_t len;
		const char *v = fieldguess_trim(OGR_F_GetFieldAsString(f, fi), &len);
		if (len + 1 > im->val_caps[t]) {
			char *b = realloc(im->vals[t], len + 64);
			if (!b)
				return err_set(ERR_NOMEM, "import: out of memory");
			im->vals[t] = b;
			im->val_caps[t] = len + 64;
		}
		memcpy(im->vals[t], v, len);
		im->vals[t][len] = '\0';
		if (fieldguess_is_empty(im->vals[t]))
			im->vals[t][0] = '\0';
	}
	return 0;
}

int importer_row_error(struct importer *im, int code, const char *reason, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	im->reason = reason;
	return err_set(code, "%s", msg);
}

int import_report_note(struct import_report *rep, long row, const char *reason, const char *example,
                       int skipped)
{
	struct import_reason *r = NULL;
	for (size_t i = 0; i < rep->n_reasons; i++)
		if (strcmp(rep->reasons[i].text, reason) == 0)
			r = &rep->reasons[i];
	if (!r) {
		struct import_reason *rs = realloc(rep->reasons, (rep->n_reasons + 1) * sizeof *rs);
		if (!rs)
			return err_set(ERR_NOMEM, "import: out of memory");
		rep->reasons = rs;
		r = &rs[rep->n_reasons];
		memset(r, 0, sizeof *r);
		r->text = strdup(reason);
		r->example = strdup(example ? example : "");
		r->skipped = skipped;
		if (!r->text || !r->example) {
			free(r->text);
			free(r->example);
			return err_set(ERR_NOMEM, "import: out of memory");
		}
		rep->n_reasons++;
	}
	if (r->count < IMPORT_FIRST_ROWS)
		r->rows[r->count] = row;
	r->count++;
	return 0;
}

/* --- fields and coordinates ------------------------------------------- */

static int map_fields(struct importer *im)
{
	char buf[1024];

	for (int t = 0; t < IMPORTER_MAX_TARGETS; t++)
		im->map.col[t] = -1;
	for (size_t i = 0; i < im->o->n_fields; i++) {
		const struct import_field *fm = &im->o->fields[i];
		int t = target_index(im, fm->target);
		if (t < 0)
			return err_set(ERR_INVALID,
			               "--field %s=%s: %s has no field '%s' (fields: %s)",
			               fm->target, fm->source, layer_names[im->o->layer],
			               fm->target, import_targets(im->o->layer, buf, sizeof buf));
		int fi = OGR_FD_GetFieldIndex(im->defn, fm->source);
		if (fi < 0)
			return err_set(ERR_INVALID, "--field %s=%s: %s has no column '%s'",
			               fm->target, fm->source, im->o->path, fm->source);
		im->map.col[t] = fi;
		im->map.how[t] = "--field";
		if (strcmp(fm->target, "x") == 0 || strcmp(fm->target, "y") == 0)
			im->coords_from_fields = 1;
	}
	fieldguess_by_name(im->targets, im->defn, &im->map);
	int xt = target_index(im, "x"), yt = target_index(im, "y");
	if (xt >= 0 && !im->coords_from_fields && OGR_L_GetGeomType(im->layer) == wkbNone &&
	    im->map.col[xt] >= 0 && im->map.col[yt] >= 0)
		im->coords_from_fields = 1;
	if (xt >= 0 && (im->map.col[xt] >= 0) != (im->map.col[yt] >= 0) && im->coords_from_fields)
		return err_set(ERR_INVALID,
		               "%s: both x and y columns are needed (--field x=COL "
		               "--field y=COL)",
		               im->o->path);
	int rc = fieldguess_sample_read(im->layer, FIELDGUESS_ROWS, &im->sample);
	if (rc == 0 && im->o->layer == IMPORT_OFFENCES)
		rc = fieldguess_when(&im->sample, im->zone, im->o->date_order, im->targets,
		                     &im->map);
	if (rc == 0)
		rc = fieldguess_previews(&im->sample, im->zone, im->o->date_order, im->targets,
		                         &im->map, im->defn, &im->rep->previews,
		                         &im->rep->n_previews);
	if (rc < 0)
		return rc;
	fieldguess_mapping_text(im->rep->previews, im->rep->n_previews, buf, sizeof buf);
	im->rep->mapping = strdup(buf);
	return im->rep->mapping ? 0 : err_set(ERR_NOMEM, "import: out of memory");
}

static int setup_crs(struct importer *im)
{
	OGRSpatialReferenceH layer_srs = OGR_L_GetSpatialRef(im->layer);
	im->wgs84 = OSRNewSpatialReference(NULL);
	if (!im->wgs84 || OSRImportFromEPSG(im->wgs84, 4326) != OGRERR_NONE)
		return err_set(ERR_PROJ, "cannot set up EPSG:4326 (is proj-data installed?)");
	OSRSetAxisMappingStrategy(im->wgs84, OAMS_TRADITIONAL_GIS_ORDER);
	if (im->o->srs) {
		im->src_srs = OSRNewSpatialReference(NULL);
		if (!im->src_srs || OSRSetFromUserInput(im->src_srs, im->o->srs) != OGRERR_NONE)
			return err_set(ERR_INVALID, "--srs %s: unknown coordinate reference system",
			               im->o->srs);
	} else if (layer_srs && !im->coords_from_fields) {
		im->src_srs = OSRClone(layer_srs);
	}
	if (!im->src_srs) {
		im->rep->crs = strdup("EPSG:4326 (assumed: the file names no CRS)");
		return im->rep->crs ? 0 : err_set(ERR_NOMEM, "import: out of memory");
	}
	OSRSetAxisMappingStrategy(im->src_srs, OAMS_TRADITIONAL_GIS_ORDER);
	const char *auth = OSRGetAuthorityName(im->src_srs, NULL);
	const char *code = OSRGetAuthorityCode(im->src_srs, NULL);
	const char *name = OSRGetName(im->src_srs);
	char buf[300];
	if (auth && code)
		snprintf(buf, sizeof buf, "%s:%s (%s)", auth, code, name ? name : "");
	else
		snprintf(buf, sizeof buf, "%s", name ? name : "unnamed CRS");
	if (!(im->rep->crs = strdup(buf)))
		return err_set(ERR_NOMEM, "import: out of memory");
	if (OSRIsSame(im->src_srs, im->wgs84))
		return 0;
	im->ct = OCTNewCoordinateTransformation(im->src_srs, im->wgs84);
	if (!im->ct)
		return err_set(ERR_PROJ, "%s: no transformation from %s to EPSG:4326: %s",
		               im->o->path, buf, CPLGetLastErrorMsg());
	return 0;
}

/* Checks and, without a CRS, vets a lon/lat pair. */
static int check_lonlat(struct importer *im, double x, double y, double ox, double oy)
{
	if (store_check_lonlat(x, y, "lon", "lat") == 0)
		return 0;
	if (!im->src_srs)
		return importer_row_error(
		    im, ERR_INVALID, "coordinates are not longitude/latitude",
		    "coordinates (%g, %g) are not longitude/latitude and the file "
		    "has no CRS: pass --srs EPSG:n",
		    ox, oy);
	return importer_row_error(
	    im, ERR_PROJ, "coordinates outside the CRS",
	    "coordinates (%g, %g) could not be transformed to longitude/latitude", ox, oy);
}

static int transform_point(struct importer *im, double *x, double *y)
{
	double ox = *x, oy = *y;
	if (im->ct && !OCTTransform(im->ct, 1, x, y, NULL))
		return importer_row_error(im, ERR_PROJ, "coordinates outside the CRS",
		                          "coordinates (%g, %g) could not be transformed", ox, oy);
	return check_lonlat(im, *x, *y, ox, oy);
}

static int parse_number(struct importer *im, const char *field, const char *v, double *out)
{
	char *end;
	*out = strtod(v, &end);
	while (*end == ' ')
		end++;
	if (end == v || *end || !isfinite(*out))
		return importer_row_error(im, ERR_INVALID, "field is not a number",
		                          "field %s: '%s' is not a number", field, v);
	return 0;
}

static int parse_long(struct importer *im, const char *field, const char *v, long *out)
{
	double d;
	int rc = parse_number(im, field, v, &d);
	if (rc < 0)
		return rc;
	if (d != floor(d) || d < 0 || d > 1e12)
		return importer_row_error(im, ERR_INVALID, "field is not a whole number",
		                          "field %s: '%s' is not a whole number", field, v);
	*out = (long)d;
	return 0;
}

/* The feature's point, *has = 0 when it has none. Exactly (0, 0) counts as
 * none: geocoders write it for addresses they could not place. */
static int feature_point(struct importer *im, OGRFeatureH f, int *has, double *x, double *y)
{
	*has = 0;
	if (im->coords_from_fields) {
		const char *xs = importer_val(im, "x"), *ys = importer_val(im, "y");
		if (!xs || !ys)
			return 0;
		int rc = parse_number(im, "x", xs, x);
		if (rc == 0)
			rc = parse_number(im, "y", ys, y);
		if (rc < 0)
			return rc;
	} else {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (!g || OGR_G_IsEmpty(g))
			return 0;
		OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(g));
		if ((type == wkbMultiPoint || type == wkbGeometryCollection) &&
		    OGR_G_GetGeometryCount(g) == 1) {
			g = OGR_G_GetGeometryRef(g, 0);
			type = wkbFlatten(OGR_G_GetGeometryType(g));
		}
		if (type != wkbPoint)
			return importer_row_error(im, ERR_GEOMETRY, "geometry is not a point",
			                          "geometry is a %s, not a point",
			                          OGRGeometryTypeToName(type));
		*x = OGR_G_GetX(g, 0);
		*y = OGR_G_GetY(g, 0);
	}
	if (*x == 0 && *y == 0)
		return 0;
	int rc = transform_point(im, x, y);
	if (rc == 0)
		*has = 1;
	return rc;
}

/* A boundary drawn as lines (in longitude/latitude) as a MultiPolygon in *g,
 * reported; lines that do not close are skipped and reported (*g NULL). */
static int close_lines(struct importer *im, OGRGeometryH *g)
{
	OGRGeometryH poly;
	double gap;
	char reason[100], note[100];
	int rc = ringfix_close(*g, RINGFIX_TOLERANCE_M, &poly, &gap);
	OGR_G_DestroyGeometry(*g);
	*g = poly;
	if (rc == ERR_GEOMETRY) {
		im->rep->skipped++;
		return import_report_note(im->rep, im->row, "boundary line not closed", err_msg(),
		                          1);
	}
	if (rc < 0)
		return rc;
	im->rep->closed_lines++;
	if (gap == 0)
		return import_report_note(im->rep, im->row,
		                          "repaired: boundary line (its ends met) made a polygon",
		                          NULL, 0);
	snprintf(reason, sizeof reason,
	         "repaired: boundary line closed across a gap of at most %g m",
	         RINGFIX_TOLERANCE_M);
	snprintf(note, sizeof note, "the ends were %.2f m apart", gap);
	return import_report_note(im->rep, im->row, reason, note, 0);
}

int importer_geometry(struct importer *im, OGRFeatureH f, OGRGeometryH *out)
{
	OGRGeometryH g = OGR_F_GetGeometryRef(f);
	OGREnvelope env;
	int rc = 0;
	*out = NULL;
	if (!g || OGR_G_IsEmpty(g))
		return importer_row_error(im, ERR_GEOMETRY, "no geometry",
		                          "feature has no geometry");
	if (!(g = OGR_G_Clone(g)))
		return err_set(ERR_NOMEM, "import: out of memory");
	OGR_G_FlattenTo2D(g);
	if (im->ct && OGR_G_Transform(g, im->ct) != OGRERR_NONE)
		rc = importer_row_error(im, ERR_PROJ, "coordinates outside the CRS",
		                        "geometry could not be transformed to longitude/latitude");
	if (rc == 0) {
		OGR_G_GetEnvelope(g, &env);
		if ((rc = check_lonlat(im, env.MinX, env.MinY, env.MinX, env.MinY)) == 0)
			rc = check_lonlat(im, env.MaxX, env.MaxY, env.MaxX, env.MaxY);
	}
	if (rc < 0)
		OGR_G_DestroyGeometry(g);
	else
		*out = g;
	return rc;
}

/* The feature's polygon as a new ISO WKB MultiPolygon in EPSG:4326 (free).
 * *wkb stays NULL for a feature skipped and reported. */
static int feature_polygon(struct importer *im, OGRFeatureH f, unsigned char **wkb, size_t *len)
{
	OGRGeometryH g;
	*wkb = NULL;
	int rc = importer_geometry(im, f, &g);
	if (rc < 0)
		return rc;
	OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(OGR_F_GetGeometryRef(f)));
	if (type == wkbLineString || type == wkbMultiLineString) {
		if ((rc = close_lines(im, &g)) < 0 || !g)
			goto out;
	} else {
		g = OGR_G_ForceToMultiPolygon(g);
	}
	if (!g || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbMultiPolygon || OGR_G_IsEmpty(g)) {
		rc = importer_row_error(im, ERR_GEOMETRY, "geometry is not a polygon",
		                        "geometry is a %s, not a polygon",
		                        OGRGeometryTypeToName(type));
		goto out;
	}
	OGR_G_CloseRings(g);
	*len = (size_t)OGR_G_WkbSize(g);
	if (!(*wkb = malloc(*len))) {
		rc = err_set(ERR_NOMEM, "import: out of memory");
		goto out;
	}
	OGR_G_ExportToIsoWkb(g, wkbNDR, *wkb);
out:
	OGR_G_DestroyGeometry(g);
	return rc;
}

/* --- ids ------------------------------------------------------------------ */

/* A stable external id for the current row into buf (see import.h). */
static int row_external_id(struct importer *im, OGRFeatureH f, char *buf, size_t n)
{
	const char *id = importer_val(im, "id");
	if (id) {
		snprintf(buf, n, "%s", id);
	} else {
		/* FNV-1a over every field and the geometry of the row. */
		uint64_t h = 1469598103934665603ULL;
		for (int i = 0; i < im->n_fields; i++) {
			const char *v =
			    OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i) : "";
			for (; *v; v++)
				h = (h ^ (unsigned char)*v) * 1099511628211ULL;
			h = (h ^ 0x1f) * 1099511628211ULL;
		}
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (g) {
			int len = OGR_G_WkbSize(g);
			unsigned char *b = malloc((size_t)len);
			if (!b)
				return err_set(ERR_NOMEM, "import: out of memory");
			OGR_G_ExportToIsoWkb(g, wkbNDR, b);
			for (int i = 0; i < len; i++)
				h = (h ^ b[i]) * 1099511628211ULL;
			free(b);
		}
		snprintf(buf, n, "%s:%016llx", im->source, (unsigned long long)h);
	}
	return importer_repeat_id(im, buf, n, id != NULL);
}

int importer_repeat_id(struct importer *im, char *buf, size_t n, int counted)
{
	int64_t seen;
	int rc = strmap_add(im->ids, buf, 1, &seen);
	if (rc < 0)
		return rc;
	if (seen > 1) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "#%lld", (long long)seen);
		im->rep->repeated_ids += counted;
	}
	return 0;
}

/* --- categories and services --------------------------------------------- */

/* After a skipped row is rolled back, the categories and services it created
 * are gone from the database: reload both resolvers so that later rows create
 * them again instead of failing on the foreign key. */
static int resolvers_load(struct importer *im)
{
	int rc;
	coderesolve_free(im->categories);
	coderesolve_free(im->services);
	im->categories = im->services = NULL;
	if ((rc = coderesolve_open(im->st, STORE_CATEGORIES, &im->categories)) < 0)
		return rc;
	return coderesolve_open(im->st, STORE_SERVICES, &im->services);
}

/* The stored code for a value from the file (coderesolve_get()), a new
 * one noted in the report. *code is borrowed from the resolver. */
static int resolve(struct importer *im, coderesolve *r, const char *value, const char **code)
{
	char note[200];
	int created, rc = coderesolve_get(r, value, code, &created);
	if (rc == ERR_INVALID)
		return importer_row_error(im, rc, "unusable code", "'%s' cannot be a code", value);
	if (rc < 0 || !created)
		return rc;
	snprintf(note, sizeof note, "new %s '%s' (code %s)",
	         r == im->services ? "service" : "category", value, *code);
	return import_report_note(im->rep, im->row, note, NULL, 0);
}

/* --- times ---------------------------------------------------------------- */

static int parse_time_fields(struct importer *im, const char *date, const char *time,
                             const char *what, struct time_span *span)
{
	if (timeparse_parse(im->zone, date, time, im->o->date_order, span) < 0)
		return importer_row_error(im, ERR_INVALID, "unreadable date or time",
		                          "field %s: %s", what, err_msg());
	return 0;
}

/* Minutes after midnight from "HH:MM" ("24:00" allowed as an end), or
 * "HH:MM:00" as OGR writes the values of its Time fields (GeoJSON "18:00"
 * is read as one). */
static int parse_clock(struct importer *im, const char *field, const char *v, int *minutes)
{
	if (zonecheck_clock(v, minutes) < 0)
		return importer_row_error(im, ERR_INVALID, "unreadable shift time", "field %s: %s",
		                          field, err_msg());
	return 0;
}

static int parse_weekdays(struct importer *im, const char *v, unsigned *mask)
{
	if (timeparse_weekdays(v, mask) < 0)
		return importer_row_error(im, ERR_INVALID, "unreadable weekdays",
		                          "field weekdays: %s", err_msg());
	return 0;
}

/* --- rows of each layer --------------------------------------------------- */

int importer_put_info(struct importer *im, const struct store_put_info *info)
{
	switch (info->change) {
	case STORE_INSERTED:
		im->rep->inserted++;
		break;
	case STORE_UPDATED:
		im->rep->updated++;
		break;
	case STORE_UNCHANGED:
		im->rep->unchanged++;
		break;
	}
	if (info->repaired) {
		char note[260];
		im->rep->repaired++;
		snprintf(note, sizeof note, "invalid polygon repaired with MakeValid (%s)",
		         info->reason);
		return import_report_note(im->rep, im->row,
		                          "invalid polygon repaired with MakeValid", note, 0);
	}
	return 0;
}

static int import_area(struct importer *im, OGRFeatureH f)
{
	unsigned char *wkb = NULL;
	size_t len = 0;
	char code[96];
	long population = -1, households = -1;
	struct store_put_info info;
	int rc;
	int mahalla = im->o->layer == IMPORT_MAHALLAS;

	const char *name_en = importer_val(im, "name_en"), *name_uz = importer_val(im, "name_uz");
	if (importer_val(im, "code"))
		snprintf(code, sizeof code, "%s", importer_val(im, "code"));
	else if (name_en || name_uz)
		coderesolve_slug(name_en ? name_en : name_uz, code, sizeof code);
	else
		return importer_row_error(im, ERR_INVALID, "no code and no name",
		                          "neither a code nor a name (--field code=COLUMN)");
	if (importer_val(im, "population") &&
	    (rc = parse_long(im, "population", importer_val(im, "population"), &population)) < 0)
		return rc;
	if (importer_val(im, "households") &&
	    (rc = parse_long(im, "households", importer_val(im, "households"), &households)) < 0)
		return rc;
	if ((rc = feature_polygon(im, f, &wkb, &len)) < 0 || !wkb)
		return rc;
	struct store_area a = {
	    .code = code,
	    .name_uz = name_uz,
	    .name_ru = importer_val(im, "name_ru"),
	    .name_en = name_en,
	    .district_code = importer_val(im, "district"),
	    .population = population,
	    .households = households,
	    .inspector = importer_val(im, "inspector"),
	    .tz = im->o->layer == IMPORT_DISTRICTS ? im->o->timezone : NULL,
	    .wkb = wkb,
	    .wkb_len = len,
	};
	rc = mahalla                          ? store_put_mahalla(im->st, &a, &info)
	     : im->o->layer == IMPORT_REGIONS ? store_put_region(im->st, &a, &info)
	                                      : store_put_district(im->st, &a, &info);
	free(wkb);
	if (rc < 0) {
		im->reason = rc == ERR_GEOMETRY ? "polygon cannot be repaired" : "database refused";
		return rc;
	}
	if (mahalla && (rc = strmap_put(im->mahalla_codes, code, 1)) < 0)
		return rc;
	return importer_put_info(im, &info);
}

/* The report's group for an offence store_check_offence() refused. */
static const char *offence_reason(const char *field)
{
	static const char *const reasons[][2] = {
	    {"id", "id too long"},
	    {"to", "time span ends before it starts"},
	    {"severity", "field is out of range"},
	};
	for (size_t i = 0; field && i < sizeof reasons / sizeof reasons[0]; i++)
		if (strcmp(field, reasons[i][0]) == 0)
			return reasons[i][1];
	return "invalid offence";
}

/* A point for the row's address (geocode.h): *located_by the level and
 * (x, y) for a house or a street; else the mahalla the address names when
 * the row gave none. An address of a store with streets that is not found
 * is noted. */
static int locate(struct importer *im, const char **mahalla, const char **located_by, double *x,
                  double *y)
{
	struct geocode_result r;
	int rc;
	if (!im->geo && (rc = geocode_open(im->st, &im->geo)) < 0)
		return rc;
	geocode_find(im->geo, importer_val(im, "address"), *mahalla, &r);
	if (r.level == GEOCODE_HOUSE || r.level == GEOCODE_STREET) {
		*located_by = geocode_level_name(r.level);
		*x = r.lon;
		*y = r.lat;
		return 0;
	}
	if (!*mahalla)
		*mahalla = r.mahalla;
	return geocode_has_ground(im->geo)
	           ? import_report_note(im->rep, im->row, "address not found on the ground",
	                                importer_val(im, "address"), 0)
	           : 0;
}

static int import_offence(struct importer *im, OGRFeatureH f)
{
	/* One longer than an id may be, so that a longer one is refused
	 * rather than cut. */
	char id[STORE_ID_MAX + 2];
	struct time_span span = {STORE_NO_TIME, STORE_NO_TIME, PREC_UNKNOWN};
	struct time_span reported = {STORE_NO_TIME, STORE_NO_TIME, PREC_UNKNOWN};
	struct store_put_info info;
	double x = 0, y = 0;
	int has_point = 0, rc;
	long severity = 0;

	if ((rc = feature_point(im, f, &has_point, &x, &y)) < 0)
		return rc;
	const char *mahalla = importer_val(im, "mahalla"), *located_by = NULL;
	if (!has_point && importer_val(im, "address") &&
	    (rc = locate(im, &mahalla, &located_by, &x, &y)) < 0)
		return rc;
	has_point |= located_by != NULL;
	if (!has_point && !mahalla) {
		if ((rc = import_report_note(im->rep, im->row, "no coordinates and no mahalla code",
		                             NULL, 1)) < 0)
			return rc;
		im->rep->skipped++;
		im->no_place++;
		return 0;
	}
	if (!has_point) {
		int64_t known;
		if (!strmap_get(im->mahalla_codes, mahalla, &known))
			return importer_row_error(im, ERR_INVALID, "unknown mahalla code",
			                          "field mahalla: no mahalla has the code '%s'",
			                          mahalla);
	}
	if (importer_val(im, "from") || importer_val(im, "to")) {
		struct time_span a, b;
		if (!importer_val(im, "from") || !importer_val(im, "to"))
			return importer_row_error(im, ERR_INVALID, "half a time span",
			                          "fields from and to: both are needed for a span");
		if ((rc = parse_time_fields(im, importer_val(im, "from"), NULL, "from", &a)) < 0 ||
		    (rc = parse_time_fields(im, importer_val(im, "to"), NULL, "to", &b)) < 0)
			return rc;
		span.from = a.from;
		span.to = b.to;
		span.precision = a.from == b.to ? a.precision : PREC_SPAN;
	} else if (importer_val(im, "date")) {
		if ((rc = parse_time_fields(im, importer_val(im, "date"), importer_val(im, "time"),
		                            "date", &span)) < 0)
			return rc;
	} else if ((rc = import_report_note(im->rep, im->row,
	                                    "no date: stored with an unknown time", NULL, 0)) < 0) {
		return rc;
	}
	if (importer_val(im, "reported") &&
	    (rc = parse_time_fields(im, importer_val(im, "reported"), NULL, "reported",
	                            &reported)) < 0)
		return rc;
	if (importer_val(im, "severity") &&
	    (rc = parse_long(im, "severity", importer_val(im, "severity"), &severity)) < 0)
		return rc;
	const char *category, *service;
	if ((rc = resolve(im, im->categories, importer_val(im, "category"), &category)) < 0 ||
	    (rc = resolve(im, im->services, importer_val(im, "service"), &service)) < 0)
		return rc;
	if ((rc = row_external_id(im, f, id, sizeof id)) < 0)
		return rc;
	struct store_offence o = {
	    .external_id = id,
	    .occurred_from = span.from,
	    .occurred_to = span.to,
	    .precision = span.precision,
	    .reported_at = reported.from,
	    .category = category,
	    .service = service,
	    .article = importer_val(im, "article"),
	    .status = importer_val(im, "status"),
	    .address = importer_val(im, "address"),
	    /* beyond an int: refused below as out of range */
	    .severity = severity > INT_MAX ? INT_MAX : (int)severity,
	    .mahalla_code = mahalla,
	    .has_point = has_point,
	    .lon = x,
	    .lat = y,
	    .located_by = located_by,
	};
	if (store_check_offence(&o) < 0)
		return importer_row_error(im, ERR_INVALID, offence_reason(err_field()),
		                          "field %s: %s", err_field(), err_msg());
	if ((rc = store_put_offence(im->st, &o, &info)) < 0) {
		im->reason = "database refused";
		return rc;
	}
	if (info.outside)
		im->rep->outside += strmap_count(im->mahalla_codes) > 0;
	if (!has_point)
		im->rep->by_mahalla_code++;
	else if (located_by)
		++*(strcmp(located_by, STORE_LOCATED_HOUSE) == 0 ? &im->rep->by_house
		                                                 : &im->rep->by_street);
	/* counted once stored: a row refused later (--skip-bad) loses nothing */
	if (!importer_val(im, "from") && !importer_val(im, "to") && !importer_val(im, "date"))
		im->no_time++;
	return importer_put_info(im, &info);
}

/* s without its leading and trailing spaces, cut in place. */
static char *trim_spaces(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

static int import_zone(struct importer *im, OGRFeatureH f)
{
	enum { MAX_JOINT = 8 };
	struct store_assignment as[MAX_JOINT];
	char *services_copy = NULL, *units_copy = NULL;
	unsigned char *wkb = NULL;
	size_t len = 0, n_as = 0;
	char id[300], name[300];
	struct store_put_info info;
	int start = 0, end = CIVIL_MINUTES_PER_DAY, rc;
	unsigned weekdays;

	if ((rc = row_external_id(im, f, id, sizeof id)) < 0)
		return rc;
	snprintf(name, sizeof name, "%s", importer_val(im, "name") ? importer_val(im, "name") : id);
	if (importer_val(im, "shift_start") &&
	    (rc = parse_clock(im, "shift_start", importer_val(im, "shift_start"), &start)) < 0)
		return rc;
	if (importer_val(im, "shift_end") &&
	    (rc = parse_clock(im, "shift_end", importer_val(im, "shift_end"), &end)) < 0)
		return rc;
	if (start == CIVIL_MINUTES_PER_DAY)
		start = 0;
	if ((rc = parse_weekdays(im, importer_val(im, "weekdays"), &weekdays)) < 0)
		return rc;
	/* Before the services: a skipped zone must not create any. */
	if ((rc = feature_polygon(im, f, &wkb, &len)) < 0 || !wkb)
		return rc;
	/* "ppx;youth" with units "PPX-1;Y-2" is a joint patrol. */
	if (importer_val(im, "service")) {
		services_copy = strdup(importer_val(im, "service"));
		units_copy = importer_val(im, "unit") ? strdup(importer_val(im, "unit")) : NULL;
		if (!services_copy || (importer_val(im, "unit") && !units_copy)) {
			rc = err_set(ERR_NOMEM, "import: out of memory");
			goto out;
		}
		char *sv_save = NULL, *un_save = NULL;
		/* "PPX-1; Y-2": units are matched with tracks, so no stray spaces. */
		char *unit = units_copy ? strtok_r(units_copy, ";", &un_save) : NULL;
		for (char *sv = strtok_r(services_copy, ";", &sv_save); sv;
		     sv = strtok_r(NULL, ";", &sv_save)) {
			if (n_as == MAX_JOINT) {
				rc = importer_row_error(im, ERR_INVALID, "too many services",
				                        "field service: more than %d services",
				                        MAX_JOINT);
				goto out;
			}
			sv = trim_spaces(sv);
			const char *code;
			if ((rc = resolve(im, im->services, sv, &code)) < 0)
				goto out;
			as[n_as++] =
			    (struct store_assignment){.service = code,
			                              .unit = unit ? trim_spaces(unit) : NULL,
			                              .shift.start = start,
			                              .shift.end = end,
			                              .shift.weekdays = weekdays};
			if (unit)
				unit = strtok_r(NULL, ";", &un_save);
		}
	}
	struct store_zone z = {
	    .external_id = id,
	    .name = name,
	    .valid_from = importer_val(im, "valid_from"),
	    .valid_to = importer_val(im, "valid_to"),
	    .author = importer_val(im, "author"),
	    .wkb = wkb,
	    .wkb_len = len,
	    .assignments = as,
	    .n_assignments = n_as,
	};
	if ((rc = store_put_zone(im->st, &z, im->o->actor ? im->o->actor : "import", &info)) < 0) {
		im->reason = rc == ERR_GEOMETRY ? "polygon cannot be repaired" : "zone refused";
		goto out;
	}
	rc = importer_put_info(im, &info);
out:
	free(services_copy);
	free(units_copy);
	free(wkb);
	return rc;
}

/* A track from a line feature: times from M values, else spread evenly
 * between the started and ended fields. */
static int import_track_line(struct importer *im, OGRFeatureH f, OGRGeometryH g)
{
	struct store_fix *fixes = NULL;
	struct time_span started, ended;
	struct store_put_info info;
	char id[300];
	int rc = 0;

	g = OGR_G_Clone(g);
	if (!g)
		return err_set(ERR_NOMEM, "import: out of memory");
	if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiLineString)
		g = OGR_G_ForceToLineString(g);
	int n = OGR_G_GetPointCount(g);
	if (wkbFlatten(OGR_G_GetGeometryType(g)) != wkbLineString || n < 2) {
		rc = importer_row_error(im, ERR_GEOMETRY, "track is not a line",
		                        "track geometry is not a line of at least 2 points");
		goto out;
	}
	int measured = OGR_G_IsMeasured(g);
	if (!measured && !(importer_val(im, "started") && importer_val(im, "ended"))) {
		rc = importer_row_error(im, ERR_INVALID, "track without times",
		                        "line without M values needs started and ended fields");
		goto out;
	}
	if (!measured &&
	    ((rc = parse_time_fields(im, importer_val(im, "started"), NULL, "started", &started)) <
	         0 ||
	     (rc = parse_time_fields(im, importer_val(im, "ended"), NULL, "ended", &ended)) < 0))
		goto out;
	if (!(fixes = malloc((size_t)n * sizeof *fixes))) {
		rc = err_set(ERR_NOMEM, "import: out of memory");
		goto out;
	}
	for (int i = 0; i < n; i++) {
		double x, y, z, m;
		OGR_G_GetPointZM(g, i, &x, &y, &z, &m);
		if ((rc = transform_point(im, &x, &y)) < 0)
			goto out;
		fixes[i].lon = x;
		fixes[i].lat = y;
		fixes[i].t = measured ? (int64_t)llround(m)
		                      : started.from + (ended.from - started.from) * i / (n - 1);
	}
	if ((rc = row_external_id(im, f, id, sizeof id)) < 0)
		goto out;
	const char *service;
	if ((rc = resolve(im, im->services, importer_val(im, "service"), &service)) < 0)
		goto out;
	struct store_track t = {.external_id = id,
	                        .unit = im->o->unit                ? im->o->unit
	                                : importer_val(im, "unit") ? importer_val(im, "unit")
	                                                           : id,
	                        .service = service,
	                        .fixes = fixes,
	                        .n_fixes = (size_t)n};
	if ((rc = store_put_track(im->st, &t, &info)) < 0) {
		im->reason = "track refused";
		goto out;
	}
	rc = importer_put_info(im, &info);
out:
	free(fixes);
	OGR_G_DestroyGeometry(g);
	return rc;
}

/* A fix from a point feature, kept until the whole file is read. */
static int gather_fix(struct importer *im, OGRFeatureH f)
{
	struct time_span when;
	double x, y;
	int has, rc;
	if ((rc = feature_point(im, f, &has, &x, &y)) < 0)
		return rc;
	if (!has)
		return importer_row_error(im, ERR_INVALID, "fix without coordinates",
		                          "fix has no point");
	if (!importer_val(im, "time"))
		return importer_row_error(im, ERR_INVALID, "fix without a time",
		                          "field time: a GPS fix needs its time");
	if ((rc = parse_time_fields(im, importer_val(im, "time"), NULL, "time", &when)) < 0)
		return rc;
	const char *unit = im->o->unit ? im->o->unit : importer_val(im, "unit");
	char gpx_key[320];
	const char *key = importer_val(im, "id") ? importer_val(im, "id") : unit;
	if (im->gpx_track_field >= 0) {
		int track = OGR_F_GetFieldAsInteger(f, im->gpx_track_field);
		int segment = OGR_F_GetFieldAsInteger(f, im->gpx_segment_field);
		if (!im->o->unit && track >= 0 && (size_t)track < im->n_gpx_names &&
		    im->gpx_names[track])
			unit = im->gpx_names[track];
		if (!unit)
			return importer_row_error(
			    im, ERR_INVALID, "fix without a unit",
			    "GPX track %d has no name: give the unit (--unit)", track);
		snprintf(gpx_key, sizeof gpx_key, "%s/%d.%d", unit, track, segment);
		key = gpx_key;
	}
	if (!key)
		return importer_row_error(im, ERR_INVALID, "fix without a unit",
		                          "fields id/unit: a GPS fix needs its track or unit");
	if (im->n_fixes == im->cap_fixes) {
		size_t cap = im->cap_fixes ? im->cap_fixes * 2 : 1024;
		struct track_fix *fx = realloc(im->fixes, cap * sizeof *fx);
		if (!fx)
			return err_set(ERR_NOMEM, "import: out of memory");
		im->fixes = fx;
		im->cap_fixes = cap;
	}
	struct track_fix *tf = &im->fixes[im->n_fixes];
	tf->key = strdup(key);
	tf->unit = strdup(unit ? unit : key);
	tf->service = importer_val(im, "service") ? strdup(importer_val(im, "service")) : NULL;
	tf->fix = (struct store_fix){x, y, when.from};
	tf->row = im->row;
	im->n_fixes++;
	if (!tf->key || !tf->unit || (importer_val(im, "service") && !tf->service))
		return err_set(ERR_NOMEM, "import: out of memory");
	return 0;
}

static int compare_fix(const void *a, const void *b)
{
	const struct track_fix *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c)
		return c;
	return x->fix.t < y->fix.t ? -1 : x->fix.t > y->fix.t;
}

/* Splits gathered fixes into tracks: one per key, broken at gaps longer
 * than half an hour (a new patrol). */
static int flush_fixes(struct importer *im)
{
	const int64_t max_gap = 30 * 60;
	struct store_fix *run = NULL;
	int rc = 0;
	if (!im->n_fixes)
		return 0;
	qsort(im->fixes, im->n_fixes, sizeof *im->fixes, compare_fix);
	if (!(run = malloc(im->n_fixes * sizeof *run)))
		return err_set(ERR_NOMEM, "import: out of memory");
	size_t start = 0;
	for (size_t i = 1; i <= im->n_fixes && rc == 0; i++) {
		const struct track_fix *a = &im->fixes[i - 1];
		if (i < im->n_fixes && strcmp(a->key, im->fixes[i].key) == 0 &&
		    im->fixes[i].fix.t - a->fix.t <= max_gap)
			continue;
		size_t n = i - start;
		im->row = im->fixes[start].row;
		if (n < 2) {
			rc = import_report_note(im->rep, im->row,
			                        "lone GPS fix (no track of 2 or more)", NULL, 1);
			im->rep->skipped++;
			start = i;
			continue;
		}
		for (size_t k = 0; k < n; k++)
			run[k] = im->fixes[start + k].fix;
		char id[400];
		snprintf(id, sizeof id, "%s@%lld", im->fixes[start].key, (long long)run[0].t);
		const char *service;
		struct store_put_info info;
		if ((rc = resolve(im, im->services, im->fixes[start].service, &service)) < 0)
			break;
		struct store_track t = {.external_id = id,
		                        .unit = im->fixes[start].unit,
		                        .service = service,
		                        .fixes = run,
		                        .n_fixes = n};
		if ((rc = store_put_track(im->st, &t, &info)) < 0) {
			im->reason = "track refused";
			break;
		}
		rc = importer_put_info(im, &info);
		start = i;
	}
	free(run);
	return rc;
}

static int import_track(struct importer *im, OGRFeatureH f)
{
	OGRGeometryH g = OGR_F_GetGeometryRef(f);
	OGRwkbGeometryType type = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
	if (type == wkbLineString || type == wkbMultiLineString)
		return import_track_line(im, f, g);
	return gather_fix(im, f);
}

/* --- the run -------------------------------------------------------------- */

static void register_drivers(void)
{
	GDALAllRegister();
}

/* The names of a GPX file's tracks by FID, which its track points refer to
 * (track_fid, track_seg_id): a track's name is the patrol's unit. */
static int gpx_track_names(struct importer *im)
{
	OGRLayerH tracks = GDALDatasetGetLayerByName(im->ds, "tracks");
	im->gpx_track_field = OGR_FD_GetFieldIndex(im->defn, "track_fid");
	im->gpx_segment_field = OGR_FD_GetFieldIndex(im->defn, "track_seg_id");
	if (!tracks || im->gpx_track_field < 0 || im->gpx_segment_field < 0) {
		im->gpx_track_field = -1;
		return 0;
	}
	int name_field = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(tracks), "name");
	OGRFeatureH f;
	OGR_L_ResetReading(tracks);
	while ((f = OGR_L_GetNextFeature(tracks)) != NULL) {
		GIntBig fid = OGR_F_GetFID(f);
		const char *name = name_field >= 0 && OGR_F_IsFieldSetAndNotNull(f, name_field)
		                       ? OGR_F_GetFieldAsString(f, name_field)
		                       : NULL;
		int rc = 0;
		if (fid >= 0 && fid < 1000000 && (size_t)fid >= im->n_gpx_names) {
			char **v = realloc(im->gpx_names, ((size_t)fid + 1) * sizeof *v);
			if (v) {
				memset(v + im->n_gpx_names, 0,
				       ((size_t)fid + 1 - im->n_gpx_names) * sizeof *v);
				im->gpx_names = v;
				im->n_gpx_names = (size_t)fid + 1;
			} else {
				rc = err_set(ERR_NOMEM, "import: out of memory");
			}
		}
		if (rc == 0 && name && *name && fid >= 0 && (size_t)fid < im->n_gpx_names &&
		    !(im->gpx_names[fid] = strdup(name)))
			rc = err_set(ERR_NOMEM, "import: out of memory");
		OGR_F_Destroy(f);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int open_layer(struct importer *im)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, register_drivers);
	im->ds = GDALOpenEx(im->o->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
	if (!im->ds)
		return err_set(ERR_IO, "%s: cannot read as a vector file: %s", im->o->path,
		               *CPLGetLastErrorMsg() ? CPLGetLastErrorMsg() : "unknown format");
	const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(im->ds));
	int csv = strcmp(driver, "CSV") == 0, gpx = strcmp(driver, "GPX") == 0;
	im->rep->row_word = csv ? "row" : "feature";
	if (im->o->ogr_layer) {
		im->layer = GDALDatasetGetLayerByName(im->ds, im->o->ogr_layer);
		if (!im->layer)
			return err_set(ERR_INVALID, "%s: no layer named '%s'", im->o->path,
			               im->o->ogr_layer);
	} else {
		/* GPX files hold waypoints, routes and tracks; a patrol is its fixes. */
		if (im->o->layer == IMPORT_TRACKS && gpx)
			im->layer = GDALDatasetGetLayerByName(im->ds, "track_points");
		if (!im->layer && GDALDatasetGetLayerCount(im->ds) > 0)
			im->layer = GDALDatasetGetLayer(im->ds, 0);
		if (!im->layer)
			return err_set(ERR_INVALID, "%s: the file has no layers", im->o->path);
	}
	im->defn = OGR_L_GetLayerDefn(im->layer);
	im->n_fields = OGR_FD_GetFieldCount(im->defn);
	if (gpx && im->o->layer == IMPORT_TRACKS &&
	    strcmp(OGR_L_GetName(im->layer), "track_points") == 0) {
		int rc = gpx_track_names(im);
		if (rc < 0)
			return rc;
	}
	im->rep->layer_name = strdup(OGR_L_GetName(im->layer));
	return im->rep->layer_name ? 0 : err_set(ERR_NOMEM, "import: out of memory");
}

static int take_mahalla_code(void *ctx, const struct store_area_record *a)
{
	return strmap_put(ctx, a->area.code, 1);
}

static int load_mahalla_codes(struct importer *im)
{
	if (!(im->mahalla_codes = strmap_new()))
		return err_set(ERR_NOMEM, "import: out of memory");
	return store_list_areas(im->st, STORE_MAHALLAS, NULL, 0, take_mahalla_code,
	                        im->mahalla_codes);
}

static int import_feature(struct importer *im, OGRFeatureH f)
{
	int rc = copy_values(im, f);
	if (rc < 0)
		return rc;
	switch (im->o->layer) {
	case IMPORT_DISTRICTS:
	case IMPORT_MAHALLAS:
	case IMPORT_REGIONS:
		return import_area(im, f);
	case IMPORT_OFFENCES:
		return import_offence(im, f);
	case IMPORT_ZONES:
		return import_zone(im, f);
	case IMPORT_TRACKS:
		return import_track(im, f);
	case IMPORT_REFERENCE:
		return refimport_feature(im, f);
	case IMPORT_OSM: /* osmimport_run() */
		break;
	}
	return err_set(ERR_INVALID, "unknown layer");
}

/* Refuses offences whose mapping loses most rows' time or place (import.h). */
static int check_losses(struct importer *im)
{
	const struct import_report *r = im->rep;
	char columns[700];
	fieldguess_columns(im->defn, columns, sizeof columns);
	if (2 * im->no_time > r->read)
		return err_set(ERR_INVALID,
		               "%s: %ld of %ld %ss have no date, so they would be stored with an "
		               "unknown time (fields: %s; the file's columns: %s). Map the column "
		               "of dates (or of dates with times) with --field date=COLUMN, and a "
		               "separate time of day with --field time=COLUMN; --dry-run shows the "
		               "mapping with sample values",
		               im->o->path, im->no_time, r->read, r->row_word,
		               *r->mapping ? r->mapping : "none", columns);
	if (2 * im->no_place > r->read)
		return err_set(
		    ERR_INVALID,
		    "%s: %ld of %ld %ss have no coordinates and no mahalla code, so they "
		    "would be skipped (fields: %s; the file's columns: %s). Map the "
		    "coordinate columns with --field x=COLUMN --field y=COLUMN (and --srs "
		    "for projected ones), or the mahalla code with --field "
		    "mahalla=COLUMN; --dry-run shows the mapping with sample values",
		    im->o->path, im->no_place, r->read, r->row_word,
		    *r->mapping ? r->mapping : "none", columns);
	return 0;
}

int import_end(store *st, int rc, const struct import_options *o, const char *source,
               const struct import_report *r)
{
	if (rc == 0 && o->dry_run)
		return store_rollback(st);
	if (rc == 0) {
		char detail[600];
		snprintf(detail, sizeof detail,
		         "{\"layer\":\"%s\",\"read\":%ld,\"inserted\":%ld,\"updated\":%ld,"
		         "\"unchanged\":%ld,\"skipped\":%ld}",
		         layer_names[o->layer], r->read, r->inserted, r->updated, r->unchanged,
		         r->skipped);
		rc = store_audit(st, o->actor ? o->actor : "import", "import",
		                 layer_names[o->layer], source, detail);
		if (rc == 0 && (rc = store_commit(st)) == 0)
			return 0;
	}
	char saved[1024];
	snprintf(saved, sizeof saved, "%s", err_msg());
	store_rollback(st);
	return err_set(rc, "%s", saved); /* the rollback's own message is no news */
}

static void importer_cleanup(struct importer *im)
{
	for (size_t i = 0; i < im->n_fixes; i++) {
		free(im->fixes[i].key);
		free(im->fixes[i].unit);
		free(im->fixes[i].service);
	}
	free(im->fixes);
	for (size_t i = 0; i < im->n_gpx_names; i++)
		free(im->gpx_names[i]);
	free(im->gpx_names);
	for (int t = 0; t < IMPORTER_MAX_TARGETS; t++)
		free(im->vals[t]);
	fieldguess_sample_free(&im->sample);
	coderesolve_free(im->categories);
	coderesolve_free(im->services);
	strmap_free(im->ids);
	strmap_free(im->mahalla_codes);
	geocode_free(im->geo);
	refimport_free(im->ref);
	tz_free(im->zone);
	if (im->ct)
		OCTDestroyCoordinateTransformation(im->ct);
	if (im->src_srs)
		OSRDestroySpatialReference(im->src_srs);
	if (im->wgs84)
		OSRDestroySpatialReference(im->wgs84);
	if (im->ds)
		GDALClose(im->ds);
}

int import_run(store *st, const struct import_options *o, struct import_report *rep)
{
	struct importer im = {.st = st, .o = o, .rep = rep, .gpx_track_field = -1};
	OGRFeatureH f = NULL;
	int rc, in_txn = 0;

	if (o->layer == IMPORT_OSM)
		return osmimport_run(st, o, rep);
	memset(rep, 0, sizeof *rep);
	rep->row_word = "feature";
	if (o->kind && o->layer != IMPORT_REFERENCE)
		return err_set(ERR_INVALID, "--kind is for --layer reference only");
	im.targets = layer_targets[o->layer];
	CPLPushErrorHandler(CPLQuietErrorHandler);
	CPLErrorReset();

	const char *base = strrchr(o->path, '/');
	snprintf(im.source, sizeof im.source, "%s",
	         o->source ? o->source
	         : base    ? base + 1
	                   : o->path);
	char tzname[64];
	if ((rc = store_time_zone(st, tzname, sizeof tzname)) < 0 ||
	    (rc = tz_open(o->timezone ? o->timezone : tzname, &im.zone)) < 0)
		goto out;
	if ((rc = open_layer(&im)) < 0 || (rc = map_fields(&im)) < 0 || (rc = setup_crs(&im)) < 0)
		goto out;
	if (o->layer == IMPORT_REFERENCE && (rc = refimport_begin(&im)) < 0)
		goto out;
	if (!(im.ids = strmap_new())) {
		rc = err_set(ERR_NOMEM, "import: out of memory");
		goto out;
	}
	if ((rc = store_begin(st)) < 0)
		goto out;
	in_txn = 1;
	if (o->layer == IMPORT_OFFENCES && (rc = store_bulk_begin(st)) < 0)
		goto out;
	if ((rc = load_mahalla_codes(&im)) < 0 || (rc = resolvers_load(&im)) < 0)
		goto out;

	rep->no_mahallas = o->layer == IMPORT_OFFENCES && strmap_count(im.mahalla_codes) == 0;
	long total = (long)OGR_L_GetFeatureCount(im.layer, 0);
	int csv = strcmp(rep->row_word, "row") == 0;
	OGR_L_ResetReading(im.layer);
	for (long k = 1; (f = OGR_L_GetNextFeature(im.layer)) != NULL; k++) {
		im.row = csv ? k + 1 : k;
		im.reason = NULL;
		rep->read++;
		/* With skip_bad a row is all or nothing too: a zone whose second
		 * assignment fails must not stay half-written. */
		if (o->skip_bad && (rc = store_savepoint(st, "row")) < 0)
			goto out;
		size_t n_codes = coderesolve_count(im.categories) + coderesolve_count(im.services);
		rc = import_feature(&im, f);
		OGR_F_Destroy(f);
		f = NULL;
		if (rc < 0 && im.reason && o->skip_bad) {
			char saved[1024];
			snprintf(saved, sizeof saved, "%s", err_msg());
			if ((rc = store_rollback_to(st, "row")) < 0 ||
			    (rc = import_report_note(im.rep, im.row, im.reason, saved, 1)) < 0)
				goto out;
			rep->skipped++;
			if (coderesolve_count(im.categories) + coderesolve_count(im.services) !=
			        n_codes &&
			    (rc = resolvers_load(&im)) < 0)
				goto out;
			/* A GDAL error of the skipped row (a failed reprojection)
			 * is not a read error of the file: see the check below. */
			CPLErrorReset();
		} else if (rc < 0) {
			rc =
			    err_set(rc, "%s:%s %ld: %s", o->path, rep->row_word, im.row, err_msg());
			goto out;
		} else if (o->skip_bad && (rc = store_release(st, "row")) < 0) {
			goto out;
		}
		if (o->progress && rep->read % 2000 == 0)
			o->progress(o->progress_ctx, rep->read, total);
	}
	if (CPLGetLastErrorType() >= CE_Failure) {
		rc = err_set(ERR_IO, "%s: reading stopped after %s %ld: %s", o->path, rep->row_word,
		             im.row, CPLGetLastErrorMsg());
		goto out;
	}
	if ((rc = flush_fixes(&im)) < 0) {
		if (im.reason)
			rc =
			    err_set(rc, "%s:%s %ld: %s", o->path, rep->row_word, im.row, err_msg());
		goto out;
	}
	if (o->progress)
		o->progress(o->progress_ctx, rep->read, rep->read);
	if (o->layer == IMPORT_OFFENCES &&
	    ((rc = check_losses(&im)) < 0 || (rc = store_bulk_end(st)) < 0))
		goto out;
out:
	if (in_txn)
		rc = import_end(st, rc, o, im.source, rep);
	importer_cleanup(&im);
	CPLPopErrorHandler();
	return rc;
}

void import_report_free(struct import_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->n_reasons; i++) {
		free(rep->reasons[i].text);
		free(rep->reasons[i].example);
	}
	free(rep->reasons);
	fieldguess_previews_free(rep->previews, rep->n_previews);
	free(rep->layer_name);
	free(rep->crs);
	free(rep->mapping);
	memset(rep, 0, sizeof *rep);
}
