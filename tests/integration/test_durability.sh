# Durability under SIGKILL: a client posts batches of offences while the
# daemon is killed several times; after each restart every batch it
# acknowledged (201) is stored, and each batch is stored whole or not at
# all. Then an import of a big CSV killed mid-way leaves the database as it
# was: intact, the same rows, the bulk load's dropped triggers back.
. "$(dirname "$0")/common.sh"
DB="$TMP/d.sqlite"
sample_db "$DB"
OFFICER=$("$POSBON" token add "$DB" --role officer --name feeder)
O="Authorization: Bearer $OFFICER"
BATCH=20
KILLS=4

# Posts batches to $URL until the daemon stops answering; the ids of each
# acknowledged batch go to $TMP/acked once its 201 is read.
feed() {
	round=$1
	b=0
	while :; do
		b=$((b + 1))
		batch "dur-$round-$b" >"$TMP/body-$round"
		status=$(curl -s -o "$TMP/answer-$round" -w "%{http_code}" --max-time 30 -X POST \
			-H "$O" -H "Content-Type: application/json" --data-binary @"$TMP/body-$round" \
			"$URL/api/offences") || true
		[ "$status" = 201 ] || break
		grep -q "\"inserted\":$BATCH" "$TMP/answer-$round" || cat "$TMP/answer-$round" >>"$TMP/unexpected"
		seq 1 "$BATCH" | sed "s/^/dur-$round-$b-/" >>"$TMP/acked"
	done
	echo "$status" >"$TMP/last-$round"
}

for round in $(seq 1 "$KILLS"); do
	serve_start "$DB" --threads 2 --cache-dir none
	before=$(lines "$TMP/acked")
	feed "$round" &
	FEEDER=$!
	# A few batches in, with the client still posting: no clean moment.
	WANT=$((before + 3 * BATCH))
	check_true "round $round: batches acknowledged before the kill" \
		'wait_until "acked_past \$WANT" 120'
	kill -KILL "$PID"
	wait "$PID" 2>/dev/null || true
	wait "$FEEDER" || true
	check "round $round: the client's next post found no daemon" "$(cat "$TMP/last-$round")" 000
done

# Restarted once more: what it serves is what was acknowledged.
serve_start "$DB" --threads 2 --cache-dir none
check "the restarted daemon is healthy" \
	"$(curl -s -o /dev/null -w "%{http_code}" "$URL/healthz")" 200
sql "$DB" "SELECT external_id FROM offences WHERE external_id LIKE 'dur-%'" | sort >"$TMP/stored"
sort "$TMP/acked" >"$TMP/acked.sorted"
check "every acknowledged offence is stored" \
	"$(comm -23 "$TMP/acked.sorted" "$TMP/stored" | head -5 | tr '\n' ' ')" ""
check_true "acknowledged offences were many" '[ "$(lines "$TMP/acked")" -ge $((KILLS * 3 * BATCH)) ]'
check "each batch is stored whole or not at all" \
	"$(sed 's/-[0-9]*$//' "$TMP/stored" | sort | uniq -c | awk -v n="$BATCH" '$1 != n' | head -3)" ""
check "every answer was a 201 inserting the whole batch" "$(cat "$TMP/unexpected" 2>/dev/null)" ""
# July holds only these (the sample ends in June)
check "the API lists them too" "$(curl -s -H "$O" "$URL/api/offences?limit=1&from=2026-07-01&to=2026-07-31" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)["matched"])')" "$(lines "$TMP/stored")"
kill "$PID"
wait "$PID" 2>/dev/null || true
PID=
check "the database is intact after the kills" "$(sql "$DB" "PRAGMA integrity_check")" ok

# An import killed mid-way: one transaction, so nothing of it stays.
awk 'BEGIN {
	print "id,date,time,category,service,lon,lat"
	for (i = 1; i <= 150000; i++)
		printf "big-%d,2026-05-%02d,%02d:%02d,theft,ppx,%.5f,%.5f\n",
			i, 1 + i % 28, i % 24, i % 60, 69.22 + (i % 997) * 0.00008, 41.27 + (i % 991) * 0.00006
}' >"$TMP/big.csv"
state() {
	sql "$DB" "SELECT (SELECT count(*) FROM offences) || ' ' || (SELECT count(*) FROM audit) || ' ' ||
		(SELECT count(*) FROM sqlite_master WHERE type = 'trigger') || ' ' ||
		(SELECT count(*) FROM idx_offences_geom) || ' ' || (SELECT max(id) FROM offences)"
}
BEFORE=$(state)
"$POSBON" import "$DB" --layer offences --quiet "$TMP/big.csv" >"$TMP/import.out" &
IMPORT=$!
# Its transaction spills pages into the write-ahead log once SQLite's page
# cache is full: a few MB there, and the kill comes mid-write.
wal_past() {
	[ "$(stat -c %s "$DB-wal" 2>/dev/null || echo 0)" -ge "$1" ]
}
check_true "the import is writing" 'wait_until "wal_past 4000000" 300'
kill -KILL "$IMPORT"
wait "$IMPORT" 2>/dev/null || true
check "the killed import stored nothing (offences, audit, triggers, index, last id)" "$(state)" "$BEFORE"
check "the database is intact after the killed import" "$(sql "$DB" "PRAGMA integrity_check")" ok
check_true "it was killed before the end" '! grep -q "^read " "$TMP/import.out"'
# and the database takes the next write
"$POSBON" import "$DB" --layer offences --quiet "$TMP/big.csv" >"$TMP/import2.out"
check_true "the import runs whole afterwards" 'grep -q "inserted 150000" "$TMP/import2.out"'
check "and is intact" "$(sql "$DB" "PRAGMA integrity_check")" ok
finish
