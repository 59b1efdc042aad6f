#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

static enum log_level level_max = LOG_INFO;
static FILE *access_stream;

void log_set_level(enum log_level level)
{
	level_max = level;
}

void log_set_access(FILE *f)
{
	access_stream = f;
}

/* Copies text into out[n] (cut to fit) with control characters, backslash
 * and double quote escaped as \n, \r, \t, \xNN, \\ and \", so that outside
 * text (a decoded path, a message that quotes one) can neither end a line
 * and forge the next nor break the quotes around it. */
static void escape(char *out, size_t n, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char e[5] = {*p, 0};
		if (*p == '\\' || *p == '"') {
			e[0] = '\\';
			e[1] = (char)*p;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			e[0] = '\\';
			e[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else if (*p < 0x20 || *p == 0x7f) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[*p >> 4];
			e[3] = hex[*p & 15];
		}
		size_t len = strlen(e);
		if (o + len >= n)
			break;
		memcpy(out + o, e, len);
		o += len;
	}
	out[o] = '\0';
}

static void stamp(char *buf, size_t n)
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t len = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + len, n - len, ".%03ldZ", ts.tv_nsec / 1000000);
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
	char when[40], m[64], u[4096];
	stamp(when, sizeof when);
	escape(m, sizeof m, method);
	escape(u, sizeof u, url);
	FILE *f = access_stream ? access_stream : stdout;
	/* Buffered: one write(2) a line would cost a tenth of a cached tile. */
	fprintf(f, "%s req=%lu %s \"%s %s\" %u %zu %.1fms\n", when, reqid, client, m, u, status,
	        bytes, ms);
}

void log_flush(void)
{
	fflush(access_stream ? access_stream : stdout);
	fflush(stderr);
}
