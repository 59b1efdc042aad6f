/*
 * ringfix: lines chained into rings. A MultiLineString has a handful of
 * pieces, so each step looks at every unused piece for the one nearest to
 * the chain's end (quadratic in pieces, nothing in vertices).
 */
#include "ringfix.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>

double ringfix_distance_m(double lon1, double lat1, double lon2, double lat2)
{
	const double r = 6371008.8, rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(fmin(1, sqrt(a)));
}

/* The first (last = 0) or last vertex of a line or ring. */
static void end_of(OGRGeometryH g, int last, double *x, double *y)
{
	int i = last ? OGR_G_GetPointCount(g) - 1 : 0;
	*x = OGR_G_GetX(g, i);
	*y = OGR_G_GetY(g, i);
}

static double ends_apart(OGRGeometryH a, int a_last, OGRGeometryH b, int b_last)
{
	double ax, ay, bx, by;
	end_of(a, a_last, &ax, &ay);
	end_of(b, b_last, &bx, &by);
	return ringfix_distance_m(ax, ay, bx, by);
}

/* Appends the vertices of piece to ring, backwards when reversed, without
 * repeating the vertex where they join. */
static void append(OGRGeometryH ring, OGRGeometryH piece, int reversed)
{
	int n = OGR_G_GetPointCount(piece);
	for (int k = 0; k < n; k++) {
		int i = reversed ? n - 1 - k : k;
		double x = OGR_G_GetX(piece, i), y = OGR_G_GetY(piece, i);
		int m = OGR_G_GetPointCount(ring);
		if (m && OGR_G_GetX(ring, m - 1) == x && OGR_G_GetY(ring, m - 1) == y)
			continue;
		OGR_G_AddPoint_2D(ring, x, y);
	}
}

int ringfix_close(OGRGeometryH lines, double tol_m, OGRGeometryH *out, double *gap_m)
{
	OGRwkbGeometryType type = wkbFlatten(OGR_G_GetGeometryType(lines));
	int multi = type == wkbMultiLineString;
	int n = multi ? OGR_G_GetGeometryCount(lines) : 1;
	OGRGeometryH mp = NULL, ring = NULL;
	char *used = NULL;
	int rc = 0;

	*out = NULL;
	*gap_m = 0;
	if (!multi && type != wkbLineString)
		return err_set(ERR_GEOMETRY, "a %s is not a line", OGRGeometryTypeToName(type));
	if (!(used = calloc((size_t)n + 1, 1)) || !(mp = OGR_G_CreateGeometry(wkbMultiPolygon))) {
		rc = err_set(ERR_NOMEM, "ringfix: out of memory");
		goto out;
	}
	for (int start = 0; start < n; start++) {
		OGRGeometryH first = multi ? OGR_G_GetGeometryRef(lines, start) : lines;
		if (used[start] || OGR_G_GetPointCount(first) == 0)
			continue;
		used[start] = 1;
		if (!(ring = OGR_G_CreateGeometry(wkbLinearRing))) {
			rc = err_set(ERR_NOMEM, "ringfix: out of memory");
			goto out;
		}
		append(ring, first, 0);
		for (;;) {
			double closing = ends_apart(ring, 1, ring, 0);
			if (closing <= tol_m) {
				*gap_m = fmax(*gap_m, closing);
				double x, y, lx, ly;
				end_of(ring, 0, &x, &y);
				end_of(ring, 1, &lx, &ly);
				if (x != lx || y != ly)
					OGR_G_AddPoint_2D(ring, x, y);
				break;
			}
			/* The unused piece with an end nearest to the chain's end. */
			int best = -1, best_rev = 0;
			double best_d = INFINITY;
			for (int p = 0; p < n; p++) {
				if (used[p] ||
				    OGR_G_GetPointCount(OGR_G_GetGeometryRef(lines, p)) == 0)
					continue;
				for (int rev = 0; rev < 2; rev++) {
					double d = ends_apart(ring, 1,
					                      OGR_G_GetGeometryRef(lines, p), rev);
					if (d < best_d) {
						best = p;
						best_rev = rev;
						best_d = d;
					}
				}
			}
			if (best < 0 || best_d > tol_m) {
				*gap_m = closing;
				rc = err_set(ERR_GEOMETRY,
				             "the line's ends are %.1f m apart, more than the %g m "
				             "that closes a boundary",
				             closing, tol_m);
				goto out;
			}
			*gap_m = fmax(*gap_m, best_d);
			used[best] = 1;
			append(ring, OGR_G_GetGeometryRef(lines, best), best_rev);
		}
		/* A ring is three corners and the first again: a line of one or
		 * two points whose ends meet encloses nothing. */
		if (OGR_G_GetPointCount(ring) < 4) {
			rc = err_set(ERR_GEOMETRY,
			             "boundary line not closed: %d points enclose nothing",
			             OGR_G_GetPointCount(ring));
			goto out;
		}
		OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
		if (!poly || OGR_G_AddGeometryDirectly(poly, ring) != OGRERR_NONE) {
			OGR_G_DestroyGeometry(poly);
			rc = err_set(ERR_NOMEM, "ringfix: out of memory");
			goto out;
		}
		ring = NULL;
		if (OGR_G_AddGeometryDirectly(mp, poly) != OGRERR_NONE) {
			OGR_G_DestroyGeometry(poly);
			rc = err_set(ERR_NOMEM, "ringfix: out of memory");
			goto out;
		}
	}
	if (OGR_G_GetGeometryCount(mp) == 0) {
		rc = err_set(ERR_GEOMETRY, "the line has no points");
		goto out;
	}
	*out = mp;
	mp = NULL;
out:
	OGR_G_DestroyGeometry(ring);
	OGR_G_DestroyGeometry(mp);
	free(used);
	return rc;
}
