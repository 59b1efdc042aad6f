#include "utm.h"

#include "err.h"
#include "tilemath.h"

#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>

struct utm {
	PJ_CONTEXT *ctx;
	PJ *pj; /* EPSG:4326 -> frame, lon/lat order */
	int epsg;
	char crs[24];
};

int utm_zone_epsg(double lon, double lat)
{
	int zone = (int)floor((lon + 180.0) / 6.0) + 1;
	if (zone < 1)
		zone = 1;
	if (zone > 60)
		zone = 60;
	return (lat >= 0 ? 32600 : 32700) + zone;
}

int utm_open(int epsg, utm **out)
{
	utm *u = calloc(1, sizeof *u);
	*out = NULL;
	if (!u || !(u->ctx = proj_context_create())) {
		free(u);
		return err_set(ERR_NOMEM, "utm: out of memory");
	}
	u->epsg = epsg;
	snprintf(u->crs, sizeof u->crs, "EPSG:%d", epsg);
	PJ *p = proj_create_crs_to_crs(u->ctx, "EPSG:4326", u->crs, NULL);
	u->pj = p ? proj_normalize_for_visualization(u->ctx, p) : NULL;
	proj_destroy(p);
	if (!u->pj) {
		int rc = err_set(ERR_PROJ, "no transformation from EPSG:4326 to %s: %s", u->crs,
		                 proj_context_errno_string(u->ctx, proj_context_errno(u->ctx)));
		utm_free(u);
		return rc;
	}
	*out = u;
	return 0;
}

void utm_free(utm *u)
{
	if (!u)
		return;
	proj_destroy(u->pj);
	proj_context_destroy(u->ctx);
	free(u);
}

int utm_epsg(const utm *u)
{
	return u->epsg;
}

const char *utm_crs(const utm *u)
{
	return u->crs;
}

static int trans(utm *u, PJ_DIRECTION dir, double *x, double *y, size_t n)
{
	if (n && proj_trans_generic(u->pj, dir, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL,
	                            0, 0) != n)
		return err_set(ERR_PROJ, "transforming %s %s failed", dir == PJ_FWD ? "to" : "from",
		               u->crs);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return err_set(ERR_PROJ, "point %zu cannot be transformed %s %s", i,
			               dir == PJ_FWD ? "to" : "from", u->crs);
	return 0;
}

int utm_forward(utm *u, double *x, double *y, size_t n)
{
	return trans(u, PJ_FWD, x, y, n);
}

int utm_inverse(utm *u, double *x, double *y, size_t n)
{
	return trans(u, PJ_INV, x, y, n);
}

double utm_point_scale(utm *u, double lon, double lat)
{
	/* proj_factors() wants the projection's own angular units (radians)
	 * and a projected CRS: ask the target CRS itself. */
	PJ *target = proj_get_target_crs(u->ctx, u->pj);
	double k = 1.0;
	if (target) {
		PJ_FACTORS f =
		    proj_factors(target, proj_coord(proj_torad(lon), proj_torad(lat), 0, 0));
		if (proj_errno(target) == 0)
			k = f.meridional_scale;
		proj_errno_reset(target);
		proj_destroy(target);
	}
	return isfinite(k) && k > 0.5 && k < 2 ? k : 1.0;
}

int utm_box_lonlat(utm *u, const double box[4], double out[4])
{
	enum { N = 9 };
	double x[N * 4], y[N * 4];
	size_t n = 0;
	for (int i = 0; i < N; i++) {
		double t = i / (double)(N - 1);
		double xs[4] = {box[0] + t * (box[2] - box[0]), box[0] + t * (box[2] - box[0]),
		                box[0], box[2]};
		double ys[4] = {box[1], box[3], box[1] + t * (box[3] - box[1]),
		                box[1] + t * (box[3] - box[1])};
		for (int k = 0; k < 4; k++, n++) {
			x[n] = xs[k];
			y[n] = ys[k];
		}
	}
	int rc = utm_inverse(u, x, y, n);
	if (rc < 0)
		return rc;
	out[0] = out[2] = x[0];
	out[1] = out[3] = y[0];
	for (size_t i = 1; i < n; i++) {
		out[0] = fmin(out[0], x[i]);
		out[2] = fmax(out[2], x[i]);
		out[1] = fmin(out[1], y[i]);
		out[3] = fmax(out[3], y[i]);
	}
	/* The edges bow between the sampled points by far less than this. */
	double pad = 1e-4 * fmax(out[2] - out[0], out[3] - out[1]) + 1e-7;
	out[0] -= pad;
	out[1] -= pad;
	out[2] += pad;
	out[3] += pad;
	return 0;
}

int utm_box_merc(utm *u, const double box[4], double out[4])
{
	double ll[4];
	int rc = utm_box_lonlat(u, box, ll);
	if (rc < 0)
		return rc;
	tile_lonlat_to_merc(ll[0], fmax(ll[1], -TILE_MAX_LAT), &out[0], &out[1]);
	tile_lonlat_to_merc(ll[2], fmin(ll[3], TILE_MAX_LAT), &out[2], &out[3]);
	return 0;
}

int utm_box_from_merc(utm *u, const double merc[4], double out[4])
{
	/* Eight points along each edge, ends included: UTM bends the edges. */
	enum { PER_EDGE = 8, N = 4 * PER_EDGE };
	double x[N], y[N];
	for (int k = 0; k < N; k++) {
		int edge = k / PER_EDGE;
		double t = (k % PER_EDGE) / (double)(PER_EDGE - 1);
		double mx = edge < 2 ? merc[0] + t * (merc[2] - merc[0]) : merc[edge == 2 ? 0 : 2];
		double my = edge < 2 ? merc[edge == 0 ? 1 : 3] : merc[1] + t * (merc[3] - merc[1]);
		tile_merc_to_lonlat(mx, my, &x[k], &y[k]);
	}
	int rc = utm_forward(u, x, y, N);
	if (rc < 0)
		return rc;
	out[0] = out[1] = INFINITY;
	out[2] = out[3] = -INFINITY;
	for (int k = 0; k < N; k++) {
		out[0] = fmin(out[0], x[k]), out[2] = fmax(out[2], x[k]);
		out[1] = fmin(out[1], y[k]), out[3] = fmax(out[3], y[k]);
	}
	return 0;
}
