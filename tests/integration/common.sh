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

# The sample district the integration tests share: one parameter set, which
# ctest generates once a run (fixture_sample.sh, into POSBON_SAMPLE_DB) and
# each test copies, as it writes to its database.
SAMPLE_ARGS="--offences 20000 --mahallas 12 --end 2026-06-30"

# Puts the shared sample district at DEST: a copy of ctest's fixture, or,
# run outside ctest (POSBON_SAMPLE_DB unset or its file absent), a new one.
sample_db() { # dest
	if [ -n "${POSBON_SAMPLE_DB:-}" ] && [ -f "$POSBON_SAMPLE_DB" ]; then
		cp "$POSBON_SAMPLE_DB" "$1"
		chmod u+w "$1" # the fixture is read-only
	else
		# shellcheck disable=SC2086 # SAMPLE_ARGS is several options
		"$POSBON" sample "$1" $SAMPLE_ARGS >/dev/null
	fi
}

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

# Polls a shell condition every 0.1 s until it holds; returns 1 when it still
# does not after the seconds given (default 30). Never a fixed sleep: a busy
# machine only makes it take longer.
wait_until() { # shell condition, [seconds]
	tries=$((${2:-30} * 10))
	while ! eval "$1"; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

# Waits (as wait_until) until a file holds a fixed string.
wait_file() { # string, file, [seconds]
	wf_string=$1
	wf_file=$2
	wait_until 'grep -qF -- "$wf_string" "$wf_file"' "${3:-30}"
}

# Opens the event stream of the daemon at $URL with the header given (a
# token) into $TMP/events in the background, sets SSE to its pid, and returns
# once the daemon counts it among its subscribers.
events_open() { # authorization header
	eo_auth=$1
	eo_subscribers() { curl -s -H "$eo_auth" "$URL/metrics" | sed -n 's/^posbon_event_subscribers //p'; }
	eo_before=$(eo_subscribers)
	curl -s -N --max-time 60 -H "$eo_auth" "$URL/api/events" >"$TMP/events" &
	SSE=$!
	wait_until '[ "$(eo_subscribers)" -gt "${eo_before:-0}" ] 2>/dev/null'
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

# Stops the daemon serve_start() started and checks that it stopped cleanly
# (the check's description may be given); when not, shows the end of its
# error log (SERVE_LOG, else serve_start()'s), where a sanitizer's report is.
serve_stop() {
	kill -TERM "$PID"
	ss_rc=0
	wait "$PID" || ss_rc=$?
	check "${1:-stops cleanly}" "$ss_rc" 0
	if [ "$ss_rc" -ne 0 ]; then
		echo "--- daemon error log (last 40 lines)"
		tail -n 40 "${SERVE_LOG:-$TMP/error.log}"
	fi
}

# Offences placed in known districts, as CSV on stdout (id, x, y, date,
# category, made_in): district i (0 up, by code) gets COUNT of them (an SQL
# expression of d.i) on a 9 x 9 grid 0.0005 degrees apart around a point of
# its surface, those inside it kept; offence k of a district (0 up) occurred
# at DATE (an SQL expression of k, local time); theft, robbery and
# hooliganism in turn.
district_offences() { # db count date
	sqlite3 -batch "$1" <<EOF | tr -d '\r' | grep -v '^$'
SELECT load_extension('mod_spatialite');
.headers on
.mode csv
WITH RECURSIVE n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 1000),
d AS (SELECT code, (SELECT count(*) FROM districts e WHERE e.code < districts.code) AS i,
             ST_PointOnSurface(geom) AS p, geom FROM districts),
c AS (SELECT d.code AS district, n.k AS k, d.geom AS geom,
             X(d.p) + ((n.k % 9) - 4) * 0.0005 AS x, Y(d.p) + ((n.k / 9 % 9) - 4) * 0.0005 AS y
      FROM d, n WHERE n.k < $2)
SELECT district || '-' || k AS id, printf('%.6f', x) AS x, printf('%.6f', y) AS y,
       $3 AS date,
       CASE k % 3 WHEN 0 THEN 'theft' WHEN 1 THEN 'robbery' ELSE 'hooliganism' END AS category,
       district AS made_in
FROM c WHERE ST_Covers(geom, MakePoint(x, y, 4326));
EOF
}

# Prints the tile z/x/y holding lon lat (for the tests that decode tiles).
tile_of() { # z lon lat
	python3 -c "
import math, sys
z, lon, lat = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
n = 2 ** z
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print(f'{z}/{x}/{y}')" "$@"
}
# Prints the RGB hex of the pixel of PNG at lon lat (tile z/x/y, 256 px).
pixel() { # png z/x/y lon lat
	PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c "
import math, sys
from pngread import read
path, zxy, lon, lat = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
z, tx, ty = (int(v) for v in zxy.split('/'))
n = 2 ** z
px = ((lon + 180) / 360 * n - tx) * 256
py = ((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n - ty) * 256
w, h, bpp, rows = read(path)
r = rows[int(py)][int(px) * bpp:int(px) * bpp + 3]
print('%02x%02x%02x' % tuple(r))" "$@"
}

# The total of a printed page's table of offences: its "Jami" row, whose
# thousands are set apart by a space ("1 218").
pdf_total() { # pdf
	pdftotext -layout "$1" - | sed -En 's/.* Jami +([0-9]{1,3}( [0-9]{3})*)( {2,}.*)?$/\1/p' |
		head -n 1 | tr -d ' '
}

# Lines of a file, 0 when it is not there yet.
lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# Whether a feeder has acknowledged at least N offences ($TMP/acked).
acked_past() { [ "$(lines "$TMP/acked")" -ge "$1" ]; }

# batch NAME -> a FeatureCollection of $BATCH offences with ids NAME-1..
batch() {
	awk -v name="$1" -v n="$BATCH" 'BEGIN {
		printf "{\"type\":\"FeatureCollection\",\"features\":["
		for (i = 1; i <= n; i++)
			printf "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"%s-%d\",\"time\":\"2026-07-%02dT%02d:%02d\",\"category\":\"theft\"},\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.5f,%.5f]}}",
				(i > 1 ? "," : ""), name, i, 1 + i % 28, i % 24, i % 60, 69.24 + i * 0.0005, 41.29 + i * 0.0003
		printf "]}"
	}'
}
