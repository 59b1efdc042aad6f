#include "heatmap.h"

#include "civil.h"

#include "err.h"
#include "styleramp.h"
#include "tilemath.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double heatmap_period_days(const dataset *ds, const struct dataset_filter *f)
{
	int64_t first, last;
	dataset_time_range(ds, &first, &last);
	int64_t from = f->from != STORE_NO_TIME ? f->from : first;
	int64_t to = f->to != STORE_NO_TIME ? f->to : last;
	if (from == STORE_NO_TIME || to == STORE_NO_TIME || to <= from)
		return 1.0;
	return fmax(1.0, (double)(to - from + 1) / CIVIL_SECONDS_PER_DAY);
}

int heatmap_ramp(const struct style_heatmap *h, const dataset *ds, const struct dataset_filter *f,
                 const double *weights, int fit, style_ramp **out)
{
	double mean = 0;
	if (h->breaks == STYLE_BREAKS_AUTO) {
		double area = dataset_area_km2(ds, f);
		double n = dataset_weighted_count(ds, f, weights);
		/* An empty selection still gets a valid ramp: nothing reaches it. */
		mean = area > 0 && n > 0 ? n / area : 1.0;
	}
	int rc = style_heatmap_ramp(h, mean, heatmap_period_days(ds, f), out);
	if (rc < 0 || !fit || h->breaks == STYLE_BREAKS_AUTO)
		return rc;
	/* Every offence of the filter's period and territory: the whole the
	 * filter is a share of. */
	struct dataset_filter whole;
	dataset_filter_all(&whole);
	whole.from = f->from;
	whole.to = f->to;
	memcpy(whole.districts, f->districts, sizeof whole.districts);
	whole.no_district = f->no_district;
	double n = dataset_weighted_count(ds, f, weights),
	       all = dataset_weighted_count(ds, &whole, weights);
	if (!(n > 0 && all > 0 && n < all))
		return 0;
	style_ramp *fitted;
	if ((rc = style_ramp_scaled(*out, n / all, &fitted)) < 0)
		return rc;
	style_ramp_free(*out);
	*out = fitted;
	return 0;
}

/* Ground metres per frame metre of each pixel row. */
static void row_scales(const struct view *v, double *scale)
{
	for (int j = 0; j < v->height; j++)
		scale[j] =
		    v->mercator ? tile_scale_factor_merc(v->y0 - (j + 0.5) * v->res) : v->ground;
}

int heatmap_density(const struct view *v, const dataset *ds, const struct dataset_filter *f,
                    const struct heatmap_opts *o, struct dataset_points *scratch, double *out)
{
	double reach[4];
	double *scale = malloc((size_t)v->height * sizeof *scale);
	int rc;
	if (!scale)
		return err_set(ERR_NOMEM, "heatmap: out of memory");
	row_scales(v, scale);
	struct kde_params p = {.kernel = o->kernel, .bandwidth = o->bandwidth};
	struct kde_grid g = {.x0 = v->x0,
	                     .y0 = v->y0,
	                     .cell = v->res,
	                     .width = v->width,
	                     .height = v->height,
	                     .row_scale = scale};
	if ((rc = kde_grid_reach(&p, &g, reach)) == 0 &&
	    (rc = dataset_gather(ds, reach, f, o->weights, scratch)) == 0)
		rc = kde_grid_eval(&p, &g, scratch->pts, scratch->w, scratch->n, out);
	free(scale);
	return rc;
}

int heatmap_image(const double *density, int width, int height, const style_ramp *ramp,
                  cairo_surface_t **out)
{
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height);
	*out = NULL;
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return err_set(ERR_NOMEM, "heatmap: no image of %dx%d", width, height);
	}
	cairo_surface_flush(img);
	unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	for (int j = 0; j < height; j++) {
		uint32_t *row = (uint32_t *)(data + (size_t)j * stride);
		for (int i = 0; i < width; i++)
			row[i] = style_ramp_pixel(ramp, density[(size_t)j * width + i]);
	}
	cairo_surface_mark_dirty(img);
	*out = img;
	return 0;
}

int heatmap_paint_grid(cairo_t *cr, const double *grid, int width, int height,
                       const style_ramp *ramp, double opacity)
{
	cairo_surface_t *img;
	int rc = heatmap_image(grid, width, height, ramp, &img);
	if (rc < 0)
		return rc;
	cairo_save(cr);
	cairo_set_source_surface(cr, img, 0, 0);
	/* One density sample per device pixel: no smoothing between them. */
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
	cairo_paint_with_alpha(cr, opacity);
	cairo_restore(cr);
	cairo_surface_destroy(img);
	return 0;
}

int heatmap_paint(cairo_t *cr, const struct view *v, const dataset *ds,
                  const struct dataset_filter *f, const struct heatmap_opts *o,
                  struct dataset_points *scratch)
{
	size_t cells = (size_t)v->width * v->height;
	double *density = malloc(cells * sizeof *density);
	int rc;
	if (!density)
		return err_set(ERR_NOMEM, "heatmap: out of memory");
	if ((rc = heatmap_density(v, ds, f, o, scratch, density)) == 0)
		rc = heatmap_paint_grid(cr, density, v->width, v->height, o->ramp, o->opacity);
	free(density);
	return rc;
}
