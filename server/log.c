#include "log.h"

#include "err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static enum log_level level_max = LOG_INFO;
static enum log_format format = LOG_TEXT;
/* Both logs when log_open() named a file; set before the threads start. */
static FILE *file;
static char *file_path;

void log_set_level(enum log_level level)
{
	level_max = level;
}

int log_format_parse(const char *text, enum log_format *out)
{
	if (text && strcmp(text, "text") == 0)
		*out = LOG_TEXT;
	else if (text && strcmp(text, "json") == 0)
		*out = LOG_JSON;
	else
		return err_set_field(ERR_INVALID, "log-format",
		                     "--log-format '%s': use text or json", text ? text : "");
	return 0;
}

static int open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0)
		return err_set(ERR_IO, "%s: cannot open the log file: %s", path, strerror(errno));
	return fd;
}

int log_open(const char *path, enum log_format fmt)
{
	FILE *f = NULL;
	char *copy = NULL;
	if (path) {
		int fd = open_file(path);
		if (fd < 0)
			return fd;
		if (!(copy = strdup(path)) || !(f = fdopen(fd, "a"))) {
			free(copy);
			close(fd);
			return err_set(ERR_NOMEM, "%s: out of memory", path);
		}
	}
	if (file)
		fclose(file);
	free(file_path);
	file = f;
	file_path = copy;
	format = fmt;
	return 0;
}

int log_reopen(void)
{
	if (!file)
		return 0;
	int fd = open_file(file_path);
	if (fd < 0)
		return fd;
	/* Under the stream's lock: what is buffered goes to the old file,
	 * every later line to the new one, and the stream stays the same
	 * for the threads writing to it. */
	flockfile(file);
	fflush(file);
	int r = dup2(fd, fileno(file));
	funlockfile(file);
	close(fd);
	return r < 0 ? err_set(ERR_IO, "%s: cannot reopen the log file: %s", file_path,
	                       strerror(errno))
	             : 0;
}

/* A line being built, cut to fit: room is kept at the end for the numbers
 * and marks that close it. */
enum { LINE_MAX_TEXT = 4096, LINE_TAIL = 160 };

struct line {
	char buf[LINE_MAX_TEXT + LINE_TAIL];
	size_t len;
};

static size_t room(const struct line *l)
{
	return LINE_MAX_TEXT - l->len;
}

static void put(struct line *l, const char *text)
{
	size_t n = strlen(text);
	if (n > room(l))
		n = room(l);
	memcpy(l->buf + l->len, text, n);
	l->len += n;
}

/* A mark of the line's end, in the tail's room: never cut. */
static void mark(struct line *l, const char *text)
{
	size_t n = strlen(text);
	memcpy(l->buf + l->len, text, n);
	l->len += n;
}

/* Decimal digits of v (within the tail's room). */
static void put_unsigned(struct line *l, unsigned long long v)
{
	char rev[20];
	size_t n = 0;
	do {
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		l->buf[l->len++] = rev[--n];
}

/* The length of the valid UTF-8 sequence at p, 0 when there is none. */
static size_t utf8_length(const unsigned char *p)
{
	size_t n = p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : p[0] >= 0xe0 ? 3 : p[0] >= 0xc2 ? 2 : 0;
	if (n == 0 || (n < 4 && p[0] >= 0xf0))
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* overlong, surrogates, past U+10FFFF */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

/* Appends text with control characters, backslash and double quote
 * escaped, so that outside text (a decoded path, a message that quotes
 * one) can neither end a line and forge the next nor break the quotes
 * around it: as \n, \r, \t, \xNN in text lines; as JSON's escapes, with
 * U+FFFD for what is not UTF-8, in JSON lines. */
static void put_escaped(struct line *l, const char *text, int json)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		/* A run that needs nothing goes over in one copy: the access
		 * line's path, for every request. */
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] != 0x7f && p[run] != '\\' && p[run] != '"' &&
		       !(json && p[run] >= 0x80))
			run++;
		if (run) {
			if (run > room(l))
				run = room(l);
			memcpy(l->buf + l->len, p, run);
			l->len += run;
			p += run;
			if (room(l) == 0)
				return;
			continue;
		}
		char e[8];
		size_t len = 2, skip = 1;
		e[0] = '\\';
		if (*p == '\\' || *p == '"') {
			e[1] = (char)*p;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			e[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else if (*p >= 0x80) {
			skip = utf8_length(p);
			len = skip ? skip : 6;
			memcpy(e, skip ? (const char *)p : "\\ufffd", len);
			skip = skip ? skip : 1;
		} else if (json) {
			memcpy(e, "\\u00", 4);
			e[4] = hex[*p >> 4];
			e[5] = hex[*p & 15];
			len = 6;
		} else {
			e[1] = 'x';
			e[2] = hex[*p >> 4];
			e[3] = hex[*p & 15];
			len = 4;
		}
		if (len > room(l))
			return;
		memcpy(l->buf + l->len, e, len);
		l->len += len;
		p += skip;
	}
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ". The part to the second is made once a
 * second per thread: the access line is written for every request, and
 * printf's family is slow here (see log_access()). */
static void put_stamp(struct line *l)
{
	static _Thread_local time_t second = (time_t)-1;
	static _Thread_local char prefix[24];
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != second) {
		struct tm tm;
		gmtime_r(&ts.tv_sec, &tm);
		if (!strftime(prefix, sizeof prefix, "%Y-%m-%dT%H:%M:%S", &tm))
			prefix[0] = '\0';
		second = ts.tv_sec;
	}
	put(l, prefix);
	unsigned ms = (unsigned)(ts.tv_nsec / 1000000);
	char frac[] = {
	    '.', (char)('0' + ms / 100), (char)('0' + ms / 10 % 10), (char)('0' + ms % 10), 'Z',
	    '\0'};
	put(l, frac);
}

static const char *const level_names[] = {"error", "warn", "info", "debug"};

/* The start of a line: its time, level and request. */
static void put_head(struct line *l, enum log_level level, unsigned long reqid)
{
	l->len = 0;
	if (format == LOG_JSON) {
		put(l, "{\"time\":\"");
		put_stamp(l);
		put(l, "\",\"level\":\"");
		put(l, level_names[level]);
		put(l, "\",");
		if (reqid) {
			put(l, "\"req\":");
			put_unsigned(l, reqid);
			put(l, ",");
		}
		put(l, "\"message\":\"");
		return;
	}
	put_stamp(l);
	put(l, " ");
	put(l, level_names[level]);
	if (reqid) {
		put(l, " req=");
		put_unsigned(l, reqid);
	}
	put(l, " ");
}

/* Ends the line and writes it with one fputs: stdio locks the stream for
 * the call, so lines never interleave. */
static void write_line(struct line *l, FILE *f)
{
	mark(l, "\n");
	l->buf[l->len] = '\0';
	fputs(l->buf, f);
}

void log_msg(enum log_level level, unsigned long reqid, const char *fmt, ...)
{
	struct line l;
	char msg[1024];
	if (level > level_max)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	put_head(&l, level, reqid);
	/* The message holds outside text (paths, file contents, names). */
	put_escaped(&l, msg, format == LOG_JSON);
	if (format == LOG_JSON)
		mark(&l, "\"}");
	write_line(&l, file ? file : stderr);
	/* Error lines are few and wanted at once; in a file they share the
	 * access log's buffer. */
	if (file)
		fflush(file);
}

void log_access(unsigned long reqid, const char *client, const char *method, const char *url,
                unsigned status, size_t bytes, double ms)
{
	/* Built by hand: GDAL loads libquadmath, whose printf hooks send every
	 * printf-family call down glibc's slow path, and this line is written
	 * for every cached tile. */
	struct line l;
	int json = format == LOG_JSON;
	unsigned long long tenths = ms > 0 && ms < 1e15 ? (unsigned long long)(ms * 10 + 0.5) : 0;
	if (json) {
		put_head(&l, LOG_INFO, reqid);
		/* message: what a person reads first; then the fields */
		put_escaped(&l, method, 1);
		put(&l, " ");
		put_escaped(&l, url, 1);
		put(&l, " ");
		put_unsigned(&l, status);
		put(&l, "\",\"client\":\"");
		put_escaped(&l, client, 1);
		put(&l, "\",\"method\":\"");
		put_escaped(&l, method, 1);
		put(&l, "\",\"path\":\"");
		put_escaped(&l, url, 1);
		mark(&l, "\",\"status\":");
		put_unsigned(&l, status);
		mark(&l, ",\"bytes\":");
		put_unsigned(&l, bytes);
		mark(&l, ",\"ms\":");
	} else {
		/* text: "TIME req=N CLIENT \"METHOD PATH\" STATUS BYTES MSms"; the
		 * level is left out, as it always was */
		l.len = 0;
		put_stamp(&l);
		put(&l, " req=");
		put_unsigned(&l, reqid);
		put(&l, " ");
		put(&l, client);
		put(&l, " \"");
		put_escaped(&l, method, 0);
		put(&l, " ");
		put_escaped(&l, url, 0);
		mark(&l, "\" ");
		put_unsigned(&l, status);
		mark(&l, " ");
		put_unsigned(&l, bytes);
		mark(&l, " ");
	}
	put_unsigned(&l, tenths / 10);
	mark(&l, ".");
	put_unsigned(&l, tenths % 10);
	mark(&l, json ? "}" : "ms");
	/* Buffered: one write(2) a line would cost a tenth of a cached tile. */
	write_line(&l, file ? file : stdout);
}

void log_flush(void)
{
	if (file)
		fflush(file);
	fflush(stdout);
	fflush(stderr);
}
