/*
 * view: where a picture lies on the map.
 *
 * A view maps frame coordinates (Web Mercator metres for tiles, a UTM zone's
 * metres for print) to device pixels of an image: an origin, a resolution
 * and a size, plus what styles need to size things: the scale (device
 * pixels per style pixel: 1, 2 for @2x tiles, dpi / 96 on paper), the zoom
 * that style zoom functions read, and the ground metres per frame metre at
 * the view's centre (cos φ for Web Mercator, about 1 for UTM).
 *
 * Every layer painter draws into a cairo_t whose user space is the device
 * pixels of the view.
 */
#ifndef POSBON_VIEW_H
#define POSBON_VIEW_H

/* Frame units per device pixel of a view_for_merc() view: a position as
 * far out as the world's other side stays in an int's pixels. */
#define VIEW_MIN_RES 1e-2
#define VIEW_MAX_RES 1e7

struct view {
	double x0, y0;     /* frame coordinates of the image's top-left corner */
	double res;        /* frame units per device pixel */
	int width, height; /* device pixels */
	double scale;      /* device pixels per style pixel */
	double zoom;       /* zoom for style functions */
	double ground;     /* ground metres per frame unit at the centre */
	int mercator;      /* the frame is EPSG:3857 */
};

/* The view of tile z/x/y at tile_px device pixels (256, or 512 for @2x:
 * scale = tile_px / 256). ERR_INVALID for a tile outside the zoom's range. */
int view_for_tile(int z, long x, long y, int tile_px, struct view *out);

/* The view of a lon/lat box drawn at width x height device pixels (Web
 * Mercator; the box is widened in one direction to keep pixels square) at
 * the given scale. ERR_INVALID for an empty or out-of-range box or size. */
int view_for_bbox(double west, double south, double east, double north, int width, int height,
                  double scale, struct view *out);

/* The same for a Web Mercator box (metres), widened alike. */
int view_for_merc(double minx, double miny, double maxx, double maxy, int width, int height,
                  double scale, struct view *out);

/* Device pixel of a frame position. */
static inline void view_to_px(const struct view *v, double fx, double fy, double *px, double *py)
{
	*px = (fx - v->x0) / v->res;
	*py = (v->y0 - fy) / v->res;
}

/* The frame box (minx, miny, maxx, maxy) the view shows, padded by pad
 * device pixels on every side. */
void view_frame_box(const struct view *v, double pad_px, double out[4]);

/* The part of segment a-b inside box (minx, miny, maxx, maxy) as parameters
 * t0 <= t1 of it (Liang-Barsky); 0 when none is. */
int view_clip_segment(const double a[2], const double b[2], const double box[4], double *t0,
                      double *t1);

#endif
