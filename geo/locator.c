/*
 * locator: a bounding-box prefilter over GEOS prepared geometries. A district
 * has tens of mahallas, so a linear scan of boxes costs less than any tree;
 * the prepared "covers" test does the exact work only for the few candidates.
 */
#include "locator.h"

#include "err.h"

#include <geos_c.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct locator_entry {
	char *code;
	double minx, miny, maxx, maxy;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *prep;
};

struct locator {
	GEOSContextHandle_t ctx;
	struct locator_entry *entries;
	size_t n, cap;
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

const char *locator_find(const locator *loc, double lon, double lat)
{
	GEOSGeometry *pt = NULL;
	const char *found = NULL;

	for (size_t i = 0; i < loc->n && !found; i++) {
		const struct locator_entry *e = &loc->entries[i];
		if (lon < e->minx || lon > e->maxx || lat < e->miny || lat > e->maxy)
			continue;
		if (!pt) {
			pt = GEOSGeom_createPointFromXY_r(loc->ctx, lon, lat);
			if (!pt)
				return NULL;
		}
		if (GEOSPreparedCovers_r(loc->ctx, e->prep, pt) == 1)
			found = e->code;
	}
	if (pt)
		GEOSGeom_destroy_r(loc->ctx, pt);
	return found;
}
