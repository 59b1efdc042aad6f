#include "points.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <stdlib.h>

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

static int draw_one(void *ctx, const struct dataset_offence *o)
{
	struct points_ctx *c = ctx;
	double px, py, x = o->x, y = o->y;
	if (c->frame) {
		tile_merc_to_lonlat(o->x, o->y, &x, &y);
		if (utm_forward(c->frame, &x, &y, 1) < 0)
			return ERR_PROJ;
	}
	view_to_px(c->v, x, y, &px, &py);
	const struct style_colour *col = category_colour(c, o->category);
	cairo_new_path(c->cr);
	cairo_arc(c->cr, px, py, c->radius, 0, 2 * 3.14159265358979323846);
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
	};
	int rc = 0;
	if (!c.colours || !c.known) {
		rc = err_set(ERR_NOMEM, "points: out of memory");
		goto out;
	}
	double box[4];
	view_frame_box(v, c.radius + c.stroke_width + 1, box);
	if (frame && (rc = utm_box_merc(frame, box, box)) < 0)
		goto out;
	cairo_save(cr);
	rc = dataset_each(ds, box, f, draw_one, &c);
	cairo_restore(cr);
out:
	free(c.colours);
	free(c.known);
	return rc;
}
