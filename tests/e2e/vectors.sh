#!/bin/sh
# The committed bundle vectors open under a second implementation written
# from docs/FORMAT.md alone (tests/e2e/independent.py: Python's hashlib
# and the cryptography package, no libsodium), which also checks that
# single-byte changes fail there too.
. tests/e2e/lib.sh
need python3
if ! python3 -c 'import cryptography' 2>/dev/null; then
	not_ok "python3 has the cryptography package" "run make deps (python3-cryptography)"
	exit 1
fi
out=$(python3 tests/e2e/independent.py tests/vectors 2>&1)
rc=$?
printf '%s\n' "$out" | while IFS= read -r l; do
	case "$l" in
	"ok "*) echo "ok - independent reader: ${l#ok }" ;;
	*) echo "not ok - independent reader: $l" ;;
	esac
done
n=$(printf '%s\n' "$out" | grep -c '^ok ')
if [ "$rc" -eq 0 ] && [ "$n" -eq 6 ]; then
	ok "independent reader opened all 6 vector bundles, peeling the one that crossed 3 relays"
else
	not_ok "independent reader opened all 6 vector bundles, peeling the one that crossed 3 relays" "exit $rc, $n opened"
fi
check "and found its three layers" sh -c "printf '%s\n' \"\$1\" | grep -q '^ok bundle-testimony-3-relays.bin (.*3 relay layers)'" sh "$out"
