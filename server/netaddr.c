#include "netaddr.h"

#include "err.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int netaddr_from_sockaddr(const struct sockaddr *sa, unsigned char out[16])
{
	memset(out, 0, 16);
	if (sa && sa->sa_family == AF_INET) {
		memcpy(out, v4_mapped, 12);
		memcpy(out + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa && sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		return 0;
	}
	return -1;
}

int netaddr_parse(const char *text, size_t n, unsigned char out[16])
{
	char buf[NETADDR_TEXT];
	if (n == 0 || n >= sizeof buf)
		return -1;
	memcpy(buf, text, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, out + 12) == 1) {
		memcpy(out, v4_mapped, 12);
		return 0;
	}
	return inet_pton(AF_INET6, buf, out) == 1 ? 0 : -1;
}

int netaddr_is_v4(const unsigned char addr[16])
{
	return memcmp(addr, v4_mapped, 12) == 0;
}

void netaddr_text(const unsigned char addr[16], char out[NETADDR_TEXT])
{
	if (!netaddr_is_v4(addr)) {
		if (!inet_ntop(AF_INET6, addr, out, NETADDR_TEXT))
			strcpy(out, "-");
		return;
	}
	size_t o = 0;
	for (int i = 12; i < 16; i++) {
		unsigned b = addr[i];
		if (b >= 100)
			out[o++] = (char)('0' + b / 100);
		if (b >= 10)
			out[o++] = (char)('0' + b / 10 % 10);
		out[o++] = (char)('0' + b % 10);
		out[o++] = i < 15 ? '.' : '\0';
	}
}

/* Whether a and b share their first bits. */
static int same_prefix(const unsigned char *a, const unsigned char *b, unsigned bits)
{
	unsigned whole = bits / 8, rest = bits % 8;
	if (memcmp(a, b, whole) != 0)
		return 0;
	return !rest || ((a[whole] ^ b[whole]) & (0xff00u >> rest) & 0xff) == 0;
}

int netaddr_net_parse(const char *option, const char *text, struct netaddr_net *out)
{
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : strlen(text);
	long bits = -1;
	memset(out, 0, sizeof *out);
	if (netaddr_parse(text, n, out->addr) == 0) {
		/* the prefix counts the bits of the address as written */
		long most = memchr(text, ':', n) ? 128 : 32;
		bits = most;
		if (slash) {
			char *end;
			bits =
			    slash[1] >= '0' && slash[1] <= '9' ? strtol(slash + 1, &end, 10) : -1;
			if (bits < 0 || bits > most || *end)
				bits = -1;
		}
		if (bits >= 0)
			bits += 128 - most;
	}
	if (bits < 0)
		return err_set_field(ERR_INVALID, option,
		                     "--%s '%s': expected an address or a network "
		                     "(192.0.2.7, 10.0.0.0/8, 2001:db8::/32)",
		                     option, text);
	out->bits = (unsigned)bits;
	for (unsigned i = out->bits; i < 128; i++)
		out->addr[i / 8] &= (unsigned char)~(0x80u >> (i % 8));
	return 0;
}

int netaddr_net_match(const struct netaddr_net *nets, size_t n, const unsigned char addr[16])
{
	for (size_t i = 0; i < n; i++)
		if (same_prefix(nets[i].addr, addr, nets[i].bits))
			return 1;
	return 0;
}
