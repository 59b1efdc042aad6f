# posbon import on files whose column names mislead: a `time` column of ISO
# date-times beside a date in another format and an hour, the refusal of a
# file whose rows would mostly lose their time (message names the file and
# --field, database left as it was), and --dry-run, which shows the mapping
# with sample values and writes nothing.
. "$(dirname "$0")/common.sh"
DB="$TMP/g.sqlite"
CSV="$TMP/export.csv"
printf 'id,date,time,hour,lon,lat,category\nE1,01/02/2010,2010-01-02T06:00:00,6,69.25,41.30,theft\nE2,01/02/2010,2010-01-02T07:45:00,7,69.26,41.31,theft\nE3,01/03/2010,2010-01-03T23:10:00,23,69.26,41.31,fraud\n' >"$CSV"

# Dry run against a database that does not exist yet: no file appears.
out=$("$POSBON" import "$DB" --layer offences --quiet --dry-run "$CSV")
echo "$out"
check_true "dry run creates no database" '[ ! -e "$DB" ]'
check_true "dry run shows the date taken from the time column" \
	'echo "$out" | grep -q "^  date <- time (its values are dates with times)"'
check_true "dry run shows sample values as read" \
	'echo "$out" | grep -q "'"'"'2010-01-02T07:45:00'"'"' -> 2010-01-02T02:45:00Z (to the second)"'
check_true "dry run counts what it would store" \
	'echo "$out" | grep -q "dry run, nothing written: of 3 read, would insert 3, update 0, leave 0 unchanged, skip 0"'

"$POSBON" import "$DB" --layer offences --quiet "$CSV" >/dev/null
check "date-times stored to the second" \
	"$(sql "$DB" "SELECT group_concat(datetime(occurred_from, 'unixepoch') || ' ' || time_precision, ';') FROM (SELECT * FROM offences ORDER BY external_id)")" \
	"2010-01-02 01:00:00 second;2010-01-02 02:45:00 second;2010-01-03 18:10:00 second"

# Dry run against an existing database: not a byte changes.
sum=$(cksum <"$DB")
printf 'id,time,lon,lat,category\nE4,2010-01-04T10:00:00,69.25,41.30,burglary\n' >"$TMP/more.csv"
out=$("$POSBON" import "$DB" --layer offences --quiet --dry-run "$TMP/more.csv")
check_true "dry run against a database counts an insert" 'echo "$out" | grep -q "would insert 1,"'
check "dry run leaves the database file as it was" "$(cksum <"$DB")" "$sum"
check "no new category" "$(sql "$DB" "SELECT count(*) FROM categories WHERE code = 'burglary'")" 0

# Times of day and no date: refused, naming the file and what to do.
NOTIME="$TMP/notime.csv"
printf 'id,clock,lon,lat\nN1,06:00,69.25,41.30\nN2,07:00,69.25,41.30\nN3,08:00,69.25,41.30\n' >"$NOTIME"
set +e
err=$("$POSBON" import "$DB" --layer offences --quiet "$NOTIME" 2>&1 >/dev/null)
rc=$?
set -e
echo "$err"
check_true "refused" '[ "$rc" -ne 0 ]'
check_true "message names the file and the count" 'echo "$err" | grep -q "notime.csv: 3 of 3 rows have no date"'
check_true "message says how to map the columns" 'echo "$err" | grep -q -- "--field date=COLUMN" && echo "$err" | grep -q "columns: id, clock, lon, lat"'
check_true "message says nothing was stored" 'echo "$err" | grep -q "nothing of .*notime.csv was stored"'
check "database as it was" "$(sql "$DB" "SELECT count(*) FROM offences")" 3
check "database file as it was" "$(cksum <"$DB")" "$sum"

# The dry run of the refused file shows the mapping, then the same refusal.
set +e
out=$("$POSBON" import "$DB" --layer offences --quiet --dry-run "$NOTIME" 2>"$TMP/err")
rc=$?
set -e
check_true "dry run of a refused file fails too" '[ "$rc" -ne 0 ] && grep -q "3 of 3 rows have no date" "$TMP/err"'
check_true "and shows what was mapped" 'echo "$out" | grep -q "^  x <- lon (by its name)"'

# --field is taken as given, not second-guessed by the values.
out=$("$POSBON" import "$DB" --layer offences --quiet --field date=clock "$NOTIME" 2>&1 || true)
check_true "a time of day mapped as the date fails on row 2" 'echo "$out" | grep -q "notime.csv:row 2: field date"'
finish
