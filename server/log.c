#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static enum log_level level_max = LOG_INFO;

void log_set_level(enum log_level level)
{
	level_max = level;
}

/* Copies text into out[n] (cut to fit) with control characters, backslash
 * and double quote escaped as \n, \r, \t, \xNN, \\ and \", so that outside
 * text (a decoded path, a message that quotes one) can neither end a line
 * and forge the next nor break the quotes around it. */
static void escape(char *out, size_t n, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		/* A run that needs nothing goes over in one copy: the access
		 * line's path, for every request. */
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] != 0x7f && p[run] != '\\' && p[run] != '"')
			run++;
		if (run) {
			if (o + run >= n)
				run = n - 1 - o;
			memcpy(out + o, p, run);
			o += run;
			p += run;
			if (o + 1 >= n)
				break;
			continue;
		}
		char e[4];
		size_t len = 2;
		e[0] = '\\';
		if (*p == '\\' || *p == '"') {
			e[1] = (char)*p;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			e[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else {
			e[1] = 'x';
			e[2] = hex[*p >> 4];
			e[3] = hex[*p & 15];
			len = 4;
		}
		if (o + len >= n)
			break;
		memcpy(out + o, e, len);
		o += len;
		p++;
	}
	out[o] = '\0';
}

/* Decimal digits of v at out (room for 20), returning how many. */
static size_t put_unsigned(char *out, unsigned long long v)
{
	char rev[20];
	size_t n = 0;
	do {
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	return n;
}

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" into buf[n >= 25]. The part to the second is
 * made once a second per thread: the access line is written for every
 * request, and printf's family is slow here (see log_access()). */
static void stamp(char *buf, size_t n)
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
	size_t len = strlen(prefix);
	if (n < len + 6) {
		buf[0] = '\0';
		return;
	}
	memcpy(buf, prefix, len);
	unsigned ms = (unsigned)(ts.tv_nsec / 1000000);
	buf[len] = '.';
	buf[len + 1] = (char)('0' + ms / 100);
	buf[len + 2] = (char)('0' + ms / 10 % 10);
	buf[len + 3] = (char)('0' + ms % 10);
	buf[len + 4] = 'Z';
	buf[len + 5] = '\0';
}

void log_msg(enum log_level level, unsigned long reqid, const char *fmt, ...)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};
	char line[2048], when[40], msg[1024];
	if (level > level_max)
		return;
	stamp(when, sizeof when);
	int len = reqid ? snprintf(line, sizeof line, "%s %s req=%lu ", when, names[level], reqid)
	                : snprintf(line, sizeof line, "%s %s ", when, names[level]);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* The message holds outside text (paths, file contents, names). */
	escape(line + len, sizeof line - (size_t)len, msg);
	/* one fputs per line: stdio locks the stream for the call */
	size_t end = strlen(line);
	if (end + 1 < sizeof line) {
		line[end] = '\n';
		line[end + 1] = '\0';
	}
	fputs(line, stderr);
}

void log_access(unsigned long reqid, const char *client, const char *method, const char *url,
                unsigned status, size_t bytes, double ms)
{
	/* Built by hand and written with one fputs: GDAL loads libquadmath,
	 * whose printf hooks send every printf-family call down glibc's slow
	 * path, and this line is written for every cached tile. */
	char line[4096 + 256], m[64], u[4096];
	size_t o;
	stamp(line, 40);
	o = strlen(line);
	escape(m, sizeof m, method);
	escape(u, sizeof u, url);
	const char *parts[] = {" req=", NULL, " ", client, " \"", m, " ", u, "\" "};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
		if (!parts[i]) {
			o += put_unsigned(line + o, reqid);
			continue;
		}
		size_t len = strlen(parts[i]);
		if (o + len + 80 > sizeof line)
			break;
		memcpy(line + o, parts[i], len);
		o += len;
	}
	/* room was kept for the numbers: three of 20 digits and their marks */
	o += put_unsigned(line + o, status);
	line[o++] = ' ';
	o += put_unsigned(line + o, bytes);
	line[o++] = ' ';
	unsigned long long tenths = ms > 0 && ms < 1e15 ? (unsigned long long)(ms * 10 + 0.5) : 0;
	o += put_unsigned(line + o, tenths / 10);
	line[o++] = '.';
	line[o++] = (char)('0' + tenths % 10);
	memcpy(line + o, "ms\n", 4);
	/* Buffered: one write(2) a line would cost a tenth of a cached tile. */
	fputs(line, stdout);
}

void log_flush(void)
{
	fflush(stdout);
	fflush(stderr);
}
