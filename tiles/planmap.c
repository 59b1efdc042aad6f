/*
 * planmap: hotspot polygons projected once per hotspot set, then painted
 * per tile. A set has tens of hotspots of tens of cells, so painting scans
 * them all by bounding box.
 */
#include "planmap.h"

#include "err.h"
#include "tilemath.h"
#include "zones.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct item {
	double *xy;           /* Web Mercator, rings closed as the set's */
	uint32_t *ring_start; /* n_rings + 1 */
	size_t n_rings;
	double bbox[4];
	double ax, ay; /* label point */
	double px, py; /* density peak */
};

struct planmap {
	const struct hotspot_set *set;
	struct item *items;
	size_t n;
};

void planmap_free(planmap *pm)
{
	if (!pm)
		return;
	for (size_t i = 0; i < pm->n; i++) {
		free(pm->items[i].xy);
		free(pm->items[i].ring_start);
	}
	free(pm->items);
	free(pm);
}

size_t planmap_bytes(const planmap *pm)
{
	size_t b = sizeof *pm + pm->n * sizeof *pm->items;
	for (size_t i = 0; i < pm->n; i++)
		b += pm->items[i].ring_start[pm->items[i].n_rings] * 2 * sizeof(double) +
		     (pm->items[i].n_rings + 1) * sizeof(uint32_t);
	return b;
}

static int project(const struct hotspot *h, struct item *it)
{
	const struct hotspot_polygon *p = &h->poly;
	size_t n_pts = p->ring_start[p->n_rings];
	it->xy = malloc((n_pts ? n_pts : 1) * 2 * sizeof *it->xy);
	it->ring_start = malloc((p->n_rings + 1) * sizeof *it->ring_start);
	if (!it->xy || !it->ring_start)
		return err_set(ERR_NOMEM, "planmap: out of memory");
	memcpy(it->ring_start, p->ring_start, (p->n_rings + 1) * sizeof *it->ring_start);
	it->n_rings = p->n_rings;
	it->bbox[0] = it->bbox[1] = INFINITY;
	it->bbox[2] = it->bbox[3] = -INFINITY;
	if (tile_lonlat_to_merc(h->peak_lon, h->peak_lat, &it->px, &it->py) < 0)
		return err_set(ERR_PROJ, "planmap: hotspot %d lies outside Web Mercator", h->rank);
	for (size_t k = 0; k < n_pts; k++) {
		double x, y;
		if (tile_lonlat_to_merc(p->xy[2 * k], p->xy[2 * k + 1], &x, &y) < 0)
			return err_set(ERR_PROJ, "planmap: hotspot %d lies outside Web Mercator",
			               h->rank);
		it->xy[2 * k] = x;
		it->xy[2 * k + 1] = y;
		it->bbox[0] = fmin(it->bbox[0], x);
		it->bbox[1] = fmin(it->bbox[1], y);
		it->bbox[2] = fmax(it->bbox[2], x);
		it->bbox[3] = fmax(it->bbox[3], y);
	}
	return 0;
}

/* Label points: each hotspot's cell farthest (in cells, 8-connected) from
 * any cell outside it, the one nearest the density peak on ties (then the
 * first in row order). Distinct hotspots
 * never touch (they are 8-connected components), so "outside" is simply a
 * cell of no hotspot or beyond the grid. */
static int anchors(planmap *pm)
{
	const struct hotspot_set *s = pm->set;
	size_t w = (size_t)s->width, h = (size_t)s->height;
	unsigned *d = malloc((w * h > 0 ? w * h : 1) * sizeof *d);
	unsigned *best = calloc(pm->n ? pm->n : 1, sizeof *best);
	if (!d || !best) {
		free(d);
		free(best);
		return err_set(ERR_NOMEM, "planmap: out of memory");
	}
#define AT(i, j)                                                                                   \
	((i) < 0 || (j) < 0 || (size_t)(i) >= w || (size_t)(j) >= h                                \
	     ? 0u                                                                                  \
	     : d[(size_t)(j)*w + (size_t)(i)])
	for (long j = 0; j < (long)h; j++)
		for (long i = 0; i < (long)w; i++) {
			unsigned m = AT(i - 1, j - 1);
			m = m < AT(i, j - 1) ? m : AT(i, j - 1);
			m = m < AT(i + 1, j - 1) ? m : AT(i + 1, j - 1);
			m = m < AT(i - 1, j) ? m : AT(i - 1, j);
			d[j * w + i] = s->label[j * w + i] < 0 ? 0 : m + 1;
		}
	for (long j = (long)h - 1; j >= 0; j--)
		for (long i = (long)w - 1; i >= 0; i--) {
			if (s->label[j * w + i] < 0)
				continue;
			unsigned m = AT(i + 1, j + 1);
			m = m < AT(i, j + 1) ? m : AT(i, j + 1);
			m = m < AT(i - 1, j + 1) ? m : AT(i - 1, j + 1);
			m = m < AT(i + 1, j) ? m : AT(i + 1, j);
			if (m + 1 < d[j * w + i])
				d[j * w + i] = m + 1;
		}
#undef AT
	for (size_t j = 0; j < h; j++)
		for (size_t i = 0; i < w; i++) {
			int32_t k = s->label[j * w + i];
			if (k < 0 || (size_t)k >= pm->n || d[j * w + i] < best[k])
				continue;
			struct item *it = &pm->items[k];
			double x = s->x0 + ((double)i + 0.5) * s->cell_merc,
			       y = s->y0 - ((double)j + 0.5) * s->cell_merc;
			if (d[j * w + i] == best[k] && hypot(x - it->px, y - it->py) >=
			                                   hypot(it->ax - it->px, it->ay - it->py))
				continue;
			best[k] = d[j * w + i];
			it->ax = x;
			it->ay = y;
		}
	free(d);
	free(best);
	return 0;
}

int planmap_new(const struct hotspot_set *set, planmap **out)
{
	planmap *pm = calloc(1, sizeof *pm);
	int rc = 0;
	*out = NULL;
	if (!pm || !(pm->items = calloc(set->n ? set->n : 1, sizeof *pm->items))) {
		free(pm);
		return err_set(ERR_NOMEM, "planmap: out of memory");
	}
	pm->set = set;
	for (; rc == 0 && pm->n < set->n; pm->n++)
		rc = project(&set->items[pm->n], &pm->items[pm->n]);
	if (rc == 0)
		rc = anchors(pm);
	if (rc < 0) {
		planmap_free(pm);
		return rc;
	}
	*out = pm;
	return 0;
}

static void path(cairo_t *cr, const struct view *v, const struct item *it)
{
	for (size_t r = 0; r < it->n_rings; r++) {
		for (uint32_t k = it->ring_start[r]; k < it->ring_start[r + 1]; k++) {
			double px, py;
			view_to_px(v, it->xy[2 * k], it->xy[2 * k + 1], &px, &py);
			if (k == it->ring_start[r])
				cairo_move_to(cr, px, py);
			else
				cairo_line_to(cr, px, py);
		}
		cairo_close_path(cr);
	}
}

/* How a hotspot looks in a layer. */
struct look {
	struct style_colour col[ZONES_MAX_SERVICES]; /* outline; several: dashed in turn */
	size_t n;
	const struct style_colour *fill;    /* at the fill opacity; NULL: none */
	int hatch;                          /* stripes in col */
	const struct style_colour *outline; /* in place of col (over a hatch); NULL: col */
};

static enum style_hotspot_look dosage_look(const struct dosage_result *r, size_t i)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->items[k].index == (int)i)
			return r->items[k].status == DOSAGE_MET     ? STYLE_HOTSPOT_MET
			       : r->items[k].status == DOSAGE_SHORT ? STYLE_HOTSPOT_SHORT
			                                            : STYLE_HOTSPOT_UNVISITED;
	return STYLE_HOTSPOT_UNVISITED;
}

/* The covering services' colours, distinct, in the order of the
 * assignments; a gap gets the gap colour. */
static void coverage_look(const style *s, const struct style_hotspots *st, const struct coverage *c,
                          size_t i, struct look *lk)
{
	const struct coverage_hotspot *ch = &c->hotspots[i];
	const char *codes[ZONES_MAX_SERVICES];
	size_t n = 0;
	for (size_t k = 0; k < ch->n_covered_by && n < ZONES_MAX_SERVICES; k++) {
		const char *code = c->assignments[ch->covered_by[k]].a->service;
		size_t j = 0;
		while (j < n && strcmp(codes[j], code) != 0)
			j++;
		if (j == n)
			codes[n++] = code;
	}
	for (size_t k = 0; k < n; k++)
		style_service_colour(s, codes[k], &lk->col[k]);
	lk->n = n ? n : 1;
	if (ch->status == COVERAGE_GAP) {
		lk->col[0] = st->colours[STYLE_HOTSPOT_GAP];
		lk->fill = &st->colours[STYLE_HOTSPOT_GAP];
	} else if (ch->status == COVERAGE_JOINT) {
		lk->fill = &st->colours[STYLE_HOTSPOT_JOINT];
	} else if (ch->status == COVERAGE_OVERLAP) {
		lk->hatch = 1;
		lk->outline = &st->colours[STYLE_HOTSPOT_OVERLAP];
	}
}

static int paint_one(cairo_t *cr, const struct view *v, const struct style_hotspots *st,
                     const struct item *it, const struct look *lk, double width, const double *dash)
{
	int rc = 0;
	path(cr, v, it);
	if (lk->fill) {
		cairo_set_source_rgba(cr, lk->fill->r, lk->fill->g, lk->fill->b,
		                      lk->fill->a * st->fill_opacity);
		cairo_fill_preserve(cr);
	}
	if (lk->hatch) {
		cairo_path_t *saved = cairo_copy_path(cr);
		rc = zones_hatch(cr, v, lk->col, lk->n,
		                 style_zfunc_eval(&st->hatch_spacing, v->zoom) * v->scale,
		                 style_zfunc_eval(&st->hatch_width, v->zoom) * v->scale);
		cairo_append_path(cr, saved);
		cairo_path_destroy(saved);
	}
	if (lk->outline)
		zones_stroke_services(cr, lk->outline, 1, width, dash, st->stroke.n_dash);
	else
		zones_stroke_services(cr, lk->col, lk->n, width, dash, st->stroke.n_dash);
	return rc;
}

static int add_label(labels *lb, const struct style_hotspots *st, const struct item *it, int rank)
{
	char text[16];
	snprintf(text, sizeof text, "%d", rank);
	/* No fit test: a number is short and must show even on a small
	 * hotspot; the anchor lies inside it. */
	struct labels_item li = {.text = text,
	                         .style = st->label,
	                         .x = it->ax,
	                         .y = it->ay,
	                         .r = 0,
	                         .rank = LABELS_RANK_HOTSPOT};
	return labels_add(lb, &li);
}

int planmap_paint(cairo_t *cr, const struct view *v, const style *s, enum planmap_layer layer,
                  const struct planmap_data *d, labels *lb)
{
	const struct style_hotspots *st = style_hotspots(s);
	const planmap *pm = d->pm;
	double box[4], lbox[4], dash[STYLE_DASH_MAX];
	int rc = 0;
	if (!st || !style_zoom_contains(&st->zoom, v->zoom))
		return 0;
	if ((layer == PLANMAP_COVERAGE && !d->coverage) || (layer == PLANMAP_DOSAGE && !d->dose))
		return err_set_field(ERR_INVALID, "planmap", "planmap: no result for the layer");
	double width = style_zfunc_eval(&st->stroke.width, v->zoom) * v->scale;
	for (size_t i = 0; i < st->stroke.n_dash; i++)
		dash[i] = st->stroke.dash[i] * v->scale;
	view_frame_box(v, width + 1, box);
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	for (size_t i = 0; rc == 0 && i < pm->n; i++) {
		const struct item *it = &pm->items[i];
		struct look lk = {.n = 1};
		if (it->bbox[0] > box[2] || it->bbox[2] < box[0] || it->bbox[1] > box[3] ||
		    it->bbox[3] < box[1])
			continue;
		if (layer == PLANMAP_COVERAGE) {
			coverage_look(s, st, d->coverage, i, &lk);
		} else {
			lk.col[0] =
			    st->colours[layer == PLANMAP_HOTSPOTS ? STYLE_HOTSPOT
			                                          : dosage_look(d->dose, i)];
			lk.fill = &lk.col[0];
		}
		rc = paint_one(cr, v, st, it, &lk, width, dash);
	}
	cairo_restore(cr);
	if (!lb || !st->label)
		return rc;
	labels_frame_box(lb, lbox);
	for (size_t i = 0; rc == 0 && i < pm->n; i++) {
		const struct item *it = &pm->items[i];
		if (it->ax >= lbox[0] && it->ax <= lbox[2] && it->ay >= lbox[1] &&
		    it->ay <= lbox[3])
			rc = add_label(lb, st, it, pm->set->items[i].rank);
	}
	return rc;
}
