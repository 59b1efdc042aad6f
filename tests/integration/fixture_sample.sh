# ctest's fixture setup (not a test): the shared sample district of
# common.sh's sample_db, generated once into POSBON_SAMPLE_DB for the tests
# that require it. Written beside its final name, checkpointed into a single
# file and made read-only, then renamed: a test never sees half a file, nor
# a WAL it would have to copy, and cannot write to the shared one.
. "$(dirname "$0")/common.sh"
: "${POSBON_SAMPLE_DB:?POSBON_SAMPLE_DB must name the fixture file}"
mkdir -p "$(dirname "$POSBON_SAMPLE_DB")"
PART="$POSBON_SAMPLE_DB.tmp-$$"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$TMP" "$PART" "$PART-wal" "$PART-shm"' EXIT
# shellcheck disable=SC2086 # SAMPLE_ARGS is several options
"$POSBON" sample "$PART" $SAMPLE_ARGS
sqlite3 -batch "$PART" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
check "the sample is one file, its WAL checkpointed away" "$(ls "$PART"-wal "$PART"-shm 2>/dev/null)" ""
finish
chmod a-w "$PART"
rm -f "$POSBON_SAMPLE_DB-wal" "$POSBON_SAMPLE_DB-shm"
mv -f "$PART" "$POSBON_SAMPLE_DB"
