/*
 * tilemath: closed-form spherical Mercator. Every tile request passes through
 * here a few times (bounds, row scales, cover for invalidation), so it is
 * plain arithmetic with no allocation; PROJ is not needed for EPSG:3857 on
 * its own sphere and would cost a context per thread.
 */
#include "tilemath.h"

#include "err.h"
#include "numtext.h"

#include <math.h>

#define TILE_PI 3.14159265358979323846
/* Fraction of a tile within which a box edge counts as lying on a tile edge
 * (1e-9 of a tile is 0.01 µm at z 22): absorbs lon/lat round trips. */
#define TILE_EDGE_EPS 1e-9

static double tile_world_tiles(int z)
{
	return ldexp(1.0, z);
}

int tile_check(int z, long x, long y)
{
	if (z < 0 || z > TILE_MAX_ZOOM)
		return err_set_field(ERR_INVALID, "tile", "tile: zoom %d is outside 0..%d", z,
		                     TILE_MAX_ZOOM);
	long n = 1L << z;
	if (x < 0 || x >= n)
		return err_set_field(ERR_INVALID, "tile",
		                     "tile: x %ld is outside 0..%ld at zoom %d", x, n - 1, z);
	if (y < 0 || y >= n)
		return err_set_field(ERR_INVALID, "tile",
		                     "tile: y %ld is outside 0..%ld at zoom %d", y, n - 1, z);
	return 0;
}

int tile_parse(const char *text, int *z, long *x, long *y)
{
	double v[3];
	if (numtext_list(text, '/', v, 3) < 0)
		return err_set_field(ERR_INVALID, "tile", "tile: '%s' is not Z/X/Y", text);
	/* Whole and in range before they are converted. */
	for (int k = 0; k < 3; k++)
		if (!(v[k] >= 0 && v[k] < 1L << TILE_MAX_ZOOM) || v[k] != floor(v[k]))
			return err_set_field(ERR_INVALID, "tile",
			                     "tile: '%s' is not Z/X/Y in whole numbers 0 to %ld",
			                     text, (1L << TILE_MAX_ZOOM) - 1);
	*z = (int)v[0];
	*x = (long)v[1];
	*y = (long)v[2];
	return tile_check(*z, *x, *y);
}

int tile_check_size(int tile_px)
{
	if (tile_px < 1 || tile_px > TILE_MAX_SIZE)
		return err_set_field(ERR_INVALID, "tile", "tile: size %d px is outside 1..%d",
		                     tile_px, TILE_MAX_SIZE);
	return 0;
}

static double tile_clamp_lat(double lat)
{
	if (lat > TILE_MAX_LAT)
		return TILE_MAX_LAT;
	if (lat < -TILE_MAX_LAT)
		return -TILE_MAX_LAT;
	return lat;
}

static int tile_check_lonlat(double lon, double lat)
{
	if (!isfinite(lon) || lon < -180.0 || lon > 180.0)
		return err_set_field(ERR_INVALID, "tile", "tile: longitude %g is outside -180..180",
		                     lon);
	if (!isfinite(lat) || lat < -90.0 || lat > 90.0)
		return err_set_field(ERR_INVALID, "tile", "tile: latitude %g is outside -90..90",
		                     lat);
	return 0;
}

int tile_lonlat_to_merc(double lon, double lat, double *x, double *y)
{
	int rc = tile_check_lonlat(lon, lat);
	if (rc < 0)
		return rc;
	double phi = tile_clamp_lat(lat) * (TILE_PI / 180.0);
	*x = TILE_EARTH_RADIUS * lon * (TILE_PI / 180.0);
	*y = TILE_EARTH_RADIUS * log(tan(TILE_PI / 4.0 + phi / 2.0));
	return 0;
}

void tile_merc_to_lonlat(double x, double y, double *lon, double *lat)
{
	*lon = x / TILE_EARTH_RADIUS * (180.0 / TILE_PI);
	*lat = atan(sinh(y / TILE_EARTH_RADIUS)) * (180.0 / TILE_PI);
}

void tile_bounds_merc(int z, long x, long y, struct tile_bounds *out)
{
	double size = 2.0 * TILE_ORIGIN_SHIFT / tile_world_tiles(z);
	out->minx = -TILE_ORIGIN_SHIFT + (double)x * size;
	out->maxx = -TILE_ORIGIN_SHIFT + (double)(x + 1) * size;
	out->maxy = TILE_ORIGIN_SHIFT - (double)y * size;
	out->miny = TILE_ORIGIN_SHIFT - (double)(y + 1) * size;
}

void tile_bounds_lonlat(int z, long x, long y, struct tile_bounds *out)
{
	struct tile_bounds m;
	tile_bounds_merc(z, x, y, &m);
	tile_merc_to_lonlat(m.minx, m.miny, &out->minx, &out->miny);
	tile_merc_to_lonlat(m.maxx, m.maxy, &out->maxx, &out->maxy);
}

double tile_merc_per_pixel(int z, int tile_px)
{
	return 2.0 * TILE_ORIGIN_SHIFT / ((double)tile_px * tile_world_tiles(z));
}

double tile_scale_factor(double lat)
{
	return cos(lat * (TILE_PI / 180.0));
}

double tile_scale_factor_merc(double y)
{
	return 1.0 / cosh(y / TILE_EARTH_RADIUS);
}

double tile_ground_resolution(int z, int tile_px, double lat)
{
	return tile_merc_per_pixel(z, tile_px) * tile_scale_factor(lat);
}

void tile_pixel_to_merc(int z, long x, long y, int tile_px, double px, double py, double *mx,
                        double *my)
{
	struct tile_bounds b;
	tile_bounds_merc(z, x, y, &b);
	double res = tile_merc_per_pixel(z, tile_px);
	*mx = b.minx + px * res;
	*my = b.maxy - py * res;
}

void tile_merc_to_pixel(int z, long x, long y, int tile_px, double mx, double my, double *px,
                        double *py)
{
	struct tile_bounds b;
	tile_bounds_merc(z, x, y, &b);
	double res = tile_merc_per_pixel(z, tile_px);
	*px = (mx - b.minx) / res;
	*py = (b.maxy - my) / res;
}

void tile_row_scales(int z, long y, int tile_px, double *scale)
{
	double res = tile_merc_per_pixel(z, tile_px);
	double top =
	    TILE_ORIGIN_SHIFT - (double)y * (2.0 * TILE_ORIGIN_SHIFT / tile_world_tiles(z));
	for (int j = 0; j < tile_px; j++)
		scale[j] = tile_scale_factor_merc(top - ((double)j + 0.5) * res);
}

/* Position in tiles (fractional) of Mercator metres along x, and down from
 * the north edge along y. */
static double tile_fx(double mx, double n)
{
	return (mx + TILE_ORIGIN_SHIFT) / (2.0 * TILE_ORIGIN_SHIFT) * n;
}

static double tile_fy(double my, double n)
{
	return (TILE_ORIGIN_SHIFT - my) / (2.0 * TILE_ORIGIN_SHIFT) * n;
}

static long tile_clamp_index(double v, long n)
{
	if (v < 0.0)
		return 0;
	if (v > (double)(n - 1))
		return n - 1;
	return (long)v;
}

int tile_cover(int z, double west, double south, double east, double north, struct tile_range *out)
{
	int rc = 0;
	double wx, sy, ex, ny;

	if (z < 0 || z > TILE_MAX_ZOOM)
		return err_set_field(ERR_INVALID, "tile", "tile: zoom %d is outside 0..%d", z,
		                     TILE_MAX_ZOOM);
	if ((rc = tile_check_lonlat(west, south)) < 0 || (rc = tile_check_lonlat(east, north)) < 0)
		return rc;
	if (west > east)
		return err_set_field(
		    ERR_INVALID, "tile",
		    "tile: box west %g is east of its east %g (split a box across the "
		    "antimeridian in two)",
		    west, east);
	if (south > north)
		return err_set_field(ERR_INVALID, "tile",
		                     "tile: box south %g is north of its north %g", south, north);
	tile_lonlat_to_merc(west, south, &wx, &sy);
	tile_lonlat_to_merc(east, north, &ex, &ny);

	long n = 1L << z;
	double nd = (double)n;
	double x0 = floor(tile_fx(wx, nd) + TILE_EDGE_EPS);
	double x1 = ceil(tile_fx(ex, nd) - TILE_EDGE_EPS) - 1.0;
	double y0 = floor(tile_fy(ny, nd) + TILE_EDGE_EPS);
	double y1 = ceil(tile_fy(sy, nd) - TILE_EDGE_EPS) - 1.0;
	out->z = z;
	out->x0 = tile_clamp_index(x0, n);
	out->x1 = tile_clamp_index(x1 < x0 ? x0 : x1, n);
	out->y0 = tile_clamp_index(y0, n);
	out->y1 = tile_clamp_index(y1 < y0 ? y0 : y1, n);
	return 0;
}

long long tile_range_count(const struct tile_range *r)
{
	return (long long)(r->x1 - r->x0 + 1) * (long long)(r->y1 - r->y0 + 1);
}
