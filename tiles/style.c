/*
 * style: the style loader - the style object, its top-level sections
 * (fonts, categories, services), loading and the getters.
 *
 * A style is loaded once at start (or on reload) and read by every render
 * thread, so loading favours clear errors over speed and reading favours
 * speed: the painters get plain structs. The reader that checks values and
 * words errors with a position is stylejson; the layers are read by
 * stylelayers; colours and ramps are stylecolour and styleramp.
 *
 * Everything a style owns (strings, layer structs) lives in one pool of
 * blocks freed together by style_free(); only the heatmap's and the change
 * layer's ramps are separate objects.
 */
#include "style.h"

#include "datapath.h"
#include "err.h"
#include "stylejson.h"
#include "stylelayers.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODE_MAX      64 /* bytes of a category or service code */
#define FAMILIES_MAX  8  /* font families of one font */
#define DAYS_PER_YEAR 365.25

struct style {
	struct stylejson_block *pool;
	const char *name;
	int has_background;
	struct style_colour background;
	struct style_font *fonts;
	size_t n_fonts;
	struct style_category *categories;
	size_t n_categories;
	struct style_service *services;
	size_t n_services;
	struct stylelayers layers;
};

/* ---- zoom functions ---------------------------------------------------- */

double style_zfunc_eval(const struct style_zfunc *f, double zoom)
{
	if (f->n == 0)
		return 0;
	if (!(zoom > f->zoom[0]))
		return f->value[0];
	for (size_t i = 1; i < f->n; i++) {
		if (zoom < f->zoom[i]) {
			double t = (zoom - f->zoom[i - 1]) / (f->zoom[i] - f->zoom[i - 1]);
			return f->value[i - 1] + (f->value[i] - f->value[i - 1]) * t;
		}
	}
	return f->value[f->n - 1];
}

int style_zoom_contains(const struct style_zoom *z, double zoom)
{
	return zoom >= z->min && zoom <= z->max;
}

double style_label_size(const struct style_label *label, double zoom)
{
	return style_zfunc_eval(&label->size, zoom);
}

int style_heatmap_ramp(const struct style_heatmap *h, double mean_density, double period_days,
                       style_ramp **out)
{
	*out = NULL;
	if (h->breaks == STYLE_BREAKS_AUTO) {
		if (!isfinite(mean_density) || !(mean_density > 0))
			return err_set_field(ERR_INVALID, "heatmap",
			                     "heatmap: auto breaks need a mean density > 0, not %g",
			                     mean_density);
		return style_ramp_scaled(h->ramp, mean_density, out);
	}
	if (!isfinite(period_days) || !(period_days > 0))
		return err_set_field(ERR_INVALID, "heatmap",
		                     "heatmap: fixed breaks need a period > 0 days, not %g",
		                     period_days);
	return style_ramp_scaled(h->ramp, period_days / DAYS_PER_YEAR, out);
}

static const struct stylejson_range WEIGHT = {0, 1000, 0, 0};

static const char *const weight_names[] = {"regular", "medium", "semibold", "bold", NULL};
static const int weight_values[] = {400, 500, 600, 700};

static const char *const font_style_names[] = {"normal", "italic", NULL};

static const char *const hotspot_look_names[] = {[STYLE_HOTSPOT] = "hotspot",
                                                 [STYLE_HOTSPOT_GAP] = "gap",
                                                 [STYLE_HOTSPOT_JOINT] = "joint",
                                                 [STYLE_HOTSPOT_OVERLAP] = "overlap",
                                                 [STYLE_HOTSPOT_UNVISITED] = "unvisited",
                                                 [STYLE_HOTSPOT_SHORT] = "short",
                                                 [STYLE_HOTSPOT_MET] = "met",
                                                 [STYLE_HOTSPOT_COVERED] = "covered",
                                                 NULL};

const char *style_hotspot_look_name(enum style_hotspot_look look)
{
	return hotspot_look_names[look];
}

const struct style_font *style_font(const style *s, const char *name)
{
	for (size_t i = 0; name && i < s->n_fonts; i++)
		if (strcmp(s->fonts[i].name, name) == 0)
			return &s->fonts[i];
	return NULL;
}

/* fields: bit mask of the enum style_field values the layer has. */
/* ---- fonts, categories, services --------------------------------------- */

static int rd_fonts(struct stylejson *c, style *s, json_t *v)
{
	static const char *const keys[] = {"families", "weight", "style", NULL};
	const char *name;
	json_t *f;
	int rc = stylejson_object(c, v);
	if (rc < 0)
		return rc;
	s->fonts = stylejson_alloc(c, (json_object_size(v) + 1) * sizeof *s->fonts);
	if (!s->fonts)
		return stylejson_nomem(c);
	json_object_foreach(v, name, f)
	{
		struct style_font *font = &s->fonts[s->n_fonts];
		stylejson_push_key(c, name);
		if (!name[0])
			return stylejson_fail(c, 1, "a font needs a name");
		rc = stylejson_object(c, f);
		if (rc == 0)
			rc = stylejson_check_keys(c, f, keys);
		if (rc < 0)
			return rc;
		json_t *a = stylejson_enter(c, f, "families");
		if (!a)
			return stylejson_missing(c, "families");
		size_t n = json_is_array(a) ? json_array_size(a) : 0;
		if (n < 1 || n > FAMILIES_MAX)
			return stylejson_fail(c, 0, "expected an array of 1 to %d family names",
			                      FAMILIES_MAX);
		const char **families = stylejson_alloc(c, (n + 1) * sizeof *families);
		size_t len = 0;
		if (!families)
			return stylejson_nomem(c);
		for (size_t i = 0; i < n; i++) {
			json_t *fam = json_array_get(a, i);
			stylejson_push_index(c, i);
			if (!json_is_string(fam))
				return stylejson_fail(c, 0, "expected a font family name, got %s",
				                      stylejson_type_name(fam));
			const char *text = json_string_value(fam);
			if (!text[0] || strchr(text, ','))
				return stylejson_fail(
				    c, 0, "'%.40s' is not a family name (empty or with a comma)",
				    text);
			if (!(families[i] = stylejson_strdup(c, text)))
				return stylejson_nomem(c);
			len += strlen(text) + 1;
			stylejson_pop(c);
		}
		stylejson_pop(c);
		char *family = stylejson_alloc(c, len);
		if (!family)
			return stylejson_nomem(c);
		for (size_t i = 0, at = 0; i < n; i++) {
			size_t w = strlen(families[i]);
			memcpy(family + at, families[i], w);
			at += w;
			family[at++] = i + 1 < n ? ',' : '\0';
		}
		int weight = 0, italic = 0;
		rc = stylejson_get_enum(c, f, "weight", "font weight", weight_names, ~0u, &weight);
		if (rc == 0)
			rc = stylejson_get_enum(c, f, "style", "font style", font_style_names, ~0u,
			                        &italic);
		if (rc < 0)
			return rc;
		if (!(font->name = stylejson_strdup(c, name)))
			return stylejson_nomem(c);
		font->family = family;
		font->families = families;
		font->n_families = n;
		font->weight = weight_values[weight];
		font->italic = italic;
		s->n_fonts++;
		stylejson_pop(c);
	}
	return 0;
}

/* Checks a code key (the path is at it) and copies it into the style. */
static int rd_code(struct stylejson *c, const char *code, const char **out)
{
	size_t len = strlen(code);
	if (len < 1 || len > CODE_MAX)
		return stylejson_fail(c, 1, "a code must be 1 to %d bytes", CODE_MAX);
	*out = stylejson_strdup(c, code);
	return *out ? 0 : stylejson_nomem(c);
}

static int rd_categories(struct stylejson *c, style *s, json_t *v)
{
	static const char *const keys[] = {"colour", "weight", NULL};
	const char *code;
	json_t *e;
	int rc = stylejson_object(c, v);
	if (rc < 0)
		return rc;
	s->categories = stylejson_alloc(c, (json_object_size(v) + 1) * sizeof *s->categories);
	if (!s->categories)
		return stylejson_nomem(c);
	json_object_foreach(v, code, e)
	{
		struct style_category *cat = &s->categories[s->n_categories];
		stylejson_push_key(c, code);
		cat->weight = 1;
		rc = rd_code(c, code, &cat->code);
		if (rc == 0)
			rc = stylejson_object(c, e);
		if (rc == 0)
			rc = stylejson_check_keys(c, e, keys);
		if (rc == 0)
			rc = stylejson_get_colour(c, e, "colour", 1, &cat->colour);
		if (rc == 0)
			rc = stylejson_get_number(c, e, "weight", 0, &WEIGHT, &cat->weight);
		if (rc < 0)
			return rc;
		s->n_categories++;
		stylejson_pop(c);
	}
	return 0;
}

static int rd_services(struct stylejson *c, style *s, json_t *v)
{
	static const char *const keys[] = {"colour", NULL};
	const char *code;
	json_t *e;
	int rc = stylejson_object(c, v);
	if (rc < 0)
		return rc;
	s->services = stylejson_alloc(c, (json_object_size(v) + 1) * sizeof *s->services);
	if (!s->services)
		return stylejson_nomem(c);
	json_object_foreach(v, code, e)
	{
		struct style_service *svc = &s->services[s->n_services];
		stylejson_push_key(c, code);
		rc = rd_code(c, code, &svc->code);
		if (rc == 0)
			rc = stylejson_object(c, e);
		if (rc == 0)
			rc = stylejson_check_keys(c, e, keys);
		if (rc == 0)
			rc = stylejson_get_colour(c, e, "colour", 1, &svc->colour);
		if (rc < 0)
			return rc;
		s->n_services++;
		stylejson_pop(c);
	}
	return 0;
}

/* ---- loading ----------------------------------------------------------- */

static int rd_layers(struct stylejson *c, style *s, json_t *v)
{
	return stylelayers_read(c, v, s, &s->layers);
}

static int rd_style(struct stylejson *c, style *s, json_t *root)
{
	static const char *const keys[] = {"version",    "name",   "description",
	                                   "background", "fonts",  "categories",
	                                   "services",   "layers", NULL};
	double version = 0;
	static const struct stylejson_range any_version = {0, 1e9, 0, 1};
	json_t *v;
	int rc = stylejson_object(c, root);
	if (rc == 0)
		rc = stylejson_check_keys(c, root, keys);
	if (rc == 0)
		rc = stylejson_get_number(c, root, "version", 1, &any_version, &version);
	if (rc < 0)
		return rc;
	if (version != 1) {
		stylejson_push_key(c, "version");
		return stylejson_fail(
		    c, 0, "version %g is not supported (this build reads version 1)", version);
	}
	/* the description is for people reading the file: checked, not kept */
	const char *description = NULL;
	s->name = "";
	rc = stylejson_get_string(c, root, "name", &s->name);
	if (rc == 0)
		rc = stylejson_get_string(c, root, "description", &description);
	if (rc == 0 && json_object_get(root, "background")) {
		s->has_background = 1;
		rc = stylejson_get_colour(c, root, "background", 1, &s->background);
	}
	const char *parts[] = {"fonts", "categories", "services", "layers"};
	int (*const readers[])(struct stylejson *, style *, json_t *) = {rd_fonts, rd_categories,
	                                                                 rd_services, rd_layers};
	for (size_t i = 0; rc == 0 && i < 4; i++) {
		if (!(v = stylejson_enter(c, root, parts[i])))
			continue;
		rc = readers[i](c, s, v);
		if (rc == 0)
			stylejson_pop(c);
	}
	if (rc == 0 && !json_object_get(root, "layers"))
		rc = stylejson_missing(c, "layers");
	return rc;
}

int style_parse(const char *text, const char *name, style **out)
{
	json_error_t jerr;
	json_t *root = NULL;
	struct stylejson c = {.text = text, .name = name ? name : "style"};
	style *s = calloc(1, sizeof *s);
	int rc = 0;
	*out = NULL;
	if (!s) {
		rc = err_set(ERR_NOMEM, "%s: out of memory", c.name);
		goto out;
	}
	root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		if (jerr.line > 0)
			rc = err_set(ERR_INVALID, "%s:%d:%d: %s", c.name, jerr.line, jerr.column,
			             jerr.text);
		else
			rc = err_set(ERR_INVALID, "%s: %s", c.name, jerr.text);
		goto out;
	}
	c.pool = &s->pool;
	rc = rd_style(&c, s, root);
	if (rc < 0)
		goto out;
	*out = s;
	s = NULL;
out:
	json_decref(root);
	style_free(s);
	return rc;
}

int style_load(const char *path, style **out)
{
	char *text = NULL, found[PATH_MAX];
	size_t len = 0;
	int rc = 0;
	*out = NULL;
	if (!path) {
		if ((rc = datapath_find(DATAPATH_STYLE, NULL, NULL, found, sizeof found)) < 0)
			return rc;
		path = found;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(ERR_IO, "%s: %s", path, strerror(errno));
	if (!(text = malloc(STYLE_FILE_MAX + 2))) {
		rc = err_set(ERR_NOMEM, "%s: out of memory", path);
		goto out;
	}
	len = fread(text, 1, STYLE_FILE_MAX + 1, f);
	if (ferror(f)) {
		rc = err_set(ERR_IO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > STYLE_FILE_MAX) {
		rc = err_set(ERR_INVALID, "%s: larger than %d bytes", path, STYLE_FILE_MAX);
		goto out;
	}
	text[len] = '\0';
	if (memchr(text, '\0', len)) {
		rc = err_set(ERR_INVALID, "%s: contains a NUL byte", path);
		goto out;
	}
	rc = style_parse(text, path, out);
out:
	fclose(f);
	free(text);
	return rc;
}

void style_free(style *s)
{
	if (!s)
		return;
	stylelayers_free(&s->layers);
	stylejson_pool_free(s->pool);
	free(s);
}

/* ---- getters ----------------------------------------------------------- */

const char *style_name(const style *s)
{
	return s->name;
}

int style_background(const style *s, struct style_colour *out)
{
	*out = s->has_background ? s->background : (struct style_colour){0, 0, 0, 0};
	return s->has_background;
}

const struct style_area *style_districts(const style *s)
{
	return s->layers.districts;
}

const struct style_area *style_area_in(const struct style_area *st, enum style_field names,
                                       double scale, struct style_area_copy *out)
{
	if (!st)
		return NULL;
	out->area = *st;
	if (st->label) {
		out->label = *st->label;
		if (st->label->field != STYLE_FIELD_CODE && names != STYLE_FIELD_CODE)
			out->label.field = names;
		for (size_t i = 0; i < out->label.size.n; i++)
			out->label.size.value[i] *= scale;
		out->area.label = &out->label;
	}
	return &out->area;
}

const struct style_area *style_mahallas(const style *s)
{
	return s->layers.mahallas;
}

const struct style_choropleth *style_choropleth(const style *s)
{
	return s->layers.choropleth;
}

const struct style_heatmap *style_heatmap(const style *s)
{
	return s->layers.heatmap;
}

const struct style_heatmap *style_change(const style *s)
{
	return s->layers.change;
}

const struct style_offences *style_offences(const style *s)
{
	return s->layers.offences;
}

const struct style_zones *style_zones(const style *s)
{
	return s->layers.zones;
}

const struct style_hotspots *style_hotspots(const style *s)
{
	return s->layers.hotspots;
}

const struct style_trends *style_trends(const style *s)
{
	return s->layers.trends;
}

const struct style_tracks *style_tracks(const style *s)
{
	return s->layers.tracks;
}

const struct style_basemap *style_basemap(const style *s)
{
	return s->layers.base;
}

enum style_street style_street_of(const char *cls)
{
	static const struct {
		const char *cls;
		enum style_street group;
	} groups[] = {
	    {"motorway", STYLE_STREET_MAJOR},  {"trunk", STYLE_STREET_MAJOR},
	    {"primary", STYLE_STREET_MAJOR},   {"secondary", STYLE_STREET_MAJOR},
	    {"tertiary", STYLE_STREET_MEDIUM}, {"path", STYLE_STREET_PATH},
	};
	for (size_t i = 0; cls && i < sizeof groups / sizeof groups[0]; i++)
		if (strcmp(cls, groups[i].cls) == 0)
			return groups[i].group;
	return STYLE_STREET_MINOR;
}

static const struct style_category *find_category(const style *s, const char *code)
{
	for (size_t i = 0; code && i < s->n_categories; i++)
		if (strcmp(s->categories[i].code, code) == 0)
			return &s->categories[i];
	return NULL;
}

int style_category_colour(const style *s, const char *code, struct style_colour *out)
{
	const struct style_category *cat = find_category(s, code);
	if (cat) {
		*out = cat->colour;
		return 1;
	}
	style_colour_fallback(code, out);
	return 0;
}

double style_category_weight(const style *s, const char *code)
{
	const struct style_category *cat = find_category(s, code);
	return cat ? cat->weight : 1.0;
}

int style_service_colour(const style *s, const char *code, struct style_colour *out)
{
	for (size_t i = 0; code && i < s->n_services; i++) {
		if (strcmp(s->services[i].code, code) == 0) {
			*out = s->services[i].colour;
			return 1;
		}
	}
	style_colour_fallback(code, out);
	return 0;
}

size_t style_categories(const style *s, const struct style_category **out)
{
	*out = s->categories;
	return s->n_categories;
}

size_t style_services(const style *s, const struct style_service **out)
{
	*out = s->services;
	return s->n_services;
}
