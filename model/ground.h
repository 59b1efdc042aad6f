/*
 * ground: the reference layers of a store in memory, in Web Mercator metres,
 * for the basemap: land use, parks, water, buildings, railways, streets,
 * places and addresses (store_each_ref_feature(), kinds as osmtags_kinds).
 *
 * Features are kept in drawing order: by kind, ground first (the order of
 * osmtags_kinds), and within a kind as stored. Each is runs of points: one
 * point, lines, or the rings of areas (shells and holes, filled even-odd,
 * each ring implicitly closed). A grid over the extent finds the features
 * of a box without a scan of the whole city; a feature wider than a good
 * part of the grid is kept on a short list every query reads.
 *
 * Ownership: everything belongs to the ground until ground_free().
 * Threading: a loaded ground is immutable; any number of threads may read
 * it at once.
 */
#ifndef POSBON_GROUND_H
#define POSBON_GROUND_H

#include "osmtags.h"
#include "store.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ground ground;

enum ground_shape {
	GROUND_POINT, /* one run of one point */
	GROUND_LINES, /* runs are lines */
	GROUND_AREA,  /* runs are rings */
};

/* Names by language, as the viewer's languages and the data have them. */
enum ground_lang {
	GROUND_NAME, /* "name": the local one, the fallback */
	GROUND_UZ,
	GROUND_UZ_CYRL,
	GROUND_RU,
	GROUND_EN,
	GROUND_LANGS
};

/* The language of a code: "uz" (or "uz-Latn"), "uz-Cyrl", "ru", "en"
 * (case-insensitive); -1 for another. */
int ground_lang_of(const char *code);

struct ground_feature {
	enum osmtags_kind kind;
	enum ground_shape shape;
	const char *cls, *poi; /* NULL when none */
	const char *names[GROUND_LANGS];
	const char *street, *housenumber;
	const double *xy;          /* x, y pairs */
	const uint32_t *run_start; /* n_runs + 1: run r is points run_start[r] .. [r + 1] - 1 */
	size_t n_runs;
	double bbox[4]; /* minx, miny, maxx, maxy */
};

/* Loads every reference feature of st. *out is new; free with
 * ground_free(). ERR_GEOMETRY naming a feature whose WKB is unreadable,
 * ERR_DB, ERR_NOMEM. A store without reference layers gives an empty
 * ground. */
int ground_load(store *st, ground **out);

/* Moves lon/lat (degrees, arrays x = lon, y = lat) to another frame's
 * units in place, as utm_forward(). */
typedef int (*ground_frame_fn)(void *ctx, double *x, double *y, size_t n);

/* A copy of the features of g whose box meets box (Web Mercator metres),
 * in the frame to_frame moves them to (a print page's UTM zone): *out is
 * new, free with ground_free(); it borrows the names and runs of g, which
 * must outlive it. to_frame's error, ERR_NOMEM. */
int ground_reframe(const ground *g, const double box[4], ground_frame_fn to_frame, void *ctx,
                   ground **out);

/* Accepts NULL. */
void ground_free(ground *g);

size_t ground_count(const ground *g);
const struct ground_feature *ground_feature(const ground *g, size_t i);

/* Indices found by ground_find(): a caller-owned, growable buffer. */
struct ground_list {
	size_t *idx;
	size_t n, cap;
};

/* Replaces out's content with the indices, ascending (drawing order), of
 * the features whose box meets box (minx, miny, maxx, maxy). ERR_NOMEM. */
int ground_find(const ground *g, const double box[4], struct ground_list *out);

void ground_list_free(struct ground_list *l);

/* The named street nearest to (x, y) within radius (frame units) into
 * *out, NULL when there is none; the street a place is on. ERR_NOMEM. */
int ground_street_near(const ground *g, double x, double y, double radius,
                       const struct ground_feature **out);

/* The name of f in lang (for ru, else in Uzbek Cyrillic), else its local
 * name; NULL when it has none. */
const char *ground_name(const struct ground_feature *f, enum ground_lang lang);

#endif
