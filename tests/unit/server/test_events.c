/* events: the ring a stream reads from. Events come out whole, in order,
 * with their ids; a stream that fell a whole ring behind gets a reset, and
 * one exactly a ring behind still gets every event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "events.h"

#include <stdio.h>
#include <string.h>

enum { RING = 256 }; /* events.c's ring, as its comment says: the last 256 events */

static int setup(void **state)
{
	events *ev;
	if (events_new(4, &ev) < 0)
		return -1;
	*state = ev;
	return 0;
}

static int teardown(void **state)
{
	events_shutdown(*state, 0);
	events_free(*state);
	return 0;
}

static void publish_n(events *ev, int from, int n)
{
	for (int i = from; i < from + n; i++) {
		char data[32];
		snprintf(data, sizeof data, "{\"n\":%d}", i);
		events_publish(ev, "offences", data, NULL);
	}
}

static void test_in_order_with_ids(void **state)
{
	events *ev = *state;
	static char buf[1 << 16];
	unsigned long next = events_next(ev);
	assert_int_equal(next, 0);
	events_publish(ev, "offences", "{\"added\":1}", NULL);
	events_publish(ev, "zones", "{\"action\":\"plan\"}", NULL);
	size_t n = events_read(ev, &next, "", buf, sizeof buf);
	const char *want = "id: 0\nevent: offences\ndata: {\"added\":1}\n\n"
	                   "id: 1\nevent: zones\ndata: {\"action\":\"plan\"}\n\n";
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
	assert_int_equal(next, 2);
	assert_int_equal(events_read(ev, &next, "", buf, sizeof buf), 0);

	/* Whole events only: a buffer one byte short takes nothing. */
	events_publish(ev, "units", "{}", NULL);
	const char *third = "id: 2\nevent: units\ndata: {}\n\n";
	assert_int_equal(events_read(ev, &next, "", buf, strlen(third) - 1), 0);
	assert_int_equal(next, 2);
	assert_int_equal(events_read(ev, &next, "", buf, strlen(third)), strlen(third));
	assert_memory_equal(buf, third, strlen(third));
	assert_int_equal(next, 3);
}

/* A stream of a district's credentials skips the events of other districts;
 * events touching no district in particular reach it. */
static void test_scoped_streams_read_their_districts(void **state)
{
	events *ev = *state;
	static char buf[1 << 16];
	unsigned long scoped = events_next(ev), whole = scoped;
	events_publish(ev, "offences", "{\"n\":1}", "east");
	events_publish(ev, "offences", "{\"n\":2}", "west,north");
	events_publish(ev, "zones", "{\"n\":3}", NULL);
	events_publish(ev, "offences", "{\"n\":4}", "");
	size_t n = events_read(ev, &scoped, "west,south", buf, sizeof buf - 1);
	buf[n] = '\0';
	assert_null(strstr(buf, "{\"n\":1}"));
	assert_non_null(strstr(buf, "{\"n\":2}"));
	assert_non_null(strstr(buf, "{\"n\":3}"));
	assert_null(strstr(buf, "{\"n\":4}"));
	assert_int_equal(scoped, events_next(ev));
	n = events_read(ev, &whole, "", buf, sizeof buf - 1);
	buf[n] = '\0';
	for (int i = 1; i <= 4; i++) {
		char want[16];
		snprintf(want, sizeof want, "{\"n\":%d}", i);
		assert_non_null(strstr(buf, want));
	}
}

static void test_reset_only_past_the_ring(void **state)
{
	events *ev = *state;
	static char buf[1 << 16];
	unsigned long exact = events_next(ev), behind = exact;
	/* A whole ring: the stream at its start still gets all of it. */
	publish_n(ev, 0, RING);
	size_t n = events_read(ev, &exact, "", buf, sizeof buf - 1);
	buf[n] = '\0';
	char first[32];
	snprintf(first, sizeof first, "id: %lu\n", behind);
	assert_true(n > 0);
	assert_memory_equal(buf, first, strlen(first));
	assert_null(strstr(buf, "event: reset"));
	size_t count = 0;
	for (const char *p = buf; (p = strstr(p, "event: offences")); p++)
		count++;
	assert_int_equal(count, RING);
	assert_int_equal(exact, events_next(ev));

	/* One more, and the stream still at the start has lost its first event:
	 * a reset, then it goes on from now. */
	publish_n(ev, RING, 1);
	n = events_read(ev, &behind, "", buf, sizeof buf - 1);
	buf[n] = '\0';
	const char *reset = "event: reset\ndata: {}\n\n";
	assert_int_equal(n, strlen(reset));
	assert_memory_equal(buf, reset, n);
	assert_int_equal(behind, events_next(ev));
	publish_n(ev, RING + 1, 1);
	n = events_read(ev, &behind, "", buf, sizeof buf - 1);
	buf[n] = '\0';
	assert_true(n > 0 && strstr(buf, "data: {\"n\":257}") != NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_in_order_with_ids, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scoped_streams_read_their_districts, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_reset_only_past_the_ring, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
