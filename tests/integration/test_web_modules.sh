# The viewer's pure functions (web/geometry.js, web/shift.js, web/print.js, web/datefield.js, and
# those of web/coverage.js, web/units.js, web/analysis.js, web/suggest.js,
# web/identify.js, web/legend.js, web/wall.js, web/coopform.js, web/tasks.js,
# web/activities.js, web/evaluate.js, web/standing.js and web/taskdetail.js)
# under node's test runner: tests/web/test_*.mjs.
# Skipped (77) when node is missing.
. "$(dirname "$0")/common.sh"
if ! command -v node >/dev/null 2>&1; then
	echo "SKIP: node is missing (scripts/install-deps.sh installs nodejs)"
	exit 77
fi
if node --test "$POSBON_SOURCE_DIR"/tests/web/test_*.mjs; then
	check "web module tests" ok ok
else
	check "web module tests" failed ok
fi
finish
