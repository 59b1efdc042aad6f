/*
 * netaddr: client addresses as the daemon keeps them: 16 bytes, an IPv4
 * address as IPv6's ::ffff:a.b.c.d, so that one type serves both; their
 * text for the logs; networks (CIDR) they may belong to, as
 * --trusted-proxy names them.
 *
 * Pure functions; any thread.
 */
#ifndef POSBON_NETADDR_H
#define POSBON_NETADDR_H

#include <stddef.h>

#define NETADDR_TEXT 46 /* INET6_ADDRSTRLEN */

struct sockaddr;

/* The address of sa (AF_INET or AF_INET6) into out; 0, or -1 for another
 * family (out zeroed). */
int netaddr_from_sockaddr(const struct sockaddr *sa, unsigned char out[16]);

/* The n characters at text ("192.0.2.7", "2001:db8::1") as an address; 0,
 * or -1 when they are not one. */
int netaddr_parse(const char *text, size_t n, unsigned char out[16]);

/* A network: the addresses whose first bits (of the 128) are addr's. */
struct netaddr_net {
	unsigned char addr[16];
	unsigned bits;
};

/* "192.0.2.0/24", "10.0.0.1" (one address), "2001:db8::/32", "::1" as a
 * network into out (bits below the prefix cleared). ERR_INVALID naming
 * option when it is not one. */
int netaddr_net_parse(const char *option, const char *text, struct netaddr_net *out);

/* Whether addr is in one of the n networks. */
int netaddr_net_match(const struct netaddr_net *nets, size_t n, const unsigned char addr[16]);

/* Whether addr is an IPv4 address. */
int netaddr_is_v4(const unsigned char addr[16]);

/* addr as text into out: dotted for IPv4 (by hand: this runs for every
 * request, and the printf family is slow here, see log_access()). */
void netaddr_text(const unsigned char addr[16], char out[NETADDR_TEXT]);

#endif
