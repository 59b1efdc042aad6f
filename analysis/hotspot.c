/*
 * hotspot: the density grid, the threshold by area, connected components,
 * the offences in each and the union of its cells.
 *
 * Workload: a district of tens of km² at 25 m (about 100,000 cells) and up
 * to a million offences, of which a shift over eight weeks keeps a few
 * percent. One walk over the offences gathers the density's points and a
 * compact record (cell, category, hour, weekday) of those on the grid;
 * the threshold sorts the district's cells with any density; the cells of
 * the hotspots (a few thousand) are joined by GEOS in integer grid
 * coordinates, where their shared corners are exactly equal, and only then
 * turned into lon/lat.
 */
#include "hotspot.h"

#include "civil.h"

#include "err.h"
#include "rank.h"
#include "tilemath.h"
#include "view.h"

#include <cairo.h>
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* An offence of the filter and shift that lies on the grid. */
struct onrec {
	uint32_t cell;
	uint16_t category;
	uint8_t hour, weekday;
	double w; /* aoristic share in the shift's hours (dataset.h) */
};

/* The computation's scratch, freed at the end of hotspot_find(). */
struct work {
	const struct hotspot_params *p;
	double reach[4];
	struct hotspot_set *set;
	const double *scale; /* per row */
	struct kde_point *pts;
	double *w;
	size_t n_pts, cap_pts;
	struct onrec *on;
	size_t n_on, cap_on;
};

void hotspot_default_period(const dataset *ds, struct dataset_filter *f)
{
	const int64_t span = (int64_t)HOTSPOT_DEFAULT_WEEKS * 7 * CIVIL_SECONDS_PER_DAY;
	if (f->from != STORE_NO_TIME)
		return;
	if (f->to == STORE_NO_TIME) {
		int64_t first;
		dataset_time_range(ds, &first, &f->to);
		if (f->to == STORE_NO_TIME)
			return;
	}
	f->from = f->to - span + 1;
}

static int grow(void **buf, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t cap2 = *cap ? *cap * 2 : 4096;
	while (cap2 < need)
		cap2 *= 2;
	void *b = realloc(*buf, cap2 * size);
	if (!b)
		return err_set(ERR_NOMEM, "hotspots: out of memory");
	*buf = b;
	*cap = cap2;
	return 0;
}

static int take_offence(void *ctx, const struct dataset_offence *o, double share)
{
	struct work *k = ctx;
	struct hotspot_set *s = k->set;
	s->offences += share;
	if (o->x >= k->reach[0] && o->x <= k->reach[2] && o->y >= k->reach[1] &&
	    o->y <= k->reach[3]) {
		size_t cap = k->cap_pts;
		/* Two arrays of one length: the second call sets the capacity. */
		if (grow((void **)&k->pts, &cap, k->n_pts + 1, sizeof *k->pts) < 0 ||
		    grow((void **)&k->w, &k->cap_pts, k->n_pts + 1, sizeof *k->w) < 0)
			return ERR_NOMEM;
		int weighed =
		    k->p->weights && o->category != DATASET_NONE && o->category < s->n_categories;
		k->pts[k->n_pts] = (struct kde_point){o->x, o->y};
		k->w[k->n_pts++] = (weighed ? k->p->weights[o->category] : 1.0) * share;
	}
	double fi = floor((o->x - s->x0) / s->cell_merc), fj = floor((s->y0 - o->y) / s->cell_merc);
	if (fi < 0 || fj < 0 || fi >= s->width || fj >= s->height)
		return 0;
	if (grow((void **)&k->on, &k->cap_on, k->n_on + 1, sizeof *k->on) < 0)
		return ERR_NOMEM;
	k->on[k->n_on++] =
	    (struct onrec){(uint32_t)(fj * s->width + fi), o->category, o->hour, o->weekday, share};
	return 0;
}

/* Narrows ext (Web Mercator metres) to the box of territory's areas, and
 * as far as a kernel reaches around it: a district's hotspots need no grid
 * over the whole city (or country). ext stays without a territory. */
static void scope_extent(const shapes *sh, const char *territory, double bandwidth, double ext[4])
{
	double box[4];
	if (!sh || !territory || !shapes_territory_box(sh, territory, box))
		return;
	double pad = bandwidth / tile_scale_factor_merc((box[1] + box[3]) / 2);
	for (int k = 0; k < 4; k++)
		ext[k] = box[k] + (k < 2 ? -pad : pad);
}

/* Marks the cells whose centres lie inside the districts (else the
 * mahallas) of territory (NULL: all) with 1 in mask; with neither, every
 * cell: the hotspots' share is of that area. */
static int district_mask(const shapes *sh, const char *territory, const struct hotspot_set *s,
                         const double *scale, unsigned char *mask)
{
	size_t cells = (size_t)s->width * s->height;
	enum shapes_kind kind = sh ? shapes_territory_kind(sh) : SHAPES_MAHALLAS;
	if (!sh || !shapes_count(sh, kind)) {
		memset(mask, 1, cells);
		return 0;
	}
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A8, s->width, s->height);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return err_set_field(ERR_INVALID, "cell",
		                     "cell: no raster of %dx%d cells for the district", s->width,
		                     s->height);
	}
	cairo_t *cr = cairo_create(img);
	struct view v = {.x0 = s->x0,
	                 .y0 = s->y0,
	                 .res = s->cell_merc,
	                 .width = s->width,
	                 .height = s->height,
	                 .scale = 1,
	                 .ground = scale[s->height / 2],
	                 .mercator = 1};
	/* Without antialiasing a cell is filled exactly when its centre is
	 * inside: a point-in-polygon test for every cell at once. */
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_source_rgba(cr, 0, 0, 0, 1);
	for (size_t a = 0; a < shapes_count(sh, kind); a++) {
		const struct shapes_area *area = shapes_area(sh, kind, a);
		if (!shapes_area_in(area, kind, territory))
			continue;
		shapes_path(sh, cr, &v, &area->geom, NULL);
		cairo_fill(cr);
	}
	cairo_surface_flush(img);
	const unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	for (int j = 0; j < s->height; j++)
		for (int i = 0; i < s->width; i++)
			mask[(size_t)j * s->width + i] = data[(size_t)j * stride + i] > 127;
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	return 0;
}

struct ranked_cell {
	double density, area;
};

static int by_density_desc(const void *a, const void *b)
{
	double x = ((const struct ranked_cell *)a)->density;
	double y = ((const struct ranked_cell *)b)->density;
	return (x < y) - (x > y);
}

/* The density at which the district's cells at or above it first make up
 * share of its area; the lowest positive density when all cells with any
 * density make up less; 0 when none has any. */
static int find_threshold(struct hotspot_set *s, const double *density, const unsigned char *mask,
                          const double *scale)
{
	size_t cells = (size_t)s->width * s->height, n = 0;
	struct ranked_cell *rc = malloc((cells ? cells : 1) * sizeof *rc);
	if (!rc)
		return err_set(ERR_NOMEM, "hotspots: out of memory for %zu cells", cells);
	double least = INFINITY; /* area of the smallest cell */
	s->district_area_m2 = 0;
	for (size_t c = 0; c < cells; c++) {
		if (!mask[c])
			continue;
		double g = s->cell_merc * scale[c / (size_t)s->width];
		s->district_area_m2 += g * g;
		least = fmin(least, g * g);
		if (density[c] > 0)
			rc[n++] = (struct ranked_cell){density[c], g * g};
	}
	double target = s->share * s->district_area_m2, sum = 0;
	/* Only the densest cells reach the target: k of them hold it (and a
	 * cell more, for rounding), so the sort needs only those at or above
	 * the k-th density, ties with it included. In their order, so that the
	 * sort gives the prefix of the whole one. */
	double k = ceil(target / least) + 1;
	if (k < (double)n) {
		double *d = malloc(n * sizeof *d);
		if (!d) {
			free(rc);
			return err_set(ERR_NOMEM, "hotspots: out of memory for %zu cells", cells);
		}
		for (size_t i = 0; i < n; i++)
			d[i] = rc[i].density;
		double kth = rank_kth_smallest(d, n, n - (size_t)k);
		free(d);
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (rc[i].density >= kth)
				rc[kept++] = rc[i];
		n = kept;
	}
	qsort(rc, n, sizeof *rc, by_density_desc);
	s->threshold = n ? rc[n - 1].density : 0;
	for (size_t i = 0; i < n; i++) {
		sum += rc[i].area;
		if (sum >= target) {
			s->threshold = rc[i].density;
			break;
		}
	}
	free(rc);
	return 0;
}

/* A component while it is found. */
struct comp {
	size_t first, n; /* its cells in the order array */
	double area, peak;
	uint32_t peak_cell;
	double offences;
};

/* Labels the 8-connected components of the hot cells (in the district, at
 * or above the threshold, above 0) with their index in *comps; order gets
 * the cells of component k at comps[k].first .. + n. */
static int label_components(struct hotspot_set *s, const double *density, const unsigned char *mask,
                            const double *scale, uint32_t *order, struct comp **comps,
                            size_t *n_comps)
{
	size_t cells = (size_t)s->width * s->height, n_order = 0, cap = 0;
	*comps = NULL;
	*n_comps = 0;
	for (size_t c = 0; c < cells; c++)
		s->label[c] = -1;
	for (size_t seed = 0; seed < cells; seed++) {
		if (!mask[seed] || !(density[seed] > 0) || density[seed] < s->threshold ||
		    s->label[seed] >= 0)
			continue;
		if (grow((void **)comps, &cap, *n_comps + 1, sizeof **comps) < 0)
			return ERR_NOMEM;
		struct comp *k = &(*comps)[*n_comps];
		*k = (struct comp){.first = n_order, .peak_cell = (uint32_t)seed};
		s->label[seed] = (int32_t)*n_comps;
		order[n_order++] = (uint32_t)seed;
		/* order doubles as the queue of a breadth-first search. */
		for (size_t q = k->first; q < n_order; q++) {
			uint32_t c = order[q];
			int i = (int)(c % (uint32_t)s->width), j = (int)(c / (uint32_t)s->width);
			double g = s->cell_merc * scale[j];
			k->area += g * g;
			if (density[c] > k->peak) {
				k->peak = density[c];
				k->peak_cell = c;
			}
			for (int dj = -1; dj <= 1; dj++)
				for (int di = -1; di <= 1; di++) {
					int ni = i + di, nj = j + dj;
					if (ni < 0 || nj < 0 || ni >= s->width || nj >= s->height)
						continue;
					size_t nc = (size_t)nj * s->width + ni;
					if (mask[nc] && density[nc] > 0 &&
					    density[nc] >= s->threshold && s->label[nc] < 0) {
						s->label[nc] = (int32_t)*n_comps;
						order[n_order++] = (uint32_t)nc;
					}
				}
		}
		k->n = n_order - k->first;
		(*n_comps)++;
	}
	return 0;
}

/* Copies one ring of GEOS grid coordinates (x = column, y = -row) into
 * poly as lon/lat, without the vertices in the middle of straight runs,
 * anticlockwise for a shell and clockwise for a hole. */
static int copy_ring(GEOSContextHandle_t gh, const GEOSGeometry *ring, int hole,
                     const struct hotspot_set *s, struct hotspot_polygon *poly, size_t *cap_xy,
                     size_t *cap_rings)
{
	const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(gh, ring);
	unsigned n = 0;
	if (!seq || !GEOSCoordSeq_getSize_r(gh, seq, &n) || n < 4)
		return err_set(ERR_GEOMETRY, "hotspots: GEOS gave an unreadable ring");
	n--; /* the closing point repeats the first */
	double *q = malloc(2 * n * sizeof *q);
	if (!q)
		return err_set(ERR_NOMEM, "hotspots: out of memory");
	for (unsigned k = 0; k < n; k++)
		GEOSCoordSeq_getXY_r(gh, seq, k, &q[2 * k], &q[2 * k + 1]);
	size_t start = poly->ring_start[poly->n_rings], m = 0;
	double area2 = 0;
	int rc = grow((void **)&poly->xy, cap_xy, start + n + 1, 2 * sizeof *poly->xy);
	for (unsigned k = 0; k < n && rc == 0; k++) {
		const double *a = &q[2 * ((k + n - 1) % n)], *b = &q[2 * k],
		             *c = &q[2 * ((k + 1) % n)];
		if ((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) == 0)
			continue;
		poly->xy[2 * (start + m)] = b[0];
		poly->xy[2 * (start + m) + 1] = b[1];
		m++;
	}
	for (size_t k = 0; k < m && rc == 0; k++) {
		const double *a = &poly->xy[2 * (start + k)],
		             *b = &poly->xy[2 * (start + (k + 1) % m)];
		area2 += a[0] * b[1] - b[0] * a[1];
	}
	if (rc == 0 && (area2 > 0) == hole) {
		for (size_t k = 0; k < m / 2; k++) {
			double *a = &poly->xy[2 * (start + k)],
			       *b = &poly->xy[2 * (start + m - 1 - k)];
			double t0 = a[0], t1 = a[1];
			a[0] = b[0], a[1] = b[1], b[0] = t0, b[1] = t1;
		}
	}
	for (size_t k = 0; k < m && rc == 0; k++) {
		double *v = &poly->xy[2 * (start + k)];
		tile_merc_to_lonlat(s->x0 + v[0] * s->cell_merc, s->y0 + v[1] * s->cell_merc, &v[0],
		                    &v[1]);
	}
	if (rc == 0 && m) {
		poly->xy[2 * (start + m)] = poly->xy[2 * start];
		poly->xy[2 * (start + m) + 1] = poly->xy[2 * start + 1];
		m++;
	}
	if (rc == 0)
		rc = grow((void **)&poly->ring_start, cap_rings, poly->n_rings + 2,
		          sizeof *poly->ring_start);
	if (rc == 0)
		poly->ring_start[++poly->n_rings] = (uint32_t)(start + m);
	free(q);
	return rc;
}

/* The union of a component's cells as a polygon in lon/lat. */
static int component_polygon(GEOSContextHandle_t gh, const struct hotspot_set *s,
                             const uint32_t *cells, size_t n, struct hotspot_polygon *poly)
{
	GEOSGeometry **sq = calloc(n, sizeof *sq);
	GEOSGeometry *all = NULL, *u = NULL;
	size_t cap_xy = 0, cap_rings = 0;
	int rc = 0;
	poly->ring_start = calloc(2, sizeof *poly->ring_start);
	if (!sq || !poly->ring_start) {
		rc = err_set(ERR_NOMEM, "hotspots: out of memory");
		goto out;
	}
	cap_rings = 2;
	for (size_t k = 0; k < n; k++) {
		double i = cells[k] % (uint32_t)s->width, j = cells[k] / (uint32_t)s->width;
		const double xy[] = {i, -j, i, -j - 1, i + 1, -j - 1, i + 1, -j, i, -j};
		GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(gh, xy, 5, 0, 0);
		GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(gh, seq) : NULL;
		sq[k] = ring ? GEOSGeom_createPolygon_r(gh, ring, NULL, 0) : NULL;
		if (!sq[k]) {
			rc = err_set(ERR_GEOMETRY, "hotspots: GEOS could not make a cell");
			goto out;
		}
	}
	all = GEOSGeom_createCollection_r(gh, GEOS_GEOMETRYCOLLECTION, sq, (unsigned)n);
	if (all) {
		free(sq); /* the collection owns the cells now */
		sq = NULL;
	}
	u = all ? GEOSCoverageUnion_r(gh, all) : NULL;
	if (!u) {
		rc = err_set(ERR_GEOMETRY, "hotspots: GEOS could not join %zu cells", n);
		goto out;
	}
	int parts = GEOSGetNumGeometries_r(gh, u);
	poly->part_start = calloc((size_t)parts + 1, sizeof *poly->part_start);
	if (!poly->part_start) {
		rc = err_set(ERR_NOMEM, "hotspots: out of memory");
		goto out;
	}
	for (int p = 0; p < parts && rc == 0; p++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(gh, u, p);
		int holes = GEOSGetNumInteriorRings_r(gh, part);
		poly->part_start[p] = (uint32_t)poly->n_rings;
		rc =
		    copy_ring(gh, GEOSGetExteriorRing_r(gh, part), 0, s, poly, &cap_xy, &cap_rings);
		for (int h = 0; h < holes && rc == 0; h++)
			rc = copy_ring(gh, GEOSGetInteriorRingN_r(gh, part, h), 1, s, poly, &cap_xy,
			               &cap_rings);
	}
	poly->n_parts = (size_t)parts;
	poly->part_start[parts] = (uint32_t)poly->n_rings;
out:
	if (sq)
		for (size_t k = 0; k < n; k++)
			if (sq[k])
				GEOSGeom_destroy_r(gh, sq[k]);
	free(sq);
	if (all)
		GEOSGeom_destroy_r(gh, all);
	if (u)
		GEOSGeom_destroy_r(gh, u);
	return rc;
}

/* A component's sort key. */
struct rank_key {
	size_t comp;
	double offences, peak;
};

static int by_rank(const void *a, const void *b)
{
	const struct rank_key *x = a, *y = b;
	if (x->offences != y->offences)
		return x->offences < y->offences ? 1 : -1;
	if (x->peak != y->peak)
		return x->peak < y->peak ? 1 : -1;
	return (x->comp > y->comp) - (x->comp < y->comp);
}

/* Fills the hotspots from the components, ranked, and relabels the grid. */
static int build_hotspots(struct hotspot_set *s, const struct work *k, const uint32_t *order,
                          struct comp *comps, size_t n)
{
	struct rank_key *rank = malloc((n ? n : 1) * sizeof *rank);
	int32_t *to_item = malloc((n ? n : 1) * sizeof *to_item);
	GEOSContextHandle_t gh = NULL;
	int rc = 0;
	s->items = calloc(n ? n : 1, sizeof *s->items);
	if (!rank || !to_item || !s->items) {
		rc = err_set(ERR_NOMEM, "hotspots: out of memory");
		goto out;
	}
	for (size_t i = 0; i < k->n_on; i++) {
		int32_t c = s->label[k->on[i].cell];
		if (c >= 0)
			comps[c].offences += k->on[i].w;
	}
	for (size_t c = 0; c < n; c++)
		rank[c] = (struct rank_key){c, comps[c].offences, comps[c].peak};
	qsort(rank, n, sizeof *rank, by_rank);
	gh = GEOS_init_r();
	if (!gh) {
		rc = err_set(ERR_NOMEM, "hotspots: no GEOS context");
		goto out;
	}
	for (size_t r = 0; r < n && rc == 0; r++) {
		const struct comp *c = &comps[rank[r].comp];
		struct hotspot *h = &s->items[r];
		to_item[rank[r].comp] = (int32_t)r;
		s->n = r + 1;
		h->rank = (int)r + 1;
		h->cells = c->n;
		h->area_m2 = c->area;
		h->offences = c->offences;
		h->share = s->offences > 0 ? c->offences / s->offences : 0;
		h->peak = c->peak;
		tile_merc_to_lonlat(
		    s->x0 + (c->peak_cell % (uint32_t)s->width + 0.5) * s->cell_merc,
		    s->y0 - (c->peak_cell / (uint32_t)s->width + 0.5) * s->cell_merc, &h->peak_lon,
		    &h->peak_lat);
		s->hotspot_area_m2 += c->area;
		h->categories =
		    calloc(s->n_categories ? s->n_categories : 1, sizeof *h->categories);
		if (!h->categories) {
			rc = err_set(ERR_NOMEM, "hotspots: out of memory");
			break;
		}
		rc = component_polygon(gh, s, order + c->first, c->n, &h->poly);
	}
	if (rc < 0)
		goto out;
	for (size_t c = 0; c < (size_t)s->width * s->height; c++)
		if (s->label[c] >= 0)
			s->label[c] = to_item[s->label[c]];
	for (size_t i = 0; i < k->n_on; i++) {
		const struct onrec *o = &k->on[i];
		int32_t c = s->label[o->cell];
		if (c < 0)
			continue;
		struct hotspot *h = &s->items[c];
		if (o->hour < 24)
			h->hours[o->hour] += o->w;
		if (o->weekday < 7)
			h->weekdays[o->weekday] += o->w;
		if (o->category < s->n_categories)
			h->categories[o->category] += o->w;
	}
out:
	if (gh)
		GEOS_finish_r(gh);
	free(rank);
	free(to_item);
	return rc;
}

static int check_params(const struct hotspot_params *p, double *share, double *cell)
{
	*share = p->share ? p->share : HOTSPOT_DEFAULT_SHARE;
	*cell = p->cell ? p->cell : HOTSPOT_DEFAULT_CELL;
	if (!(*share > 0 && *share <= 1))
		return err_set_field(ERR_INVALID, "share",
		                     "share: %g is not a share of the area above 0 and up to 1",
		                     *share);
	if (!(*cell >= 1 && *cell <= 1000))
		return err_set_field(ERR_INVALID, "cell",
		                     "cell: %g is not a cell size of 1 to 1000 metres", *cell);
	if (!(p->bandwidth > 0 && p->bandwidth <= 1e6))
		return err_set_field(ERR_INVALID, "bandwidth",
		                     "bandwidth: %g is not a bandwidth in metres", p->bandwidth);
	return 0;
}

int hotspot_find(const dataset *ds, const shapes *sh, const struct hotspot_params *p,
                 struct hotspot_set *out)
{
	struct hotspot_set s = {0};
	struct work k = {.p = p, .set = &s};
	double ext[4], *scale = NULL, *density = NULL;
	unsigned char *mask = NULL;
	uint32_t *order = NULL;
	struct comp *comps = NULL;
	char *territory = NULL;
	size_t n_comps = 0;
	int rc;

	*out = (struct hotspot_set){0};
	if ((rc = check_params(p, &s.share, &s.cell)) < 0)
		return rc;
	s.filter = p->filter;
	s.has_shift = p->shift != NULL;
	if (p->shift)
		s.shift = *p->shift;
	s.bandwidth = p->bandwidth;
	s.kernel = p->kernel;
	s.n_categories = dataset_category_count(ds);

	dataset_extent(ds, ext);
	/* The filter's districts as codes: what the grid and the mask cover. */
	if (dataset_filter_scoped(&p->filter) &&
	    !(territory = dataset_filter_territory(ds, &p->filter)))
		return err_set(ERR_NOMEM, "hotspots: out of memory");
	scope_extent(sh, territory, s.bandwidth, ext);
	double w, h;
	for (;;) {
		s.cell_merc = s.cell / tile_scale_factor_merc((ext[1] + ext[3]) / 2);
		w = fmax(1, ceil((ext[2] - ext[0]) / s.cell_merc));
		h = fmax(1, ceil((ext[3] - ext[1]) / s.cell_merc));
		/* A province's district 100 km across is 20 million cells of the
		 * default 25 m: unless a cell was asked for, the cells grow (whole
		 * metres) until the grid fits. */
		if (p->cell || w * h <= (double)KDE_DEFAULT_MAX_CELLS)
			break;
		s.cell = ceil(s.cell * 1.25);
	}
	if (w * h > (double)KDE_DEFAULT_MAX_CELLS) {
		rc = err_set_field(
		    ERR_INVALID, "cell",
		    "cell: a grid of %.0f x %.0f cells of %g m is too large (limit %zu "
		    "cells): use a larger cell",
		    w, h, s.cell, KDE_DEFAULT_MAX_CELLS);
		goto out;
	}
	s.width = (int)w;
	s.height = (int)h;
	s.x0 = ext[0];
	s.y0 = ext[3];
	size_t cells = (size_t)s.width * s.height;
	scale = malloc((size_t)s.height * sizeof *scale);
	density = malloc(cells * sizeof *density);
	mask = malloc(cells);
	order = malloc(cells * sizeof *order);
	s.label = malloc(cells * sizeof *s.label);
	if (!scale || !density || !mask || !order || !s.label) {
		rc = err_set(ERR_NOMEM, "hotspots: out of memory for %zu cells", cells);
		goto out;
	}
	for (int j = 0; j < s.height; j++)
		scale[j] = tile_scale_factor_merc(s.y0 - (j + 0.5) * s.cell_merc);
	k.scale = scale;

	struct kde_params kp = {.kernel = p->kernel, .bandwidth = p->bandwidth};
	struct kde_grid g = {.x0 = s.x0,
	                     .y0 = s.y0,
	                     .cell = s.cell_merc,
	                     .width = s.width,
	                     .height = s.height,
	                     .row_scale = scale};
	struct dataset_filter f = p->filter;
	if (p->shift)
		dataset_filter_shift(&f, p->shift);
	const double world[4] = {-TILE_ORIGIN_SHIFT, -TILE_ORIGIN_SHIFT, TILE_ORIGIN_SHIFT,
	                         TILE_ORIGIN_SHIFT};
	if ((rc = kde_grid_reach(&kp, &g, k.reach)) < 0 ||
	    (rc = district_mask(sh, territory, &s, scale, mask)) < 0 ||
	    (rc = dataset_each_weighted(ds, world, &f, take_offence, &k)) < 0 ||
	    (rc = kde_grid_eval(&kp, &g, k.pts, k.w, k.n_pts, density)) < 0 ||
	    (rc = find_threshold(&s, density, mask, scale)) < 0 ||
	    (rc = label_components(&s, density, mask, scale, order, &comps, &n_comps)) < 0 ||
	    (rc = build_hotspots(&s, &k, order, comps, n_comps)) < 0)
		goto out;
	*out = s;
out:
	if (rc < 0)
		hotspot_set_free(&s);
	free(scale);
	free(density);
	free(mask);
	free(order);
	free(comps);
	free(k.pts);
	free(k.w);
	free(k.on);
	free(territory);
	return rc;
}

void hotspot_set_free(struct hotspot_set *set)
{
	for (size_t i = 0; set->items && i < set->n; i++) {
		free(set->items[i].poly.xy);
		free(set->items[i].poly.ring_start);
		free(set->items[i].poly.part_start);
		free(set->items[i].categories);
	}
	free(set->items);
	free(set->label);
	*set = (struct hotspot_set){0};
}

int hotspot_index_at(const struct hotspot_set *set, double x, double y)
{
	if (!set->label)
		return -1;
	double fi = floor((x - set->x0) / set->cell_merc),
	       fj = floor((set->y0 - y) / set->cell_merc);
	if (!(fi >= 0 && fj >= 0 && fi < set->width && fj < set->height))
		return -1;
	return set->label[(size_t)fj * set->width + (size_t)fi];
}

/* Index of the largest of n counts (the first on ties), -1 when all are 0. */
static int busiest(const double *counts, size_t n)
{
	int best = -1;
	for (size_t i = 0; i < n; i++)
		if (counts[i] && (best < 0 || counts[i] > counts[best]))
			best = (int)i;
	return best;
}

int hotspot_busiest_hour(const struct hotspot *h)
{
	return busiest(h->hours, 24);
}

int hotspot_busiest_weekday(const struct hotspot *h)
{
	return busiest(h->weekdays, 7);
}

int hotspot_top_category(const struct hotspot_set *set, const struct hotspot *h)
{
	return busiest(h->categories, set->n_categories);
}

/* [[lon, lat], ...] of ring r. */
static json_t *ring_json(const struct hotspot_polygon *poly, size_t r)
{
	json_t *a = json_array();
	for (uint32_t k = poly->ring_start[r]; a && k < poly->ring_start[r + 1]; k++)
		json_array_append_new(a, json_pack("[f,f]", poly->xy[2 * k], poly->xy[2 * k + 1]));
	return a;
}

/* A Polygon, or a MultiPolygon when the cells meet only at corners or
 * fall apart otherwise. */
static json_t *polygon_json(const struct hotspot_polygon *poly)
{
	json_t *parts = json_array();
	for (size_t p = 0; parts && p < poly->n_parts; p++) {
		json_t *rings = json_array();
		for (size_t r = poly->part_start[p]; rings && r < poly->part_start[p + 1]; r++)
			json_array_append_new(rings, ring_json(poly, r));
		json_array_append_new(parts, rings);
	}
	if (parts && json_array_size(parts) == 1) {
		json_t *one = json_incref(json_array_get(parts, 0));
		json_decref(parts);
		return json_pack("{s:s, s:o}", "type", "Polygon", "coordinates", one);
	}
	return json_pack("{s:s, s:o}", "type", "MultiPolygon", "coordinates", parts);
}

/* The HOTSPOT_TOP_CATEGORIES most frequent categories of h, most first. */
static json_t *top_categories_json(const struct hotspot_set *set, const struct hotspot *h,
                                   const dataset *ds)
{
	json_t *a = json_array();
	unsigned after = UINT32_MAX; /* count of the last listed */
	size_t last = 0;
	for (int t = 0; a && t < HOTSPOT_TOP_CATEGORIES; t++) {
		/* The next in order (count down, then index up) after the last. */
		int best = -1;
		for (size_t i = 0; i < set->n_categories; i++) {
			double c = h->categories[i];
			int later = c < after || (c == after && i > last);
			if (c && later && (best < 0 || c > h->categories[best]))
				best = (int)i;
		}
		if (best < 0)
			break;
		after = h->categories[best];
		last = (size_t)best;
		json_array_append_new(a, json_pack("{s:s, s:o}", "code", dataset_category(ds, last),
		                                   "count", hotspot_count_json(after)));
	}
	return a;
}

json_t *hotspot_count_json(double n)
{
	return n == floor(n) && fabs(n) < 1e15 ? json_integer((json_int_t)n) : json_real(n);
}

static json_t *counts_json(const double *counts, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, hotspot_count_json(counts[i]));
	return a;
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	if (t == STORE_NO_TIME)
		return json_null();
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(buf);
}

static json_t *hotspot_feature(const struct hotspot_set *set, const struct hotspot *h,
                               const dataset *ds)
{
	int hour = hotspot_busiest_hour(h), day = hotspot_busiest_weekday(h);
	json_t *props = json_pack(
	    "{s:i, s:o, s:f, s:f, s:I, s:f, s:[f,f], s:o, s:o, s:o, s:o, s:o}", "rank", h->rank,
	    "offences", hotspot_count_json(h->offences), "share", h->share, "area_m2", h->area_m2,
	    "cells", (json_int_t)h->cells, "peak_density", h->peak, "peak", h->peak_lon,
	    h->peak_lat, "top_categories", top_categories_json(set, h, ds), "busiest_hour",
	    hour < 0 ? json_null() : json_integer(hour), "busiest_weekday",
	    day < 0 ? json_null() : json_integer(day), "hours", counts_json(h->hours, 24),
	    "weekdays", counts_json(h->weekdays, 7));
	return json_pack("{s:s, s:i, s:o, s:o}", "type", "Feature", "id", h->rank, "properties",
	                 props, "geometry", polygon_json(&h->poly));
}

int hotspot_geojson(const struct hotspot_set *set, const dataset *ds, json_t **out)
{
	char shift[64];
	json_t *features = json_array();
	for (size_t i = 0; features && i < set->n; i++)
		if (json_array_append_new(features, hotspot_feature(set, &set->items[i], ds)) < 0) {
			json_decref(features);
			features = NULL;
		}
	if (set->has_shift)
		shift_format(&set->shift, shift, sizeof shift);
	*out = features ? json_pack("{s:s, s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:s, s:o, s:o, s:o, "
	                            "s:o, s:s}",
	                            "type", "FeatureCollection", "features", features, "threshold",
	                            set->threshold, "district_area_m2", set->district_area_m2,
	                            "hotspot_area_m2", set->hotspot_area_m2, "share", set->share,
	                            "cell_m", set->cell, "bandwidth_m", set->bandwidth, "kernel",
	                            kde_kernel_name(set->kernel), "offences",
	                            hotspot_count_json(set->offences), "from",
	                            time_json(set->filter.from), "to", time_json(set->filter.to),
	                            "shift", set->has_shift ? json_string(shift) : json_null(),
	                            "units", "offences per km2 over the period")
	                : NULL;
	if (!*out)
		return err_set(ERR_NOMEM, "hotspots: out of memory for the GeoJSON");
	return 0;
}

json_t *hotspot_time_json(int64_t t)
{
	return time_json(t);
}
