#include "changemap.h"

#include "civil.h"

#include "err.h"
#include "styleramp.h"

#include <math.h>
#include <stdlib.h>

void changemap_periods(const dataset *ds, const struct dataset_filter *f,
                       struct dataset_filter *now, struct dataset_filter *before)
{
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	*now = *f;
	if (now->to == STORE_NO_TIME)
		now->to = last;
	if (now->from == STORE_NO_TIME && now->to != STORE_NO_TIME)
		now->from = now->to - (int64_t)CHANGEMAP_OPEN_DAYS * CIVIL_SECONDS_PER_DAY + 1;
	*before = *now;
	if (now->from == STORE_NO_TIME || now->to == STORE_NO_TIME) {
		*now = *before = *f;
		return;
	}
	int64_t len = now->to - now->from + 1;
	before->from = now->from - len;
	before->to = now->from - 1;
}

int changemap_ramp(const struct style_heatmap *c, const dataset *ds, const struct dataset_filter *f,
                   style_ramp **out)
{
	struct dataset_filter now, before;
	changemap_periods(ds, f, &now, &before);
	return style_heatmap_ramp(c, 0, heatmap_period_days(ds, &now), out);
}

int changemap_density(const struct view *v, const dataset *ds, const struct dataset_filter *f,
                      const struct heatmap_opts *o, struct dataset_points *scratch, double *out)
{
	size_t cells = (size_t)v->width * v->height;
	struct dataset_filter now, before;
	double *prev = malloc(cells * sizeof *prev);
	int rc;
	if (!prev)
		return err_set(ERR_NOMEM, "change: out of memory");
	changemap_periods(ds, f, &now, &before);
	if ((rc = heatmap_density(v, ds, &now, o, scratch, out)) == 0 &&
	    (rc = heatmap_density(v, ds, &before, o, scratch, prev)) == 0)
		for (size_t i = 0; i < cells; i++)
			out[i] -= prev[i];
	free(prev);
	return rc;
}

int changemap_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                    const struct dataset_filter *f, const struct heatmap_opts *o,
                    struct dataset_points *scratch)
{
	size_t cells = (size_t)v->width * v->height;
	double *change = malloc(cells * sizeof *change);
	double lowest;
	int rc;
	if (!change)
		return err_set(ERR_NOMEM, "change: out of memory");
	style_ramp_stop(o->ramp, 0, &lowest, NULL);
	if ((rc = changemap_density(v, ds, f, o, scratch, change)) == 0) {
		for (size_t i = 0; i < cells; i++)
			change[i] = fmax(change[i], lowest);
		rc = heatmap_paint_grid(cr, change, v->width, v->height, o->ramp, o->opacity);
	}
	free(change);
	return rc;
}
