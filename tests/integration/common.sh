# Shared by the integration tests: a temporary folder removed at exit, the
# real datasets folder, SQL against a database with SpatiaLite loaded, and
# assertions that print what was expected.
set -eu
: "${POSBON:?POSBON must name the posbon binary}"
: "${POSBON_SOURCE_DIR:?POSBON_SOURCE_DIR must name the source tree}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/posbon-it-XXXXXX")
# A failed check must not leave a daemon behind: background jobs end with the
# test, and the daemon serve_start() started (sh keeps no job table in a trap).
trap 'kill $(jobs -p) ${PID:-} 2>/dev/null || true; rm -rf "$TMP"' EXIT
DATA="$POSBON_SOURCE_DIR/../shared/data"
FAILS=0
PASSES=0

need_data() {
	if [ ! -d "$DATA" ]; then
		echo "SKIP: $DATA is absent"
		exit 77
	fi
}

sql() {
	sqlite3 -batch -noheader "$1" "SELECT load_extension('mod_spatialite');" "$2" | tail -n +2
}

check() { # description, actual, expected
	if [ "$2" = "$3" ]; then
		PASSES=$((PASSES + 1))
		echo "ok - $1"
	else
		FAILS=$((FAILS + 1))
		echo "FAIL - $1: got '$2', expected '$3'"
	fi
}

check_true() { # description, shell condition
	if eval "$2"; then
		PASSES=$((PASSES + 1))
		echo "ok - $1"
	else
		FAILS=$((FAILS + 1))
		echo "FAIL - $1: ($2) is false"
	fi
}

finish() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}

# Sets port to the one a starting `posbon serve` (HTTP or HTTPS) announces in its error log
# (empty after 10 s without).
wait_port() {
	port=""
	for _ in $(seq 1 100); do
		port=$(sed -n 's|.*on https\{0,1\}://127.0.0.1:\([0-9]*\)/.*|\1|p' "$1")
		[ -n "$port" ] && break
		sleep 0.1
	done
}

# Starts `posbon serve DB` on a free loopback port with the further options
# given; sets PID and URL (http://127.0.0.1:PORT); logs go to
# $TMP/access.log and $TMP/error.log.
serve_start() {
	db=$1
	shift
	: >"$TMP/error.log"
	"$POSBON" serve "$db" --listen 127.0.0.1:0 "$@" >"$TMP/access.log" 2>"$TMP/error.log" &
	PID=$!
	wait_port "$TMP/error.log"
	check_true "server announced its port" '[ -n "$port" ]'
	URL="http://127.0.0.1:$port"
}
