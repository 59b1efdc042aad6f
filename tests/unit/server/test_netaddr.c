/* netaddr: addresses of both families in one form, and their text. */
#include "testutil.h"

#include "err.h"
#include "netaddr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

static void test_text_round_trips(void **state)
{
	unsigned char a[16];
	char text[NETADDR_TEXT];
	(void)state;
	const char *cases[] = {"192.0.2.7",  "0.0.0.0",     "255.255.255.255",
	                       "10.100.9.0", "2001:db8::1", "::1"};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		assert_int_equal(netaddr_parse(cases[i], strlen(cases[i]), a), 0);
		netaddr_text(a, text);
		assert_string_equal(text, cases[i]);
	}
	/* only the n characters given */
	assert_int_equal(netaddr_parse("192.0.2.7, 10.0.0.1", 9, a), 0);
	netaddr_text(a, text);
	assert_string_equal(text, "192.0.2.7");
	const char *bad[] = {"", "192.0.2", "192.0.2.256", "example.org", "1.2.3.4/8", "::g"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(netaddr_parse(bad[i], strlen(bad[i]), a), -1);
}

/* An IPv4 socket address is its IPv4-mapped IPv6 address. */
static void test_socket_addresses(void **state)
{
	unsigned char a[16], b[16];
	(void)state;
	struct sockaddr_in v4 = {.sin_family = AF_INET};
	inet_pton(AF_INET, "127.0.0.1", &v4.sin_addr);
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&v4, a), 0);
	assert_int_equal(netaddr_parse("::ffff:127.0.0.1", 16, b), 0);
	assert_memory_equal(a, b, 16);
	struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "2001:db8::5", &v6.sin6_addr);
	assert_int_equal(netaddr_from_sockaddr((struct sockaddr *)&v6, a), 0);
	assert_int_equal(netaddr_parse("2001:db8::5", 11, b), 0);
	assert_memory_equal(a, b, 16);
	struct sockaddr other = {.sa_family = AF_UNIX};
	assert_int_equal(netaddr_from_sockaddr(&other, a), -1);
}

static int in(const char *net, const char *addr)
{
	struct netaddr_net n;
	unsigned char a[16];
	assert_int_equal(netaddr_net_parse("trusted-proxy", net, &n), 0);
	assert_int_equal(netaddr_parse(addr, strlen(addr), a), 0);
	return netaddr_net_match(&n, 1, a);
}

static void test_networks(void **state)
{
	(void)state;
	assert_true(in("127.0.0.1", "127.0.0.1"));
	assert_false(in("127.0.0.1", "127.0.0.2"));
	assert_true(in("10.0.0.0/8", "10.255.3.4"));
	assert_false(in("10.0.0.0/8", "11.0.0.1"));
	assert_true(in("192.168.4.0/22", "192.168.7.255"));
	assert_false(in("192.168.4.0/22", "192.168.8.0"));
	assert_true(in("10.1.2.3/8", "10.9.9.9")); /* the bits below the prefix are cleared */
	assert_true(in("0.0.0.0/0", "203.0.113.5"));
	assert_false(in("0.0.0.0/0", "2001:db8::1")); /* IPv4's every address, not IPv6's */
	assert_true(in("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(in("2001:db8::/32", "2001:db9::1"));
	assert_true(in("::1", "::1"));
	assert_true(in("::ffff:10.0.0.0/104", "10.2.3.4")); /* mapped IPv4 */
	const char *bad[] = {"",          "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/8x", "::/129",
	                     "localhost", "10.0.0/8",    "/8",        "10.0.0.0/-1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct netaddr_net n;
		assert_int_equal(netaddr_net_parse("trusted-proxy", bad[i], &n), ERR_INVALID);
		assert_string_equal(err_field(), "trusted-proxy");
	}
	struct netaddr_net two[2];
	unsigned char a[16];
	assert_int_equal(netaddr_net_parse("p", "10.0.0.0/8", &two[0]), 0);
	assert_int_equal(netaddr_net_parse("p", "192.0.2.1", &two[1]), 0);
	assert_int_equal(netaddr_parse("192.0.2.1", 9, a), 0);
	assert_true(netaddr_net_match(two, 2, a));
	assert_false(netaddr_net_match(two, 0, a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_round_trips),
	    cmocka_unit_test(test_socket_addresses),
	    cmocka_unit_test(test_networks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
