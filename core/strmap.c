#include "strmap.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

struct slot {
	char *key; /* NULL when empty */
	uint64_t hash;
	int64_t value;
};

struct strmap {
	struct slot *slots;
	size_t cap, n; /* cap is a power of two */
};

static uint64_t hash_key(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

strmap *strmap_new(void)
{
	strmap *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->cap = 64;
	m->slots = calloc(m->cap, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	return m;
}

void strmap_free(strmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	free(m);
}

static struct slot *find(const strmap *m, const char *key, uint64_t h)
{
	size_t mask = m->cap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		struct slot *s = &m->slots[i];
		if (!s->key || (s->hash == h && strcmp(s->key, key) == 0))
			return s;
	}
}

static int grow(strmap *m)
{
	size_t cap = m->cap * 2;
	struct slot *old = m->slots;
	size_t old_cap = m->cap;
	struct slot *slots = calloc(cap, sizeof *slots);
	if (!slots)
		return err_set(ERR_NOMEM, "strmap: out of memory");
	m->slots = slots;
	m->cap = cap;
	for (size_t i = 0; i < old_cap; i++) {
		if (!old[i].key)
			continue;
		*find(m, old[i].key, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

int strmap_get(const strmap *m, const char *key, int64_t *value)
{
	struct slot *s = find(m, key, hash_key(key));
	if (!s->key)
		return 0;
	*value = s->value;
	return 1;
}

int strmap_add(strmap *m, const char *key, int64_t delta, int64_t *value)
{
	uint64_t h = hash_key(key);
	struct slot *s = find(m, key, h);
	if (!s->key) {
		if ((m->n + 1) * 10 > m->cap * 7) {
			if (grow(m) < 0)
				return ERR_NOMEM;
			s = find(m, key, h);
		}
		if (!(s->key = strdup(key)))
			return err_set(ERR_NOMEM, "strmap: out of memory");
		s->hash = h;
		s->value = 0;
		m->n++;
	}
	s->value += delta;
	if (value)
		*value = s->value;
	return 0;
}

int strmap_put(strmap *m, const char *key, int64_t value)
{
	int64_t old;
	if (strmap_get(m, key, &old))
		return strmap_add(m, key, value - old, NULL);
	return strmap_add(m, key, value, NULL);
}

size_t strmap_count(const strmap *m)
{
	return m->n;
}
