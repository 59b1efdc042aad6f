/*
 * labels: candidate positions, the collision rule and Pango drawing.
 *
 * A picture has at most a few hundred labels, so collisions are a scan over
 * a list of rectangles (world pixels, margin included): the candidate boxes
 * of every label ranked before. Text positions are rounded to whole world
 * pixels, so that a label has the same sub-pixel phase, hence the same
 * pixels, in every tile that draws it.
 */
#include "labels.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CANDIDATES 64

struct item {
	char *text;
	const struct style_label *style;
	double wx, wy; /* anchor, world pixels */
	double r;      /* circle radius, device pixels */
	enum labels_rank rank;
	double length, angle; /* a label along a line: world pixels, radians */
	double size;          /* times the style's */
	double zoom;          /* the style's */
	int callout;
};

struct rect {
	double x0, y0, x1, y1;
};

struct labels {
	struct view v;
	enum labels_edges edges;
	double res;    /* frame units per world pixel */
	double ox, oy; /* world pixel of the picture's top-left corner */
	PangoContext *pango;
	struct item *items;
	size_t n_items, cap_items;
	struct rect *taken; /* candidate boxes of the labels ranked before */
	size_t n_taken, cap_taken;
	struct labels_placed *placed;
	size_t n_placed, cap_placed;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "labels: out of memory");
}

/* v with room for need elements of size (capacity *cap), or NULL with v
 * untouched when memory runs out. */
static void *reserve(void *v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return v;
	size_t c = *cap ? *cap * 2 : 32;
	if (c < need)
		c = need;
	void *p = realloc(v, c * size);
	if (p)
		*cap = c;
	return p;
}

/* A context for unhinted layout in device pixels. */
static PangoContext *new_context(void)
{
	PangoContext *ctx = pango_font_map_create_context(pango_cairo_font_map_get_default());
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	return ctx;
}

static PangoLayout *new_layout(PangoContext *ctx, const struct style_font *f, double px,
                               const char *text)
{
	PangoLayout *layout = pango_layout_new(ctx);
	PangoFontDescription *d = pango_font_description_new();
	pango_font_description_set_family(d, f->family);
	pango_font_description_set_weight(d, (PangoWeight)f->weight);
	pango_font_description_set_style(d, f->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_font_description_set_absolute_size(d, px * PANGO_SCALE);
	pango_layout_set_font_description(layout, d);
	pango_font_description_free(d);
	pango_layout_set_text(layout, text, -1);
	return layout;
}

int labels_new(const struct view *v, enum labels_edges edges, labels **out)
{
	labels *lb = calloc(1, sizeof *lb);
	*out = NULL;
	if (!lb)
		return nomem();
	lb->v = *v;
	lb->edges = edges;
	/* Tiles of one zoom get their resolution from their own bounds, which
	 * differ in the last bits; the exact one makes world pixels, and how
	 * they round, the same in every tile. */
	lb->res =
	    v->mercator ? 2 * TILE_ORIGIN_SHIFT / (TILE_SIZE * v->scale * exp2(v->zoom)) : v->res;
	lb->ox = v->x0 / lb->res;
	lb->oy = -v->y0 / lb->res;
	lb->pango = new_context();
	*out = lb;
	return 0;
}

static void clear_items(labels *lb)
{
	for (size_t i = 0; i < lb->n_items; i++)
		free(lb->items[i].text);
	lb->n_items = 0;
}

void labels_free(labels *lb)
{
	if (!lb)
		return;
	clear_items(lb);
	for (size_t i = 0; i < lb->n_placed; i++)
		free((char *)lb->placed[i].text);
	free(lb->items);
	free(lb->taken);
	free(lb->placed);
	g_object_unref(lb->pango);
	free(lb);
}

static double reach(const labels *lb)
{
	return LABELS_REACH * lb->v.scale;
}

void labels_frame_box(const labels *lb, double box[4])
{
	view_frame_box(&lb->v, 3 * reach(lb), box);
}

int labels_inside(const labels *lb, double box[4])
{
	if (lb->edges != LABELS_INSIDE)
		return 0;
	view_frame_box(&lb->v, -LABELS_MARGIN * lb->v.scale, box);
	return 1;
}

int labels_reserve(labels *lb, double x0, double y0, double x1, double y1)
{
	struct rect *t = reserve(lb->taken, &lb->cap_taken, lb->n_taken + 1, sizeof *t);
	if (!t)
		return nomem();
	lb->taken = t;
	t[lb->n_taken++] = (struct rect){x0 + lb->ox, y0 + lb->oy, x1 + lb->ox, y1 + lb->oy};
	return 0;
}

int labels_add(labels *lb, const struct labels_item *it)
{
	double zoom = it->zoom ? it->zoom : lb->v.zoom;
	if (!it->text || !*it->text || !style_zoom_contains(&it->style->zoom, zoom))
		return 0;
	if (!g_utf8_validate(it->text, -1, NULL))
		return err_set(ERR_INVALID, "label text is not UTF-8");
	struct item *v = reserve(lb->items, &lb->cap_items, lb->n_items + 1, sizeof *v);
	if (!v)
		return nomem();
	lb->items = v;
	char *text = strdup(it->text);
	if (!text)
		return nomem();
	v[lb->n_items++] = (struct item){text,
	                                 it->style,
	                                 it->x / lb->res,
	                                 -it->y / lb->res,
	                                 it->r / lb->res,
	                                 it->rank,
	                                 it->length / lb->res,
	                                 it->length > 0 ? it->angle : 0,
	                                 it->size > 0 ? it->size : 1,
	                                 zoom,
	                                 it->callout};
	return 0;
}

static int cmp_double(double a, double b)
{
	return (a > b) - (a < b);
}

static int item_cmp(const void *pa, const void *pb)
{
	const struct item *a = pa, *b = pb;
	int c;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	if ((c = cmp_double(b->r, a->r)) != 0)
		return c;
	if ((c = strcmp(a->text, b->text)) != 0)
		return c;
	if ((c = cmp_double(a->wx, b->wx)) != 0)
		return c;
	return cmp_double(a->wy, b->wy);
}

static int rects_meet(const struct rect *a, const struct rect *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* Whether the segment (ax, ay)-(bx, by) passes through r. */
static int segment_meets(double ax, double ay, double bx, double by, const struct rect *r)
{
	double a[2] = {ax, ay}, b[2] = {bx, by}, box[4] = {r->x0, r->y0, r->x1, r->y1}, t0, t1;
	return view_clip_segment(a, b, box, &t0, &t1);
}

/* Where a label could go: its text origin and box, world pixels. */
struct candidate {
	double tx, ty;   /* top-left of the layout; a turned label's: relative to its anchor */
	struct rect box; /* drawn extent: text and halo (of a turned label, the box around it) */
	int leader;      /* outside the shape: a line joins it to the anchor */
};

/* The usable candidates of item it, whose text measures log (Pango logical
 * rectangle) with a halo of halo px: around its anchor, or beside its circle
 * (outside, a callout); returns how many. */
static size_t candidates(const labels *lb, const struct item *it, const PangoRectangle *log,
                         double halo, int outside, struct candidate *out)
{
	struct offset {
		double dx, dy;
	} off[MAX_CANDIDATES] = {{0, 0}};
	double w = log->width, h = log->height;
	size_t n_off = !outside, n = 0;
	if (outside) {
		/* Beside the shape, the box clear of the circle by half a
		 * line to four, the text's near edge towards it, sixteen ways
		 * (the first eight straight and diagonal). */
		for (int k = 0; k < 4; k++)
			for (int d = 0; d < 16; d++) {
				double a = (d < 8 ? d * 2 : (d - 8) * 2 + 1) * M_PI / 8;
				double ux = cos(a), uy = sin(a), gap = (k + 0.5) * h + halo;
				off[n_off++] = (struct offset){
				    ux * (it->r + gap) +
				        copysign(fmin(fabs(ux) * 2, 1), ux) * w / 2,
				    uy * (it->r + gap) +
				        copysign(fmin(fabs(uy) * 2, 1), uy) * h / 2};
			}
	} else if (it->r > 0 && lb->edges == LABELS_INSIDE) {
		/* A single picture, whose choices need agree with no
		 * neighbour's, looks around: the text's centre anywhere on two
		 * rings inside the circle, a line away and at its edge, straight
		 * up, down and sideways first. */
		static const double dir[8][2] = {{0, -1},  {0, 1},  {-1, 0}, {1, 0},
		                                 {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
		const double ring[2] = {fmin(h, it->r), it->r};
		for (int k = 0; k < 2 && (k == 0 || ring[1] >= ring[0] + h / 4); k++)
			for (int d = 0; d < 8 && ring[k] >= h / 4; d++) {
				double f = d < 4 ? 1 : sqrt(0.5);
				off[n_off++] = (struct offset){dir[d][0] * ring[k] * f,
				                               dir[d][1] * ring[k] * f};
			}
	} else if (it->r > 0) {
		/* A line up or down, a quarter of the text sideways, inside the circle. */
		double dy = fmin(h, it->r - h / 2), dx = fmin(w / 4, it->r - w / 2);
		if (dy >= h / 4) {
			off[n_off++] = (struct offset){0, -dy};
			off[n_off++] = (struct offset){0, dy};
		}
		if (dx >= h / 4) {
			off[n_off++] = (struct offset){-dx, 0};
			off[n_off++] = (struct offset){dx, 0};
		}
	}
	double m = LABELS_MARGIN * lb->v.scale;
	if (it->length > 0) {
		/* Along a line: the anchor only, in the box around the turned text. */
		double hw = w / 2 + halo, hh = h / 2 + halo;
		double ex = fabs(cos(it->angle)) * hw + fabs(sin(it->angle)) * hh;
		double ey = fabs(sin(it->angle)) * hw + fabs(cos(it->angle)) * hh;
		out[0] = (struct candidate){-w / 2 - log->x,
		                            -h / 2 - log->y,
		                            {it->wx - ex, it->wy - ey, it->wx + ex, it->wy + ey},
		                            0};
		n_off = 0;
		n = ex <= reach(lb) && ey <= reach(lb);
		if (n && lb->edges == LABELS_INSIDE &&
		    (out[0].box.x0 - lb->ox < m || out[0].box.y0 - lb->oy < m ||
		     out[0].box.x1 - lb->ox > lb->v.width - m ||
		     out[0].box.y1 - lb->oy > lb->v.height - m))
			n = 0;
	}
	for (size_t i = 0; i < n_off; i++) {
		struct candidate c;
		c.tx = round(it->wx + off[i].dx - w / 2) - log->x;
		c.ty = round(it->wy + off[i].dy - h / 2) - log->y;
		c.box = (struct rect){c.tx + log->x - halo, c.ty + log->y - halo,
		                      c.tx + log->x + w + halo, c.ty + log->y + h + halo};
		c.leader = outside;
		if (fmax(fmax(it->wx - c.box.x0, c.box.x1 - it->wx),
		         fmax(it->wy - c.box.y0, c.box.y1 - it->wy)) > reach(lb))
			continue;
		if (lb->edges == LABELS_INSIDE &&
		    (c.box.x0 - lb->ox < m || c.box.y0 - lb->oy < m ||
		     c.box.x1 - lb->ox > lb->v.width - m || c.box.y1 - lb->oy > lb->v.height - m))
			continue;
		out[n++] = c;
	}
	return n;
}

/* Where a callout's leader meets its text's box (world pixels). */
static void leader_end(const struct item *it, double halo, const struct candidate *c, double *x,
                       double *y)
{
	*x = fmin(fmax(it->wx, c->box.x0 + halo), c->box.x1 - halo);
	*y = fmin(fmax(it->wy, c->box.y0 + halo), c->box.y1 - halo);
}

/* A thin line in the text's colour, over a halo, from a dot at the anchor to
 * the nearest point of the text's box. */
static void draw_leader(const labels *lb, cairo_t *cr, const struct item *it, double halo,
                        const struct candidate *c)
{
	const struct style_label *st = it->style;
	double ax = it->wx - lb->ox, ay = it->wy - lb->oy, bx, by;
	leader_end(it, halo, c, &bx, &by);
	bx -= lb->ox;
	by -= lb->oy;
	double lw = 0.6 * lb->v.scale, dot = 1.4 * lb->v.scale;
	cairo_save(cr);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	for (int pass = halo > 0 ? 0 : 1; pass < 2; pass++) {
		const struct style_colour *k = pass ? &st->colour : &st->halo->colour;
		double grow = pass ? 0 : halo;
		cairo_set_source_rgba(cr, k->r, k->g, k->b, k->a);
		cairo_set_line_width(cr, lw + 2 * grow);
		cairo_move_to(cr, ax, ay);
		cairo_line_to(cr, bx, by);
		cairo_stroke(cr);
		cairo_arc(cr, ax, ay, dot + grow, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	cairo_restore(cr);
}

static void draw_one(const labels *lb, cairo_t *cr, PangoLayout *layout, const struct item *it,
                     double halo, const struct candidate *c)
{
	const struct style_label *st = it->style;
	double x = c->tx - lb->ox, y = c->ty - lb->oy;
	cairo_save(cr);
	if (it->length > 0) {
		cairo_translate(cr, it->wx - lb->ox, it->wy - lb->oy);
		cairo_rotate(cr, it->angle);
		x = c->tx;
		y = c->ty;
	}
	if (c->leader)
		draw_leader(lb, cr, it, halo, c);
	if (halo > 0) {
		const struct style_colour *hc = &st->halo->colour;
		cairo_move_to(cr, x, y);
		pango_cairo_layout_path(cr, layout);
		cairo_set_source_rgba(cr, hc->r, hc->g, hc->b, hc->a);
		cairo_set_line_width(cr, 2 * halo);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(cr);
	}
	cairo_move_to(cr, x, y);
	cairo_set_source_rgba(cr, st->colour.r, st->colour.g, st->colour.b, st->colour.a);
	pango_cairo_show_layout(cr, layout);
	cairo_restore(cr);
}

/* Decides and draws one label, around its anchor or (outside) as a callout
 * beside its shape; a placed label takes over its text. */
static int place(labels *lb, cairo_t *cr, struct item *it, int outside)
{
	const struct style_label *st = it->style;
	double size = style_label_size(st, it->zoom) * lb->v.scale * it->size;
	double halo = st->halo ? style_zfunc_eval(&st->halo->width, it->zoom) * lb->v.scale : 0;
	double m = LABELS_MARGIN * lb->v.scale;
	struct candidate c[MAX_CANDIDATES];
	PangoRectangle log;
	int rc = 0;

	PangoLayout *layout = new_layout(lb->pango, st->font, size, it->text);
	pango_layout_get_pixel_extents(layout, NULL, &log);
	if (log.width <= 0 || (!outside && it->r > 0 && log.width > LABELS_FIT * 2 * it->r) ||
	    (it->length > 0 && log.width + 2 * halo > it->length))
		goto out;
	size_t n = candidates(lb, it, &log, halo, outside, c), chosen = n;
	for (size_t i = 0; i < n && chosen == n; i++) {
		struct rect r = {c[i].box.x0 - m, c[i].box.y0 - m, c[i].box.x1 + m,
		                 c[i].box.y1 + m};
		double bx = 0, by = 0;
		if (c[i].leader)
			leader_end(it, halo, &c[i], &bx, &by);
		size_t k = 0;
		/* a leader crosses no name (nor marker) away from its anchor */
		while (k < lb->n_taken && !rects_meet(&r, &lb->taken[k]) &&
		       !(c[i].leader && segment_meets(it->wx, it->wy, bx, by, &lb->taken[k]) &&
		         !segment_meets(it->wx, it->wy, it->wx, it->wy, &lb->taken[k])))
			k++;
		if (k == lb->n_taken)
			chosen = i;
	}
	struct rect *t = reserve(lb->taken, &lb->cap_taken, lb->n_taken + n, sizeof *t);
	struct labels_placed *p = reserve(lb->placed, &lb->cap_placed, lb->n_placed + 1, sizeof *p);
	if (t)
		lb->taken = t;
	if (p)
		lb->placed = p;
	/* No candidates (all outside a print) need no room: t may be NULL. */
	if ((n && !t) || !p) {
		rc = nomem();
		goto out;
	}
	/* Tiles keep out every candidate of this label, so that no decision
	 * depends on the tile; a single picture only what it draws. */
	for (size_t i = 0; i < n; i++)
		if (lb->edges == LABELS_SEAMLESS || i == chosen)
			t[lb->n_taken++] = c[i].box;
	if (chosen == n)
		goto out;
	const struct rect *b = &c[chosen].box;
	p[lb->n_placed++] =
	    (struct labels_placed){it->text,       b->x0 - lb->ox,  b->y0 - lb->oy, b->x1 - lb->ox,
	                           b->y1 - lb->oy, it->wx - lb->ox, it->wy - lb->oy};
	it->text = NULL; /* now the placed label's */
	if (b->x1 > lb->ox && b->x0 < lb->ox + lb->v.width && b->y1 > lb->oy &&
	    b->y0 < lb->oy + lb->v.height)
		draw_one(lb, cr, layout, it, halo, &c[chosen]);
out:
	g_object_unref(layout);
	return rc;
}

int labels_draw(labels *lb, cairo_t *cr)
{
	int rc = 0;
	if (lb->n_items)
		qsort(lb->items, lb->n_items, sizeof *lb->items, item_cmp);
	for (size_t i = 0; i < lb->n_items && rc == 0; i++)
		rc = place(lb, cr, &lb->items[i], 0);
	/* Callouts come last: every name that fits its shape goes first. */
	for (size_t i = 0; lb->edges == LABELS_INSIDE && i < lb->n_items && rc == 0; i++)
		if (lb->items[i].text && lb->items[i].callout && lb->items[i].r > 0)
			rc = place(lb, cr, &lb->items[i], 1);
	clear_items(lb);
	return rc;
}

size_t labels_placed(const labels *lb, const struct labels_placed **out)
{
	*out = lb->placed;
	return lb->n_placed;
}

int labels_unknown_glyphs(const struct style_font *font, const char *text, int *count)
{
	if (!g_utf8_validate(text, -1, NULL))
		return err_set(ERR_INVALID, "text is not UTF-8");
	PangoContext *ctx = new_context();
	PangoLayout *layout = new_layout(ctx, font, 12, text);
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_fallback_new(FALSE));
	pango_layout_set_attributes(layout, attrs);
	*count = pango_layout_get_unknown_glyphs_count(layout);
	pango_attr_list_unref(attrs);
	g_object_unref(layout);
	g_object_unref(ctx);
	return 0;
}
