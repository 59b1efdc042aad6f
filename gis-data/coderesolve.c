#include "coderesolve.h"

#include "err.h"
#include "strmap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct coderesolve {
	store *st;
	enum store_code_kind kind;
	strmap *index; /* value or name -> position in codes */
	char **codes;
	size_t n, cap;
};

void coderesolve_slug(const char *in, char *out, size_t n)
{
	size_t j = 0;
	int gap = 0;
	for (; *in && j + 2 < n; in++) {
		unsigned char c = (unsigned char)*in;
		if (c >= 0x80 || isalnum(c)) {
			if (gap && j)
				out[j++] = '_';
			gap = 0;
			out[j++] = (char)(c < 0x80 ? tolower(c) : c);
		} else {
			gap = 1;
		}
	}
	out[j] = '\0';
}

static int add(coderesolve *r, const char *key, const char *code)
{
	size_t pos;
	for (pos = 0; pos < r->n; pos++)
		if (strcmp(r->codes[pos], code) == 0)
			break;
	if (pos == r->n) {
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 16;
			char **c = realloc(r->codes, cap * sizeof *c);
			if (!c)
				return err_set(ERR_NOMEM, "import: out of memory");
			r->codes = c;
			r->cap = cap;
		}
		if (!(r->codes[r->n] = strdup(code)))
			return err_set(ERR_NOMEM, "import: out of memory");
		r->n++;
	}
	return strmap_put(r->index, key, (int64_t)pos);
}

/* Every code and name of a code resolves to the code (a
 * store_list_codes() callback). */
static int take(void *ctx, const struct store_code *c)
{
	const char *keys[4] = {c->code, c->name_uz, c->name_ru, c->name_en};
	int rc = 0;
	for (int k = 0; k < 4 && rc == 0; k++)
		if (keys[k])
			rc = add(ctx, keys[k], c->code);
	return rc;
}

int coderesolve_open(store *st, enum store_code_kind kind, coderesolve **out)
{
	coderesolve *r = calloc(1, sizeof *r);
	int rc;
	*out = NULL;
	if (!r || !(r->index = strmap_new())) {
		free(r);
		return err_set(ERR_NOMEM, "import: out of memory");
	}
	r->st = st;
	r->kind = kind;
	if ((rc = store_list_codes(st, kind, take, r)) < 0) {
		coderesolve_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void coderesolve_free(coderesolve *r)
{
	if (!r)
		return;
	strmap_free(r->index);
	for (size_t i = 0; i < r->n; i++)
		free(r->codes[i]);
	free(r->codes);
	free(r);
}

size_t coderesolve_count(const coderesolve *r)
{
	return r ? r->n : 0;
}

int coderesolve_get(coderesolve *r, const char *value, const char **code, int *created)
{
	int64_t pos;
	char slug[96];
	int rc;
	*code = NULL;
	*created = 0;
	if (!value)
		return 0;
	if (strmap_get(r->index, value, &pos)) {
		*code = r->codes[pos];
		return 0;
	}
	coderesolve_slug(value, slug, sizeof slug);
	if (!*slug)
		return err_set(ERR_INVALID, "'%s' cannot be a code", value);
	if (!strmap_get(r->index, slug, &pos)) {
		rc = r->kind == STORE_SERVICES ? store_ensure_service(r->st, slug, value)
		                               : store_ensure_category(r->st, slug, value);
		if (rc == 0)
			rc = add(r, slug, slug);
		if (rc < 0)
			return rc;
		*created = 1;
		strmap_get(r->index, slug, &pos);
	}
	if ((rc = add(r, value, slug)) < 0)
		return rc;
	*code = r->codes[pos];
	return 0;
}
