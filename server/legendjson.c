/*
 * legendjson: legends as JSON. Colours are written "#rrggbbaa".
 */
#include "legendjson.h"

#include "changemap.h"
#include "err.h"
#include "geojson.h"
#include "heatmap.h"
#include "styleramp.h"
#include "trends.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void legendjson_colour(const struct style_colour *c, char out[10])
{
	snprintf(out, 10, "#%02x%02x%02x%02x", (int)lround(c->r * 255), (int)lround(c->g * 255),
	         (int)lround(c->b * 255), (int)lround(c->a * 255));
}

/* Codes and colours of a layer's legend: categories or services. */
static json_t *legend_codes(const dataset *ds, const style *sty, int services)
{
	json_t *a = json_array();
	size_t n = services ? dataset_service_count(ds) : dataset_category_count(ds);
	for (size_t i = 0; i < n; i++) {
		const char *code = services ? dataset_service(ds, i) : dataset_category(ds, i);
		struct style_colour c;
		char hex[10];
		if (services)
			style_service_colour(sty, code, &c);
		else
			style_category_colour(sty, code, &c);
		legendjson_colour(&c, hex);
		json_array_append_new(a, json_pack("{s:s, s:s}", "code", code, "colour", hex));
	}
	return a;
}

/* The offences layer: each category's colour, and the zooms and dot radius
 * ([[zoom, px], ...], interpolated as style_zfunc_eval() does) at which the
 * dots are drawn, so that the viewer knows how far a click reaches them. */
static json_t *offences_legend(renderer *r, const style *sty)
{
	const struct style_offences *st = style_offences(sty);
	json_t *o = json_pack("{s:s, s:o}", "layer", "offences", "categories",
	                      legend_codes(renderer_dataset(r), sty, 0));
	if (st) {
		json_t *radius = json_array();
		for (size_t i = 0; i < st->radius.n; i++)
			json_array_append_new(
			    radius, json_pack("[f,f]", st->radius.zoom[i], st->radius.value[i]));
		json_object_set_new(o, "minzoom", json_real(st->zoom.min));
		json_object_set_new(o, "maxzoom", json_real(st->zoom.max));
		json_object_set_new(o, "radius", radius);
	}
	return o;
}

/* The planner's layers: the colour of each status, as the style gives it
 * (the viewer's panel and the printed pages take them from here and the
 * style); on the map a covered hotspot and an overlap's hatching take the
 * services' colours. */
static json_t *hotspots_legend(renderer *r, const style *sty, const char *layer)
{
	const struct style_hotspots *hs = style_hotspots(sty);
	static const enum style_hotspot_look looks[][5] = {
	    {STYLE_HOTSPOT, STYLE_HOTSPOT_LOOKS},
	    {STYLE_HOTSPOT_GAP, STYLE_HOTSPOT_COVERED, STYLE_HOTSPOT_JOINT, STYLE_HOTSPOT_OVERLAP,
	     STYLE_HOTSPOT_LOOKS},
	    {STYLE_HOTSPOT_UNVISITED, STYLE_HOTSPOT_SHORT, STYLE_HOTSPOT_MET, STYLE_HOTSPOT_LOOKS}};
	int which = layer[0] == 'h' ? 0 : layer[0] == 'c' ? 1 : 2;
	if (!hs) {
		err_set_field(ERR_NOTFOUND, "layer", "layer: the style has no hotspots layer");
		return NULL;
	}
	json_t *statuses = json_array();
	for (size_t i = 0; looks[which][i] != STYLE_HOTSPOT_LOOKS; i++) {
		char hex[10];
		legendjson_colour(&hs->colours[looks[which][i]], hex);
		json_array_append_new(statuses, json_pack("{s:s, s:s}", "status",
		                                          style_hotspot_look_name(looks[which][i]),
		                                          "colour", hex));
	}
	json_t *o = json_pack("{s:s, s:o, s:f}", "layer", layer, "statuses", statuses,
	                      "fill_opacity", hs->fill_opacity);
	if (which == 1)
		json_object_set_new(o, "services", legend_codes(renderer_dataset(r), sty, 1));
	return o;
}

/* The trends layer: each category's colour, hot then cold, as GET
 * /api/trends names them (category, pattern, hot); no pattern is not
 * drawn. */
static json_t *trends_legend(const style *sty)
{
	const struct style_trends *st = style_trends(sty);
	if (!st) {
		err_set_field(ERR_NOTFOUND, "layer", "layer: the style has no trends layer");
		return NULL;
	}
	json_t *categories = json_array();
	for (int sign = 1; sign >= -1; sign -= 2)
		for (int k = 1; k < TRENDS_PATTERNS; k++) {
			char hex[10];
			legendjson_colour(&st->colours[sign * k + TRENDS_PATTERNS - 1], hex);
			json_array_append_new(categories,
			                      json_pack("{s:s, s:i, s:b, s:s}", "category",
			                                trends_category_name(sign * k), "pattern",
			                                k, "hot", sign > 0, "colour", hex));
		}
	return json_pack("{s:s, s:f, s:o}", "layer", "trends", "opacity", st->opacity, "categories",
	                 categories);
}

/* The ramp of the heatmap or change layer under filter f (the heatmap's
 * fitted to it with fit). */
static json_t *ramp_legend(renderer *r, const char *layer, const struct dataset_filter *f, int fit)
{
	const dataset *ds = renderer_dataset(r);
	int change = strcmp(layer, "change") == 0;
	struct dataset_filter now = *f, before = *f;
	style_ramp *ramp;
	if (change)
		changemap_periods(ds, f, &now, &before);
	if ((change ? renderer_change_ramp(r, f, &ramp) : renderer_heatmap_ramp(r, f, fit, &ramp)) <
	    0) {
		err_set_field(err_last(), "layer", "%s", err_msg());
		return NULL;
	}
	json_t *stops = json_array();
	for (size_t i = 0; i < style_ramp_size(ramp); i++) {
		double v;
		struct style_colour c;
		char hex[10];
		style_ramp_stop(ramp, i, &v, &c);
		legendjson_colour(&c, hex);
		json_array_append_new(stops, json_pack("{s:f, s:s}", "value", v, "colour", hex));
	}
	style_ramp_free(ramp);
	json_t *o = json_pack("{s:s, s:s, s:f, s:o}", "layer", layer, "units",
	                      change ? "change in offences per km² over the period, "
	                               "against the previous period of equal length"
	                             : "offences per km² over the period",
	                      "period_days", heatmap_period_days(ds, &now), "stops", stops);
	if (!change)
		json_object_set_new(o, "ramp", json_string(fit ? "fitted" : "absolute"));
	if (change) {
		json_object_set_new(o, "from", geojson_time(now.from));
		json_object_set_new(o, "to", geojson_time(now.to));
		json_object_set_new(o, "previous_from", geojson_time(before.from));
		json_object_set_new(o, "previous_to", geojson_time(before.to));
	}
	return o;
}

/* The choropleth's classes of metric under filter f. */
static json_t *choropleth_legend(renderer *r, const struct dataset_filter *f, int metric)
{
	struct choropleth_classes c;
	if (renderer_choropleth(r, f, metric, &c) < 0) {
		err_set_field(err_last(), "layer", "%s", err_msg());
		return NULL;
	}
	static const char *const names[] = {"count", "rate", "change"};
	json_t *classes = json_array();
	for (size_t i = 0; i < c.n_classes; i++) {
		char hex[10];
		legendjson_colour(&c.colours[i], hex);
		json_array_append_new(classes, json_pack("{s:f, s:f, s:s}", "from",
		                                         i ? c.breaks[i - 1] : c.min, "to",
		                                         c.breaks[i], "colour", hex));
	}
	choropleth_classes_free(&c);
	return json_pack("{s:s, s:s, s:o}", "layer", "choropleth", "metric", names[c.metric],
	                 "classes", classes);
}

json_t *legendjson_build(renderer *r, const char *layer, const struct dataset_filter *f, int metric,
                         int fit)
{
	json_t *o = NULL;
	struct held_style *held;
	const style *sty = renderer_style_acquire(r, &held);
	if (strcmp(layer, "change") == 0 || strcmp(layer, "heatmap") == 0)
		o = ramp_legend(r, layer, f, fit);
	else if (strcmp(layer, "choropleth") == 0)
		o = choropleth_legend(r, f, metric);
	else if (strcmp(layer, "offences") == 0)
		o = offences_legend(r, sty);
	else if (strcmp(layer, "zones") == 0 || strcmp(layer, "tracks") == 0)
		o = json_pack("{s:s, s:o}", "layer", layer, "services",
		              legend_codes(renderer_dataset(r), sty, 1));
	else if (strcmp(layer, "trends") == 0)
		o = trends_legend(sty);
	else if (strcmp(layer, "hotspots") == 0 || strcmp(layer, "coverage") == 0 ||
	         strcmp(layer, "dosage") == 0)
		o = hotspots_legend(r, sty, layer);
	else
		err_set_field(ERR_NOTFOUND, "layer", "layer: no legend for '%s'", layer);
	renderer_style_release(r, held);
	return o;
}
