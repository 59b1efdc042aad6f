/* webhook: the signature, the waits between attempts, and the checks of a
 * subscription's URL, kinds and secret. */
#include "testutil.h"

#include "err.h"
#include "webhook.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* RFC 4231's test cases 1 and 2 of HMAC-SHA-256. */
static void test_signature(void **state)
{
	char sig[WEBHOOK_SIGNATURE_SIZE];
	unsigned char key[20];
	(void)state;
	memset(key, 0x0b, sizeof key);
	assert_int_equal(webhook_sign(key, sizeof key, "Hi There", 8, sig), 0);
	assert_string_equal(
	    sig, "sha256=b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	assert_int_equal(webhook_sign("Jefe", 4, "what do ya want for nothing?", 28, sig), 0);
	assert_string_equal(
	    sig, "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* Doubling from the least wait to the cap, cut by at most half at random,
 * never under the least. */
static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(webhook_backoff_ms(1, 0, 1000, 300000), 1000);
	assert_int_equal(webhook_backoff_ms(1, UINT_MAX, 1000, 300000), 1000);
	assert_int_equal(webhook_backoff_ms(2, 0, 1000, 300000), 2000);
	assert_int_equal(webhook_backoff_ms(4, 0, 1000, 300000), 8000);
	/* the largest random cuts just under half */
	long cut = webhook_backoff_ms(4, UINT_MAX, 1000, 300000);
	assert_true(cut > 4000 && cut <= 4001);
	assert_int_equal(webhook_backoff_ms(9, 0, 1000, 300000), 256000);
	assert_int_equal(webhook_backoff_ms(10, 0, 1000, 300000), 300000);
	assert_int_equal(webhook_backoff_ms(4000000000u, 0, 1000, 300000), 300000);
	long last = 0;
	for (unsigned f = 1; f < 40; f++) {
		long w = webhook_backoff_ms(f, 0, 1000, 300000),
		     r = webhook_backoff_ms(f, 1u << 31, 1000, 300000);
		assert_true(w >= last && w <= 300000);
		assert_true(r >= 1000 && r <= w && r >= w / 2);
		last = w;
	}
}

static void test_url(void **state)
{
	(void)state;
	assert_int_equal(webhook_url_check("http://127.0.0.1:8080/hook"), 0);
	assert_int_equal(webhook_url_check("https://gis.example.org/posbon?x=1"), 0);
	const char *bad[] = {
	    "ftp://example.org/x", "file:///etc/passwd", "example.org/hook", "http://", "",
	    "gopher://h/"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(webhook_url_check(bad[i]), ERR_INVALID);
		assert_string_equal(err_field(), "url");
	}
	webhook_url_check("ftp://example.org/x");
	assert_non_null(strstr(err_msg(), "only http and https"));
}

static void test_kinds(void **state)
{
	char out[128];
	(void)state;
	assert_int_equal(webhook_kinds_parse(NULL, out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(webhook_kinds_parse("all", out, sizeof out), 0);
	assert_string_equal(out, "");
	assert_int_equal(webhook_kinds_parse("offences,task,offence,activities", out, sizeof out),
	                 0);
	assert_string_equal(out, "offence,task,activity");
	assert_int_equal(webhook_kinds_parse("zone,standing", out, sizeof out), 0);
	assert_string_equal(out, "zone,standing");
	const char *bad[] = {"people", "offence,", ",task", "offence tasks"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		assert_int_equal(webhook_kinds_parse(bad[i], out, sizeof out), ERR_INVALID);
		assert_string_equal(err_field(), "kinds");
	}
}

static void test_secret(void **state)
{
	char path[] = "/tmp/posbon-secret-XXXXXX", secret[WEBHOOK_SECRET_MAX + 1];
	size_t len = 0;
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("0123456789abcdef0123\r\n", f);
	fclose(f);
	assert_int_equal(webhook_secret_read(path, secret, &len), 0);
	assert_string_equal(secret, "0123456789abcdef0123");
	assert_int_equal(len, 20);
	f = fopen(path, "w");
	fputs("short\n", f);
	fclose(f);
	assert_int_equal(webhook_secret_read(path, secret, &len), ERR_INVALID);
	assert_string_equal(err_field(), "secret-file");
	unlink(path);
	assert_int_equal(webhook_secret_read(path, secret, &len), ERR_IO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signature), cmocka_unit_test(test_backoff),
	    cmocka_unit_test(test_url),       cmocka_unit_test(test_kinds),
	    cmocka_unit_test(test_secret),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
