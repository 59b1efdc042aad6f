# posbon gistar and GET /api/gistar on a generated sample district: the
# summary, GeoJSON of the significant cells and CSV of every analysed cell
# telling the same story, filters, the False Discovery Rate never adding
# significant cells, bad input named, and the CLI and the daemon agreeing.
. "$(dirname "$0")/common.sh"
DB="$TMP/g.sqlite"
sample_db "$DB"

summary=$("$POSBON" gistar "$DB")
echo "$summary"
check_true "the summary gives the grid, the bands and the chosen band" \
	'echo "$summary" | grep -q "^grid: .* cells of 100 m in EPSG:32642" &&
	 [ "$(echo "$summary" | grep -c "Moran.s I")" -eq 10 ] && echo "$summary" | grep -q "^band: "'
check "the hottest cell is ranked first at 99%" "$(echo "$summary" | awk '$1 == 1 {print $NF}')" 3

"$POSBON" gistar "$DB" --format json -o "$TMP/g.json"
"$POSBON" gistar "$DB" --format csv -o "$TMP/g.csv"
# Checks a Gi* FeatureCollection (argv 1) against the CSV (argv 2).
CHECK='
import csv, json, sys
fc = json.load(open(sys.argv[1]))
rows = list(csv.DictReader(open(sys.argv[2])))
b = fc["bins"]
assert sum(b.values()) == fc["cells"] == len(rows), "bins, cells, rows"
f = fc["features"]
assert len(f) == fc["cells"] - b["0"], "one feature per significant cell"
assert sum(float(r["count"]) for r in rows) == fc["offences"], "counts"
z = {(int(r["i"]), int(r["j"])): float(r["z"]) for r in rows}
sign = [x["properties"]["bin"] > 0 for x in f]
assert sign == sorted(sign, reverse=True), "hot cells first"
for x in f:
    p = x["properties"]
    assert abs(z[(p["i"], p["j"])] - p["z"]) < 1e-12, "z of %s" % p
    level = 3 if p["p"] < 0.01 else 2 if p["p"] < 0.05 else 1
    assert p["bin"] == (level if p["z"] > 0 else -level), "bin of %s" % p
    assert x["geometry"]["type"] == "Polygon" and len(x["geometry"]["coordinates"][0]) == 5
for r in rows:
    if r["bin"] == "0":
        assert float(r["p"]) >= 0.10, "not significant: %s" % r
assert fc["band_source"] in ("peak", "fallback") and len(fc["steps"]) == 10
print("ok")
'
check "GeoJSON and CSV: bins, counts, z and the ArcGIS levels agree" \
	"$(python3 -c "$CHECK" "$TMP/g.json" "$TMP/g.csv")" ok

"$POSBON" gistar "$DB" --cell 200 --band 500 --fdr --categories theft --hours 20-08 \
	--format json -o "$TMP/f.json"
"$POSBON" gistar "$DB" --cell 200 --band 500 --categories theft --hours 20-08 \
	--format json -o "$TMP/p.json"
check "cell, band, filters and FDR as asked" \
	"$(python3 -c '
import json, sys
f, p = (json.load(open(a)) for a in sys.argv[1:3])
sig = lambda d, k: sum(v for b, v in d["bins"].items() if abs(int(b)) >= k)
print(f["cell_m"], f["band_m"], f["band_source"], f["fdr"], p["fdr"],
      f["offences"] == p["offences"] < json.load(open(sys.argv[3]))["offences"],
      all(sig(f, k) <= sig(p, k) for k in (1, 2, 3)))' "$TMP/f.json" "$TMP/p.json" "$TMP/g.json")" \
	"200.0 500.0 given True False True True"

"$POSBON" gistar "$DB" -o "$TMP/z.tif" >"$TMP/tif.out"
check_true "a GeoTIFF by default with -o" 'grep -q "z.tif: .* cells of 100 m in EPSG:32642" "$TMP/tif.out" && [ -s "$TMP/z.tif" ]'

bad() { # expected exit 2 and message for the options given
	want=$1
	shift
	set +e
	err=$("$POSBON" gistar "$DB" "$@" 2>&1)
	rc=$?
	set -e
	check_true "gistar $* exits 2: $want" '[ "$rc" -eq 2 ] && echo "$err" | grep -q "$want"'
}
bad "cell: a grid of .* cells of 1 m is too large" --cell 1
bad "band: 50 m is not a distance band" --cell 100 --band 50
bad "filter: no offence passes" --from 2020-01-01 --to 2020-01-31
bad "format: 'xml' is not" --format xml

VIEWER=$("$POSBON" token add "$DB" --role viewer --name analyst)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
URL="$URL/api/gistar"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { curl -s -H "$V" "$URL?$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["field"])'; }
check "Gi* needs credentials" "$(code "$URL")" 401
check "52 million 1 m cells are 400 naming the cell" "$(field "cell=1")" cell
check "a band under the cell is 400 naming it" "$(field "cell=100&band=20")" band
check "fdr=maybe is 400 naming it" "$(field "fdr=maybe")" fdr
check "an empty period is 400" "$(code -H "$V" "$URL?from=2020-01-01&to=2020-01-31")" 400
check "an unknown category is 400 naming it" "$(field "categories=nothing")" categories
curl -s -H "$V" "$URL" >"$TMP/http.json"
# Asked again, the same grid is answered from the analyses kept, not run again.
results() { curl -s -H "$V" "${URL%/api/gistar}/metrics" | sed -n "s/^posbon_analysis_results_total{outcome=\"$1\"} //p"; }
computed=$(results computed) kept=$(results kept)
curl -s -H "$V" "$URL" >"$TMP/http-again.json"
check_true "the same Gi* asked again is kept, not computed again" \
	'cmp -s "$TMP/http.json" "$TMP/http-again.json" && [ "$(results computed)" -eq "$computed" ] &&
	 [ "$(results kept)" -eq $((kept + 1)) ]'
curl -s -H "$V" "$URL?cell=200&band=500&fdr=true&categories=theft&hours=20-08" >"$TMP/http-f.json"
check "the daemon and the command line find the same cells" \
	"$(python3 -c '
import json, sys
a, b, c, d = (json.load(open(p)) for p in sys.argv[1:])
print(a == b, c == d, len(a["features"]) > 0)' "$TMP/g.json" "$TMP/http.json" "$TMP/f.json" "$TMP/http-f.json")" \
	"True True True"

# The gistar tile layer over the hottest cell: a PNG that changes with the data.
tile=$(python3 -c '
import json, math, sys
lon, lat = json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"][0][0]
n = 2 ** 14
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print("14/%d/%d" % (x, y))' "$TMP/g.json")
curl -s -D "$TMP/tile.h" -o "$TMP/tile.png" -H "$V" "${URL%/api/gistar}/tiles/gistar/$tile.png"
check_true "a gistar tile is a PNG that may change with the data" \
	'grep -q "^HTTP/1.1 200" "$TMP/tile.h" && grep -qi "^cache-control: private, max-age=10" "$TMP/tile.h" &&
	 [ "$(head -c 8 "$TMP/tile.png" | od -An -tx1 | tr -d " ")" = 89504e470d0a1a0a ]'
curl -s -o "$TMP/empty.png" -H "$V" "${URL%/api/gistar}/tiles/gistar/$tile.png?from=2020-01-01&to=2020-01-31"
check_true "with no offence in the period the tile is empty (smaller)" \
	'[ "$(stat -c %s "$TMP/empty.png")" -lt "$(stat -c %s "$TMP/tile.png")" ]'

serve_stop "the daemon stops cleanly"
finish
