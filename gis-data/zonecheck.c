/*
 * zonecheck: GEOS does the polygon work (its validity detail gives a
 * location, which SpatiaLite's ST_IsValidReason does not), SQL the checks
 * against the store. A zone is checked once per write, so a GEOS context
 * per call costs nothing that matters.
 */
#include "zonecheck.h"

#include "err.h"

#include <geos_c.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GEOS's last error message, kept for the report. */
struct geos {
	GEOSContextHandle_t ctx;
	char msg[200];
};

static void geos_message(const char *message, void *userdata)
{
	struct geos *g = userdata;
	snprintf(g->msg, sizeof g->msg, "%s", message);
}

static int geos_open(struct geos *g)
{
	g->msg[0] = '\0';
	if (!(g->ctx = GEOS_init_r()))
		return err_set(ERR_NOMEM, "zonecheck: no GEOS context");
	GEOSContext_setErrorMessageHandler_r(g->ctx, geos_message, g);
	GEOSContext_setNoticeMessageHandler_r(g->ctx, geos_message, g);
	return 0;
}

/* Records the field at fault and the message; returns code. */
static int fail(struct zonecheck_report *rep, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(struct zonecheck_report *rep, int code, const char *field, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(rep->field, sizeof rep->field, "%s", field);
	return err_set_field(code, field, "%s: %s", field, msg);
}

int zonecheck_clock(const char *text, int *minutes)
{
	int h, m, colon = 0, len = 0;
	/* The hour may have one digit ("8:00", as many files write it). */
	int ok = text && text[0] >= '0' && text[0] <= '9' &&
	         sscanf(text, "%2d:%n%2d%n", &h, &colon, &m, &len) == 2 && len - colon == 2 &&
	         text[colon] >= '0' && text[colon] <= '9';
	if (ok && strcmp(text + len, ":00") == 0)
		len += 3;
	if (!ok || text[len] || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
		return err_set(ERR_INVALID, "'%s' is not a time of day HH:MM from 00:00 to 24:00",
		               text ? text : "");
	*minutes = h * 60 + m;
	return 0;
}

int zonecheck_date(const char *text)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d, len = 0;
	if (text && sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &len) == 3 && len == 10 &&
	    !text[len] && y >= 1900 && m >= 1 && m <= 12 && d >= 1) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		if (d <= days[m - 1] + (m == 2 && leap))
			return 0;
	}
	return err_set(ERR_INVALID, "'%s' is not a day YYYY-MM-DD", text ? text : "");
}

/* The WKB of g: a new malloc'd copy in *out. */
static int write_wkb(struct geos *g, const GEOSGeometry *geom, unsigned char **out, size_t *len)
{
	GEOSWKBWriter *w = GEOSWKBWriter_create_r(g->ctx);
	unsigned char *buf = w ? GEOSWKBWriter_write_r(g->ctx, w, geom, len) : NULL;
	int rc = 0;
	*out = buf ? malloc(*len) : NULL;
	if (*out)
		memcpy(*out, buf, *len);
	else
		rc = err_set(ERR_NOMEM, "zonecheck: out of memory");
	GEOSFree_r(g->ctx, buf);
	GEOSWKBWriter_destroy_r(g->ctx, w);
	return rc;
}

/* Whether every array depth levels down in a (a GeoJSON coordinates
 * member) holds two numbers or more; what is not an array at all is left
 * for the reader to refuse. */
static int positions_at(const json_t *a, int depth)
{
	const json_t *v;
	size_t i;
	if (!json_is_array(a))
		return 1;
	if (depth == 0)
		return json_array_size(a) >= 2;
	json_array_foreach(a, i, v)
	{
		if (!positions_at(v, depth - 1))
			return 0;
	}
	return 1;
}

/* Whether every position of a parsed GeoJSON object has two numbers or
 * more: GEOS 3.11's reader takes the first two of each without counting
 * them, and crashes on an empty one ("coordinates":[[[69,41],[],...]]). */
static int positions_whole(const json_t *o)
{
	static const char *const types[] = {"Point",           "MultiPoint", "LineString",
	                                    "MultiLineString", "Polygon",    "MultiPolygon"};
	static const int depths[] = {0, 1, 1, 2, 2, 3};
	const char *type = json_string_value(json_object_get(o, "type"));
	const json_t *v;
	size_t i;
	if (!type)
		return 1;
	if (strcmp(type, "Feature") == 0)
		return positions_whole(json_object_get(o, "geometry"));
	const char *members = strcmp(type, "FeatureCollection") == 0    ? "features"
	                      : strcmp(type, "GeometryCollection") == 0 ? "geometries"
	                                                                : NULL;
	if (members) {
		json_array_foreach(json_object_get(o, members), i, v)
		{
			if (!positions_whole(v))
				return 0;
		}
		return 1;
	}
	for (size_t t = 0; t < sizeof types / sizeof *types; t++)
		if (strcmp(type, types[t]) == 0)
			return positions_at(json_object_get(o, "coordinates"), depths[t]);
	return 1;
}

int zonecheck_geojson(const char *geojson, unsigned char **wkb, size_t *len,
                      struct zonecheck_report *rep)
{
	struct geos g;
	int rc;
	*wkb = NULL;
	*len = 0;
	json_t *doc = json_loads(geojson, 0, NULL);
	int whole = !doc || positions_whole(doc);
	json_decref(doc);
	if (!whole)
		return fail(rep, ERR_GEOMETRY, "geometry.coordinates",
		            "a position without a longitude and a latitude");
	if ((rc = geos_open(&g)) < 0)
		return rc;
	GEOSGeoJSONReader *r = GEOSGeoJSONReader_create_r(g.ctx);
	GEOSGeometry *geom = r ? GEOSGeoJSONReader_readGeometry_r(g.ctx, r, geojson) : NULL;
	if (!geom)
		rc = fail(rep, ERR_GEOMETRY, "geometry", "not a readable GeoJSON geometry (%s)",
		          g.msg[0] ? g.msg : "unknown reason");
	else
		rc = write_wkb(&g, geom, wkb, len);
	GEOSGeom_destroy_r(g.ctx, geom);
	GEOSGeoJSONReader_destroy_r(g.ctx, r);
	GEOS_finish_r(g.ctx);
	return rc;
}

/* Visits every vertex of a polygonal geometry with its GeoJSON path; a
 * nonzero return of fn stops the walk and is returned. */
typedef int (*vertex_fn)(void *ctx, const char *path, double x, double y);

static int each_vertex(struct geos *g, const GEOSGeometry *geom, vertex_fn fn, void *ctx)
{
	int multi = GEOSGeomTypeId_r(g->ctx, geom) == GEOS_MULTIPOLYGON;
	int parts = multi ? GEOSGetNumGeometries_r(g->ctx, geom) : 1;
	for (int p = 0; p < parts; p++) {
		const GEOSGeometry *poly = multi ? GEOSGetGeometryN_r(g->ctx, geom, p) : geom;
		int holes = GEOSGetNumInteriorRings_r(g->ctx, poly);
		for (int r = 0; r <= holes; r++) {
			const GEOSGeometry *ring = r ? GEOSGetInteriorRingN_r(g->ctx, poly, r - 1)
			                             : GEOSGetExteriorRing_r(g->ctx, poly);
			const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(g->ctx, ring);
			unsigned n = 0;
			if (!cs || !GEOSCoordSeq_getSize_r(g->ctx, cs, &n))
				continue;
			for (unsigned v = 0; v < n; v++) {
				double x, y;
				char path[96];
				GEOSCoordSeq_getXY_r(g->ctx, cs, v, &x, &y);
				if (multi)
					snprintf(path, sizeof path,
					         "geometry.coordinates[%d][%d][%u]", p, r, v);
				else
					snprintf(path, sizeof path, "geometry.coordinates[%d][%u]",
					         r, v);
				int stop = fn(ctx, path, x, y);
				if (stop)
					return stop;
			}
		}
	}
	return 0;
}

struct lonlat_check {
	char path[96];
	double x, y;
};

static int outside_lonlat(void *ctx, const char *path, double x, double y)
{
	struct lonlat_check *c = ctx;
	if (x >= -180 && x <= 180 && y >= -90 && y <= 90)
		return 0;
	snprintf(c->path, sizeof c->path, "%s", path);
	c->x = x;
	c->y = y;
	return 1;
}

struct nearest {
	double x, y, d;
	char path[96];
};

static int nearer(void *ctx, const char *path, double x, double y)
{
	struct nearest *n = ctx;
	double d = hypot(x - n->x, y - n->y);
	if (d < n->d) {
		n->d = d;
		snprintf(n->path, sizeof n->path, "%s", path);
	}
	return 0;
}

/* Calls fn for every polygon of a Polygon, MultiPolygon or collection of them. */
static void each_polygon(struct geos *g, const GEOSGeometry *geom,
                         void (*fn)(void *ctx, const GEOSGeometry *poly), void *ctx)
{
	int type = GEOSGeomTypeId_r(g->ctx, geom);
	if (type == GEOS_POLYGON) {
		if (!GEOSisEmpty_r(g->ctx, geom))
			fn(ctx, geom);
		return;
	}
	if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION)
		return;
	for (int i = 0; i < GEOSGetNumGeometries_r(g->ctx, geom); i++)
		each_polygon(g, GEOSGetGeometryN_r(g->ctx, geom, i), fn, ctx);
}

struct polygons {
	struct geos *g;
	GEOSGeometry **polys;
	unsigned n;
};

static void count_polygon(void *ctx, const GEOSGeometry *poly)
{
	(void)poly;
	((struct polygons *)ctx)->n++;
}

static void clone_polygon(void *ctx, const GEOSGeometry *poly)
{
	struct polygons *p = ctx;
	p->polys[p->n++] = GEOSGeom_clone_r(p->g->ctx, poly);
}

/* The polygons of a MakeValid result as a new MultiPolygon (the lines and
 * points a repair may leave dropped), or NULL when it has none. */
static GEOSGeometry *polygonal_part(struct geos *g, const GEOSGeometry *made)
{
	struct polygons p = {g, NULL, 0};
	each_polygon(g, made, count_polygon, &p);
	if (!p.n || !(p.polys = calloc(p.n, sizeof *p.polys)))
		return NULL;
	p.n = 0;
	each_polygon(g, made, clone_polygon, &p);
	GEOSGeometry *out = GEOSGeom_createCollection_r(g->ctx, GEOS_MULTIPOLYGON, p.polys, p.n);
	free(p.polys);
	return out;
}

/* Reads, checks and when needed repairs the polygon of z. */
static int check_polygon(struct zonecheck_report *rep, struct store_zone *z)
{
	struct geos g;
	GEOSWKBReader *reader = NULL;
	GEOSGeometry *geom = NULL, *made = NULL, *poly = NULL;
	GEOSGeometry *where = NULL;
	char *reason = NULL;
	int rc;
	if (!z->wkb || !z->wkb_len)
		return fail(rep, ERR_INVALID, "geometry", "a Polygon or MultiPolygon is required");
	if ((rc = geos_open(&g)) < 0)
		return rc;
	if (!(reader = GEOSWKBReader_create_r(g.ctx)) ||
	    !(geom = GEOSWKBReader_read_r(g.ctx, reader, z->wkb, z->wkb_len))) {
		rc = fail(rep, ERR_GEOMETRY, "geometry", "unreadable polygon (%s)",
		          g.msg[0] ? g.msg : "unknown reason");
		goto out;
	}
	int type = GEOSGeomTypeId_r(g.ctx, geom);
	if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) {
		char *t = GEOSGeomType_r(g.ctx, geom);
		rc = fail(rep, ERR_INVALID, "geometry.type",
		          "a Polygon or MultiPolygon is required, not a %s", t ? t : "?");
		GEOSFree_r(g.ctx, t);
		goto out;
	}
	if (GEOSisEmpty_r(g.ctx, geom)) {
		rc = fail(rep, ERR_INVALID, "geometry.coordinates", "the polygon is empty");
		goto out;
	}
	struct lonlat_check ll;
	if (each_vertex(&g, geom, outside_lonlat, &ll)) {
		rc = fail(rep, ERR_INVALID, ll.path, "(%g, %g) is not a longitude and latitude",
		          ll.x, ll.y);
		goto out;
	}
	char valid = GEOSisValidDetail_r(g.ctx, geom, 0, &reason, &where);
	if (valid == 1)
		goto out;
	struct nearest nv = {.d = INFINITY};
	if (where)
		GEOSGeomGetX_r(g.ctx, where, &nv.x), GEOSGeomGetY_r(g.ctx, where, &nv.y);
	each_vertex(&g, geom, nearer, &nv);
	snprintf(rep->reason, sizeof rep->reason, "%s at (%.7g, %.7g)",
	         reason ? reason : "invalid polygon", nv.x, nv.y);
	made = GEOSMakeValid_r(g.ctx, geom);
	poly = made ? polygonal_part(&g, made) : NULL;
	if (!poly || GEOSisValid_r(g.ctx, poly) != 1) {
		rc = fail(rep, ERR_GEOMETRY, nv.path[0] ? nv.path : "geometry",
		          "invalid polygon: %s, near this vertex; MakeValid leaves no polygon",
		          rep->reason);
		goto out;
	}
	if ((rc = write_wkb(&g, poly, &rep->fixed, &rep->fixed_len)) < 0)
		goto out;
	rep->repaired = 1;
	z->wkb = rep->fixed;
	z->wkb_len = rep->fixed_len;
out:
	GEOSFree_r(g.ctx, reason);
	GEOSGeom_destroy_r(g.ctx, where);
	GEOSGeom_destroy_r(g.ctx, poly);
	GEOSGeom_destroy_r(g.ctx, made);
	GEOSGeom_destroy_r(g.ctx, geom);
	GEOSWKBReader_destroy_r(g.ctx, reader);
	GEOS_finish_r(g.ctx);
	return rc;
}

/* Whether the polygon meets the districts (else the mahallas): 0, or a
 * failure naming the distance to the nearest. */
static int check_in_district(store *st, const struct store_zone *z, struct zonecheck_report *rep)
{
	struct store_reach reach;
	int rc = store_area_reach(st, z->wkb, z->wkb_len, &reach);
	if (rc == 0 && reach.areas > 0 && !reach.meets)
		rc = fail(rep, ERR_INVALID, "geometry",
		          "the zone lies outside the district: the nearest %s is %.1f km away",
		          reach.kind == STORE_MAHALLAS ? "mahalla" : "district",
		          reach.distance_m / 1000.0);
	return rc;
}

static int check_assignment(store *st, const struct store_assignment *a, size_t i,
                            struct zonecheck_report *rep)
{
	char field[96];
	int known;
#define FIELD(name)                                                                                \
	(snprintf(field, sizeof field, "properties.assignments[%zu].%s", i, name), field)
	if (!a->service || !*a->service)
		return fail(rep, ERR_INVALID, FIELD("service"), "a service code is required");
	if ((known = store_code_exists(st, STORE_SERVICES, a->service)) < 0)
		return known;
	if (!known)
		return fail(rep, ERR_INVALID, FIELD("service"), "unknown service '%s'", a->service);
	if (store_check_assignment_shift(&a->shift) < 0)
		return fail(rep, ERR_INVALID, FIELD(err_field()), "%s", err_msg());
	/* Valid (24 hours), but typed by a planner more often by mistake. */
	if (a->shift.end == a->shift.start)
		return fail(rep, ERR_INVALID, FIELD("shift_end"),
		            "the shift ends when it starts; 00:00 to 24:00 is a whole day");
#undef FIELD
	return 0;
}

int zonecheck_zone(store *st, struct store_zone *z, struct zonecheck_report *rep)
{
	int rc;
	memset(rep, 0, sizeof *rep);
	if (!z->external_id || !*z->external_id || strlen(z->external_id) > 200)
		return fail(rep, ERR_INVALID, "properties.id", "a string of 1 to 200 characters");
	if (!z->name || !*z->name || strlen(z->name) > 200)
		return fail(rep, ERR_INVALID, "properties.name",
		            "a name of 1 to 200 characters is required");
	if (z->valid_from && zonecheck_date(z->valid_from) < 0)
		return fail(rep, ERR_INVALID, "properties.valid_from", "%s", err_msg());
	if (z->valid_to && zonecheck_date(z->valid_to) < 0)
		return fail(rep, ERR_INVALID, "properties.valid_to", "%s", err_msg());
	if (z->valid_from && z->valid_to && strcmp(z->valid_from, z->valid_to) > 0)
		return fail(rep, ERR_INVALID, "properties.valid_to", "%s is before valid_from %s",
		            z->valid_to, z->valid_from);
	for (size_t i = 0; i < z->n_assignments; i++)
		if ((rc = check_assignment(st, &z->assignments[i], i, rep)) < 0)
			return rc;
	if ((rc = check_polygon(rep, z)) < 0)
		return rc;
	return check_in_district(st, z, rep);
}

void zonecheck_report_free(struct zonecheck_report *rep)
{
	if (!rep)
		return;
	free(rep->fixed);
	rep->fixed = NULL;
	rep->fixed_len = 0;
}
