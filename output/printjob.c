/*
 * printjob: the job's period (the request's, completed to 90 whole local days,
 * and the previous one of equal length), its opening and closing, and the
 * texts, dates and shifts in the page's language.
 */
#include "printjob.h"

#include "civil.h"

#include "err.h"
#include "styleramp.h"
#include "tilemath.h"
#include "timeparse.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PERIOD_DAYS 90 /* printed when the request leaves the period open */

const char *printjob_text(const struct printjob *j, enum msg m)
{
	return msg_text(m, printjob_lang(j));
}

enum msg_lang printjob_lang(const struct printjob *j)
{
	return (enum msg_lang)j->q->lang;
}

const char *printjob_area_name(const struct printjob *j, const struct shapes_area *a)
{
	const char *by_lang[3] = {a->name_uz, a->name_ru, a->name_en};
	const char *name = by_lang[j->q->lang];
	for (int i = 0; (!name || !*name) && i < 3; i++)
		name = by_lang[i];
	return name && *name ? name : a->code;
}

void printjob_date(const struct printjob *j, int64_t utc, char *out, size_t n)
{
	int64_t local = utc + tz_offset_at(dataset_zone(j->ds), utc);
	time_t t = (time_t)local;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

static int64_t local_midnight(const tz *z, int64_t utc, int days_later)
{
	return tz_local_to_utc(z, (tz_local_day(z, utc) + days_later) * CIVIL_SECONDS_PER_DAY);
}

/* The page's period: the filter's, completed to PERIOD_DAYS whole local
 * days where it is open, and the previous period of equal length. */
static void set_period(struct printjob *j)
{
	const tz *z = dataset_zone(j->ds);
	int64_t first, last;
	dataset_time_range(j->ds, &first, &last);
	j->filter = j->q->filter;
	int64_t from = j->filter.from, to = j->filter.to;
	if (to == STORE_NO_TIME) {
		int64_t end = from != STORE_NO_TIME
		                  ? from + (int64_t)PERIOD_DAYS * CIVIL_SECONDS_PER_DAY
		              : last != STORE_NO_TIME ? last
		                                      : j->q->printed_at;
		to = local_midnight(z, end, from != STORE_NO_TIME ? 0 : 1) - 1;
	}
	if (from == STORE_NO_TIME)
		from = local_midnight(z, to, 1 - PERIOD_DAYS);
	if (from > to)
		from = to;
	j->from = j->filter.from = from;
	j->to = j->filter.to = to;
	j->previous = j->filter;
	j->previous.to = from - 1;
	j->previous.from = from - (to - from + 1);
}

const struct shapes_rings *printjob_full_rings(const struct shapes_geom *g)
{
	return &g->band[SHAPES_BANDS - 1];
}

int printjob_by_value(const void *a, const void *b)
{
	const struct printjob_candidate *x = a, *y = b;
	return (x->v < y->v) - (x->v > y->v);
}

void printjob_colour(cairo_t *cr, const struct style_colour *c, double alpha)
{
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a * alpha);
}

/* Appends to out (n bytes, holding len) what fmt makes, cut at the end at
 * a character: half a Cyrillic letter would make the text invalid UTF-8,
 * which Pango refuses. */
size_t printjob_append(char *out, size_t n, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

size_t printjob_append(char *out, size_t n, size_t len, const char *fmt, ...)
{
	if (len >= n)
		return len;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(out + len, n - len, fmt, ap);
	va_end(ap);
	if (k < 0) {
		out[len] = 0;
		return len;
	}
	if (len + (size_t)k < n)
		return len + (size_t)k;
	/* The last character kept: whole, or cut off. */
	size_t end = n - 1, last = end - 1;
	if (end == len)
		return end;
	while (last > len && ((unsigned char)out[last] & 0xC0) == 0x80)
		last--;
	unsigned char lead = (unsigned char)out[last];
	size_t need = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (last + need > end)
		out[end = last] = 0;
	return end;
}

/* The days of a weekday mask as runs in the page's language ("Pt–Ya"). */
static size_t days_text(const struct printjob *j, unsigned days, char *out, size_t n)
{
	size_t len = 0;
	*out = 0;
	for (int d = 0; d < 7; d++) {
		if (!(days >> d & 1) || (d > 0 && (days >> (d - 1) & 1)))
			continue;
		int e = d;
		while (e + 1 < 7 && (days >> (e + 1) & 1))
			e++;
		len = printjob_append(out, n, len, "%s%s", len ? ", " : "",
		                      msg_weekday(d, (enum msg_lang)j->q->lang));
		if (e > d)
			len = printjob_append(out, n, len, "%s%s", e > d + 1 ? "–" : ", ",
			                      msg_weekday(e, (enum msg_lang)j->q->lang));
	}
	return len;
}

/* "Ju–Ya 18:00–02:00": days, then the hours. */
void printjob_shift_text(const struct printjob *j, const struct shift *s, char *out, size_t n)
{
	size_t len = days_text(j, s->weekdays, out, n);
	printjob_append(out, n, len, "%s%02d:%02d–%02d:%02d", len ? " " : "", s->start / 60,
	                s->start % 60, s->end / 60, s->end % 60);
}

/* The renderer's shapes, in Web Mercator, as the analyses take them: held
 * from the first call until the job closes. */
const shapes *printjob_merc_shapes(struct printjob *j)
{
	if (!j->merc)
		j->merc = renderer_shapes_acquire(j->r, &j->held);
	return j->merc;
}

/* The end of a layer's analysis that returned rc with its grid in UTM zone
 * epsg: *has set and the zone opened as *u; nothing to test (ERR_INVALID:
 * no offence, too few weeks) leaves the layer empty, as on the map. */
static int analysed(int rc, int epsg, int *has, utm **u)
{
	if (rc == ERR_INVALID)
		return 0;
	if (rc < 0)
		return rc;
	*has = 1;
	return utm_open(epsg, u);
}

/* The gistar and trends layers' analyses of the job's filter, as the tile
 * layers draw them: Gi* with its defaults (cell, band, the district's
 * cells); the trends of the weeks of the period (its filter's from). */
static int job_analyses(struct printjob *j)
{
	int rc = 0;
	if (j->layers & RENDER_GISTAR) {
		struct gistar_params p = {.filter = j->filter};
		rc = renderer_gistar(j->r, &p, &j->gi, &j->gi_hold);
		rc = analysed(rc, rc == 0 ? j->gi->epsg : 0, &j->has_gi, &j->gi_u);
	}
	if (rc == 0 && (j->layers & RENDER_TRENDS) && style_trends(j->sty)) {
		struct trends_params p = {.filter = j->filter};
		rc = renderer_trends(j->r, &p, &j->tr, &j->tr_hold);
		rc = analysed(rc, rc == 0 ? j->tr->grid.epsg : 0, &j->has_tr, &j->tr_u);
	}
	return rc;
}

int printjob_open(struct printjob *j)
{
	const struct print_request *q = j->q;
	double ext[4], lon, lat;
	int rc;
	j->ds = renderer_dataset(j->r);
	j->sty = renderer_style_acquire(j->r, &j->held_style);
	j->layers = q->layers ? q->layers : PRINT_DEFAULT_LAYERS;
	/* A coverage page's density is its hotspots; the period's heatmap would
	 * not be the shift's. */
	if (q->kind != PRINT_AREA)
		j->layers &= ~(unsigned)RENDER_HEATMAP;
	if (j->layers & RENDER_BASE) {
		j->ground = renderer_ground_acquire(j->r, &j->held_ground);
		/* Without reference layers, no land colour under a blank page. */
		if (!ground_count(j->ground))
			j->layers &= ~(unsigned)RENDER_BASE;
	}
	j->hm = style_heatmap(j->sty);
	j->bandwidth = q->bandwidth > 0 ? q->bandwidth : j->hm ? j->hm->bandwidth : 200;
	j->dpi = q->dpi > 0 ? q->dpi : q->format == PRINT_PNG ? 150 : PRINT_DEFAULT_DPI;
	j->n_hotspots = q->hotspots < 0 ? 0 : q->hotspots > 0 ? q->hotspots : 5;
	j->ts.unit = q->paper == PRINT_A3 ? sqrt(2) : 1;
	/* ISO 216 in points: 210 x 297 mm and 297 x 420 mm. */
	double mm = PRINTJOB_PT_PER_INCH / 25.4;
	double short_side = (q->paper == PRINT_A3 ? 297 : 210) * mm;
	double long_side = (q->paper == PRINT_A3 ? 420 : 297) * mm;
	j->pw = q->landscape ? long_side : short_side;
	j->ph = q->landscape ? short_side : long_side;
	set_period(j);
	/* A district's page counts that district's offences only, and draws
	 * only its heat; an unknown code is refused with the pages. */
	int d = q->district ? dataset_district_index(j->ds, q->district) : -1;
	if (d >= 0) {
		dataset_filter_district(&j->filter, (size_t)d);
		dataset_filter_district(&j->previous, (size_t)d);
	}
	/* A scoped request's page shows its districts' zones and tracks only;
	 * a district's page of the whole city keeps its neighbours' around it. */
	if (dataset_filter_scoped(&q->filter))
		j->territory = dataset_filter_territory(j->ds, &q->filter);
	/* The page's UTM zone is its own area's: a city across two zones
	 * prints each district in its own. */
	struct store_area_found area = {0};
	if ((q->district || q->mahalla) &&
	    (rc = store_find_area(j->st, q->district ? STORE_DISTRICTS : STORE_MAHALLAS,
	                          q->district ? q->district : q->mahalla, &area)) < 0)
		return rc;
	if (area.found) {
		lon = (area.box[0] + area.box[2]) / 2;
		lat = (area.box[1] + area.box[3]) / 2;
	} else {
		dataset_extent(j->ds, ext);
		tile_merc_to_lonlat((ext[0] + ext[2]) / 2, (ext[1] + ext[3]) / 2, &lon, &lat);
	}
	struct shapes_options so = {.tracks_from = j->from, .tracks_to = j->to};
	size_t n = dataset_category_count(j->ds);
	j->weights = malloc((n ? n : 1) * sizeof *j->weights);
	if (!j->weights)
		return err_set(ERR_NOMEM, "print: out of memory");
	for (size_t i = 0; i < n; i++)
		j->weights[i] = style_category_weight(j->sty, dataset_category(j->ds, i));
	if ((rc = utm_open(utm_zone_epsg(lon, lat), &j->u)) < 0)
		return rc;
	so.crs = utm_crs(j->u);
	if ((rc = shapes_load(j->st, &so, &j->sh)) < 0 ||
	    (rc = storeprint_names(j->st, STOREPRINT_CATEGORIES,
	                           msg_lang_code((enum msg_lang)q->lang), &j->categories)) < 0 ||
	    (rc = storeprint_names(j->st, STOREPRINT_SERVICES,
	                           msg_lang_code((enum msg_lang)q->lang), &j->services)) < 0)
		return rc;
	if (j->hm && (rc = renderer_heatmap_ramp(j->r, &j->filter, 0, &j->ramp)) < 0)
		return rc;
	j->change = style_change(j->sty);
	if (q->kind == PRINT_AREA && (j->layers & RENDER_CHANGE) && j->change &&
	    (rc = renderer_change_ramp(j->r, &j->filter, &j->change_ramp)) < 0)
		return rc;
	return q->kind == PRINT_AREA ? job_analyses(j) : 0;
}

void printjob_close(struct printjob *j)
{
	free(j->territory);
	if (j->has_cmp)
		compare_free(&j->cmp);
	if (j->has_cov)
		coverage_free(&j->cov);
	if (j->has_set)
		hotspot_set_free(&j->set);
	results_release(j->gi_hold);
	utm_free(j->gi_u);
	results_release(j->tr_hold);
	utm_free(j->tr_u);
	if (j->held)
		renderer_shapes_release(j->r, j->held);
	if (j->held_ground)
		renderer_ground_release(j->r, j->held_ground);
	if (j->held_style)
		renderer_style_release(j->r, j->held_style);
	style_ramp_free(j->ramp);
	style_ramp_free(j->change_ramp);
	storeprint_names_free(&j->categories);
	storeprint_names_free(&j->services);
	shapes_free(j->sh);
	utm_free(j->u);
	free(j->weights);
}

double printjob_margin(const struct printjob *j)
{
	return 10 / 25.4 * PRINTJOB_PT_PER_INCH * j->ts.unit; /* 10 mm on A4 */
}
