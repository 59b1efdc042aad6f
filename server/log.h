/*
 * log: the daemon's error and access logs.
 *
 * One line per event on stderr (error log) or on the access log stream:
 * an ISO time, the level, the request id when there is one, and the
 * message. Outside text is only ever an argument, never the format, and is
 * written with control characters, backslash and double quote escaped
 * (\n, \xNN, \\, \"): a line in the log is one event.
 *
 * Threading: lines from many threads never interleave (one write each).
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
