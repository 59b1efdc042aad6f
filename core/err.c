/*
 * err: thread-local last error. A fixed buffer per thread keeps err_set()
 * allocation-free, so it works while reporting ERR_NOMEM itself.
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char err_buf[1024];
static _Thread_local int err_code_last;
static _Thread_local char err_field_buf[128];

const char *err_name(int code)
{
	switch (code) {
	case ERR_OK:
		return "ok";
	case ERR_NOMEM:
		return "out of memory";
	case ERR_IO:
		return "i/o error";
	case ERR_INVALID:
		return "invalid input";
	case ERR_NOTFOUND:
		return "not found";
	case ERR_DB:
		return "database error";
	case ERR_GEOMETRY:
		return "bad geometry";
	case ERR_PROJ:
		return "projection error";
	case ERR_UNSUPPORTED:
		return "unsupported";
	case ERR_CONFLICT:
		return "conflict";
	case ERR_FORBIDDEN:
		return "forbidden";
	default:
		return "unknown error";
	}
}

/* Formatted aside first: callers may pass err_msg() or err_field() as
 * arguments, to wrap the previous message with more context. */
static int record(int code, const char *field, const char *fmt, va_list ap)
{
	char buf[sizeof err_buf], name[sizeof err_field_buf];
	vsnprintf(buf, sizeof buf, fmt, ap);
	snprintf(name, sizeof name, "%s", field ? field : "");
	memcpy(err_buf, buf, sizeof buf);
	memcpy(err_field_buf, name, sizeof name);
	err_code_last = code;
	return code;
}

int err_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int err_set_field(int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	record(code, field, fmt, ap);
	va_end(ap);
	return code;
}

const char *err_field(void)
{
	return err_field_buf[0] ? err_field_buf : NULL;
}

const char *err_msg(void)
{
	return err_buf;
}

int err_last(void)
{
	return err_code_last;
}
