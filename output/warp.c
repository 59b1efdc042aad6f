/*
 * warp: a picture drawn in Web Mercator, resampled into the target's frame.
 * The target is at most a few thousand pixels a side; the nodes cost one
 * PROJ call per WARP_STEP x WARP_STEP pixels, the resampling four reads a
 * pixel.
 */
#include "warp.h"

#include "err.h"
#include "jpegenc.h"
#include "pngenc.h"
#include "tilemath.h"
#include "utm.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

/* Pixels of Mercator picture around the target's reach, for the bilinear
 * reads at its edge, and the most pixels of that picture: the kernel
 * density's grid limit (kde.h), the pixels of a 4096 x 4096 target. */
#define PAD            2
#define MAX_SRC_PIXELS (4096.0 * 4096.0)
#define MAX_METRES     1e8  /* of the origin, in Web Mercator or UTM: five worlds */
#define MIN_EXTENT     1e-9 /* of a box's coordinates' size, for the pixels' sake */

int warp_check(const struct warp_target *t)
{
	const double *b = t->box;
	double reach = t->frame == WARP_LONLAT ? 180 : MAX_METRES;
	if (t->width < 1 || t->width > WARP_MAX_SIZE)
		return err_set_field(ERR_INVALID, "width", "width: %d is not 1 to %d pixels",
		                     t->width, WARP_MAX_SIZE);
	if (t->height < 1 || t->height > WARP_MAX_SIZE)
		return err_set_field(ERR_INVALID, "height", "height: %d is not 1 to %d pixels",
		                     t->height, WARP_MAX_SIZE);
	for (int k = 0; k < 4; k++)
		if (!(fabs(b[k]) <= (t->frame == WARP_LONLAT && k % 2 ? 90 : reach)))
			return err_set_field(
			    ERR_INVALID, "bbox", "bbox: %g,%g,%g,%g lies beyond %s", b[0], b[1],
			    b[2], b[3],
			    t->frame == WARP_LONLAT ? "the longitudes and latitudes there are"
			                            : "1e8 metres of the origin");
	for (int k = 0; k < 2; k++) {
		double size = fmax(1, fmax(fabs(b[k]), fabs(b[k + 2])));
		if (!(b[k + 2] - b[k] >= MIN_EXTENT * size))
			return err_set_field(ERR_INVALID, "bbox",
			                     "bbox: %.17g,%.17g,%.17g,%.17g has no extent %s; each "
			                     "minimum must be below its maximum",
			                     b[0], b[1], b[2], b[3],
			                     k ? "north to south" : "west to east");
	}
	return 0;
}

int warp_to_merc(const struct warp_target *t, double *x, double *y, size_t n)
{
	double sx = (t->box[2] - t->box[0]) / t->width, sy = (t->box[3] - t->box[1]) / t->height;
	int rc = warp_check(t);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		x[i] = t->box[0] + x[i] * sx;
		y[i] = t->box[3] - y[i] * sy;
	}
	if (t->frame == WARP_MERCATOR)
		return 0;
	if (t->frame == WARP_UTM) {
		utm *u;
		if ((rc = utm_open(t->epsg, &u)) < 0)
			return rc;
		rc = utm_inverse(u, x, y, n);
		utm_free(u);
	}
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = tile_lonlat_to_merc(x[i], y[i], &x[i], &y[i]);
	return rc;
}

/* Premultiplied ARGB at (px, py) of the picture, bilinearly; transparent
 * beyond it. */
static uint32_t sample(const unsigned char *data, int stride, int w, int h, double px, double py)
{
	double fx = floor(px), fy = floor(py), acc[4] = {0};
	int x0 = (int)fx, y0 = (int)fy;
	for (int k = 0; k < 4; k++) {
		int x = x0 + (k & 1), y = y0 + (k >> 1);
		if (x < 0 || y < 0 || x >= w || y >= h)
			continue;
		double wt =
		    ((k & 1) ? px - fx : 1 - (px - fx)) * ((k >> 1) ? py - fy : 1 - (py - fy));
		uint32_t p = ((const uint32_t *)(data + (size_t)y * stride))[x];
		for (int c = 0; c < 4; c++)
			acc[c] += wt * ((p >> (8 * c)) & 0xFF);
	}
	uint32_t out = 0;
	for (int c = 0; c < 4; c++)
		out |= (uint32_t)lround(fmin(acc[c], 255)) << (8 * c);
	return out;
}

/* Fills dst (the target's size) from src drawn in view v, through the
 * Mercator positions of the nodes (gw per row). */
static void resample(cairo_surface_t *src, const struct view *v, const struct warp_target *t,
                     const double *nx, const double *ny, int gw, cairo_surface_t *dst)
{
	cairo_surface_flush(src);
	cairo_surface_flush(dst);
	const unsigned char *sd = cairo_image_surface_get_data(src);
	unsigned char *dd = cairo_image_surface_get_data(dst);
	int ss = cairo_image_surface_get_stride(src), ds = cairo_image_surface_get_stride(dst);
	for (int j = 0; j < t->height; j++) {
		int gj = j / WARP_STEP, top = gj * WARP_STEP;
		double fj = (j + 0.5 - top) / (fmin(top + WARP_STEP, t->height) - top);
		uint32_t *row = (uint32_t *)(dd + (size_t)j * ds);
		for (int i = 0; i < t->width; i++) {
			int gi = i / WARP_STEP, left = gi * WARP_STEP;
			double fi = (i + 0.5 - left) / (fmin(left + WARP_STEP, t->width) - left);
			size_t a = (size_t)gj * gw + gi, c = a + gw;
			double mx = (1 - fj) * ((1 - fi) * nx[a] + fi * nx[a + 1]) +
			            fj * ((1 - fi) * nx[c] + fi * nx[c + 1]);
			double my = (1 - fj) * ((1 - fi) * ny[a] + fi * ny[a + 1]) +
			            fj * ((1 - fi) * ny[c] + fi * ny[c + 1]);
			row[i] = sample(sd, ss, v->width, v->height, (mx - v->x0) / v->res - 0.5,
			                (v->y0 - my) / v->res - 0.5);
		}
	}
	cairo_surface_mark_dirty(dst);
}

/* The Mercator view over the nodes' box at no coarser a resolution than
 * the target's, unless that takes more than MAX_SRC_PIXELS. */
static int source_view(const struct warp_target *t, const double *nx, const double *ny, size_t n,
                       struct view *v)
{
	double b[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t k = 0; k < n; k++) {
		b[0] = fmin(b[0], nx[k]);
		b[1] = fmin(b[1], ny[k]);
		b[2] = fmax(b[2], nx[k]);
		b[3] = fmax(b[3], ny[k]);
	}
	double res = fmin((b[2] - b[0]) / t->width, (b[3] - b[1]) / t->height);
	/* A box beyond Web Mercator's latitudes is a line there. */
	if (!(res > 0))
		return err_set_field(ERR_INVALID, "bbox",
		                     "bbox: no extent in Web Mercator, which ends at "
		                     "latitude 85.05 north and south");
	double area = ((b[2] - b[0]) / res + 2 * PAD + 1) * ((b[3] - b[1]) / res + 2 * PAD + 1);
	if (area > MAX_SRC_PIXELS)
		res *= sqrt(area / MAX_SRC_PIXELS) * 1.01; /* the padding does not shrink */
	double fw = ceil((b[2] - b[0]) / res) + 2 * PAD, fh = ceil((b[3] - b[1]) / res) + 2 * PAD;
	if (!(fw <= WARP_MAX_SIZE && fh <= WARP_MAX_SIZE))
		return err_set_field(ERR_INVALID, "bbox",
		                     "bbox: a box this much wider than high (or higher than wide) "
		                     "takes a picture of %.0f x %.0f pixels in Web Mercator",
		                     fw, fh);
	int w = (int)fw, h = (int)fh;
	return view_for_merc(b[0] - PAD * res, b[3] - h * res + PAD * res, b[0] + (w - PAD) * res,
	                     b[3] + PAD * res, w, h, 1, v);
}

/* Whether a Mercator target's pixels are square (to a hundred-thousandth,
 * under a twentieth of a pixel across 4096). */
static int square_merc(const struct warp_target *t)
{
	double sx = (t->box[2] - t->box[0]) / t->width, sy = (t->box[3] - t->box[1]) / t->height;
	return t->frame == WARP_MERCATOR && fabs(sx - sy) <= 1e-5 * fmax(sx, sy);
}

static int warped_image(renderer *r, struct render_request *q, const struct warp_target *t,
                        cairo_surface_t **out)
{
	int gw = (t->width + WARP_STEP - 1) / WARP_STEP + 1;
	int gh = (t->height + WARP_STEP - 1) / WARP_STEP + 1;
	size_t n = (size_t)gw * gh;
	double *nx = malloc(n * sizeof *nx), *ny = malloc(n * sizeof *ny);
	cairo_surface_t *src = NULL, *dst = NULL;
	int rc = 0;
	if (!nx || !ny) {
		rc = err_set(ERR_NOMEM, "warp: out of memory for %zu nodes", n);
		goto out;
	}
	for (int j = 0; j < gh; j++)
		for (int i = 0; i < gw; i++) {
			nx[(size_t)j * gw + i] = fmin(i * WARP_STEP, t->width);
			ny[(size_t)j * gw + i] = fmin(j * WARP_STEP, t->height);
		}
	if ((rc = warp_to_merc(t, nx, ny, n)) < 0 ||
	    (rc = source_view(t, nx, ny, n, &q->view)) < 0 || (rc = render_image(r, q, &src)) < 0)
		goto out;
	dst = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, t->width, t->height);
	if (cairo_surface_status(dst) != CAIRO_STATUS_SUCCESS) {
		rc = err_set(ERR_NOMEM, "warp: no %d x %d image", t->width, t->height);
		goto out;
	}
	resample(src, &q->view, t, nx, ny, gw, dst);
	*out = dst;
	dst = NULL;
out:
	cairo_surface_destroy(src);
	cairo_surface_destroy(dst);
	free(nx);
	free(ny);
	return rc;
}

int warp_picture(renderer *r, const struct render_request *q, const struct warp_target *t,
                 enum warp_format format, unsigned char **out, size_t *len)
{
	struct render_request rq = *q;
	cairo_surface_t *img = NULL;
	int rc = warp_check(t);
	if (rc < 0)
		return rc;
	if (!square_merc(t))
		rc = warped_image(r, &rq, t, &img);
	else if ((rc = view_for_merc(t->box[0], t->box[1], t->box[2], t->box[3], t->width,
	                             t->height, 1, &rq.view)) == 0)
		rc = render_image(r, &rq, &img);
	if (rc < 0)
		goto out;
	if (t->opaque || format == WARP_JPEG) {
		cairo_t *cr = cairo_create(img);
		cairo_set_operator(cr, CAIRO_OPERATOR_DEST_OVER);
		cairo_set_source_rgb(cr, (t->background >> 16 & 0xFF) / 255.0,
		                     (t->background >> 8 & 0xFF) / 255.0,
		                     (t->background & 0xFF) / 255.0);
		cairo_paint(cr);
		cairo_destroy(cr);
	}
	/* JPEG at libjpeg's usual 75 grows blotches around thin lines and labels */
	rc = format == WARP_JPEG ? jpegenc_encode(img, 90, out, len) : pngenc_encode(img, out, len);
out:
	cairo_surface_destroy(img);
	return rc;
}
