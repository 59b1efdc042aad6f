/*
 * locator: a bounding-box prefilter over GEOS prepared geometries. A district
 * has tens of mahallas, so a linear scan of boxes costs less than any tree;
 * the prepared "covers" test does the exact work only for the few candidates.
 * A country has thousands (9,500 mahallas), where the scan of every box
 * costs ten microseconds a point: from GRID_FROM polygons on, a uniform grid
 * of about one cell per polygon, built on the first find after an add,
 * lists in each cell the polygons whose box meets it, in the order they were
 * added, so that the first polygon covering a point is the same either way.
 */
#include "locator.h"

#include "err.h"

#include <geos_c.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct locator_entry {
	char *code;
	double minx, miny, maxx, maxy;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *prep;
};

#define GRID_FROM 64
#define GRID_MAX  1024 /* cells a side */

/* Cell (i, j) lists entries cell[start[j * cols + i] .. start[j * cols + i + 1]). */
struct locator_grid {
	size_t indexed;        /* entries it holds; the locator's n when current */
	double x0, y0, x1, y1; /* the box of every entry */
	double cw, ch;
	size_t cols, rows;
	uint32_t *start, *cell;
};

struct locator {
	GEOSContextHandle_t ctx;
	struct locator_entry *entries;
	size_t n, cap;
	struct locator_grid grid;
};

static void locator_geos_message(const char *fmt, ...)
{
	/* GEOS notices about input are reported through our own errors. */
	(void)fmt;
}

locator *locator_new(void)
{
	locator *loc = calloc(1, sizeof *loc);
	if (!loc)
		return NULL;
	loc->ctx = GEOS_init_r();
	if (!loc->ctx) {
		free(loc);
		return NULL;
	}
	GEOSContext_setNoticeHandler_r(loc->ctx, locator_geos_message);
	GEOSContext_setErrorHandler_r(loc->ctx, locator_geos_message);
	return loc;
}

void locator_free(locator *loc)
{
	if (!loc)
		return;
	for (size_t i = 0; i < loc->n; i++) {
		GEOSPreparedGeom_destroy_r(loc->ctx, loc->entries[i].prep);
		GEOSGeom_destroy_r(loc->ctx, loc->entries[i].geom);
		free(loc->entries[i].code);
	}
	free(loc->entries);
	free(loc->grid.start);
	free(loc->grid.cell);
	GEOS_finish_r(loc->ctx);
	free(loc);
}

int locator_add(locator *loc, const char *code, const unsigned char *wkb, size_t wkb_len)
{
	GEOSWKBReader *reader = NULL;
	GEOSGeometry *geom = NULL;
	const GEOSPreparedGeometry *prep = NULL;
	char *code_copy = NULL;
	int rc = 0;

	if (loc->n == loc->cap) {
		size_t cap = loc->cap ? loc->cap * 2 : 64;
		struct locator_entry *e = realloc(loc->entries, cap * sizeof *e);
		if (!e)
			return err_set(ERR_NOMEM, "locator: out of memory");
		loc->entries = e;
		loc->cap = cap;
	}
	reader = GEOSWKBReader_create_r(loc->ctx);
	if (!reader) {
		rc = err_set(ERR_NOMEM, "locator: out of memory");
		goto out;
	}
	geom = GEOSWKBReader_read_r(loc->ctx, reader, wkb, wkb_len);
	if (!geom) {
		rc = err_set(ERR_GEOMETRY, "locator: polygon %s: unreadable WKB", code);
		goto out;
	}
	prep = GEOSPrepare_r(loc->ctx, geom);
	code_copy = strdup(code);
	if (!prep || !code_copy) {
		rc = err_set(ERR_NOMEM, "locator: out of memory");
		goto out;
	}
	struct locator_entry *e = &loc->entries[loc->n];
	if (!GEOSGeom_getXMin_r(loc->ctx, geom, &e->minx) ||
	    !GEOSGeom_getYMin_r(loc->ctx, geom, &e->miny) ||
	    !GEOSGeom_getXMax_r(loc->ctx, geom, &e->maxx) ||
	    !GEOSGeom_getYMax_r(loc->ctx, geom, &e->maxy)) {
		rc = err_set(ERR_GEOMETRY, "locator: polygon %s is empty", code);
		goto out;
	}
	e->code = code_copy;
	e->geom = geom;
	e->prep = prep;
	loc->n++;
	code_copy = NULL;
	geom = NULL;
	prep = NULL;
out:
	free(code_copy);
	if (prep)
		GEOSPreparedGeom_destroy_r(loc->ctx, prep);
	if (geom)
		GEOSGeom_destroy_r(loc->ctx, geom);
	if (reader)
		GEOSWKBReader_destroy_r(loc->ctx, reader);
	return rc;
}

/* The grid's column (or row) of x, clamped to the grid. */
static size_t grid_at(double x, double x0, double w, size_t n)
{
	double i = floor((x - x0) / w);
	return i < 0 ? 0 : i >= (double)n ? n - 1 : (size_t)i;
}

/* Builds the grid of the entries; leaves none (indexed 0) when memory runs
 * out, and the finds scan every box. */
static void grid_build(locator *loc)
{
	struct locator_grid *g = &loc->grid;
	double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
	free(g->start);
	free(g->cell);
	memset(g, 0, sizeof *g);
	for (size_t i = 0; i < loc->n; i++) {
		const struct locator_entry *e = &loc->entries[i];
		minx = fmin(minx, e->minx);
		miny = fmin(miny, e->miny);
		maxx = fmax(maxx, e->maxx);
		maxy = fmax(maxy, e->maxy);
	}
	double side = sqrt((maxx - minx) * (maxy - miny) / (double)loc->n);
	g->cols = side > 0 ? (size_t)fmin(ceil((maxx - minx) / side), GRID_MAX) : 1;
	g->rows = side > 0 ? (size_t)fmin(ceil((maxy - miny) / side), GRID_MAX) : 1;
	g->x0 = minx;
	g->y0 = miny;
	g->x1 = maxx;
	g->y1 = maxy;
	g->cw = maxx > minx ? (maxx - minx) / (double)g->cols : 1;
	g->ch = maxy > miny ? (maxy - miny) / (double)g->rows : 1;
	size_t cells = g->cols * g->rows, total = 0;
	if (!(g->start = calloc(cells + 1, sizeof *g->start)))
		return;
	/* Count each cell's entries, turn the counts into starts, then fill. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < loc->n; k++) {
			const struct locator_entry *e = &loc->entries[k];
			size_t i0 = grid_at(e->minx, g->x0, g->cw, g->cols),
			       i1 = grid_at(e->maxx, g->x0, g->cw, g->cols),
			       j0 = grid_at(e->miny, g->y0, g->ch, g->rows),
			       j1 = grid_at(e->maxy, g->y0, g->ch, g->rows);
			for (size_t j = j0; j <= j1; j++)
				for (size_t i = i0; i <= i1; i++) {
					size_t c = j * g->cols + i;
					if (pass == 0)
						total++, g->start[c + 1]++;
					else
						g->cell[g->start[c + 1]++] = (uint32_t)k;
				}
		}
		if (pass == 1)
			break;
		if (total > UINT32_MAX || !(g->cell = malloc(total * sizeof *g->cell))) {
			free(g->start);
			g->start = NULL;
			return;
		}
		/* start[c + 1] is where cell c is filled from, and ends where it ends. */
		for (size_t c = 1; c <= cells; c++)
			g->start[c] += g->start[c - 1];
		memmove(g->start + 1, g->start, cells * sizeof *g->start);
		g->start[0] = 0;
	}
	g->indexed = loc->n;
}

const char *locator_find(locator *loc, double lon, double lat)
{
	const struct locator_grid *g = &loc->grid;
	const uint32_t *list = NULL; /* the candidates: the point's cell, or every entry */
	size_t n = loc->n;
	GEOSGeometry *pt = NULL;
	const char *found = NULL;

	if (loc->n >= GRID_FROM && g->indexed != loc->n)
		grid_build(loc);
	if (g->indexed == loc->n && g->start) {
		if (lon < g->x0 || lat < g->y0 || lon > g->x1 || lat > g->y1)
			return NULL;
		size_t c = grid_at(lat, g->y0, g->ch, g->rows) * g->cols +
		           grid_at(lon, g->x0, g->cw, g->cols);
		list = g->cell + g->start[c];
		n = g->start[c + 1] - g->start[c];
	}
	for (size_t k = 0; k < n && !found; k++) {
		const struct locator_entry *e = &loc->entries[list ? list[k] : k];
		if (lon < e->minx || lon > e->maxx || lat < e->miny || lat > e->maxy)
			continue;
		if (!pt && !(pt = GEOSGeom_createPointFromXY_r(loc->ctx, lon, lat)))
			return NULL;
		if (GEOSPreparedCovers_r(loc->ctx, e->prep, pt) == 1)
			found = e->code;
	}
	if (pt)
		GEOSGeom_destroy_r(loc->ctx, pt);
	return found;
}
