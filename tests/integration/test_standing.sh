# The mahalla's standing over loopback: categories from an office's rules
# (a file), their measures equal to an independent count, recorded with
# their periods and history (and in the change feed), responsible
# officials, at-risk counts suppressed outside the services, scope and
# refusals naming the field.
. "$(dirname "$0")/common.sh"
DB="$TMP/s.sqlite"
# the sample's offences end today, so that the last 90 days hold them
"$POSBON" sample "$DB" --districts 2 --mahallas 4 --offences 6000 >/dev/null
PLAN=$("$POSBON" token add "$DB" --role planner --name planner --service prevention)
INSP=$("$POSBON" token add "$DB" --role officer --name inspector --service youth)
WALL=$("$POSBON" token add "$DB" --role viewer --name wall)
D2=$("$POSBON" token add "$DB" --role officer --name d02 --scope district:D02)
# yellow from 1 offence per 1,000 residents, red from a rate no mahalla has
cat >"$TMP/rules.json" <<'EOF'
{"period_days": 90, "repeat_min": 3, "repeat_metres": 50, "suppress_below": 5,
 "red": {"rate": 1000000, "change": null, "repeat_places": null, "overdue_tasks": 2},
 "yellow": {"rate": 1, "change": null, "repeat_places": null, "overdue_tasks": 1}}
EOF
serve_start "$DB" --threads 2 --cache-dir none --standing-rules "$TMP/rules.json"
J="Content-Type: application/json"
call() { # token method path [curl args] -> status; the body in $TMP/body
	c_t=$1 c_m=$2 c_p=$3
	shift 3
	curl -s -o "$TMP/body" -w "%{http_code}" -H "Authorization: Bearer $c_t" -H "$J" -X "$c_m" "$@" "$URL$c_p"
}
jget() { python3 -c "import json,sys; d=json.load(open('$TMP/body')); print($1)"; }
check "every mahalla has a standing" "$(call "$PLAN" GET /api/standing) $(jget "len(d['mahallas']), d['period_days']")" "200 8 90"
# the period the answer says (90 local days to today), whatever the hour
FROM=$(date -d "$(jget "d['from']")" +%s)
TO=$(($(date -d "$(jget "d['to']")" +%s) + 1))
check "the period is 90 days" "$(((TO - FROM + 3600) / 86400))" 90
M=D01-M02
N=$(sql "$DB" "SELECT count(*) FROM offences WHERE geom IS NOT NULL AND mahalla_code = '$M'
 AND (occurred_from + occurred_to) / 2 >= $FROM AND (occurred_from + occurred_to) / 2 < $TO")
POP=$(sql "$DB" "SELECT population FROM mahallas WHERE code = '$M'")
check_true "the sample has offences in the period" '[ "$N" -gt 0 ]'
check "a mahalla's offences and rate equal SQL's" \
	"$(jget "[(int(r['measures']['offences']), r['measures']['rate']) for r in d['mahallas'] if r['mahalla'] == '$M'][0]")" \
	"($N, $(python3 -c "print(round($N / $POP * 1000, 2))"))"
check "yellow by its rate, as the rules say, not yet recorded" \
	"$(jget "[(r['category'], r['reasons'], r['since']) for r in d['mahallas'] if r['mahalla'] == '$M'][0]")" \
	"('yellow', 'rate', None)"

# recording: a category's period starts; the same again changes nothing
check "a viewer may not record" "$(call "$WALL" POST /api/standing)" 403
check "the planner records every mahalla" "$(call "$PLAN" POST /api/standing) $(jget "d['recorded'], len(d['changed'])")" "200 8 8"
check "again: nothing changed" "$(call "$PLAN" POST /api/standing) $(jget "d['changed']")" "200 []"
check "the standing now says since when" "$(call "$PLAN" GET "/api/standing?mahalla=$M") $(jget "d['mahallas'][0]['since'] is not None, len(d['mahallas'][0]['history'])")" "200 True 1"

# two overdue tasks make it red: a new period, the old one ended
for t in 1 2; do
	call "$INSP" POST /api/tasks --data-binary '{"id":"late-'$t'","text":"Visit","place":{"kind":"mahalla","code":"'$M'"},"to":[{"service":"prevention"}],"due":"2020-01-0'$t'"}' >/dev/null
done
check "two overdue tasks: red now" "$(call "$PLAN" GET "/api/standing?mahalla=$M") $(jget "d['mahallas'][0]['category'], d['mahallas'][0]['reasons'], d['mahallas'][0]['measures']['overdue_tasks']")" \
	"200 red overdue_tasks 2.0"
check "recorded: only it changed" "$(call "$PLAN" POST /api/standing) $(jget "d['changed']")" "200 [{'mahalla': '$M', 'category': 'red'}]"
check "its history: red since now, yellow before it, ended then" \
	"$(call "$PLAN" GET "/api/standing?mahalla=$M") $(jget "[(h['category'], h['until'] is None) for h in d['mahallas'][0]['history']], d['mahallas'][0]['history'][0]['since'] == d['mahallas'][0]['history'][1]['until']")" \
	"200 [('red', True), ('yellow', False)] True"
check "the change feed carries the standing" "$(call "$PLAN" GET "/api/changes?since=$(sql "$DB" "SELECT min(seq) - 1 FROM changes WHERE entity = 'standing'")") $(jget "[c['id'] for c in d['changes'] if c['entity'] == 'standing'].count('$M')")" "200 2"

# officials and at-risk counts
check "a planner names the officials" "$(call "$PLAN" PUT "/api/standing/$M/officials" --data-binary '[{"role":"Mahalla chairman","name":"R. Tursunov","phone":"+998 90 000 00 00"},{"role":"Prevention inspector","name":"Capt. A. Aliyev"}]')" 200
check "an officer may not" "$(call "$INSP" PUT "/api/standing/$M/officials" --data-binary '[]') $(jget "d['field']")" "403 role"
check "nor a viewer enter counts" "$(call "$WALL" PUT "/api/standing/$M/risk" --data-binary '{"group":"x","count":1}') $(jget "d['field']")" "403 role"
check "a service enters counts" "$(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"teenagers_registered","count":12}') $(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"released_from_prison","count":3}')" "200 200"
check "the services see every count, with who entered it" \
	"$(call "$INSP" GET "/api/standing?mahalla=$M") $(jget "[(r['group'], r['count'], r['service']) for r in d['mahallas'][0]['risk_counts']], [o['name'] for o in d['mahallas'][0]['officials']]")" \
	"200 [('released_from_prison', 3, 'youth'), ('teenagers_registered', 12, 'youth')] ['R. Tursunov', 'Capt. A. Aliyev']"
check "outside the services a count below 5 is suppressed" \
	"$(call "$WALL" GET "/api/standing?mahalla=$M") $(jget "[(r['group'], r['count'], r['suppressed']) for r in d['mahallas'][0]['risk_counts']]")" \
	"200 [('released_from_prison', None, True), ('teenagers_registered', 12, False)]"
check "a count that is not a number" "$(call "$INSP" PUT "/api/standing/$M/risk" --data-binary '{"group":"x","count":"many"}') $(jget "d['field']")" "422 count"
check "an official without a name" "$(call "$PLAN" PUT "/api/standing/$M/officials" --data-binary '[{"role":"Chairman"}]') $(jget "d['field']")" "422 officials[0].name"
check "an unknown mahalla" "$(call "$PLAN" PUT "/api/standing/atlantis/officials" --data-binary '[]') $(jget "d['field']")" "404 mahalla"
check "another district's mahalla" "$(call "$D2" PUT "/api/standing/$M/risk" --data-binary '{"group":"x","count":1}') $(jget "d['field']")" "403 mahalla"
check "D02's token sees D02's mahallas only" "$(call "$D2" GET /api/standing) $(jget "sorted(set(r['district'] for r in d['mahallas']))")" "200 ['D02']"
check "and not D01's one" "$(call "$D2" GET "/api/standing?mahalla=$M") $(jget "d['field']")" "403 mahalla"
check "the tables of the standing have no column for a person at risk" \
	"$(sql "$DB" "SELECT count(*) FROM pragma_table_info('risk_counts') WHERE name IN ('person','name','surname','passport','pinfl','address','birth')")" 0
serve_stop

check "the command line agrees: recorded, nothing changed since the API's record" \
	"$("$POSBON" standing "$DB" --rules "$TMP/rules.json" --record 2>&1 >"$TMP/table" | tail -1)" \
	"posbon standing: 8 recorded, 0 changed"
check "its table says red for the overdue tasks" "$(awk -v m="$M" '$1 == m {print $3, $NF}' "$TMP/table")" "red overdue_tasks"

check "bad rules stop the daemon, naming the member" \
	"$(echo '{"red": {"rate": "high"}}' >"$TMP/bad.json"; "$POSBON" serve "$DB" --listen 127.0.0.1:0 --standing-rules "$TMP/bad.json" 2>&1 >/dev/null | grep -c "bad.json: rate: a number")" 1
finish
