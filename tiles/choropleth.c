#include "choropleth.h"

#include "classify.h"
#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const enum classify_method methods[] = {
    [STYLE_CLASSIFY_QUANTILE] = CLASSIFY_QUANTILE,
    [STYLE_CLASSIFY_EQUAL] = CLASSIFY_EQUAL,
    [STYLE_CLASSIFY_JENKS] = CLASSIFY_JENKS,
};

void choropleth_classes_free(struct choropleth_classes *c)
{
	if (!c)
		return;
	free(c->values);
	memset(c, 0, sizeof *c);
}

int choropleth_classify(const dataset *ds, const shapes *sh, const struct style_choropleth *st,
                        int metric, const struct dataset_filter *f, struct choropleth_classes *out)
{
	size_t nm = dataset_mahalla_count(ds), n = shapes_count(sh, SHAPES_MAHALLAS);
	double *now = calloc(nm + 1, sizeof *now), *before = calloc(nm + 1, sizeof *before);
	int rc = 0;
	memset(out, 0, sizeof *out);
	out->metric = metric < 0 ? st->metric : (enum style_metric)metric;
	out->values = malloc((n ? n : 1) * sizeof *out->values);
	out->n_values = n;
	if (!now || !before || !out->values) {
		rc = err_set(ERR_NOMEM, "choropleth: out of memory");
		goto out;
	}
	dataset_mahalla_counts(ds, f, NULL, now);
	int bounded = f->from != STORE_NO_TIME && f->to != STORE_NO_TIME;
	if (out->metric == STYLE_METRIC_CHANGE && bounded) {
		struct dataset_filter prev = *f;
		int64_t len = f->to - f->from + 1;
		prev.from -= len;
		prev.to -= len;
		dataset_mahalla_counts(ds, &prev, NULL, before);
	}
	for (size_t i = 0; i < n; i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		int m = dataset_mahalla_index(ds, a->code);
		double c = m >= 0 ? now[m] : 0, b = m >= 0 ? before[m] : 0;
		switch (out->metric) {
		case STYLE_METRIC_COUNT:
			out->values[i] = c;
			break;
		case STYLE_METRIC_RATE:
			out->values[i] =
			    a->population > 0 ? c * 1000.0 / (double)a->population : NAN;
			break;
		case STYLE_METRIC_CHANGE:
			out->values[i] = bounded && b > 0 ? (c - b) / b : NAN;
			break;
		}
	}
	size_t k = 0;
	rc = classify_breaks(methods[st->classify], out->values, n, st->classes, out->breaks, &k);
	if (rc == ERR_INVALID) { /* no values: a map without classes */
		rc = 0;
		k = 0;
	}
	if (rc < 0)
		goto out;
	out->n_classes = k;
	out->min = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (isfinite(out->values[i]))
			out->min = fmin(out->min, out->values[i]);
	/* Fewer classes than the style's colours: spread over the whole ramp. */
	for (size_t c = 0; c < k; c++) {
		size_t at =
		    k == 1
		        ? st->classes - 1
		        : (size_t)lround((double)c * (double)(st->classes - 1) / (double)(k - 1));
		out->colours[c] = st->colours[at];
	}
out:
	free(now);
	free(before);
	if (rc < 0)
		choropleth_classes_free(out);
	return rc;
}

int choropleth_paint(cairo_t *cr, const struct view *v, const shapes *sh,
                     const struct style_choropleth *st, const struct choropleth_classes *c)
{
	struct shapes_list list = {0};
	double box[4];
	if (!st || !style_zoom_contains(&st->zoom, v->zoom) || !c->n_classes)
		return 0;
	view_frame_box(v, 2, box);
	int rc = shapes_find(sh, SHAPES_MAHALLAS, box, &list);
	if (rc < 0)
		return rc;
	cairo_save(cr);
	for (size_t k = 0; k < list.n; k++) {
		size_t i = list.idx[k];
		if (i >= c->n_values || !isfinite(c->values[i]))
			continue;
		const struct style_colour *col =
		    &c->colours[classify_class(c->breaks, c->n_classes, c->values[i])];
		cairo_new_path(cr);
		shapes_path(sh, cr, v, &shapes_area(sh, SHAPES_MAHALLAS, i)->geom, NULL);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_set_source_rgba(cr, col->r, col->g, col->b, col->a * st->opacity);
		if (st->outline) {
			cairo_fill_preserve(cr);
			const struct style_colour *o = &st->outline->colour;
			cairo_set_source_rgba(cr, o->r, o->g, o->b, o->a);
			cairo_set_line_width(cr, style_zfunc_eval(&st->outline->width, v->zoom) *
			                             v->scale);
			cairo_stroke(cr);
		} else {
			cairo_fill(cr);
		}
	}
	cairo_restore(cr);
	shapes_list_free(&list);
	return 0;
}
