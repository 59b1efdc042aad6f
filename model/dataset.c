/*
 * dataset: offences in a sorted uniform grid.
 *
 * The grid is sized for about 32 offences a cell over the district's extent,
 * which keeps a z14 tile query to a few dozen contiguous runs of records and
 * costs one uint32 per cell. Sorting is a counting sort by cell (two passes),
 * so a million offences index in tens of milliseconds. Appends go to the
 * tail; when it holds more than 1/16 of the sorted records the whole set is
 * re-sorted, which keeps appends amortised O(1) and queries O(run + tail).
 * Within a cell the records are in (x, y) order, so offences geocoded to the
 * same address come one after the other and dataset_gather() hands the
 * kernel one point for them: real records repeat addresses (the NYC
 * shootings hold 12,643 places for 27,312 records, Merseyside's street
 * crimes 11,415 for 39,274), and a tile's KDE costs per point.
 */
#include "dataset.h"

#include "civil.h"

#include "err.h"
#include "numtext.h"
#include "rank.h"
#include "strmap.h"
#include "tilemath.h"
#include "timeparse.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(struct dataset_offence) == 48, "an offence must stay 48 bytes");

enum {
	TARGET_PER_CELL = 32,
	MIN_TAIL_REBUILD = 4096,
};

#define MIN_CELL_M 25.0
#define MAX_CELLS  (1u << 22)
#define EXTENT_PAD 2000.0 /* metres around the district still indexed */

/* Codes of one kind (categories, services, mahallas, districts) as small
 * indices. */
struct dict {
	strmap *index;
	char **codes;
	size_t n, cap, max;
};

struct offence_array {
	struct dataset_offence *v;
	size_t n, cap;
};

/* Grid cells x0..x1, y0..y1 (inclusive); empty when x0 > x1. */
struct cell_box {
	uint32_t x0, y0, x1, y1;
};

struct dataset {
	pthread_rwlock_t lock;
	tz *zone;
	struct dict categories, services, mahallas, districts, regions;
	uint16_t district_region[DATASET_MAX_DISTRICTS]; /* index in regions, DATASET_NONE */
	double extent[4];                                /* of the district, for the grid */
	double cell;                                     /* grid cell size, metres */
	uint32_t gw, gh;                                 /* grid cells across and down */
	uint32_t *cell_start;                            /* gw * gh + 1 offsets into sorted */
	struct offence_array sorted, tail, outliers;
	/* The cells holding each district's and mahalla's sorted records (by
	 * index; mahallas up to n_mahalla_boxes), so that a walk of one
	 * territory reads its box, not the whole grid. */
	struct cell_box district_box[DATASET_MAX_DISTRICTS];
	struct cell_box *mahalla_box;
	size_t n_mahalla_boxes;
	struct offence_array unplaced; /* no point, counted in their mahalla only */
	int64_t max_id;
	size_t gone; /* records with a point marked DATASET_GONE */
	double area_km2;
	double district_km2[DATASET_MAX_DISTRICTS]; /* by district index */
	int64_t first_time, last_time;
};

static int dict_init(struct dict *d, size_t max)
{
	d->max = max;
	d->index = strmap_new();
	return d->index ? 0 : err_set(ERR_NOMEM, "dataset: out of memory");
}

static void dict_free(struct dict *d)
{
	strmap_free(d->index);
	for (size_t i = 0; i < d->n; i++)
		free(d->codes[i]);
	free(d->codes);
}

/* Index of code, added when new; none when code is NULL. */
static int dict_index(struct dict *d, const char *code, uint32_t none, uint32_t *out)
{
	int64_t i;
	if (!code) {
		*out = none;
		return 0;
	}
	if (strmap_get(d->index, code, &i)) {
		*out = (uint32_t)i;
		return 0;
	}
	if (d->n == d->max) {
		*out = none; /* beyond the cap a code renders as "none" */
		return 0;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		char **c = realloc(d->codes, cap * sizeof *c);
		if (!c)
			return err_set(ERR_NOMEM, "dataset: out of memory");
		d->codes = c;
		d->cap = cap;
	}
	if (!(d->codes[d->n] = strdup(code)))
		return err_set(ERR_NOMEM, "dataset: out of memory");
	if (strmap_put(d->index, code, (int64_t)d->n) < 0)
		return ERR_NOMEM;
	*out = (uint32_t)d->n++;
	return 0;
}

static int array_push(struct offence_array *a, const struct dataset_offence *o)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		struct dataset_offence *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return err_set(ERR_NOMEM, "dataset: out of memory");
		a->v = v;
		a->cap = cap;
	}
	a->v[a->n++] = *o;
	return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Local hour and weekday of the span from..to, where they are known. */
static void local_hour_weekday(const tz *zone, int64_t from, int64_t to, uint8_t *hour,
                               uint8_t *weekday)
{
	*hour = *weekday = DATASET_UNKNOWN;
	if (from == STORE_NO_TIME)
		return;
	int64_t mid = from + (to - from) / 2;
	int64_t local = mid + tz_offset_at(zone, mid);
	int64_t lfrom = from + tz_offset_at(zone, from), lto = to + tz_offset_at(zone, to);
	if (to - from < 3600 && floor_div(lfrom, 3600) == floor_div(lto, 3600))
		*hour = (uint8_t)(floor_div(local, 3600) -
		                  floor_div(local, CIVIL_SECONDS_PER_DAY) * 24);
	if (floor_div(lfrom, CIVIL_SECONDS_PER_DAY) == floor_div(lto, CIVIL_SECONDS_PER_DAY))
		*weekday = (uint8_t)((floor_div(local, CIVIL_SECONDS_PER_DAY) % 7 + 7 + 3) %
		                     7); /* 1970-01-01: Thu */
}

/* The span from..to as its local start in minutes of the week and its
 * length in minutes (rounded, capped), for aoristic weights. */
static void local_span(const tz *zone, int64_t from, int64_t to, struct dataset_offence *o)
{
	if (from == STORE_NO_TIME)
		return;
	int64_t minute = floor_div(from + tz_offset_at(zone, from), 60);
	/* 1970-01-01 was a Thursday: Monday 00:00 came 3 days earlier. */
	o->week_minute = (uint16_t)(((minute + 3 * CIVIL_MINUTES_PER_DAY) % 10080 + 10080) % 10080);
	int64_t span = (to - from + 30) / 60;
	o->span = (uint16_t)(span < 0 ? 0 : span > DATASET_SPAN_CAP ? DATASET_SPAN_CAP : span);
}

static int in_extent(const dataset *ds, double x, double y)
{
	return x >= ds->extent[0] && x <= ds->extent[2] && y >= ds->extent[1] && y <= ds->extent[3];
}

static uint32_t cell_of(const dataset *ds, double x, double y)
{
	uint32_t cx = (uint32_t)((x - ds->extent[0]) / ds->cell);
	uint32_t cy = (uint32_t)((y - ds->extent[1]) / ds->cell);
	if (cx >= ds->gw)
		cx = ds->gw - 1;
	if (cy >= ds->gh)
		cy = ds->gh - 1;
	return cy * ds->gw + cx;
}

static int by_place(const void *a, const void *b)
{
	const struct dataset_offence *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return (p->y > q->y) - (p->y < q->y);
}

/* Grows b to hold cell c of a grid gw cells across. */
static void box_add(struct cell_box *b, size_t c, uint32_t gw)
{
	uint32_t x = (uint32_t)(c % gw), y = (uint32_t)(c / gw);
	if (b->x0 > b->x1) {
		*b = (struct cell_box){x, y, x, y};
		return;
	}
	b->x0 = x < b->x0 ? x : b->x0;
	b->y0 = y < b->y0 ? y : b->y0;
	b->x1 = x > b->x1 ? x : b->x1;
	b->y1 = y > b->y1 ? y : b->y1;
}

/* The part of a that b also covers. */
static void box_clip(struct cell_box *a, const struct cell_box *b)
{
	a->x0 = b->x0 > a->x0 ? b->x0 : a->x0;
	a->y0 = b->y0 > a->y0 ? b->y0 : a->y0;
	a->x1 = b->x1 < a->x1 ? b->x1 : a->x1;
	a->y1 = b->y1 < a->y1 ? b->y1 : a->y1;
}

/* The cells of the sorted records f can let through: the box of its
 * districts when it names some (and no offence without one), else the
 * whole grid. */
static struct cell_box filter_box(const dataset *ds, const struct dataset_filter *f)
{
	struct cell_box all = {0, 0, ds->gw - 1, ds->gh - 1};
	if (!f || f->no_district || !dataset_filter_scoped(f))
		return all;
	struct cell_box b = {UINT32_MAX, UINT32_MAX, 0, 0};
	for (size_t i = 0; i < ds->districts.n; i++) {
		const struct cell_box *d = &ds->district_box[i];
		if (!dataset_filter_has_district(f, i) || d->x0 > d->x1)
			continue;
		box_add(&b, (size_t)d->y0 * ds->gw + d->x0, ds->gw);
		box_add(&b, (size_t)d->y1 * ds->gw + d->x1, ds->gw);
	}
	return b;
}

/* Sorts sorted + tail into the grid (counting sort by cell), each cell's
 * records by place, and notes each district's and mahalla's cells. */
static int rebuild(dataset *ds)
{
	size_t n = ds->sorted.n + ds->tail.n;
	size_t ncell = (size_t)ds->gw * ds->gh;
	struct dataset_offence *v = malloc((n ? n : 1) * sizeof *v);
	uint32_t *start = calloc(ncell + 1, sizeof *start);
	if (!v || !start) {
		free(v);
		free(start);
		return err_set(ERR_NOMEM, "dataset: out of memory");
	}
	const struct offence_array *parts[2] = {&ds->sorted, &ds->tail};
	for (int p = 0; p < 2; p++)
		for (size_t i = 0; i < parts[p]->n; i++)
			start[cell_of(ds, parts[p]->v[i].x, parts[p]->v[i].y) + 1]++;
	for (size_t c = 0; c < ncell; c++)
		start[c + 1] += start[c];
	uint32_t *fill = malloc(ncell * sizeof *fill);
	if (!fill) {
		free(v);
		free(start);
		return err_set(ERR_NOMEM, "dataset: out of memory");
	}
	struct cell_box *mbox = malloc((ds->mahallas.n ? ds->mahallas.n : 1) * sizeof *mbox);
	if (!mbox) {
		free(v);
		free(start);
		free(fill);
		return err_set(ERR_NOMEM, "dataset: out of memory");
	}
	memcpy(fill, start, ncell * sizeof *fill);
	for (int p = 0; p < 2; p++)
		for (size_t i = 0; i < parts[p]->n; i++) {
			const struct dataset_offence *o = &parts[p]->v[i];
			v[fill[cell_of(ds, o->x, o->y)]++] = *o;
		}
	free(fill);
	const struct cell_box empty = {UINT32_MAX, UINT32_MAX, 0, 0};
	for (size_t i = 0; i < DATASET_MAX_DISTRICTS; i++)
		ds->district_box[i] = empty;
	for (size_t i = 0; i < ds->mahallas.n; i++)
		mbox[i] = empty;
	for (size_t c = 0; c < ncell; c++) {
		if (start[c + 1] - start[c] > 1)
			qsort(v + start[c], start[c + 1] - start[c], sizeof *v, by_place);
		for (uint32_t i = start[c]; i < start[c + 1]; i++) {
			if (v[i].district < DATASET_MAX_DISTRICTS)
				box_add(&ds->district_box[v[i].district], c, ds->gw);
			if (v[i].mahalla < ds->mahallas.n)
				box_add(&mbox[v[i].mahalla], c, ds->gw);
		}
	}
	free(ds->sorted.v);
	free(ds->cell_start);
	free(ds->mahalla_box);
	ds->sorted.v = v;
	ds->sorted.n = ds->sorted.cap = n;
	ds->cell_start = start;
	ds->mahalla_box = mbox;
	ds->n_mahalla_boxes = ds->mahallas.n;
	ds->tail.n = 0;
	return 0;
}

/* Where read_row() puts what the store hands it. */
struct reader {
	dataset *ds;
	dataset_seen_fn seen;
	void *ctx;
	size_t added;
};

/* Takes one offence into the tail, the outliers or the unplaced, calling
 * seen (may be NULL) when it is kept. */
static int read_row(void *arg, const struct store_offence_row *r)
{
	struct reader *rd = arg;
	dataset *ds = rd->ds;
	const struct store_offence *so = &r->o;
	struct dataset_offence o = {0};
	uint32_t cat, svc, mah, dis;
	int rc;
	o.id = r->id;
	if (o.id > ds->max_id)
		ds->max_id = o.id;
	o.x = o.y = NAN;
	if (so->has_point && tile_lonlat_to_merc(so->lon, so->lat, &o.x, &o.y) < 0)
		return 0; /* beyond Web Mercator's latitudes: not drawable */
	int64_t from = so->occurred_from;
	int64_t to = so->occurred_to == STORE_NO_TIME ? from : so->occurred_to;
	o.mid = from == STORE_NO_TIME ? STORE_NO_TIME : from + (to - from) / 2;
	if (o.mid != STORE_NO_TIME) {
		if (ds->first_time == STORE_NO_TIME || o.mid < ds->first_time)
			ds->first_time = o.mid;
		if (ds->last_time == STORE_NO_TIME || o.mid > ds->last_time)
			ds->last_time = o.mid;
	}
	o.precision = (uint8_t)so->precision;
	local_hour_weekday(ds->zone, from, to, &o.hour, &o.weekday);
	local_span(ds->zone, from, to, &o);
	if ((rc = dict_index(&ds->categories, so->category, DATASET_NONE, &cat)) < 0 ||
	    (rc = dict_index(&ds->services, so->service, DATASET_UNKNOWN, &svc)) < 0 ||
	    (rc = dict_index(&ds->mahallas, so->mahalla_code, DATASET_NONE, &mah)) < 0 ||
	    (rc = dict_index(&ds->districts, so->district_code, DATASET_NONE, &dis)) < 0)
		return rc;
	o.category = (uint16_t)cat;
	o.service = (uint8_t)svc;
	o.mahalla = (uint16_t)mah;
	o.district = (uint16_t)dis;
	rc = array_push(!so->has_point            ? &ds->unplaced
	                : in_extent(ds, o.x, o.y) ? &ds->tail
	                                          : &ds->outliers,
	                &o);
	if (rc < 0)
		return rc;
	if (rd->seen)
		rd->seen(rd->ctx, &o);
	rd->added++;
	return 0;
}

/* Reads the offences with ids first..last (see store_scan_offences()). */
static int read_rows(dataset *ds, store *st, int64_t first, int64_t last, dataset_seen_fn seen,
                     void *ctx, size_t *added)
{
	struct reader rd = {ds, seen, ctx, 0};
	int rc = store_scan_offences(st, first, last, read_row, &rd);
	*added = rd.added;
	return rc;
}

static int preload_code(void *d, const struct store_code *c)
{
	uint32_t unused;
	return dict_index(d, c->code, 0, &unused);
}

static int preload_region(void *arg, const struct store_area_record *a)
{
	uint32_t unused;
	return dict_index(arg, a->area.code, DATASET_NONE, &unused);
}

static int preload_district(void *arg, const struct store_area_record *a)
{
	dataset *ds = arg;
	uint32_t i = DATASET_NONE, r = DATASET_NONE;
	int rc = dict_index(&ds->districts, a->area.code, DATASET_NONE, &i);
	if (rc == 0)
		rc = dict_index(&ds->regions, a->area.region_code, DATASET_NONE, &r);
	if (rc == 0 && i != DATASET_NONE) {
		ds->district_km2[i] = a->area_m2 / 1e6;
		ds->district_region[i] = (uint16_t)r;
	}
	return rc;
}

/* Longitudes and latitudes of offences, growing. */
struct lonlats {
	double *x, *y;
	size_t n, cap;
};

static int add_lonlat(void *arg, double lon, double lat)
{
	struct lonlats *p = arg;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 4096;
		double *nx = realloc(p->x, cap * sizeof *nx);
		if (nx)
			p->x = nx;
		double *ny = nx ? realloc(p->y, cap * sizeof *ny) : NULL;
		if (!ny)
			return err_set(ERR_NOMEM, "dataset: out of memory");
		p->y = ny;
		p->cap = cap;
	}
	p->x[p->n] = lon;
	p->y[p->n++] = lat;
	return 0;
}

/* The offences' 1st and 99th percentiles of longitude and latitude (minx,
 * miny, maxx, maxy) in one scan; *have stays 0 without offences. */
static int offence_percentiles(store *st, double e[4], int *have)
{
	struct lonlats p = {0};
	int rc = store_each_point(st, add_lonlat, &p);
	if (rc == 0 && p.n > 0) {
		size_t k = p.n / 100;
		e[0] = rank_kth_smallest(p.x, p.n, k);
		e[1] = rank_kth_smallest(p.y, p.n, k);
		e[2] = rank_kth_smallest(p.x, p.n, p.n - 1 - k);
		e[3] = rank_kth_smallest(p.y, p.n, p.n - 1 - k);
		*have = 1;
	}
	free(p.x);
	free(p.y);
	return rc;
}

/* The district's extent from its polygons, else from the offences' 1st to
 * 99th percentiles (so stray geocodes do not stretch it). */
static int compute_extent(dataset *ds, store *st)
{
	struct store_extent box;
	double e[4] = {0, 0, 0, 0};
	int have = 0, rc;
	if ((rc = store_area_extent(st, &box)) < 0)
		return rc;
	if (!box.empty) {
		e[0] = box.minx;
		e[1] = box.miny;
		e[2] = box.maxx;
		e[3] = box.maxy;
		have = 1;
	}
	if (!have && (rc = offence_percentiles(st, e, &have)) < 0)
		return rc;
	if (!have) { /* an empty database: a token extent at the sample district */
		e[0] = 69.2;
		e[1] = 41.25;
		e[2] = 69.3;
		e[3] = 41.35;
	}
	if (tile_lonlat_to_merc(e[0], e[1], &ds->extent[0], &ds->extent[1]) < 0 ||
	    tile_lonlat_to_merc(e[2], e[3], &ds->extent[2], &ds->extent[3]) < 0)
		return err_set_field(ERR_INVALID, "dataset",
		                     "dataset: the district lies beyond Web Mercator");
	ds->extent[0] -= EXTENT_PAD;
	ds->extent[1] -= EXTENT_PAD;
	ds->extent[2] += EXTENT_PAD;
	ds->extent[3] += EXTENT_PAD;
	return 0;
}

static int read_area(dataset *ds, store *st)
{
	double m2;
	int rc = store_area_m2(st, &m2);
	ds->area_km2 = rc == 0 ? m2 / 1e6 : 0;
	return rc;
}

static int size_grid(dataset *ds, store *st)
{
	long n = 0;
	int rc = store_offence_count(st, &n);
	if (rc < 0)
		return rc;
	double w = ds->extent[2] - ds->extent[0], h = ds->extent[3] - ds->extent[1];
	double cells = n / TARGET_PER_CELL > 1 ? (double)(n / TARGET_PER_CELL) : 1.0;
	ds->cell = fmax(MIN_CELL_M, sqrt(w * h / cells));
	while ((w / ds->cell + 1) * (h / ds->cell + 1) > MAX_CELLS)
		ds->cell *= 2;
	ds->gw = (uint32_t)(w / ds->cell) + 1;
	ds->gh = (uint32_t)(h / ds->cell) + 1;
	return 0;
}

int dataset_load(store *st, const char *tzname, dataset **out)
{
	dataset *ds = calloc(1, sizeof *ds);
	size_t added;
	int rc;
	*out = NULL;
	if (!ds)
		return err_set(ERR_NOMEM, "dataset: out of memory");
	ds->first_time = ds->last_time = STORE_NO_TIME;
	if (pthread_rwlock_init(&ds->lock, NULL) != 0) {
		free(ds);
		return err_set(ERR_NOMEM, "dataset: no lock");
	}
	char stored[64];
	if ((rc = store_time_zone(st, stored, sizeof stored)) < 0 ||
	    (rc = tz_open(tzname ? tzname : stored, &ds->zone)) < 0 ||
	    (rc = dict_init(&ds->categories, DATASET_MAX_CATEGORIES)) < 0 ||
	    (rc = dict_init(&ds->services, DATASET_MAX_SERVICES - 1)) < 0 ||
	    (rc = dict_init(&ds->mahallas, DATASET_NONE)) < 0 ||
	    (rc = dict_init(&ds->districts, DATASET_MAX_DISTRICTS)) < 0 ||
	    (rc = dict_init(&ds->regions, DATASET_MAX_DISTRICTS)) < 0 ||
	    (rc = store_list_areas(st, STORE_REGIONS, NULL, 0, preload_region, &ds->regions)) < 0 ||
	    (rc = store_list_areas(st, STORE_DISTRICTS, NULL, 0, preload_district, ds)) < 0 ||
	    (rc = store_list_codes(st, STORE_CATEGORIES, preload_code, &ds->categories)) < 0 ||
	    (rc = store_list_codes(st, STORE_SERVICES, preload_code, &ds->services)) < 0 ||
	    (rc = compute_extent(ds, st)) < 0 || (rc = read_area(ds, st)) < 0 ||
	    (rc = size_grid(ds, st)) < 0 ||
	    (rc = read_rows(ds, st, 1, INT64_MAX, NULL, NULL, &added)) < 0 ||
	    (rc = rebuild(ds)) < 0) {
		dataset_free(ds);
		return rc;
	}
	*out = ds;
	return 0;
}

void dataset_free(dataset *ds)
{
	if (!ds)
		return;
	dict_free(&ds->categories);
	dict_free(&ds->services);
	dict_free(&ds->mahallas);
	dict_free(&ds->districts);
	dict_free(&ds->regions);
	tz_free(ds->zone);
	free(ds->sorted.v);
	free(ds->tail.v);
	free(ds->outliers.v);
	free(ds->unplaced.v);
	free(ds->cell_start);
	free(ds->mahalla_box);
	pthread_rwlock_destroy(&ds->lock);
	free(ds);
}

int dataset_sync(dataset *ds, store *st, dataset_seen_fn seen, void *ctx, size_t *added)
{
	size_t n = 0;
	pthread_rwlock_wrlock(&ds->lock);
	int rc = read_rows(ds, st, ds->max_id + 1, INT64_MAX, seen, ctx, &n);
	if (rc == 0 && ds->tail.n > MIN_TAIL_REBUILD && ds->tail.n > ds->sorted.n / 16)
		rc = rebuild(ds);
	pthread_rwlock_unlock(&ds->lock);
	if (added)
		*added = n;
	return rc;
}

int dataset_refresh_areas(dataset *ds, store *st)
{
	pthread_rwlock_wrlock(&ds->lock);
	int rc = store_list_areas(st, STORE_REGIONS, NULL, 0, preload_region, &ds->regions);
	if (rc == 0)
		rc = store_list_areas(st, STORE_DISTRICTS, NULL, 0, preload_district, ds);
	pthread_rwlock_unlock(&ds->lock);
	return rc;
}

/* Marks the copies of offence id gone, telling seen where they were; raises
 * *live_max to the largest id still held. */
static void forget(dataset *ds, struct offence_array *a, int64_t id, dataset_seen_fn seen,
                   void *ctx, int64_t *live_max)
{
	for (size_t i = 0; i < a->n; i++) {
		struct dataset_offence *o = &a->v[i];
		if (o->precision & DATASET_GONE)
			continue;
		if (o->id != id) {
			if (o->id > *live_max)
				*live_max = o->id;
			continue;
		}
		o->precision |= DATASET_GONE;
		ds->gone += a != &ds->unplaced;
		if (seen)
			seen(ctx, o);
	}
}

int dataset_reload(dataset *ds, store *st, int64_t id, dataset_seen_fn seen, void *ctx)
{
	size_t n;
	pthread_rwlock_wrlock(&ds->lock);
	struct offence_array *arrays[] = {&ds->sorted, &ds->tail, &ds->outliers, &ds->unplaced};
	int64_t live_max = 0;
	for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		forget(ds, arrays[i], id, seen, ctx, &live_max);
	int rc = read_rows(ds, st, id, id, seen, ctx, &n);
	/* SQLite gives the next row the largest id in the table plus one, so a
	 * deleted newest offence's id comes back: the next sync must read it. */
	if (rc == 0 && n == 0)
		ds->max_id = live_max;
	pthread_rwlock_unlock(&ds->lock);
	return rc;
}

const tz *dataset_zone(const dataset *ds)
{
	return ds->zone;
}

size_t dataset_count(const dataset *ds)
{
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	size_t n = ds->sorted.n + ds->tail.n + ds->outliers.n - ds->gone;
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
	return n;
}

static const char *dict_code(const struct dict *d, size_t i)
{
	return i < d->n ? d->codes[i] : NULL;
}

const char *dataset_category(const dataset *ds, size_t i)
{
	return dict_code(&ds->categories, i);
}

const char *dataset_service(const dataset *ds, size_t i)
{
	return dict_code(&ds->services, i);
}

const char *dataset_mahalla(const dataset *ds, size_t i)
{
	return dict_code(&ds->mahallas, i);
}

const char *dataset_district(const dataset *ds, size_t i)
{
	return dict_code(&ds->districts, i);
}

size_t dataset_district_count(const dataset *ds)
{
	return ds->districts.n;
}

int dataset_district_index(const dataset *ds, const char *code)
{
	int64_t i;
	return strmap_get(ds->districts.index, code, &i) ? (int)i : -1;
}

int dataset_filter_holds(const dataset *ds, const struct dataset_filter *f, const char *code)
{
	if (!dataset_filter_scoped(f))
		return 1;
	int d = code ? dataset_district_index(ds, code) : -1;
	return d < 0 ? f->no_district : dataset_filter_has_district(f, (size_t)d);
}

int dataset_filter_has_district(const struct dataset_filter *f, size_t i)
{
	return i < DATASET_MAX_DISTRICTS && (f->districts[i / 64] >> (i % 64) & 1);
}

void dataset_filter_district(struct dataset_filter *f, size_t i)
{
	int keep = dataset_filter_has_district(f, i);
	memset(f->districts, 0, sizeof f->districts);
	if (keep)
		f->districts[i / 64] |= 1ull << (i % 64);
	f->no_district = 0;
}

int dataset_filter_within(struct dataset_filter *f, const struct dataset_filter *scope)
{
	int scoped = dataset_filter_scoped(f);
	int beyond = scoped && f->no_district && !scope->no_district;
	for (size_t i = 0; i < DATASET_MAX_DISTRICTS / 64; i++) {
		if (scoped && (f->districts[i] & ~scope->districts[i]))
			beyond = 1;
		f->districts[i] &= scope->districts[i];
	}
	f->no_district = f->no_district && scope->no_district;
	return beyond;
}

char *dataset_filter_territory(const dataset *ds, const struct dataset_filter *f)
{
	if (!dataset_filter_scoped(f))
		return NULL;
	size_t len = 1;
	for (size_t i = 0; i < ds->districts.n; i++)
		if (dataset_filter_has_district(f, i))
			len += strlen(ds->districts.codes[i]) + 1;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	/* A territory of no district at all still names something, so that
	 * it is not read as every district. */
	*p = '\0';
	for (size_t i = 0; i < ds->districts.n; i++)
		if (dataset_filter_has_district(f, i))
			p += sprintf(p, "%s%s", p == out ? "" : ",", ds->districts.codes[i]);
	if (p == out) {
		free(out);
		return strdup(",");
	}
	return out;
}

int dataset_filter_scoped(const struct dataset_filter *f)
{
	for (size_t i = 0; i < DATASET_MAX_DISTRICTS / 64; i++)
		if (f->districts[i] != UINT64_MAX)
			return 1;
	return !f->no_district;
}

size_t dataset_category_count(const dataset *ds)
{
	return ds->categories.n;
}

int dataset_category_index(const dataset *ds, const char *code)
{
	int64_t i;
	return strmap_get(ds->categories.index, code, &i) ? (int)i : -1;
}

void dataset_extent(const dataset *ds, double out[4])
{
	out[0] = ds->extent[0] + EXTENT_PAD;
	out[1] = ds->extent[1] + EXTENT_PAD;
	out[2] = ds->extent[2] - EXTENT_PAD;
	out[3] = ds->extent[3] - EXTENT_PAD;
}

double dataset_area_km2(const dataset *ds, const struct dataset_filter *f)
{
	if (!f || !dataset_filter_scoped(f))
		return ds->area_km2;
	double km2 = 0;
	for (size_t i = 0; i < ds->districts.n; i++)
		if (dataset_filter_has_district(f, i))
			km2 += ds->district_km2[i];
	return km2;
}

void dataset_time_range(const dataset *ds, int64_t *first, int64_t *last)
{
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	*first = ds->first_time;
	*last = ds->last_time;
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
}

void dataset_filter_all(struct dataset_filter *f)
{
	memset(f, 0xFF, sizeof *f);
	f->from = f->to = STORE_NO_TIME;
	dataset_filter_any_time(f);
	f->span_limit = DATASET_SPAN_LIMIT;
	f->no_category = f->no_service = f->no_district = 1;
}

/* Sets the bits of a comma list of codes; ERR_INVALID naming an unknown one. */
static int parse_codes(const struct dict *d, const char *field, const char *text, uint64_t *bits,
                       size_t words, int *none)
{
	/* "none" selects the offences without a code. */
	char code[128];
	memset(bits, 0, words * sizeof *bits);
	*none = 0;
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, ",");
		while (n && *p == ' ')
			p++, n--;
		size_t len = n;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == 0 || len >= sizeof code)
			return err_set_field(ERR_INVALID, field, "%s: '%s' is not a list of codes",
			                     field, text);
		memcpy(code, p, len);
		code[len] = '\0';
		int64_t i;
		if (strcmp(code, "none") == 0)
			*none = 1;
		else if (strmap_get(d->index, code, &i))
			bits[i / 64] |= 1ull << (i % 64);
		else
			return err_set_field(ERR_INVALID, field, "%s: unknown code '%s'", field,
			                     code);
		p += n;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* Narrows f to the districts of t's regions ("none": districts in no
 * region); districts t names must lie in them. */
static int parse_region(const dataset *ds, const struct dataset_filter_text *t,
                        struct dataset_filter *f)
{
	uint64_t regions[DATASET_MAX_DISTRICTS / 64], in[DATASET_MAX_DISTRICTS / 64] = {0};
	int none, rc;
	if ((rc = parse_codes(&ds->regions, "region", t->region, regions,
	                      DATASET_MAX_DISTRICTS / 64, &none)) < 0)
		return rc;
	for (size_t i = 0; i < ds->districts.n; i++) {
		unsigned r = ds->district_region[i];
		if (r == DATASET_NONE ? none != 0 : (regions[r / 64] >> (r % 64) & 1) != 0)
			in[i / 64] |= 1ull << (i % 64);
	}
	int named = t->district && *t->district;
	for (size_t i = 0; named && i < ds->districts.n; i++)
		if (dataset_filter_has_district(f, i) && !(in[i / 64] >> (i % 64) & 1))
			return err_set_field(ERR_INVALID, "district",
			                     "district: '%s' is not in the region %s",
			                     ds->districts.codes[i], t->region);
	if (named && f->no_district)
		return err_set_field(ERR_INVALID, "district",
		                     "district: offences in no district are in no region");
	memcpy(f->districts, in, sizeof in);
	f->no_district = 0;
	return 0;
}

/* A local date or date-time as the UTC second it starts (from) or ends (to). */
static int parse_bound(const dataset *ds, const char *field, const char *text, int end,
                       int64_t *out)
{
	struct time_span span;
	if (timeparse_parse(ds->zone, text, NULL, DATE_ORDER_AUTO, &span) < 0)
		return err_set_field(ERR_INVALID, field, "%s: %s", field, err_msg());
	*out = end ? span.to : span.from;
	return 0;
}

static int filter_parse(const dataset *ds, const struct dataset_filter_text *t,
                        struct dataset_filter *f);

int dataset_filter_parse(const dataset *ds, const struct dataset_filter_text *t,
                         struct dataset_filter *f)
{
	/* A sync or a refresh may add codes meanwhile. */
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	int rc = filter_parse(ds, t, f);
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
	return rc;
}

static int filter_parse(const dataset *ds, const struct dataset_filter_text *t,
                        struct dataset_filter *f)
{
	unsigned days;
	int rc;
	dataset_filter_all(f);
	if (t->from && *t->from && (rc = parse_bound(ds, "from", t->from, 0, &f->from)) < 0)
		return rc;
	if (t->to && *t->to && (rc = parse_bound(ds, "to", t->to, 1, &f->to)) < 0)
		return rc;
	if (f->from != STORE_NO_TIME && f->to != STORE_NO_TIME && f->to < f->from)
		return err_set_field(ERR_INVALID, "to", "to: '%s' is before from '%s'", t->to,
		                     t->from);
	if (t->hours && *t->hours && timeparse_hours(t->hours, &f->hours) < 0)
		return err_set_field(ERR_INVALID, "hours", "hours: %s", err_msg());
	if (t->weekdays && *t->weekdays) {
		if (timeparse_weekdays(t->weekdays, &days) < 0)
			return err_set_field(ERR_INVALID, "weekdays", "weekdays: %s", err_msg());
		f->weekdays = (uint8_t)days;
	}
	if (t->span_limit && *t->span_limit) {
		long h;
		if ((rc = numtext_whole("span_limit", t->span_limit, 0, (DATASET_SPAN_CAP - 1) / 60,
		                        "a whole number of hours", &h)) < 0)
			return rc;
		f->span_limit = (int)h * 60;
	}
	if (t->categories && *t->categories &&
	    (rc = parse_codes(&ds->categories, "categories", t->categories, f->categories,
	                      DATASET_MAX_CATEGORIES / 64, &f->no_category)) < 0)
		return rc;
	if (t->services && *t->services &&
	    (rc = parse_codes(&ds->services, "services", t->services, f->services,
	                      DATASET_MAX_SERVICES / 64, &f->no_service)) < 0)
		return rc;
	if (t->district && *t->district &&
	    (rc = parse_codes(&ds->districts, "district", t->district, f->districts,
	                      DATASET_MAX_DISTRICTS / 64, &f->no_district)) < 0)
		return rc;
	return t->region && *t->region ? parse_region(ds, t, f) : 0;
}

static int week_has(const uint64_t *week, int hour)
{
	return (int)(week[hour / 64] >> (hour % 64) & 1);
}

double dataset_week_share(const struct dataset_offence *o, const uint64_t *week, int limit)
{
	const uint64_t last = (1ull << (SHIFT_WEEK_HOURS - 128)) - 1;
	if (week[0] == UINT64_MAX && week[1] == UINT64_MAX && (week[2] & last) == last)
		return 1;
	if (o->mid == STORE_NO_TIME || o->span > limit)
		return 0;
	int m = o->week_minute;
	if (o->span == 0)
		return week_has(week, m / 60);
	/* Walks the span an hour (or what is left of one) at a time: at most
	 * limit / 60 + 1 steps. */
	int left = o->span, in = 0;
	while (left > 0) {
		int take = 60 - m % 60 < left ? 60 - m % 60 : left;
		if (week_has(week, m / 60))
			in += take;
		left -= take;
		m = (m + take) % (SHIFT_WEEK_HOURS * 60);
	}
	return (double)in / o->span;
}

/* Whether o passes f's period, categories and services. */
static int match_but_hours(const struct dataset_filter *f, const struct dataset_offence *o)
{
	if (o->precision & DATASET_GONE)
		return 0;
	if (f->from != STORE_NO_TIME && (o->mid == STORE_NO_TIME || o->mid < f->from))
		return 0;
	if (f->to != STORE_NO_TIME && (o->mid == STORE_NO_TIME || o->mid > f->to))
		return 0;
	if (o->category == DATASET_NONE
	        ? !f->no_category
	        : !(f->categories[o->category / 64] >> (o->category % 64) & 1))
		return 0;
	if (o->service == DATASET_UNKNOWN
	        ? !f->no_service
	        : !(f->services[o->service / 64] >> (o->service % 64) & 1))
		return 0;
	if (o->district == DATASET_NONE ? !f->no_district
	                                : !dataset_filter_has_district(f, o->district))
		return 0;
	return 1;
}

/* f's hours of the week: its hours on its weekdays, within its week. */
static void filter_week(const struct dataset_filter *f, uint64_t week[SHIFT_WEEK_WORDS])
{
	memset(week, 0, SHIFT_WEEK_WORDS * sizeof *week);
	const uint64_t hours = f->hours & CIVIL_ALL_HOURS;
	for (int d = 0; d < 7; d++) {
		int b = d * 24;
		if (!(f->weekdays >> d & 1))
			continue;
		week[b / 64] |= hours << (b % 64);
		if (b % 64 > 40) /* the day straddles two words */
			week[b / 64 + 1] |= hours >> (64 - b % 64);
	}
	for (int i = 0; i < SHIFT_WEEK_WORDS; i++)
		week[i] &= f->week[i];
}

double dataset_filter_weight(const struct dataset_filter *f, const struct dataset_offence *o)
{
	if (!match_but_hours(f, o))
		return 0;
	uint64_t week[SHIFT_WEEK_WORDS];
	filter_week(f, week);
	return dataset_week_share(o, week, f->span_limit);
}

static int visit(const struct dataset_offence *o, const double b[4], const struct dataset_filter *f,
                 int (*fn)(void *, const struct dataset_offence *, double), void *ctx)
{
	if (o->x < b[0] || o->x > b[2] || o->y < b[1] || o->y > b[3])
		return 0;
	double w = dataset_filter_weight(f, o);
	return w > 0 ? fn(ctx, o, w) : 0;
}

struct each_ctx {
	int (*fn)(void *ctx, const struct dataset_offence *o);
	void *ctx;
};

static int each_unweighted(void *ctx, const struct dataset_offence *o, double w)
{
	const struct each_ctx *e = ctx;
	(void)w;
	return e->fn(e->ctx, o);
}

int dataset_each(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                 int (*fn)(void *ctx, const struct dataset_offence *o), void *ctx)
{
	struct each_ctx e = {fn, ctx};
	return dataset_each_weighted(ds, bbox, f, each_unweighted, &e);
}

int dataset_each_weighted(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                          int (*fn)(void *ctx, const struct dataset_offence *o, double w),
                          void *ctx)
{
	int rc = 0;
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	double lo_x = fmax(bbox[0], ds->extent[0]), hi_x = fmin(bbox[2], ds->extent[2]);
	double lo_y = fmax(bbox[1], ds->extent[1]), hi_y = fmin(bbox[3], ds->extent[3]);
	if (lo_x <= hi_x && lo_y <= hi_y) {
		uint32_t c0 = cell_of(ds, lo_x, lo_y), c1 = cell_of(ds, hi_x, hi_y);
		struct cell_box cells = {c0 % ds->gw, c0 / ds->gw, c1 % ds->gw, c1 / ds->gw};
		const struct cell_box scope = filter_box(ds, f);
		box_clip(&cells, &scope);
		for (uint32_t cy = cells.y0; cells.x0 <= cells.x1 && cy <= cells.y1 && rc == 0;
		     cy++) {
			uint32_t a = ds->cell_start[cy * ds->gw + cells.x0];
			uint32_t b = ds->cell_start[cy * ds->gw + cells.x1 + 1];
			for (uint32_t i = a; i < b && rc == 0; i++)
				rc = visit(&ds->sorted.v[i], bbox, f, fn, ctx);
		}
	}
	for (size_t i = 0; i < ds->tail.n && rc == 0; i++)
		rc = visit(&ds->tail.v[i], bbox, f, fn, ctx);
	for (size_t i = 0; i < ds->outliers.n && rc == 0; i++)
		rc = visit(&ds->outliers.v[i], bbox, f, fn, ctx);
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
	return rc;
}

struct gather_ctx {
	struct dataset_points *out;
	const double *weights;
};

/* weights[o's category], 1 without weights or a category. */
static double category_weight(const double *weights, const struct dataset_offence *o)
{
	return weights && o->category != DATASET_NONE ? weights[o->category] : 1.0;
}

static int gather_one(void *ctx, const struct dataset_offence *o, double w)
{
	struct gather_ctx *g = ctx;
	struct dataset_points *p = g->out;
	w *= category_weight(g->weights, o);
	if (p->n > 0 && p->pts[p->n - 1].x == o->x && p->pts[p->n - 1].y == o->y) {
		p->w[p->n - 1] += w;
		return 0;
	}
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4096;
		struct kde_point *pts = realloc(p->pts, cap * sizeof *pts);
		if (!pts)
			return err_set(ERR_NOMEM, "dataset: out of memory");
		p->pts = pts;
		double *w = realloc(p->w, cap * sizeof *w);
		if (!w)
			return err_set(ERR_NOMEM, "dataset: out of memory");
		p->w = w;
		p->cap = cap;
	}
	p->pts[p->n] = (struct kde_point){o->x, o->y};
	p->w[p->n] = w;
	p->n++;
	return 0;
}

int dataset_gather(const dataset *ds, const double bbox[4], const struct dataset_filter *f,
                   const double *weights, struct dataset_points *out)
{
	struct gather_ctx g = {out, weights};
	out->n = 0;
	return dataset_each_weighted(ds, bbox, f, gather_one, &g);
}

void dataset_points_free(struct dataset_points *p)
{
	if (!p)
		return;
	free(p->pts);
	free(p->w);
	memset(p, 0, sizeof *p);
}

struct sum_ctx {
	const double *weights;
	double sum;
};

static int sum_one(void *ctx, const struct dataset_offence *o, double w)
{
	struct sum_ctx *c = ctx;
	c->sum += category_weight(c->weights, o) * w;
	return 0;
}

double dataset_weighted_count(const dataset *ds, const struct dataset_filter *f,
                              const double *weights)
{
	const double world[4] = {-1e300, -1e300, 1e300, 1e300};
	struct sum_ctx c = {weights, 0};
	dataset_each_weighted(ds, world, f, sum_one, &c);
	return c.sum;
}

size_t dataset_mahalla_count(const dataset *ds)
{
	return ds->mahallas.n;
}

int dataset_mahalla_index(const dataset *ds, const char *code)
{
	int64_t i;
	return strmap_get(ds->mahallas.index, code, &i) ? (int)i : -1;
}

static void count_array(const struct offence_array *a, const struct dataset_filter *f,
                        const double *weights, double *counts, size_t n)
{
	for (size_t i = 0; i < a->n; i++) {
		const struct dataset_offence *o = &a->v[i];
		if (o->mahalla < n)
			counts[o->mahalla] +=
			    category_weight(weights, o) * dataset_filter_weight(f, o);
	}
}

void dataset_mahalla_counts(const dataset *ds, const struct dataset_filter *f,
                            const double *weights, double *counts)
{
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	size_t n = ds->mahallas.n;
	memset(counts, 0, n * sizeof *counts);
	count_array(&ds->sorted, f, weights, counts, n);
	count_array(&ds->tail, f, weights, counts, n);
	count_array(&ds->outliers, f, weights, counts, n);
	count_array(&ds->unplaced, f, weights, counts, n);
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
}

/* Where the records of a walk come from, in this order. */
enum part { PART_SORTED, PART_TAIL, PART_OUTLIERS, PART_UNPLACED, PARTS };

/* Hands run the records of the sorted grid in the cells of b, a run for
 * each row of cells, then the tail, the outliers and the unplaced whole:
 * in the arrays' order, every record a walk of the territory of b can
 * count. Called under the lock. */
static void each_run(const dataset *ds, const struct cell_box *b,
                     void (*run)(void *ctx, enum part part, const struct dataset_offence *v,
                                 size_t n),
                     void *ctx)
{
	for (uint32_t y = b->y0; b->x0 <= b->x1 && y <= b->y1; y++) {
		uint32_t first = ds->cell_start[y * ds->gw + b->x0];
		uint32_t end = ds->cell_start[y * ds->gw + b->x1 + 1];
		run(ctx, PART_SORTED, ds->sorted.v + first, end - first);
	}
	run(ctx, PART_TAIL, ds->tail.v, ds->tail.n);
	run(ctx, PART_OUTLIERS, ds->outliers.v, ds->outliers.n);
	run(ctx, PART_UNPLACED, ds->unplaced.v, ds->unplaced.n);
}

struct tally_ctx {
	const struct dataset_filter *f;
	int mahalla;
	double *by_category, *by_service;
	double sums[PARTS]; /* each part's sum, added up at the end */
};

static void tally_run(void *ctx, enum part part, const struct dataset_offence *v, size_t n)
{
	struct tally_ctx *t = ctx;
	for (size_t i = 0; i < n; i++) {
		const struct dataset_offence *o = &v[i];
		double w = t->mahalla >= 0 && o->mahalla != t->mahalla
		               ? 0
		               : dataset_filter_weight(t->f, o);
		if (w == 0)
			continue;
		t->sums[part] += w;
		if (t->by_category && o->category != DATASET_NONE)
			t->by_category[o->category] += w;
		if (t->by_service && o->service != DATASET_UNKNOWN)
			t->by_service[o->service] += w;
	}
}

double dataset_tally(const dataset *ds, const struct dataset_filter *f, int mahalla,
                     double *by_category, double *by_service)
{
	struct tally_ctx t = {f, mahalla, by_category, by_service, {0}};
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	if (by_category)
		memset(by_category, 0, ds->categories.n * sizeof *by_category);
	if (by_service)
		memset(by_service, 0, ds->services.n * sizeof *by_service);
	struct cell_box b = filter_box(ds, f);
	if (mahalla >= 0) {
		const struct cell_box none = {1, 0, 0, 0};
		box_clip(&b,
		         (size_t)mahalla < ds->n_mahalla_boxes ? &ds->mahalla_box[mahalla] : &none);
	}
	each_run(ds, &b, tally_run, &t);
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
	double total = 0;
	for (int p = 0; p < PARTS; p++)
		total += t.sums[p];
	return total;
}

/* Whether time mid lies in from .. to (STORE_NO_TIME: open). */
static int in_span(int64_t mid, int64_t from, int64_t to)
{
	return (from == STORE_NO_TIME || (mid != STORE_NO_TIME && mid >= from)) &&
	       (to == STORE_NO_TIME || (mid != STORE_NO_TIME && mid <= to));
}

struct table_ctx {
	const struct dataset_filter *f; /* its period the spans' hull */
	uint64_t week[SHIFT_WEEK_WORDS];
	struct dataset_table *t;
};

static void table_run(void *ctx, enum part part, const struct dataset_offence *v, size_t n)
{
	const struct table_ctx *x = ctx;
	const struct dataset_filter *f = x->f;
	struct dataset_table *t = x->t;
	size_t spans = t->n_spans, all = t->n_rows * spans;
	(void)part;
	for (size_t i = 0; i < n; i++) {
		const struct dataset_offence *o = &v[i];
		if (!match_but_hours(f, o))
			continue;
		double w = dataset_week_share(o, x->week, f->span_limit);
		if (w == 0)
			continue;
		size_t key = t->by_mahalla ? o->mahalla : o->district;
		int row = key < t->n_keys ? t->row_of[key] : -1;
		size_t cat = o->category;
		for (size_t s = 0; s < spans; s++) {
			if (!in_span(o->mid, t->from[s], t->to[s]))
				continue;
			t->total[all + s] += w;
			if (cat < t->n_categories)
				t->by_category[(all + s) * t->n_categories + cat] += w;
			if (row < 0)
				continue;
			size_t cell = (size_t)row * spans + s;
			t->total[cell] += w;
			if (cat < t->n_categories)
				t->by_category[cell * t->n_categories + cat] += w;
		}
	}
}

void dataset_tally_table(const dataset *ds, const struct dataset_filter *f, struct dataset_table *t)
{
	size_t cells = (t->n_rows + 1) * t->n_spans;
	memset(t->total, 0, cells * sizeof *t->total);
	memset(t->by_category, 0, cells * t->n_categories * sizeof *t->by_category);
	/* The filter's period becomes the spans' hull: one test drops the
	 * offences of no span, the spans sort out the rest. */
	if (!t->n_spans)
		return;
	struct dataset_filter g = *f;
	g.from = t->from[0];
	g.to = t->to[0];
	for (size_t s = 1; s < t->n_spans; s++) {
		if (t->from[s] < g.from) /* STORE_NO_TIME, open, is the least */
			g.from = t->from[s];
		if (g.to != STORE_NO_TIME && (t->to[s] == STORE_NO_TIME || t->to[s] > g.to))
			g.to = t->to[s];
	}
	struct table_ctx x = {.f = &g, .t = t};
	filter_week(&g, x.week);
	pthread_rwlock_rdlock((pthread_rwlock_t *)&ds->lock);
	const struct cell_box b = filter_box(ds, f);
	each_run(ds, &b, table_run, &x);
	pthread_rwlock_unlock((pthread_rwlock_t *)&ds->lock);
}

size_t dataset_service_count(const dataset *ds)
{
	return ds->services.n;
}

int dataset_gather_utm(const dataset *ds, utm *u, const double box[4],
                       const struct dataset_filter *f, const double *weights,
                       struct dataset_points *out)
{
	double merc[4];
	int rc = utm_box_merc(u, box, merc);
	if (rc < 0 || (rc = dataset_gather(ds, merc, f, weights, out)) < 0)
		return rc;
	double *x = malloc((out->n ? out->n : 1) * sizeof *x);
	double *y = malloc((out->n ? out->n : 1) * sizeof *y);
	if (!x || !y) {
		rc = err_set(ERR_NOMEM, "dataset: out of memory for %zu points", out->n);
		goto out;
	}
	for (size_t i = 0; i < out->n; i++)
		tile_merc_to_lonlat(out->pts[i].x, out->pts[i].y, &x[i], &y[i]);
	if ((rc = utm_forward(u, x, y, out->n)) < 0)
		goto out;
	/* Keep those inside the frame box: the lon/lat box holds more. */
	size_t k = 0;
	for (size_t i = 0; i < out->n; i++) {
		if (x[i] < box[0] || x[i] > box[2] || y[i] < box[1] || y[i] > box[3])
			continue;
		out->pts[k] = (struct kde_point){x[i], y[i]};
		if (out->w)
			out->w[k] = out->w[i];
		k++;
	}
	out->n = k;
out:
	free(x);
	free(y);
	return rc;
}

void dataset_filter_any_time(struct dataset_filter *f)
{
	f->hours = CIVIL_ALL_HOURS;
	f->weekdays = CIVIL_ALL_WEEKDAYS;
}

void dataset_filter_shift(struct dataset_filter *f, const struct shift *s)
{
	uint64_t week[SHIFT_WEEK_WORDS];
	shift_week(s, week);
	for (int i = 0; i < SHIFT_WEEK_WORDS; i++)
		f->week[i] &= week[i];
}

double dataset_shift_weight(const struct dataset_offence *o, const struct shift *s, int limit)
{
	uint64_t week[SHIFT_WEEK_WORDS];
	shift_week(s, week);
	return dataset_week_share(o, week, limit);
}
