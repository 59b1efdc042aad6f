#include "points.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TAU (2 * 3.14159265358979323846)

/* Offences at one address (they come one after the other: dataset.h) up
 * to this many are displaced onto a ring around it, as QGIS's point
 * displacement renderer does, so that each shows its category; more become
 * one larger dot of the commonest category with the count on it. */
#define RING_MAX 8

struct points_ctx {
	cairo_t *cr;
	const struct view *v;
	const dataset *ds;
	const style *s;
	const struct style_offences *st;
	utm *frame;
	double radius, stroke_width;
	struct style_colour *colours; /* per dataset category, cached */
	unsigned char *known;
	/* The address being collected: its point in pixels and its offences'
	 * categories (the first RING_MAX), with counts per category. */
	double gx, gy, px, py;
	size_t n;
	uint16_t ring[RING_MAX];
	unsigned *count; /* per category, + 1 for none */
	size_t ncat;
};

static const struct style_colour *category_colour(struct points_ctx *c, uint16_t cat)
{
	static const struct style_colour grey = {0.45, 0.45, 0.45, 1};
	if (cat == DATASET_NONE)
		return &grey;
	if (!c->known[cat]) {
		style_category_colour(c->s, dataset_category(c->ds, cat), &c->colours[cat]);
		c->known[cat] = 1;
	}
	return &c->colours[cat];
}

static void dot(struct points_ctx *c, double x, double y, double r, const struct style_colour *col)
{
	cairo_new_path(c->cr);
	cairo_arc(c->cr, x, y, r, 0, TAU);
	cairo_set_source_rgba(c->cr, col->r, col->g, col->b, col->a * c->st->opacity);
	if (c->st->stroke) {
		const struct style_colour *sc = &c->st->stroke->colour;
		cairo_fill_preserve(c->cr);
		cairo_set_source_rgba(c->cr, sc->r, sc->g, sc->b, sc->a * c->st->opacity);
		cairo_set_line_width(c->cr, c->stroke_width);
		cairo_stroke(c->cr);
	} else {
		cairo_fill(c->cr);
	}
}

/* Draws the collected address and empties it. */
static void flush(struct points_ctx *c)
{
	double r = c->radius;
	if (c->n == 1) {
		dot(c, c->px, c->py, r, category_colour(c, c->ring[0]));
	} else if (c->n > 1 && c->n <= RING_MAX) {
		/* Dots a little apart on the ring, the ring at least two radii out. */
		double ring = fmax(2 * r, 2.4 * r * (double)c->n / TAU);
		cairo_new_path(c->cr);
		cairo_arc(c->cr, c->px, c->py, ring, 0, TAU);
		cairo_set_source_rgba(c->cr, 0.3, 0.3, 0.3, 0.5 * c->st->opacity);
		cairo_set_line_width(c->cr, fmax(0.5, c->stroke_width));
		cairo_stroke(c->cr);
		for (size_t i = 0; i < c->n; i++) {
			double a = TAU * (double)i / (double)c->n - TAU / 4;
			dot(c, c->px + ring * cos(a), c->py + ring * sin(a), r,
			    category_colour(c, c->ring[i]));
		}
	} else if (c->n > RING_MAX) {
		size_t best = 0;
		for (size_t k = 1; k <= c->ncat; k++)
			if (c->count[k] > c->count[best])
				best = k;
		uint16_t cat = best == c->ncat ? DATASET_NONE : (uint16_t)best;
		char text[16];
		if (c->n < 1000)
			snprintf(text, sizeof text, "%zu", c->n);
		else
			snprintf(text, sizeof text, "%.*fk", c->n < 10000 ? 1 : 0,
			         (double)c->n / 1000);
		/* Big enough for the count's digits. */
		double big = r * (1.8 + 0.35 * (double)strlen(text));
		dot(c, c->px, c->py, big, category_colour(c, cat));
		cairo_text_extents_t ext;
		cairo_select_font_face(c->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
		                       CAIRO_FONT_WEIGHT_BOLD);
		cairo_set_font_size(c->cr, big * 1.9 / (0.6 * (double)strlen(text) + 0.9));
		cairo_text_extents(c->cr, text, &ext);
		cairo_move_to(c->cr, c->px - ext.x_bearing - ext.width / 2,
		              c->py - ext.y_bearing - ext.height / 2);
		cairo_set_source_rgba(c->cr, 1, 1, 1, c->st->opacity);
		cairo_show_text(c->cr, text);
	}
	if (c->n > RING_MAX)
		memset(c->count, 0, (c->ncat + 1) * sizeof *c->count);
	else
		for (size_t i = 0; i < c->n; i++)
			c->count[c->ring[i] == DATASET_NONE ? c->ncat : c->ring[i]] = 0;
	c->n = 0;
}

static int draw_one(void *ctx, const struct dataset_offence *o)
{
	struct points_ctx *c = ctx;
	if (c->n > 0 && (o->x != c->gx || o->y != c->gy))
		flush(c);
	if (c->n == 0) {
		double x = o->x, y = o->y;
		if (c->frame) {
			tile_merc_to_lonlat(o->x, o->y, &x, &y);
			if (utm_forward(c->frame, &x, &y, 1) < 0)
				return ERR_PROJ;
		}
		c->gx = o->x;
		c->gy = o->y;
		view_to_px(c->v, x, y, &c->px, &c->py);
	}
	if (c->n < RING_MAX)
		c->ring[c->n] = o->category;
	c->count[o->category == DATASET_NONE ? c->ncat : o->category]++;
	c->n++;
	return 0;
}

int points_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                 const struct dataset_filter *f, const style *s, utm *frame)
{
	const struct style_offences *st = style_offences(s);
	if (!st || !style_zoom_contains(&st->zoom, v->zoom))
		return 0;
	size_t ncat = dataset_category_count(ds);
	struct points_ctx c = {
	    .cr = cr,
	    .v = v,
	    .ds = ds,
	    .s = s,
	    .st = st,
	    .frame = frame,
	    .radius = style_zfunc_eval(&st->radius, v->zoom) * v->scale,
	    .stroke_width =
	        st->stroke ? style_zfunc_eval(&st->stroke->width, v->zoom) * v->scale : 0,
	    .colours = calloc(ncat ? ncat : 1, sizeof *c.colours),
	    .known = calloc(ncat ? ncat : 1, 1),
	    .count = calloc(ncat + 1, sizeof *c.count),
	    .ncat = ncat,
	};
	int rc = 0;
	if (!c.colours || !c.known || !c.count) {
		rc = err_set(ERR_NOMEM, "points: out of memory");
		goto out;
	}
	double box[4];
	/* Wide enough for a full ring or a counted dot just outside. */
	view_frame_box(v, 5 * c.radius + c.stroke_width + 1, box);
	if (frame && (rc = utm_box_merc(frame, box, box)) < 0)
		goto out;
	cairo_save(cr);
	rc = dataset_each(ds, box, f, draw_one, &c);
	if (rc == 0)
		flush(&c);
	cairo_restore(cr);
out:
	free(c.colours);
	free(c.known);
	free(c.count);
	return rc;
}
