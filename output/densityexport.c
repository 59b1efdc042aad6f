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
#include <string.h>
#include <strings.h>
#include <time.h>

#define DEFAULT_MAX_CELLS ((size_t)25000000)

/* The grid's extent in UTM: the box, else the district plus one bandwidth. */
static int utm_extent(const dataset *ds, const struct density_export *e, utm **u, double ext[4])
{
	/* Corners, edge midpoints and centre: UTM bends a lon/lat box a little. */
	double lon[9], lat[9];
	if (e->bbox) {
		if (!(e->bbox[0] < e->bbox[2] && e->bbox[1] < e->bbox[3]))
			return err_set_field(ERR_INVALID, "bbox",
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

/* A point with its weight, for sorting by northing. */
struct wpoint {
	double x, y, w;
};

static int by_northing(const void *a, const void *b)
{
	const struct wpoint *p = a, *q = b;
	return (p->y < q->y) - (p->y > q->y);
}

/* t (UTC seconds) as ISO 8601 UTC into out[24]. */
static const char *utc_text(int64_t t, char *out)
{
	time_t s = (time_t)t;
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return out;
}

/* The metadata gdalinfo shows: the period (an ISO 8601 interval in UTC; an
 * open end is the data's), the zone local times were read in, the filter,
 * the kernel, bandwidth and cell, the offences and places, the units. */
static void put_metadata(GDALDatasetH ds, const dataset *d, const struct dataset_filter *f,
                         const struct density_export *e, const struct density_result *r)
{
	char value[128], a[24], b[24];
	int64_t first, last;
	dataset_time_range(d, &first, &last);
	int64_t from = f->from != STORE_NO_TIME ? f->from : first;
	int64_t to = f->to != STORE_NO_TIME ? f->to : last;
	if (from != STORE_NO_TIME && to != STORE_NO_TIME) {
		snprintf(value, sizeof value, "%s/%s", utc_text(from, a), utc_text(to, b));
		GDALSetMetadataItem(ds, "POSBON_PERIOD", value, NULL);
	}
	GDALSetMetadataItem(ds, "POSBON_TIMEZONE", tz_name(dataset_zone(d)), NULL);
	GDALSetMetadataItem(ds, "POSBON_FILTER", e->filter_text ? e->filter_text : "every offence",
	                    NULL);
	GDALSetMetadataItem(ds, "POSBON_KERNEL", kde_kernel_name(e->kernel), NULL);
	snprintf(value, sizeof value, "%g", e->bandwidth);
	GDALSetMetadataItem(ds, "POSBON_BANDWIDTH_M", value, NULL);
	snprintf(value, sizeof value, "%g", e->cell);
	GDALSetMetadataItem(ds, "POSBON_CELL_M", value, NULL);
	snprintf(value, sizeof value, "%.15g", r->offences);
	GDALSetMetadataItem(ds, "POSBON_OFFENCES", value, NULL);
	snprintf(value, sizeof value, "%zu", r->places);
	GDALSetMetadataItem(ds, "POSBON_PLACES", value, NULL);
	GDALSetMetadataItem(ds, "POSBON_UNITS", "offences per km2 over the period", NULL);
}

/* Creates the GeoTIFF with its georeferencing and metadata. */
static int create_tiff(const dataset *d, const struct dataset_filter *f,
                       const struct density_export *e, const struct density_result *r,
                       GDALDatasetH *out)
{
	char **options = NULL;
	char *wkt = NULL;
	int rc = 0;
	const char *compress = e->compress ? e->compress : "DEFLATE";
	*out = NULL;
	GDALAllRegister();
	GDALDriverH drv = GDALGetDriverByName("GTiff");
	if (!drv)
		return err_set(ERR_UNSUPPORTED, "GDAL has no GeoTIFF driver");
	options = CSLSetNameValue(options, "TILED", "YES");
	if (strcasecmp(compress, "none") != 0) {
		options = CSLSetNameValue(options, "COMPRESS", compress);
		options = CSLSetNameValue(options, "PREDICTOR", "3");
		/* Compression dominates the export: every core compresses blocks. */
		options = CSLSetNameValue(options, "NUM_THREADS", "ALL_CPUS");
	}
	GDALDatasetH ds = GDALCreate(drv, e->path, r->width, r->height, 1, GDT_Float32, options);
	CSLDestroy(options);
	if (!ds)
		return err_set(ERR_IO, "%s: cannot create: %s", e->path, CPLGetLastErrorMsg());
	double gt[6] = {r->x0, e->cell, 0, r->y0, 0, -e->cell};
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	if (OSRImportFromEPSG(srs, r->epsg) != OGRERR_NONE ||
	    OSRExportToWkt(srs, &wkt) != OGRERR_NONE) {
		rc = err_set(ERR_PROJ, "EPSG:%d unknown to GDAL", r->epsg);
		goto out;
	}
	GDALSetGeoTransform(ds, gt);
	GDALSetProjection(ds, wkt);
	put_metadata(ds, d, f, e, r);
	GDALSetDescription(GDALGetRasterBand(ds, 1), "density (offences per km2)");
	/* No offence within a bandwidth: transparent over a base map in QGIS,
	 * and left out of the statistics of where there is density. */
	GDALSetRasterNoDataValue(GDALGetRasterBand(ds, 1), 0);
out:
	CPLFree(wkt);
	OSRDestroySpatialReference(srs);
	if (rc < 0)
		GDALClose(ds);
	else
		*out = ds;
	return rc;
}

/* Evaluates the grid a strip of rows at a time, each from the points within
 * reach of it (sorted by northing), and writes the strip's Float32 blocks
 * straight to the file: GDALWriteBlock() passes GDAL's block cache by, which
 * would copy every block once more and fault in fresh memory for it. */
static int write_strips(GDALDatasetH ds, const struct kde_params *p, const struct kde_grid *g,
                        const struct wpoint *wp, size_t n, double *max_density)
{
	GDALRasterBandH band = GDALGetRasterBand(ds, 1);
	int bw, bh;
	GDALGetBlockSize(band, &bw, &bh);
	int rows = g->height < bh ? g->height : bh;
	double *grid = malloc((size_t)g->width * rows * sizeof *grid);
	float *block = malloc((size_t)bw * bh * sizeof *block);
	struct kde_point *pts = malloc((n ? n : 1) * sizeof *pts);
	double *w = malloc((n ? n : 1) * sizeof *w);
	int rc = 0;
	if (!grid || !block || !pts || !w) {
		rc = err_set(ERR_NOMEM, "export: out of memory for %d rows of %d cells", rows,
		             g->width);
		goto out;
	}
	for (int j0 = 0; j0 < g->height && rc == 0; j0 += bh) {
		struct kde_grid s = *g;
		s.y0 = g->y0 - j0 * g->cell;
		s.height = g->height - j0 < rows ? g->height - j0 : rows;
		double reach[4];
		if ((rc = kde_grid_reach(p, &s, reach)) < 0)
			break;
		/* The points between the strip's reach north and south. */
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (wp[i].y > reach[3])
				continue;
			if (wp[i].y < reach[1])
				break;
			pts[k] = (struct kde_point){wp[i].x, wp[i].y};
			w[k++] = wp[i].w;
		}
		if ((rc = kde_grid_eval(p, &s, pts, w, k, grid)) < 0)
			break;
		double top = *max_density;
		for (int i0 = 0; i0 < s.width && rc == 0; i0 += bw) {
			int cols = s.width - i0 < bw ? s.width - i0 : bw;
			/* Edge blocks are whole blocks in the file: zeros beyond. */
			if (cols < bw || s.height < bh)
				memset(block, 0, (size_t)bw * bh * sizeof *block);
			for (int r = 0; r < s.height; r++) {
				const double *src = grid + (size_t)r * s.width + i0;
				float *dst = block + (size_t)r * bw;
				for (int c = 0; c < cols; c++) {
					dst[c] = (float)src[c];
					top = src[c] > top ? src[c] : top;
				}
			}
			if (GDALWriteBlock(band, i0 / bw, j0 / bh, block) != CE_None)
				rc = err_set(ERR_IO, "write failed: %s", CPLGetLastErrorMsg());
		}
		*max_density = top;
	}
out:
	free(grid);
	free(block);
	free(pts);
	free(w);
	return rc;
}

int density_export_write(const dataset *ds, const struct dataset_filter *f,
                         const struct density_export *e, struct density_result *out)
{
	utm *u = NULL;
	struct dataset_points pts = {0};
	struct wpoint *wp = NULL;
	GDALDatasetH tiff = NULL;
	double ext[4] = {0, 0, 0, 0};
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
	if ((rc = kde_grid_check(&p, &g)) < 0 || (rc = kde_grid_reach(&p, &g, reach)) < 0 ||
	    (rc = dataset_gather_utm(ds, u, reach, f, e->weights, &pts)) < 0)
		goto done;
	out->places = pts.n;
	for (size_t k = 0; k < pts.n; k++)
		out->offences += pts.w[k];
	wp = malloc((pts.n ? pts.n : 1) * sizeof *wp);
	if (!wp) {
		rc = err_set(ERR_NOMEM, "export: out of memory for %zu points", pts.n);
		goto done;
	}
	for (size_t i = 0; i < pts.n; i++)
		wp[i] = (struct wpoint){pts.pts[i].x, pts.pts[i].y, pts.w ? pts.w[i] : 1};
	qsort(wp, pts.n, sizeof *wp, by_northing);
	if ((rc = create_tiff(ds, f, e, out, &tiff)) < 0 ||
	    (rc = write_strips(tiff, &p, &g, wp, pts.n, &out->max_density)) < 0)
		goto done;
done:
	if (tiff)
		GDALClose(tiff);
	if (rc < 0 && tiff)
		VSIUnlink(e->path);
	free(wp);
	dataset_points_free(&pts);
	utm_free(u);
	return rc;
}
