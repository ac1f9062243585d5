#!/bin/sh
# Link boundaries: each program links only its role (tests/link-boundaries.txt).
. "$(dirname "$0")/lib.sh"
need nm
RULES="$ROOT/tests/link-boundaries.txt"

# symbols BINARY: every symbol name nm lists, versions cut off.
symbols() {
	nm "$1" 2>/dev/null | awk '{print $NF}' | sed 's/@.*//' | sort -u
}

for prog in ferry-seal ferry-relay ferry-desk; do
	symbols "$BIN/$prog" >"$T/$prog.syms"
	check "$prog has symbols to check" test -s "$T/$prog.syms"
done
grep -v '^[[:space:]]*#' "$RULES" | grep -v '^[[:space:]]*$' >"$T/rules"
while read -r prog pat; do
	hits=$(grep -E -- "$pat" "$T/$prog.syms" | head -5 | tr '\n' ' ')
	if [ -z "$hits" ]; then ok "$prog links nothing matching $pat"; else not_ok "$prog links nothing matching $pat" "found: $hits"; fi
done <"$T/rules"

# The offline page is ferry-seal in wasm: its objects (make web, in the
# plain build) answer to ferry-seal's rules.
if [ "${FERRY_SUITE:-plain}" = plain ]; then
	for o in "$BIN"/web/obj/*/*.o; do
		llvm-nm-14 "$o" 2>/dev/null | awk '{print $NF}'
	done | sort -u >"$T/page.syms"
	check "the offline page has symbols to check" grep -qx fw_seal "$T/page.syms"
	grep -E '^ferry-seal[[:space:]]' "$T/rules" | while read -r prog pat; do
		hits=$(grep -E -- "$pat" "$T/page.syms" | head -5 | tr '\n' ' ')
		if [ -z "$hits" ]; then ok "the offline page links nothing matching $pat"; else not_ok "the offline page links nothing matching $pat" "found: $hits"; fi
	done
fi

# The check has teeth: a unit test binary links every module, so every
# program's list finds something in it.
symbols "$BIN/tests/test_intake" >"$T/all.syms"
for prog in ferry-seal ferry-relay ferry-desk; do
	n=0
	for pat in $(grep -E "^$prog[[:space:]]" "$RULES" | awk '{print $2}'); do
		grep -Eq -- "$pat" "$T/all.syms" && n=$((n + 1))
	done
	check "the $prog rules catch a binary that links everything" test "$n" -gt 0
done

# Rooms by concept: no code folder holds more than a quarter of the code
# (C sources and headers of the library, the tools and the page).
total=0
for d in common crypto container pages trust seal forms relay store opening desk tools web; do
	n=$(cat "$ROOT/$d"/*.c "$ROOT/$d"/*.h 2>/dev/null | wc -l)
	total=$((total + n))
	echo "$d $n"
done >"$T/rooms"
while read -r d n; do
	check "$d/ holds $n of the $total lines of code, at most a quarter" [ $((n * 4)) -le "$total" ]
done <"$T/rooms"
