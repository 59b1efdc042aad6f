# The mahalla meeting's pack (posbon print --mahalla CODE --pack, GET
# /print/mahalla/CODE.pdf?pack=1): the sample with tasks, activities,
# officials, at-risk counts and a recorded standing, printed by the command
# line and over loopback in uz, ru and en: the pages, no words overlapping
# nor cut, the activities since the last meeting by service, the open tasks
# (overdue first), the standing and its history, the officials, a small
# at-risk count withheld and a larger one printed; refusals naming the field.
. "$(dirname "$0")/common.sh"
PDFCHECK="python3 $POSBON_SOURCE_DIR/tests/integration/pdfcheck.py"
DB="$TMP/p.sqlite"
sample_db "$DB"
M=$(sql "$DB" "SELECT code FROM mahallas ORDER BY code LIMIT 1")
OTHER=$(sql "$DB" "SELECT code FROM mahallas ORDER BY code LIMIT 1 OFFSET 1")
PLAN=$("$POSBON" token add "$DB" --role planner --name planner --service prevention)
INSP=$("$POSBON" token add "$DB" --role officer --name inspector --service prevention/INSP-1)
YOUTH=$("$POSBON" token add "$DB" --role officer --name youth --service youth)
CID=$("$POSBON" token add "$DB" --role officer --name cid --service jqb/CID-1)
WALL=$("$POSBON" token add "$DB" --role viewer --name wall)
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }
# the text of a PDF's pages after the map, words apart by one space
text() { pdftotext -f 2 "$1" - | tr -s ' \n' '  '; }

serve_start "$DB" --threads 2 --cache-dir none
J="Content-Type: application/json"
call() { # token method path [curl args] -> status; the body in $TMP/body, headers in $TMP/head
	c_t=$1 c_m=$2 c_p=$3
	shift 3
	curl -s -o "$TMP/body" -D "$TMP/head" -w "%{http_code}" -H "Authorization: Bearer $c_t" \
		-H "$J" -X "$c_m" "$@" "$URL$c_p"
}
jget() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }

# The sample's period is 2026-04-02 – 2026-06-30: a task overdue since
# June, one due later, one done (not printed) and one of another mahalla.
check "tasks sent" "$(call "$CID" POST /api/tasks --data-binary '{"id":"night-burglaries","text":"Hold a residents meeting on locks and lighting","place":{"kind":"mahalla","code":"'"$M"'"},"to":[{"service":"prevention","unit":"INSP-1"},{"service":"youth"}],"due":"2026-06-20"}') \
$(call "$CID" POST /api/tasks --data-binary '{"id":"market-lights","text":"Check the lighting of the market car park","place":{"kind":"mahalla","code":"'"$M"'"},"to":[{"service":"ppx"}],"due":"2099-01-15"}') \
$(call "$CID" POST /api/tasks --data-binary '{"id":"done-one","text":"Finished errand","place":{"kind":"mahalla","code":"'"$M"'"},"to":[{"service":"youth"}]}') \
$(call "$CID" POST /api/tasks --data-binary '{"id":"elsewhere","text":"Neighbouring errand","place":{"kind":"mahalla","code":"'"$OTHER"'"},"to":[{"service":"youth"}]}')" "201 201 201 201"
check "one accepted, one done" "$(call "$INSP" PATCH /api/tasks/night-burglaries --data-binary '{"status":"accepted"}') $(call "$YOUTH" PATCH /api/tasks/done-one --data-binary '{"status":"done","note":"ok"}')" "200 200"
check "activities logged, one before the period" \
	"$(call "$INSP" POST /api/activities --data-binary '{"id":"insp-1","kind":"residents_meeting","start":"2026-05-02T18:00","end":"2026-05-02T19:30","place":{"kind":"mahalla","code":"'"$M"'"},"participants":40,"task":"night-burglaries","outcome":"Locks and lighting discussed with the residents of the three blocks by the market"}') \
$(call "$YOUTH" POST /api/activities --data-binary '[{"id":"y-walk","kind":"patrol","start":"2026-05-03T22:00","end":"2026-05-04T00:30","place":{"kind":"mahalla","code":"'"$M"'"},"participants":3,"outcome":"Evening walk with the patrol-post unit"},
 {"id":"y-meet","kind":"youth_meeting","start":"2026-05-05","place":{"kind":"mahalla","code":"'"$M"'"},"participants":12,"outcome":"Sports club offered"},
 {"id":"y-old","kind":"raid","start":"2026-01-05","place":{"kind":"mahalla","code":"'"$M"'"},"participants":2,"outcome":"Winter raid"}]')" "201 201"
check "officials named, counts entered, the standing recorded" \
	"$(call "$PLAN" PUT "/api/standing/$M/officials" --data-binary '[{"role":"Mahalla chairman","name":"R. Tursunov","phone":"+998 90 000 00 00"},{"role":"Prevention inspector","name":"Capt. A. Aliyev"}]') \
$(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"teenagers_registered","count":12}') \
$(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"released_from_prison","count":3}') \
$(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"night_vendors","count":7}') \
$(call "$PLAN" POST /api/standing)" "200 200 200 200 200"
CATEGORY=$(call "$PLAN" GET "/api/standing?mahalla=$M" >/dev/null; jget "d['mahallas'][0]['category']")

# By the command line and over loopback (a viewer's token: paper withholds
# the small counts whoever prints), in the three languages.
for lang in uz ru en; do
	"$POSBON" print "$DB" --mahalla "$M" --pack --lang $lang -o "$TMP/cli-$lang.pdf" >/dev/null
	check "GET the $lang pack: 200, a PDF" \
		"$(call "$WALL" GET "/print/mahalla/$M.pdf?pack=1&lang=$lang"; cp "$TMP/body" "$TMP/http-$lang.pdf"; head -c 4 "$TMP/http-$lang.pdf")" "200%PDF"
done
check_true "named after the mahalla, the pack and the period" \
	'grep -qi "^Content-Disposition: attachment; filename=\".*-pack-2026-04-02_2026-06-30.pdf\"" "$TMP/head"'
check "the command line and the server print alike" "$(text "$TMP/cli-en.pdf" | md5sum)" "$(text "$TMP/http-en.pdf" | md5sum)"
for lang in uz ru en; do
	F="$TMP/http-$lang.pdf"
	check "$lang: the map page and one of tables" "$(pages "$F")" 2
	check_true "$lang: no words of the map page's panel overlap" "$PDFCHECK overlaps $F 1"
	check_true "$lang: nor of the tables' page" "$PDFCHECK overlaps $F 2 $(pdftotext -f 2 -l 2 "$F" - | head -1 | cut -d' ' -f1)"
	check_true "$lang: nothing cut on it" "$PDFCHECK cuts $F 2"
done
T=$(text "$TMP/http-en.pdf")
for t in "Mahalla meeting pack" "Prevention activities since 2026-04-02" "Prevention inspectors (1)" \
	"Juvenile and youth unit (2)" "Residents’ meeting" "INSP-1" "Locks and lighting discussed" \
	"Sports club offered" "2026-05-03 – 2026-05-04" \
	"Open tasks in the mahalla" "2026-06-20 overdue" "Hold a residents meeting on locks and lighting" \
	"Prevention inspectors, INSP-1: accepted; Juvenile and youth unit: new" "Criminal investigation, CID-1" \
	"Check the lighting of the market car park" "Patrol-post service: new" \
	"The mahalla’s standing" "Standing history" "to date" \
	"Responsible officials" "Mahalla chairman R. Tursunov +998 90 000 00 00" "Capt. A. Aliyev" \
	"Registered at-risk groups" "Released from prison <5" "Minors on the prevention register 12" \
	"night_vendors 7" "A count below 5 is printed as “<5”"; do
	check_true "en: the pack shows '$t'" 'echo "$T" | grep -qF -- "$t"'
done
check_true "the overdue task comes before the later one" \
	'echo "$T" | grep -qE "Hold a residents meeting.*Check the lighting of the market"'
check_true "its standing is the recorded one, since it was recorded" \
	'echo "$T" | grep -qiE "Category $CATEGORY \(since [0-9-]{10}, 0 days\)"'
for t in "Winter raid" "Finished errand" "Neighbouring errand" "Released from prison 3"; do
	check_true "en: not '$t' (before the meeting, done, another mahalla's, withheld)" '! echo "$T" | grep -qF -- "$t"'
done
check_true "uz and ru in their words" \
	'text "$TMP/http-uz.pdf" | grep -qF "Mahalla yigʻilishi uchun maʼlumotnoma" &&
	 text "$TMP/http-uz.pdf" | grep -qF "Aholi bilan uchrashuv" &&
	 text "$TMP/http-ru.pdf" | grep -qF "Материалы к собранию махалли" &&
	 text "$TMP/http-ru.pdf" | grep -qF "Инспекторы профилактики, INSP-1: принято"'
# the catalogue's groups by their names in the language, another by its code
risk_name() { # lang group
	case $1-$2 in
	uz-released) echo "Jazoni oʻtab qaytganlar" ;;
	uz-minors) echo "Profilaktik hisobdagi voyaga yetmaganlar" ;;
	ru-released) echo "Вернувшиеся из мест лишения свободы" ;;
	ru-minors) echo "Несовершеннолетние на профилактическом учёте" ;;
	esac
}
for lang in uz ru; do
	check_true "$lang: the small count withheld, the larger printed" \
		'text "$TMP/http-$lang.pdf" | grep -qF "$(risk_name "$lang" released) <5" &&
		 text "$TMP/http-$lang.pdf" | grep -qF "$(risk_name "$lang" minors) 12"'
done

# a mahalla with nothing logged says so in each table
EMPTY=$(sql "$DB" "SELECT code FROM mahallas ORDER BY code LIMIT 1 OFFSET 2")
"$POSBON" print "$DB" --mahalla "$EMPTY" --pack --lang en -o "$TMP/empty.pdf" >/dev/null
for t in "No activity recorded since 2026-04-02." "No open tasks." "No officials named." "No counts entered."; do
	check_true "an empty mahalla's pack: '$t'" 'text "$TMP/empty.pdf" | grep -qF -- "$t"'
done
check_true "and no note on withheld counts" '! text "$TMP/empty.pdf" | grep -qF "A count below"'

# since: the last meeting's day; many activities flow over pages, their
# column heads on each
"$POSBON" print "$DB" --mahalla "$M" --pack --since 2026-01-01 --lang en -o "$TMP/since.pdf" >/dev/null
check_true "--since 2026-01-01 takes in the winter raid" 'text "$TMP/since.pdf" | grep -qF "Winter raid"'
python3 -c "
import json
print(json.dumps([{'id': f'walk-{i}', 'kind': 'patrol', 'start': f'2026-06-{1 + i % 28:02d}T20:00',
                   'place': {'kind': 'mahalla', 'code': '$M'}, 'participants': i,
                   'outcome': f'Walk number {i} along the streets of the mahalla'} for i in range(90)]))" >"$TMP/walks.json"
check "ninety patrols more" "$(call "$YOUTH" POST /api/activities --data-binary "@$TMP/walks.json")" 201
check "the pack, longer" "$(call "$WALL" GET "/print/mahalla/$M.pdf?pack=1&lang=ru")" 200
cp "$TMP/body" "$TMP/long.pdf"
N=$(pages "$TMP/long.pdf")
check_true "over three pages or more" '[ "$N" -ge 3 ]'
check "the activities' heads atop the next page" "$(pdftotext -f 3 -l 3 "$TMP/long.pdf" - | grep -c "^Участников")" 1
check_true "page $N of $N, the last footer says" 'pdftotext -f "$N" -l "$N" "$TMP/long.pdf" - | grep -qF "Стр. $N из $N"'
for p in $(seq 2 "$N"); do
	check_true "page $p: no words overlap" "$PDFCHECK overlaps $TMP/long.pdf $p Материалы"
done

# refusals naming what was wrong
check "an unknown mahalla: 404 naming it" \
	"$(call "$WALL" GET "/print/mahalla/atlantis.pdf?pack=1") $(jget "d['field'], 'atlantis' in d['error']")" "404 code True"
check "a bad since: 400 naming the field" \
	"$(call "$WALL" GET "/print/mahalla/$M.pdf?pack=1&since=31.12.2026") $(jget "d['field']")" "400 since"
check "since without a pack" "$(call "$WALL" GET "/print/mahalla/$M.pdf?since=2026-01-01") $(jget "d['field']")" "400 since"
check "a district's pack" "$(call "$WALL" GET "/print/district/$(sql "$DB" "SELECT code FROM districts LIMIT 1").pdf?pack=1") $(jget "d['field']")" "400 pack"
check "a pack as PNG" "$(call "$WALL" GET "/print/mahalla/$M.png?pack=1") $(jget "d['field']")" "400 pack"
serve_stop
rc=0
err=$("$POSBON" print "$DB" --mahalla "$M" --pack --since yesterday -o "$TMP/x.pdf" 2>&1) || rc=$?
check_true "the command line refuses a bad --since, naming it" '[ "$rc" -ne 0 ] && echo "$err" | grep -q "since"'
finish
