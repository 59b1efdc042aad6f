#!/bin/sh
# Runs the integration and browser tests with the clock set to hours that
# have broken tests before: just after midnight, early morning, evening and
# ten minutes before midnight, Tashkent time, on today's date. A test that
# depends on the hour it runs at (a sample that holds records later than the
# clock, a "today" computed in one time zone and read in another) fails here.
#
# Not part of `make test` (it runs the suites four times); run it after a
# change to times, periods or the sample:
#   [TESTS=REGEX] tests/at-any-hour.sh [BUILD_DIR] [HH:MM ...]
# BUILD_DIR defaults to build-test (as `make test` leaves it); TESTS picks
# ctest's tests (default: every integration test, the browser's among them).
# The clock is moved to each hour and runs on (libfaketime), so timeouts
# still work.
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build-test}
[ $# -gt 0 ] && shift
HOURS=${*:-00:30 06:30 18:30 23:50}

scripts/install-deps.sh hours
[ -x "$BUILD/posbon" ] || {
	echo "at-any-hour: no $BUILD/posbon; run make test (or make build-test) first" >&2
	exit 2
}
LIB=$(dpkg -L libfaketime | grep '/libfaketime.so.1$' | head -n 1)
DAY=$(TZ=Asia/Tashkent date +%F)
failed=""
for hm in $HOURS; do
	target=$(date -d "TZ=\"Asia/Tashkent\" $DAY $hm" +%s)
	# An offset, not a start time: every process (the daemon, node,
	# Chromium) sees the same fake clock, running on.
	offset=$((target - $(date +%s)))
	case $offset in -*) ;; *) offset=+$offset ;; esac
	echo "== $DAY $hm Tashkent (clock ${offset} s)"
	# ASan must come first among the libraries; libfaketime is preloaded
	# before it, which ASan accepts when told not to check the order.
	if ! (cd "$BUILD" && env FAKETIME="$offset" LD_PRELOAD="$LIB" \
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:verify_asan_link_order=0 \
		LSAN_OPTIONS=suppressions="$PWD/../tests/lsan.supp":print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -R "${TESTS:-^integration_}"); then
		failed="$failed $hm"
	fi
done
if [ -n "$failed" ]; then
	echo "at-any-hour: failed at$failed (Tashkent time)" >&2
	exit 1
fi
echo "at-any-hour: passed at $HOURS (Tashkent time)"
