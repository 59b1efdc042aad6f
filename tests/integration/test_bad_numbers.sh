# Every numeric parameter of every route refuses what is not a usable
# number (bad_numbers.txt: infinities, NaN, numbers past any bound, huge
# integers, empty, text around a number, bytes that are not UTF-8) with a
# 4xx naming it, and the daemon lives on; degenerate WMS boxes alike, and
# string parameters that are not UTF-8. The sanitized build aborts on any
# overflowing conversion, so a crash shows as a dead daemon.
. "$(dirname "$0")/common.sh"
DB="$TMP/n.sqlite"
sample_db "$DB"
VIEWER=$("$POSBON" token add "$DB" --role viewer --name wall)
DISTRICT=$(sql "$DB" "SELECT code FROM districts LIMIT 1")
MAHALLA=$(sql "$DB" "SELECT code FROM mahallas ORDER BY code LIMIT 1")
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
[ -n "$port" ] || { finish; exit 1; }
AUTH="Authorization: Bearer $VIEWER"

# A tile of the district at zoom 12.
set -- $(sql "$DB" "SELECT X(Centroid(geom)), Y(Centroid(geom)) FROM districts LIMIT 1" | tr '|' ' ')
set -- $(python3 -c "
import math
lon, lat, n = $1, $2, 2 ** 12
print(int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))")
TILE="12/$1/$2"

BOX84="69.2,41.2,69.3,41.3"
MAP="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&CRS=CRS:84&LAYERS=heatmap"
FI="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&CRS=CRS:84&BBOX=$BOX84&WIDTH=64&HEIGHT=64&LAYERS=offences&QUERY_LAYERS=offences&I=5&J=5"
LG="SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&FORMAT=image/png&LAYER=heatmap"

# One line a route: the path with its query up to the parameters tried,
# then the parameters. A parameter the route also has in its query is
# replaced there.
cat >"$TMP/routes" <<EOF
/api/summary? bandwidth
/api/legend?layer=heatmap bandwidth
/api/mahallas/$MAHALLA? bandwidth
/api/offences? limit offset bbox bandwidth
/api/hotspots? share cell bandwidth
/api/dosage? target visits interpolate share cell
/api/units? within
/api/plan?shift=18-02&units=ppx:1:480 visit every speed cell shared candidates
/api/gistar? cell band bandwidth
/api/backtest?shift=18-02 train_weeks test_weeks step_weeks folds cell share
/api/backtest/chart.svg?shift=18-02 folds share
/api/trends? weeks cell band alpha
/tiles/heatmap/$TILE.png? bandwidth share target visits
/tiles/hotspots/$TILE.png? cell share
/tiles/trends/$TILE.png? weeks cell band
/print/district/$DISTRICT.png? scale dpi hotspots bandwidth
/print/roster.csv?shift=18-02 visit every
/wms?$MAP&BBOX=$BOX84&WIDTH=64&HEIGHT=64 WIDTH HEIGHT BBOX bandwidth share
/wms?$FI I J FEATURE_COUNT
/wms?$LG SCALE WIDTH HEIGHT
EOF

REFUSED=0
TRIED=0
# try URL PARAM...: asserts a 4xx that names one of the parameters: a JSON
# "field", or a WMS exception whose text names it.
try() {
	url=$1
	shift
	TRIED=$((TRIED + 1))
	status=$(curl -s -H "$AUTH" -o "$TMP/body" -w "%{http_code}" "$url") || status=000
	named=no
	for name in "$@"; do
		if grep -q "\"field\":\"$name\"" "$TMP/body" ||
			{ grep -q "ServiceException" "$TMP/body" && grep -q "$name" "$TMP/body"; }; then
			named=yes
		fi
	done
	case "$status" in
	4??) [ "$named" = yes ] && REFUSED=$((REFUSED + 1)) && return 0 ;;
	esac
	echo "FAIL - $url: $status $(head -c 300 "$TMP/body")"
}

# All the URLs first (one python3 for each would be slow), then the requests.
grep -v '^#' "$POSBON_SOURCE_DIR/tests/integration/bad_numbers.txt" >"$TMP/values"
python3 - "$TMP/routes" "$TMP/values" "$URL" >"$TMP/urls" <<'PY'
import sys
routes, values, base = sys.argv[1], sys.argv[2], sys.argv[3]
vals = [v.rstrip("\n") for v in open(values)]
for line in open(routes):
    url, *params = line.split()
    path, _, query = url.partition("?")
    for p in params:
        args = [a for a in query.split("&") if a and a.split("=")[0].lower() != p.lower()]
        for v in vals:
            print(base + path + "?" + "&".join(args + [p + "=" + v]), p)
PY
while read -r url name; do
	try "$url" "$name"
done <"$TMP/urls"
check "every bad number to every numeric parameter: a 4xx naming it" "$REFUSED" "$TRIED"

# The tile's own address: Z, X and Y in the path.
REFUSED=0 TRIED=0
while IFS= read -r v; do
	for zxy in "$v/0/0" "12/$v/0" "12/0/$v"; do
		try "$URL/tiles/heatmap/$zxy.png" "z/x/y" path format
	done
done <"$TMP/values"
check "every bad number in a tile's Z/X/Y: a 4xx naming it" "$REFUSED" "$TRIED"

# Boxes no picture can be drawn for, in each frame.
REFUSED=0 TRIED=0
for box in "CRS=EPSG:3857&BBOX=-inf,-inf,inf,inf" "CRS=EPSG:3857&BBOX=nan,0,1,1" \
	"CRS=EPSG:3857&BBOX=-1e300,-1e300,1e300,1e300" "CRS=EPSG:3857&BBOX=7712180,5058337,7712180.000001,5058338" \
	"CRS=EPSG:4326&BBOX=41.2,69.2,41.20000000000001,69.3" "CRS=EPSG:4326&BBOX=86,69.2,90,69.3" \
	"CRS=CRS:84&BBOX=69.2,41.2,69.2,41.3" "CRS=CRS:84&BBOX=-181,41.2,69.3,41.3" \
	"CRS=EPSG:32642&BBOX=0,0,1e-300,1" "CRS=EPSG:32642&BBOX=1e9,1e9,2e9,2e9"; do
	try "$URL/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&STYLES=&FORMAT=image/png&LAYERS=heatmap,mahallas&WIDTH=64&HEIGHT=64&$box" BBOX
	try "$URL/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&STYLES=&INFO_FORMAT=application/json&LAYERS=mahallas&QUERY_LAYERS=mahallas&WIDTH=64&HEIGHT=64&I=1&J=1&$box" BBOX
done
check "degenerate WMS boxes: 400 naming BBOX" "$REFUSED" "$TRIED"

# Strings that are not UTF-8 go into JSON nowhere: 400 naming them.
REFUSED=0 TRIED=0
for name in categories services from to hours weekdays metric layer; do
	try "$URL/api/summary?$name=%C3%28" "$name"
done
for name in shift weekdays units relevance forecast date; do
	try "$URL/api/plan?shift=18-02&$name=%FF" "$name"
done
for name in end categories services date; do
	try "$URL/api/backtest?shift=18-02&$name=%ED%A0%80" "$name"
done
for name in active service; do
	try "$URL/api/zones?$name=%C0%80" "$name"
done
for name in lang paper layers; do
	try "$URL/print/district/$DISTRICT.png?$name=%C3%28" "$name"
done
try "$URL/print/district/%C3%28.png" path
try "$URL/wms?SERVICE=WMS&REQUEST=GetMap&LAYERS=%C3%28" LAYERS
try "$URL/api/summary?%C3%28=1" "$(printf '\357\277\275(')"
check "strings that are not UTF-8: 400 naming them" "$REFUSED" "$TRIED"
check "a Host that is not UTF-8, which TileJSON repeats: 400 naming it" \
	"$(curl -s -H "$AUTH" -H "$(printf 'Host: h\377')" "$URL/tiles/heatmap.json" | grep -o '"field":"Host"')" '"field":"Host"'

# A zone's version in If-Match is a number from outside too.
PLANNER=$("$POSBON" token add "$DB" --role planner --name planner)
REFUSED=0 TRIED=0
while IFS= read -r v; do
	for h in "$v" "\"$v\""; do
		[ -n "$h" ] || continue # curl sends no empty header
		TRIED=$((TRIED + 1))
		status=$(curl -s -X DELETE -H "Authorization: Bearer $PLANNER" -H "If-Match: $h" \
			-o "$TMP/body" -w "%{http_code}" "$URL/api/zones/nowhere")
		if [ "$status" = 400 ] && grep -q '"field":"If-Match"' "$TMP/body"; then
			REFUSED=$((REFUSED + 1))
		else
			echo "FAIL - If-Match: $h: $status $(head -c 300 "$TMP/body")"
		fi
	done
done <"$TMP/values"
check "bad numbers in If-Match: 400 naming it" "$REFUSED" "$TRIED"

# The CLI: bad numbers to each numeric option, exit 2 and a message naming
# the option (or, where the core judges the value, its name). A line: the
# values (all of bad_numbers.txt for one option of each parser, a few for
# the rest, as each process costs a sanitized start) | the command and its
# own words | the options tried.
cat >"$TMP/options" <<EOF
all | hotspots $DB | --share --top
all | render $DB --layer heatmap -o $TMP/r.png | --tile --bbox
all | render $DB --layer heatmap -o $TMP/r.png --bbox 69.2,41.2,69.3,41.3 | --size
all | export-tiles $DB -o $TMP/t.mbtiles --layers heatmap | --zooms
all | serve $DB | --listen
some | hotspots $DB | --cell --bandwidth
some | plan $DB --shift 18-02 --units ppx:1:480 | --visit --every --speed --cell --shared --candidates
some | dosage $DB | --target --visits --interpolate --share --cell
some | gistar $DB | --cell --band --max-cells
some | trends $DB | --weeks --cell --band --alpha
some | backtest $DB --shift 18-02 | --train-weeks --test-weeks --step-weeks --folds --cell --share
some | render $DB --layer heatmap -o $TMP/r.png --bbox 69.2,41.2,69.3,41.3 | --scale --bandwidth --weeks --cell --band
some | print $DB -o $TMP/p.pdf | --scale --dpi --hotspots --bandwidth --visit --every
some | export-density $DB -o $TMP/d.tif | --cell --radius
some | export-tiles $DB -o $TMP/t.mbtiles --layers heatmap | --scale --max-tiles --threads
some | sample $TMP/never.sqlite | --seed --districts --offences --mahallas --days
some | serve $DB | --threads --cache-mb --timeout --max-body-kb
EOF
python3 -c "
import sys
from urllib.parse import unquote_to_bytes
for v in open(sys.argv[1]):
    sys.stdout.buffer.write(unquote_to_bytes(v.rstrip('\n')) + b'\n')" "$TMP/values" >"$TMP/all"
printf '%s\n' inf nan 1e309 99999999999999999999 1e-300 '' >"$TMP/some"
REFUSED=0 TRIED=0
while IFS='|' read -r values fixed tried; do
	for opt in $tried; do
		while IFS= read -r v; do
			TRIED=$((TRIED + 1))
			set +e
			# shellcheck disable=SC2086
			timeout 60 "$POSBON" $fixed "$opt" "$v" >/dev/null 2>"$TMP/cli_err"
			rc=$?
			set -e
			if [ "$rc" -eq 2 ] && grep -q -- "${opt#--}" "$TMP/cli_err"; then
				REFUSED=$((REFUSED + 1))
			else
				echo "FAIL - posbon $fixed $opt '$v': exit $rc, $(head -c 300 "$TMP/cli_err")"
			fi
		done <"$TMP/${values% }"
	done
done <"$TMP/options"
check "every bad number to every numeric option: exit 2 naming it" "$REFUSED" "$TRIED"
check_true "the sample command made nothing" '[ ! -e "$TMP/never.sqlite" ]'

check "the daemon lives on" "$(curl -s -o /dev/null -w "%{http_code}" "$URL/healthz")" 200
check_true "and reported no undefined behaviour" '! grep -q "runtime error\|AddressSanitizer" "$TMP/error.log"'

# Good numbers still work: the same routes answer with a value in range.
check "a good number still answers" \
	"$(curl -s -H "$AUTH" -o /dev/null -w "%{http_code}" "$URL/api/offences?limit=5&offset=1&bbox=69,41,70,42")" 200

kill -TERM "$PID"
wait "$PID" || true
PID=""
finish
