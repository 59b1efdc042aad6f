#include "view.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>

/* The Web Mercator zoom whose 256-px tiles have this many frame metres per
 * style pixel: the zoom style functions are written for. */
static double zoom_of(double metres_per_style_px)
{
	return log2(tile_merc_per_pixel(0, 256) / metres_per_style_px);
}

int view_for_tile(int z, long x, long y, int tile_px, struct view *out)
{
	struct tile_bounds b;
	int rc = tile_check(z, x, y);
	if (rc == 0)
		rc = tile_check_size(tile_px);
	if (rc < 0)
		return rc;
	tile_bounds_merc(z, x, y, &b);
	out->x0 = b.minx;
	out->y0 = b.maxy;
	out->width = out->height = tile_px;
	out->res = (b.maxx - b.minx) / tile_px;
	out->scale = tile_px / 256.0;
	out->zoom = z;
	out->ground = tile_scale_factor_merc((b.miny + b.maxy) / 2);
	out->mercator = 1;
	return 0;
}

int view_for_bbox(double west, double south, double east, double north, int width, int height,
                  double scale, struct view *out)
{
	double x0, y0, x1, y1;
	if (!(west < east && south < north))
		return err_set(ERR_INVALID,
		               "bbox %g,%g,%g,%g: west must be below east and "
		               "south below north",
		               west, south, east, north);
	int rc = tile_lonlat_to_merc(west, south, &x0, &y0);
	if (rc == 0)
		rc = tile_lonlat_to_merc(east, north, &x1, &y1);
	if (rc < 0)
		return rc;
	return view_for_merc(x0, y0, x1, y1, width, height, scale, out);
}

int view_for_merc(double minx, double miny, double maxx, double maxy, int width, int height,
                  double scale, struct view *out)
{
	if (width < 1 || height < 1 || width > 16384 || height > 16384)
		return err_set(ERR_INVALID, "size %dx%d: width and height must be 1 to 16384",
		               width, height);
	if (!(scale > 0 && scale <= 16))
		return err_set(ERR_INVALID, "scale %g: must be above 0 and at most 16", scale);
	if (!(minx < maxx && miny < maxy && isfinite(maxx - minx) && isfinite(maxy - miny)))
		return err_set(ERR_INVALID,
		               "bbox %g,%g,%g,%g: the minimum must be below the "
		               "maximum on each axis, both finite",
		               minx, miny, maxx, maxy);
	double res = fmax((maxx - minx) / width, (maxy - miny) / height);
	/* Painters take frame positions to pixels and some to integers: a
	 * position as far out as the world's other side must stay an int. */
	if (!(res >= VIEW_MIN_RES && res <= VIEW_MAX_RES))
		return err_set_field(
		    ERR_INVALID, "bbox",
		    "bbox: %.17g,%.17g,%.17g,%.17g at %d x %d pixels is %.3g metres a "
		    "pixel, not %g to %g",
		    minx, miny, maxx, maxy, width, height, res, VIEW_MIN_RES, VIEW_MAX_RES);
	out->res = res;
	out->x0 = (minx + maxx) / 2 - res * width / 2;
	out->y0 = (miny + maxy) / 2 + res * height / 2;
	out->width = width;
	out->height = height;
	out->scale = scale;
	out->zoom = zoom_of(res * scale);
	out->ground = tile_scale_factor_merc((miny + maxy) / 2);
	out->mercator = 1;
	return 0;
}

void view_frame_box(const struct view *v, double pad_px, double out[4])
{
	out[0] = v->x0 - pad_px * v->res;
	out[1] = v->y0 - (v->height + pad_px) * v->res;
	out[2] = v->x0 + (v->width + pad_px) * v->res;
	out[3] = v->y0 + pad_px * v->res;
}

int view_clip_segment(const double a[2], const double b[2], const double box[4], double *t0,
                      double *t1)
{
	double d[2] = {b[0] - a[0], b[1] - a[1]};
	*t0 = 0, *t1 = 1;
	for (int k = 0; k < 2; k++) {
		double p[2] = {-d[k], d[k]}, q[2] = {a[k] - box[k], box[k + 2] - a[k]};
		for (int e = 0; e < 2; e++) {
			if (p[e] == 0) {
				if (q[e] < 0)
					return 0;
				continue;
			}
			double t = q[e] / p[e];
			if (p[e] < 0)
				*t0 = fmax(*t0, t);
			else
				*t1 = fmin(*t1, t);
		}
	}
	return *t0 <= *t1;
}
