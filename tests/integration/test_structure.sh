# The architecture the build enforces (docs/architecture.md), checked on the
# tree and on the build that made $POSBON: each layer's compiler sees its
# own headers and the lower layers', never the next layer up's; nothing
# outside the store uses SQLite; no source file outside the tests passes
# 1,500 lines.
. "$(dirname "$0")/common.sh"
SRC=$POSBON_SOURCE_DIR
BUILD=$(dirname "$POSBON")
CC=${CC:-cc}

# layer library, a header of its own, a header of the layer above it
while read -r lib own above; do
	flags=$BUILD/CMakeFiles/posbon_$lib.dir/flags.make
	if [ ! -f "$flags" ]; then
		check "the build of $lib has its flags (a Makefile build)" "absent" "$flags"
		continue
	fi
	inc=$(sed -n 's/^C_INCLUDES = //p' "$flags")
	sees() { # header
		# shellcheck disable=SC2086 # inc is several options
		printf '#include "%s"\n' "$1" | $CC -std=c11 -D_POSIX_C_SOURCE=200809L \
			-D_XOPEN_SOURCE=700 $inc -fsyntax-only -x c - 2>/dev/null && echo sees || echo blind
	}
	check "layer $lib sees its own $own" "$(sees "$own")" sees
	[ "$above" = - ] || check "layer $lib cannot include $above from the layer above" \
		"$(sees "$above")" blind
done <<EOF
core err.h tilemath.h
geo tilemath.h store.h
store store.h dataset.h
model dataset.h hotspot.h
analysis hotspot.h render.h
render render.h print.h
output print.h http.h
server http.h -
EOF

code_dirs="core geo model analysis tiles output server cli bench"
outside=$(cd "$SRC" && grep -rln --include='*.[ch]' 'sqlite3_\|sqlite3\.h' $code_dirs || true)
check "no code outside gis-data uses SQLite" "$outside" ""

long=$(cd "$SRC" && for f in $(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]'); do
	case $f in tests/* | ./tests/* | build*) continue ;; esac
	n=$(wc -l <"$f")
	[ "$n" -le 1500 ] || echo "$f:$n"
done)
check "no source file outside the tests is over 1,500 lines" "$long" ""
finish
