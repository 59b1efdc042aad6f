# posbon trends and GET /api/trends on a generated sample district: the
# table and the GeoJSON telling the same story, every feature's category
# following the written rules from its weekly z-scores, the period from
# --weeks or --from, bad periods named, the CLI and the daemon agreeing, and
# the trends tile layer and its legend over HTTP.
. "$(dirname "$0")/common.sh"
DB="$TMP/t.sqlite"
sample_db "$DB"

table=$("$POSBON" trends "$DB")
echo "$table" | head -20
check_true "the table gives the grid, the 12 weeks and the categories" \
	'echo "$table" | grep -q "^grid: .* cells of 100 m in EPSG:32642" &&
	 echo "$table" | grep -q "12 weeks" && echo "$table" | grep -q "no pattern"'

"$POSBON" trends "$DB" --format json -o "$TMP/t.json"
# Checks a trends FeatureCollection (argv 1) against the rules of
# docs/analysis.md, "Trends", recomputed from each cell's weekly z-scores.
CHECK='
import json, math, sys
fc = json.load(open(sys.argv[1]))
n, alpha = fc["weeks"], fc["alpha"]
assert sum(fc["categories"].values()) == fc["cells"], "every cell once"
f = fc["features"]
assert len(f) == fc["cells"] - fc["categories"]["no pattern"] > 0, "one feature per category"
def sign(v): return (v > 0) - (v < 0)
for x in f:
    p = x["properties"]
    z = p["z"]
    assert len(z) == n
    s = sum(sign(z[j] - z[i]) for i in range(n) for j in range(i + 1, n))
    assert s == p["mk_s"], "S of %s" % p
    # A week is hot or cold when |z| passes the two-sided alpha.
    crit = lambda v: math.erfc(abs(v) / math.sqrt(2)) <= alpha
    st = [sign(v) if crit(v) else 0 for v in z]
    assert p["weeks_hot"] == st.count(1) and p["weeks_cold"] == st.count(-1)
    last = st[-1]
    if last == 0:
        want = "historical"
        kind = "hot" if 10 * st.count(1) >= 9 * n else "cold"
    else:
        kind = "hot" if last > 0 else "cold"
        same, other = st.count(last), st.count(-last)
        run = 0
        for v in st:
            run = run + 1 if v == last else 0
        if 10 * same >= 9 * n:
            want = "persistent" if p["mk_p"] > alpha else \
                "intensifying" if last * s > 0 else "diminishing"
        elif other:
            want = "oscillating"
        elif same == 1:
            want = "new"
        else:
            want = "consecutive" if run == same else "sporadic"
    assert p["category"] == "%s %s spot" % (want, kind), "%s: %s" % (p["category"], st)
    assert x["geometry"]["type"] == "Polygon"
cats = [x["properties"]["category"] for x in f]
assert cats.index(next(c for c in cats if "hot" in c)) == 0 or "hot" not in " ".join(cats)
print("ok", fc["weeks"], fc["cell_m"])
'
check "every category follows the rules from its weekly z-scores" \
	"$(python3 -c "$CHECK" "$TMP/t.json")" "ok 12 100.0"

"$POSBON" trends "$DB" --weeks 8 --to 2026-05-31 --cell 200 --categories theft --format json \
	-o "$TMP/w.json"
"$POSBON" trends "$DB" --from 2026-04-05 --to 2026-05-31 --cell 200 --categories theft \
	--format json -o "$TMP/f.json"
check "--weeks and --from give the same 8 weeks ending at --to" \
	"$(python3 -c '
import json, sys
w, f = (json.load(open(a)) for a in sys.argv[1:3])
print(w["weeks"], f["weeks"], w["to"] == f["to"], w["from"] == f["from"], w == f)' "$TMP/w.json" "$TMP/f.json")" \
	"8 8 True True True"
check "every category still follows the rules" "$(python3 -c "$CHECK" "$TMP/w.json")" "ok 8 200.0"

# posbon render draws the layer with the same arguments (over the sample
# district, 8 x 6 km around 41.30 N 69.25 E).
bbox=69.20,41.27,69.30,41.33
"$POSBON" render "$DB" --layer trends --bbox "$bbox" --size 400x300 -o "$TMP/r12.png" >/dev/null
"$POSBON" render "$DB" --layer trends --bbox "$bbox" --size 400x300 --weeks 8 --to 2026-05-31 \
	--cell 200 -o "$TMP/r8.png" >/dev/null
check "posbon render --weeks --cell draws another trends picture" \
	"$(cmp -s "$TMP/r12.png" "$TMP/r8.png" && echo same || echo different)" different
set +e
msg=$("$POSBON" render "$DB" --layer trends --bbox "$bbox" --weeks 8 --from 2026-01-01 \
	-o "$TMP/x.png" 2>&1)
check "posbon render --weeks with --from exits 2" "$?" 2
set -e
check_true "and names --weeks" 'printf "%s" "$msg" | grep -q -- "--weeks"'

bad() { # expected exit 2 and message for the options given
	want=$1
	shift
	set +e
	err=$("$POSBON" trends "$DB" "$@" 2>&1)
	rc=$?
	set -e
	check_true "trends $* exits 2: $want" '[ "$rc" -eq 2 ] && echo "$err" | grep -q "$want"'
}
bad "weeks: .* from 4 to 104" --weeks 2
bad "weeks: give the number of weeks or the period's start" --weeks 8 --from 2026-01-01
bad "from: the period holds 1 whole weeks" --from 2026-06-20 --to 2026-06-30
bad "to: .2026-06-01. is before from" --from 2026-06-20 --to 2026-06-01
bad "filter: no offence" --to 2020-01-31
bad "format: 'xml' is not" --format xml

VIEWER=$("$POSBON" token add "$DB" --role viewer --name analyst)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
URL="$URL/api/trends"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o /dev/null -w "%{http_code}" "$@"; }
field() { curl -s -H "$V" "$URL?$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["field"])'; }
check "trends need credentials" "$(code "$URL")" 401
check "2 weeks are 400 naming weeks" "$(field "weeks=2")" weeks
check "half a week is 400 naming weeks" "$(field "weeks=4.5")" weeks
check "weeks and from together are 400 naming weeks" "$(field "weeks=8&from=2026-01-01")" weeks
check "a period of one week is 400 naming from" "$(field "from=2026-06-20&to=2026-06-30")" from
check "a period ending before it starts is 400 naming to" \
	"$(field "from=2026-06-20&to=2026-06-01")" to
check "a bad date is 400 naming it" "$(field "to=2026-13-45")" to
check "alpha=2 is 400 naming it" "$(field "alpha=2")" alpha
check "an empty period is 400 naming the filter" "$(field "to=2020-01-31")" filter
curl -s -H "$V" "$URL" >"$TMP/http.json"
curl -s -H "$V" "$URL?weeks=8&to=2026-05-31&cell=200&categories=theft" >"$TMP/http-w.json"
check "the daemon and the command line find the same categories" \
	"$(python3 -c '
import json, sys
a, b, c, d = (json.load(open(p)) for p in sys.argv[1:])
print(a == b, c == d)' "$TMP/t.json" "$TMP/http.json" "$TMP/w.json" "$TMP/http-w.json")" \
	"True True"

# The trends tile layer over the strongest categorised cell: a PNG that
# decodes with that category's colour from the legend; the legend names
# every category /api/trends counts but no pattern.
BASE="${URL%/api/trends}"
curl -s -H "$V" "$BASE/api/legend?layer=trends" >"$TMP/legend.json"
check "the viewer's meta lists the trends layer" "$(curl -s -H "$V" "$BASE/api/meta" |
	python3 -c 'import json,sys; print("trends" in json.load(sys.stdin)["layers"])')" True
check "the trends legend: 16 categories, hot first, each with a colour" \
	"$(python3 -c '
import json, re, sys
lg, fc = (json.load(open(p)) for p in sys.argv[1:3])
c = lg["categories"]
names = [x["category"] for x in c]
ok = lg["layer"] == "trends" and 0 < lg["opacity"] <= 1 and len(c) == 16
ok &= all(re.fullmatch("#[0-9a-f]{6}([0-9a-f]{2})?", x["colour"]) for x in c)
ok &= [x["hot"] for x in c] == [True] * 8 + [False] * 8
ok &= [x["pattern"] for x in c] == list(range(1, 9)) * 2
ok &= sorted(names + ["no pattern"]) == sorted(fc["categories"])
print(ok, names[0], names[8])' "$TMP/legend.json" "$TMP/http.json")" \
	"True new hot spot new cold spot"
tile=$(python3 -c '
import json, math, sys
ring = json.load(open(sys.argv[1]))["features"][0]["geometry"]["coordinates"][0][:4]
lon, lat = (sum(p[k] for p in ring) / 4 for k in (0, 1))
n = 2 ** 15
x = int((lon + 180) / 360 * n)
y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
print("15/%d/%d" % (x, y))' "$TMP/http.json")
curl -s -D "$TMP/tile.h" -o "$TMP/tile.png" -H "$V" "$BASE/tiles/trends/$tile.png"
check_true "a trends tile is a PNG that may change with the data" \
	'grep -q "^HTTP/1.1 200" "$TMP/tile.h" && grep -qi "^cache-control: private, max-age=10" "$TMP/tile.h"'
check "the tile decodes, painted in the strongest cell's category colour" \
	"$(PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c '
import json, sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
lg, fc = (json.load(open(p)) for p in sys.argv[2:4])
cat = fc["features"][0]["properties"]["category"]
hexc = next(x["colour"] for x in lg["categories"] if x["category"] == cat)
want = bytes.fromhex(hexc[1:7])
painted = seen = 0
for line in rows:
    for i in range(0, w * bpp, bpp):
        if line[i + 3]:
            painted += 1
            seen += all(abs(line[i + k] - want[k]) <= 2 for k in range(3)) and \
                abs(line[i + 3] - round(255 * lg["opacity"])) <= 2
print(w, h, painted > 0, seen > 0)' "$TMP/tile.png" "$TMP/legend.json" "$TMP/http.json")" \
	"256 256 True True"
curl -s -o "$TMP/empty.png" -H "$V" "$BASE/tiles/trends/$tile.png?to=2020-01-31"
check "with no offence in the period the tile is clear" \
	"$(PYTHONPATH="$POSBON_SOURCE_DIR/tests/integration" python3 -c '
import sys
from pngread import read
w, h, bpp, rows = read(sys.argv[1])
print(sum(line[i + 3] > 0 for line in rows for i in range(0, w * bpp, bpp)))' "$TMP/empty.png")" 0
curl -s -o "$TMP/weeks6.png" -H "$V" "$BASE/tiles/trends/$tile.png?weeks=6"
check_true "other weeks, another tile" '! cmp -s "$TMP/tile.png" "$TMP/weeks6.png"'
tfield() { curl -s -H "$V" "$BASE/tiles/trends/$tile.png?$1" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["field"])'; }
check "a tile of 2 weeks is 400 naming weeks" "$(tfield "weeks=2")" weeks
check "a tile of half a week is 400 naming weeks" "$(tfield "weeks=4.5")" weeks
check "a tile of weeks and from is 400 naming weeks" "$(tfield "weeks=8&from=2026-01-01")" weeks
check "a tile with a bad band is 400 naming band" "$(tfield "band=0")" band
check "a tile with a 2 km cell is drawn" "$(code -H "$V" "$BASE/tiles/trends/$tile.png?cell=2000")" 200

serve_stop "the daemon stops cleanly"
finish
