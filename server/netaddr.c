#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
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
