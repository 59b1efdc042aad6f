/*
 * printmap: the map frame's view, rasters and hotspots, the painters in
 * the tiles' order under the labels, and the page's layout (the panel
 * under a portrait map, beside a landscape one).
 */
#include "printmap.h"

#include "areas.h"
#include "basemap.h"
#include "choropleth.h"
#include "err.h"
#include "gistarlayer.h"
#include "heatmap.h"
#include "labels.h"
#include "points.h"
#include "printarea.h"
#include "printcover.h"
#include "printframe.h"
#include "printlegend.h"
#include "styleramp.h"
#include "tilemath.h"
#include "tracks.h"
#include "zones.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RASTER ((size_t)24 * 1000 * 1000) /* cells of the heatmap raster */

/* The mahalla holding (x, y), else the one whose label anchor is nearest. */
static const struct shapes_area *mahalla_at(const shapes *sh, double x, double y)
{
	const struct shapes_area *best = NULL;
	double best_d = INFINITY;
	for (size_t i = 0; i < shapes_count(sh, SHAPES_MAHALLAS); i++) {
		const struct shapes_area *a = shapes_area(sh, SHAPES_MAHALLAS, i);
		const double *b = a->geom.bbox;
		if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3] &&
		    shapes_rings_contain(printjob_full_rings(&a->geom), x, y))
			return a;
		double d = hypot(a->anchor.x - x, a->anchor.y - y);
		if (d < best_d) {
			best_d = d;
			best = a;
		}
	}
	return best;
}

/* The round scale (1, 1.5, 2, 2.5, 3, 4, 5, 7.5 x 10^n) at which a box of w x h metres
 * fits into fw x fh points. */
static double fit_scale(double w, double h, double fw, double fh)
{
	static const double steps[] = {1, 1.5, 2, 2.5, 3, 4, 5, 7.5};
	double need = fmax(w / (fw / PRINTJOB_PT_PER_INCH * PRINTJOB_M_PER_INCH),
	                   h / (fh / PRINTJOB_PT_PER_INCH * PRINTJOB_M_PER_INCH));
	for (double p = 100; p <= PRINT_MAX_SCALE; p *= 10)
		for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
			if (steps[i] * p >= need && steps[i] * p >= PRINT_MIN_SCALE)
				return steps[i] * p;
	return PRINT_MAX_SCALE;
}

/* The view of the frame: centred on the area at the page's scale, in style
 * px of 1/96 inch. */
static int frame_view(struct printjob *j, struct printjob_page *p)
{
	const double *b = p->area->geom.bbox;
	double cx = (b[0] + b[2]) / 2, cy = (b[1] + b[3]) / 2, lon = cx, lat = cy;
	int rc = utm_inverse(j->u, &lon, &lat, 1);
	if (rc < 0)
		return rc;
	p->k = utm_point_scale(j->u, lon, lat);
	/* Grid north to true north: the direction of a step north in the frame. */
	double nx = lon, ny = fmin(lat + 0.01, 89.9);
	if ((rc = utm_forward(j->u, &nx, &ny, 1)) < 0)
		return rc;
	p->convergence = atan2(nx - cx, ny - cy);
	double margin = 0.04; /* of the frame on each side */
	if (j->q->scale > 0)
		p->scale = j->q->scale;
	else
		p->scale = fit_scale((b[2] - b[0]) / p->k, (b[3] - b[1]) / p->k,
		                     p->fw * (1 - 2 * margin), p->fh * (1 - 2 * margin));
	double ground_per_px = p->scale * PRINTJOB_M_PER_INCH / 96.0;
	struct view *v = &p->view;
	v->width = (int)ceil(p->fw * PRINTJOB_PX_PER_PT);
	v->height = (int)ceil(p->fh * PRINTJOB_PX_PER_PT);
	v->res = ground_per_px * p->k;
	v->x0 = cx - v->width * v->res / 2;
	v->y0 = cy + v->height * v->res / 2;
	v->scale = 1;
	v->ground = 1 / p->k;
	v->mercator = 0;
	/* The Web Mercator zoom whose pixels are this big on the ground here,
	 * so that the style's zoom ranges and sizes read as on screen. */
	v->zoom = log2(2 * PRINTJOB_PI * TILE_EARTH_RADIUS * cos(lat * PRINTJOB_PI / 180) /
	               TILE_SIZE / ground_per_px);
	return 0;
}

/* The frame's raster at the job's dpi: its size and cell into p. */
static int frame_raster(struct printjob *j, struct printjob_page *p)
{
	double per_px = j->dpi / 96.0;
	p->rw = (int)ceil(p->view.width * per_px);
	p->rh = (int)ceil(p->view.height * per_px);
	if ((size_t)p->rw * p->rh > MAX_RASTER)
		return err_set_field(ERR_INVALID, "dpi",
		                     "dpi: %g dpi makes a heatmap of %d x %d pixels on this page "
		                     "(limit %zu); ask for fewer dpi",
		                     j->dpi, p->rw, p->rh, MAX_RASTER);
	p->cell = p->view.res / per_px;
	return 0;
}

/* The kernel density of the offences passing f at the cells of the frame's
 * raster (frame_raster()) into out, with the points gathered in pts. */
static int frame_kde(struct printjob *j, struct printjob_page *p, enum kde_kernel kernel,
                     double bandwidth, const struct dataset_filter *f, struct dataset_points *pts,
                     double *out)
{
	double *scale = malloc((size_t)p->rh * sizeof *scale);
	if (!scale)
		return err_set(ERR_NOMEM, "print: out of memory for a %d x %d heatmap", p->rw,
		               p->rh);
	for (int i = 0; i < p->rh; i++)
		scale[i] = 1 / p->k;
	struct kde_params kp = {.kernel = kernel, .bandwidth = bandwidth, .max_cells = MAX_RASTER};
	struct kde_grid g = {.x0 = p->view.x0,
	                     .y0 = p->view.y0,
	                     .cell = p->cell,
	                     .width = p->rw,
	                     .height = p->rh,
	                     .row_scale = scale};
	double reach[4];
	int rc;
	if ((rc = kde_grid_reach(&kp, &g, reach)) == 0 &&
	    (rc = dataset_gather_utm(j->ds, j->u, reach, f, j->weights, pts)) == 0)
		rc = kde_grid_eval(&kp, &g, pts->pts, pts->w, pts->n, out);
	free(scale);
	return rc;
}

/* The density of the frame at the job's dpi into p->density (and the
 * gathered points in p->pts, for counting near hotspots). */
static int frame_density(struct printjob *j, struct printjob_page *p)
{
	int rc = frame_raster(j, p);
	if (rc < 0)
		return rc;
	if (!(p->density = malloc((size_t)p->rw * p->rh * sizeof *p->density)))
		return err_set(ERR_NOMEM, "print: out of memory for a %d x %d heatmap", p->rw,
		               p->rh);
	return frame_kde(j, p, j->hm ? j->hm->kernel : KDE_QUARTIC, j->bandwidth, &j->filter,
	                 &p->pts, p->density);
}

/* The change layer's raster into p->change: the density of the job's
 * period minus that of the previous one of equal length, with the change
 * style's kernel and bandwidth (the request's, if given), as the tiles. */
static int frame_change(struct printjob *j, struct printjob_page *p)
{
	struct dataset_points pts = {0};
	double *before = NULL;
	double bandwidth = j->q->bandwidth > 0 ? j->q->bandwidth : j->change->bandwidth, lowest;
	int rc = p->density ? 0 : frame_raster(j, p);
	if (rc < 0)
		return rc;
	size_t n = (size_t)p->rw * p->rh;
	if (!(p->change = malloc(n * sizeof *p->change)) ||
	    !(before = malloc(n * sizeof *before))) {
		rc = err_set(ERR_NOMEM, "print: out of memory for a %d x %d change", p->rw, p->rh);
		goto out;
	}
	if ((rc = frame_kde(j, p, j->change->kernel, bandwidth, &j->filter, &pts, p->change)) < 0 ||
	    (rc = frame_kde(j, p, j->change->kernel, bandwidth, &j->previous, &pts, before)) < 0)
		goto out;
	/* Falls beyond the diverging ramp's lowest stop take its colour, as on
	 * the tiles (changemap_paint()): a ramp has nothing below for them. */
	style_ramp_stop(j->change_ramp, 0, &lowest, NULL);
	for (size_t i = 0; i < n; i++)
		p->change[i] = fmax(p->change[i] - before[i], lowest);
out:
	free(before);
	dataset_points_free(&pts);
	return rc;
}

/* A raster of the frame coloured through ramp over the map at opacity. */
static int paint_raster(struct printjob *j, struct printjob_page *p, cairo_t *cr,
                        const double *values, const style_ramp *ramp, double opacity)
{
	cairo_surface_t *img;
	int rc = heatmap_image(values, p->rw, p->rh, ramp, &img);
	if (rc < 0)
		return rc;
	cairo_save(cr);
	cairo_scale(cr, 96.0 / j->dpi, 96.0 / j->dpi);
	cairo_set_source_surface(cr, img, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint_with_alpha(cr, opacity);
	cairo_restore(cr);
	cairo_surface_destroy(img);
	return 0;
}

/* How far from a hotspot's peak its street may be, ground metres: a
 * block's half-width in a city, so that the street named is the one the
 * peak is on or faces. */
#define STREET_REACH 120.0

/* The ground's language of the page's. */
static enum ground_lang ground_lang(const struct printjob *j)
{
	static const enum ground_lang of[] = {
	    [PRINT_UZ] = GROUND_UZ, [PRINT_RU] = GROUND_RU, [PRINT_EN] = GROUND_EN};
	return of[j->q->lang];
}

/* The job's ground under the page's frame, moved to its UTM zone. */
static int utm_frame(void *u, double *x, double *y, size_t n)
{
	return utm_forward(u, x, y, n);
}

static int frame_ground(struct printjob *j, struct printjob_page *p)
{
	double box[4], merc[4];
	view_frame_box(&p->view, 0, box);
	int rc = utm_box_merc(j->u, box, merc);
	/* Streets just outside the frame still carry names into it. */
	double pad = (merc[2] - merc[0]) * 0.1;
	merc[0] -= pad, merc[1] -= pad, merc[2] += pad, merc[3] += pad;
	return rc < 0 ? rc : ground_reframe(j->ground, merc, utm_frame, j->u, &p->ground);
}

/* The highest peaks of the density inside the page's area, at least one
 * bandwidth apart and at or above the ramp's first break. They are read
 * off the raster the map draws, with the threshold below which it draws
 * nothing (the legend's lowest class): where the area shows heat, the box
 * lists a place. A peak is a cell no neighbour inside the area exceeds, so
 * heat spilling in from a peak beyond the boundary (or the frame) is
 * listed at its highest cell inside. */
static int find_hotspots(struct printjob *j, struct printjob_page *p)
{
	int rc = 0;
	size_t cap = 1024, n = 0;
	struct printjob_candidate *c = malloc(cap * sizeof *c);
	cairo_surface_t *mask = cairo_image_surface_create(CAIRO_FORMAT_A8, p->rw, p->rh);
	if (!c || cairo_surface_status(mask) != CAIRO_STATUS_SUCCESS) {
		rc = err_set(ERR_NOMEM, "print: out of memory for hotspots");
		goto out;
	}
	/* The area rasterised onto the density's cells. */
	cairo_t *m = cairo_create(mask);
	struct view rv = p->view;
	rv.res = p->cell;
	rv.width = p->rw;
	rv.height = p->rh;
	cairo_set_fill_rule(m, CAIRO_FILL_RULE_EVEN_ODD);
	shapes_path(j->sh, m, &rv, &p->area->geom, NULL);
	cairo_fill(m);
	cairo_destroy(m);
	cairo_surface_flush(mask);
	const unsigned char *mk = cairo_image_surface_get_data(mask);
	int stride = cairo_image_surface_get_stride(mask);
	double floor_value = 0;
	style_ramp_stop(j->ramp, 0, &floor_value, NULL);
	const double *d = p->density;
	for (int y = 0; y < p->rh; y++)
		for (int x = 0; x < p->rw; x++) {
			double v = d[(size_t)y * p->rw + x];
			if (v < floor_value || v <= 0 || mk[(size_t)y * stride + x] < 128)
				continue;
			int peak = 1;
			for (int ny = y - 1; ny <= y + 1 && peak; ny++)
				for (int nx = x - 1; nx <= x + 1; nx++)
					if (ny >= 0 && ny < p->rh && nx >= 0 && nx < p->rw &&
					    mk[(size_t)ny * stride + nx] >= 128 &&
					    d[(size_t)ny * p->rw + nx] > v)
						peak = 0;
			if (!peak)
				continue;
			if (n == cap) {
				struct printjob_candidate *g = realloc(c, 2 * cap * sizeof *c);
				if (!g) {
					rc =
					    err_set(ERR_NOMEM, "print: out of memory for hotspots");
					goto out;
				}
				c = g;
				cap *= 2;
			}
			c[n++] = (struct printjob_candidate){x, y, v};
		}
	qsort(c, n, sizeof *c, printjob_by_value);
	double apart = j->bandwidth * p->k / p->cell; /* cells */
	int want = j->n_hotspots;
	for (size_t i = 0; i < n && (int)p->n_hot < want; i++) {
		int near = 0;
		for (size_t h = 0; h < p->n_hot && !near; h++) {
			double hx = (p->hot[h].x - p->view.x0) / p->cell - 0.5;
			double hy = (p->view.y0 - p->hot[h].y) / p->cell - 0.5;
			near = hypot(hx - c[i].i, hy - c[i].j) < apart;
		}
		if (near)
			continue;
		struct printjob_peak *h = &p->hot[p->n_hot++];
		h->x = p->view.x0 + (c[i].i + 0.5) * p->cell;
		h->y = p->view.y0 - (c[i].j + 0.5) * p->cell;
		h->density = c[i].v;
		double r = j->bandwidth * p->k;
		h->offences = 0;
		for (size_t k = 0; k < p->pts.n; k++)
			if (hypot(p->pts.pts[k].x - h->x, p->pts.pts[k].y - h->y) <= r)
				h->offences += 1;
		const struct shapes_area *ma = mahalla_at(j->sh, h->x, h->y);
		const struct ground_feature *street = NULL;
		if (p->ground && (rc = ground_street_near(p->ground, h->x, h->y,
		                                          STREET_REACH * p->k, &street)) < 0)
			goto out;
		const char *mname = ma ? printjob_area_name(j, ma) : "";
		const char *sname = street ? ground_name(street, ground_lang(j)) : "";
		snprintf(h->place, sizeof h->place, "%s%s%s", mname, *mname && *sname ? ", " : "",
		         sname);
	}
out:
	free(c);
	cairo_surface_destroy(mask);
	return rc;
}

/* An area style whose labels show the page's language. */
static const struct style_area *in_language(const struct printjob *j, const struct style_area *st,
                                            struct style_area_copy *out)
{
	static const enum style_field fields[3] = {STYLE_FIELD_NAME_UZ, STYLE_FIELD_NAME_RU,
	                                           STYLE_FIELD_NAME_EN};
	return style_area_in(st, fields[j->q->lang], 1, out);
}

void printmap_hotspot_marker(cairo_t *cr, double x, double y, double r)
{
	cairo_new_path(cr);
	cairo_arc(cr, x, y, r, 0, 2 * PRINTJOB_PI);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, r * 0.18);
	cairo_stroke(cr);
}

void printmap_selection(cairo_t *cr, double line, double band)
{
	cairo_save(cr);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	cairo_save(cr);
	cairo_clip_preserve(cr);
	cairo_set_source_rgba(cr, 0, 0, 0, 0.22);
	cairo_set_line_width(cr, 2 * band);
	cairo_stroke_preserve(cr);
	cairo_restore(cr); /* the clip, not the path */
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, line);
	cairo_stroke(cr);
	cairo_restore(cr);
}

#define HOT_RADIUS 7.5 /* a hotspot marker's, style px on A4 */
#define SELECTION  2.4 /* the printed area's outline, style px on A4 ... */
#define BAND       7.0 /* ... and the band inside it */

/* Everything inside the map frame, in style px (user space = p->view). */
static int paint_map(struct printjob *j, struct printjob_page *p, cairo_t *cr)
{
	const struct view *v = &p->view;
	struct style_area_copy mahallas, districts;
	labels *lb = NULL;
	double furniture[2][4];
	/* Paper is read closer than a screen: its ground is drawn, and its
	 * names are read in the style, as the screen does one zoom nearer, so
	 * that a 1:25 000 page names its streets as zoom 15 does and a
	 * district's 1:75 000 overview its mahallas as zoom 13. */
	struct view near = *v;
	near.zoom += 1;
	int rc = labels_new(&near, LABELS_INSIDE, &lb);
	printframe_furniture(j, p, furniture);
	for (int i = 0; rc == 0 && i < 2; i++)
		rc = labels_reserve(lb, (furniture[i][0] - p->fx) * PRINTJOB_PX_PER_PT,
		                    (furniture[i][1] - p->fy) * PRINTJOB_PX_PER_PT,
		                    (furniture[i][2] - p->fx) * PRINTJOB_PX_PER_PT,
		                    (furniture[i][3] - p->fy) * PRINTJOB_PX_PER_PT);
	/* The hotspots' numbered markers go on top: labels keep out of them. */
	for (size_t i = 0; rc == 0 && i < p->n_hot; i++) {
		double px, py, r = HOT_RADIUS * j->ts.unit;
		view_to_px(v, p->hot[i].x, p->hot[i].y, &px, &py);
		rc = labels_reserve(lb, px - r, py - r, px + r, py + r);
	}
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	if (rc == 0 && p->ground) {
		struct basemap_names names = {.lang = ground_lang(j)};
		rc = basemap_paint(cr, &near, p->ground, j->sty, &names, lb);
	}
	if (rc == 0 && (j->layers & RENDER_CHOROPLETH) && style_choropleth(j->sty)) {
		struct choropleth_classes c;
		rc =
		    choropleth_classify(j->ds, j->sh, style_choropleth(j->sty), -1, &j->filter, &c);
		if (rc == 0)
			rc = choropleth_paint(cr, v, j->sh, style_choropleth(j->sty), &c);
		choropleth_classes_free(&c);
	}
	if (rc == 0 && j->has_gi)
		rc = gistarlayer_fill_classes(cr, v, j->u, j->gi_u, j->gi, j->gi->bin, -3, 3,
		                              gistarlayer_colours, GISTARLAYER_ALPHA);
	const struct style_trends *tr = style_trends(j->sty);
	if (rc == 0 && j->has_tr)
		rc = gistarlayer_fill_classes(cr, v, j->u, j->tr_u, &j->tr->grid, j->tr->category,
		                              1 - TRENDS_PATTERNS, TRENDS_PATTERNS - 1, tr->colours,
		                              tr->opacity);
	if (rc == 0 && p->change)
		rc = paint_raster(j, p, cr, p->change, j->change_ramp, j->change->opacity);
	if (rc == 0 && (j->layers & RENDER_HEATMAP) && p->density)
		rc = paint_raster(j, p, cr, p->density, j->ramp, j->hm->opacity);
	if (rc == 0 && (j->layers & RENDER_ZONES)) {
		/* A coverage page shows the zones of its shift (on its first day). */
		struct shapes_shift on;
		int day = 0;
		while (day < 6 && !(j->shift.weekdays >> day & 1))
			day++;
		int shifted =
		    j->has_cov && shapes_shift_weekly(day, j->shift.start, j->shift.end, &on) == 0;
		rc = zones_paint(cr, v, j->sh, j->sty, shifted ? &on : NULL, j->territory, lb);
	}
	if (rc == 0 && j->has_cov)
		rc = printcover_paint(j, v, cr);
	if (rc == 0 && (j->layers & RENDER_TRACKS))
		rc = tracks_paint(cr, v, j->sh, j->sty, j->from, j->to, j->territory);
	if (rc == 0 && (j->layers & RENDER_MAHALLAS))
		rc = areas_paint(cr, v, j->sh, SHAPES_MAHALLAS,
		                 in_language(j, style_mahallas(j->sty), &mahallas), lb);
	if (rc == 0 && (j->layers & RENDER_DISTRICTS))
		rc = areas_paint(cr, v, j->sh, SHAPES_DISTRICTS,
		                 in_language(j, style_districts(j->sty), &districts), lb);
	if (rc == 0 && (j->layers & RENDER_OFFENCES))
		rc = points_paint(cr, v, j->ds, &j->filter, j->sty, j->u);
	if (rc == 0) {
		/* Neighbours lighter: a veil over everything outside the area. */
		cairo_save(cr);
		cairo_new_path(cr);
		cairo_rectangle(cr, 0, 0, v->width, v->height);
		shapes_path(j->sh, cr, v, &p->area->geom, NULL);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_set_source_rgba(cr, 1, 1, 1, 0.55);
		cairo_fill(cr);
		cairo_new_path(cr);
		shapes_path(j->sh, cr, v, &p->area->geom, NULL);
		printmap_selection(cr, SELECTION * j->ts.unit, BAND * j->ts.unit);
		cairo_restore(cr);
		rc = labels_draw(lb, cr);
	}
	/* Hotspot numbers on top of everything. */
	for (size_t i = 0; rc == 0 && i < p->n_hot; i++) {
		double px, py, r = HOT_RADIUS * j->ts.unit;
		char num[24];
		view_to_px(v, p->hot[i].x, p->hot[i].y, &px, &py);
		printmap_hotspot_marker(cr, px, py, r);
		snprintf(num, sizeof num, "%zu", i + 1);
		/* Text sizes are in pt: this user space is style px. */
		cairo_save(cr);
		cairo_scale(cr, 1 / PRINTJOB_PX_PER_PT, 1 / PRINTJOB_PX_PER_PT);
		double lh = typeset_line_height(&j->ts, &typeset_bold);
		typeset_text(&j->ts, &typeset_bold, num, px * PRINTJOB_PX_PER_PT,
		             py * PRINTJOB_PX_PER_PT - lh / 2, 0, 0, TYPESET_CENTRE);
		cairo_restore(cr);
	}
	labels_free(lb);
	if (rc == 0 && cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(cr)));
	return rc;
}

static void free_page(struct printjob_page *p)
{
	free(p->density);
	free(p->change);
	dataset_points_free(&p->pts);
	ground_free(p->ground);
}

int printmap_page(struct printjob *j, enum shapes_kind kind, const struct shapes_area *area,
                  double *first_scale)
{
	cairo_t *cr = j->ts.cr;
	struct printjob_page p = {.kind = kind, .area = area};
	double u = j->ts.unit, m = printjob_margin(j), w = j->pw - 2 * m;
	int rc;
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	double top = m +
	             (j->has_cov ? printframe_plan_header(j, printjob_text(j, MSG_PAPER_COVERAGE),
	                                                  printjob_area_name(j, area), m, m, w)
	                         : printarea_header(j, &p, m, m, w)) +
	             6 * u;
	double foot = typeset_line_height(&j->ts, &typeset_small);
	printframe_footer(j, m, j->ph - m - foot, w);
	double bottom = j->ph - m - foot - 4 * u;
	struct typeset_column cols[3];
	int n_cols;
	if (j->q->landscape) {
		double panel = w * 0.30;
		p.fx = m;
		p.fy = top;
		p.fw = w - panel - 8 * u;
		p.fh = bottom - top;
		cols[0] = (struct typeset_column){m + w - panel, top, panel, bottom};
		n_cols = 1;
	} else {
		double panel = (bottom - top) * 0.30;
		p.fx = m;
		p.fy = top;
		p.fw = w;
		p.fh = bottom - top - panel - 8 * u;
		double cy = p.fy + p.fh + 8 * u, gap = 8 * u, cw = (w - 2 * gap) / 3;
		for (int i = 0; i < 3; i++)
			cols[i] = (struct typeset_column){m + i * (cw + gap), cy, cw, bottom};
		n_cols = 3;
	}
	if ((rc = frame_view(j, &p)) < 0)
		goto out;
	if (first_scale && *first_scale == 0)
		*first_scale = p.scale;
	if ((j->layers & RENDER_BASE) && (rc = frame_ground(j, &p)) < 0)
		goto out;
	int want_density = !j->has_cov && ((j->layers & RENDER_HEATMAP) || j->n_hotspots > 0);
	if (j->hm && j->ramp && want_density && (rc = frame_density(j, &p)) < 0)
		goto out;
	if (p.density && j->n_hotspots > 0 && (rc = find_hotspots(j, &p)) < 0)
		goto out;
	if (j->change_ramp && (rc = frame_change(j, &p)) < 0)
		goto out;
	if (j->has_cov && (rc = printcover_marks(j, &p)) < 0)
		goto out;

	cairo_save(cr);
	cairo_translate(cr, p.fx, p.fy);
	cairo_rectangle(cr, 0, 0, p.fw, p.fh);
	cairo_clip(cr);
	cairo_scale(cr, 1 / PRINTJOB_PX_PER_PT, 1 / PRINTJOB_PX_PER_PT);
	rc = paint_map(j, &p, cr);
	cairo_restore(cr);
	if (rc < 0)
		goto out;
	cairo_rectangle(cr, p.fx, p.fy, p.fw, p.fh);
	cairo_set_source_rgb(cr, 0.10, 0.12, 0.16);
	cairo_set_line_width(cr, 0.8 * u);
	cairo_stroke(cr);
	printframe_scale_bar(j, &p);
	printframe_north_arrow(j, &p);

	/* Landscape: legend, figures and hotspots share one column, each
	 * block getting what it needs while the others keep a share. */
	struct typeset_column *legend_col = &cols[0];
	struct typeset_column *figures_col = n_cols == 3 ? &cols[1] : &cols[0];
	struct typeset_column *hot_col = n_cols == 3 ? &cols[2] : &cols[0];
	double bottom_all = cols[0].bottom;
	if (n_cols == 1)
		legend_col->bottom = legend_col->y + (bottom_all - legend_col->y) * 0.40;
	printlegend_page(j, &p, legend_col);
	if (n_cols == 1) {
		cols[0].y = fmin(cols[0].y, cols[0].bottom);
		cols[0].bottom = cols[0].y + (bottom_all - cols[0].y) * 0.55;
	}
	if (j->has_cov)
		printcover_hotspot_table(j, figures_col);
	else if ((rc = printarea_figures(j, &p, figures_col)) < 0)
		goto out;
	if (n_cols == 1) {
		cols[0].y = fmin(cols[0].y, cols[0].bottom);
		cols[0].bottom = bottom_all;
	}
	if (j->has_cov)
		printcover_unit_table(j, hot_col);
	else
		printarea_hotspots(j, &p, hot_col);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		rc = err_set(ERR_NOMEM, "print: %s", cairo_status_to_string(cairo_status(cr)));
out:
	cairo_restore(cr);
	free_page(&p);
	return rc;
}
