/*
 * results: analyses' results kept for the requests that follow.
 *
 * One cache serves the map layers, the API and print, so that a view's tiles
 * and the panel beside them share one Gi* grid or one trends classification
 * instead of computing it each. A result is found by a key written field by
 * field (results_key_*), never from the bytes of a struct, whose padding and
 * pointers would make equal requests differ. The data version and shapes
 * generation the result was computed on are fields of the key: a change
 * makes new keys, and entries of the old state age out (least recently
 * used first) once the values' sizes pass the byte budget given at
 * creation.
 *
 * Ownership: results_get() hands out a hold on an immutable value; the
 * caller gives it back with results_release(). A value is freed (by the free
 * function given with it) once it has left the cache and its last hold is
 * back, so holds stay valid across eviction and results_free().
 *
 * Threading: every function may be called from any thread, but
 * results_free() only once no results_get() runs. A key asked by several
 * threads at once is computed once; the others wait for it. A refusal
 * (ERR_INVALID: nothing to analyse under the filter, a grid too large) is
 * kept like a result, as the same key meets the same refusal; other
 * failures are not kept, and the next request tries again.
 */
#ifndef POSBON_RESULTS_H
#define POSBON_RESULTS_H

#include "coverage.h"
#include "dataset.h"
#include "dosage.h"
#include "gistar.h"
#include "hotspot.h"
#include "store.h"
#include "trends.h"

#include <stddef.h>
#include <stdint.h>

typedef struct results results;
typedef struct results_hold results_hold;

enum { RESULTS_KEY_MAX = 1024 };

/* A key: a kind ("gistar") then typed fields appended in a fixed order. */
struct results_key {
	unsigned char bytes[RESULTS_KEY_MAX];
	size_t len;
};

void results_key_init(struct results_key *k, const char *kind);
void results_key_u64(struct results_key *k, uint64_t v);
void results_key_i64(struct results_key *k, int64_t v);
/* Doubles by value: 0.0 and -0.0 are one key, as are all NaNs. */
void results_key_double(struct results_key *k, double v);
/* Every field of f that selects offences. */
void results_key_filter(struct results_key *k, const struct dataset_filter *f);

/* Computes the value of a missing key into *value (owned by the cache from
 * then on) and its size in bytes into *bytes; 0 or a negative error with
 * err_set(). */
typedef int (*results_compute_fn)(void *ctx, void **value, size_t *bytes);
typedef void (*results_free_fn)(void *value);

/* A cache keeping values up to budget bytes together (the newest value is
 * kept even when it alone is larger). *out is new; free with
 * results_free(). ERR_NOMEM. */
int results_new(size_t budget, results **out);

/* Accepts NULL. Values still held stay valid until released. */
void results_free(results *c);

/* The value of k: cached, or computed by fn(ctx) once however many threads
 * ask, then cached with free_fn. On success *value is borrowed until
 * results_release(*hold). A failure of fn is returned (with its message)
 * to every caller waiting on it, and a kept refusal to later callers. */
int results_get(results *c, const struct results_key *k, results_compute_fn fn, void *ctx,
                results_free_fn free_fn, const void **value, results_hold **hold);

/* Gives back a hold from results_get(); accepts NULL. */
void results_release(results_hold *hold);

/* Counters for /metrics and tests. */
struct results_stats {
	unsigned long hits, computed, failed, evicted;
	size_t entries, bytes;
};
void results_stats(results *c, struct results_stats *out);

/* Drops every cached value (held ones live on until released), as after a
 * style reload that changes what an analysis depends on. */
void results_clear(results *c);

/* The state an analysis runs on, borrowed for the call: the offences, the
 * shapes, and the numbers naming their state (the offences' version and
 * the shapes' generation), which become fields of the key. A result may
 * borrow from the shapes: its users keep them alive while they hold it. */
struct results_state {
	const dataset *ds;
	const shapes *sh;
	unsigned long version, generation;
};

/* The Gi* analysis of p on s (gistar_run()), shared through c. *out
 * borrowed until results_release(*hold). ERR_INVALID as gistar_run(). */
int results_gistar(results *c, const struct results_state *s, const struct gistar_params *p,
                   const struct gistar_result **out, results_hold **hold);

/* The same for the trends of p (trends_run()). */
int results_trends(results *c, const struct results_state *s, const struct trends_params *p,
                   const struct trends_result **out, results_hold **hold);

/* A shift's hotspots (hotspot_find()) of p on s; the caller has applied
 * hotspot_default_period() to p's filter. Weighted sets are not kept
 * (p->weights must be NULL: ERR_INVALID). */
int results_hotspots(results *c, const struct results_state *s, const struct hotspot_params *p,
                     const struct hotspot_set **out, results_hold **hold);

/* The key of p's hotspots under kind: what a layer above keys its own
 * form of those hotspots by (results_get()). */
void results_key_hotspots(struct results_key *k, const char *kind, const struct results_state *s,
                          const struct hotspot_params *p);

/* The coverage of p's hotspots by the zones of s on date ("YYYY-MM-DD",
 * NULL: any), coverage_compute(); (*out)->set is those hotspots. */
int results_coverage(results *c, const struct results_state *s, const struct hotspot_params *p,
                     const char *date, const struct coverage **out, results_hold **hold);

/* The dosage of p's hotspots by the tracks of st (dosage_from_store(),
 * on the calling thread's connection); tracks names the state of the
 * tracks, as version does the offences'. */
int results_dosage(results *c, const struct results_state *s, const struct hotspot_params *p,
                   const struct dosage_params *dp, store *st, unsigned long tracks,
                   const struct dosage_result **out, results_hold **hold);

#endif
