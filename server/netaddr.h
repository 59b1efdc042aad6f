/*
 * netaddr: client addresses as the daemon keeps them: 16 bytes, an IPv4
 * address as IPv6's ::ffff:a.b.c.d, so that one type serves both, and
 * their text for the logs.
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

/* Whether addr is an IPv4 address. */
int netaddr_is_v4(const unsigned char addr[16]);

/* addr as text into out: dotted for IPv4 (by hand: this runs for every
 * request, and the printf family is slow here, see log_access()). */
void netaddr_text(const unsigned char addr[16], char out[NETADDR_TEXT]);

#endif
