/*
 * httpjson: the JSON answers of http.h (http_reply_json, http_reply_value,
 * http_reply_error), built on http_reply() alone. Kept apart from http.c's
 * libmicrohttpd glue so that the fuzz targets' stand-in for http.c
 * (tests/fuzz/fakehttp.c) answers through these very functions: what a
 * handler's error looks like on the wire is fuzzed too.
 */
#include "http.h"

#include "log.h"

#include <glib.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Answers text (taken over) as JSON that no cache keeps. */
static int reply_text(struct http_request *rq, unsigned status, char *text, const char *header,
                      const char *value)
{
	return http_reply(rq, status, "application/json; charset=utf-8", (unsigned char *)text,
	                  strlen(text), "Cache-Control", "no-store", header, value, NULL);
}

int http_reply_json(struct http_request *rq, unsigned status, const char *json)
{
	char *copy = strdup(json);
	if (!copy)
		return 0; /* MHD_NO: the connection is closed */
	return reply_text(rq, status, copy, NULL, NULL);
}

int http_reply_value(struct http_request *rq, unsigned status, json_t *v, const char *header,
                     const char *value)
{
	char *text = v ? json_dumps(v, JSON_COMPACT) : NULL;
	json_decref(v);
	if (!text)
		return http_reply_error(rq, 500, NULL, "out of memory");
	return reply_text(rq, status, text, header, value);
}

int http_reply_error(struct http_request *rq, unsigned status, const char *field, const char *fmt,
                     ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	/* Outside text in a message need not be UTF-8 (or is cut inside a
	 * character): U+FFFD stands for what is not. */
	char *msg = g_utf8_make_valid(buf, -1);
	char *name = field ? g_utf8_make_valid(field, -1) : NULL;
	if (status >= 500)
		log_msg(LOG_ERROR, rq->id, "%s %s: %s", rq->method, rq->path, msg);
	if (rq->error_reply) {
		int rc = rq->error_reply(rq, status, name, msg);
		g_free(msg);
		g_free(name);
		return rc;
	}
	json_t *o = json_pack("{s:s, s:i}", "error", msg, "status", (int)status);
	if (o && name)
		json_object_set_new(o, "field", json_string(name));
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	g_free(msg);
	g_free(name);
	int rc = http_reply_json(rq, status, text ? text : "{\"error\":\"out of memory\"}");
	free(text);
	return rc;
}
