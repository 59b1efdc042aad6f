#include "densityexport.h"

#include "err.h"
#include "tilemath.h"
#include "utm.h"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <math.h>
#include <ogr_srs_api.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_MAX_CELLS ((size_t)25000000)

/* The grid's extent in UTM: the box, else the district plus one bandwidth. */
static int utm_extent(const dataset *ds, const struct density_export *e, utm **u, double ext[4])
{
	/* Corners, edge midpoints and centre: UTM bends a lon/lat box a little. */
	double lon[9], lat[9];
	if (e->bbox) {
		if (!(e->bbox[0] < e->bbox[2] && e->bbox[1] < e->bbox[3]))
			return err_set(ERR_INVALID,
			               "bbox: west must be below east and south below north");
		for (int i = 0; i < 9; i++) {
			lon[i] = e->bbox[0] + (e->bbox[2] - e->bbox[0]) * ((i % 3) / 2.0);
			lat[i] = e->bbox[1] + (e->bbox[3] - e->bbox[1]) * ((i / 3) / 2.0);
		}
	} else {
		double m[4];
		dataset_extent(ds, m);
		for (int i = 0; i < 9; i++)
			tile_merc_to_lonlat(m[0] + (m[2] - m[0]) * ((i % 3) / 2.0),
			                    m[1] + (m[3] - m[1]) * ((i / 3) / 2.0), &lon[i],
			                    &lat[i]);
	}
	int rc = utm_open(utm_zone_epsg(lon[4], lat[4]), u);
	if (rc < 0 || (rc = utm_forward(*u, lon, lat, 9)) < 0)
		return rc;
	ext[0] = ext[2] = lon[0];
	ext[1] = ext[3] = lat[0];
	for (int i = 1; i < 9; i++) {
		ext[0] = fmin(ext[0], lon[i]);
		ext[2] = fmax(ext[2], lon[i]);
		ext[1] = fmin(ext[1], lat[i]);
		ext[3] = fmax(ext[3], lat[i]);
	}
	if (!e->bbox) {
		ext[0] -= e->bandwidth;
		ext[1] -= e->bandwidth;
		ext[2] += e->bandwidth;
		ext[3] += e->bandwidth;
	}
	return 0;
}

static int write_tiff(const struct density_export *e, const struct density_result *r,
                      const double *grid)
{
	char **options = NULL;
	char *wkt = NULL;
	int rc = 0;
	GDALAllRegister();
	GDALDriverH drv = GDALGetDriverByName("GTiff");
	if (!drv)
		return err_set(ERR_UNSUPPORTED, "GDAL has no GeoTIFF driver");
	options = CSLSetNameValue(options, "COMPRESS", "DEFLATE");
	options = CSLSetNameValue(options, "TILED", "YES");
	options = CSLSetNameValue(options, "PREDICTOR", "3");
	GDALDatasetH out = GDALCreate(drv, e->path, r->width, r->height, 1, GDT_Float32, options);
	CSLDestroy(options);
	if (!out)
		return err_set(ERR_IO, "%s: cannot create: %s", e->path, CPLGetLastErrorMsg());
	double gt[6] = {r->x0, e->cell, 0, r->y0, 0, -e->cell};
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (OSRImportFromEPSG(srs, r->epsg) != OGRERR_NONE ||
	    OSRExportToWkt(srs, &wkt) != OGRERR_NONE) {
		rc = err_set(ERR_PROJ, "EPSG:%d unknown to GDAL", r->epsg);
		goto out;
	}
	GDALSetGeoTransform(out, gt);
	GDALSetProjection(out, wkt);
	char value[64];
	snprintf(value, sizeof value, "%g", e->bandwidth);
	GDALSetMetadataItem(out, "POSBON_BANDWIDTH_M", value, NULL);
	GDALSetMetadataItem(out, "POSBON_KERNEL", kde_kernel_name(e->kernel), NULL);
	GDALSetMetadataItem(out, "POSBON_UNITS", "offences per km2 over the period", NULL);
	if (e->filter_text)
		GDALSetMetadataItem(out, "POSBON_FILTER", e->filter_text, NULL);
	GDALRasterBandH band = GDALGetRasterBand(out, 1);
	GDALSetDescription(band, "density (offences per km2)");
	if (GDALRasterIO(band, GF_Write, 0, 0, r->width, r->height, (void *)grid, r->width,
	                 r->height, GDT_Float64, 0, 0) != CE_None)
		rc = err_set(ERR_IO, "%s: write failed: %s", e->path, CPLGetLastErrorMsg());
out:
	CPLFree(wkt);
	OSRDestroySpatialReference(srs);
	GDALClose(out);
	return rc;
}

int density_export_write(const dataset *ds, const struct dataset_filter *f,
                         const struct density_export *e, struct density_result *out)
{
	utm *u = NULL;
	struct dataset_points pts = {0};
	double *grid = NULL, ext[4] = {0, 0, 0, 0};
	int rc;
	size_t max = e->max_cells ? e->max_cells : DEFAULT_MAX_CELLS;

	*out = (struct density_result){0};
	if (!(e->cell > 0) || !(e->bandwidth > 0))
		return err_set(ERR_INVALID, "cell and radius must be positive");
	if ((rc = utm_extent(ds, e, &u, ext)) < 0)
		goto done;
	out->epsg = utm_epsg(u);
	double w = ceil((ext[2] - ext[0]) / e->cell), h = ceil((ext[3] - ext[1]) / e->cell);
	if (w * h > (double)max) {
		rc = err_set(ERR_INVALID,
		             "a grid of %.0f x %.0f cells at %g m is too large (limit %zu cells): "
		             "pass --bbox to limit the area, or a --cell of at least %.0f m",
		             w, h, e->cell, max, ceil(e->cell * sqrt(w * h / (double)max)));
		goto done;
	}
	out->width = (int)fmax(1, w);
	out->height = (int)fmax(1, h);
	out->x0 = ext[0];
	out->y0 = ext[1] + out->height * e->cell;

	struct kde_params p = {.kernel = e->kernel, .bandwidth = e->bandwidth, .max_cells = max};
	struct kde_grid g = {.x0 = out->x0,
	                     .y0 = out->y0,
	                     .cell = e->cell,
	                     .width = out->width,
	                     .height = out->height};
	double reach[4];
	if ((rc = kde_grid_reach(&p, &g, reach)) < 0 ||
	    (rc = utm_gather(u, ds, reach, f, e->weights, &pts)) < 0)
		goto done;
	out->points = pts.n;
	grid = malloc((size_t)out->width * out->height * sizeof *grid);
	if (!grid) {
		rc = err_set(ERR_NOMEM, "export: out of memory for %dx%d cells", out->width,
		             out->height);
		goto done;
	}
	if ((rc = kde_grid_eval(&p, &g, pts.pts, pts.w, pts.n, grid)) < 0)
		goto done;
	for (size_t i = 0; i < (size_t)out->width * out->height; i++)
		out->max_density = fmax(out->max_density, grid[i]);
	rc = write_tiff(e, out, grid);
done:
	free(grid);
	dataset_points_free(&pts);
	utm_free(u);
	return rc;
}
