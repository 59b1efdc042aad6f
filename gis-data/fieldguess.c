/*
 * fieldguess: a sample of a layer's first rows and what its columns hold.
 * A sample is small (FIELDGUESS_ROWS rows), so columns are classified by
 * parsing every sampled value, as often as asked.
 */
#include "fieldguess.h"

#include "err.h"
#include "numtext.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int fieldguess_target(const struct fieldguess_target *targets, const char *name)
{
	for (int i = 0; targets[i].name; i++)
		if (strcmp(targets[i].name, name) == 0)
			return i;
	return -1;
}

/* Lower-case letters and digits only, for comparing field names. */
static void fold_name(const char *in, char *out, size_t n)
{
	size_t j = 0;
	for (; *in && j + 1 < n; in++)
		if (isalnum((unsigned char)*in))
			out[j++] = (char)tolower((unsigned char)*in);
	out[j] = '\0';
}

void fieldguess_by_name(const struct fieldguess_target *targets, OGRFeatureDefnH defn,
                        struct fieldguess_map *m)
{
	int n = OGR_FD_GetFieldCount(defn);
	char folded[128], want[128];
	/* The first guess that names an unused column wins. */
	for (int t = 0; targets[t].name; t++) {
		for (int g = 0; targets[t].guesses[g] && m->col[t] < 0; g++) {
			fold_name(targets[t].guesses[g], want, sizeof want);
			for (int fi = 0; fi < n; fi++) {
				fold_name(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, fi)), folded,
				          sizeof folded);
				int taken = 0;
				for (int u = 0; targets[u].name; u++)
					taken |= m->col[u] == fi &&
					         strcmp(targets[u].name, "name_uz") != 0 &&
					         strcmp(targets[u].name, "name_en") != 0;
				if (!taken && strcmp(folded, want) == 0) {
					m->col[t] = fi;
					m->how[t] = "by its name";
					break;
				}
			}
		}
	}
}

const char *fieldguess_trim(const char *v, size_t *len)
{
	while (*v == ' ' || *v == '\t')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r'))
		n--;
	*len = n;
	return v;
}

int fieldguess_is_empty(const char *v)
{
	size_t n;
	v = fieldguess_trim(v, &n);
	return !n || (n == 6 && strncmp(v, "(null)", n) == 0) ||
	       (n == 4 && strncasecmp(v, "null", n) == 0) ||
	       (n == 3 && strncmp(v, "N/A", n) == 0) || (n == 2 && strncmp(v, "NA", n) == 0);
}

int fieldguess_sample_read(OGRLayerH layer, int max_rows, struct fieldguess_sample *s)
{
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
	OGRFeatureH f = NULL;
	int rc = 0;

	memset(s, 0, sizeof *s);
	s->n_cols = OGR_FD_GetFieldCount(defn);
	if (s->n_cols > 0 &&
	    !(s->cells = calloc((size_t)max_rows * (size_t)s->n_cols, sizeof *s->cells)))
		return err_set(ERR_NOMEM, "fieldguess: out of memory");
	OGR_L_ResetReading(layer);
	while (s->n_cols > 0 && s->n_rows < max_rows && (f = OGR_L_GetNextFeature(layer))) {
		char **row = s->cells + (size_t)s->n_rows * (size_t)s->n_cols;
		s->n_rows++;
		for (int c = 0; c < s->n_cols && rc == 0; c++) {
			if (!OGR_F_IsFieldSetAndNotNull(f, c))
				continue;
			size_t len;
			const char *v = fieldguess_trim(OGR_F_GetFieldAsString(f, c), &len);
			if (fieldguess_is_empty(v))
				continue;
			if (!(row[c] = strndup(v, len)))
				rc = err_set(ERR_NOMEM, "fieldguess: out of memory");
		}
		OGR_F_Destroy(f);
	}
	OGR_L_ResetReading(layer);
	return rc;
}

void fieldguess_sample_free(struct fieldguess_sample *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->cells && i < (size_t)s->n_rows * (size_t)s->n_cols; i++)
		free(s->cells[i]);
	free(s->cells);
	memset(s, 0, sizeof *s);
}

const char *fieldguess_cell(const struct fieldguess_sample *s, int row, int col)
{
	if (row < 0 || row >= s->n_rows || col < 0 || col >= s->n_cols)
		return NULL;
	return s->cells[(size_t)row * (size_t)s->n_cols + (size_t)col];
}

const char *fieldguess_kind_name(enum fieldguess_kind k)
{
	static const char *const names[] = {
	    [FIELDGUESS_EMPTY] = "empty",
	    [FIELDGUESS_DATETIME] = "dates with times",
	    [FIELDGUESS_DATE] = "dates",
	    [FIELDGUESS_CLOCK] = "times of day",
	    [FIELDGUESS_HOUR] = "hours of the day",
	    [FIELDGUESS_NUMBER] = "numbers",
	    [FIELDGUESS_TEXT] = "text",
	};
	return names[k];
}

/* Whether v is a number and at most spaces after it, as the numbers of
 * every other outside text are read. */
static int is_number(const char *v)
{
	double d;
	if (numtext_next(&v, &d) < 0)
		return 0;
	while (*v == ' ')
		v++;
	return !*v;
}

enum fieldguess_kind fieldguess_value(const tz *z, enum date_order order, const char *v)
{
	struct time_span span;
	if (!v || fieldguess_is_empty(v))
		return FIELDGUESS_EMPTY;
	/* The parser's message for a value that is not a date is no news. */
	char saved[1024];
	int code = err_last();
	snprintf(saved, sizeof saved, "%s", err_msg());
	enum fieldguess_kind k = FIELDGUESS_TEXT;
	if (timeparse_parse(z, v, NULL, order, &span) == 0) {
		if (span.precision < PREC_DAY)
			k = FIELDGUESS_DATETIME;
		else if (span.precision == PREC_DAY)
			k = FIELDGUESS_DATE;
	} else if (timeparse_parse(z, "2000-01-01", v, order, &span) == 0) {
		size_t n;
		const char *t = fieldguess_trim(v, &n);
		k = n <= 2 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[n - 1])
		        ? FIELDGUESS_HOUR
		        : FIELDGUESS_CLOCK;
	}
	if (k == FIELDGUESS_TEXT && is_number(v))
		k = FIELDGUESS_NUMBER;
	err_set(code, "%s", saved);
	return k;
}

enum fieldguess_kind fieldguess_column(const struct fieldguess_sample *s, int col, const tz *z,
                                       enum date_order order)
{
	int counts[FIELDGUESS_TEXT + 1] = {0}, values = 0;
	for (int r = 0; r < s->n_rows; r++) {
		enum fieldguess_kind k = fieldguess_value(z, order, fieldguess_cell(s, r, col));
		counts[k]++;
		values += k != FIELDGUESS_EMPTY;
	}
	if (!values)
		return FIELDGUESS_EMPTY;
	for (int k = FIELDGUESS_DATETIME; k <= FIELDGUESS_TEXT; k++)
		if (2 * counts[k] > values)
			return (enum fieldguess_kind)k;
	return FIELDGUESS_TEXT;
}

int fieldguess_when(const struct fieldguess_sample *s, const tz *z, enum date_order order,
                    const struct fieldguess_target *targets, struct fieldguess_map *m)
{
	int dt = fieldguess_target(targets, "date"), tt = fieldguess_target(targets, "time");
	int *date = &m->col[dt], *time = &m->col[tt];
	if ((m->how[dt] && strcmp(m->how[dt], "--field") == 0) ||
	    (m->how[tt] && strcmp(m->how[tt], "--field") == 0) ||
	    (*date >= 0 && fieldguess_column(s, *date, z, order) == FIELDGUESS_DATETIME))
		return 0;
	if (*time >= 0 && fieldguess_column(s, *time, z, order) == FIELDGUESS_DATETIME) {
		*date = *time;
		*time = -1;
		m->how[dt] = "its values are dates with times";
		return 0;
	}
	if (*date >= 0)
		return 0;
	unsigned char *used = calloc((size_t)s->n_cols + 1, 1);
	if (!used)
		return err_set(ERR_NOMEM, "fieldguess: out of memory");
	for (int t = 0; targets[t].name; t++)
		if (m->col[t] >= 0)
			used[m->col[t]] = 1;
	for (int k = FIELDGUESS_DATETIME; k <= FIELDGUESS_DATE && *date < 0; k++)
		for (int c = 0; c < s->n_cols && *date < 0; c++)
			if (!used[c] &&
			    fieldguess_column(s, c, z, order) == (enum fieldguess_kind)k) {
				*date = c;
				if (k == FIELDGUESS_DATETIME)
					*time = -1;
				m->how[dt] = k == FIELDGUESS_DATETIME
				                 ? "its values are dates with times"
				                 : "its values are dates";
			}
	free(used);
	return 0;
}

static int is_one_of(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (strcmp(name, *names) == 0)
			return 1;
	return 0;
}

/* How the import reads value for target into buf (see fieldguess_preview). */
static const char *describe(const tz *z, enum date_order order, const char *target,
                            const char *value, const char *time_of_day, char *buf, size_t n)
{
	size_t used = 0;
	if (time_of_day) {
		snprintf(buf, n, "with time '%s': ", time_of_day);
		used = strlen(buf);
		buf += used;
		n -= used;
	}
	static const char *const times[] = {"date",     "time",    "from",  "to",
	                                    "reported", "started", "ended", NULL};
	static const char *const numbers[] = {"x",          "y",        "population",
	                                      "households", "severity", NULL};
	struct time_span span;
	char a[32], b[32], saved[1024];
	int code = err_last();
	snprintf(saved, sizeof saved, "%s", err_msg());
	if (is_one_of(target, times)) {
		if (timeparse_parse(z, value, time_of_day, order, &span) == 0 &&
		    span.from == span.to)
			snprintf(buf, n, "%s (to the %s)",
			         timeparse_utc_text(span.from, a, sizeof a),
			         time_precision_name(span.precision));
		else if (timeparse_parse(z, value, time_of_day, order, &span) == 0)
			snprintf(buf, n, "%s .. %s (%s precision)",
			         timeparse_utc_text(span.from, a, sizeof a),
			         timeparse_utc_text(span.to, b, sizeof b),
			         time_precision_name(span.precision));
		else if (strcmp(target, "time") == 0 &&
		         timeparse_parse(z, "2000-01-01", value, order, &span) == 0)
			snprintf(buf, n, "a time of day, to the %s",
			         time_precision_name(span.precision));
		else
			snprintf(buf, n, "unreadable: %s", err_msg());
	} else if (is_one_of(target, numbers)) {
		if (is_number(value))
			snprintf(buf, n, "%.10g", strtod(value, NULL));
		else
			snprintf(buf, n, "not a number");
	} else {
		snprintf(buf, n, "as it is");
	}
	err_set(code, "%s", saved);
	return buf - used;
}

int fieldguess_previews(const struct fieldguess_sample *s, const tz *z, enum date_order order,
                        const struct fieldguess_target *targets, const struct fieldguess_map *m,
                        OGRFeatureDefnH defn, struct fieldguess_preview **out, size_t *n)
{
	int tt = fieldguess_target(targets, "time");
	char read_as[700];
	*n = 0;
	if (!(*out = calloc(FIELDGUESS_MAX_TARGETS, sizeof **out)))
		return err_set(ERR_NOMEM, "fieldguess: out of memory");
	for (int t = 0; targets[t].name; t++) {
		if (m->col[t] < 0)
			continue;
		struct fieldguess_preview *p = &(*out)[(*n)++];
		p->target = targets[t].name;
		p->how = m->how[t];
		if (!(p->source = strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, m->col[t])))))
			return err_set(ERR_NOMEM, "fieldguess: out of memory");
		for (int r = 0; r < s->n_rows && p->n < FIELDGUESS_VALUES; r++) {
			const char *v = fieldguess_cell(s, r, m->col[t]);
			const char *tod = strcmp(p->target, "date") == 0 && tt >= 0
			                      ? fieldguess_cell(s, r, m->col[tt])
			                      : NULL;
			if (!v)
				continue;
			describe(z, order, p->target, v, tod, read_as, sizeof read_as);
			p->values[p->n] = strndup(v, 80);
			p->read_as[p->n] = strdup(read_as);
			if (!p->values[p->n++] || !p->read_as[p->n - 1])
				return err_set(ERR_NOMEM, "fieldguess: out of memory");
		}
	}
	return 0;
}

void fieldguess_previews_free(struct fieldguess_preview *p, size_t n)
{
	for (size_t i = 0; p && i < n; i++) {
		free(p[i].source);
		for (int k = 0; k < p[i].n; k++) {
			free(p[i].values[k]);
			free(p[i].read_as[k]);
		}
	}
	free(p);
}

const char *fieldguess_mapping_text(const struct fieldguess_preview *p, size_t n, char *buf,
                                    size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s=%s", i ? ", " : "",
		                         p[i].target, p[i].source);
	return buf;
}

const char *fieldguess_columns(OGRFeatureDefnH defn, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int i = 0; i < OGR_FD_GetFieldCount(defn) && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
		                         OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
	return buf;
}
