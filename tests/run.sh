#!/bin/sh
# Runs every unit test binary and end-to-end script of one build and
# counts test cases. Writes BUILD/results ("passed failed") and ends with
# the line "N passed, N failed". FERRY_UNITS and FERRY_E2E, when set,
# name the only unit binaries and end-to-end scripts to run (the
# ThreadSanitizer suite runs just the ones with threads in them);
# FERRY_E2E_SKIP names scripts not to run (the sanitizer builds do not
# build the offline page that web.sh tests).
BUILD=${BUILD:-build}
SUITE=${FERRY_SUITE:-plain}
export BUILD FERRY_SUITE=$SUITE
# ThreadSanitizer cannot start on kernels whose address-space layout
# randomisation puts mappings where it wants its shadow memory; the
# suite runs with that randomisation off (setarch -R, util-linux).
if [ "$SUITE" = tsan ] && [ -z "${FERRY_NO_ASLR:-}" ] &&
	setarch "$(uname -m)" -R true >/dev/null 2>&1; then
	FERRY_NO_ASLR=1 exec setarch "$(uname -m)" -R sh "$0" "$@"
fi
# in_list LIST NAME: NAME is a word of the space-separated LIST.
in_list() {
	case " $1 " in *" $2 "*) return 0 ;; esac
	return 1
}
pass=0
fail=0
skipped=0
log="$BUILD/test-log.txt"
: >"$log"
echo "== ferry tests ($SUITE build in $BUILD) =="
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.o | *.d) continue ;; esac
	name=$(basename "$t")
	[ -n "${FERRY_UNITS+x}" ] && ! in_list "$FERRY_UNITS" "$name" && continue
	out=$("$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" >>"$log"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	# cmocka's skip(): counted apart, with its test named, never as passed.
	k=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -1)
	p=${p:-0}
	f=${f:-0}
	k=${k:-0}
	# A crash (sanitizer report, abort) counts as a failure even when no
	# summary line was printed.
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + k))
	if [ "$k" -eq 0 ]; then
		printf '  %-22s %3s passed, %s failed\n' "$name" "$p" "$f"
	else
		printf '  %-22s %3s passed, %s failed, %s skipped\n' "$name" "$p" "$f" "$k"
		printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([a-z_]*\)$/    skipped: \1/p' | sort -u
	fi
	[ "$f" -eq 0 ] || printf '%s\n' "$out" | grep -E 'ERROR|FAILED|LINE|runtime error|Sanitizer' | head -20
done
for s in tests/e2e/*.sh; do
	name=$(basename "$s" .sh)
	case "$name" in lib | lib-*) continue ;; esac
	[ -n "${FERRY_E2E+x}" ] && ! in_list "$FERRY_E2E" "$name" && continue
	in_list "${FERRY_E2E_SKIP:-}" "$name" && continue
	out=$(sh "$s" 2>&1)
	rc=$?
	printf '%s\n' "$out" >>"$log"
	# A skipped test ("ok N - name # SKIP reason") is counted apart, and
	# its reason shown: it did not pass.
	s=$(printf '%s\n' "$out" | grep -c '^ok .* # SKIP ')
	p=$(($(printf '%s\n' "$out" | grep -c '^ok ') - s))
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + s))
	if [ "$s" -eq 0 ]; then
		printf '  %-22s %3s passed, %s failed\n' "e2e/$name" "$p" "$f"
	else
		printf '  %-22s %3s passed, %s failed, %s skipped\n' "e2e/$name" "$p" "$f" "$s"
		printf '%s\n' "$out" | sed -n 's/^ok [0-9]* - \(.*\) # SKIP \(.*\)/    skipped: \1: \2/p'
	fi
	[ "$f" -eq 0 ] || printf '%s\n' "$out" | grep -A3 '^not ok' | head -30
done
echo "$pass $fail $skipped" >"$BUILD/results"
echo "$SUITE: $pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
