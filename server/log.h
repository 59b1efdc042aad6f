/*
 * log: the daemon's error and access logs.
 *
 * One line per event: by default the error log on stderr and the access log
 * on stdout (journald takes both), or both in one file (log_open()), which
 * log_reopen() opens again by its name after logrotate moved it. Text lines
 * hold an ISO time, the level, the request id when there is one, and the
 * message, with control characters, backslash and double quote escaped
 * (\n, \xNN, \\, \"); JSON lines are objects with "time", "level",
 * "message", "req" when there is a request, and for the access log also
 * "client", "method", "path", "status", "bytes" and "ms" (text that is not
 * UTF-8 becomes U+FFFD). Outside text is only ever an argument, never the
 * format: a line in the log is one event.
 *
 * Threading: lines from many threads never interleave (one write each);
 * log_open() before the threads start, log_reopen() from any thread.
 */
#ifndef POSBON_LOG_H
#define POSBON_LOG_H

#include <stdio.h>

enum log_level {
	LOG_ERROR,
	LOG_WARN,
	LOG_INFO,
	LOG_DEBUG,
};

/* Lines above this level are skipped before formatting. Default LOG_INFO. */
void log_set_level(enum log_level level);

enum log_format {
	LOG_TEXT,
	LOG_JSON,
};

/* "text" or "json" into *out; ERR_INVALID naming "log-format". */
int log_format_parse(const char *text, enum log_format *out);

/* Writes both logs to the file at path (appended to; made with mode 0640
 * when missing), or with path NULL to stderr and stdout, in format.
 * ERR_IO naming path, the logs then unchanged. */
int log_open(const char *path, enum log_format format);

/* Opens the file of log_open() again by its name (for logrotate, on
 * SIGHUP): every line goes to the old file or the new one, none is lost or
 * split. Nothing to do without a file. ERR_IO naming it, the old file then
 * kept. */
int log_reopen(void);

/* An error-log line; reqid 0 when no request is concerned. */
void log_msg(enum log_level level, unsigned long reqid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* An access-log line: client, method, path, status, bytes, milliseconds.
 * Lines are buffered: see log_flush(). */
void log_access(unsigned long reqid, const char *client, const char *method, const char *url,
                unsigned status, size_t bytes, double ms);

/* Writes out buffered access lines (at shutdown, or now and then). */
void log_flush(void);

#endif
