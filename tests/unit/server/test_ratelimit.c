/* ratelimit: failures counted per key in a fixed table, by the caller's
 * seconds: no clock, no sleeping. */
#include "testutil.h"

#include "ratelimit.h"

#include <string.h>

static void key_of(unsigned char key[16], unsigned char n)
{
	memset(key, 0, 16);
	key[15] = n;
}

/* limit failures within the window make the key wait for the rest of it;
 * another key is not concerned; the window's end starts afresh. */
static void test_the_limit_and_the_window(void **state)
{
	ratelimit *rl;
	unsigned char a[16], b[16];
	(void)state;
	key_of(a, 1);
	key_of(b, 2);
	assert_int_equal(ratelimit_new(8, 3, 60, &rl), 0);
	assert_int_equal(ratelimit_wait(rl, a, 1000), 0);
	assert_int_equal(ratelimit_fail(rl, a, 1000), 0);
	assert_int_equal(ratelimit_fail(rl, a, 1010), 0);
	assert_int_equal(ratelimit_wait(rl, a, 1010), 0);
	assert_int_equal(ratelimit_fail(rl, a, 1020), 40); /* the third: until 1060 */
	assert_int_equal(ratelimit_wait(rl, a, 1020), 40);
	assert_int_equal(ratelimit_wait(rl, a, 1059), 1);
	assert_int_equal(ratelimit_wait(rl, b, 1030), 0);
	assert_int_equal(ratelimit_fail(rl, b, 1030), 0);
	assert_int_equal(ratelimit_wait(rl, a, 1060), 0);
	/* a new window from the next failure */
	assert_int_equal(ratelimit_fail(rl, a, 1061), 0);
	assert_int_equal(ratelimit_fail(rl, a, 1062), 0);
	assert_int_equal(ratelimit_fail(rl, a, 1063), 58); /* until 1121 */
	ratelimit_free(rl);
}

/* Failures spread wider than the window never add up. */
static void test_slow_failures_never_wait(void **state)
{
	ratelimit *rl;
	unsigned char a[16];
	(void)state;
	key_of(a, 1);
	assert_int_equal(ratelimit_new(4, 2, 10, &rl), 0);
	for (int64_t t = 0; t < 1000; t += 10)
		assert_int_equal(ratelimit_fail(rl, a, t), 0);
	assert_int_equal(ratelimit_wait(rl, a, 1000), 0);
	ratelimit_free(rl);
}

/* A full table forgets the key whose window began first, and only it. */
static void test_a_full_table_forgets_the_oldest(void **state)
{
	ratelimit *rl;
	unsigned char k[16];
	(void)state;
	assert_int_equal(ratelimit_new(3, 2, 100, &rl), 0);
	for (unsigned char i = 1; i <= 3; i++) {
		key_of(k, i);
		assert_int_equal(ratelimit_fail(rl, k, i), 0);
		assert_int_equal(ratelimit_fail(rl, k, 10 + i), 100 + i - (10 + i));
	}
	key_of(k, 4); /* takes key 1's slot */
	assert_int_equal(ratelimit_fail(rl, k, 20), 0);
	key_of(k, 1);
	assert_int_equal(ratelimit_wait(rl, k, 21), 0);
	for (unsigned char i = 2; i <= 3; i++) {
		key_of(k, i);
		assert_int_equal(ratelimit_wait(rl, k, 21), 100 + i - 21);
	}
	/* thousands of keys through three slots */
	for (unsigned i = 0; i < 5000; i++) {
		memset(k, 0, 16);
		memcpy(k, &i, sizeof i);
		ratelimit_fail(rl, k, 30);
	}
	key_of(k, 2);
	assert_int_equal(ratelimit_wait(rl, k, 31), 0);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_limit_and_the_window),
	    cmocka_unit_test(test_slow_failures_never_wait),
	    cmocka_unit_test(test_a_full_table_forgets_the_oldest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
