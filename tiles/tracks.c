/*
 * tracks: casings and polylines of patrol tracks.
 */
#include "tracks.h"

/* Appends the stretches of t inside from..to to cr's path (device pixels);
 * returns 1 when there was any. */
static int track_path(cairo_t *cr, const struct view *v, const struct shapes_track *t, int64_t from,
                      int64_t to)
{
	int any = 0, open = 0;
	for (size_t i = 0; i + 1 < t->n_fixes; i++) {
		if (t->t[i] > to || t->t[i + 1] < from) {
			open = 0;
			continue;
		}
		double x, y;
		if (!open) {
			view_to_px(v, t->xy[2 * i], t->xy[2 * i + 1], &x, &y);
			cairo_move_to(cr, x, y);
			open = any = 1;
		}
		view_to_px(v, t->xy[2 * i + 2], t->xy[2 * i + 3], &x, &y);
		cairo_line_to(cr, x, y);
	}
	return any;
}

int tracks_paint(cairo_t *cr, const struct view *v, const shapes *sh, const style *s, int64_t from,
                 int64_t to, const char *territory)
{
	const struct style_tracks *st = style_tracks(s);
	struct shapes_list found = {0};
	double box[4], dash[STYLE_DASH_MAX];
	int rc;
	if (!st || !style_zoom_contains(&st->zoom, v->zoom))
		return 0;
	if (from == STORE_NO_TIME)
		from = INT64_MIN;
	if (to == STORE_NO_TIME)
		to = INT64_MAX;
	double width = style_zfunc_eval(&st->width, v->zoom) * v->scale;
	double casing = st->casing ? style_zfunc_eval(&st->casing->width, v->zoom) * v->scale : 0;
	view_frame_box(v, width / 2 + casing, box);
	if ((rc = shapes_find(sh, SHAPES_TRACKS, box, &found)) < 0)
		goto out;

	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	if (st->casing) {
		const struct style_colour *c = &st->casing->colour;
		for (size_t i = 0; i < found.n; i++)
			if (shapes_territory_has(territory,
			                         shapes_track(sh, found.idx[i])->district_code))
				track_path(cr, v, shapes_track(sh, found.idx[i]), from, to);
		for (size_t i = 0; i < st->casing->n_dash; i++)
			dash[i] = st->casing->dash[i] * v->scale;
		cairo_set_dash(cr, dash, (int)st->casing->n_dash, 0);
		cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
		cairo_set_line_width(cr, width + 2 * casing);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_set_line_width(cr, width);
	for (size_t i = 0; i < found.n; i++) {
		const struct shapes_track *t = shapes_track(sh, found.idx[i]);
		struct style_colour c;
		if (!shapes_territory_has(territory, t->district_code) ||
		    !track_path(cr, v, t, from, to))
			continue;
		style_service_colour(s, t->service, &c);
		cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * st->opacity);
		cairo_stroke(cr);
	}
	cairo_restore(cr);
out:
	shapes_list_free(&found);
	return rc;
}
