/*
 * timeparse: TZif zones and the date/time spellings of real exports.
 *
 * A zone is read once by tz_open() into a sorted array of transitions (the
 * 64-bit section of v2+ files, the 32-bit one of v1 files) and the POSIX TZ
 * rule of the footer, which gives the offset after the last transition. Only
 * "Mm.w.d" rules are read: they are the only kind tzdata writes. After
 * tz_open() a zone is read-only, so any number of threads may use it; nothing
 * here touches the process's TZ, tzset() or mktime().
 *
 * Parsing is a hand-written scanner over a cursor ("struct cur"), so that
 * every error can quote the value it could not read. Calendar arithmetic is
 * the proleptic Gregorian one of civil.h; parsed years are
 * limited to 1900-2100.
 *
 * Choices the header leaves open: "24:00" (and "24:00:00") is accepted as the
 * end of the day, i.e. 00:00 of the next day. An hour alone ("15", "3 PM")
 * is PREC_HOUR. Fractions of seconds are read and dropped. A date that holds
 * a time of exactly 00:00 without offset (as spreadsheets write plain dates)
 * gives way to a separate time. Dashed dates with the year last
 * ("31-01-2010") read like dotted ones, day first.
 */
#include "timeparse.h"

#include "civil.h"

#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#define TZ_DEFAULT_DIR "/usr/share/zoneinfo"
#define TZ_FILE_MAX    (1 << 20) /* real zone files are under 10 KiB */
#define TZ_OFFSET_MAX  86400     /* larger offsets are corrupt (see tz_local_to_utc) */
#define YEAR_MIN       1900
#define YEAR_MAX       2100
#define QUOTE_MAX      100 /* longest part of a value quoted in a message */

/* One "Mm.w.d/time" rule of a POSIX TZ string. */
struct tz_mrule {
	int month, week, wday; /* week 5 is the last one of the month */
	int32_t time;          /* seconds after local midnight, may be < 0 or > 24 h */
};

/* A POSIX TZ string such as "GMT0BST,M3.5.0/1,M10.5.0". */
struct tz_rule {
	int32_t std_off, dst_off; /* seconds east of UTC */
	int has_dst;
	struct tz_mrule start, end; /* start in standard time, end in DST */
};

struct tz {
	char *name;
	int64_t *times;   /* transitions, UTC seconds, ascending */
	int32_t *offsets; /* offsets[i] applies from times[i] on */
	size_t n;
	int32_t first_offset; /* before the first transition */
	int has_rule;         /* rule applies from the last transition on */
	struct tz_rule rule;
};

/* ---- calendar ---- */

/* The year of a day counted since 1970-01-01. */
static int64_t year_of_day(int64_t day)
{
	int64_t y;
	int m, d;
	civil_date_from_days(day, &y, &m, &d);
	return y;
}

/* 0 = Sunday; 1970-01-01 was a Thursday. */
static int weekday(int64_t day)
{
	return (int)((day % 7 + 11) % 7);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/* ---- cursor over a value ---- */

/* A value being read: the trimmed text for messages and the unread rest. */
struct cur {
	const char *what; /* "date", "time", "rule" */
	const char *text; /* the trimmed value */
	int len;
	const char *p, *end;
};

static int is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static int is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static char lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

/* s may be NULL, which reads as "". */
static void cur_init(struct cur *c, const char *what, const char *s)
{
	const char *end;
	s = s ? s : "";
	while (is_space(*s))
		s++;
	end = s + strlen(s);
	while (end > s && is_space(end[-1]))
		end--;
	c->what = what;
	c->text = c->p = s;
	c->end = end;
	c->len = end - s > QUOTE_MAX ? QUOTE_MAX : (int)(end - s);
}

static int cur_done(const struct cur *c)
{
	return c->p == c->end;
}

/* Consumes ch when it comes next. */
static int cur_eat(struct cur *c, char ch)
{
	if (cur_done(c) || *c->p != ch)
		return 0;
	c->p++;
	return 1;
}

static void cur_skip_spaces(struct cur *c)
{
	while (!cur_done(c) && is_space(*c->p))
		c->p++;
}

/* Reads up to max (<= 9) digits into *val; returns how many were read. */
static int cur_digits(struct cur *c, int max, int *val)
{
	int n = 0;
	*val = 0;
	while (n < max && !cur_done(c) && is_digit(*c->p)) {
		*val = *val * 10 + (*c->p++ - '0');
		n++;
	}
	return n;
}

/* ERR_INVALID with "<what> '<value>': <why>". */
static int cur_fail(const struct cur *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int cur_fail(const struct cur *c, const char *fmt, ...)
{
	char why[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return err_set(ERR_INVALID, "%s '%.*s': %s", c->what, c->len, c->text, why);
}

/* ---- POSIX TZ rule of the TZif footer ---- */

/* A zone abbreviation: "<+05>" or three or more letters. */
static int rule_name(struct cur *c)
{
	const char *start = c->p;
	if (cur_eat(c, '<')) {
		while (!cur_done(c) && *c->p != '>')
			c->p++;
		return cur_eat(c, '>') ? 0 : -1;
	}
	while (!cur_done(c) && lower(*c->p) >= 'a' && lower(*c->p) <= 'z')
		c->p++;
	return c->p - start >= 3 ? 0 : -1;
}

/* [+-]h[:mm[:ss]] with at most max_hours hours, as seconds. */
static int rule_hms(struct cur *c, int max_hours, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;

	if (cur_eat(c, '-'))
		sign = -1;
	else
		cur_eat(c, '+');
	if (!cur_digits(c, 3, &h) || h > max_hours)
		return -1;
	if (cur_eat(c, ':') && (cur_digits(c, 2, &m) != 2 || m > 59))
		return -1;
	if (cur_eat(c, ':') && (cur_digits(c, 2, &s) != 2 || s > 59))
		return -1;
	*out = sign * (h * 3600 + m * 60 + s);
	return 0;
}

/* "Mm.w.d[/time]"; the time defaults to 02:00. */
static int rule_mday(struct cur *c, struct tz_mrule *r)
{
	if (!cur_eat(c, 'M') || !cur_digits(c, 2, &r->month) || !cur_eat(c, '.') ||
	    !cur_digits(c, 1, &r->week) || !cur_eat(c, '.') || !cur_digits(c, 1, &r->wday))
		return -1;
	if (r->month < 1 || r->month > 12 || r->week < 1 || r->week > 5 || r->wday > 6)
		return -1;
	r->time = 7200;
	if (cur_eat(c, '/'))
		return rule_hms(c, 167, &r->time);
	return 0;
}

/* "std offset [dst [offset],start,end]"; POSIX offsets count west. */
static int rule_parse(struct cur *c, struct tz_rule *r)
{
	if (rule_name(c) < 0 || rule_hms(c, 24, &r->std_off) < 0)
		return -1;
	r->std_off = -r->std_off;
	if (cur_done(c))
		return 0;
	if (rule_name(c) < 0)
		return -1;
	r->dst_off = r->std_off + 3600;
	if (!cur_done(c) && *c->p != ',') {
		if (rule_hms(c, 24, &r->dst_off) < 0)
			return -1;
		r->dst_off = -r->dst_off;
	}
	if (!cur_eat(c, ',') || rule_mday(c, &r->start) < 0 || !cur_eat(c, ',') ||
	    rule_mday(c, &r->end) < 0 || !cur_done(c))
		return -1;
	r->has_dst = 1;
	return 0;
}

/* UTC seconds at which r fires in year y while the clock shows offset off. */
static int64_t rule_fires(const struct tz_mrule *r, int64_t y, int32_t off)
{
	int64_t first = civil_days_from_date(y, r->month, 1);
	int64_t day = (r->wday - weekday(first) + 7) % 7 + (r->week - 1) * 7;
	if (day >= civil_days_in_month(y, r->month))
		day -= 7;
	return (first + day) * CIVIL_SECONDS_PER_DAY + r->time - off;
}

static int32_t rule_offset_at(const struct tz_rule *r, int64_t utc)
{
	if (!r->has_dst)
		return r->std_off;
	int64_t y = year_of_day(floor_div(utc + r->std_off, CIVIL_SECONDS_PER_DAY));
	int64_t start = rule_fires(&r->start, y, r->std_off);
	int64_t end = rule_fires(&r->end, y, r->dst_off);
	int dst = start < end ? (utc >= start && utc < end) : (utc < end || utc >= start);
	return dst ? r->dst_off : r->std_off;
}

/* ---- TZif files (RFC 8536) ---- */

struct tzif_counts {
	uint32_t isut, isstd, leap, time, type, chars;
};

/* Bytes not yet read. */
struct rd {
	const unsigned char *p;
	size_t left;
};

static const unsigned char *rd_take(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;
	if (n > r->left)
		return NULL;
	r->p += n;
	r->left -= n;
	return p;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static int tz_corrupt(const tz *z)
{
	return err_set(ERR_INVALID, "time zone '%s': not a valid TZif file", z->name);
}

/* Reads a 44-byte header; *version is 1, 2, 3, ... */
static int tzif_header(struct rd *r, int *version, struct tzif_counts *c)
{
	const unsigned char *h = rd_take(r, 44);
	if (!h || memcmp(h, "TZif", 4) != 0)
		return -1;
	*version = h[4] ? h[4] - '0' : 1;
	c->isut = be32(h + 20);
	c->isstd = be32(h + 24);
	c->leap = be32(h + 28);
	c->time = be32(h + 32);
	c->type = be32(h + 36);
	c->chars = be32(h + 40);
	return 0;
}

/* Size of the data block after a header, with tsize-byte times. */
static size_t tzif_block_size(const struct tzif_counts *c, size_t tsize)
{
	return c->time * tsize + c->time + c->type * (size_t)6 + c->chars + c->leap * (tsize + 4) +
	       c->isstd + c->isut;
}

/* Loads transitions and offsets from a data block; leap seconds are ignored. */
static int tzif_block(tz *z, struct rd *r, const struct tzif_counts *c, size_t tsize)
{
	const unsigned char *times = rd_take(r, c->time * tsize);
	const unsigned char *idx = rd_take(r, c->time);
	const unsigned char *types = rd_take(r, c->type * (size_t)6);
	size_t rest = c->chars + c->leap * (tsize + 4) + c->isstd + c->isut;

	if (!times || !idx || !types || c->type == 0 || !rd_take(r, rest))
		return tz_corrupt(z);
	for (size_t i = 0; i < c->type; i++) {
		int32_t off = (int32_t)be32(types + 6 * i);
		if (off <= -TZ_OFFSET_MAX || off >= TZ_OFFSET_MAX)
			return tz_corrupt(z);
	}
	z->times = malloc((c->time + (size_t)1) * sizeof *z->times);
	z->offsets = malloc((c->time + (size_t)1) * sizeof *z->offsets);
	if (!z->times || !z->offsets)
		return err_set(ERR_NOMEM, "time zone '%s': out of memory", z->name);
	z->first_offset = (int32_t)be32(types);
	for (size_t i = 0; i < c->time; i++) {
		z->times[i] =
		    tsize == 8 ? (int64_t)be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
		if (idx[i] >= c->type || (i > 0 && z->times[i] <= z->times[i - 1]))
			return tz_corrupt(z);
		z->offsets[i] = (int32_t)be32(types + 6 * idx[i]);
	}
	z->n = c->time;
	return 0;
}

/* "\n<POSIX TZ string>\n" after the v2+ block; the string may be empty. */
static int tzif_footer(tz *z, struct rd *r)
{
	if (r->left < 2 || r->p[0] != '\n')
		return tz_corrupt(z);
	const char *s = (const char *)r->p + 1;
	const char *e = memchr(s, '\n', r->left - 1);
	if (!e)
		return tz_corrupt(z);
	if (e == s)
		return 0;
	struct cur c = {.what = "rule", .text = s, .len = (int)(e - s), .p = s, .end = e};
	if (c.len > QUOTE_MAX || rule_parse(&c, &z->rule) < 0)
		return err_set(ERR_UNSUPPORTED, "time zone '%s': unsupported rule '%.*s'", z->name,
		               c.len > QUOTE_MAX ? QUOTE_MAX : c.len, s);
	z->has_rule = 1;
	return 0;
}

static int tzif_parse(tz *z, const unsigned char *buf, size_t len)
{
	struct rd r = {buf, len};
	struct tzif_counts c;
	int version, rc;

	if (tzif_header(&r, &version, &c) < 0)
		return tz_corrupt(z);
	if (version < 2)
		return tzif_block(z, &r, &c, 4);
	if (!rd_take(&r, tzif_block_size(&c, 4)) || tzif_header(&r, &version, &c) < 0)
		return tz_corrupt(z);
	rc = tzif_block(z, &r, &c, 8);
	if (rc < 0)
		return rc;
	return tzif_footer(z, &r);
}

/* Reads the zone's file whole into a new *buf (free it). */
static int tz_read_file(const char *name, unsigned char **buf, size_t *len)
{
	const char *dir = getenv("TZDIR");
	char path[4096];
	struct stat sb;
	FILE *f = NULL;
	int rc = 0;

	if (!dir || !*dir)
		dir = TZ_DEFAULT_DIR;
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
		return err_set(ERR_INVALID, "time zone '%s': name too long", name);
	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT || errno == ENOTDIR)
			return err_set(ERR_INVALID, "unknown time zone '%s'", name);
		return err_set(ERR_IO, "time zone '%s': %s: %s", name, path, strerror(errno));
	}
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > TZ_FILE_MAX) {
		rc = err_set(ERR_INVALID, "unknown time zone '%s'", name);
		goto out;
	}
	*len = (size_t)sb.st_size;
	*buf = malloc(*len + 1);
	if (!*buf) {
		rc = err_set(ERR_NOMEM, "time zone '%s': out of memory", name);
		goto out;
	}
	if (fread(*buf, 1, *len, f) != *len)
		rc = err_set(ERR_IO, "time zone '%s': %s: read failed", name, path);
out:
	fclose(f);
	return rc;
}

int tz_open(const char *name, tz **out)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	tz *z = NULL;
	int rc;

	*out = NULL;
	if (!name || !*name || name[0] == '/' || strstr(name, ".."))
		return err_set(ERR_INVALID, "time zone '%s': not a zone name", name ? name : "");
	rc = tz_read_file(name, &buf, &len);
	if (rc < 0)
		goto out;
	z = calloc(1, sizeof *z);
	if (!z || !(z->name = strdup(name))) {
		rc = err_set(ERR_NOMEM, "time zone '%s': out of memory", name);
		goto out;
	}
	rc = tzif_parse(z, buf, len);
	if (rc < 0)
		goto out;
	*out = z;
	z = NULL;
out:
	tz_free(z);
	free(buf);
	return rc;
}

void tz_free(tz *z)
{
	if (!z)
		return;
	free(z->times);
	free(z->offsets);
	free(z->name);
	free(z);
}

const char *tz_name(const tz *z)
{
	return z->name;
}

int tz_offset_at(const tz *z, int64_t utc)
{
	size_t lo = 0, hi = z->n;

	if (z->has_rule && (z->n == 0 || utc >= z->times[z->n - 1]))
		return rule_offset_at(&z->rule, utc);
	if (z->n == 0 || utc < z->times[0])
		return z->first_offset;
	/* times[lo] <= utc < times[hi] */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= utc)
			lo = mid;
		else
			hi = mid;
	}
	return z->offsets[lo];
}

int64_t tz_local_day(const tz *z, int64_t utc)
{
	int64_t local = utc + tz_offset_at(z, utc);
	return (local -
	        ((local % CIVIL_SECONDS_PER_DAY) + CIVIL_SECONDS_PER_DAY) % CIVIL_SECONDS_PER_DAY) /
	       CIVIL_SECONDS_PER_DAY;
}

/* The offsets a day before and after bracket any transition near local, as
 * offsets stay under a day; a local time is valid under an offset when that
 * offset is in force at the instant it gives. */
int64_t tz_local_to_utc(const tz *z, int64_t local)
{
	int32_t before = tz_offset_at(z, local - CIVIL_SECONDS_PER_DAY);
	int32_t after = tz_offset_at(z, local + CIVIL_SECONDS_PER_DAY);
	int ok_before = tz_offset_at(z, local - before) == before;
	int ok_after = tz_offset_at(z, local - after) == after;

	if (ok_before && ok_after)
		return local - (before > after ? before : after); /* overlap: earlier */
	if (ok_before)
		return local - before;
	if (ok_after)
		return local - after;
	return local - before; /* a gap: the clock reads as if it had not yet jumped */
}

/* ---- dates and times ---- */

/* What a value says, before it becomes a span. */
struct fields {
	int year, month, day, hour, min, sec;
	char meridiem;  /* 'a', 'p' or 0 */
	int has_offset; /* offset east of UTC given: no zone conversion */
	int offset;
	enum time_precision prec;
};

static int is_date_sep(char ch)
{
	return ch == '-' || ch == '/' || ch == '.';
}

/* "2018", "2018-01", "2018-01-31", "2010/01/31"; the year is read. */
static int parse_year_first(struct cur *c, struct fields *f)
{
	char sep;

	f->prec = PREC_YEAR;
	if (cur_done(c) || !is_date_sep(*c->p))
		return 0;
	sep = *c->p++;
	if (!cur_digits(c, 2, &f->month))
		return cur_fail(c, "not a date");
	f->prec = PREC_MONTH;
	if (!cur_eat(c, sep))
		return 0;
	if (!cur_digits(c, 2, &f->day))
		return cur_fail(c, "not a date");
	f->prec = PREC_DAY;
	return 0;
}

/* Which of a and b is the day, by order and separator. */
static int pick_day_month(const struct cur *c, int a, int b, char sep, enum date_order order,
                          struct fields *f)
{
	int day_first = sep != '/';

	if (order == DATE_ORDER_DMY || order == DATE_ORDER_MDY)
		day_first = order == DATE_ORDER_DMY;
	else if (a > 12 && b > 12)
		return cur_fail(c, "day %d and month %d cannot both be valid", a, b);
	else if (a > 12 || b > 12)
		day_first = a > 12;
	f->day = day_first ? a : b;
	f->month = day_first ? b : a;
	return 0;
}

/* "1/31/2010", "31.01.2010", "31-01-2010"; a is read. */
static int parse_year_last(struct cur *c, int a, enum date_order order, struct fields *f)
{
	char sep;
	int b;

	if (cur_done(c) || !is_date_sep(*c->p))
		return cur_fail(c, "not a date");
	sep = *c->p++;
	if (!cur_digits(c, 2, &b) || !cur_eat(c, sep))
		return cur_fail(c, "not a date");
	if (cur_digits(c, 4, &f->year) != 4 || (!cur_done(c) && is_digit(*c->p)))
		return cur_fail(c, "the year must have four digits");
	f->prec = PREC_DAY;
	return pick_day_month(c, a, b, sep, order, f);
}

static int check_date(const struct cur *c, const struct fields *f)
{
	if (f->year < YEAR_MIN || f->year > YEAR_MAX)
		return cur_fail(c, "year %d out of range %d-%d", f->year, YEAR_MIN, YEAR_MAX);
	if (f->month < 1 || f->month > 12)
		return cur_fail(c, "month %d out of range", f->month);
	int dim = civil_days_in_month(f->year, f->month);
	if (f->day < 1 || f->day > dim)
		return cur_fail(c, "day %d out of range, %04d-%02d has %d days", f->day, f->year,
		                f->month, dim);
	return 0;
}

/* "AM"/"PM" in any case. */
static void parse_meridiem(struct cur *c, struct fields *f)
{
	char ch;

	if (c->end - c->p < 2 || lower(c->p[1]) != 'm')
		return;
	ch = lower(c->p[0]);
	if (ch != 'a' && ch != 'p')
		return;
	f->meridiem = ch;
	c->p += 2;
}

/* "Z", "+05:00", "+0500", "-05" or nothing. */
static int parse_offset(struct cur *c, struct fields *f)
{
	int sign, h, m = 0, n;

	if (cur_eat(c, 'Z')) {
		f->has_offset = 1;
		return 0;
	}
	if (cur_eat(c, '+'))
		sign = 1;
	else if (cur_eat(c, '-'))
		sign = -1;
	else
		return 0;
	n = cur_digits(c, 4, &h);
	if (n == 4) {
		m = h % 100;
		h /= 100;
	} else if (n != 2 || (cur_eat(c, ':') && cur_digits(c, 2, &m) != 2)) {
		return cur_fail(c, "UTC offset must read +hh:mm, +hhmm or +hh");
	}
	if (h > 14 || m > 59)
		return cur_fail(c, "UTC offset %c%02d:%02d out of range", sign < 0 ? '-' : '+', h,
		                m);
	f->has_offset = 1;
	f->offset = sign * (h * 3600 + m * 60);
	return 0;
}

/* Ranges, then the 12-hour clock to 24 hours. */
static int check_time(const struct cur *c, struct fields *f)
{
	if (f->min > 59)
		return cur_fail(c, "minute %d out of range", f->min);
	if (f->sec > 59)
		return cur_fail(c, "second %d out of range", f->sec);
	if (f->meridiem) {
		if (f->hour < 1 || f->hour > 12)
			return cur_fail(c, "hour %d out of range for %cM", f->hour,
			                f->meridiem == 'a' ? 'A' : 'P');
		f->hour = f->hour % 12 + (f->meridiem == 'p' ? 12 : 0);
	} else if (f->hour > 24 || (f->hour == 24 && (f->min || f->sec))) {
		return cur_fail(c, "hour %d out of range", f->hour);
	}
	return 0;
}

/* "15", "15:04", "15:04:05.123", then " PM", then "Z" or "+05:00". */
static int parse_time(struct cur *c, struct fields *f)
{
	int rc;

	if (!cur_digits(c, 2, &f->hour))
		return cur_fail(c, "not a time");
	f->prec = PREC_HOUR;
	if (cur_eat(c, ':')) {
		if (cur_digits(c, 2, &f->min) != 2)
			return cur_fail(c, "minutes must have two digits");
		f->prec = PREC_MINUTE;
	}
	if (f->prec == PREC_MINUTE && cur_eat(c, ':')) {
		if (cur_digits(c, 2, &f->sec) != 2)
			return cur_fail(c, "seconds must have two digits");
		f->prec = PREC_SECOND;
		if (cur_eat(c, '.') || cur_eat(c, ','))
			while (!cur_done(c) && is_digit(*c->p))
				c->p++;
	}
	cur_skip_spaces(c);
	parse_meridiem(c, f);
	cur_skip_spaces(c);
	rc = parse_offset(c, f);
	if (rc < 0)
		return rc;
	if (!cur_done(c))
		return cur_fail(c, "unexpected '%c' in the time", *c->p);
	return check_time(c, f);
}

/* The date field: a date, then maybe "T" or spaces and a time. */
static int parse_date(struct cur *c, enum date_order order, struct fields *f)
{
	int a, n, rc;

	if (cur_done(c))
		return cur_fail(c, "no date");
	n = cur_digits(c, 4, &a);
	if (n == 4) {
		f->year = a;
		rc = parse_year_first(c, f);
	} else if (n > 0 && n < 3) {
		rc = parse_year_last(c, a, order, f);
	} else {
		rc = cur_fail(c, "not a date");
	}
	if (rc == 0)
		rc = check_date(c, f);
	if (rc < 0 || cur_done(c))
		return rc;
	if (*c->p != 'T' && !is_space(*c->p))
		return cur_fail(c, "not a date");
	if (f->prec != PREC_DAY)
		return cur_fail(c, "a time needs a date with a day");
	c->p++;
	cur_skip_spaces(c);
	return parse_time(c, f);
}

/* The time field, after the date field was read into f. */
static int parse_separate_time(struct cur *c, struct fields *f)
{
	if (f->prec > PREC_DAY)
		return cur_fail(c, "a time needs a date with a day");
	if (f->prec < PREC_DAY) {
		if (f->hour || f->min || f->sec || f->has_offset)
			return cur_fail(c, "the date already holds a time");
		f->meridiem = 0; /* the date's "12:00 AM" */
	}
	return parse_time(c, f);
}

/* Seconds in the unit of f's precision starting at f's time. */
static int64_t unit_seconds(const struct fields *f)
{
	switch (f->prec) {
	case PREC_MINUTE:
		return 60;
	case PREC_HOUR:
		return 3600;
	case PREC_DAY:
		return CIVIL_SECONDS_PER_DAY;
	case PREC_MONTH:
		return civil_days_in_month(f->year, f->month) * (int64_t)CIVIL_SECONDS_PER_DAY;
	case PREC_YEAR:
		return (365 + civil_leap(f->year)) * (int64_t)CIVIL_SECONDS_PER_DAY;
	default:
		return 1;
	}
}

int timeparse_parse(const tz *z, const char *date, const char *time, enum date_order order,
                    struct time_span *out)
{
	struct fields f = {.month = 1, .day = 1};
	struct cur c;
	int rc;

	cur_init(&c, "date", date);
	rc = parse_date(&c, order, &f);
	if (rc < 0)
		return rc;
	cur_init(&c, "time", time);
	if (!cur_done(&c)) {
		rc = parse_separate_time(&c, &f);
		if (rc < 0)
			return rc;
	}
	int64_t local = civil_days_from_date(f.year, f.month, f.day) * CIVIL_SECONDS_PER_DAY +
	                f.hour * 3600 + f.min * 60 + f.sec;
	int64_t last = local + unit_seconds(&f) - 1;
	out->from = f.has_offset ? local - f.offset : tz_local_to_utc(z, local);
	out->to = f.has_offset ? last - f.offset : tz_local_to_utc(z, last);
	out->precision = f.prec;
	return 0;
}

/* ---- weekdays and hours ---- */

int timeparse_weekdays(const char *v, unsigned *mask)
{
	static const char *const names[7][4] = {{"mon", "du", "pn", "1"}, {"tue", "se", "vt", "2"},
	                                        {"wed", "ch", "sr", "3"}, {"thu", "pa", "cht", "4"},
	                                        {"fri", "ju", "pt", "5"}, {"sat", "sha", "sb", "6"},
	                                        {"sun", "ya", "vs", "7"}};
	char word[16];
	int prev = -1, range = 0;
	*mask = 0;
	if (!v || !*v || strcasecmp(v, "daily") == 0 || strcasecmp(v, "all") == 0) {
		*mask = 127;
		return 0;
	}
	for (const char *p = v;;) {
		size_t n = 0;
		while (*p == ' ')
			p++;
		while (isalnum((unsigned char)*p) && n + 1 < sizeof word)
			word[n++] = (char)tolower((unsigned char)*p++);
		word[n] = '\0';
		/* The longest name that starts the word: "cht" is Thursday even
		 * though it starts with Wednesday's "ch". */
		int day = -1;
		size_t best = 0;
		for (int d = 0; d < 7; d++)
			for (int k = 0; k < 4; k++) {
				size_t len = strlen(names[d][k]);
				if (n >= len && len > best &&
				    strncmp(word, names[d][k], len) == 0 && (k == 3 ? n == 1 : 1)) {
					day = d;
					best = len;
				}
			}
		if (day < 0)
			return err_set(ERR_INVALID,
			               "'%s' is not a list of weekdays (mon-fri, sat,sun)", v);
		if (range) {
			for (int d = prev; d != day; d = (d + 1) % 7)
				*mask |= 1u << d;
			range = 0;
		}
		*mask |= 1u << day;
		prev = day;
		while (*p == ' ')
			p++;
		if (*p == '-') {
			range = 1;
			p++;
		} else if (*p == ',' || *p == ';') {
			p++;
		} else if (!*p) {
			break;
		} else {
			return err_set(ERR_INVALID,
			               "'%s' is not a list of weekdays (mon-fri, sat,sun)", v);
		}
	}
	return 0;
}

int timeparse_hours(const char *v, uint32_t *mask)
{
	*mask = 0;
	if (!v || !*v) {
		*mask = CIVIL_ALL_HOURS;
		return 0;
	}
	for (const char *p = v;;) {
		int a, b = -1, len = 0;
		if (sscanf(p, " %2d%n", &a, &len) != 1)
			goto bad;
		p += len;
		if (*p == '-') {
			if (sscanf(p + 1, "%2d%n", &b, &len) != 1)
				goto bad;
			p += 1 + len;
		}
		if (a < 0 || a > 23 || (b >= 0 && (b > 24 || b == a)))
			goto bad;
		/* "20-08" is 20:00 to 08:00: hours 20..23 and 0..7. */
		int end = b < 0 ? (a + 1) % 24 : b % 24;
		for (int h = a;; h = (h + 1) % 24) {
			*mask |= 1u << h;
			if ((h + 1) % 24 == end)
				break;
		}
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (*p != ',')
			goto bad;
		p++;
	}
bad:
	return err_set(ERR_INVALID, "'%s' is not a list of hours (20-08, 8-20, 22)", v);
}

char *timeparse_utc_text(int64_t t, char *buf, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

const char *time_precision_name(enum time_precision p)
{
	static const char *const names[] = {
	    [PREC_UNKNOWN] = "unknown", [PREC_SECOND] = "second", [PREC_MINUTE] = "minute",
	    [PREC_HOUR] = "hour",       [PREC_DAY] = "day",       [PREC_MONTH] = "month",
	    [PREC_YEAR] = "year",       [PREC_SPAN] = "span",
	};
	if ((unsigned)p >= sizeof names / sizeof names[0])
		return "unknown";
	return names[p];
}
