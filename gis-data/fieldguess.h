/*
 * fieldguess: which column of a file feeds each field of the importer.
 *
 * Unmapped fields are guessed from the columns' names first (case and
 * punctuation ignored). Names lie: police exports call a column `time` (or
 * `datetime`) and fill it with full ISO 8601 date-times, sometimes beside a
 * `date` column in another format and an `hour` column. So this module also
 * reads the first rows of the layer (a sample), says what each column holds
 * (dates with times, days, times of day, hours, numbers, text), corrects the
 * columns an offence's date and time come from, and describes sampled values
 * as the importer will read them, for the mapping shown before an import
 * (posbon import --dry-run).
 *
 * Values are read through timeparse, so what counts as a date here is
 * exactly what the import accepts.
 *
 * Threading: no shared state; a sample belongs to its caller.
 */
#ifndef POSBON_FIELDGUESS_H
#define POSBON_FIELDGUESS_H

#include "timeparse.h"

#include <ogr_api.h>
#include <stddef.h>

/* A field of the importer and the column names guessed for it, compared
 * after folding case and dropping all but letters and digits ("OCCUR_DATE"
 * matches "occurdate"). Lists end with a NULL name. */
struct fieldguess_target {
	const char *name;
	const char *guesses[12];
};

#define FIELDGUESS_MAX_TARGETS 20

/* A column per target (col[t], -1 for none) and how it was chosen (how[t],
 * static text: "--field", "by its name", or what its values are). */
struct fieldguess_map {
	int col[FIELDGUESS_MAX_TARGETS];
	const char *how[FIELDGUESS_MAX_TARGETS];
};

/* Index of the target named name in targets, -1 when it has none. */
int fieldguess_target(const struct fieldguess_target *targets, const char *name);

/* Sets every unmapped target of m to the first of its guesses that names a
 * column not mapped yet (the name_* targets may share one). */
void fieldguess_by_name(const struct fieldguess_target *targets, OGRFeatureDefnH defn,
                        struct fieldguess_map *m);

/* Rows read for a sample. */
#define FIELDGUESS_ROWS 20

/* Sample values described per mapped field. */
#define FIELDGUESS_VALUES 3

/* The first rows of a layer as text: cells[row * n_cols + col], NULL where
 * the value is unset or empty (see fieldguess_is_empty()). */
struct fieldguess_sample {
	int n_rows, n_cols;
	char **cells;
};

/* Reads up to max_rows features of layer (from its start; reading is reset
 * again afterwards) into a new sample (free with fieldguess_sample_free(),
 * also after a failure). */
int fieldguess_sample_read(OGRLayerH layer, int max_rows, struct fieldguess_sample *s);

void fieldguess_sample_free(struct fieldguess_sample *s);

/* Borrowed cell, NULL when empty or out of range. */
const char *fieldguess_cell(const struct fieldguess_sample *s, int row, int col);

/* v without leading spaces and tabs; *len its length without trailing spaces,
 * tabs and '\r'. */
const char *fieldguess_trim(const char *v, size_t *len);

/* 1 for a value that means "nothing": empty, "(null)", "NULL", "N/A", "NA". */
int fieldguess_is_empty(const char *v);

enum fieldguess_kind {
	FIELDGUESS_EMPTY,    /* no value in the sample */
	FIELDGUESS_DATETIME, /* a day with a time of day: "2010-01-01T06:00:00" */
	FIELDGUESS_DATE,     /* a day: "01/02/2010", "2010-01-02" */
	FIELDGUESS_CLOCK,    /* a time of day: "06:00", "6:30 PM" */
	FIELDGUESS_HOUR,     /* an hour of the day alone: "6", "23" */
	FIELDGUESS_NUMBER,
	FIELDGUESS_TEXT, /* anything else, months and years included */
};

/* A word for the kind ("dates with times"), for messages. */
const char *fieldguess_kind_name(enum fieldguess_kind k);

/* What one value is, read in zone z with the file's date order. */
enum fieldguess_kind fieldguess_value(const tz *z, enum date_order order, const char *v);

/* What most (more than half) of the column's sampled values are; TEXT when
 * no kind has a majority, EMPTY without values. */
enum fieldguess_kind fieldguess_column(const struct fieldguess_sample *s, int col, const tz *z,
                                       enum date_order order);

/* Corrects the columns of the targets "date" and "time" of m (guessed by
 * name) by the sampled values, unless --field gave either:
 * - a date column of dates with times is kept as it is;
 * - a time column of dates with times becomes the date column, alone (a
 *   date column beside it only repeats the day, maybe in another format);
 * - without a date column, the first unmapped column of dates with times,
 *   else of dates, becomes the date column.
 * ERR_NOMEM only. */
int fieldguess_when(const struct fieldguess_sample *s, const tz *z, enum date_order order,
                    const struct fieldguess_target *targets, struct fieldguess_map *m);

/* One mapped target with its first sampled values and how the import reads
 * them: a date as its UTC time and precision (with the row's separate time
 * of day), a number as a number, a problem as the parser's message, other
 * text as it is. */
struct fieldguess_preview {
	const char *target; /* static */
	char *source;       /* the column's name */
	const char *how;    /* static, as in fieldguess_map */
	int n;              /* sampled values below */
	char *values[FIELDGUESS_VALUES], *read_as[FIELDGUESS_VALUES];
};

/* A new array *out of *n previews, one per mapped target of m in target
 * order; free with fieldguess_previews_free(), also after a failure. */
int fieldguess_previews(const struct fieldguess_sample *s, const tz *z, enum date_order order,
                        const struct fieldguess_target *targets, const struct fieldguess_map *m,
                        OGRFeatureDefnH defn, struct fieldguess_preview **out, size_t *n);

void fieldguess_previews_free(struct fieldguess_preview *p, size_t n);

/* "target=COLUMN, ..." of the previews into buf; returns buf. */
const char *fieldguess_mapping_text(const struct fieldguess_preview *p, size_t n, char *buf,
                                    size_t size);

/* The names of all columns of defn, comma-separated, into buf; returns buf. */
const char *fieldguess_columns(OGRFeatureDefnH defn, char *buf, size_t size);

#endif
