#include "basemap.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Appends f's runs to cr's path, rings closed. */
static void feature_path(cairo_t *cr, const struct view *v, const struct ground_feature *f)
{
	for (size_t r = 0; r < f->n_runs; r++) {
		for (uint32_t i = f->run_start[r]; i < f->run_start[r + 1]; i++) {
			double x, y;
			view_to_px(v, f->xy[2 * i], f->xy[2 * i + 1], &x, &y);
			if (i == f->run_start[r])
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		if (f->shape == GROUND_AREA)
			cairo_close_path(cr);
	}
}

static void set_colour(cairo_t *cr, const struct style_colour *c)
{
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* Fills the areas of kind (all of them in one path: one fill, and no seams
 * where two touch). */
static void fill_kind(cairo_t *cr, const struct view *v, const ground *g,
                      const struct ground_list *found, enum osmtags_kind kind,
                      const struct style_colour *c)
{
	if (!c)
		return;
	for (size_t k = 0; k < found->n; k++) {
		const struct ground_feature *f = ground_feature(g, found->idx[k]);
		if (f->kind == kind && f->shape == GROUND_AREA)
			feature_path(cr, v, f);
	}
	set_colour(cr, c);
	cairo_fill(cr);
}

/* Strokes the lines of kind (of street group, for streets) at width px. */
static void stroke_kind(cairo_t *cr, const struct view *v, const ground *g,
                        const struct ground_list *found, enum osmtags_kind kind, int group,
                        const struct style_colour *c, double width, const double *dash,
                        size_t n_dash)
{
	int any = 0;
	for (size_t k = 0; k < found->n; k++) {
		const struct ground_feature *f = ground_feature(g, found->idx[k]);
		if (f->kind != kind || f->shape != GROUND_LINES ||
		    (kind == OSMTAGS_STREET && (int)style_street_of(f->cls) != group))
			continue;
		feature_path(cr, v, f);
		any = 1;
	}
	if (!any)
		return;
	cairo_set_dash(cr, dash, (int)n_dash, 0);
	cairo_set_line_width(cr, width);
	set_colour(cr, c);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void stroke_style(cairo_t *cr, const struct view *v, const ground *g,
                         const struct ground_list *found, enum osmtags_kind kind,
                         const struct style_stroke *st)
{
	double dash[STYLE_DASH_MAX];
	if (!st)
		return;
	for (size_t i = 0; i < st->n_dash; i++)
		dash[i] = st->dash[i] * v->scale;
	stroke_kind(cr, v, g, found, kind, 0, &st->colour,
	            style_zfunc_eval(&st->width, v->zoom) * v->scale, dash, st->n_dash);
}

static void draw_streets(cairo_t *cr, const struct view *v, const ground *g,
                         const struct ground_list *found, const struct style_basemap *b)
{
	double dash[STYLE_DASH_MAX];
	/* Casings of every group first, then the streets, minor under major. */
	for (int pass = 0; pass < 2; pass++)
		for (int group = STYLE_STREETS - 1; group >= 0; group--) {
			const struct style_street_look *s = b->streets[group];
			if (!s || !style_zoom_contains(&s->zoom, v->zoom) ||
			    (pass == 0 && !s->casing))
				continue;
			double width = style_zfunc_eval(&s->line.width, v->zoom) * v->scale;
			if (pass == 0) {
				double casing =
				    style_zfunc_eval(&s->casing->width, v->zoom) * v->scale;
				stroke_kind(cr, v, g, found, OSMTAGS_STREET, group,
				            &s->casing->colour, width + 2 * casing, NULL, 0);
				continue;
			}
			for (size_t i = 0; i < s->line.n_dash; i++)
				dash[i] = s->line.dash[i] * v->scale;
			stroke_kind(cr, v, g, found, OSMTAGS_STREET, group, &s->line.colour, width,
			            dash, s->line.n_dash);
		}
}

/* The symbol of a kind of place, told apart at a glance. */
enum symbol { DOT, SQUARE, TRIANGLE, RING, CROSS, DIAMOND, CRESCENT };

static enum symbol symbol_of(const char *poi)
{
	static const struct {
		const char *poi;
		enum symbol symbol;
	} symbols[] = {
	    {"market", SQUARE},   {"shop", SQUARE},           {"bank", SQUARE},
	    {"school", TRIANGLE}, {"kindergarten", TRIANGLE}, {"college", TRIANGLE},
	    {"bus_stop", RING},   {"metro_stop", RING},       {"hospital", CROSS},
	    {"police", DIAMOND},  {"mosque", CRESCENT},
	};
	for (size_t i = 0; i < sizeof symbols / sizeof symbols[0]; i++)
		if (strcmp(poi, symbols[i].poi) == 0)
			return symbols[i].symbol;
	return DOT;
}

/* Symbol s of radius r at (x, y), drawn in c. */
static void draw_symbol(cairo_t *cr, enum symbol s, double x, double y, double r,
                        const struct style_colour *c)
{
	cairo_new_path(cr);
	switch (s) {
	case SQUARE:
		cairo_rectangle(cr, x - 0.85 * r, y - 0.85 * r, 1.7 * r, 1.7 * r);
		break;
	case TRIANGLE:
		cairo_move_to(cr, x, y - 1.1 * r);
		cairo_line_to(cr, x + r, y + 0.75 * r);
		cairo_line_to(cr, x - r, y + 0.75 * r);
		cairo_close_path(cr);
		break;
	case CROSS:
		cairo_rectangle(cr, x - r, y - 0.35 * r, 2 * r, 0.7 * r);
		cairo_rectangle(cr, x - 0.35 * r, y - r, 0.7 * r, 2 * r);
		/* The two bars overlap: filled as one shape, not even-odd. */
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
		break;
	case DIAMOND:
		cairo_move_to(cr, x, y - 1.15 * r);
		cairo_line_to(cr, x + 1.15 * r, y);
		cairo_line_to(cr, x, y + 1.15 * r);
		cairo_line_to(cr, x - 1.15 * r, y);
		cairo_close_path(cr);
		break;
	case CRESCENT:
		/* A disc less a disc beside it (even-odd). */
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		cairo_new_sub_path(cr);
		cairo_arc(cr, x + 0.45 * r, y - 0.2 * r, 0.8 * r, 0, 2 * M_PI);
		break;
	case RING:
		cairo_arc(cr, x, y, 0.8 * r, 0, 2 * M_PI);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill_preserve(cr);
		cairo_set_line_width(cr, 0.45 * r);
		set_colour(cr, c);
		cairo_stroke(cr);
		return;
	case DOT:
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		break;
	}
	set_colour(cr, c);
	cairo_fill(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
}

static void draw_places(cairo_t *cr, const struct view *v, const ground *g,
                        const struct ground_list *found, const struct style_basemap *b)
{
	if (!b->place || !style_zoom_contains(&b->place_zoom, v->zoom))
		return;
	double r = style_zfunc_eval(&b->place_radius, v->zoom) * v->scale;
	for (size_t k = 0; k < found->n; k++) {
		const struct ground_feature *f = ground_feature(g, found->idx[k]);
		if (!f->poi)
			continue;
		double x, y;
		/* A place drawn as an area gets its symbol in the middle of its box. */
		view_to_px(v, (f->bbox[0] + f->bbox[2]) / 2, (f->bbox[1] + f->bbox[3]) / 2, &x, &y);
		draw_symbol(cr, symbol_of(f->poi), x, y, r, b->place);
	}
}

/* Runs of points: a feature's, or their parts inside a box. */
struct runs {
	double *xy;
	uint32_t *start; /* n + 1 */
	size_t n, n_pts, cap_pts, cap_runs;
};

static int add_point(struct runs *R, double x, double y, int new_run)
{
	if (R->n_pts + 1 > R->cap_pts) {
		size_t cap = R->cap_pts ? 2 * R->cap_pts : 64;
		double *xy = realloc(R->xy, 2 * cap * sizeof *xy);
		if (!xy)
			return err_set(ERR_NOMEM, "basemap: out of memory");
		R->xy = xy, R->cap_pts = cap;
	}
	if (new_run) {
		if (R->n + 2 > R->cap_runs) {
			size_t cap = R->cap_runs ? 2 * R->cap_runs : 16;
			uint32_t *start = realloc(R->start, cap * sizeof *start);
			if (!start)
				return err_set(ERR_NOMEM, "basemap: out of memory");
			R->start = start, R->cap_runs = cap;
		}
		R->start[R->n++] = (uint32_t)R->n_pts;
	}
	R->xy[2 * R->n_pts] = x;
	R->xy[2 * R->n_pts + 1] = y;
	R->start[R->n] = (uint32_t)++R->n_pts;
	return 0;
}

/* The parts of f's lines inside box into R (emptied first). */
static int clip_runs(const struct ground_feature *f, const double box[4], struct runs *R)
{
	R->n = R->n_pts = 0;
	for (size_t r = 0; r < f->n_runs; r++) {
		int open = 0, rc;
		for (uint32_t i = f->run_start[r]; i + 1 < f->run_start[r + 1]; i++) {
			const double *a = f->xy + 2 * i, *b = a + 2;
			double t0, t1;
			if (!view_clip_segment(a, b, box, &t0, &t1)) {
				open = 0;
				continue;
			}
			double dx = b[0] - a[0], dy = b[1] - a[1];
			if ((!open || t0 > 0) &&
			    (rc = add_point(R, a[0] + t0 * dx, a[1] + t0 * dy, 1)) < 0)
				return rc;
			if ((rc = add_point(R, a[0] + t1 * dx, a[1] + t1 * dy, 0)) < 0)
				return rc;
			open = t1 >= 1;
		}
	}
	return 0;
}

/* Stretches of a line whose segments turn less than this from the
 * stretch's chord can carry a name. */
#define STRAIGHT (12 * M_PI / 180)

/* The longest straight enough stretch of the runs p / start: its chord's
 * middle, length and angle on the picture, read left to right. 0 without
 * one. */
static int straightest(const double *p, const uint32_t *start, size_t n_runs, double *x, double *y,
                       double *len, double *angle)
{
	*len = 0;
	for (size_t r = 0; r < n_runs; r++) {
		uint32_t end = start[r + 1], a = start[r];
		while (a + 1 < end) {
			uint32_t b = a + 1;
			double dir = atan2(p[2 * b + 1] - p[2 * a + 1], p[2 * b] - p[2 * a]);
			while (b + 1 < end) {
				double d =
				    atan2(p[2 * b + 3] - p[2 * b + 1], p[2 * b + 2] - p[2 * b]);
				double turn = fabs(remainder(d - dir, 2 * M_PI));
				if (turn > STRAIGHT)
					break;
				b++;
			}
			double dx = p[2 * b] - p[2 * a], dy = p[2 * b + 1] - p[2 * a + 1];
			double l = hypot(dx, dy);
			if (l > *len) {
				*len = l;
				*x = (p[2 * a] + p[2 * b]) / 2;
				*y = (p[2 * a + 1] + p[2 * b + 1]) / 2;
				/* The picture's y grows downwards. */
				*angle = atan2(-dy, dx);
				if (*angle > M_PI / 2)
					*angle -= M_PI;
				else if (*angle <= -M_PI / 2)
					*angle += M_PI;
			}
			a = b;
		}
	}
	return *len > 0;
}

/* Style px between the names along one stretch of a street: a long street
 * is named again, so that a screen showing a part of it names it too. */
#define NAME_EVERY 480.0

/* A street's name along its stretch it (anchor at the stretch's middle,
 * length and angle as straightest() gives them), once for each NAME_EVERY
 * px of it, each on its part; the parts are the stretch's alone, so a tile
 * places them where every other tile does. */
static int add_along(labels *lb, const struct view *v, struct labels_item *it)
{
	double every = NAME_EVERY * v->scale * v->res, len = it->length;
	int n = (int)fmax(1, floor(len / every)), rc = 0;
	/* The picture's y grows downwards: the frame's direction of the angle. */
	double dx = cos(it->angle), dy = -sin(it->angle), x0 = it->x - dx * len / 2,
	       y0 = it->y - dy * len / 2;
	it->length = len / n;
	for (int k = 0; rc == 0 && k < n; k++) {
		it->x = x0 + dx * len * (k + 0.5) / n;
		it->y = y0 + dy * len * (k + 0.5) / n;
		rc = labels_add(lb, it);
	}
	return rc;
}

static int add_names(const struct view *v, const ground *g, const struct style_basemap *b,
                     const struct basemap_names *names, labels *lb)
{
	struct ground_list found = {0};
	double box[4], scale = names && names->scale > 0 ? names->scale : 1;
	enum ground_lang lang = names ? names->lang : GROUND_NAME;
	int rc;
	/* labels_add() would refuse every name outside the label's zooms; the
	 * frame box is 3 x LABELS_REACH px wider than the tile, so finding its
	 * features for nothing was most of a z13 tile. */
	if (!b->label || !style_zoom_contains(&b->label->zoom, v->zoom))
		return 0;
	labels_frame_box(lb, box);
	if ((rc = ground_find(g, box, &found)) < 0)
		return rc;
	double below = (style_zfunc_eval(&b->place_radius, v->zoom) +
	                style_label_size(b->label, v->zoom) * scale / 2 + 2) *
	               v->scale * v->res;
	int places = b->place && style_zoom_contains(&b->place_zoom, v->zoom);
	struct runs parts = {0};
	double clip[4];
	int inside = labels_inside(lb, clip);
	for (size_t k = 0; rc == 0 && k < found.n; k++) {
		const struct ground_feature *f = ground_feature(g, found.idx[k]);
		const char *name = ground_name(f, lang);
		struct labels_item it = {
		    .text = name, .style = b->label, .size = scale, .zoom = v->zoom};
		if (!name)
			continue;
		if (f->kind == OSMTAGS_STREET && f->shape == GROUND_LINES) {
			/* A page names a street on its part on the page. */
			if (inside && (rc = clip_runs(f, clip, &parts)) < 0)
				break;
			if (!straightest(
			        inside ? parts.xy : f->xy, inside ? parts.start : f->run_start,
			        inside ? parts.n : f->n_runs, &it.x, &it.y, &it.length, &it.angle))
				continue;
			it.rank = LABELS_RANK_STREET;
			rc = add_along(lb, v, &it);
			continue;
		} else if (f->poi && places) {
			it.x = (f->bbox[0] + f->bbox[2]) / 2;
			it.y = (f->bbox[1] + f->bbox[3]) / 2 - below;
			it.rank = LABELS_RANK_PLACE;
		} else {
			continue;
		}
		rc = labels_add(lb, &it);
	}
	free(parts.xy);
	free(parts.start);
	ground_list_free(&found);
	return rc;
}

int basemap_paint(cairo_t *cr, const struct view *v, const ground *g, const style *s,
                  const struct basemap_names *names, labels *lb)
{
	const struct style_basemap *b = style_basemap(s);
	struct ground_list found = {0};
	double box[4], pad = 0;
	int rc;
	if (!b || !style_zoom_contains(&b->zoom, v->zoom))
		return 0;
	/* Wide enough for the widest street and its casing at the tile's edge. */
	for (int i = 0; i < STYLE_STREETS; i++)
		if (b->streets[i])
			pad = fmax(
			    pad, style_zfunc_eval(&b->streets[i]->line.width, v->zoom) / 2 +
			             (b->streets[i]->casing
			                  ? style_zfunc_eval(&b->streets[i]->casing->width, v->zoom)
			                  : 0));
	view_frame_box(v, pad * v->scale + 2, box);
	if ((rc = ground_find(g, box, &found)) < 0)
		return rc;
	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	if (b->land) {
		set_colour(cr, b->land);
		cairo_paint(cr);
	}
	fill_kind(cr, v, g, &found, OSMTAGS_LANDUSE, b->landuse);
	fill_kind(cr, v, g, &found, OSMTAGS_PARK, b->park);
	fill_kind(cr, v, g, &found, OSMTAGS_WATER, b->water);
	if (style_zoom_contains(&b->building_zoom, v->zoom)) {
		fill_kind(cr, v, g, &found, OSMTAGS_BUILDING, b->building_fill);
		if (b->building_outline) {
			for (size_t k = 0; k < found.n; k++) {
				const struct ground_feature *f = ground_feature(g, found.idx[k]);
				if (f->kind == OSMTAGS_BUILDING && f->shape == GROUND_AREA)
					feature_path(cr, v, f);
			}
			cairo_set_line_width(cr, 0.5 * v->scale);
			set_colour(cr, b->building_outline);
			cairo_stroke(cr);
		}
	}
	stroke_style(cr, v, g, &found, OSMTAGS_WATER, b->waterways);
	stroke_style(cr, v, g, &found, OSMTAGS_RAILWAY, b->railways);
	draw_streets(cr, v, g, &found, b);
	draw_places(cr, v, g, &found, b);
	cairo_restore(cr);
	ground_list_free(&found);
	return add_names(v, g, b, names, lb);
}
