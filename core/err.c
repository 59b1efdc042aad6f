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
	default:
		return "unknown error";
	}
}

int err_set(int code, const char *fmt, ...)
{
	/* Formatted aside first: callers may pass err_msg() itself as an argument,
	 * to wrap the previous message with more context. */
	char buf[sizeof err_buf];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	memcpy(err_buf, buf, sizeof buf);
	err_code_last = code;
	return code;
}

const char *err_msg(void)
{
	return err_buf;
}

int err_last(void)
{
	return err_code_last;
}
