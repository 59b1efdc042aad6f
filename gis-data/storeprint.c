/*
 * storeprint: the names of the codes in a page's language, from the
 * store's typed reads.
 */
#include "storeprint.h"

#include "err.h"

#include <stdlib.h>
#include <string.h>

/* A name in the page's language: the first of the order that is given. */
struct names_walk {
	struct storeprint_names *out;
	int lang; /* 0 uz, 1 ru, 2 en */
};

static int take_name(void *ctx, const struct store_code *c)
{
	struct names_walk *w = ctx;
	struct storeprint_names *out = w->out;
	const char *order[3][4] = {{c->name_uz, c->name_en, c->code, NULL},
	                           {c->name_ru, c->name_en, c->name_uz, c->code},
	                           {c->name_en, c->name_uz, c->code, NULL}};
	const char *name = NULL;
	for (int i = 0; i < 4 && !name; i++)
		name = order[w->lang][i];
	char **code = realloc(out->code, (out->n + 1) * sizeof *code);
	if (code)
		out->code = code;
	char **names = code ? realloc(out->name, (out->n + 1) * sizeof *names) : NULL;
	if (names)
		out->name = names;
	if (!code || !names)
		return err_set(ERR_NOMEM, "print: out of memory");
	out->code[out->n] = c->code ? strdup(c->code) : NULL;
	out->name[out->n] = name ? strdup(name) : NULL;
	out->n++;
	return 0;
}

int storeprint_names(store *st, enum storeprint_table table, const char *lang,
                     struct storeprint_names *out)
{
	struct names_walk w = {out, lang && !strcmp(lang, "uz")   ? 0
	                            : lang && !strcmp(lang, "ru") ? 1
	                                                          : 2};
	*out = (struct storeprint_names){0};
	int rc = store_list_codes(
	    st, table == STOREPRINT_CATEGORIES ? STORE_CATEGORIES : STORE_SERVICES, take_name, &w);
	if (rc < 0)
		storeprint_names_free(out);
	return rc;
}

const char *storeprint_name(const struct storeprint_names *n, const char *code)
{
	for (size_t i = 0; code && i < n->n; i++)
		if (n->code[i] && strcmp(n->code[i], code) == 0)
			return n->name[i] ? n->name[i] : code;
	return code;
}

void storeprint_names_free(struct storeprint_names *n)
{
	for (size_t i = 0; i < n->n; i++) {
		free(n->code[i]);
		free(n->name[i]);
	}
	free(n->code);
	free(n->name);
	*n = (struct storeprint_names){0};
}
