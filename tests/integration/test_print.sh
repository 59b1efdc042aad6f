# posbon print and GET /print: printed maps checked through poppler: page
# sizes, texts in three languages (the default period: 90 days up to the
# latest offence), the scale bar's printed length, the heatmap raster,
# atlases, layouts that do not overlap, the coverage page and the roster
# against posbon coverage, the hotspot-methods page against posbon backtest
# (its chart vector), bad requests.
. "$(dirname "$0")/common.sh"
PDFCHECK="python3 $POSBON_SOURCE_DIR/tests/integration/pdfcheck.py"
DB="$TMP/p.sqlite"
sample_db "$DB"
DISTRICT=$(sql "$DB" "SELECT code FROM districts LIMIT 1")
NAME=$(sql "$DB" "SELECT name_uz FROM districts LIMIT 1")
MAHALLA=$(sql "$DB" "SELECT code FROM mahallas ORDER BY code LIMIT 1")
MNAME_RU=$(sql "$DB" "SELECT name_ru FROM mahallas ORDER BY code LIMIT 1")
INSPECTOR=$(sql "$DB" "SELECT inspector FROM mahallas ORDER BY code LIMIT 1")
N_MAHALLAS=$(sql "$DB" "SELECT count(*) FROM mahallas WHERE district_code = '$DISTRICT'")
size() { pdfinfo "$1" | sed -n 's/^Page size: *\([0-9.]*\) x \([0-9.]*\) pts.*/\1x\2/p'; }
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
text() { pdftotext -layout "$1" - | tr -s ' '; }

# A4 portrait, Uzbek (the default)
"$POSBON" print "$DB" --district "$DISTRICT" -o "$TMP/a4.pdf" >"$TMP/a4.pdf.out"
check "A4 portrait page" "$(size "$TMP/a4.pdf")" "595.276x841.89"
check "one page" "$(pages "$TMP/a4.pdf")" 1
T=$(text "$TMP/a4.pdf")
for t in "$NAME" "Shartli belgilar" "Huquqbuzarliklar turlari boʻyicha" "Eng qaynoq nuqtalar" \
	"Masshtab 1:" "Davr: 2026-04-02 – 2026-06-30" "Chop etilgan:" "Oʻgʻrilik" "Jami"; do
	check_true "uz page shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "the scale bar is as long as its label says at the printed scale" \
	"$PDFCHECK scalebar $TMP/a4.pdf 1"
check_true "the heatmap is an embedded raster of at least 200 dpi" \
	'pdfimages -list "$TMP/a4.pdf" | awk "NR > 2 && \$3 == \"image\" && \$13 >= 200 { ok = 1 } END { exit !ok }"'
check_true "the page around hotspot 1 is coloured by the heatmap" "$PDFCHECK hotspot $TMP/a4.pdf 1"
"$POSBON" print "$DB" --district "$DISTRICT" --layers mahallas,districts -o "$TMP/plain.pdf" >/dev/null
check_true "without the heatmap layer it is not" "! $PDFCHECK hotspot $TMP/plain.pdf 1"
check_true "panel texts do not overlap" "$PDFCHECK overlaps $TMP/a4.pdf 1"
check_true "the legend's density bar shows no seam nor paper through it at 600 dpi" \
	"$PDFCHECK rampbar $TMP/a4.pdf 1 600"

# Numbers as the page's language writes them, as the viewer's fmtNumber():
# a thin space between thousands in Uzbek and Russian, a comma in English.
check_true "the Uzbek page groups thousands with a space" \
	'text "$TMP/a4.pdf" | grep -qE "Masshtab 1:[0-9]{1,3}( [0-9]{3})+$" &&
	 text "$TMP/a4.pdf" | grep -qE " Jami [0-9]{1,3} [0-9]{3} "'
"$POSBON" print "$DB" --district "$DISTRICT" --lang en --hotspots 20 -o "$TMP/en.pdf" >/dev/null
check_true "the English page with a comma" \
	'text "$TMP/en.pdf" | grep -qE "Scale 1:[0-9]{1,3}(,[0-9]{3})+$" &&
	 text "$TMP/en.pdf" | grep -qE " Total [0-9]{1,3},[0-9]{3} [0-9]{1,3},[0-9]{3} "'

# The ground on paper: the sample's streets drawn as vectors under the
# layers, named along them from 1:5 000 to 1:25 000 with no word of the map
# over another (nor under the scale bar or north arrow), in the page's
# language; the hotspot table names the street each hotspot is on.
sql "$DB" "SELECT DISTINCT name FROM ref_features WHERE kind = 'street' AND name IS NOT NULL" \
	>"$TMP/streets.txt"
sql "$DB" "SELECT DISTINCT name_uz_cyrl FROM ref_features WHERE kind = 'street' AND name_uz_cyrl IS NOT NULL" \
	>"$TMP/streets-cyrl.txt"
for scale in 5000 10000 25000; do
	"$POSBON" print "$DB" --mahalla "$MAHALLA" --scale $scale -o "$TMP/street-$scale.pdf" >/dev/null
	check_true "a mahalla page at 1:$scale names its streets, no two words of the map overlapping" \
		"$PDFCHECK mapnames $TMP/street-$scale.pdf 1 $TMP/streets.txt 3"
	check_true "and its scale bar is read whole" "$PDFCHECK scalebar $TMP/street-$scale.pdf 1"
done
"$POSBON" print "$DB" --mahalla "$MAHALLA" --lang ru -o "$TMP/street-ru.pdf" >/dev/null
check_true "the Russian page names them in Cyrillic" \
	"$PDFCHECK mapnames $TMP/street-ru.pdf 1 $TMP/streets-cyrl.txt 3"
"$POSBON" print "$DB" --mahalla "$MAHALLA" --layers mahallas,districts -o "$TMP/street-none.pdf" >/dev/null
check_true "without the base layer, no street" "! $PDFCHECK mapnames $TMP/street-none.pdf 1 $TMP/streets.txt 1"
check_true "every hotspot of the district page is placed on a street of the ground" "python3 - <<PY
import re, subprocess
text = subprocess.run(['pdftotext', '-layout', '$TMP/a4.pdf', '-'], capture_output=True, text=True).stdout
streets = [s.strip() for s in open('$TMP/streets.txt', encoding='utf-8') if s.strip()]
# '1 Mahalla, Street' in the table, words apart by one space; a cut name ends in an ellipsis.
row = re.compile(r'(?:^|\\s)([1-5]) ((?:\\S| (?! ))+), ((?:\\S| (?! ))+)')
found = [m.group(3).rstrip('…') for m in map(row.search, text.splitlines()) if m]
named = [f for f in found if any(s.startswith(f) for s in streets)]
print(len(found), 'hotspot rows,', len(named), 'naming a street of the ground:', named)
raise SystemExit(0 if len(found) == 5 and len(named) == 5 else 1)
PY"

# The top-hotspots box and the heat on the map come from one raster and one
# threshold (the legend's lowest class): a page whose area shows heat lists
# a place, also when the heat spills over the boundary from a peak outside
# (one day's offences in an atlas: it once said "no hotspots" beside it);
# a period without offences prints "none" and no heat.
"$POSBON" print "$DB" --district "$DISTRICT" --atlas --layers heatmap \
	--from 2026-06-25 --to 2026-06-25 -o "$TMP/heat.pdf" >/dev/null
check_true "every atlas page showing heat in its area lists a hotspot" \
	'(for p in $(seq 1 $((N_MAHALLAS + 1))); do $PDFCHECK heatbox $TMP/heat.pdf $p || exit 1; done)'
for lang in uz en; do
	"$POSBON" print "$DB" --mahalla "$MAHALLA" --layers heatmap --lang $lang \
		--from 2020-01-01 --to 2020-01-31 -o "$TMP/cold.pdf" >/dev/null
	check_true "a period without offences: no heat, and the box says so ($lang)" \
		"$PDFCHECK heatbox $TMP/cold.pdf 1 none"
done

# Gi* hot and cold spots on paper: the cells as vector fills in the layer's
# colours (hot 99% #d62f27, cold 99% #4575b5), and the six bins in the legend
"$POSBON" print "$DB" --district "$DISTRICT" --layers gistar,mahallas,districts --lang en \
	-o "$TMP/gi.pdf" >/dev/null
T=$(text "$TMP/gi.pdf")
for t in "Hot spot, 99% confidence" "Hot spot, 90% confidence" "Cold spot, 95% confidence"; do
	check_true "the Gi* legend shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "hot cells at 99% are drawn (more than the legend's swatch)" \
	"$PDFCHECK filled $TMP/gi.pdf 1 d62f27 2"
check_true "cold cells at 99% too" "$PDFCHECK filled $TMP/gi.pdf 1 4575b5 2"
check_true "without the layer neither cells nor legend" \
	"! $PDFCHECK filled $TMP/a4.pdf 1 d62f27 1 && ! text $TMP/a4.pdf | grep -q 'Qaynoq nuqta, ishonchlilik'"
"$POSBON" print "$DB" --district "$DISTRICT" --layers gistar --lang uz -o "$TMP/gi-uz.pdf" >/dev/null
check_true "in Uzbek" 'text "$TMP/gi-uz.pdf" | grep -qF "Qaynoq nuqta, ishonchlilik 99%"'
# Emerging hot and cold spots on paper: the legend lists the categories the
# map has, and each is filled on the map in the style's colour for it
"$POSBON" print "$DB" --district "$DISTRICT" --layers trends,mahallas --lang en \
	-o "$TMP/tr.pdf" >/dev/null
text "$TMP/tr.pdf" >"$TMP/tr.txt"
check_true "the trends legend names categories, each filled on the map in its colour" "python3 - <<PY
import json, subprocess, sys
colours = json.load(open('$POSBON_SOURCE_DIR/styles/default.json'))['layers']['trends']['colours']
text = open('$TMP/tr.txt').read().lower()
shown = [c for c in colours if c in text]
print('categories in the legend:', shown)
ok = bool(shown) and all(subprocess.run(['python3', '$POSBON_SOURCE_DIR/tests/integration/pdfcheck.py',
    'filled', '$TMP/tr.pdf', '1', colours[c][1:7], '2']).returncode == 0 for c in shown)
sys.exit(0 if ok else 1)
PY"
"$POSBON" print "$DB" --district "$DISTRICT" --layers trends --lang ru -o "$TMP/tr-ru.pdf" >/dev/null
check_true "in Russian" 'text "$TMP/tr-ru.pdf" | grep -qE "(Новая|Устойчивая|Последовательная|Усиливающаяся|Спорадическая|Ослабевающая|Колеблющаяся|Историческая) (горячая|холодная) точка"'
# The change against the previous period: a raster like the heatmap's, its
# diverging ramp in the legend
"$POSBON" print "$DB" --district "$DISTRICT" --layers change,mahallas --lang en -o "$TMP/ch.pdf" >/dev/null
check_true "the change legend is there" 'text "$TMP/ch.pdf" | grep -qF "Change in density per km²"'
check "the change is one embedded raster" "$(pdfimages -list "$TMP/ch.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)" 1
check "where the plain page has none" "$(pdfimages -list "$TMP/plain.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)" 0
"$POSBON" print "$DB" --district "$DISTRICT" --layers change,mahallas --hotspots 0 -o "$TMP/ch0.pdf" >/dev/null
check "without hotspots (so without a heatmap raster to size it) too" \
	"$(pdfimages -list "$TMP/ch0.pdf" | awk 'NR > 2 && $3 == "image"' | wc -l)" 1
# an analysis with nothing to test draws nothing, and its legend is left out
"$POSBON" print "$DB" --district "$DISTRICT" --layers gistar,trends,mahallas --lang en \
	--from 2020-01-01 --to 2020-01-31 -o "$TMP/empty.pdf" >/dev/null
check_true "a period without offences: no Gi* or trends rows in the legend" \
	'! text "$TMP/empty.pdf" | grep -qE "(Hot|Cold) spot"'
check_true "and no cells" "! $PDFCHECK filled $TMP/empty.pdf 1 d62f27 1"
if "$POSBON" print "$DB" --district "$DISTRICT" --layers hotspots,mahallas -o "$TMP/t.pdf" 2>"$TMP/err"; then
	check "a layer not drawn on paper fails" ok fails
else
	check_true "a layer not drawn on paper fails, naming it" "grep -qF \"layers: 'hotspots' is not drawn on paper\" $TMP/err"
fi

# A3 landscape, Russian, a fixed scale
"$POSBON" print "$DB" --district "$DISTRICT" --paper A3 --landscape --lang ru --scale 25000 \
	--from 2026-01-01 --to 2026-03-31 -o "$TMP/a3.pdf" >"$TMP/out"
check "A3 landscape page" "$(size "$TMP/a3.pdf")" "1190.55x841.89"
check_true "the CLI reports the scale asked for" 'grep -q "at 1:25000" "$TMP/out"'
T=$(text "$TMP/a3.pdf")
for t in "Условные обозначения" "Правонарушения по видам" "Масштаб 1:25" "Кража" \
	"Период: 2026-01-01 – 2026-03-31"; do
	check_true "ru page shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "the A3 scale bar is exact too" "$PDFCHECK scalebar $TMP/a3.pdf 1"
check_true "its density bar is seamless at 600 dpi" "$PDFCHECK rampbar $TMP/a3.pdf 1 600"

# a mahalla in English, with its inspector and neighbours
"$POSBON" print "$DB" --mahalla "$MAHALLA" --lang en -o "$TMP/m.pdf" >"$TMP/m.pdf.out"
T=$(text "$TMP/m.pdf")
for t in "Legend" "Offences by category" "Prevention inspector: $INSPECTOR" "Theft"; do
	check_true "en mahalla page shows '$t'" 'echo "$T" | grep -qF "$t"'
done
"$POSBON" print "$DB" --mahalla "$MAHALLA" --lang ru -o "$TMP/m-ru.pdf" >/dev/null
check_true "the Russian page names the mahalla in Cyrillic" \
	'text "$TMP/m-ru.pdf" | grep -qF "$MNAME_RU"'
check_true "a mahalla page's scale bar is exact" "$PDFCHECK scalebar $TMP/m.pdf 1"
# The printed mahalla is outlined in a style of its own (a black line with a
# band inside, not the district boundary's line) that its own legend row,
# naming it, shows.
MNAME_EN=$(sql "$DB" "SELECT coalesce(nullif(name_en, ''), name_uz) FROM mahallas WHERE code = '$MAHALLA'")
MNAME_UZ=$(sql "$DB" "SELECT name_uz FROM mahallas WHERE code = '$MAHALLA'")
check_true "the mahalla's own outline and legend row (en)" "$PDFCHECK selection $TMP/m.pdf 1 '$MNAME_EN'"
check_true "in Russian" "$PDFCHECK selection $TMP/m-ru.pdf 1 '$MNAME_RU'"
check_true "in Uzbek" "$PDFCHECK selection $TMP/street-5000.pdf 1 '$MNAME_UZ'"
check_true "and a district page's for its district" "$PDFCHECK selection $TMP/a4.pdf 1 '$NAME'"

# The hotspots' markers take part in placing the map's names (they once hid
# zone labels, and a mahalla went unnamed): no word of the map over a
# marker, and every mahalla of the district named on its overview, in each
# language, portrait (1:50 000) and landscape (1:75 000), with 20 markers.
for lang in uz ru en; do
	sql "$DB" "SELECT coalesce(nullif(name_$lang, ''), name_uz) FROM mahallas
		WHERE district_code = '$DISTRICT'" >"$TMP/mnames-$lang.txt"
done
check_true "no word over a marker, every mahalla named (uz)" \
	"$PDFCHECK markers $TMP/a4.pdf 1 $TMP/mnames-uz.txt"
"$POSBON" print "$DB" --district "$DISTRICT" --lang ru -o "$TMP/names-ru.pdf" >/dev/null
check_true "in Russian" "$PDFCHECK markers $TMP/names-ru.pdf 1 $TMP/mnames-ru.txt"
"$POSBON" print "$DB" --district "$DISTRICT" --lang ru --landscape -o "$TMP/names-rl.pdf" >/dev/null
check_true "in Russian, landscape" "$PDFCHECK markers $TMP/names-rl.pdf 1 $TMP/mnames-ru.txt"
check_true "in English, with 20 hotspots" "$PDFCHECK markers $TMP/en.pdf 1 $TMP/mnames-en.txt"
# Zones too small for their names (the night-venue zones around hotspot 1,
# the thin road-patrol strips) are named beside them, joined to them by a
# line: on the portrait overview every zone and mahalla is named.
for lang in uz ru en; do
	cat "$TMP/mnames-$lang.txt" >"$TMP/znames-$lang.txt"
	sql "$DB" "SELECT name FROM patrol_zones WHERE district_code = '$DISTRICT'" >>"$TMP/znames-$lang.txt"
done
check_true "every zone named too, none over a word or a marker (uz)" \
	"$PDFCHECK markers $TMP/a4.pdf 1 $TMP/znames-uz.txt"
check_true "in Russian" "$PDFCHECK markers $TMP/names-ru.pdf 1 $TMP/znames-ru.txt"
"$POSBON" print "$DB" --district "$DISTRICT" --lang en -o "$TMP/names-en.pdf" >/dev/null
check_true "in English" "$PDFCHECK markers $TMP/names-en.pdf 1 $TMP/znames-en.txt"
check_true "and no two words of the map overlap" "$PDFCHECK mapnames $TMP/names-en.pdf 1 $TMP/znames-en.txt 20"

# an atlas: the overview and one page per mahalla
"$POSBON" print "$DB" --district "$DISTRICT" --atlas -o "$TMP/atlas.pdf" >"$TMP/atlas.pdf.out"
check "atlas pages" "$(pages "$TMP/atlas.pdf")" "$((N_MAHALLAS + 1))"
check_true "every atlas page has its own exact scale bar" \
	'for p in 1 2 $((N_MAHALLAS + 1)); do $PDFCHECK scalebar $TMP/atlas.pdf $p >/dev/null || exit 1; done'

# PNG for messengers
"$POSBON" print "$DB" --mahalla "$MAHALLA" --format png --dpi 100 -o "$TMP/m.png" >/dev/null
check "PNG page of A4 at 100 dpi" "$(python3 -c "
import struct, sys
d = open('$TMP/m.png', 'rb').read(24)
print('%dx%d' % struct.unpack('>II', d[16:24]) if d[:8] == b'\x89PNG\r\n\x1a\n' else 'not a PNG')")" "827x1170"

# long names and many categories
sqlite3 "$DB" "UPDATE mahallas SET name_uz = 'Juda uzun nomli mahalla fuqarolar yigʻini ' || name_uz || ' va uning atrofidagi koʻchalar' WHERE code = '$MAHALLA'"
sqlite3 "$DB" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
	INSERT INTO categories(code, name_uz, name_ru, name_en) SELECT 'c' || i,
	'Juda uzun nomli huquqbuzarlik turi raqami ' || i, 'Вид ' || i, 'Category ' || i FROM n;
	UPDATE offences SET category = 'c' || (1 + id % 30) WHERE id % 3 = 0;"
"$POSBON" print "$DB" --mahalla "$MAHALLA" -o "$TMP/long.pdf" >/dev/null
check_true "long names and 40 categories do not overlap" "$PDFCHECK overlaps $TMP/long.pdf 1"
check_true "the categories that do not fit are summed up" \
	'text "$TMP/long.pdf" | grep -q "Boshqa turlar ([0-9]*)"'
"$POSBON" print "$DB" --district "$DISTRICT" --landscape -o "$TMP/long-l.pdf" >/dev/null
check_true "nor in landscape" "$PDFCHECK overlaps $TMP/long-l.pdf 1"
# A table's cell wraps to a second line before it is cut, and a cut keeps
# the text's start and end around an ellipsis that the PDF's text holds
# (Pango's cut hid it: the text read whole while every long category, or
# every unit D02-YOUTH-0N, printed alike as "…huquqbuz…", "D02-YO…").
check_true "long names: cut alike nowhere, hidden nowhere, no word ending cut" \
	"$PDFCHECK cuts $TMP/long.pdf 1 && $PDFCHECK cuts $TMP/long-l.pdf 1"
cp "$DB" "$TMP/units.sqlite"
sqlite3 "$TMP/units.sqlite" "UPDATE zone_assignments SET unit = 'D02-' || unit"
for args in "--coverage --lang ru" "--coverage --landscape"; do
	# shellcheck disable=SC2086 # args are several options
	"$POSBON" print "$TMP/units.sqlite" $args --shift 18:00-02:00 --weekdays sat -o "$TMP/cut.pdf" >/dev/null
	check_true "print $args: units like D02-YOUTH-04 wrap, none cut alike or hidden" \
		"$PDFCHECK cuts $TMP/cut.pdf 1"
done
"$POSBON" print "$TMP/units.sqlite" --roster --shift 18:00-02:00 --weekdays sat -o "$TMP/units.csv" >/dev/null
"$POSBON" print "$TMP/units.sqlite" --roster --lang en --shift 18:00-02:00 --weekdays sat \
	-o "$TMP/cut.pdf" >/dev/null
check_true "the roster (en) too" "$PDFCHECK cuts $TMP/cut.pdf 1"
check_true "and it names each unit on duty whole" "python3 - <<PY
import csv, subprocess
units = {r['unit'] for r in csv.DictReader(open('$TMP/units.csv'))}
text = subprocess.run(['pdftotext', '-raw', '$TMP/cut.pdf', '-'], capture_output=True, text=True).stdout
joined = text.replace('-\\n', '-')  # a code wrapped after its hyphen
missing = sorted(u for u in units if u not in joined)
print(len(units), 'units on duty, missing:', missing)
raise SystemExit(1 if missing or not units else 0)
PY"

# the coverage of a shift's hotspots and the roster: Saturday night, when
# the shared sample's night units cover some hotspots (on Fridays none), so
# the roster has hotspots to check
"$POSBON" coverage "$DB" --shift 18:00-02:00 --weekdays sat --format json >"$TMP/cov.json"
GAPS=$(python3 -c "import json; print(json.load(open('$TMP/cov.json'))['gaps'])")
"$POSBON" print "$DB" --coverage --shift 18:00-02:00 --weekdays sat -o "$TMP/cov.pdf" >"$TMP/cov.pdf.out"
check_true "a coverage page and its responsibility table" '[ "$(pages "$TMP/cov.pdf")" -ge 2 ]'
T=$(text "$TMP/cov.pdf")
for t in "Qaynoq nuqtalarning qamrovi" "Smena: Sh 18:00–02:00" "Smena qaynoq nuqtalari" "Boʻlinmalar boʻyicha" \
	"Mahallalar boʻyicha masʼuliyat" "Boʻshliq ($GAPS)"; do
	check_true "coverage shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "the coverage page's scale bar is exact" "$PDFCHECK scalebar $TMP/cov.pdf 1"
GAPC=$(python3 -c "import json; print(json.load(open('$POSBON_SOURCE_DIR/styles/default.json'))['layers']['hotspots']['colours']['gap'][1:7])")
check_true "the gaps in the style's gap colour (#$GAPC), as on the tiles and in the viewer" \
	"[ $GAPS -eq 0 ] || $PDFCHECK filled $TMP/cov.pdf 1 $GAPC 2"
"$POSBON" print "$DB" --coverage --shift 18:00-02:00 --weekdays sat --lang en --landscape \
	-o "$TMP/cov-en.pdf" >/dev/null
check_true "in English, its panel does not overlap" "$PDFCHECK overlaps $TMP/cov-en.pdf 1"
check_true "with the statuses named" 'pdftotext "$TMP/cov-en.pdf" - | grep -q "^Gap ($GAPS)"'
check_true "its units' shares with a decimal point in English" \
	'text "$TMP/cov-en.pdf" | grep -qE "^ ?[A-Z]+-[0-9]+ .* [0-9]+\.[0-9] +[0-9]+\.[0-9] +[0-9]+\.[0-9]{2} "'
check_true "and a decimal comma in Uzbek" \
	'text "$TMP/cov.pdf" | grep -qE " [A-Z]+-[0-9]+ .* [0-9]+,[0-9] +[0-9]+,[0-9] +[0-9]+,[0-9]{2} "'
"$POSBON" print "$DB" --roster --shift 18:00-02:00 --weekdays sat -o "$TMP/roster.csv" >"$TMP/roster.csv.out"
check "the roster CSV's columns" "$(head -1 "$TMP/roster.csv")" \
	"unit,service,zone,zone_name,weekdays,start,end,hotspots,visits_per_hotspot,visit_minutes,target_minutes"
check_true "every roster row's hotspots are the ones coverage says the unit covers, at 4 x 15 min" "python3 -c \"
import csv, json
cov = json.load(open('$TMP/cov.json'))
by_unit = {}
for h in cov['hotspots']:
    for c in h['covered_by']:
        by_unit.setdefault(c['unit'], set()).add(h['rank'])
rows = list(csv.DictReader(open('$TMP/roster.csv')))
assert rows
for r in rows:
    ranks = {int(x) for x in r['hotspots'].replace(' ', '').split(',') if x}
    assert ranks == by_unit.get(r['unit'], set()), (r, by_unit.get(r['unit']))
    assert float(r['target_minutes']) == len(ranks) * 4 * 15, r
assert any(r['hotspots'] for r in rows)
\""
out=$("$POSBON" print "$DB" --roster --shift 18:00-02:00 --weekdays sat --lang ru -o "$TMP/roster.pdf")
echo "$out" >"$TMP/roster.pdf.out"
check_true "a roster says its pages, with no scale it does not have ($out)" \
	'echo "$out" | grep -q "roster.pdf: [0-9]* pages*, [0-9]* bytes$"'
check_true "the roster PDF in Russian" 'text "$TMP/roster.pdf" | grep -qF "Расстановка нарядов"'
check "one roster row per unit on duty" \
	"$(text "$TMP/roster.pdf" | grep -cE '^ ?[A-Z]+-[0-9]+ ')" "$(($(wc -l <"$TMP/roster.csv") - 1))"
if "$POSBON" print "$DB" --roster --mahalla "$MAHALLA" -o "$TMP/x.csv" 2>"$TMP/err"; then
	check "a roster of a mahalla fails" ok fails
else
	check_true "a roster is printed for a district" 'grep -q "roster" "$TMP/err"'
fi

# the hotspot methods of a short rolling backtest, against posbon backtest
BT="--folds 3 --train-weeks 4 --shift 08:00-20:00"
"$POSBON" backtest "$DB" $BT --format json >"$TMP/bt.json"
"$POSBON" print "$DB" --backtest $BT --lang en -o "$TMP/bt.pdf" >"$TMP/bt.pdf.out"
check "a backtest page is one A4 portrait page" "$(pages "$TMP/bt.pdf") $(size "$TMP/bt.pdf")" \
	"1 595.276x841.89"
T=$(text "$TMP/bt.pdf")
for t in "Hotspot methods" "Shift: Mo–Su 08:00–20:00" "Analysis period:" "Folds: 3; weeks: training 4" \
	"KDE hotspots" "Gi* hot cells (95%)" "Previous-period counts" "Current patrol zones" "PAI" "RRI" "PEI"; do
	check_true "the backtest page shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "each method's row holds posbon backtest's mean ± spread and its folds" "echo \"\$T\" | python3 -c \"
import json, sys
d = json.load(open('$TMP/bt.json'))
lines = sys.stdin.read().splitlines()
labels = {'kde': 'KDE hotspots', 'gistar': 'Gi* hot cells (95%)', 'counts': 'Previous-period counts',
          'zones': 'Current patrol zones'}
for m in d['methods']:
    row = [l for l in lines if l.startswith(labels[m['name']] + ' ') and '±' in l]
    assert len(row) == 1, (m['name'], row)
    mean, sd = m['mean'], m['sd']
    for want in ('%.1f ± %.1f' % (100 * mean['hit_rate'], 100 * sd['hit_rate']),
                 '%.1f ± %.1f' % (mean['pai'], sd['pai']), '%.2f ± %.2f' % (mean['pei'], sd['pei'])):
        assert want in row[0], (m['name'], want, row[0])
    assert row[0].rstrip().endswith(' %d' % sum(f['pai'] is not None for f in m['per_fold'])), row[0]
best = max((m for m in d['methods'] if m['mean']['pai'] is not None), key=lambda m: m['mean']['pai'])
assert any(l.startswith(labels[best['name']] + ' captured the most offences per area') for l in lines), best
\""
check_true "the curves are vector lines in the methods' colours, with no raster on the page" \
	"$PDFCHECK vector $TMP/bt.pdf 1 e41a1c 377eb8 4daf4a 984ea3"
check_true "a map page is not (its heatmap is a raster)" "! $PDFCHECK vector $TMP/a4.pdf 1 e41a1c"
check_true "the table does not overlap itself" "$PDFCHECK overlaps $TMP/bt.pdf 1 Mean"
"$POSBON" print "$DB" --backtest $BT --paper A3 --landscape --lang ru -o "$TMP/bt-ru.pdf" >/dev/null
check "an A3 landscape backtest page" "$(size "$TMP/bt-ru.pdf")" "1190.55x841.89"
T=$(text "$TMP/bt-ru.pdf")
for t in "Методы выбора очагов" "Очаги KDE" "Текущие зоны патрулирования" "PAI"; do
	check_true "in Russian it shows '$t'" 'echo "$T" | grep -qF "$t"'
done
check_true "its chart is vector too" "$PDFCHECK vector $TMP/bt-ru.pdf 1 e41a1c 377eb8 4daf4a 984ea3"
check_true "its table does not overlap itself" "$PDFCHECK overlaps $TMP/bt-ru.pdf 1 Среднее"
"$POSBON" print "$DB" --backtest $BT --dpi 100 -o "$TMP/bt.png" >/dev/null
PNGSIZE="
import struct, sys, zlib
d = open(sys.argv[1], 'rb').read()
assert d[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
w, h, depth, kind = struct.unpack('>IIBB', d[16:26])
idat, i = b'', 8
while i < len(d):
    n, t = struct.unpack('>I4s', d[i:i + 8])
    idat += d[i + 8:i + 8 + n] if t == b'IDAT' else b''
    i += 12 + n
channels = {2: 3, 6: 4}[kind]
assert depth == 8 and len(zlib.decompress(idat)) == h * (1 + w * channels)
print('%dx%d' % (w, h))"
check "the backtest PNG decodes at A4 and 100 dpi" "$(python3 -c "$PNGSIZE" "$TMP/bt.png")" "827x1170"
"$POSBON" print "$DB" --district "$DISTRICT" --atlas --backtest $BT -o "$TMP/atlas-bt.pdf" >/dev/null
check "an atlas with the backtest ends with its page" "$(pages "$TMP/atlas-bt.pdf")" "$((N_MAHALLAS + 2))"
check_true "in Uzbek, with its vector chart" \
	'pdftotext -f $((N_MAHALLAS + 2)) "$TMP/atlas-bt.pdf" - | grep -qF "Qaynoq nuqtalarni tanlash usullari" &&
	 $PDFCHECK vector $TMP/atlas-bt.pdf $((N_MAHALLAS + 2)) e41a1c >/dev/null'
if "$POSBON" print "$DB" --backtest --folds 0 -o "$TMP/x.pdf" 2>"$TMP/err"; then
	check "a backtest of no folds fails" ok fails
else
	check_true "a backtest of no folds names the field" 'grep -q "folds" "$TMP/err"'
fi
if "$POSBON" print "$DB" --backtest --from 2026-01-01 -o "$TMP/x.pdf" 2>"$TMP/err"; then
	check "a backtest page with --from fails" ok fails
else
	check_true "a backtest page takes --end, not --from" 'grep -q "end, not --from" "$TMP/err"'
fi

# A scale is written only where there is one, and then a real one (the
# roster once said "1 page at 1:0"): the CLI's line names the first map's
# scale, which its page's label shows; pages without a map, none; every
# label on every page a positive scale.
scale_lines() { # output of posbon print, the file
	python3 - "$1" "$2" <<'PY'
import re, subprocess, sys
line, path = sys.argv[1], sys.argv[2]
said = re.fullmatch(r".*: (?:\d+ pages?(?: at 1:(\d+))?, )?\d+ bytes", line)
if not said:
    sys.exit(f"not a print line: {line}")
labels = []
if path.endswith(".pdf"):
    text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout
    labels = [int(re.sub(r"[ ,]", "", m)) for m in re.findall(r"(?:Masshtab|Масштаб|Scale) 1:([\d ,]*\d)", text)]
print(line, "| labels:", labels)
if said.group(1):
    ok = int(said.group(1)) > 0 and labels and labels[0] == int(said.group(1))
else:
    ok = not labels
sys.exit(0 if ok and all(n > 0 for n in labels) else 1)
PY
}
"$POSBON" print "$DB" --compare --lang en -o "$TMP/compare.pdf" >"$TMP/compare.pdf.out"
# the documents printed above: a district, a mahalla (en), an atlas, the
# coverage page, the roster (CSV, and PDF in ru), the hotspot methods', the
# comparison's
for doc in a4.pdf m.pdf atlas.pdf cov.pdf roster.csv roster.pdf bt.pdf compare.pdf; do
	check_true "print -o $doc: a real scale or none" "scale_lines '$(cat "$TMP/$doc.out")' $TMP/$doc"
done

# bad requests
if "$POSBON" print "$DB" --mahalla NOPE -o "$TMP/x.pdf" 2>"$TMP/err"; then
	check "an unknown mahalla fails" ok fails
else
	check_true "an unknown mahalla is named" 'grep -q "mahalla .NOPE. does not exist" "$TMP/err"'
fi
check_true "nothing is written for it" '[ ! -e "$TMP/x.pdf" ]'
if "$POSBON" print "$DB" --mahalla "$MAHALLA" --atlas -o "$TMP/x.pdf" 2>"$TMP/err"; then
	check "an atlas of a mahalla fails" ok fails
else
	check_true "an atlas of a mahalla is refused" 'grep -q "atlas" "$TMP/err"'
fi

# over HTTP
VIEWER=$("$POSBON" token add "$DB" --role viewer --name meeting)
serve_start "$DB" --threads 2 --cache-dir "$TMP/tiles"
V="Authorization: Bearer $VIEWER"
code() { curl -s -o "$TMP/body" -w "%{http_code}" "$@"; }
check "prints need credentials" "$(code "$URL/print/district/$DISTRICT.pdf")" 401
check "a district page" "$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?paper=a3&lang=ru")" 200
check "it is an A3 PDF" "$(size "$TMP/body")" "841.89x1190.55"
check_true "in Russian" 'pdftotext "$TMP/body" - | grep -qF "Условные обозначения"'
check "a mahalla PNG" "$(curl -s -o "$TMP/body" -w "%{content_type}" -H "$V" "$URL/print/mahalla/$MAHALLA.png?dpi=72")" image/png
# Downloaded under the place and period, not the code (the viewer's PDF was
# saved as M23.pdf): an attachment named in UTF-8 for browsers (RFC 6266,
# RFC 5987), in plain ASCII for the rest: the name when it is ASCII, else
# the code; nothing transliterated.
disposition() { # url -> "attachment|filename|filename*" of the reply (its body in $TMP/body)
	curl -s -o "$TMP/body" -D "$TMP/headers" -H "$V" "$1"
	python3 -c "
import re, sys, urllib.parse
h = [l for l in open(sys.argv[1], encoding='utf-8') if l.lower().startswith('content-disposition:')]
v = h[0].split(':', 1)[1].strip() if h else ''
plain = re.search(r'filename=\"([^\"]*)\"', v)
utf8 = re.search(r\"filename\\*=UTF-8''([^\\s;]+)\", v)
print(v.split(';')[0], plain.group(1) if plain else 'none',
      urllib.parse.unquote(utf8.group(1)) if utf8 else 'none', sep='|')" "$TMP/headers"
}
ascii_or() { # name code -> the name when it is printable ASCII, else the code
	if printf '%s' "$1" | LC_ALL=C grep -q '^[ -~]*$'; then echo "$1"; else echo "$2"; fi
}
MNAME_UZ=$(sql "$DB" "SELECT name_uz FROM mahallas WHERE code = '$MAHALLA'") # now long
check "a mahalla's PDF downloads under its name and period" \
	"$(disposition "$URL/print/mahalla/$MAHALLA.pdf?from=2026-05-01&to=2026-05-31")" \
	"attachment|$(ascii_or "$MNAME_UZ" "$MAHALLA")-2026-05-01_2026-05-31.pdf|${MNAME_UZ}-2026-05-01_2026-05-31.pdf"
check "in Cyrillic on a Russian page, the code for clients without UTF-8 names" \
	"$(disposition "$URL/print/mahalla/$MAHALLA.pdf?from=2026-05-01&to=2026-05-31&lang=ru")" \
	"attachment|$MAHALLA-2026-05-01_2026-05-31.pdf|${MNAME_RU}-2026-05-01_2026-05-31.pdf"
OTHER=$(sql "$DB" "SELECT code FROM mahallas WHERE name_uz GLOB '*ʻ*' ORDER BY code LIMIT 1")
ONAME=$(sql "$DB" "SELECT name_uz FROM mahallas WHERE code = '$OTHER'")
check "an Uzbek name with ʻ is kept, not transliterated ($ONAME)" \
	"$(disposition "$URL/print/mahalla/$OTHER.png?from=2026-05-01&to=2026-05-31&dpi=72")" \
	"attachment|$OTHER-2026-05-01_2026-05-31.png|${ONAME}-2026-05-01_2026-05-31.png"
check "a roster's CSV is named after its district" \
	"$(disposition "$URL/print/roster.csv?shift=18:00-02:00&weekdays=sat&from=2026-05-01&to=2026-05-31" | cut -d'|' -f1,3)" \
	"attachment|$NAME-2026-05-01_2026-05-31.csv"
DNAME_EN=$(sql "$DB" "SELECT coalesce(nullif(name_en, ''), name_uz) FROM districts WHERE code = '$DISTRICT'")
check "an atlas, named so" \
	"$(disposition "$URL/print/district/$DISTRICT.pdf?atlas=1&from=2026-05-01&to=2026-05-31&lang=en")" \
	"attachment|$(ascii_or "$DNAME_EN" "$DISTRICT")-atlas-2026-05-01_2026-05-31.pdf|$DNAME_EN-atlas-2026-05-01_2026-05-31.pdf"
check "atlas pages over HTTP" "$(pages "$TMP/body")" "$((N_MAHALLAS + 1))"
check "an unknown mahalla is 404" "$(code -H "$V" "$URL/print/mahalla/NOPE.pdf")" 404
check "naming the code" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" code
check "a bad paper is 400" "$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?paper=A0")" 400
check "naming the field" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" paper
check "a bad scale is 400" "$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?scale=7")" 400
check "an unknown format is 404" "$(code -H "$V" "$URL/print/district/$DISTRICT.svg")" 404
check "a coverage page over HTTP" "$(code -H "$V" "$URL/print/coverage.pdf?shift=18:00-02:00&weekdays=sat&lang=en")" 200
check_true "is a PDF with its tables" 'pdftotext "$TMP/body" - | grep -q "Responsibility per mahalla"'
check "the roster as CSV over HTTP" "$(curl -s -o "$TMP/body" -w "%{content_type}" -H "$V" "$URL/print/roster.csv?shift=18:00-02:00&weekdays=sat")" "text/csv; charset=utf-8"
check "the same roster as the CLI's" "$(cmp -s "$TMP/body" "$TMP/roster.csv" && echo same)" same
check "a bad shift is 400" "$(code -H "$V" "$URL/print/coverage.pdf?shift=25:00-03:00")" 400
check "naming the shift" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" shift
check "a roster is no PNG" "$(code -H "$V" "$URL/print/roster.png?shift=18:00-02:00")" 400
check "an unknown district is 400, as in every filter" \
	"$(code -H "$V" "$URL/print/coverage.pdf?district=NOPE")" 400
check "naming the district" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" district
check "a backtest page over HTTP" \
	"$(code -H "$V" "$URL/print/backtest.pdf?folds=3&train_weeks=4&shift=08:00-20:00&lang=en&paper=a3")" 200
check "is one A3 portrait page" "$(pages "$TMP/body") $(size "$TMP/body")" "1 841.89x1190.55"
check_true "with the CLI's figures" \
	'pdftotext -layout "$TMP/body" - | tr -s " " | grep "^KDE hotspots " | grep -qF "$(python3 -c "
import json
m = json.load(open(\"$TMP/bt.json\"))[\"methods\"][0]
print(\"%.1f ± %.1f\" % (m[\"mean\"][\"pai\"], m[\"sd\"][\"pai\"]))")"'
check "a backtest PNG over HTTP" "$(code -H "$V" "$URL/print/backtest.png?folds=3&train_weeks=4&dpi=72")" 200
check "decodes at A4 and 72 dpi" "$(python3 -c "$PNGSIZE" "$TMP/body")" "596x842"
check "an atlas with the backtest over HTTP" \
	"$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?atlas=1&backtest=1&folds=3&train_weeks=4")" 200
check "has the page at its end" "$(pages "$TMP/body")" "$((N_MAHALLAS + 2))"
check "a backtest of no folds is 400" "$(code -H "$V" "$URL/print/backtest.pdf?folds=0")" 400
check "naming folds" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" folds
check "weeks that are no number are 400" "$(code -H "$V" "$URL/print/backtest.pdf?train_weeks=x")" 400
check "naming train_weeks" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" train_weeks
check "a backtest page's period is 400" "$(code -H "$V" "$URL/print/backtest.pdf?from=2026-01-01")" 400
check "naming from" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" from
check "a Gi* page over HTTP" "$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?layers=gistar,mahallas&lang=en")" 200
check_true "with its cells" "$PDFCHECK filled $TMP/body 1 d62f27 2"
check "a layer not drawn on paper is 400" "$(code -H "$V" "$URL/print/district/$DISTRICT.pdf?layers=dosage")" 400
check "naming layers" "$(python3 -c "import json; print(json.load(open('$TMP/body'))['field'])")" layers
check "the daemon is still up" "$(code "$URL/healthz")" 200
finish
