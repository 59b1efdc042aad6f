/*
 * wms: parameters by the OGC 06-042 (1.3.0) and 01-068r3 (1.1.1) rules:
 * names are case-insensitive (libmicrohttpd compares argument names
 * without case), values are not, except the words TRUE/FALSE. Documents
 * are written with open_memstream and handed to the reply.
 */
#include "wms.h"

#include "app.h"
#include "err.h"
#include "geojson.h"
#include "legendjson.h"
#include "msg.h"
#include "numtext.h"
#include "print.h"
#include "query.h"
#include "tilemath.h"
#include "utm.h"
#include "warp.h"

#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SIZE     4096 /* pixels a side of a GetMap */
#define TOLERANCE    5    /* pixels around a GetFeatureInfo point */
#define MAX_FEATURES 100  /* FEATURE_COUNT */
#define MAX_NEAR     4096 /* offences looked at around a point */
#define QUERYABLE                                                                                  \
	(RENDER_DISTRICTS | RENDER_MAHALLAS | RENDER_CHOROPLETH | RENDER_OFFENCES | RENDER_ZONES | \
	 RENDER_GISTAR | RENDER_TRENDS)

/* A request's version: 1.3.0 unless the client asks for 1.1.x. */
static int is_111(struct http_request *rq)
{
	const char *v = http_arg(rq, "VERSION");
	if (!v)
		v = http_arg(rq, "WMTVER");
	return v && strncmp(v, "1.1", 3) == 0;
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
}

/* Answers the document written to f (opened on *data, *len) with type. */
static int reply_stream(struct http_request *rq, unsigned status, const char *type, FILE *f,
                        char **data, size_t *len, const char *header, const char *value)
{
	if (fclose(f) != 0 || !*data) {
		free(*data);
		rq->error_reply = NULL;
		return http_reply_error(rq, 500, NULL, "wms: out of memory for the answer");
	}
	return http_reply(rq, status, type, (unsigned char *)*data, *len, "Cache-Control",
	                  "no-store", header, value, NULL);
}

/* A ServiceExceptionReport with the exception code (NULL: none). */
static int exception_reply(struct http_request *rq, unsigned status, const char *code,
                           const char *msg, const char *header, const char *value)
{
	int v111 = is_111(rq);
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	if (!f) {
		rq->error_reply = NULL; /* the JSON answer, not this one again */
		return http_reply_error(rq, 500, NULL, "wms: out of memory for an exception");
	}
	fprintf(f,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ServiceExceptionReport "
	        "version=\"%s\"%s>\n  <ServiceException",
	        v111 ? "1.1.1" : "1.3.0", v111 ? "" : " xmlns=\"http://www.opengis.net/ogc\"");
	if (code)
		fprintf(f, " code=\"%s\"", code);
	fputs(">", f);
	put_escaped(f, msg);
	fputs("</ServiceException>\n</ServiceExceptionReport>\n", f);
	return reply_stream(rq, status,
	                    v111 ? "application/vnd.ogc.se_xml" : "text/xml; charset=utf-8", f,
	                    &data, &len, header, value);
}

static int exception(struct http_request *rq, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int exception(struct http_request *rq, const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return exception_reply(rq, 400, code, msg, NULL, NULL);
}

/* The exception code of this thread's last refusal by refuse(), until
 * refused() answers it: the parameter readers below follow app.h's
 * convention (they record and return, the handler answers), and an OGC
 * exception needs its code beside the message. */
static _Thread_local const char *refusal_code;

/* Records a refusal with the exception code (its message names the
 * parameter: "BBOX: ..."); returns ERR_INVALID. */
static int refuse(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int refuse(const char *code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	refusal_code = code;
	return err_set(ERR_INVALID, "%s", msg);
}

/* Answers the last refusal: refuse()'s, or a vendor parameter's (query.h)
 * as InvalidParameterValue; any other failure as a 500. */
static int refused(struct http_request *rq)
{
	const char *code = refusal_code;
	refusal_code = NULL;
	if (err_last() != ERR_INVALID)
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	return exception_reply(rq, 400, code ? code : "InvalidParameterValue", err_msg(), NULL,
	                       NULL);
}

/* The http_request error_reply hook: errors answered by the handlers
 * shared with the API (and any other) as exceptions. */
static int error_as_exception(struct http_request *rq, unsigned status, const char *field,
                              const char *msg)
{
	return exception_reply(rq, status, status < 500 && field ? "InvalidParameterValue" : NULL,
	                       msg, NULL, NULL);
}

/* ---- what every request shares ----------------------------------------- */

/* The box in Web Mercator metres of the districts the request's
 * credentials reach (every district's without a scope), or where the
 * offences are when the store has none; and its UTM zone, picked as print
 * and the density export pick it. */
static void district_extent(struct http_request *rq, renderer *r, double merc[4], int *utm_epsg)
{
	struct held_shapes *held;
	const shapes *sh = renderer_shapes_acquire(r, &held);
	double lon, lat;
	if (!shapes_territory_box(sh, rq->scope, merc))
		dataset_extent(renderer_dataset(r), merc);
	renderer_shapes_release(r, held);
	tile_merc_to_lonlat((merc[0] + merc[2]) / 2, (merc[1] + merc[3]) / 2, &lon, &lat);
	*utm_epsg = utm_zone_epsg(lon, lat);
}

struct crs {
	enum warp_frame frame;
	int epsg;
	int lat_first; /* EPSG:4326 in 1.3.0: BBOX is minlat,minlon,maxlat,maxlon */
};

/* The CRS (SRS in 1.1.1) argument. 0, or 1 after answering. */
static int parse_crs(struct http_request *rq, int v111, int utm_epsg, struct crs *out)
{
	const char *name = v111 ? "SRS" : "CRS", *text = http_arg(rq, name);
	int epsg = 0, len = 0;
	if (!text || !*text) {
		return refuse("MissingParameterValue", "%s: missing", name);
	}
	*out = (struct crs){WARP_MERCATOR, 3857, 0};
	if (strcasecmp(text, "CRS:84") == 0) {
		out->frame = WARP_LONLAT;
		return 0;
	}
	if (sscanf(text, "EPSG:%d%n", &epsg, &len) == 1 && !text[len] &&
	    (epsg == 3857 || epsg == 4326 || epsg == utm_epsg)) {
		out->epsg = epsg;
		out->frame = epsg == 3857 ? WARP_MERCATOR : epsg == 4326 ? WARP_LONLAT : WARP_UTM;
		out->lat_first = epsg == 4326 && !v111;
		return 0;
	}
	return refuse(v111 ? "InvalidSRS" : "InvalidCRS",
	              "%s: '%s' is not served (EPSG:3857, EPSG:4326, CRS:84, EPSG:%d)", name, text,
	              utm_epsg);
}

/* A whole number argument from min to max; missing gives
 * MissingParameterValue unless *out has a default (>= min). */
static int int_arg(struct http_request *rq, const char *name, const char *code, int min, int max,
                   int *out)
{
	const char *text = http_arg(rq, name);
	long v;
	if (!text && *out >= min)
		return 0;
	if (!text || !*text) {
		return refuse("MissingParameterValue", "%s: missing", name);
	}
	if (numtext_whole(name, text, min, max, "a whole number", &v) < 0) {
		return refuse(code, "%s", err_msg());
	}
	*out = (int)v;
	return 0;
}

/* The layer list of argument name into *mask. */
static int layers_arg(struct http_request *rq, const char *name, unsigned *mask)
{
	const char *text = http_arg(rq, name);
	if (!text || !*text) {
		return refuse("MissingParameterValue", "%s: missing", name);
	}
	if (render_layers_parse(text, mask) < 0) {
		return refuse("LayerNotDefined", "%s: %s", name, err_msg() + strlen("layers: "));
	}
	return 0;
}

/* Each layer has its default style only: the argument name (STYLES, or
 * GetLegendGraphic's STYLE) is empty or "default"s. */
static int styles_arg(struct http_request *rq, const char *name)
{
	for (const char *p = http_arg(rq, name); p && *p;) {
		size_t n = strcspn(p, ",");
		if (n && !(n == 7 && strncasecmp(p, "default", 7) == 0)) {
			return refuse("StyleNotDefined",
			              "%s: '%.*s' is not a style; leave %s empty", name, (int)n, p,
			              name);
		}
		p += n + (p[n] == ',');
	}
	return 0;
}

/* The core's refusal of a box ("bbox: ...", or a projection's) as a
 * refusal naming BBOX. */
static int bbox_refusal(int lat_first)
{
	const char *msg = err_msg();
	if (strncmp(msg, "bbox: ", 6) == 0)
		msg += 6;
	return refuse("InvalidParameterValue", "BBOX: %s%s", msg,
	              lat_first ? " (EPSG:4326 in WMS 1.3.0 is latitude first)" : "");
}

/* What GetMap and GetFeatureInfo share: the layers, styles, frame, box,
 * size and posbon's filters. 0, or 1 after answering. */
static int map_request(struct http_request *rq, int v111, struct render_request *q,
                       struct warp_target *t)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	const char *bbox = http_arg(rq, "BBOX");
	double merc[4], b[4];
	int utm_epsg;
	struct crs crs;
	district_extent(rq, app->r, merc, &utm_epsg);
	if (layers_arg(rq, "LAYERS", &q->layers) || styles_arg(rq, "STYLES"))
		return ERR_INVALID;
	if (parse_crs(rq, v111, utm_epsg, &crs))
		return ERR_INVALID;
	if (!bbox || !*bbox) {
		return refuse("MissingParameterValue", "BBOX: missing");
	}
	if (numtext_list(bbox, ',', b, 4) < 0 || !(b[0] < b[2] && b[1] < b[3])) {
		return refuse("InvalidParameterValue",
		              "BBOX: '%s' is not minx,miny,maxx,maxy, four finite numbers "
		              "with each minimum below its maximum",
		              bbox);
	}
	int swap = crs.lat_first;
	*t = (struct warp_target){.frame = crs.frame,
	                          .epsg = crs.epsg,
	                          .box = {b[swap], b[!swap], b[2 + swap], b[2 + !swap]}};
	if (int_arg(rq, "WIDTH", "InvalidParameterValue", 1, MAX_SIZE, &t->width) ||
	    int_arg(rq, "HEIGHT", "InvalidParameterValue", 1, MAX_SIZE, &t->height))
		return ERR_INVALID;
	if (warp_check(t) < 0) {
		return bbox_refusal(swap);
	}
	const char *exc = http_arg(rq, "EXCEPTIONS");
	if (exc && strcasecmp(exc, "XML") != 0 && strcmp(exc, "application/vnd.ogc.se_xml") != 0 &&
	    strcmp(exc, "text/xml") != 0) {
		return refuse("InvalidParameterValue",
		              "EXCEPTIONS: '%s' is not served; exceptions are XML", exc);
	}
	int rc;
	if ((rc = query_filter(rq, ds, q)) < 0 || (rc = query_plan(rq, ds, q)) < 0 ||
	    ((q->layers & RENDER_TRENDS) && (rc = query_trends(rq, q)) < 0) ||
	    ((q->layers & RENDER_NAMED) && (rc = query_names(rq, "LANGUAGE", q)) < 0))
		return rc;
	return 0;
}

/* "image/png; mode=8bit" and the like are PNGs too. */
static int is_png(const char *format)
{
	return strncmp(format, "image/png", 9) == 0 && (!format[9] || format[9] == ';');
}

/* TRANSPARENT (TRUE or FALSE; transparent is the default when asked) and
 * BGCOLOR (0xRRGGBB, white by default). 0, or 1 after answering. */
static int background_args(struct http_request *rq, int transparent, int *opaque,
                           unsigned *background)
{
	const char *tr = http_arg(rq, "TRANSPARENT"), *bg = http_arg(rq, "BGCOLOR");
	int len = 0;
	if (tr && strcasecmp(tr, "TRUE") != 0 && strcasecmp(tr, "FALSE") != 0) {
		return refuse("InvalidParameterValue", "TRANSPARENT: '%s' is not TRUE or FALSE",
		              tr);
	}
	*opaque = tr ? strcasecmp(tr, "FALSE") == 0 : !transparent;
	*background = 0xFFFFFF;
	if (bg && (sscanf(bg, "0%*[xX]%6x%n", background, &len) != 1 || len != 8 || bg[len])) {
		return refuse("InvalidParameterValue", "BGCOLOR: '%s' is not 0xRRGGBB", bg);
	}
	return 0;
}

/* ---- GetMap --------------------------------------------------------------- */

static int get_map(struct http_request *rq, int v111)
{
	struct app *app = rq->app;
	struct render_request q = {0};
	struct warp_target t;
	const char *format = http_arg(rq, "FORMAT");
	if (map_request(rq, v111, &q, &t))
		return refused(rq);
	if (!format || !*format)
		return exception(rq, "MissingParameterValue", "FORMAT: missing");
	int jpeg = strcmp(format, "image/jpeg") == 0;
	if (!is_png(format) && !jpeg)
		return exception(rq, "InvalidFormat",
		                 "FORMAT: '%s' is not served; ask for image/png or image/jpeg",
		                 format);
	if (background_args(rq, 0, &t.opaque, &t.background))
		return refused(rq);
	unsigned char *picture;
	size_t picture_len;
	if (warp_picture(app->r, &q, &t, jpeg ? WARP_JPEG : WARP_PNG, &picture, &picture_len) < 0)
		return err_last() == ERR_INVALID || err_last() == ERR_PROJ
		           ? (bbox_refusal(0), refused(rq))
		           : http_reply_error(rq, 500, NULL, "rendering failed: %s", err_msg());
	char cache_control[APP_CACHE_CONTROL_SIZE];
	return http_reply(rq, 200, jpeg ? "image/jpeg" : "image/png", picture, picture_len,
	                  "Cache-Control", app_cache_control(app, &q, cache_control), NULL);
}

/* ---- GetFeatureInfo ------------------------------------------------------ */

struct near {
	double x, y; /* the point, Mercator metres */
	double box[4];
	struct near_hit {
		double d;
		int64_t id;
	} * hits;
	size_t n;
};

static int collect_near(void *ctx, const struct dataset_offence *o)
{
	struct near *nr = ctx;
	if (nr->n < MAX_NEAR)
		nr->hits[nr->n++] = (struct near_hit){hypot(o->x - nr->x, o->y - nr->y), o->id};
	return 0;
}

static int by_distance(const void *a, const void *b)
{
	double da = ((const struct near_hit *)a)->d, db = ((const struct near_hit *)b)->d;
	return (da > db) - (da < db);
}

/* Appends f to features with its layer's name among its properties. */
static void add_feature(json_t *features, json_t *f, const char *layer)
{
	if (!f)
		return;
	json_object_set_new(json_object_get(f, "properties"), "layer", json_string(layer));
	json_array_append_new(features, f);
}

static int offences_near(renderer *r, store *st, const struct dataset_filter *f, struct near *nr,
                         int count, json_t *features)
{
	const dataset *ds = renderer_dataset(r);
	nr->n = 0;
	if (!(nr->hits = malloc(MAX_NEAR * sizeof *nr->hits)))
		return err_set(ERR_NOMEM, "wms: out of memory for offences");
	dataset_each(ds, nr->box, f, collect_near, nr);
	qsort(nr->hits, nr->n, sizeof *nr->hits, by_distance);
	size_t n = nr->n < (size_t)count ? nr->n : (size_t)count;
	int64_t ids[MAX_FEATURES];
	for (size_t i = 0; i < n; i++)
		ids[i] = nr->hits[i].id;
	free(nr->hits);
	struct held_ground *held;
	struct geojson_streets streets = {renderer_ground_acquire(r, &held), GROUND_NAME};
	json_t *found = geojson_offences(st, ids, n, &streets);
	renderer_ground_release(r, held);
	size_t i;
	json_t *o;
	json_array_foreach(found, i, o) add_feature(features, json_incref(o), "offences");
	json_decref(found);
	return 0;
}

/* The areas of kind under the point: a district with its mahallas'
 * figures summed, a mahalla with its figures. */
static int areas_under(store *st, const dataset *ds, const shapes *sh, enum shapes_kind kind,
                       const struct near *nr, const struct dataset_filter *f, const char *layer,
                       json_t *features)
{
	struct shapes_list l = {0};
	double at[4] = {nr->x, nr->y, nr->x, nr->y};
	int rc = shapes_find(sh, kind, at, &l);
	for (size_t k = 0; rc == 0 && k < l.n; k++) {
		const struct shapes_area *a = shapes_area(sh, kind, l.idx[k]);
		if (!shapes_rings_contain(&a->geom.band[SHAPES_BANDS - 1], nr->x, nr->y))
			continue;
		json_t *props;
		if (kind == SHAPES_MAHALLAS) {
			props = geojson_mahalla_figures(st, ds, a->code, f);
		} else {
			double total = 0;
			for (size_t m = 0; m < shapes_count(sh, SHAPES_MAHALLAS); m++) {
				const struct shapes_area *ma = shapes_area(sh, SHAPES_MAHALLAS, m);
				int mi = dataset_mahalla_index(ds, ma->code);
				if (mi >= 0 && ma->district_code &&
				    strcmp(ma->district_code, a->code) == 0)
					total += dataset_tally(ds, f, mi, NULL, NULL);
			}
			props = json_pack("{s:s, s:s?, s:s?, s:s?, s:f}", "code", a->code,
			                  "name_uz", a->name_uz, "name_ru", a->name_ru, "name_en",
			                  a->name_en, "offences", total);
		}
		if (props)
			add_feature(features,
			            json_pack("{s:s, s:s, s:o, s:n}", "type", "Feature", "id",
			                      a->code, "properties", props, "geometry"),
			            layer);
	}
	shapes_list_free(&l);
	return rc;
}

static int zones_under(store *st, const shapes *sh, const struct near *nr, int count,
                       const char *scope, json_t *features)
{
	struct shapes_list l = {0};
	double at[4] = {nr->x, nr->y, nr->x, nr->y};
	int rc = shapes_find(sh, SHAPES_ZONES, at, &l), n = 0;
	for (size_t k = 0; rc == 0 && k < l.n && n < count; k++) {
		const struct shapes_zone *z = shapes_zone(sh, l.idx[k]);
		if (shapes_territory_has(scope, z->district_code) &&
		    shapes_rings_contain(&z->geom.band[SHAPES_BANDS - 1], nr->x, nr->y)) {
			add_feature(features, geojson_zone(st, z->external_id), "zones");
			n++;
		}
	}
	shapes_list_free(&l);
	return rc;
}

/* The Gi* cell under the point: its grid position, count, z-score, p-value
 * and bin, the properties GET /api/gistar gives a cell (no geometry). */
static int gistar_under(renderer *r, const struct near *nr, const struct dataset_filter *f,
                        json_t *features)
{
	struct gistarlayer_cell c;
	double lon, lat;
	tile_merc_to_lonlat(nr->x, nr->y, &lon, &lat);
	int rc = renderer_gistar_at(r, f, lon, lat, &c);
	if (rc <= 0)
		return rc;
	json_t *props =
	    json_pack("{s:i, s:i, s:f, s:f, s:f, s:i, s:f}", "i", c.i, "j", c.j, "count", c.count,
	              "z", c.z, "p", c.p, "bin", c.bin, "cell_m", c.cell_m);
	add_feature(
	    features,
	    json_pack("{s:s, s:o, s:n}", "type", "Feature", "properties", props, "geometry"),
	    "gistar");
	return 0;
}

/* The trends cell under the point, as a Feature of GET /api/trends. */
static int trends_under(renderer *r, const struct near *nr, const struct render_request *q,
                        json_t *features)
{
	json_t *f;
	double lon, lat;
	tile_merc_to_lonlat(nr->x, nr->y, &lon, &lat);
	int rc = renderer_trends_at(r, q, lon, lat, &f);
	if (rc > 0)
		add_feature(features, f, "trends");
	return rc < 0 ? rc : 0;
}

/* The features of the queried layers at the point, in layer order. */
static int features_at(struct http_request *rq, const struct render_request *q, unsigned query,
                       struct near *nr, int count, json_t *features)
{
	struct app *app = rq->app;
	const dataset *ds = renderer_dataset(app->r);
	store *st = app_store(app);
	struct held_shapes *held;
	unsigned bit;
	const char *name;
	int rc = 0;
	if (!st)
		return err_set(ERR_DB, "the database is not available");
	const shapes *sh = renderer_shapes_acquire(app->r, &held);
	for (size_t i = 0; rc == 0 && (name = render_layer_name(i, &bit)); i++) {
		if (!(query & bit))
			continue;
		if (bit == RENDER_OFFENCES)
			rc = offences_near(app->r, st, &q->filter, nr, count, features);
		else if (bit == RENDER_ZONES)
			rc = zones_under(st, sh, nr, count, rq->scope, features);
		else if (bit & (RENDER_MAHALLAS | RENDER_CHOROPLETH))
			rc = areas_under(st, ds, sh, SHAPES_MAHALLAS, nr, &q->filter, name,
			                 features);
		else if (bit == RENDER_DISTRICTS)
			rc = areas_under(st, ds, sh, SHAPES_DISTRICTS, nr, &q->filter, name,
			                 features);
		else if (bit == RENDER_GISTAR)
			rc = gistar_under(app->r, nr, &q->filter, features);
		else if (bit == RENDER_TRENDS)
			rc = trends_under(app->r, nr, q, features);
	}
	renderer_shapes_release(app->r, held);
	return rc;
}

/* Counts are whole unless an hours filter spread them: a whole real
 * becomes an integer (3401, not 3401.0), in v and everything it holds. */
static json_t *whole_numbers(json_t *v)
{
	size_t i;
	const char *key;
	json_t *x;
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == floor(d) && fabs(d) < 1e15) {
			json_decref(v);
			return json_integer((json_int_t)d);
		}
	} else if (json_is_object(v)) {
		json_object_foreach(v, key, x)
		    json_object_set_new(v, key, whole_numbers(json_incref(x)));
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) json_array_set_new(v, i, whole_numbers(json_incref(x)));
	}
	return v;
}

/* A property's value for reading: text as it is, a rate or a share to two
 * decimals (three significant digits below 1), a list or an object as
 * compact JSON; HTML escaped for html. */
static void put_value(FILE *f, json_t *v, int html)
{
	char num[64];
	const char *text = num;
	char *dumped = NULL;
	if (json_is_string(v)) {
		text = json_string_value(v);
	} else if (json_is_null(v)) {
		text = "\u2014"; /* unknown: a dash, as on paper */
	} else if (json_is_real(v)) {
		double d = json_real_value(v);
		snprintf(num, sizeof num, fabs(d) >= 1 ? "%.2f" : "%.3g", d);
	} else {
		text = dumped =
		    json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(6));
	}
	if (html)
		put_escaped(f, text ? text : "");
	else
		fputs(text ? text : "", f);
	free(dumped);
}

/* The features as text, a block per feature and a line per property, or as
 * HTML (QGIS's default), a table per feature. */
static void put_text(FILE *f, json_t *features, int html)
{
	size_t i;
	json_t *feature;
	if (html)
		fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>posbon</title>"
		      "</head><body>\n",
		      f);
	if (json_array_size(features) == 0)
		fputs(html ? "<p>no features found</p>\n" : "no features found\n", f);
	json_array_foreach(features, i, feature)
	{
		json_t *props = json_object_get(feature, "properties"), *v;
		const char *key, *layer = json_string_value(json_object_get(props, "layer"));
		if (html) {
			fputs("<table border=\"1\"><caption>", f);
			put_escaped(f, layer ? layer : "");
			fputs("</caption>\n", f);
		} else {
			fprintf(f, "%sLayer '%s'\n", i ? "\n" : "", layer ? layer : "");
		}
		json_object_foreach(props, key, v)
		{
			if (strcmp(key, "layer") == 0)
				continue;
			fputs(html ? "<tr><th>" : "  ", f);
			if (html)
				put_escaped(f, key);
			else
				fputs(key, f);
			fputs(html ? "</th><td>" : " = ", f);
			put_value(f, v, html);
			fputs(html ? "</td></tr>\n" : "\n", f);
		}
		if (html)
			fputs("</table>\n", f);
	}
	if (html)
		fputs("</body></html>\n", f);
}

static int get_feature_info(struct http_request *rq, int v111)
{
	struct render_request q = {0};
	struct warp_target t;
	unsigned query;
	int i = -1, j = -1, count = 1;
	const char *format = http_arg(rq, "INFO_FORMAT");
	if (map_request(rq, v111, &q, &t) || layers_arg(rq, "QUERY_LAYERS", &query))
		return refused(rq);
	if (query & ~q.layers)
		return exception(rq, "LayerNotDefined",
		                 "QUERY_LAYERS: '%s' names a layer LAYERS does not",
		                 http_arg(rq, "QUERY_LAYERS"));
	if (query & ~(unsigned)QUERYABLE)
		return exception(rq, "LayerNotQueryable",
		                 "QUERY_LAYERS: only districts, mahallas, choropleth, offences, "
		                 "zones, gistar and trends answer GetFeatureInfo");
	int json = !format || strcmp(format, "application/json") == 0 ||
	           strcmp(format, "application/geo+json") == 0;
	int html = format && strcmp(format, "text/html") == 0;
	if (!json && !html && strcmp(format, "text/plain") != 0)
		return exception(rq, "InvalidFormat",
		                 "INFO_FORMAT: '%s' is not served; ask for application/json, "
		                 "text/html or text/plain",
		                 format);
	if (int_arg(rq, v111 ? "X" : "I", "InvalidPoint", 0, t.width - 1, &i) ||
	    int_arg(rq, v111 ? "Y" : "J", "InvalidPoint", 0, t.height - 1, &j) ||
	    int_arg(rq, "FEATURE_COUNT", "InvalidParameterValue", 1, MAX_FEATURES, &count))
		return refused(rq);
	/* The point and the corners of the pixels around it, in Mercator. */
	double px[5] = {i + 0.5, i + 0.5 - TOLERANCE, i + 0.5 + TOLERANCE, i + 0.5 - TOLERANCE,
	                i + 0.5 + TOLERANCE};
	double py[5] = {j + 0.5, j + 0.5 - TOLERANCE, j + 0.5 - TOLERANCE, j + 0.5 + TOLERANCE,
	                j + 0.5 + TOLERANCE};
	if (warp_to_merc(&t, px, py, 5) < 0)
		return bbox_refusal(0), refused(rq);
	struct near nr = {.x = px[0],
	                  .y = py[0],
	                  .box = {fmin(px[1], px[3]), fmin(py[3], py[4]), fmax(px[2], px[4]),
	                          fmax(py[1], py[2])}};
	json_t *features = json_array();
	if (features_at(rq, &q, query, &nr, count, features) < 0) {
		json_decref(features);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	size_t k;
	json_t *feature;
	json_array_foreach(features, k, feature)
	    json_object_set_new(feature, "properties",
	                        whole_numbers(json_incref(json_object_get(feature, "properties"))));
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	if (!f) {
		json_decref(features);
		return http_reply_error(rq, 500, NULL, "wms: out of memory for the answer");
	}
	if (json) {
		json_t *fc =
		    json_pack("{s:s, s:o}", "type", "FeatureCollection", "features", features);
		/* Twelve digits: a rate is not 12.350000000000001, a longitude keeps
		 * its centimetres. */
		json_dumpf(fc, f, JSON_COMPACT | JSON_REAL_PRECISION(12));
		json_decref(fc);
	} else {
		put_text(f, features, html);
		json_decref(features);
	}
	return reply_stream(rq, 200,
	                    json   ? "application/json; charset=utf-8"
	                    : html ? "text/html; charset=utf-8"
	                           : "text/plain; charset=utf-8",
	                    f, &data, &len, NULL, NULL);
}

/* ---- GetLegendGraphic ---------------------------------------------------- */

/* LANGUAGE (uz, ru or en; uz when absent) of the legends. 0, or 1 after
 * answering. */
static int language_arg(struct http_request *rq, enum print_lang *lang)
{
	const char *text = http_arg(rq, "LANGUAGE");
	if (text && print_lang_parse(text, lang) < 0) {
		return refuse("InvalidParameterValue", "LANGUAGE: '%s' is not uz, ru or en", text);
	}
	return 0;
}

/* The legend of one layer (SLD 1.1's GetLegendGraphic, which every WMS
 * client reads): the print legend's block of the layer as a PNG, in
 * LANGUAGE (uz, ru, en; uz by default, as print), with posbon's filters as
 * vendor parameters (the heatmap's ramp follows the period, as its tiles
 * do); FORMAT=application/json answers what GET /api/legend does. */
static int get_legend_graphic(struct http_request *rq)
{
	struct app *app = rq->app;
	const char *layer = http_arg(rq, "LAYER"), *format = http_arg(rq, "FORMAT");
	const char *scale = http_arg(rq, "SCALE");
	struct print_legend_request q = {0};
	struct render_request rr = {0};
	struct print_legend out;
	if (layers_arg(rq, "LAYER", &q.layer) || styles_arg(rq, "STYLE"))
		return refused(rq);
	if (q.layer & (q.layer - 1))
		return exception(rq, "LayerNotDefined", "LAYER: '%s' names more than one layer",
		                 layer);
	if (!format || !*format)
		return exception(rq, "MissingParameterValue", "FORMAT: missing");
	if (strcmp(format, "application/json") == 0) {
		if (query_filter(rq, renderer_dataset(app->r), &rr) < 0)
			return refused(rq);
		json_t *o = legendjson_build(app->r, layer, &rr.filter, rr.metric, rr.fit);
		return o ? http_reply_value(rq, 200, o, NULL, NULL) : app_refuse(rq, 404);
	}
	if (!is_png(format))
		return exception(
		    rq, "InvalidFormat",
		    "FORMAT: '%s' is not served; ask for image/png or application/json", format);
	if (language_arg(rq, &q.lang))
		return refused(rq);
	/* SCALE is the map's denominator: the boundaries are drawn as wide as
	 * at the Web Mercator zoom of that scale (0.28 mm pixels). */
	if (scale) {
		double d;
		if (numtext_parse("SCALE", scale, 1, 1e9, "a scale denominator", &d) < 0)
			return exception(rq, "InvalidParameterValue", "%s", err_msg());
		q.zoom = fmax(1, log2(559082264.028 / d));
	}
	if ((http_arg(rq, "WIDTH") &&
	     int_arg(rq, "WIDTH", "InvalidParameterValue", 16, MAX_SIZE, &q.width)) ||
	    (http_arg(rq, "HEIGHT") &&
	     int_arg(rq, "HEIGHT", "InvalidParameterValue", 16, MAX_SIZE, &q.height)) ||
	    background_args(rq, 1, &q.opaque, &q.background) ||
	    query_filter(rq, renderer_dataset(app->r), &rr))
		return refused(rq);
	q.filter = rr.filter;
	q.metric = rr.metric;
	store *st = app_store(app);
	if (!st)
		return http_reply_error(rq, 503, NULL, "the database is not available");
	if (print_legend(app->r, st, &q, &out) < 0)
		return http_reply_error(rq, 500, NULL, "legend: %s", err_msg());
	char cache_control[APP_CACHE_CONTROL_SIZE];
	rr.layers = q.layer;
	return http_reply(rq, 200, "image/png", out.png, out.len, "Cache-Control",
	                  app_cache_control(app, &rr, cache_control), NULL);
}

/* ---- GetCapabilities ------------------------------------------------------ */

static const struct {
	const char *name;
	enum msg title;
} titles[] = {
    {"districts", MSG_WMS_DISTRICTS},   {"mahallas", MSG_WMS_MAHALLAS},
    {"choropleth", MSG_WMS_CHOROPLETH}, {"heatmap", MSG_WMS_HEATMAP},
    {"offences", MSG_WMS_OFFENCES},     {"zones", MSG_LAYER_ZONES},
    {"tracks", MSG_LAYER_TRACKS},       {"gistar", MSG_GISTAR_LAYER},
    {"hotspots", MSG_WMS_HOTSPOTS},     {"coverage", MSG_WMS_COVERAGE},
    {"dosage", MSG_WMS_DOSAGE},         {"change", MSG_WMS_CHANGE},
    {"trends", MSG_WMS_TRENDS},         {"base", MSG_WMS_BASE},
};

/* Layer name's title in lang (LANGUAGE), capitalised; the name itself when
 * it has none. */
static const char *title_of(const char *name, enum print_lang lang, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof titles / sizeof titles[0]; i++)
		if (strcmp(titles[i].name, name) == 0)
			return msg_capital(titles[i].title, (enum msg_lang)lang, buf, n);
	return name;
}

/* A BoundingBox element of crs with x and y as that CRS orders its axes. */
static void put_bbox(FILE *f, int v111, const char *crs, double minx, double miny, double maxx,
                     double maxy, int digits)
{
	fprintf(f,
	        "      <BoundingBox %s=\"%s\" minx=\"%.*f\" miny=\"%.*f\" maxx=\"%.*f\" "
	        "maxy=\"%.*f\"/>\n",
	        v111 ? "SRS" : "CRS", crs, digits, minx, digits, miny, digits, maxx, digits, maxy);
}

static void put_operation(FILE *f, const char *op, const char *const *formats, const char *url)
{
	fprintf(f, "      <%s>\n", op);
	for (; *formats; formats++)
		fprintf(f, "        <Format>%s</Format>\n", *formats);
	fprintf(f, "        <DCPType><HTTP><Get><OnlineResource xlink:type=\"simple\" "
	           "xlink:href=\"");
	put_escaped(f, url);
	fprintf(f, "\"/></Get></HTTP></DCPType>\n      </%s>\n", op);
}

/* The operations' URL: the service's, "?", and the vendor parameters the
 * capabilities were asked with, percent-encoded, each followed by '&'. A
 * client that connects with filters in its URL (QGIS keeps what the
 * connection's URL holds only for GetCapabilities) thus keeps them for
 * every map it asks for. */
static char *operations_url(struct http_request *rq, const char *base)
{
	static const char *const vendor[] = {
	    "from",      "to",     "hours", "weekdays", "categories", "services",
	    "bandwidth", "metric", "shift", "date",     "share",      "cell",
	    "target",    "visits", "weeks", "band",     "language",   "labelscale"};
	char *url = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&url, &len);
	if (!f)
		return NULL;
	fprintf(f, "%s?", base);
	for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++) {
		const char *v = http_arg(rq, vendor[i]);
		if (!v)
			continue;
		fprintf(f, "%s=", vendor[i]);
		for (; *v; v++)
			if (strchr("-_.~,:", *v) || (*v >= '0' && *v <= '9') ||
			    ((*v | 0x20) >= 'a' && (*v | 0x20) <= 'z'))
				fputc(*v, f);
			else
				fprintf(f, "%%%02X", (unsigned char)*v);
		fputc('&', f);
	}
	if (fclose(f) != 0) {
		free(url);
		return NULL;
	}
	return url;
}

/* A layer's only style, with the URL of its legend picture and the
 * picture's size as q, the legend the capabilities' vendor parameters ask
 * for, draws it. */
static int put_style(struct app *app, FILE *f, int v111, unsigned bit, const char *name,
                     const char *op_url, struct print_legend_request q)
{
	struct print_legend out;
	store *st = app_store(app);
	int rc;
	fprintf(f, "        <Style>\n          <Name>default</Name>\n          "
	           "<Title>default</Title>\n");
	if (st && print_legend_exists(bit)) {
		q.layer = bit;
		if ((rc = print_legend(app->r, st, &q, &out)) < 0)
			return rc;
		free(out.png);
		fprintf(f,
		        "          <LegendURL width=\"%d\" height=\"%d\">\n            "
		        "<Format>image/png</Format>\n            <OnlineResource "
		        "xlink:type=\"simple\" xlink:href=\"",
		        out.width, out.height);
		put_escaped(f, op_url);
		fprintf(f,
		        "SERVICE=WMS&amp;VERSION=%s&amp;REQUEST=GetLegendGraphic&amp;LAYER=%s&amp;"
		        "STYLE=default&amp;FORMAT=image/png\"/>\n          </LegendURL>\n",
		        v111 ? "1.1.1" : "1.3.0", name);
	}
	fputs("        </Style>\n", f);
	return 0;
}

static int get_capabilities(struct http_request *rq, int v111)
{
	struct app *app = rq->app;
	struct print_legend_request legend = {0};
	struct render_request rr = {0};
	double merc[4], ll[4], um[4];
	int utm_epsg;
	utm *u = NULL;
	if (query_filter(rq, renderer_dataset(app->r), &rr))
		return refused(rq);
	if (language_arg(rq, &legend.lang))
		return refused(rq);
	legend.filter = rr.filter;
	legend.metric = rr.metric;
	district_extent(rq, app->r, merc, &utm_epsg);
	tile_merc_to_lonlat(merc[0], merc[1], &ll[0], &ll[1]);
	tile_merc_to_lonlat(merc[2], merc[3], &ll[2], &ll[3]);
	if (utm_open(utm_epsg, &u) < 0 || utm_box_from_merc(u, merc, um) < 0) {
		utm_free(u);
		return http_reply_error(rq, 500, NULL, "%s", err_msg());
	}
	utm_free(u);
	char url[600], crs_utm[16];
	if (app_base_url(rq, url, sizeof url - 4) < 0)
		return exception(rq, "InvalidParameterValue", "%s", err_msg());
	strcat(url, "/wms");
	snprintf(crs_utm, sizeof crs_utm, "EPSG:%d", utm_epsg);
	char *op_url = operations_url(rq, url);
	if (!op_url)
		return http_reply_error(rq, 500, NULL, "wms: out of memory for the capabilities");
	const char *crs_tag = v111 ? "SRS" : "CRS";
	char *data = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&data, &len);
	if (!f) {
		free(op_url);
		return http_reply_error(rq, 500, NULL, "wms: out of memory for the capabilities");
	}
	if (v111)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<WMT_MS_Capabilities "
		      "version=\"1.1.1\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">\n",
		      f);
	else
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<WMS_Capabilities "
		      "version=\"1.3.0\" "
		      "xmlns=\"http://www.opengis.net/wms\" "
		      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
		      "xmlns:sld=\"http://www.opengis.net/sld\" "
		      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
		      "xsi:schemaLocation=\"http://www.opengis.net/wms "
		      "http://schemas.opengis.net/wms/1.3.0/capabilities_1_3_0.xsd "
		      "http://www.opengis.net/sld "
		      "http://schemas.opengis.net/sld/1.1.0/sld_capabilities.xsd\">\n",
		      f);
	fprintf(f, "  <Service>\n    <Name>%s</Name>\n    <Title>posbon</Title>\n",
	        v111 ? "OGC:WMS" : "WMS");
	fputs("    <Abstract>Offences, mahallas, patrol zones and tracks of the district, with "
	      "posbon's filters as vendor parameters (from, to, hours, weekdays, categories, "
	      "services, bandwidth, shift)</Abstract>\n    <OnlineResource xlink:type=\"simple\" "
	      "xlink:href=\"",
	      f);
	put_escaped(f, url);
	fputs(
	    "\"/>\n    <Fees>none</Fees>\n    <AccessConstraints>HTTP Basic authentication with a "
	    "posbon token as the password</AccessConstraints>\n",
	    f);
	if (!v111)
		fprintf(f, "    <MaxWidth>%d</MaxWidth>\n    <MaxHeight>%d</MaxHeight>\n", MAX_SIZE,
		        MAX_SIZE);
	fputs("  </Service>\n  <Capability>\n    <Request>\n", f);
	const char *caps[] = {v111 ? "application/vnd.ogc.wms_xml" : "text/xml", NULL};
	const char *maps[] = {"image/png", "image/jpeg", NULL};
	const char *infos[] = {"text/html", "application/json", "text/plain", NULL};
	put_operation(f, "GetCapabilities", caps, op_url);
	put_operation(f, "GetMap", maps, op_url);
	put_operation(f, "GetFeatureInfo", infos, op_url);
	/* SLD's extension, named as QGIS Server and MapServer name it. */
	const char *legends[] = {"image/png", "application/json", NULL};
	put_operation(f, v111 ? "GetLegendGraphic" : "sld:GetLegendGraphic", legends, op_url);
	fprintf(f, "    </Request>\n    <Exception><Format>%s</Format></Exception>\n",
	        v111 ? "application/vnd.ogc.se_xml" : "XML");
	fprintf(f, "    <Layer>\n      <Title>posbon</Title>\n");
	const char *crss[] = {"EPSG:3857", "EPSG:4326", "CRS:84", crs_utm};
	for (int k = 0; k < 4; k++)
		if (!(v111 && k == 2)) /* CRS:84 is 1.3.0's */
			fprintf(f, "      <%s>%s</%s>\n", crs_tag, crss[k], crs_tag);
	if (v111)
		fprintf(f,
		        "      <LatLonBoundingBox minx=\"%.6f\" miny=\"%.6f\" maxx=\"%.6f\" "
		        "maxy=\"%.6f\"/>\n",
		        ll[0], ll[1], ll[2], ll[3]);
	else
		fprintf(f,
		        "      <EX_GeographicBoundingBox>\n        "
		        "<westBoundLongitude>%.6f</westBoundLongitude>\n        "
		        "<eastBoundLongitude>%.6f</eastBoundLongitude>\n        "
		        "<southBoundLatitude>%.6f</southBoundLatitude>\n        "
		        "<northBoundLatitude>%.6f</northBoundLatitude>\n      "
		        "</EX_GeographicBoundingBox>\n",
		        ll[0], ll[2], ll[1], ll[3]);
	put_bbox(f, v111, "EPSG:3857", merc[0], merc[1], merc[2], merc[3], 2);
	if (v111) {
		put_bbox(f, v111, "EPSG:4326", ll[0], ll[1], ll[2], ll[3], 6);
	} else {
		put_bbox(f, v111, "EPSG:4326", ll[1], ll[0], ll[3], ll[2], 6);
		put_bbox(f, v111, "CRS:84", ll[0], ll[1], ll[2], ll[3], 6);
	}
	put_bbox(f, v111, crs_utm, um[0], um[1], um[2], um[3], 2);
	unsigned bit;
	const char *name;
	int rc = 0;
	for (size_t i = 0; rc == 0 && (name = render_layer_name(i, &bit)); i++) {
		char title[200];
		fprintf(
		    f,
		    "      <Layer queryable=\"%d\" opaque=\"0\">\n        <Name>%s</Name>\n        "
		    "<Title>",
		    (bit & QUERYABLE) != 0, name);
		put_escaped(f, title_of(name, legend.lang, title, sizeof title));
		fputs("</Title>\n", f);
		rc = put_style(app, f, v111, bit, name, op_url, legend);
		fputs("      </Layer>\n", f);
	}
	free(op_url);
	if (rc < 0) {
		fclose(f);
		free(data);
		return http_reply_error(rq, 500, NULL, "legend: %s", err_msg());
	}
	fprintf(f, "    </Layer>\n  </Capability>\n</%s>\n",
	        v111 ? "WMT_MS_Capabilities" : "WMS_Capabilities");
	return reply_stream(rq, 200,
	                    v111 ? "application/vnd.ogc.wms_xml" : "text/xml; charset=utf-8", f,
	                    &data, &len, NULL, NULL);
}

/* ---- the endpoint --------------------------------------------------------- */

int wms_get(struct http_request *rq)
{
	rq->error_reply = error_as_exception;
	refusal_code = NULL;
	unsigned denied = app_authorize(rq, ROLE_VIEWER);
	if (denied == 401)
		return exception_reply(
		    rq, 401, NULL,
		    rq->denial[0] ? rq->denial
		                  : "log in: HTTP Basic authentication with a posbon token as "
		                    "the password (any user name), or Authorization: Bearer TOKEN",
		    "WWW-Authenticate", "Basic realm=\"posbon\"");
	if (denied == 429)
		return exception_reply(rq, 429, NULL, "too many wrong tokens from this address",
		                       NULL, NULL);
	if (denied)
		return exception_reply(rq, denied, NULL, "this token may not read the map", NULL,
		                       NULL);
	const char *service = http_arg(rq, "SERVICE"), *request = http_arg(rq, "REQUEST");
	int v111 = is_111(rq);
	if (service && strcasecmp(service, "WMS") != 0)
		return exception(rq, "InvalidParameterValue", "SERVICE: '%s' is not WMS", service);
	if (!request || !*request)
		return exception(rq, "MissingParameterValue", "REQUEST: missing");
	if (strcasecmp(request, "GetCapabilities") == 0 || strcasecmp(request, "capabilities") == 0)
		return get_capabilities(rq, v111);
	if (strcasecmp(request, "GetMap") == 0 || strcasecmp(request, "map") == 0)
		return get_map(rq, v111);
	if (strcasecmp(request, "GetFeatureInfo") == 0)
		return get_feature_info(rq, v111);
	if (strcasecmp(request, "GetLegendGraphic") == 0)
		return get_legend_graphic(rq);
	return exception(rq, "OperationNotSupported",
	                 "REQUEST: '%s' is not GetCapabilities, GetMap, GetFeatureInfo or "
	                 "GetLegendGraphic",
	                 request);
}
