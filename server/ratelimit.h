/*
 * ratelimit: failures counted per key (a client's address) in a table of
 * fixed size, to refuse a client that fails too often.
 *
 * A key may fail `limit` times within `window` seconds of its first
 * failure; then it must wait until that window ends, and starts afresh.
 * The table holds `slots` keys, allocated once: when it is full, the key
 * whose window began first is forgotten, so that many addresses can make
 * it forget one but never grow. Times are the caller's seconds (a
 * monotonic clock), so that tests count attempts and need no clock.
 *
 * Threading: any thread; one lock, which ratelimit_wait() does not take
 * while no key is waiting (the daemon asks it for every token it checks).
 */
#ifndef POSBON_RATELIMIT_H
#define POSBON_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit;

/* A table of slots keys (at least 1); limit at least 1. *out is new; free
 * with ratelimit_free() (accepts NULL). */
int ratelimit_new(size_t slots, unsigned limit, unsigned window, ratelimit **out);
void ratelimit_free(ratelimit *rl);

/* The seconds key must still wait at now before trying again; 0: it may
 * try. */
unsigned ratelimit_wait(ratelimit *rl, const unsigned char key[16], int64_t now);

/* Counts a failure of key at now; returns the seconds it must now wait:
 * 0 while under the limit, the rest of its window from the failure that
 * reaches it. */
unsigned ratelimit_fail(ratelimit *rl, const unsigned char key[16], int64_t now);

#endif
