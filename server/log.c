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
	char line[2048], when[40];
	if (level > level_max)
		return;
	stamp(when, sizeof when);
	int len = reqid ? snprintf(line, sizeof line, "%s %s req=%lu ", when, names[level], reqid)
	                : snprintf(line, sizeof line, "%s %s ", when, names[level]);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line + len, sizeof line - (size_t)len, fmt, ap);
	va_end(ap);
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
	char when[40];
	stamp(when, sizeof when);
	FILE *f = access_stream ? access_stream : stdout;
	/* Buffered: one write(2) a line would cost a tenth of a cached tile. */
	fprintf(f, "%s req=%lu %s \"%s %s\" %u %zu %.1fms\n", when, reqid, client, method, url,
	        status, bytes, ms);
}

void log_flush(void)
{
	fflush(access_stream ? access_stream : stdout);
	fflush(stderr);
}
