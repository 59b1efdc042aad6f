#include "osmtags.h"

#include "err.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct osmtags {
	char **key, **value;
	size_t n, cap;
};

int osmtags_new(osmtags **out)
{
	*out = calloc(1, sizeof **out);
	return *out ? 0 : err_set(ERR_NOMEM, "osm tags: out of memory");
}

void osmtags_clear(osmtags *t)
{
	/* A key and its value share one allocation (see put()). */
	for (size_t i = 0; i < t->n; i++)
		free(t->key[i]);
	t->n = 0;
}

void osmtags_free(osmtags *t)
{
	if (!t)
		return;
	osmtags_clear(t);
	free(t->key);
	free(t->value);
	free(t);
}

static int find(const osmtags *t, const char *key, size_t klen)
{
	for (size_t i = 0; i < t->n; i++)
		if (strncmp(t->key[i], key, klen) == 0 && t->key[i][klen] == '\0')
			return (int)i;
	return -1;
}

/* Adds key (klen bytes) = value (vlen bytes), both copied into one block. */
static int put(osmtags *t, const char *key, size_t klen, const char *value, size_t vlen)
{
	if (klen == 0 || vlen == 0)
		return 0;
	char *block = malloc(klen + vlen + 2);
	if (!block)
		return err_set(ERR_NOMEM, "osm tags: out of memory");
	memcpy(block, key, klen);
	block[klen] = '\0';
	memcpy(block + klen + 1, value, vlen);
	block[klen + 1 + vlen] = '\0';
	int at = find(t, key, klen);
	if (at >= 0) {
		free(t->key[at]);
		t->key[at] = block;
		t->value[at] = block + klen + 1;
		return 0;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **k = realloc(t->key, cap * sizeof *k);
		if (k)
			t->key = k;
		char **v = k ? realloc(t->value, cap * sizeof *v) : NULL;
		if (!v) {
			free(block);
			return err_set(ERR_NOMEM, "osm tags: out of memory");
		}
		t->value = v;
		t->cap = cap;
	}
	t->key[t->n] = block;
	t->value[t->n++] = block + klen + 1;
	return 0;
}

int osmtags_add(osmtags *t, const char *key, const char *value)
{
	return key && value ? put(t, key, strlen(key), value, strlen(value)) : 0;
}

/* Reads the quoted string at text + *at into buf (unescaped; *len bytes),
 * leaving *at after the closing quote. -1 when it is not one. */
static int quoted(const char *text, size_t *at, char *buf, size_t *len)
{
	size_t i = *at, n = 0;
	if (text[i++] != '"')
		return -1;
	for (; text[i] && text[i] != '"'; i++) {
		if (text[i] == '\\' && text[i + 1])
			i++;
		buf[n++] = text[i];
	}
	if (text[i] != '"')
		return -1;
	*at = i + 1;
	*len = n;
	return 0;
}

static void skip_spaces(const char *text, size_t *at)
{
	while (text[*at] == ' ')
		(*at)++;
}

int osmtags_parse_hstore(osmtags *t, const char *text)
{
	size_t at = 0, klen, vlen, total = strlen(text);
	/* Unescaped strings are never longer than the text. */
	char *k = malloc(total + 1), *v = malloc(total + 1);
	int rc = 0;
	if (!k || !v) {
		rc = err_set(ERR_NOMEM, "osm tags: out of memory");
		goto out;
	}
	skip_spaces(text, &at);
	while (text[at]) {
		if (quoted(text, &at, k, &klen) < 0)
			goto bad;
		skip_spaces(text, &at);
		if (strncmp(text + at, "=>", 2) != 0)
			goto bad;
		at += 2;
		skip_spaces(text, &at);
		if (strncmp(text + at, "NULL", 4) == 0) {
			at += 4;
			vlen = 0;
		} else if (quoted(text, &at, v, &vlen) < 0) {
			goto bad;
		}
		if ((rc = put(t, k, klen, v, vlen)) < 0)
			goto out;
		skip_spaces(text, &at);
		if (text[at] == ',') {
			at++;
			skip_spaces(text, &at);
			if (!text[at])
				goto bad;
		} else if (text[at]) {
			goto bad;
		}
	}
	goto out;
bad:
	rc = err_set_field(ERR_INVALID, "other_tags",
	                   "other_tags: not \"key\"=>\"value\" pairs at byte %zu", at);
out:
	free(k);
	free(v);
	return rc;
}

const char *osmtags_get(const osmtags *t, const char *key)
{
	int at = find(t, key, strlen(key));
	return at < 0 ? NULL : t->value[at];
}

size_t osmtags_count(const osmtags *t)
{
	return t->n;
}

const char *osmtags_key(const osmtags *t, size_t i)
{
	return t->key[i];
}

const char *osmtags_value(const osmtags *t, size_t i)
{
	return t->value[i];
}

char *osmtags_json(const osmtags *t)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < t->n; i++)
		if (json_object_set_new(o, t->key[i], json_string(t->value[i])) < 0)
			break;
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

const char *const osmtags_kinds[OSMTAGS_KINDS] = {
    [OSMTAGS_LANDUSE] = "landuse",   [OSMTAGS_PARK] = "park",       [OSMTAGS_WATER] = "water",
    [OSMTAGS_BUILDING] = "building", [OSMTAGS_RAILWAY] = "railway", [OSMTAGS_STREET] = "street",
    [OSMTAGS_POI] = "poi",           [OSMTAGS_ADDRESS] = "address",
};

int osmtags_kind_index(const char *kind)
{
	for (int i = 0; kind && i < OSMTAGS_KINDS; i++)
		if (strcmp(kind, osmtags_kinds[i]) == 0)
			return i;
	return -1;
}

/* A tag (value NULL: any value but "no") and what it makes a feature. */
struct rule {
	const char *key, *value, *result;
};

static const char *match(const osmtags *t, const struct rule *rules, size_t n, const char **value)
{
	for (size_t i = 0; i < n; i++) {
		const char *v = osmtags_get(t, rules[i].key);
		if (!v || strcmp(v, "no") == 0)
			continue;
		if (rules[i].value && strcmp(v, rules[i].value) != 0)
			continue;
		if (value)
			*value = v;
		return rules[i].result;
	}
	return NULL;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Streets by highway class; links are drawn as the road they join. */
static const char *const streets[][2] = {
    {"motorway", "motorway"},
    {"motorway_link", "motorway"},
    {"trunk", "trunk"},
    {"trunk_link", "trunk"},
    {"primary", "primary"},
    {"primary_link", "primary"},
    {"secondary", "secondary"},
    {"secondary_link", "secondary"},
    {"tertiary", "tertiary"},
    {"tertiary_link", "tertiary"},
    {"residential", "residential"},
    {"unclassified", "residential"},
    {"living_street", "residential"},
    {"road", "residential"},
    {"service", "service"},
    {"pedestrian", "pedestrian"},
    {"track", "track"},
    {"footway", "path"},
    {"path", "path"},
    {"cycleway", "path"},
    {"steps", "path"},
    {"bridleway", "path"},
};

static const struct rule pois[] = {
    {"amenity", "marketplace", "market"}, {"shop", "mall", "market"},
    {"amenity", "school", "school"},      {"amenity", "kindergarten", "kindergarten"},
    {"amenity", "college", "college"},    {"amenity", "university", "college"},
    {"highway", "bus_stop", "bus_stop"},  {"railway", "subway_entrance", "metro_stop"},
    {"amenity", "cafe", "cafe"},          {"amenity", "restaurant", "cafe"},
    {"amenity", "fast_food", "cafe"},     {"amenity", "bar", "cafe"},
    {"amenity", "pub", "cafe"},           {"amenity", "bank", "bank"},
    {"amenity", "hospital", "hospital"},  {"amenity", "clinic", "hospital"},
    {"amenity", "police", "police"},      {"shop", NULL, "shop"},
};

static const struct rule railways[] = {
    {"railway", "rail", "rail"},
    {"railway", "subway", "subway"},
    {"railway", "light_rail", "light_rail"},
    {"railway", "tram", "tram"},
    {"railway", "narrow_gauge", "rail"},
    {"railway", "monorail", "rail"},
};

static const struct rule waters[] = {
    {"natural", "water", "water"},     {"waterway", "riverbank", "water"},
    {"landuse", "reservoir", "water"}, {"landuse", "basin", "water"},
    {"waterway", "dock", "water"},     {"waterway", "river", "river"},
    {"waterway", "canal", "canal"},    {"waterway", "stream", "stream"},
    {"waterway", "drain", "stream"},   {"waterway", "ditch", "stream"},
};

static const struct rule parks[] = {
    {"leisure", "park", "park"},
    {"leisure", "garden", "garden"},
    {"leisure", "playground", "playground"},
    {"leisure", "pitch", "pitch"},
    {"landuse", "grass", "grass"},
    {"landuse", "recreation_ground", "park"},
    {"landuse", "village_green", "grass"},
    {"landuse", "forest", "wood"},
    {"natural", "wood", "wood"},
    {"landuse", "cemetery", "cemetery"},
};

const char *osmtags_street_class(const char *highway)
{
	for (size_t i = 0; highway && i < N(streets); i++)
		if (strcmp(highway, streets[i][0]) == 0)
			return streets[i][1];
	return NULL;
}

static const char *poi_of(const osmtags *t, enum osmtags_shape shape)
{
	const char *worship = osmtags_get(t, "amenity");
	if (worship && strcmp(worship, "place_of_worship") == 0) {
		const char *r = osmtags_get(t, "religion");
		return r && strcmp(r, "muslim") == 0 ? "mosque" : "worship";
	}
	const char *station = osmtags_get(t, "railway");
	if (station && strcmp(station, "station") == 0) {
		const char *s = osmtags_get(t, "station"), *sub = osmtags_get(t, "subway");
		if ((s && strcmp(s, "subway") == 0) || (sub && strcmp(sub, "yes") == 0))
			return "metro_stop";
	}
	const char *pt = osmtags_get(t, "public_transport"), *bus = osmtags_get(t, "bus");
	if (pt && strcmp(pt, "platform") == 0 && bus && strcmp(bus, "yes") == 0)
		return "bus_stop";
	/* A park drawn as a point is a place to name; drawn as an area it is
	 * ground (kind "park"), named all the same. */
	const char *leisure = osmtags_get(t, "leisure");
	if (shape == OSMTAGS_POINT && leisure && strcmp(leisure, "park") == 0)
		return "park";
	return match(t, pois, N(pois), NULL);
}

void osmtags_classify(const osmtags *t, enum osmtags_shape shape, struct osmtags_class *out)
{
	memset(out, 0, sizeof *out);
	out->name = osmtags_get(t, "name");
	out->name_uz = osmtags_get(t, "name:uz");
	out->name_uz_cyrl = osmtags_get(t, "name:uz-Cyrl");
	out->name_ru = osmtags_get(t, "name:ru");
	out->name_en = osmtags_get(t, "name:en");
	out->street = osmtags_get(t, "addr:street");
	out->housenumber = osmtags_get(t, "addr:housenumber");
	out->poi = poi_of(t, shape);

	const char *c;
	if (shape == OSMTAGS_LINE && (c = osmtags_street_class(osmtags_get(t, "highway")))) {
		out->kind = "street";
		out->cls = c;
	} else if (shape == OSMTAGS_LINE && (c = match(t, railways, N(railways), NULL))) {
		out->kind = "railway";
		out->cls = c;
	} else if (shape != OSMTAGS_POINT && (c = match(t, waters, N(waters), NULL))) {
		out->kind = "water";
		out->cls = c;
	} else if (shape == OSMTAGS_AREA && (c = match(t, parks, N(parks), NULL))) {
		out->kind = "park";
		out->cls = c;
	} else if (shape == OSMTAGS_AREA &&
	           match(t, (const struct rule[]){{"building", NULL, "building"}}, 1, &c)) {
		out->kind = "building";
		out->cls = c;
	} else if (shape == OSMTAGS_AREA &&
	           match(t, (const struct rule[]){{"landuse", NULL, "landuse"}}, 1, &c)) {
		out->kind = "landuse";
		out->cls = c;
	} else if (out->poi) {
		out->kind = "poi";
	} else if (out->housenumber) {
		out->kind = "address";
	}
}
