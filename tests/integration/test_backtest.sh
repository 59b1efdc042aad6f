# posbon backtest and GET /api/backtest on a generated sample district: the
# table and the JSON telling the same story, the four methods scored on
# every fold, the PNG chart decoding with each method's colour, the SVG
# parsing, bad parameters named, and the daemon agreeing with the CLI.
. "$(dirname "$0")/common.sh"
DB="$TMP/b.sqlite"
sample_db "$DB"

table=$("$POSBON" backtest "$DB" --folds 6 --chart "$TMP/c.png")
echo "$table"
check_true "the table names the folds, the grid and the four methods" \
	'echo "$table" | grep -q "^6 folds (train 8 weeks, test 1, step 1)" &&
	 [ "$(echo "$table" | grep -cE "^(kde|gistar|counts|zones) ")" -eq 4 ]'

# One fold has a mean and no deviation: the deviation is null, not a failure.
"$POSBON" backtest "$DB" --folds 1 --format json >"$TMP/one.json"
check "one fold: the mean is its figures, the deviation null" "$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = d["methods"][0]
print(len(d["folds"]), m["mean"]["hit_rate"] == m["per_fold"][0]["hit_rate"],
      set(m["sd"].values()))' "$TMP/one.json")" "1 True {None}"

"$POSBON" backtest "$DB" --folds 6 --format json --chart "$TMP/c.svg" --lang uz >"$TMP/b.json"
CHECK='
import json, math, sys
d = json.load(open(sys.argv[1]))
assert len(d["folds"]) == 6 and [m["name"] for m in d["methods"]] == ["kde", "gistar", "counts", "zones"]
A = d["grid"]["cells"]
for m in d["methods"]:
    assert len(m["per_fold"]) == 6
    for f, fold in zip(m["per_fold"], d["folds"]):
        n, a, N = f["offences"], f["cells"], fold["test_offences"]
        assert abs(f["hit_rate"] - n / N) < 1e-12, m["name"]
        if a:
            assert abs(f["pai"] - (n / N) / (a / A)) < 1e-9, m["name"]
            assert 0 <= f["pei"] <= 1 + 1e-12
    hr = [f["hit_rate"] for f in m["per_fold"]]
    mean = sum(hr) / 6
    sd = math.sqrt(sum((x - mean) ** 2 for x in hr) / 5)
    assert abs(m["mean"]["hit_rate"] - mean) < 1e-12 and abs(m["sd"]["hit_rate"] - sd) < 1e-12
    # counts and KDE hotspots take about 3% of the area
    if m["name"] in ("kde", "counts"):
        assert 0.01 < m["mean"]["cells"] / A < 0.05, m
    c = d["curve"][m["name"]]
    assert c[0] == [0, 0] and c[-1] == [1, 1] and len(c) <= 201
    assert all(p[0] <= q[0] and p[1] <= q[1] for p, q in zip(c, c[1:]))
# folds a week apart, each training 8 weeks before its test week
for f, g in zip(d["folds"], d["folds"][1:]):
    assert f["test_to"] == g["test_from"]
print("ok")
'
check "JSON: hit rate, PAI, PEI bounds, mean and sd, curves per method" \
	"$(python3 -c "$CHECK" "$TMP/b.json")" ok

# The chart: a PNG whose pixels carry each method's colour (chart.h), and an
# SVG that parses.
PNG='
import sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
stride = w * bpp
count = {}
for line in rows:
    for i in range(0, stride, bpp):
        k = bytes(line[i:i + 3])
        count[k] = count.get(k, 0) + 1
colours = [b"\xe4\x1a\x1c", b"\x37\x7e\xb8", b"\x4d\xaf\x4a", b"\x98\x4e\xa3"]
print(w, h, all(count.get(c, 0) > 300 for c in colours))
'
check "the PNG chart decodes and draws each method's colour" \
	"$(PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c "$PNG" "$TMP/c.png")" "900 640 True"
check "the SVG chart parses, with its Uzbek labels as glyphs" \
	"$(python3 -c '
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
print(r.tag.endswith("svg"), r.get("width"))' "$TMP/c.svg")" "True 900pt"

bad() { # expected exit 2 and message for the options given
	want=$1
	shift
	set +e
	err=$("$POSBON" backtest "$DB" "$@" 2>&1)
	rc=$?
	set -e
	check_true "backtest $* exits 2: $want" '[ "$rc" -eq 2 ] && echo "$err" | grep -q "$want"'
}
bad "train-weeks: '-2' is not a whole number from 1 to 104" --train-weeks -2
bad "folds: 60 folds of 8 + 1 weeks .* before the first offence" --folds 60
bad "folds: '600' is not a whole number from 1 to 520" --folds 600
bad "end: 'someday' is not a day" --end someday
bad "chart: 'c.gif' does not end in .png or .svg" --folds 2 --chart c.gif

VIEWER=$("$POSBON" token add "$DB" --role viewer --name analyst)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
API="$URL/api/backtest"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { curl -s -H "$V" "$API?$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["field"])'; }
check "backtests need credentials" "$(code "$API")" 401
check "negative weeks are 400 naming them" "$(field "test_weeks=-1")" test_weeks
check "too many folds are 400 naming them" "$(field "folds=60")" folds
check "an empty period is 400 naming it" "$(field "folds=2&end=2027-03-01")" period
check "a bad shift is 400 naming it" "$(field "shift=25-03")" shift
check "an unknown language is 400 naming it" \
	"$(curl -s -H "$V" "$API/chart.png?lang=fr" | python3 -c 'import json,sys; print(json.load(sys.stdin)["field"])')" lang
curl -s -H "$V" "$API?folds=6" >"$TMP/http.json"
check "the daemon and the command line agree" \
	"$(python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print(a["methods"] == b["methods"] and a["curve"] == b["curve"])' "$TMP/b.json" "$TMP/http.json")" True
curl -s -D "$TMP/png.h" -o "$TMP/h.png" -H "$V" "$API/chart.png?folds=6"
check_true "chart.png is image/png" 'grep -qi "^content-type: image/png" "$TMP/png.h"'
check "the served PNG decodes with each method's colour" "$(PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c "$PNG" "$TMP/h.png")" "900 640 True"
curl -s -D "$TMP/svg.h" -o "$TMP/h.svg" -H "$V" "$API/chart.svg?folds=6&lang=ru"
check "chart.svg is an SVG" \
	"$(grep -ci "^content-type: image/svg+xml" "$TMP/svg.h")$(python3 -c '
import sys, xml.etree.ElementTree as ET
print(ET.parse(sys.argv[1]).getroot().tag.endswith("svg"))' "$TMP/h.svg")" 1True

serve_stop "the daemon stops cleanly"
finish
