/*
 * printlegend: a legend is a column of blocks, one per layer; a row is a
 * swatch drawn by the block and its text. A layer's picture is drawn once
 * into a recording surface, which gives its fitted height.
 */
#include "printlegend.h"

#include "choropleth.h"
#include "err.h"
#include "gistarlayer.h"
#include "pngenc.h"
#include "printcover.h"
#include "printmap.h"
#include "styleramp.h"
#include "tilemath.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A legend row: a swatch drawn by the caller at (x, y, w, h), then text,
 * wrapped to a second line as a table's cell is. */
int printlegend_row(struct printjob *j, struct typeset_column *c, const char *text, double *sx,
                    double *sy, double *sw, double *sh)
{
	double rh = typeset_row_height(&j->ts), u = j->ts.unit, tw = c->w - 21 * u;
	double h =
	    fmax(rh, typeset_height(&j->ts, &typeset_body, text, tw, TYPESET_CELL_LINES) + 2.2 * u);
	if (c->y + h > c->bottom)
		return 0;
	*sx = c->x;
	*sy = c->y + 1.2 * u;
	*sw = 16 * u;
	*sh = rh - 2.4 * u;
	typeset_text(&j->ts, &typeset_body, text, c->x + 21 * u, c->y + 1.1 * u, tw,
	             TYPESET_CELL_LINES, TYPESET_LEFT);
	c->y += h;
	return 1;
}

/* A legend row's swatch at (x, y, w, h): filled in c at alpha fill, and
 * outlined in c when outlined (as hotspots are drawn). */
void printlegend_swatch(struct printjob *j, double x, double y, double w, double h,
                        const struct style_colour *c, double fill, int outlined)
{
	cairo_rectangle(j->ts.cr, x, y, w, h);
	printjob_colour(j->ts.cr, c, fill);
	if (!outlined) {
		cairo_fill(j->ts.cr);
		return;
	}
	cairo_fill_preserve(j->ts.cr);
	printjob_colour(j->ts.cr, c, 1);
	cairo_set_line_width(j->ts.cr, 1 * j->ts.unit);
	cairo_stroke(j->ts.cr);
}

/* A density ramp (the heatmap's or the change's) as a bar under its title,
 * its breaks below in density units, at the layer's opacity. */
static void legend_ramp(struct printjob *j, struct typeset_column *c, const style_ramp *ramp,
                        const char *title, double opacity)
{
	cairo_t *cr = j->ts.cr;
	double u = j->ts.unit, lh = typeset_line_height(&j->ts, &typeset_small), h = 7 * u;
	size_t n = style_ramp_size(ramp);
	if (n < 2 || c->y + h + lh + 4 * u > c->bottom)
		return;
	c->y +=
	    typeset_text(&j->ts, &typeset_body, title, c->x, c->y, c->w, 2, TYPESET_LEFT) + 1.5 * u;
	/* Inset so that the end labels, centred on the bar's ends, stay inside. */
	double inset = 7 * u, w = c->w - 2 * inset;
	c->x += inset;
	/* Stops evenly spaced, the colours between them as the ramp blends
	 * (a step ramp holds each to the next stop), as one gradient: pieces
	 * side by side show seams at 600 dpi, where their translucent edges
	 * overlap or leave the paper between them. */
	cairo_pattern_t *bar = cairo_pattern_create_linear(c->x, 0, c->x + w, 0);
	int step = style_ramp_interp(ramp) == STYLE_INTERP_STEP;
	for (size_t i = 0; i < n; i++) {
		struct style_colour col;
		double at = (double)i / (n - 1);
		style_ramp_stop(ramp, i, NULL, &col);
		cairo_pattern_add_color_stop_rgba(bar, at, col.r, col.g, col.b, col.a * opacity);
		if (step && i + 1 < n)
			cairo_pattern_add_color_stop_rgba(bar, (double)(i + 1) / (n - 1), col.r,
			                                  col.g, col.b, col.a * opacity);
	}
	cairo_rectangle(cr, c->x, c->y, w, h);
	cairo_set_source(cr, bar);
	cairo_fill(cr);
	cairo_pattern_destroy(bar);
	cairo_rectangle(cr, c->x, c->y, w, h);
	cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
	cairo_set_line_width(cr, 0.3 * u);
	cairo_stroke(cr);
	double spacing = w / (n - 1), last_right = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double v;
		char num[32];
		style_ramp_stop(ramp, i, &v, NULL);
		typeset_value(v, printjob_lang(j), num, sizeof num);
		double x = c->x + spacing * i,
		       half = typeset_width(&j->ts, &typeset_small, num) / 2;
		if (x - half < last_right + 2 * u)
			continue; /* too many breaks for the bar: every other one */
		typeset_text(&j->ts, &typeset_small, num, x, c->y + h + 1 * u, 0, 0,
		             TYPESET_CENTRE);
		last_right = x + half;
	}
	c->x -= inset;
	c->y += h + lh + 5 * u;
}

/* The services of the zones that meet the frame, in first-seen order. */
static size_t frame_services(const struct printjob *j, const struct printjob_page *p,
                             const char **out, size_t max, int *joint)
{
	double box[4];
	struct shapes_list found = {0};
	size_t n = 0;
	*joint = 0;
	view_frame_box(&p->view, 0, box);
	if (shapes_find(j->sh, SHAPES_ZONES, box, &found) < 0)
		return 0;
	for (size_t i = 0; i < found.n; i++) {
		const char *svc[16];
		size_t k = shapes_zone_services(shapes_zone(j->sh, found.idx[i]), NULL, svc, 16);
		for (size_t s = 0; s < k && s < 16; s++) {
			size_t have = 0;
			while (have < n && strcmp(out[have], svc[s]) != 0)
				have++;
			if (have == n && n < max)
				out[n++] = svc[s];
		}
	}
	*joint = shapes_find(j->sh, SHAPES_OVERLAPS, box, &found) == 0 && found.n > 0;
	shapes_list_free(&found);
	return n;
}

struct category_tally {
	double *counts;
	utm *u;
	const double *box; /* the frame, UTM */
};

static int tally_in_frame(void *ctx, const struct dataset_offence *o)
{
	struct category_tally *t = ctx;
	double x, y;
	tile_merc_to_lonlat(o->x, o->y, &x, &y);
	if (o->category != DATASET_NONE && utm_forward(t->u, &x, &y, 1) == 0 && x >= t->box[0] &&
	    x <= t->box[2] && y >= t->box[1] && y <= t->box[3])
		t->counts[o->category]++;
	return 0;
}

/* The categories of the offences on the map, commonest first, into out (at
 * most max); returns how many. */
static size_t frame_categories(const struct printjob *j, const struct printjob_page *p,
                               const char **out, size_t max)
{
	size_t n = dataset_category_count(j->ds), k = 0;
	double box[4], merc[4];
	struct category_tally t = {calloc(n ? n : 1, sizeof *t.counts), j->u, box};
	struct printjob_candidate *order = calloc(n ? n : 1, sizeof *order);
	view_frame_box(&p->view, 0, box);
	if (t.counts && order && utm_box_merc(j->u, box, merc) == 0 &&
	    dataset_each(j->ds, merc, &j->filter, tally_in_frame, &t) == 0) {
		for (size_t i = 0; i < n; i++)
			order[i] = (struct printjob_candidate){(int)i, 0, t.counts[i]};
		qsort(order, n, sizeof *order, printjob_by_value);
		for (; k < n && k < max && order[k].v > 0; k++)
			out[k] = dataset_category(j->ds, (size_t)order[k].i);
	}
	free(t.counts);
	free(order);
	return k;
}

/* The choropleth's classes: a swatch and the range of each. */
static void legend_choropleth(struct printjob *j, struct typeset_column *c)
{
	static const enum msg titles[3] = {MSG_LEGEND_CHOROPLETH_COUNT, MSG_LEGEND_CHOROPLETH_RATE,
	                                   MSG_PAPER_CHANGE_METRIC};
	struct choropleth_classes cl;
	double x, y, w, h;
	if (renderer_choropleth(j->r, &j->filter, j->metric, &cl) < 0)
		return;
	if (cl.n_classes > 0 && c->y + typeset_row_height(&j->ts) <= c->bottom)
		c->y += typeset_text(&j->ts, &typeset_body, printjob_text(j, titles[cl.metric]),
		                     c->x, c->y, c->w, 1, TYPESET_LEFT) +
		        1 * j->ts.unit;
	double from = cl.min;
	for (size_t i = 0; i < cl.n_classes; i++) {
		char a[32], b[64], label[100];
		double scale = cl.metric == STYLE_METRIC_CHANGE ? 100 : 1;
		typeset_value(from * scale, printjob_lang(j), a, sizeof a);
		typeset_value(cl.breaks[i] * scale, printjob_lang(j), b, sizeof b);
		snprintf(label, sizeof label, "%s – %s", a, b);
		if (!printlegend_row(j, c, label, &x, &y, &w, &h))
			break;
		printlegend_swatch(j, x, y, w, h, &cl.colours[i], 1, 0);
		from = cl.breaks[i];
	}
	choropleth_classes_free(&cl);
}

/* What a legend lists besides the style's swatches: the numbered hotspot
 * marker, the zones' services and whether any overlap, the offences'
 * categories (codes, in the order listed), the printed area's outline
 * (its row's text; NULL: none) and the zoom the boundaries' widths are
 * read at. A page lists what its frame shows. */
struct legend_items {
	int hotspot;
	const char *selected;
	const char *const *services;
	size_t n_services;
	int joint;
	const char *const *categories;
	size_t n_categories;
	double zoom;
};

/* The Gi* bins, hot 99% to cold 99%, as the gistar layer fills them. */
static void legend_gistar(struct printjob *j, struct typeset_column *c)
{
	static const int confidence[3] = {90, 95, 99};
	double x, y, w, h;
	for (int bin = 3; bin >= -3; bin--) {
		if (!bin)
			continue;
		char text[160];
		snprintf(text, sizeof text,
		         printjob_text(j, bin > 0 ? MSG_PAPER_GISTAR_HOT : MSG_PAPER_GISTAR_COLD),
		         confidence[abs(bin) - 1]);
		if (!printlegend_row(j, c, text, &x, &y, &w, &h))
			return;
		printlegend_swatch(j, x, y, w, h, &gistarlayer_colours[bin + 3], GISTARLAYER_ALPHA,
		                   0);
	}
}

/* The trends categories in the style's colours, hot then cold, strongest
 * pattern first: those on the map when the job has the analysis (a page),
 * every one otherwise (a legend picture). */
static void legend_trends(struct printjob *j, struct typeset_column *c)
{
	const struct style_trends *s = style_trends(j->sty);
	double x, y, w, h;
	for (int hot = 1; hot >= 0; hot--)
		for (int k = TRENDS_NEW; k < TRENDS_PATTERNS; k++) {
			int category = hot ? k : -k;
			const struct style_colour *col =
			    &s->colours[category + TRENDS_PATTERNS - 1];
			if (col->a <= 0 ||
			    (j->has_tr && !j->tr->categories[category + TRENDS_PATTERNS - 1]))
				continue;
			enum msg m =
			    (hot ? MSG_TRENDS_HOT_NEW : MSG_TRENDS_COLD_NEW) + (k - TRENDS_NEW);
			if (!printlegend_row(j, c, printjob_text(j, m), &x, &y, &w, &h))
				return;
			printlegend_swatch(j, x, y, w, h, col, s->opacity, 0);
		}
}

/* The planner's layers: each look of a shift's hotspots in the style's
 * colour, filled and outlined as the tiles draw them. */
static void legend_planner(struct printjob *j, struct typeset_column *c, unsigned layers)
{
	static const struct {
		unsigned layer;
		enum style_hotspot_look look;
		enum msg text;
	} rows[] = {
	    {RENDER_HOTSPOTS, STYLE_HOTSPOT, MSG_PAPER_SHIFT_HOTSPOT},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_GAP, MSG_COVERAGE_STATUS_GAP},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_COVERED, MSG_COVERAGE_STATUS_COVERED},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_JOINT, MSG_COVERAGE_STATUS_JOINT},
	    {RENDER_COVERAGE, STYLE_HOTSPOT_OVERLAP, MSG_COVERAGE_STATUS_OVERLAP},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_UNVISITED, MSG_DOSAGE_STATUS_UNVISITED},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_SHORT, MSG_DOSAGE_STATUS_SHORT},
	    {RENDER_DOSAGE, STYLE_HOTSPOT_MET, MSG_DOSAGE_STATUS_MET},
	};
	const struct style_hotspots *hs = style_hotspots(j->sty);
	double x, y, w, h;
	for (size_t i = 0; hs && i < sizeof rows / sizeof rows[0]; i++) {
		if (!(layers & rows[i].layer))
			continue;
		char text[96];
		if (!printlegend_row(
		        j, c,
		        msg_capital(rows[i].text, (enum msg_lang)j->q->lang, text, sizeof text), &x,
		        &y, &w, &h))
			return;
		printlegend_swatch(j, x, y, w, h, &hs->colours[rows[i].look], hs->fill_opacity, 1);
	}
}

/* The legend blocks of layers, one under another, in the column. */
static void legend_blocks(struct printjob *j, struct typeset_column *c, unsigned layers,
                          const struct legend_items *it)
{
	cairo_t *cr = j->ts.cr;
	double x, y, w, h, u = j->ts.unit;
	if ((layers & RENDER_HEATMAP) && j->hm && j->ramp)
		legend_ramp(j, c, j->ramp, printjob_text(j, MSG_PAPER_DENSITY), j->hm->opacity);
	if ((layers & RENDER_CHANGE) && j->change && j->change_ramp)
		legend_ramp(j, c, j->change_ramp, printjob_text(j, MSG_PAPER_CHANGE_DENSITY),
		            j->change->opacity);
	if (layers & RENDER_GISTAR)
		legend_gistar(j, c);
	if ((layers & RENDER_TRENDS) && style_trends(j->sty))
		legend_trends(j, c);
	if (layers & RENDER_PLANNING)
		legend_planner(j, c, layers);
	if (it->hotspot &&
	    printlegend_row(j, c, printjob_text(j, MSG_PAPER_HOTSPOT), &x, &y, &w, &h)) {
		printmap_hotspot_marker(cr, x + w / 2, y + h / 2, h / 2);
		typeset_text(&j->ts, &typeset_small, "1", x + w / 2,
		             y + h / 2 - typeset_line_height(&j->ts, &typeset_small) / 2, 0, 0,
		             TYPESET_CENTRE);
	}
	const struct style_zones *zs = style_zones(j->sty);
	if ((layers & RENDER_ZONES) && zs) {
		for (size_t i = 0; i < it->n_services; i++) {
			struct style_colour col;
			style_service_colour(j->sty, it->services[i], &col);
			if (!printlegend_row(j, c, storeprint_name(&j->services, it->services[i]),
			                     &x, &y, &w, &h))
				break;
			cairo_rectangle(cr, x, y, w, h);
			printjob_colour(cr, &col, zs->fill_opacity);
			cairo_fill_preserve(cr);
			printjob_colour(cr, &col, 1);
			cairo_set_line_width(cr, 0.9 * u);
			cairo_stroke(cr);
		}
		if (it->joint &&
		    printlegend_row(j, c, printjob_text(j, MSG_PAPER_JOINT), &x, &y, &w, &h)) {
			cairo_save(cr);
			cairo_rectangle(cr, x, y, w, h);
			cairo_clip(cr);
			cairo_set_line_width(cr, 1.4 * u);
			for (int k = -4; k < 8; k++) {
				cairo_move_to(cr, x + k * 3 * u, y + h);
				cairo_line_to(cr, x + k * 3 * u + h, y);
				cairo_set_source_rgb(cr, k % 2 ? 0.35 : 0.75, 0.36,
				                     k % 2 ? 0.55 : 0.3);
				cairo_stroke(cr);
			}
			cairo_restore(cr);
		}
	}
	if ((layers & RENDER_TRACKS) && style_tracks(j->sty) &&
	    printlegend_row(j, c, printjob_text(j, MSG_LAYER_TRACKS), &x, &y, &w, &h)) {
		cairo_move_to(cr, x, y + h / 2);
		cairo_curve_to(cr, x + w / 3, y, x + 2 * w / 3, y + h, x + w, y + h / 2);
		cairo_set_source_rgb(cr, 0.15, 0.27, 0.33);
		cairo_set_line_width(cr, 1.2 * u);
		cairo_stroke(cr);
	}
	if ((layers & RENDER_CHOROPLETH) && style_choropleth(j->sty))
		legend_choropleth(j, c);
	for (size_t i = 0; (layers & RENDER_OFFENCES) && i < it->n_categories; i++) {
		struct style_colour col;
		style_category_colour(j->sty, it->categories[i], &col);
		if (!printlegend_row(j, c, storeprint_name(&j->categories, it->categories[i]), &x,
		                     &y, &w, &h))
			break;
		cairo_new_path(cr);
		cairo_arc(cr, x + w / 2, y + h / 2, h / 3, 0, 2 * PRINTJOB_PI);
		printjob_colour(cr, &col, 1);
		cairo_fill(cr);
	}
	if (it->selected && printlegend_row(j, c, it->selected, &x, &y, &w, &h)) {
		cairo_new_path(cr);
		cairo_rectangle(cr, x + 0.6 * u, y + 0.6 * u, w - 1.2 * u, h - 1.2 * u);
		printmap_selection(cr, 1.2 * u, 2.5 * u);
	}
	const struct style_area *areas[2] = {style_mahallas(j->sty), style_districts(j->sty)};
	const unsigned bits[2] = {RENDER_MAHALLAS, RENDER_DISTRICTS};
	const enum msg names[2] = {MSG_LEGEND_BOUNDARY_MAHALLA, MSG_LEGEND_BOUNDARY_DISTRICT};
	for (int i = 0; i < 2; i++) {
		if (!(layers & bits[i]) || !areas[i] ||
		    !printlegend_row(j, c, printjob_text(j, names[i]), &x, &y, &w, &h))
			continue;
		const struct style_stroke *s = &areas[i]->stroke;
		cairo_move_to(cr, x, y + h / 2);
		cairo_line_to(cr, x + w, y + h / 2);
		printjob_colour(cr, &s->colour, 1);
		cairo_set_line_width(cr,
		                     style_zfunc_eval(&s->width, it->zoom) / PRINTJOB_PX_PER_PT);
		double dash[STYLE_DASH_MAX];
		for (size_t k = 0; k < s->n_dash; k++)
			dash[k] = s->dash[k] / PRINTJOB_PX_PER_PT;
		cairo_set_dash(cr, dash, (int)s->n_dash, 0);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
}

void printlegend_page(struct printjob *j, const struct printjob_page *p, struct typeset_column *c)
{
	const char *svc[32], **cats = NULL;
	char selected[256];
	printjob_append(selected, sizeof selected, 0,
	                printjob_text(j, p->kind == SHAPES_MAHALLAS ? MSG_PAPER_SELECTED_MAHALLA
	                                                            : MSG_PAPER_SELECTED_DISTRICT),
	                printjob_area_name(j, p->area));
	struct legend_items it = {
	    .hotspot = p->n_hot > 0, .selected = selected, .services = svc, .zoom = p->view.zoom};
	typeset_heading(&j->ts, c, printjob_text(j, MSG_LEGEND));
	if (j->has_cov)
		printcover_legend(j, c);
	if (j->layers & RENDER_ZONES)
		it.n_services = frame_services(j, p, svc, 32, &it.joint);
	size_t n = dataset_category_count(j->ds);
	if ((j->layers & RENDER_OFFENCES) && style_offences(j->sty) &&
	    (cats = malloc((n ? n : 1) * sizeof *cats)))
		it.n_categories = frame_categories(j, p, cats, n);
	it.categories = cats;
	/* the analyses' blocks only with their cells on the map (an empty
	 * analysis, or a page that draws none) */
	unsigned drawn = j->layers;
	if (!j->has_gi)
		drawn &= ~(unsigned)RENDER_GISTAR;
	if (!j->has_tr)
		drawn &= ~(unsigned)RENDER_TRENDS;
	legend_blocks(j, c, drawn, &it);
	free(cats);
	c->y += 4 * j->ts.unit;
}

#define LEGEND_WIDTH 190 /* pt of a fitted legend's column */
#define LEGEND_PAD   5   /* pt around it */

/* The layers with a legend picture, and its title. */
static const struct {
	unsigned layer;
	enum msg title;
} titles[] = {{RENDER_DISTRICTS, MSG_PAPER_DISTRICT},
              {RENDER_MAHALLAS, MSG_COVERAGE_MAHALLA},
              {RENDER_CHOROPLETH, MSG_LAYER_CHOROPLETH},
              {RENDER_HEATMAP, MSG_LAYER_HEATMAP},
              {RENDER_CHANGE, MSG_PAPER_CHANGE_MAP},
              {RENDER_OFFENCES, MSG_LAYER_OFFENCES},
              {RENDER_ZONES, MSG_LAYER_ZONES},
              {RENDER_TRACKS, MSG_LAYER_TRACKS},
              {RENDER_GISTAR, MSG_GISTAR_LAYER},
              {RENDER_TRENDS, MSG_LEGEND_TRENDS},
              {RENDER_HOTSPOTS, MSG_PAPER_SHIFT_HOTSPOTS},
              {RENDER_COVERAGE, MSG_PAPER_COVERAGE},
              {RENDER_DOSAGE, MSG_DOSAGE_VIEW}};

int print_legend_exists(unsigned layer)
{
	for (size_t t = 0; t < sizeof titles / sizeof titles[0]; t++)
		if (titles[t].layer == layer)
			return 1;
	return 0;
}

int print_legend(renderer *r, store *st, const struct print_legend_request *q,
                 struct print_legend *out)
{
	struct print_request pq = {.lang = q->lang, .filter = q->filter};
	struct printjob j = {.r = r, .st = st, .q = &pq, .filter = q->filter, .metric = q->metric};
	const char **codes = NULL;
	cairo_surface_t *rec = NULL, *img = NULL;
	cairo_t *cr = NULL;
	size_t t = 0;
	int rc = 0;
	*out = (struct print_legend){0};
	while (t < sizeof titles / sizeof titles[0] && titles[t].layer != q->layer)
		t++;
	if (t == sizeof titles / sizeof titles[0])
		return err_set_field(ERR_INVALID, "layer",
		                     "layer: not a layer with a legend picture");
	j.ds = renderer_dataset(r);
	j.sty = renderer_style_acquire(r, &j.held_style);
	j.hm = style_heatmap(j.sty);
	j.change = style_change(j.sty);
	j.ts.unit = 1;
	if ((rc = storeprint_names(st, STOREPRINT_CATEGORIES, msg_lang_code((enum msg_lang)q->lang),
	                           &j.categories)) < 0 ||
	    (rc = storeprint_names(st, STOREPRINT_SERVICES, msg_lang_code((enum msg_lang)q->lang),
	                           &j.services)) < 0 ||
	    (q->layer == RENDER_HEATMAP && j.hm &&
	     (rc = renderer_heatmap_ramp(r, &j.filter, 0, &j.ramp)) < 0) ||
	    (q->layer == RENDER_CHANGE && j.change &&
	     (rc = renderer_change_ramp(r, &j.filter, &j.change_ramp)) < 0))
		goto out;
	/* Not a frame's: every service and category the district has. */
	size_t n_svc = dataset_service_count(j.ds), n_cat = dataset_category_count(j.ds);
	if (!(codes = malloc((n_svc + n_cat + 1) * sizeof *codes))) {
		rc = err_set(ERR_NOMEM, "print: out of memory for a legend");
		goto out;
	}
	for (size_t i = 0; i < n_svc; i++)
		codes[i] = dataset_service(j.ds, i);
	for (size_t i = 0; i < n_cat; i++)
		codes[n_svc + i] = dataset_category(j.ds, i);
	struct legend_items it = {.services = codes,
	                          .n_services = n_svc,
	                          .categories = codes + n_svc,
	                          .n_categories = n_cat,
	                          .zoom = q->zoom > 0 ? q->zoom : 14};
	double k = PRINTJOB_PX_PER_PT * (q->scale > 0 ? q->scale : 1);
	double w = q->width ? q->width / k : LEGEND_WIDTH + 2 * LEGEND_PAD;
	struct typeset_column c = {LEGEND_PAD, LEGEND_PAD, w - 2 * LEGEND_PAD,
	                           q->height ? q->height / k - LEGEND_PAD : INFINITY};
	/* Drawn once into a recording, which then gives the fitted height. */
	rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	j.ts.cr = cairo_create(rec);
	typeset_heading(&j.ts, &c, printjob_text(&j, titles[t].title));
	legend_blocks(&j, &c, q->layer, &it);
	rc = cairo_status(j.ts.cr) == CAIRO_STATUS_SUCCESS
	         ? 0
	         : err_set(ERR_NOMEM, "print: legend: %s",
	                   cairo_status_to_string(cairo_status(j.ts.cr)));
	cairo_destroy(j.ts.cr);
	if (rc < 0)
		goto out;
	out->width = q->width ? q->width : (int)ceil(w * k);
	out->height = q->height ? q->height : (int)ceil((c.y + LEGEND_PAD) * k);
	img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, out->width, out->height);
	cr = cairo_create(img);
	if (q->opaque) {
		cairo_set_source_rgb(cr, (q->background >> 16 & 0xFF) / 255.0,
		                     (q->background >> 8 & 0xFF) / 255.0,
		                     (q->background & 0xFF) / 255.0);
		cairo_paint(cr);
	}
	cairo_scale(cr, k, k);
	cairo_set_source_surface(cr, rec, 0, 0);
	cairo_paint(cr);
	cairo_destroy(cr);
	rc = pngenc_encode(img, &out->png, &out->len);
out:
	if (img)
		cairo_surface_destroy(img);
	if (rec)
		cairo_surface_destroy(rec);
	free(codes);
	renderer_style_release(r, j.held_style);
	style_ramp_free(j.ramp);
	style_ramp_free(j.change_ramp);
	storeprint_names_free(&j.categories);
	storeprint_names_free(&j.services);
	return rc;
}
