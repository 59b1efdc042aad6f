#include "gistarlayer.h"

#include "err.h"
#include "gistar.h"
#include "tilemath.h"
#include "utm.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct gistarlayer {
	pthread_mutex_t lock;
	int valid; /* res, u and the key below describe the last computation */
	struct dataset_filter filter;
	unsigned long version, generation;
	struct gistar_result res;
	utm *u;
};

/* ArcGIS's Hot Spot Analysis colours, cold 99% .. hot 99% (bin + 3). */
static const unsigned char colours[7][3] = {
    {69, 117, 181},  {132, 158, 186}, {192, 204, 190}, {0, 0, 0},
    {250, 185, 132}, {237, 117, 81},  {214, 47, 39},
};
#define CELL_ALPHA 0.75

int gistarlayer_new(gistarlayer **out)
{
	gistarlayer *g = calloc(1, sizeof *g);
	*out = g;
	if (!g)
		return err_set(ERR_NOMEM, "gistar layer: out of memory");
	pthread_mutex_init(&g->lock, NULL);
	return 0;
}

static void forget(gistarlayer *g)
{
	gistar_result_free(&g->res);
	utm_free(g->u);
	g->u = NULL;
	g->valid = 0;
}

void gistarlayer_free(gistarlayer *g)
{
	if (!g)
		return;
	forget(g);
	pthread_mutex_destroy(&g->lock);
	free(g);
}

/* Brings the cached result up to f, version and generation. An empty
 * filter leaves no result and is no error: the layer is then empty. */
static int refresh(gistarlayer *g, const dataset *ds, const shapes *sh,
                   const struct dataset_filter *f, unsigned long version, unsigned long generation)
{
	if (g->valid && g->version == version && g->generation == generation &&
	    !memcmp(&g->filter, f, sizeof *f))
		return 0;
	forget(g);
	struct gistar_params p = {.filter = *f};
	int rc = gistar_run(ds, sh, &p, &g->res);
	if (rc == ERR_INVALID)
		rc = 0; /* nothing to test under this filter: an empty layer */
	if (rc == 0 && g->res.count)
		rc = utm_open(g->res.epsg, &g->u);
	if (rc < 0) {
		forget(g);
		return rc;
	}
	g->filter = *f;
	g->version = version;
	g->generation = generation;
	g->valid = 1;
	return 0;
}

/* Fills cell (i, j) of r: its corners from UTM to the view's pixels. */
static int fill_cell(cairo_t *cr, const struct view *v, utm *u, const struct gistar_result *r,
                     int i, int j)
{
	double x[4], y[4];
	for (int k = 0; k < 4; k++) {
		x[k] = r->x0 + (i + (k == 1 || k == 2)) * r->cell;
		y[k] = r->y0 - (j + (k >= 2)) * r->cell;
	}
	int rc = utm_inverse(u, x, y, 4);
	if (rc < 0)
		return rc;
	for (int k = 0; k < 4; k++) {
		double mx, my;
		tile_lonlat_to_merc(x[k], y[k], &mx, &my);
		view_to_px(v, mx, my, &x[k], &y[k]);
	}
	cairo_move_to(cr, x[0], y[0]);
	cairo_line_to(cr, x[1], y[1]);
	cairo_line_to(cr, x[2], y[2]);
	cairo_line_to(cr, x[3], y[3]);
	cairo_close_path(cr);
	return 0;
}

int gistarlayer_paint(gistarlayer *g, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct dataset_filter *f, unsigned long version,
                      unsigned long generation)
{
	pthread_mutex_lock(&g->lock);
	int rc = refresh(g, ds, sh, f, version, generation);
	const struct gistar_result *r = &g->res;
	double merc[4], box[4];
	if (rc < 0 || !r->count)
		goto out;
	view_frame_box(v, 1, merc);
	if ((rc = utm_box_from_merc(g->u, merc, box)) < 0)
		goto out;
	/* The cells the view may touch, each bin filled in one go. */
	int i0 = (int)fmax(0, floor((box[0] - r->x0) / r->cell));
	int i1 = (int)fmin(r->width - 1, floor((box[2] - r->x0) / r->cell));
	int j0 = (int)fmax(0, floor((r->y0 - box[3]) / r->cell));
	int j1 = (int)fmin(r->height - 1, floor((r->y0 - box[1]) / r->cell));
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	for (int b = -3; b <= 3 && rc == 0; b++) {
		if (!b)
			continue;
		for (int j = j0; j <= j1 && rc == 0; j++)
			for (int i = i0; i <= i1 && rc == 0; i++)
				if (r->bin[(size_t)j * r->width + i] == b)
					rc = fill_cell(cr, v, g->u, r, i, j);
		const unsigned char *c = colours[b + 3];
		cairo_set_source_rgba(cr, c[0] / 255.0, c[1] / 255.0, c[2] / 255.0, CELL_ALPHA);
		cairo_fill(cr);
	}
	cairo_restore(cr);
out:
	pthread_mutex_unlock(&g->lock);
	return rc;
}
