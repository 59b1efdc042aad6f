/*
 * jsonloc: the locator. It reads the text with no tree and no allocation:
 * a value is skipped by its first byte (a string to its unescaped closing
 * quote, an object or array by counting nesting outside strings, anything
 * else to the next delimiter), and only the keys along the path are decoded,
 * into a fixed buffer, to compare them with the path's.
 */
#include "jsonloc.h"

#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* p at the opening quote; returns the byte after the closing one. */
static const char *skip_string(const char *p)
{
	for (p++; *p && *p != '"'; p++)
		if (*p == '\\' && p[1])
			p++;
	return *p ? p + 1 : p;
}

/* p at a value; returns the byte after it. */
static const char *skip_value(const char *p)
{
	if (*p == '"')
		return skip_string(p);
	if (*p == '{' || *p == '[') {
		int depth = 0;
		while (*p) {
			if (*p == '"') {
				p = skip_string(p);
				continue;
			}
			if (*p == '{' || *p == '[')
				depth++;
			else if ((*p == '}' || *p == ']') && --depth == 0)
				return p + 1;
			p++;
		}
		return p;
	}
	while (*p && !strchr(",]} \t\r\n", *p))
		p++;
	return p;
}

static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The value of 4 hex digits at p, or -1. */
static long hex4(const char *p)
{
	char digits[5];
	if (strspn(p, "0123456789abcdefABCDEF") < 4)
		return -1;
	memcpy(digits, p, 4);
	digits[4] = '\0';
	return strtol(digits, NULL, 16);
}

/* 1 when the JSON string at p (at its opening quote) decodes to key. */
static int string_equals(const char *p, const char *key)
{
	char buf[512];
	size_t n = 0;
	for (p++; *p && *p != '"'; p++) {
		if (n + 4 >= sizeof buf)
			return 0;
		if (*p != '\\') {
			buf[n++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case 'b':
			buf[n++] = '\b';
			break;
		case 'f':
			buf[n++] = '\f';
			break;
		case 'n':
			buf[n++] = '\n';
			break;
		case 'r':
			buf[n++] = '\r';
			break;
		case 't':
			buf[n++] = '\t';
			break;
		case 'u': {
			long cp = hex4(p + 1);
			if (cp < 0)
				return 0;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00 && p[1] == '\\' && p[2] == 'u') {
				long lo = hex4(p + 3);
				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					p += 6;
				}
			}
			n += put_utf8(buf + n, (unsigned long)cp);
			break;
		}
		case '\0':
			return 0;
		default: /* " \ / */
			buf[n++] = *p;
		}
	}
	buf[n] = '\0';
	return strcmp(buf, key) == 0;
}

const char *jsonloc_find(const char *text, const struct jsonloc_step *path, int depth, int at_key)
{
	const char *p = skip_ws(text);
	for (int i = 0; i < depth; i++) {
		const char *found = NULL;
		if (path[i].key) {
			if (*p != '{')
				return NULL;
			p = skip_ws(p + 1);
			while (*p == '"') {
				const char *k = p;
				int match = string_equals(p, path[i].key);
				p = skip_ws(skip_string(p));
				if (*p != ':')
					return NULL;
				p = skip_ws(p + 1);
				if (match) {
					found = at_key && i == depth - 1 ? k : p;
					break;
				}
				p = skip_ws(skip_value(p));
				if (*p == ',')
					p = skip_ws(p + 1);
			}
		} else {
			if (*p != '[')
				return NULL;
			p = skip_ws(p + 1);
			for (size_t j = 0; j < path[i].index && *p && *p != ']'; j++) {
				p = skip_ws(skip_value(p));
				if (*p == ',')
					p = skip_ws(p + 1);
			}
			if (*p && *p != ']')
				found = p;
		}
		if (!found)
			return NULL;
		p = found;
	}
	return p;
}

void jsonloc_line_column(const char *text, const char *p, int *line, int *column)
{
	*line = 1;
	*column = 1;
	for (const char *q = text; q < p; q++) {
		if (*q == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80) {
			++*column;
		}
	}
}
