# The CLI on bad input: clear messages naming file and row, exit codes, and
# a database left as it was.
. "$(dirname "$0")/common.sh"
DB="$TMP/e.sqlite"
CSV="$TMP/offences.csv"
printf 'id,date,time,lon,lat,category\n1,2026-01-05,10:00,69.25,41.30,theft\n2,2026-01-05,11:00,69.26,41.31,theft\n' >"$CSV"
"$POSBON" import "$DB" --layer offences --quiet "$CSV" >/dev/null
check "good file stored" "$(sql "$DB" "SELECT count(*) FROM offences")" 2

BAD="$TMP/bad.csv"
printf 'id,date,time,lon,lat,category\n3,2026-01-06,10:00,69.25,41.30,theft\n4,2026-01-06,10:00,69.25,41.30,theft\n5,2026-13-45,10:00,69.25,41.30,theft\n' >"$BAD"
set +e
err=$("$POSBON" import "$DB" --layer offences --quiet "$BAD" 2>&1 >/dev/null)
rc=$?
set -e
echo "$err"
check_true "bad file fails" '[ "$rc" -ne 0 ]'
check_true "message names file and row 4" 'echo "$err" | grep -q "bad.csv:row 4"'
check_true "message names the field and value" 'echo "$err" | grep -q "field date" && echo "$err" | grep -q "2026-13-45"'
check "database as it was" "$(sql "$DB" "SELECT count(*) FROM offences")" 2

out=$("$POSBON" import "$DB" --layer offences --quiet --skip-bad "$BAD")
check_true "--skip-bad stores the rest" 'echo "$out" | grep -q "inserted 2,.*skipped 1"'
check_true "--skip-bad reports the row" 'echo "$out" | grep -q "skipped 1: unreadable date or time (row 4)"'

set +e
"$POSBON" import "$DB" --layer nope --quiet "$CSV" 2>"$TMP/err"; rc=$?
set -e
check "unknown layer is a usage error" "$rc" 2
check_true "unknown layer named" 'grep -q "unknown layer .nope." "$TMP/err"'
set +e
"$POSBON" import "$DB" --layer offences --quiet "$TMP/absent.csv" 2>"$TMP/err"; rc=$?
set -e
check_true "missing file fails" '[ "$rc" -ne 0 ] && grep -q "absent.csv" "$TMP/err"'
set +e
"$POSBON" info "$TMP/absent.sqlite" 2>"$TMP/err"; rc=$?
set -e
check_true "info on a missing database fails clearly" '[ "$rc" -ne 0 ] && grep -q "absent.sqlite" "$TMP/err"'
check_true "every command has --help" '"$POSBON" import --help | grep -q -- "--field" && "$POSBON" info --help | grep -q usage'
finish
