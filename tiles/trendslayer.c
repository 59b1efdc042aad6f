#include "trendslayer.h"

#include "err.h"
#include "gistarlayer.h"
#include "utm.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct trendslayer {
	pthread_mutex_t lock;
	int valid; /* res, u and the key below describe the last computation */
	struct dataset_filter filter;
	int weeks;
	double cell, band;
	unsigned long version, generation;
	struct trends_result res;
	utm *u;
};

int trendslayer_new(trendslayer **out)
{
	trendslayer *t = calloc(1, sizeof *t);
	*out = t;
	if (!t)
		return err_set(ERR_NOMEM, "trends layer: out of memory");
	pthread_mutex_init(&t->lock, NULL);
	return 0;
}

static void forget(trendslayer *t)
{
	trends_result_free(&t->res);
	utm_free(t->u);
	t->u = NULL;
	t->valid = 0;
}

void trendslayer_free(trendslayer *t)
{
	if (!t)
		return;
	forget(t);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static int same_key(const trendslayer *t, const struct trends_params *p, unsigned long version,
                    unsigned long generation)
{
	return t->valid && t->version == version && t->generation == generation &&
	       t->weeks == p->weeks && t->cell == p->cell && t->band == p->band &&
	       !memcmp(&t->filter, &p->filter, sizeof p->filter);
}

/* Brings the cached result up to p, version and generation. An analysis
 * refused as invalid leaves no result and is no error: the layer is then
 * empty. */
static int refresh(trendslayer *t, const dataset *ds, const shapes *sh,
                   const struct trends_params *p, unsigned long version, unsigned long generation)
{
	if (same_key(t, p, version, generation))
		return 0;
	forget(t);
	struct trends_params q = {
	    .filter = p->filter, .weeks = p->weeks, .cell = p->cell, .band = p->band};
	int rc = trends_run(ds, sh, &q, &t->res);
	if (rc == ERR_INVALID)
		rc = 0; /* nothing to classify under these parameters */
	else if (rc == 0)
		rc = utm_open(t->res.grid.epsg, &t->u);
	if (rc < 0) {
		forget(t);
		return rc;
	}
	t->filter = p->filter;
	t->weeks = p->weeks;
	t->cell = p->cell;
	t->band = p->band;
	t->version = version;
	t->generation = generation;
	t->valid = 1;
	return 0;
}

int trendslayer_paint(trendslayer *t, cairo_t *cr, const struct view *v, const dataset *ds,
                      const shapes *sh, const struct trends_params *p, const struct style_trends *s,
                      unsigned long version, unsigned long generation)
{
	pthread_mutex_lock(&t->lock);
	int rc = refresh(t, ds, sh, p, version, generation);
	if (rc == 0 && t->u)
		rc = gistarlayer_fill_classes(cr, v, NULL, t->u, &t->res.grid, t->res.category,
		                              1 - TRENDS_PATTERNS, TRENDS_PATTERNS - 1, s->colours,
		                              s->opacity);
	pthread_mutex_unlock(&t->lock);
	return rc;
}

int trendslayer_feature_at(trendslayer *t, const dataset *ds, const shapes *sh,
                           const struct trends_params *p, unsigned long version,
                           unsigned long generation, double lon, double lat, json_t **out)
{
	*out = NULL;
	pthread_mutex_lock(&t->lock);
	int rc = refresh(t, ds, sh, p, version, generation), found = 0;
	double x = lon, y = lat;
	if (rc == 0 && t->u && (rc = utm_forward(t->u, &x, &y, 1)) == 0) {
		const struct gistar_result *g = &t->res.grid;
		double fi = floor((x - g->x0) / g->cell), fj = floor((g->y0 - y) / g->cell);
		if (fi >= 0 && fi < g->width && fj >= 0 && fj < g->height) {
			size_t c = (size_t)fj * (size_t)g->width + (size_t)fi;
			if (g->mask[c] && (rc = trends_cell_feature(&t->res, t->u, c, out)) == 0)
				found = 1;
		}
	}
	pthread_mutex_unlock(&t->lock);
	return rc < 0 ? rc : found;
}
