#include "geocode.h"

#include "arena.h"
#include "err.h"
#include "locator.h"
#include "strmap.h"
#include "wkb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX      256
#define STEP_M       40.0   /* streets are known by a point this often along them */
#define SAME_HOUSE_M 500.0  /* one number's houses this close are one house */
#define ONE_STREET_M 3000.0 /* one name's points this close are one street */
#define M_PER_DEG    111320.0
/* Between words; "12/3" stays one. */
#define SEPARATORS " \t.,;:()\"-"

/* A name (a house's street and number, a street) at a point. */
struct entry {
	const char *key;
	double lon, lat;
};

struct table {
	struct entry *e;
	size_t n, cap;
	strmap *first; /* key -> the index of its first entry (sorted by key) */
};

/* Texts copied into the geocoder's arena, by index. */
struct texts {
	const char **v;
	size_t n, cap;
};

struct geocoder {
	struct arena arena;
	struct table houses, streets;
	locator *mahallas;
	strmap *mahalla_names; /* normalised name -> index into codes */
	struct texts codes;
	/* A street's names in other languages -> its local name, which the
	 * houses' addresses use: "бахор" -> "bahor". */
	strmap *local;
	struct texts locals;
};

static int nomem(void)
{
	return err_set(ERR_NOMEM, "geocode: out of memory");
}

/* Words that say what a name is rather than which: "Navroʻz koʻchasi" and
 * "ул. Навруз" name one street. */
static const char *const generic[] = {"ko'chasi", "ko'cha", "кўчаси", "кучаси", "улица", "ул",
                                      "ulitsa",   "street", "st",     "str",    NULL};
/* Words around a house number: "12-uy", "д. 12", "дом 12", "house 12". */
static const char *const house_words[] = {"uy", "д", "дом", "house", "no", "№", "h", NULL};
/* Words that mark a mahalla's name in an address. */
static const char *const mahalla_words[] = {"mfy",     "mahalla", "mahallasi", "маҳалла",
                                            "махалля", "махалла", "мфй",       NULL};

static int listed(const char *word, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strlen(list[i]) == len && memcmp(list[i], word, len) == 0)
			return 1;
	return 0;
}

/* The lower case of the letter at s (len bytes left) into out; its length
 * in s. ASCII and the Cyrillic of Uzbek and Russian, the Uzbek letters as
 * Russian writes them; apostrophes of every kind become "'". */
static size_t fold(const unsigned char *s, size_t len, char *out, size_t *out_len)
{
	unsigned c = s[0], d = len > 1 ? s[1] : 0;
	*out_len = 1;
	if (c < 0x80) {
		out[0] = (char)(c == '`' ? '\'' : c >= 'A' && c <= 'Z' ? c + 32 : c);
		return 1;
	}
	if (c == 0xCA && (d == 0xBB || d == 0xBC)) { /* ʻ ʼ */
		out[0] = '\'';
		return 2;
	}
	if (c == 0xE2 && len > 2 && d == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) { /* ‘ ’ */
		out[0] = '\'';
		return 3;
	}
	if (len < 2)
		return (out[0] = (char)c), 1;
	*out_len = 2;
	unsigned cp = ((c & 0x1F) << 6) | (d & 0x3F);
	if ((c & 0xE0) == 0xC0) {
		if (cp >= 0x410 && cp <= 0x42F)
			cp += 0x20;
		else if (cp >= 0x400 && cp <= 0x40F)
			cp += 0x50;
		else if (cp >= 0x490 && cp <= 0x4BF && cp % 2 == 0) /* Ғ Қ Ҳ ... */
			cp += 1;
		/* Russian spellings of Uzbek names drop the letters Russian lacks:
		 * "Бахор" is "Баҳор". */
		cp = cp == 0x4B3   ? 0x445
		     : cp == 0x49B ? 0x43A
		     : cp == 0x493 ? 0x433
		     : cp == 0x45E ? 0x443
		                   : cp;
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	/* Other sequences as they are. */
	size_t n = (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
	n = n > len ? len : n;
	memcpy(out, s, n);
	*out_len = n;
	return n;
}

/* Words of text (len bytes) folded, split at spaces and punctuation, less
 * those of skip, joined by one space into out (n bytes). */
static void normalise(const char *text, size_t len, const char *const *skip, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t o = 0, i = 0;
	while (i < len) {
		char word[KEY_MAX];
		size_t w = 0;
		while (i < len && strchr(SEPARATORS, s[i]))
			i++;
		while (i < len && !strchr(SEPARATORS, s[i])) {
			char f[4];
			size_t fl;
			i += fold(s + i, len - i, f, &fl);
			if (w + fl < sizeof word)
				memcpy(word + w, f, fl), w += fl;
		}
		if (!w || (skip && listed(word, w, skip)))
			continue;
		if (o && o + 1 < n)
			out[o++] = ' ';
		if (o + w >= n)
			break;
		memcpy(out + o, word, w);
		o += w;
	}
	out[o] = '\0';
}

/* A house number as compared: "12-uy" "12", "12A" "12a", "12/3" kept. */
static void house_number(const char *text, char *out, size_t n)
{
	char folded[KEY_MAX];
	normalise(text, strlen(text), house_words, folded, sizeof folded);
	/* The first word that starts with a digit, to its end. */
	const char *p = folded;
	while (*p && !(*p >= '0' && *p <= '9'))
		p++;
	size_t len = strcspn(p, " ");
	snprintf(out, n, "%.*s", (int)len, p);
}

static int table_add(struct geocoder *g, struct table *t, const char *key, double lon, double lat)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 1024;
		struct entry *e = realloc(t->e, cap * sizeof *e);
		if (!e)
			return nomem();
		t->e = e, t->cap = cap;
	}
	/* Entries of one key share its copy. */
	const char *k = t->n && strcmp(t->e[t->n - 1].key, key) == 0 ? t->e[t->n - 1].key
	                                                             : arena_strdup(&g->arena, key);
	if (!k)
		return nomem();
	t->e[t->n++] = (struct entry){k, lon, lat};
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static int table_index(struct table *t)
{
	if (t->n)
		qsort(t->e, t->n, sizeof *t->e, by_key);
	if (!(t->first = strmap_new()))
		return nomem();
	for (size_t i = 0; i < t->n; i++)
		if ((i == 0 || strcmp(t->e[i - 1].key, t->e[i].key) != 0) &&
		    strmap_put(t->first, t->e[i].key, (int64_t)i) < 0)
			return nomem();
	return 0;
}

/* The entries of key: *first and their count (0 without any). */
static size_t table_find(const struct table *t, const char *key, size_t *first)
{
	int64_t i;
	if (!*key || !strmap_get(t->first, key, &i))
		return 0;
	size_t n = 0;
	while ((size_t)i + n < t->n && strcmp(t->e[i + n].key, key) == 0)
		n++;
	*first = (size_t)i;
	return n;
}

/* One reference feature while its WKB is walked. */
struct walk {
	struct geocoder *g;
	const char *keys[5]; /* the street's names, normalised, distinct; NULL-ended */
	double box[4];
	int rc;
};

static int street_points(void *ctx, enum wkb_run kind, const double *xy, size_t n)
{
	struct walk *w = ctx;
	for (size_t i = 0; i < n; i++) {
		w->box[0] = fmin(w->box[0], xy[2 * i]), w->box[2] = fmax(w->box[2], xy[2 * i]);
		w->box[1] = fmin(w->box[1], xy[2 * i + 1]),
		w->box[3] = fmax(w->box[3], xy[2 * i + 1]);
	}
	if (kind != WKB_LINE || !w->keys[0])
		return 0;
	/* Points STEP_M apart along the line, so that its part in any mahalla
	 * has some. */
	for (size_t i = 0; i + 1 < n; i++) {
		const double *a = xy + 2 * i, *b = a + 2;
		double kx = M_PER_DEG * cos(a[1] * M_PI / 180);
		double len = hypot((b[0] - a[0]) * kx, (b[1] - a[1]) * M_PER_DEG);
		int steps = (int)fmin(ceil(len / STEP_M), 1000);
		for (int s = 0; s <= steps; s++) {
			double t = steps ? (double)s / steps : 0;
			if (s == steps && i + 2 < n)
				break; /* the next segment's first */
			for (size_t k = 0; w->keys[k]; k++)
				if ((w->rc = table_add(w->g, &w->g->streets, w->keys[k],
				                       a[0] + t * (b[0] - a[0]),
				                       a[1] + t * (b[1] - a[1]))) < 0)
					return w->rc;
		}
	}
	return 0;
}

/* Appends a copy of text to l. ERR_NOMEM. */
static int texts_add(struct geocoder *g, struct texts *l, const char *text)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		const char **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return nomem();
		l->v = v, l->cap = cap;
	}
	if (!(l->v[l->n] = arena_strdup(&g->arena, text)))
		return nomem();
	l->n++;
	return 0;
}

/* keys[1 .. n - 1] are other names of the street whose local name is keys[0]. */
static int add_local(struct geocoder *g, const char *const *keys, int n)
{
	int64_t i;
	if (strmap_get(g->local, keys[1], &i))
		return 0; /* one way of a street seen before */
	int rc = texts_add(g, &g->locals, keys[0]);
	for (int k = 1; rc == 0 && k < n; k++)
		if (strmap_put(g->local, keys[k], (int64_t)g->locals.n - 1) < 0)
			rc = nomem();
	return rc;
}

static int take_feature(void *ctx, const struct store_ref_feature *f)
{
	struct geocoder *g = ctx;
	char names[5][KEY_MAX];
	struct walk w = {.g = g, .box = {INFINITY, INFINITY, -INFINITY, -INFINITY}};
	int street = strcmp(f->kind, "street") == 0, n = 0, rc;
	if (street) {
		const char *all[] = {f->name, f->name_uz, f->name_uz_cyrl, f->name_ru, f->name_en};
		for (size_t i = 0; i < 5; i++) {
			if (!all[i])
				continue;
			normalise(all[i], strlen(all[i]), generic, names[n], KEY_MAX);
			int seen = !names[n][0];
			for (int k = 0; k < n && !seen; k++)
				seen = strcmp(names[k], names[n]) == 0;
			if (!seen)
				w.keys[n] = names[n], n++;
		}
	}
	if (n > 1 && f->name && (rc = add_local(g, w.keys, n)) < 0)
		return rc;
	int house = f->street && f->housenumber;
	if (!n && !house)
		return 0;
	if ((rc = wkb_walk(f->wkb, f->wkb_len, street_points, &w)) < 0)
		return err_set(rc, "reference feature %s: %s", f->external_id, err_msg());
	if (w.rc < 0)
		return w.rc;
	if (house && w.box[0] <= w.box[2]) {
		char key[2 * KEY_MAX + 2], number[KEY_MAX];
		normalise(f->street, strlen(f->street), generic, key, KEY_MAX);
		house_number(f->housenumber, number, sizeof number);
		size_t len = strlen(key);
		snprintf(key + len, sizeof key - len, "\x1f%s", number);
		if (*number && (rc = table_add(g, &g->houses, key, (w.box[0] + w.box[2]) / 2,
		                               (w.box[1] + w.box[3]) / 2)) < 0)
			return rc;
	}
	return 0;
}

static int take_mahalla(void *ctx, const struct store_area_record *r)
{
	struct geocoder *g = ctx;
	const struct store_area *a = &r->area;
	int rc;
	if (!a->wkb)
		return 0;
	if ((rc = locator_add(g->mahallas, a->code, a->wkb, a->wkb_len)) < 0)
		return rc;
	if ((rc = texts_add(g, &g->codes, a->code)) < 0)
		return rc;
	const char *names[] = {a->name_uz, a->name_ru, a->name_en};
	for (size_t i = 0; i < 3; i++) {
		char key[KEY_MAX];
		if (!names[i])
			continue;
		normalise(names[i], strlen(names[i]), mahalla_words, key, sizeof key);
		if (*key && strmap_put(g->mahalla_names, key, (int64_t)g->codes.n - 1) < 0)
			return nomem();
	}
	return 0;
}

int geocode_open(store *st, geocoder **out)
{
	struct geocoder *g = calloc(1, sizeof *g);
	int rc;
	*out = NULL;
	if (!g)
		return nomem();
	if (!(g->mahallas = locator_new()) || !(g->mahalla_names = strmap_new()) ||
	    !(g->local = strmap_new())) {
		rc = nomem();
		goto fail;
	}
	if ((rc = store_list_areas(st, STORE_MAHALLAS, NULL, 0, take_mahalla, g)) < 0 ||
	    (rc = store_each_ref_feature(st, NULL, take_feature, g)) < 0 ||
	    (rc = table_index(&g->houses)) < 0 || (rc = table_index(&g->streets)) < 0)
		goto fail;
	*out = g;
	return 0;
fail:
	geocode_free(g);
	return rc;
}

void geocode_free(geocoder *g)
{
	if (!g)
		return;
	for (struct table *t = &g->houses; t <= &g->streets; t++) {
		free(t->e);
		strmap_free(t->first);
	}
	locator_free(g->mahallas);
	strmap_free(g->mahalla_names);
	free(g->codes.v);
	strmap_free(g->local);
	free(g->locals.v);
	arena_free(&g->arena);
	free(g);
}

int geocode_has_ground(const geocoder *g)
{
	return g->houses.n + g->streets.n > 0;
}

static double metres(double lon1, double lat1, double lon2, double lat2)
{
	return hypot((lon2 - lon1) * M_PER_DEG * cos(lat1 * M_PI / 180), (lat2 - lat1) * M_PER_DEG);
}

/* Of the n entries at e, those in mahalla (all when NULL): the one nearest
 * their middle into *out, when they lie within reach metres of each other
 * (one place, not two of one name). */
static int pick(const geocoder *g, const struct entry *e, size_t n, const char *mahalla,
                double reach, struct geocode_result *out)
{
	double box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY}, mx = 0, my = 0;
	size_t in = 0;
	for (int pass = 0; pass < 2; pass++) {
		double best = INFINITY;
		for (size_t i = 0; i < n; i++) {
			if (mahalla) {
				const char *at = locator_find(g->mahallas, e[i].lon, e[i].lat);
				if (!at || strcmp(at, mahalla) != 0)
					continue;
			}
			if (pass == 0) {
				box[0] = fmin(box[0], e[i].lon), box[2] = fmax(box[2], e[i].lon);
				box[1] = fmin(box[1], e[i].lat), box[3] = fmax(box[3], e[i].lat);
				mx += e[i].lon, my += e[i].lat, in++;
				continue;
			}
			double d = metres(mx, my, e[i].lon, e[i].lat);
			if (d < best)
				best = d, out->lon = e[i].lon, out->lat = e[i].lat;
		}
		if (pass == 0) {
			if (!in || metres(box[0], box[1], box[2], box[3]) > reach)
				return 0;
			mx /= (double)in, my /= (double)in;
		}
	}
	return 1;
}

/* The parts of an address: its street, house number and mahalla name. */
struct parts {
	char street[KEY_MAX], number[KEY_MAX], mahalla[KEY_MAX];
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void split(const char *address, struct parts *p)
{
	p->street[0] = p->number[0] = p->mahalla[0] = '\0';
	for (const char *part = address; *part;) {
		size_t len = strcspn(part, ",;");
		char words[KEY_MAX], rest[KEY_MAX];
		normalise(part, len, NULL, words, sizeof words);
		normalise(part, len, mahalla_words, rest, sizeof rest);
		if (strcmp(rest, words) != 0) {
			if (!p->mahalla[0])
				snprintf(p->mahalla, sizeof p->mahalla, "%s", rest);
		} else {
			/* "12-uy", "д. 12": a number and its words; "Navroʻz
			 * koʻchasi 12": the street with its number. */
			normalise(part, len, house_words, rest, sizeof rest);
			char *last = strrchr(rest, ' ');
			last = last ? last + 1 : rest;
			if (is_digit(*last) && !p->number[0])
				snprintf(p->number, sizeof p->number, "%s", last);
			if (is_digit(*last))
				*(last == rest ? last : last - 1) = '\0';
			if (*rest && !p->street[0])
				normalise(rest, strlen(rest), generic, p->street, sizeof p->street);
		}
		part += len;
		if (*part)
			part++;
	}
}

void geocode_find(const geocoder *g, const char *address, const char *mahalla,
                  struct geocode_result *out)
{
	struct parts p;
	size_t first, n;
	*out = (struct geocode_result){.level = GEOCODE_NONE, .mahalla = mahalla};
	if (!address)
		return;
	split(address, &p);
	if (!mahalla && p.mahalla[0]) {
		int64_t i;
		if (strmap_get(g->mahalla_names, p.mahalla, &i))
			out->mahalla = g->codes.v[i];
	}
	if (p.street[0] && p.number[0]) {
		char key[2 * KEY_MAX + 2];
		int64_t l;
		/* Houses name their street by its local name. */
		snprintf(key, sizeof key, "%s\x1f%s",
		         strmap_get(g->local, p.street, &l) ? g->locals.v[l] : p.street, p.number);
		n = table_find(&g->houses, key, &first);
		/* The mahalla's house of that number, else the only one. */
		if (n && ((out->mahalla &&
		           pick(g, g->houses.e + first, n, out->mahalla, SAME_HOUSE_M, out)) ||
		          pick(g, g->houses.e + first, n, NULL, SAME_HOUSE_M, out))) {
			out->level = GEOCODE_HOUSE;
			return;
		}
	}
	if (p.street[0] && (n = table_find(&g->streets, p.street, &first)) > 0 &&
	    pick(g, g->streets.e + first, n, out->mahalla, out->mahalla ? INFINITY : ONE_STREET_M,
	         out)) {
		out->level = GEOCODE_STREET;
		return;
	}
	if (out->mahalla)
		out->level = GEOCODE_MAHALLA;
}

const char *geocode_level_name(enum geocode_level level)
{
	static const char *const names[] = {[GEOCODE_NONE] = "none",
	                                    [GEOCODE_HOUSE] = STORE_LOCATED_HOUSE,
	                                    [GEOCODE_STREET] = STORE_LOCATED_STREET,
	                                    [GEOCODE_MAHALLA] = "mahalla"};
	return names[level];
}
