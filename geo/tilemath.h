/*
 * tilemath: XYZ tiles in Web Mercator (EPSG:3857) and their metric facts.
 *
 * Owns the arithmetic that every tile-producing path shares: longitude and
 * latitude to spherical-Mercator metres and back (sphere R = 6378137 m, as
 * EPSG:3857 defines it), the bounds of tile (z, x, y), pixel positions inside
 * a tile of a given pixel size (256, or 512 for scale 2), metres per pixel,
 * ground resolution, the Mercator scale factor, tile-address checks and the
 * tiles covering a lon/lat box. Tile rows go down from the north edge
 * (y = 0 at 85.0511° N), as in the XYZ scheme browsers and QGIS use.
 *
 * "Mercator metres" are frame units of EPSG:3857; "ground metres" are true
 * distances on the sphere: ground = mercator x cos(latitude). The sphere,
 * not the WGS 84 ellipsoid, so ground metres here differ from ellipsoidal
 * ones by up to ~0.3 % (see docs/heatmap.md).
 *
 * Nothing here allocates or keeps state; every function is thread-safe.
 * Functions taking (z, x, y) expect an address that tile_check() accepted.
 */
#ifndef POSBON_TILEMATH_H
#define POSBON_TILEMATH_H

/* Radius of the EPSG:3857 sphere, metres. */
#define TILE_EARTH_RADIUS 6378137.0
/* Half the width of the Mercator square (pi x R), metres. */
#define TILE_ORIGIN_SHIFT 20037508.342789244
/* Latitude of the square's north and south edges, degrees. */
#define TILE_MAX_LAT 85.05112877980659
/* Zoom levels served: 0 .. TILE_MAX_ZOOM. */
#define TILE_MAX_ZOOM 22
/* Tile sizes in pixels: 256, or 512 for scale 2 ("@2x"). */
#define TILE_SIZE    256
#define TILE_SIZE_2X 512
/* Largest tile size accepted by tile_check_size(). */
#define TILE_MAX_SIZE 4096

/* A rectangle: in Mercator metres, or in degrees (minx = west, miny = south). */
struct tile_bounds {
	double minx, miny, maxx, maxy;
};

/* Tiles x0..x1 by y0..y1, both ends included. */
struct tile_range {
	int z;
	long x0, y0, x1, y1;
};

/* 0 when z is 0..22 and x, y are 0 .. 2^z - 1; otherwise ERR_INVALID with a
 * message naming the bad value and its allowed range. */
int tile_check(int z, long x, long y);

/* Reads text, the whole of it, as a tile's address "Z/X/Y" that
 * tile_check() accepts. 0, or ERR_INVALID naming the tile. */
int tile_parse(const char *text, int *z, long *x, long *y);

/* 0 when tile_px is 1..TILE_MAX_SIZE, otherwise ERR_INVALID naming it. */
int tile_check_size(int tile_px);

/* Longitude/latitude in degrees to EPSG:3857 metres. Latitude is clamped to
 * +-TILE_MAX_LAT (the poles are at infinity). ERR_INVALID when a value is not
 * finite or outside [-180, 180] / [-90, 90]; *x, *y untouched then. */
int tile_lonlat_to_merc(double lon, double lat, double *x, double *y);

/* EPSG:3857 metres to longitude/latitude in degrees; exact inverse of the
 * above inside the square. */
void tile_merc_to_lonlat(double x, double y, double *lon, double *lat);

/* Bounds of tile (z, x, y) in Mercator metres. */
void tile_bounds_merc(int z, long x, long y, struct tile_bounds *out);

/* Bounds of tile (z, x, y) in degrees (west, south, east, north). */
void tile_bounds_lonlat(int z, long x, long y, struct tile_bounds *out);

/* Mercator metres per pixel at zoom z for tiles of tile_px pixels:
 * 2 pi R / (tile_px 2^z); 156543.034 m for z = 0 and 256 px. */
double tile_merc_per_pixel(int z, int tile_px);

/* Ground metres per pixel at latitude lat (degrees): tile_merc_per_pixel()
 * x cos(lat). */
double tile_ground_resolution(int z, int tile_px, double lat);

/* Ground metres per Mercator metre at latitude lat (degrees): cos(lat).
 * (The usual "scale factor" k = 1 / cos(lat) is its inverse.) */
double tile_scale_factor(double lat);

/* The same at Mercator northing y (metres): 1 / cosh(y / R). */
double tile_scale_factor_merc(double y);

/* Mercator metres of pixel position (px, py) in tile (z, x, y) of tile_px
 * pixels; (0, 0) is the tile's north-west corner, py grows southwards, and
 * (i + 0.5, j + 0.5) is the centre of pixel column i, row j. */
void tile_pixel_to_merc(int z, long x, long y, int tile_px, double px, double py, double *mx,
                        double *my);

/* Inverse of tile_pixel_to_merc(); positions outside the tile come out
 * below 0 or above tile_px. */
void tile_merc_to_pixel(int z, long x, long y, int tile_px, double mx, double my, double *px,
                        double *py);

/* Ground metres per Mercator metre at the centre of each pixel row of tile
 * (z, x, y): fills scale[0 .. tile_px - 1], row 0 at the north edge. This
 * is the per-row scale a ground-metre computation (kde_grid_eval) needs. */
void tile_row_scales(int z, long y, int tile_px, double *scale);

/* Tiles at zoom z that cover the box west..east, south..north (degrees); a
 * box edge lying exactly on a tile edge does not pull in the next tile, and
 * a point box gives the one tile containing it. Latitudes beyond the square
 * are clamped to it. ERR_INVALID for a bad zoom, a non-finite or out-of-range
 * value, west > east (boxes across the antimeridian are two requests) or
 * south > north. */
int tile_cover(int z, double west, double south, double east, double north, struct tile_range *out);

/* Number of tiles in a range (up to 2^44 at z = 22). */
long long tile_range_count(const struct tile_range *r);

#endif
