# The browser viewer in Debian's Chromium (tests/browser/test_viewer.mjs):
# log in with a token, tiles on the map, the language switch, a live offence
# refreshing the heatmap, a mahalla's figures, an offence's details in a popup
# on a click on its dot; and the planning mode
# (tests/browser/test_planner.mjs): draw, assign, save, warn, hide, undo; the coverage panel,
# dosage view, live units and print links (tests/browser/test_coverage.mjs); the analysis panel
# (Gi*), the suggested plan saved as zones and the planner's prints
# (tests/browser/test_analysis.mjs); the wall screen
# (tests/browser/test_wall.mjs); a task between services sent, heard at
# once, answered and logged by four users at a time, with the prevention
# log on the map and in the mahalla's timeline (tests/browser/test_coop.mjs);
# "Did it help?", the mahalla's standing and a task's log, comments and
# edits (tests/browser/test_followup.mjs);
# every panel and the wall screen in uz, ru
# and en at three sizes, for overflowing boxes, empty texts and swatches of
# no colour (tests/browser/test_layout.mjs); then, on a city of three districts, the
# district switcher, comparison table and coloured map
# (tests/browser/test_districts.mjs). Skipped (77) when the npm
# packages, Chromium or node are missing. The last screenshot goes to
# $POSBON_SCREENSHOT (default /tmp/viewer.png).
. "$(dirname "$0")/common.sh"
SRC=$POSBON_SOURCE_DIR
if [ ! -d "$SRC/node_modules/playwright-core" ] || [ ! -d "$SRC/node_modules/leaflet" ]; then
	echo "SKIP: $SRC/node_modules has no playwright-core or leaflet (make test runs npm ci)"
	exit 77
fi
if [ ! -x /usr/bin/chromium ]; then
	echo "SKIP: /usr/bin/chromium is missing (scripts/install-deps.sh test installs it)"
	exit 77
fi
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is missing (scripts/install-deps.sh installs nodejs)"
	exit 77
fi

DB="$TMP/v.sqlite"
# Offences up to today in the district, so "the last 30 days" has data: not
# the shared sample of common.sh, which ends on a fixed day.
"$POSBON" sample "$DB" --offences 3000 --end "$(TZ=Asia/Tashkent date +%F)" >/dev/null
if ! token=$("$POSBON" token add "$DB" --role officer --name test 2>"$TMP/token.err"); then
	if grep -q "unknown command" "$TMP/token.err"; then
		echo "SKIP: this posbon has no 'token' command yet, so the viewer cannot log in"
		exit 77
	fi
	echo "FAIL - posbon token add: $(cat "$TMP/token.err")"
	exit 1
fi
token=$(printf '%s\n' "$token" | awk 'NF { t = $NF } END { print t }')
check_true "token add printed a token" '[ -n "$token" ]'
new_token() { # token add's options -> the token
	"$POSBON" token add "$DB" "$@" | awk 'NF { t = $NF } END { print t }'
}
planner=$(new_token --role planner --name planner-test)
check_true "a planner's token too" '[ -n "$planner" ]'
# Tokens that speak for services (tests/browser/test_coop.mjs): the
# criminal investigation's desk, the inspector of mahalla M03, the youth unit.
cid=$(new_token --role officer --name cid-desk --service jqb/CID-1)
inspector=$(new_token --role officer --name inspector-m03 --service prevention/INSP-M03)
youth=$(new_token --role officer --name youth-unit --service youth)
check_true "and the services' tokens" '[ -n "$cid" ] && [ -n "$inspector" ] && [ -n "$youth" ]'
# A wall screen's, outside the services (tests/browser/test_followup.mjs).
viewer=$(new_token --role viewer --name wall-viewer)

# The daemon finds web/ and node_modules/leaflet/dist from the source tree.
: >"$TMP/error.log"
(cd "$SRC" && exec "$POSBON" serve "$DB" --listen 127.0.0.1:0 --threads 4 \
	--cache-dir "$TMP/tiles") >"$TMP/access.log" 2>"$TMP/error.log" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
wait_port "$TMP/error.log"
check_true "server announced its port" '[ -n "$port" ]'
URL="http://127.0.0.1:$port/"
check "the viewer's page is served" "$(curl -s -o /dev/null -w "%{http_code}" "$URL")" 200
check "Leaflet is served from node_modules" \
	"$(curl -s -o /dev/null -w "%{http_code}" "${URL}vendor/leaflet/leaflet-src.esm.js")" 200
check "Geoman is served from node_modules" \
	"$(curl -s -o /dev/null -w "%{http_code}" "${URL}vendor/geoman/leaflet-geoman.min.js")" 200
check "Geoman's folder does not lead outside it" \
	"$(curl -s --path-as-is -o /dev/null -w "%{http_code}" "${URL}vendor/geoman/../../../../package.json")" 404

# One file at a time and in this order: they share the daemon's database,
# and the analysis test's saved plan must not change the coverage test's
# gaps (node's runner would order several files by name); the layout test
# comes after the tasks test, so that it measures a list of tasks.
for file in test_viewer test_planner test_coverage test_analysis test_wall test_coop test_followup test_layout; do
	if POSBON_URL="$URL" POSBON_TOKEN="$token" POSBON_PLANNER_TOKEN="$planner" \
		POSBON_CID_TOKEN="$cid" POSBON_INSPECTOR_TOKEN="$inspector" POSBON_YOUTH_TOKEN="$youth" \
		POSBON_VIEWER_TOKEN="$viewer" \
		POSBON_SCREENSHOT="${POSBON_SCREENSHOT:-/tmp/viewer.png}" \
		node --test "$SRC/tests/browser/$file.mjs"; then
		check "browser test $file" ok ok
	else
		check "browser test $file" failed ok
		echo "--- daemon error log (last 30 lines)"
		tail -n 30 "$TMP/error.log"
	fi
done

stop_daemon() { # log
	kill -TERM "$PID"
	rc=0
	wait "$PID" || rc=$?
	trap 'rm -rf "$TMP"' EXIT
	check "SIGTERM stops the daemon cleanly" "$rc" 0
	if [ "$rc" -ne 0 ]; then
		echo "--- daemon error log (last 60 lines)"
		tail -n 60 "$1"
	fi
}
stop_daemon "$TMP/error.log"

# The directorate's view (tests/browser/test_districts.mjs) on a city of
# three districts, with a city-wide token and one of a district.
CITY="$TMP/city.sqlite"
"$POSBON" sample "$CITY" --districts 3 --mahallas 12 --offences 6000 --days 400 \
	--end "$(TZ=Asia/Tashkent date +%F)" >/dev/null
# A region of the first two districts.
sqlite3 -batch "$CITY" "SELECT load_extension('mod_spatialite');
	SELECT '{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",' ||
	'\"properties\":{\"code\":\"west\",\"name_en\":\"West region\",\"name_uz\":\"Gʻarbiy viloyat\"},' ||
	'\"geometry\":' || AsGeoJSON(ST_Union(geom)) || '}]}' FROM districts
	WHERE code IN ('D01', 'D02')" | tail -n 1 >"$TMP/region.geojson"
"$POSBON" import "$CITY" --layer regions --quiet "$TMP/region.geojson" >/dev/null
city=$("$POSBON" token add "$CITY" --role viewer --name city | awk 'NF { t = $NF } END { print t }')
one=$("$POSBON" token add "$CITY" --role viewer --name d01 --scope district:D01 | awk 'NF { t = $NF } END { print t }')
: >"$TMP/city-error.log"
(cd "$SRC" && exec "$POSBON" serve "$CITY" --listen 127.0.0.1:0 --threads 4 \
	--cache-dir none) >"$TMP/city-access.log" 2>"$TMP/city-error.log" &
PID=$!
trap 'kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
wait_port "$TMP/city-error.log"
if POSBON_URL="http://127.0.0.1:$port/" POSBON_TOKEN="$city" POSBON_SCOPED_TOKEN="$one" \
	node --test "$SRC/tests/browser/test_districts.mjs"; then
	check "browser test test_districts" ok ok
else
	check "browser test test_districts" failed ok
	echo "--- daemon error log (last 30 lines)"
	tail -n 30 "$TMP/city-error.log"
fi
stop_daemon "$TMP/city-error.log"
finish
