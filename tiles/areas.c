/*
 * areas: boundaries, fills and label anchors of districts and mahallas.
 */
#include "areas.h"

#include "err.h"

#include <stddef.h>

static const char *area_text(const struct shapes_area *a, enum style_field field)
{
	switch (field) {
	case STYLE_FIELD_NAME_UZ:
		return a->name_uz;
	case STYLE_FIELD_NAME_RU:
		return a->name_ru;
	case STYLE_FIELD_NAME_EN:
		return a->name_en;
	case STYLE_FIELD_CODE:
		return a->code;
	default:
		return NULL; /* "name" belongs to zones */
	}
}

static int add_labels(const shapes *sh, enum shapes_kind kind, const struct style_label *label,
                      labels *lb)
{
	struct shapes_list found = {0};
	double box[4];
	labels_frame_box(lb, box);
	int rc = shapes_find(sh, kind, box, &found);
	for (size_t i = 0; rc == 0 && i < found.n; i++) {
		const struct shapes_area *a = shapes_area(sh, kind, found.idx[i]);
		struct labels_item it = {
		    .text = area_text(a, label->field),
		    .style = label,
		    .x = a->anchor.x,
		    .y = a->anchor.y,
		    .r = a->anchor.r,
		    .rank = kind == SHAPES_DISTRICTS ? LABELS_RANK_DISTRICT : LABELS_RANK_MAHALLA,
		};
		rc = labels_add(lb, &it);
	}
	shapes_list_free(&found);
	return rc;
}

int areas_paint(cairo_t *cr, const struct view *v, const shapes *sh, enum shapes_kind kind,
                const struct style_area *st, labels *lb)
{
	struct shapes_list found = {0};
	double box[4], dash[STYLE_DASH_MAX];
	int rc;
	if (kind != SHAPES_DISTRICTS && kind != SHAPES_MAHALLAS)
		return err_set_field(ERR_INVALID, "areas",
		                     "areas: layer %d is not districts or mahallas", kind);
	if (!st || !style_zoom_contains(&st->zoom, v->zoom))
		return 0;
	double width = style_zfunc_eval(&st->stroke.width, v->zoom) * v->scale;
	view_frame_box(v, width, box);
	if ((rc = shapes_find(sh, kind, box, &found)) < 0)
		goto out;

	cairo_save(cr);
	cairo_new_path(cr);
	/* a fill needs whole rings, and leaving out edges would move the dashes */
	const double *cull = st->fill || st->stroke.n_dash ? NULL : box;
	for (size_t i = 0; i < found.n; i++)
		shapes_path(sh, cr, v, &shapes_area(sh, kind, found.idx[i])->geom, cull);
	if (st->fill) {
		const struct style_colour *c = &st->fill->colour;
		cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a * st->fill->opacity);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_fill_preserve(cr);
	}
	const struct style_colour *c = &st->stroke.colour;
	for (size_t i = 0; i < st->stroke.n_dash; i++)
		dash[i] = st->stroke.dash[i] * v->scale;
	cairo_set_dash(cr, dash, (int)st->stroke.n_dash, 0);
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
	cairo_set_line_width(cr, width);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_stroke(cr);
	cairo_restore(cr);

	if (lb && st->label)
		rc = add_labels(sh, kind, st->label, lb);
out:
	shapes_list_free(&found);
	return rc;
}
