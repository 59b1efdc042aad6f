#!/bin/sh
# Builds the libFuzzer targets of tests/fuzz with clang in $FUZZ_BUILD
# (build-fuzz) and runs each for $FUZZ_SECONDS seconds (20), $JOBS at a
# time (2), from its committed seeds (corpus/NAME). With FUZZ_KEEP=1 (make
# fuzz) what a run finds is kept in $FUZZ_BUILD/corpus/NAME for the next
# run; without, it goes to a temporary folder, since libFuzzer replays the
# whole corpus before its clock starts.
#
# Exits 1 when a target crashes, leaks, hangs past 60 s on one input or
# runs out of memory: its log ends the output and the input that did it is
# kept in $FUZZ_BUILD/artifacts/NAME/ (run the target on that file to
# reproduce). Without clang and its libFuzzer it says so and exits 0, or 1
# when FUZZ_REQUIRED=1 (make fuzz).
#
# Usage: tests/fuzz/run.sh [TARGET...]    (default: every fuzz_*.c)
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${FUZZ_SECONDS:-20}
build=${FUZZ_BUILD:-$src/build-fuzz}
jobs=${JOBS:-2}
case $build in /*) ;; *) build=$src/$build ;; esac

if [ "${1:-}" = --one ]; then
	name=$2
	found=$build/corpus/$name
	if [ "${FUZZ_KEEP:-0}" != 1 ]; then
		found=$(mktemp -d)
		trap 'rm -rf "$found"' EXIT
	fi
	mkdir -p "$found" "$build/artifacts/$name"
	log=$build/artifacts/$name.log
	if ASAN_OPTIONS=detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$src/tests/lsan.supp:print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		POSBON_SOURCE_DIR=$src \
		"$build/$name" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$build/artifacts/$name/" \
		"$found" "$src/tests/fuzz/corpus/$name" >"$log" 2>&1; then
		echo "fuzz: $name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" |
			sed 's/.*: //') runs, no crash"
		exit 0
	fi
	echo "fuzz: $name FAILED; the input is in $build/artifacts/$name/:" >&2
	tail -n 60 "$log" >&2
	exit 1
fi

probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)\n{ return (int)(d && n) * 0; }\n' \
	>"$probe/p.c"
if ! command -v clang >/dev/null 2>&1 ||
	! clang -fsanitize=fuzzer,address,undefined "$probe/p.c" -o "$probe/p" >/dev/null 2>&1; then
	echo "fuzz: skipped: clang with libFuzzer (libclang-rt-14-dev) is not installed" >&2
	[ "${FUZZ_REQUIRED:-0}" = 1 ] && exit 1
	exit 0
fi

# -O1, asserts kept: the usual trade of fuzzing speed against stack traces.
CC=clang cmake -S "$src" -B "$build" -DPOSBON_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
	-DCMAKE_C_FLAGS_DEBUG="-g -O1" >/dev/null
cmake --build "$build" --target fuzzers -j "$jobs" >/dev/null

if [ $# -eq 0 ]; then
	set -- $(cd "$src/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')
fi
echo "fuzz: $# targets, $seconds s each, $jobs at a time"
printf '%s\n' "$@" | xargs -P "$jobs" -I{} sh "$0" --one {}
