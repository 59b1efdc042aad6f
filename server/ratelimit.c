#include "ratelimit.h"

#include "err.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	unsigned char key[16];
	unsigned failures; /* 0: a free slot */
	int64_t start;     /* of the window, the first failure */
};

struct ratelimit {
	pthread_mutex_t lock;
	unsigned limit, window;
	atomic_uint waiting; /* entries at the limit, within their window */
	size_t n;
	struct entry slots[];
};

int ratelimit_new(size_t slots, unsigned limit, unsigned window, ratelimit **out)
{
	*out = NULL;
	if (slots < 1 || limit < 1)
		return err_set(ERR_INVALID, "ratelimit: at least one slot and one failure");
	ratelimit *rl = calloc(1, sizeof *rl + slots * sizeof rl->slots[0]);
	if (!rl)
		return err_set(ERR_NOMEM, "ratelimit: out of memory");
	pthread_mutex_init(&rl->lock, NULL);
	rl->limit = limit;
	rl->window = window;
	atomic_init(&rl->waiting, 0);
	rl->n = slots;
	*out = rl;
	return 0;
}

void ratelimit_free(ratelimit *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* Frees e (under lock). */
static void forget(ratelimit *rl, struct entry *e)
{
	if (e->failures >= rl->limit)
		atomic_fetch_sub(&rl->waiting, 1);
	e->failures = 0;
}

/* key's entry at now, the ended windows freed on the way (under lock);
 * NULL when key has none, with *free_slot a slot for it (a free one, or
 * the one whose window began first). */
static struct entry *find(ratelimit *rl, const unsigned char key[16], int64_t now,
                          struct entry **free_slot)
{
	struct entry *found = NULL, *spare = NULL;
	for (size_t i = 0; i < rl->n; i++) {
		struct entry *e = &rl->slots[i];
		if (e->failures && now - e->start >= (int64_t)rl->window)
			forget(rl, e);
		if (e->failures && memcmp(e->key, key, 16) == 0)
			found = e;
		else if (!spare || (spare->failures && (!e->failures || e->start < spare->start)))
			spare = e;
	}
	if (free_slot)
		*free_slot = spare;
	return found;
}

/* The seconds e waits at now (under lock). */
static unsigned waits(const ratelimit *rl, const struct entry *e, int64_t now)
{
	return e && e->failures >= rl->limit ? (unsigned)(e->start + rl->window - now) : 0;
}

unsigned ratelimit_wait(ratelimit *rl, const unsigned char key[16], int64_t now)
{
	if (atomic_load(&rl->waiting) == 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	unsigned w = waits(rl, find(rl, key, now, NULL), now);
	pthread_mutex_unlock(&rl->lock);
	return w;
}

unsigned ratelimit_fail(ratelimit *rl, const unsigned char key[16], int64_t now)
{
	struct entry *spare;
	pthread_mutex_lock(&rl->lock);
	struct entry *e = find(rl, key, now, &spare);
	if (!e) {
		e = spare;
		if (e->failures)
			forget(rl, e);
		memcpy(e->key, key, 16);
		e->start = now;
	}
	if (e->failures < rl->limit && ++e->failures == rl->limit)
		atomic_fetch_add(&rl->waiting, 1);
	unsigned w = waits(rl, e, now);
	pthread_mutex_unlock(&rl->lock);
	return w;
}
