/*
 * densityexport: the kernel density grid of a district as a GeoTIFF, for
 * GIS staff who continue in QGIS.
 *
 * The grid is laid out in the district's UTM zone (EPSG:326nn, from the
 * centre of its extent) through PROJ, cell centres on a regular lattice
 * starting at the extent's west and north edges; values are offences (or
 * weighted offences) per km² over the filter's period, as Float32 (0, no
 * offence within a bandwidth, is NoData) with the period, time zone, filter,
 * kernel, bandwidth, cell size and offences in the file's metadata, computed
 * and written 256 rows at a time (memory stays at a strip, not the grid).
 * UTM metres
 * are taken as ground metres: within a zone they differ by at most 0.04%.
 *
 * Threading: one export per store at a time.
 */
#ifndef POSBON_DENSITYEXPORT_H
#define POSBON_DENSITYEXPORT_H

#include "dataset.h"
#include "kde.h"

#include <stddef.h>

struct density_export {
	const char *path; /* the GeoTIFF to write */
	double cell;      /* metres */
	enum kde_kernel kernel;
	double bandwidth;        /* metres */
	const double *bbox;      /* lon/lat minlon, minlat, maxlon, maxlat; NULL: see below */
	const double *weights;   /* per dataset category; NULL weighs every offence 1 */
	size_t max_cells;        /* refuse larger grids; 0: 25,000,000 */
	const char *filter_text; /* recorded in the metadata */
	const char *compress;    /* GeoTIFF COMPRESS: NULL "DEFLATE", "ZSTD", "LZW", "NONE" */
};

/* What was written. */
struct density_result {
	int width, height;
	int epsg;
	double x0, y0;   /* UTM of the top-left corner */
	double offences; /* that went into the grid: the sum of their weights */
	size_t places;   /* the distinct places they are at: the kernel's points */
	double max_density;
};

/* Writes the density of the offences of ds passing f. The extent is e->bbox
 * when given, else the district (districts and mahallas) widened by one
 * bandwidth, else the offences'. A grid over e->max_cells cells (a few stray
 * points hundreds of km away stretch it) is refused with ERR_INVALID naming
 * the size and suggesting --bbox or a larger --cell. */
int density_export_write(const dataset *ds, const struct dataset_filter *f,
                         const struct density_export *e, struct density_result *out);

#endif
