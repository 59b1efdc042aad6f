/*
 * zones: fills, joint-patrol and overlap hatching, outlines and labels.
 *
 * Painting order: fills of single-service zones, the hatching of joint zones
 * and of overlaps, then every zone's outline, so outlines stay crisp over
 * the stripes; overlap outlines (STYLE_OVERLAP_OUTLINE) go last, since an
 * overlap's edge runs along the two zones' own outlines. Overlaps of three
 * or more zones are hatched once per pair.
 */
#include "zones.h"

#include "err.h"

#include <math.h>
#include <string.h>

/* Services of a zone or an overlap on the shift, distinct; an unassigned
 * zone has the one service NULL (neutral grey). */
struct services {
	const char *code[ZONES_MAX_SERVICES];
	size_t n;
};

static void zone_services(const struct shapes_zone *z, const struct shapes_shift *shift,
                          struct services *out)
{
	size_t n = shapes_zone_services(z, shift, out->code, ZONES_MAX_SERVICES);
	out->n = n < ZONES_MAX_SERVICES ? n : ZONES_MAX_SERVICES;
	if (out->n == 0)
		out->code[out->n++] = NULL;
}

static int same_code(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void services_merge(struct services *into, const struct services *add)
{
	for (size_t i = 0; i < add->n && into->n < ZONES_MAX_SERVICES; i++) {
		size_t k = 0;
		while (k < into->n && !same_code(into->code[k], add->code[i]))
			k++;
		if (k == into->n)
			into->code[into->n++] = add->code[i];
	}
}

static void colours_of(const style *s, const struct services *sv, struct style_colour *out)
{
	for (size_t i = 0; i < sv->n; i++)
		style_service_colour(s, sv->code[i], &out[i]);
}

/* The stripes are a repeating image anchored at world pixel (0, 0) (stripe
 * k on gx + gy = k * spacing) and moved by whole pixels only, so every tile
 * copies the very same pixels; stroking long lines instead would round
 * differently at each tile's edges. */
int zones_hatch(cairo_t *cr, const struct view *v, const struct style_colour *c, size_t n,
                double spacing, double width)
{
	int s = spacing < 2 ? 2 : (int)lround(spacing), p = s * (int)n;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, p, p);
	cairo_t *ic = cairo_create(img);
	cairo_set_line_width(ic, width);
	cairo_set_line_cap(ic, CAIRO_LINE_CAP_BUTT);
	for (size_t i = 0; i < n; i++) {
		/* Lines u + v = j * s of colour j mod n, with their repeats one
		 * period either side, so that the image wraps seamlessly. */
		for (int j = (int)i - (int)n; j < 3 * (int)n; j += (int)n) {
			cairo_move_to(ic, j * s + width, -width);
			cairo_line_to(ic, j * s - p - width, p + width);
		}
		cairo_set_source_rgba(ic, c[i].r, c[i].g, c[i].b, c[i].a);
		cairo_stroke(ic);
	}
	cairo_destroy(ic);
	cairo_pattern_t *pat = cairo_pattern_create_for_surface(img);
	cairo_surface_destroy(img);
	long gx = lround(v->x0 / v->res) % p, gy = lround(-v->y0 / v->res) % p;
	cairo_matrix_t m;
	cairo_matrix_init_translate(&m, (double)((gx + p) % p), (double)((gy + p) % p));
	cairo_pattern_set_matrix(pat, &m);
	cairo_pattern_set_extend(pat, CAIRO_EXTEND_REPEAT);
	cairo_pattern_set_filter(pat, CAIRO_FILTER_NEAREST);
	int rc = cairo_pattern_status(pat) == CAIRO_STATUS_SUCCESS
	             ? 0
	             : err_set(ERR_NOMEM, "zones: no memory for a hatch pattern");
	cairo_save(cr);
	cairo_set_source(cr, pat);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_pattern_destroy(pat);
	return rc;
}

void zones_stroke_services(cairo_t *cr, const struct style_colour *c, size_t n, double width,
                           const double *dash, size_t n_dash)
{
	double seg = 4 * width, pattern[2] = {seg, (double)(n - 1) * seg};
	cairo_set_line_width(cr, width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; i < n; i++) {
		if (n == 1)
			cairo_set_dash(cr, dash, (int)n_dash, 0);
		else
			cairo_set_dash(cr, pattern, 2, (double)(n - i) * seg);
		cairo_set_source_rgba(cr, c[i].r, c[i].g, c[i].b, c[i].a);
		cairo_stroke_preserve(cr);
	}
	cairo_new_path(cr);
}

struct paint {
	cairo_t *cr;
	const struct view *v;
	const shapes *sh;
	const style *s;
	const struct style_zones *st;
	const struct shapes_shift *shift;
	const char *territory;
	double width, spacing, hatch_width;
	double dash[STYLE_DASH_MAX];
};

/* Whether zone z is drawn: in the territory and active in the shift. */
static int shown(const struct paint *p, const struct shapes_zone *z)
{
	return shapes_territory_has(p->territory, z->district_code) &&
	       shapes_zone_active(z, p->shift);
}

/* Hatches (or outlines) every overlap of active zones with services of
 * more than one kind. */
static int paint_overlaps(const struct paint *p, const double box[4])
{
	struct shapes_list found = {0};
	struct style_colour col[ZONES_MAX_SERVICES];
	int rc = shapes_find(p->sh, SHAPES_OVERLAPS, box, &found);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		const struct shapes_overlap *o = shapes_overlap(p->sh, found.idx[i]);
		const struct shapes_zone *a = shapes_zone(p->sh, o->zone_a);
		const struct shapes_zone *b = shapes_zone(p->sh, o->zone_b);
		struct services sv, sb;
		if (!shown(p, a) || !shown(p, b))
			continue;
		zone_services(a, p->shift, &sv);
		zone_services(b, p->shift, &sb);
		services_merge(&sv, &sb);
		if (sv.n < 2)
			continue;
		colours_of(p->s, &sv, col);
		shapes_path(p->sh, p->cr, p->v, &o->geom, NULL);
		if (p->st->overlap == STYLE_OVERLAP_HATCH)
			rc = zones_hatch(p->cr, p->v, col, sv.n, p->spacing, p->hatch_width);
		else
			zones_stroke_services(p->cr, col, sv.n, p->hatch_width, NULL, 0);
	}
	shapes_list_free(&found);
	return rc;
}

static int add_labels(const struct paint *p, labels *lb)
{
	struct shapes_list found = {0};
	double box[4];
	labels_frame_box(lb, box);
	int rc = shapes_find(p->sh, SHAPES_ZONES, box, &found);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		const struct shapes_zone *z = shapes_zone(p->sh, found.idx[i]);
		if (!shown(p, z))
			continue;
		struct labels_item it = {.text = z->name,
		                         .style = p->st->label,
		                         .x = z->anchor.x,
		                         .y = z->anchor.y,
		                         .r = z->anchor.r,
		                         .rank = LABELS_RANK_ZONE,
		                         .callout = 1};
		rc = labels_add(lb, &it);
	}
	shapes_list_free(&found);
	return rc;
}

int zones_paint(cairo_t *cr, const struct view *v, const shapes *sh, const style *s,
                const struct shapes_shift *shift, const char *territory, labels *lb)
{
	const struct style_zones *st = style_zones(s);
	struct shapes_list found = {0};
	struct style_colour col[ZONES_MAX_SERVICES];
	double box[4];
	int rc;
	if (!st || !style_zoom_contains(&st->zoom, v->zoom))
		return 0;
	struct paint p = {
	    .cr = cr, .v = v, .sh = sh, .s = s, .st = st, .shift = shift, .territory = territory};
	p.width = style_zfunc_eval(&st->stroke.width, v->zoom) * v->scale;
	p.spacing = style_zfunc_eval(&st->overlap_spacing, v->zoom) * v->scale;
	p.hatch_width = style_zfunc_eval(&st->overlap_width, v->zoom) * v->scale;
	for (size_t i = 0; i < st->stroke.n_dash; i++)
		p.dash[i] = st->stroke.dash[i] * v->scale;
	view_frame_box(v, p.width, box);
	if ((rc = shapes_find(sh, SHAPES_ZONES, box, &found)) < 0)
		goto out;

	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		const struct shapes_zone *z = shapes_zone(sh, found.idx[i]);
		struct services sv;
		if (!shown(&p, z))
			continue;
		zone_services(z, shift, &sv);
		colours_of(s, &sv, col);
		shapes_path(sh, cr, v, &z->geom, NULL);
		if (sv.n == 1) {
			cairo_set_source_rgba(cr, col[0].r, col[0].g, col[0].b,
			                      col[0].a * st->fill_opacity);
			cairo_fill(cr);
		} else if (st->overlap == STYLE_OVERLAP_HATCH) {
			rc = zones_hatch(cr, v, col, sv.n, p.spacing, p.hatch_width);
		} else {
			cairo_new_path(cr);
		}
	}
	if (rc == 0 && st->overlap == STYLE_OVERLAP_HATCH)
		rc = paint_overlaps(&p, box);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		const struct shapes_zone *z = shapes_zone(sh, found.idx[i]);
		struct services sv;
		if (!shown(&p, z))
			continue;
		zone_services(z, shift, &sv);
		colours_of(s, &sv, col);
		shapes_path(sh, cr, v, &z->geom, NULL);
		zones_stroke_services(cr, col, sv.n, p.width, p.dash, st->stroke.n_dash);
	}
	if (rc == 0 && st->overlap == STYLE_OVERLAP_OUTLINE)
		rc = paint_overlaps(&p, box);
	cairo_restore(cr);
	if (rc == 0 && lb && st->label)
		rc = add_labels(&p, lb);
out:
	shapes_list_free(&found);
	return rc;
}
