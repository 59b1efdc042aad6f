#include "sampleground.h"

#include "err.h"
#include "membuf.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK        4    /* parcels between two grid streets */
#define BUILT        0.35 /* share of the parcels with a house */
#define MAIN_EVERY   4    /* every fourth grid street is a tertiary one */
#define MOSQUES      5
#define PARK_HALF_W  110.0
#define PARK_HALF_H  80.0
#define ROAD_CLEAR   22.0 /* metres: no house this close to a main road */
#define NAME_MAX_LEN 160

/* The main roads' names, in the order of the sample's roads. */
static const char *const road_names[] = {"Amir Temur shoh koʻchasi", "Bunyodkor shoh koʻchasi",
                                         "Mustaqillik shoh koʻchasi"};

/* Names by kind of place: a format taking a name (or a number). */
static const struct {
	const char *format, *poi, *tag_key, *tag_value;
	int numbered;
} place_kinds[] = {
    [SAMPLEGROUND_MARKET] = {"%s bozori", "market", "amenity", "marketplace", 0},
    [SAMPLEGROUND_STOP] = {"%s bekati", "bus_stop", "highway", "bus_stop", 0},
    [SAMPLEGROUND_TEAHOUSE] = {"%s choyxonasi", "cafe", "amenity", "cafe", 0},
    [SAMPLEGROUND_SCHOOL] = {"%d-maktab", "school", "amenity", "school", 1},
    [SAMPLEGROUND_PARK] = {"%s bogʻi", NULL, "leisure", "park", 0},
};

struct writer {
	store *st;
	const struct sampleground_in *in;
	uint64_t rng;
	struct membuf wkb;
	long written;
};

/* splitmix64: enough for the ground, and apart from the sample's draws. */
static double uniform(struct writer *w)
{
	uint64_t z = (w->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static void put_bytes(struct writer *w, const void *p, size_t n)
{
	membuf_write(&w->wkb, p, (unsigned)n);
}

static void put_u32(struct writer *w, uint32_t v)
{
	put_bytes(w, &v, 4); /* the header says little-endian: so is every host posbon runs on */
}

/* A WKB header: little-endian, type. */
static void header(struct writer *w, uint32_t type)
{
	unsigned char order = 1;
	w->wkb.len = 0;
	put_bytes(w, &order, 1);
	put_u32(w, type);
}

static void put_point(struct writer *w, double x, double y)
{
	double ll[2];
	w->in->to_lonlat(x, y, &ll[0], &ll[1]);
	put_bytes(w, ll, sizeof ll);
}

/* Stores the feature in w->wkb with its tags (a JSON object, taken). */
static int put(struct writer *w, const char *id, const char *kind, const char *cls, const char *poi,
               const char *name, const char *street, const char *number, json_t *tags)
{
	char key[64], cyr[NAME_MAX_LEN * 2];
	struct store_put_info info;
	int rc;
	if (w->wkb.failed) {
		json_decref(tags);
		return err_set(ERR_NOMEM, "sample: out of memory for the ground");
	}
	if (name) {
		w->in->cyrillic(name, cyr, sizeof cyr);
		json_object_set_new(tags, "name", json_string(name));
		json_object_set_new(tags, "name:uz-Cyrl", json_string(cyr));
	}
	if (street) {
		json_object_set_new(tags, "addr:street", json_string(street));
		json_object_set_new(tags, "addr:housenumber", json_string(number));
	}
	char *text = json_dumps(tags, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(tags);
	if (!text)
		return err_set(ERR_NOMEM, "sample: out of memory for the ground");
	snprintf(key, sizeof key, "sample:%s%s", w->in->prefix ? w->in->prefix : "", id);
	struct store_ref_feature f = {.external_id = key,
	                              .source = "sample",
	                              .kind = kind,
	                              .cls = cls,
	                              .poi = poi,
	                              .name = name,
	                              .name_uz = name,
	                              .name_uz_cyrl = name ? cyr : NULL,
	                              .street = street,
	                              .housenumber = number,
	                              .tags = text,
	                              .wkb = w->wkb.data,
	                              .wkb_len = w->wkb.len};
	rc = store_put_ref_feature(w->st, &f, &info);
	free(text);
	w->written += rc == 0;
	return rc;
}

static json_t *tag(const char *key, const char *value)
{
	return json_pack("{s:s}", key, value);
}

static const char *name_at(const struct sampleground_in *in, long i)
{
	long n = (long)in->n_names;
	return in->names[((i % n) + n) % n];
}

/* The grid street of line k (east-west when ew), its name into out. */
static void grid_name(const struct sampleground_in *in, int ew, long k, char *out, size_t n)
{
	snprintf(out, n, "%s %s", name_at(in, ew ? k : k + 17),
	         !ew && k % MAIN_EVERY ? "tor koʻchasi" : "koʻchasi");
}

/* One grid line: the runs of it inside the district, each a street. */
static int grid_line(struct writer *w, int ew, long k)
{
	const struct sampleground_in *in = w->in;
	double step = in->parcel, at = k * BLOCK * in->parcel;
	double lo = ew ? in->box[0] : in->box[1], hi = ew ? in->box[2] : in->box[3];
	char name[NAME_MAX_LEN], id[48];
	const char *cls = k % MAIN_EVERY == 0 ? "tertiary" : "residential";
	int run = 0, rc = 0;
	grid_name(in, ew, k, name, sizeof name);
	for (double s = floor(lo / step) * step; s <= hi && rc == 0;) {
		while (s <= hi && !(ew ? in->inside(in->ctx, s, at) : in->inside(in->ctx, at, s)))
			s += step;
		double start = s;
		while (s <= hi && (ew ? in->inside(in->ctx, s, at) : in->inside(in->ctx, at, s)))
			s += step;
		double end = s - step;
		if (end - start < 2 * step)
			continue;
		header(w, 2);
		put_u32(w, 2);
		put_point(w, ew ? start : at, ew ? at : start);
		put_point(w, ew ? end : at, ew ? at : end);
		snprintf(id, sizeof id, "%s%ld-%d", ew ? "ew" : "ns", k, run++);
		rc = put(w, id, "street", cls, NULL, name, NULL, NULL, tag("highway", cls));
	}
	return rc;
}

/* Distance from (x, y) to the nearest main road. */
static double road_distance(const struct sampleground_in *in, double x, double y)
{
	double best = INFINITY;
	for (size_t r = 0; r < in->n_roads; r++)
		for (size_t i = 0; i + 1 < in->road_points; i++) {
			const double *a = in->roads + 2 * (r * in->road_points + i), *b = a + 2;
			double dx = b[0] - a[0], dy = b[1] - a[1], l2 = dx * dx + dy * dy;
			double t = l2 > 0 ? ((x - a[0]) * dx + (y - a[1]) * dy) / l2 : 0;
			t = t < 0 ? 0 : t > 1 ? 1 : t;
			best = fmin(best, hypot(x - a[0] - t * dx, y - a[1] - t * dy));
		}
	return best;
}

static void put_rectangle(struct writer *w, double x0, double y0, double x1, double y1)
{
	header(w, 3);
	put_u32(w, 1);
	put_u32(w, 5);
	put_point(w, x0, y0);
	put_point(w, x1, y0);
	put_point(w, x1, y1);
	put_point(w, x0, y1);
	put_point(w, x0, y0);
}

void sampleground_address(const struct sampleground_in *in, double x, double y, char *street,
                          size_t n, long *number)
{
	double p = in->parcel;
	long i = (long)floor(x / p), j = (long)floor(y / p), i0 = (long)floor(in->box[0] / p);
	/* The street on the parcel's side of its block. */
	long row = (long)floor((double)j / BLOCK), in_row = j - row * BLOCK;
	long k = in_row < BLOCK / 2 ? row : row + 1;
	grid_name(in, 1, k, street, n);
	*number = 2 * (i - i0) + (k == row ? 1 : 2);
}

/* Houses on a share of the parcels, each with its parcel's address
 * (sampleground_address()). */
static int houses(struct writer *w)
{
	const struct sampleground_in *in = w->in;
	double p = in->parcel;
	long i0 = (long)floor(in->box[0] / p), i1 = (long)ceil(in->box[2] / p);
	long j0 = (long)floor(in->box[1] / p), j1 = (long)ceil(in->box[3] / p);
	char street[NAME_MAX_LEN], number[24], id[48];
	int rc = 0;
	for (long j = j0; j < j1 && rc == 0; j++)
		for (long i = i0; i < i1 && rc == 0; i++) {
			double cx = (i + 0.5) * p, cy = (j + 0.5) * p;
			if (uniform(w) >= BUILT || !in->inside(in->ctx, cx, cy) ||
			    road_distance(in, cx, cy) < ROAD_CLEAR)
				continue;
			long n;
			sampleground_address(in, cx, cy, street, sizeof street, &n);
			snprintf(number, sizeof number, "%ld", n);
			double inset = 4 + 3 * uniform(w);
			put_rectangle(w, i * p + inset, j * p + inset, (i + 1) * p - inset,
			              (j + 1) * p - inset);
			snprintf(id, sizeof id, "h%ld-%ld", i, j);
			rc = put(w, id, "building", "house", NULL, NULL, street, number,
			         tag("building", "house"));
		}
	return rc;
}

static int places(struct writer *w)
{
	const struct sampleground_in *in = w->in;
	char name[NAME_MAX_LEN], id[48];
	int rc = 0, schools = 0;
	for (size_t i = 0; i < in->n_places && rc == 0; i++) {
		const struct sampleground_place *pl = &in->places[i];
		const char *base = name_at(in, (long)(i * 7 + 3));
		if (place_kinds[pl->kind].numbered)
			snprintf(name, sizeof name, place_kinds[pl->kind].format,
			         10 * ++schools + 3);
		else
			snprintf(name, sizeof name, place_kinds[pl->kind].format, base);
		json_t *tags = tag(place_kinds[pl->kind].tag_key, place_kinds[pl->kind].tag_value);
		snprintf(id, sizeof id, "p%zu", i);
		if (pl->kind == SAMPLEGROUND_PARK) {
			put_rectangle(w, pl->x - PARK_HALF_W, pl->y - PARK_HALF_H,
			              pl->x + PARK_HALF_W, pl->y + PARK_HALF_H);
			rc = put(w, id, "park", "park", NULL, name, NULL, NULL, tags);
			continue;
		}
		header(w, 1);
		put_point(w, pl->x, pl->y);
		rc = put(w, id, "poi", NULL, place_kinds[pl->kind].poi, name, NULL, NULL, tags);
	}
	for (int m = 0; m < MOSQUES && rc == 0; m++) {
		double x, y;
		int tries = 0;
		do {
			x = in->box[0] + uniform(w) * (in->box[2] - in->box[0]);
			y = in->box[1] + uniform(w) * (in->box[3] - in->box[1]);
		} while (!in->inside(in->ctx, x, y) && ++tries < 1000);
		snprintf(name, sizeof name, "%s jome masjidi", name_at(in, m * 11 + 5));
		header(w, 1);
		put_point(w, x, y);
		snprintf(id, sizeof id, "m%d", m);
		json_t *tags =
		    json_pack("{s:s, s:s}", "amenity", "place_of_worship", "religion", "muslim");
		rc = put(w, id, "poi", NULL, "mosque", name, NULL, NULL, tags);
	}
	return rc;
}

static int main_roads(struct writer *w)
{
	const struct sampleground_in *in = w->in;
	char id[32];
	int rc = 0;
	for (size_t r = 0; r < in->n_roads && rc == 0; r++) {
		header(w, 2);
		put_u32(w, (uint32_t)in->road_points);
		for (size_t i = 0; i < in->road_points; i++) {
			const double *p = in->roads + 2 * (r * in->road_points + i);
			put_point(w, p[0], p[1]);
		}
		snprintf(id, sizeof id, "road%zu", r);
		rc = put(w, id, "street", "primary", NULL,
		         road_names[r % (sizeof road_names / sizeof road_names[0])], NULL, NULL,
		         tag("highway", "primary"));
	}
	return rc;
}

int sampleground_write(store *st, const struct sampleground_in *in, long *written)
{
	struct writer w = {.st = st, .in = in, .rng = in->seed ^ 0x67726f756e64ULL};
	double step = BLOCK * in->parcel;
	int rc = main_roads(&w);
	for (int ew = 0; ew < 2 && rc == 0; ew++) {
		double lo = ew ? in->box[1] : in->box[0], hi = ew ? in->box[3] : in->box[2];
		for (long k = (long)ceil(lo / step); k * step <= hi && rc == 0; k++)
			rc = grid_line(&w, ew, k);
	}
	if (rc == 0 && in->houses)
		rc = houses(&w);
	if (rc == 0)
		rc = places(&w);
	free(w.wkb.data);
	*written = w.written;
	return rc;
}
