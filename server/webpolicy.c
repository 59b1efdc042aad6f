#include "webpolicy.h"

#include "err.h"

#include <string.h>
#include <strings.h>

/* Characters of a host name's labels. */
static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* The length of the host at p (up to a ':' of the port or the end), or 0
 * when it is not one. */
static size_t host_length(const char *p, int wildcard)
{
	size_t n = 0;
	if (*p == '[') {
		n = strcspn(p, "]");
		if (p[n] != ']' || n < 3 || strspn(p + 1, "0123456789abcdefABCDEF:.") != n - 1)
			return 0;
		return n + 1;
	}
	if (wildcard && p[0] == '*' && p[1] == '.')
		n = 2;
	size_t start = n;
	for (; host_char(p[n]); n++)
		if (p[n] == '.' && (n == start || p[n - 1] == '.'))
			return 0;
	return n > start && p[n - 1] != '.' ? n : 0;
}

/* The length of ":PORT" at p (1 to 65535, no leading zero), or 0. */
static size_t port_length(const char *p)
{
	size_t n = 1;
	long port = 0;
	if (p[0] != ':' || p[1] == '0')
		return 0;
	for (; p[n] >= '0' && p[n] <= '9' && port <= 65535; n++)
		port = port * 10 + (p[n] - '0');
	return n > 1 && port <= 65535 ? n : 0;
}

int webpolicy_origin_check(const char *option, const char *text, int wildcard)
{
	const char *p = text;
	if (strncmp(p, "https://", 8) == 0)
		p += 8;
	else if (strncmp(p, "http://", 7) == 0)
		p += 7;
	else
		p = NULL;
	size_t n = p ? host_length(p, wildcard) : 0, port = n ? port_length(p + n) : 0;
	if (n && p[n] == ':')
		n = port ? n + port : 0;
	if (!n || p[n] != '\0')
		return err_set_field(ERR_INVALID, option,
		                     "--%s '%s': expected an origin, http(s)://HOST[:PORT] "
		                     "without a path (https://gis.example.org)",
		                     option, text);
	return 0;
}

int webpolicy_origin_listed(const char *origin, const char *const *list, size_t n)
{
	for (size_t i = 0; origin && i < n; i++)
		if (strcasecmp(origin, list[i]) == 0)
			return 1;
	return 0;
}
