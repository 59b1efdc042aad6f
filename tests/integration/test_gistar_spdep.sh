# posbon gistar against R's spdep on the NYC shootings: the z-scores of
# spdep::localG (dnearneigh on the cell centres, include.self, style "B")
# and its p-values on exactly the cells posbon analysed, within the
# boroughs and on the whole rectangle, and Moran's I z-scores of every
# incremental band against spdep::moran.test. Skips without the data or R.
. "$(dirname "$0")/common.sh"
need_data
DB="$TMP/nyc.sqlite"
"$POSBON" import "$DB" --layer offences --tz America/New_York --quiet "$DATA/nyc/shootings.csv" >/dev/null
"$POSBON" import "$DB" --layer districts --quiet --field code=BoroCode --field name_en=BoroName \
	"$DATA/nyc/boroughs.geojson" >/dev/null

set +e
err=$("$POSBON" gistar "$DB" --cell 1 2>&1)
rc=$?
set -e
check "a grid of a billion 1 m cells exits 2" "$rc" 2
check "and says so, naming the cell" \
	"$(echo "$err" | sed -n 's/.*cell: a grid of \([0-9]*\) x \([0-9]*\) cells of 1 m is too large.*/\1 \2/p' |
		awk '{print ($1 * $2 > 1e9) ? "over a billion" : $1 * $2}')" "over a billion"

if ! command -v Rscript >/dev/null || ! Rscript -e 'suppressMessages(library(spdep))' 2>/dev/null; then
	echo "SKIP: R with spdep is absent (apt-get install r-cran-spdep)"
	exit 77
fi
R_REF="$POSBON_SOURCE_DIR/tests/integration/gistar_spdep.R"

# Prints "ok" when R's figures (stdin) agree with posbon's to 1e-6.
AGREE='
import sys
bad = []
for line in sys.stdin:
    w = line.split()
    print(line.strip(), file=sys.stderr)
    if w[0] == "localG" and not (int(w[1]) > 500 and float(w[2]) < 1e-6 and float(w[3]) < 1e-6):
        bad.append(line)
    if w[0] == "moran" and abs(float(w[2]) - float(w[3])) > 1e-6 * max(1, abs(float(w[2]))):
        bad.append(line)
print("ok" if not bad else "disagree: %s" % bad)
'
"$POSBON" gistar "$DB" --format json -o "$TMP/g.json"
"$POSBON" gistar "$DB" --format csv -o "$TMP/g.csv"
band=$(python3 -c 'import json,sys; print(repr(json.load(open(sys.argv[1]))["band_m"]))' "$TMP/g.json")
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for s in d["steps"]:
    print("%.17g %.17g" % (s["band_m"], s["z"]))' "$TMP/g.json" >"$TMP/steps.txt"
check "10 incremental bands" "$(wc -l <"$TMP/steps.txt")" 10
check "the boroughs' cells: Gi*, p and Moran's I as spdep's" \
	"$(Rscript "$R_REF" "$TMP/g.csv" "$band" "$TMP/steps.txt" | python3 -c "$AGREE")" ok

"$POSBON" gistar "$DB" --whole-grid --cell 500 --band 1500 --format csv -o "$TMP/w.csv"
check "the whole rectangle at 500 m, band 1500 m: as spdep's" \
	"$(Rscript "$R_REF" "$TMP/w.csv" 1500 | python3 -c "$AGREE")" ok
finish
