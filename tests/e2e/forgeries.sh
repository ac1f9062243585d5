#!/bin/sh
# A photographed form cannot destroy testimony (issue "A seized form
# cannot destroy, hide or impersonate testimony", part 1): a flood of
# bundles sealed from one form's seal code, the genuine testimony among
# them, a desk put back to an earlier vault and log, and a kill -9 at the
# system calls of an open; no case folder is ever deleted or replaced,
# every bundle is accounted for, and the totals add up.
. "$(dirname "$0")/lib.sh"
need strace sha256sum stat
make_desk
# The flood goes to a pack that opens up to 2,000 answers sealed without
# its word (the default holds them after 8: tests/e2e/packword.sh), so
# that every one of them becomes a case and the counter is pushed past
# where the first format's one-byte count stuck.
"$DESK" issue "$T/desk" --forms 1 --label flood --code-answers 2000 \
	--passphrase-file "$T/pass" -o "$T/flood" >/dev/null
PACK=$(ls "$T"/flood/pack-*.ferrypack)
WORD=$(ls "$T"/flood/secret/word-*.txt)
FORM1=$(grep -v '^#' "$T"/flood/codes-*.txt | sed -n 1p | cut -d' ' -f1)
CODE1=$(grep -v '^#' "$T"/flood/codes-*.txt | sed -n 1p | cut -d' ' -f2)
FORGED=${FERRY_FORGERIES:-1000}
desk() { "$DESK" "$@" --passphrase-file "$T/pass"; }
forge() { # OUT TEXT: a bundle from the form's seal code alone
	printf '%s\n' "$2" >"$T/forged.txt"
	"$SEAL" --code "$CODE1" --desk "$FP" --answers "$T/forged.txt" -o "$1" -q
}
# Every file under cases/, with its inode and its content's hash.
snapshot() {
	(cd "$1/cases" && find . -type f -exec stat -c '%i %n' {} + | sort -k2 &&
		find . -type f -exec sha256sum {} + | sort -k2) >"$2"
}
# The earlier snapshot's lines are all still true.
kept() { [ -z "$(sort "$1" | comm -23 - "$(sort "$2" >"$2.s" && echo "$2.s")")" ]; }
ncases() { ls "$1/cases" | wc -l; }

# --- A flood of forgeries, then the genuine testimony (1) ---------------
i=0
while [ $i -lt "$FORGED" ]; do
	i=$((i + 1))
	forge "$T/desk/intake/forged-$i" "forged answer $i" || break
done
check "$FORGED bundles sealed from the form's seal code alone" [ "$(ls "$T/desk/intake" | wc -l)" = "$FORGED" ]
expect "the desk opens them all" 0 desk open "$T/desk"
has "and the totals add up" "^$FORGED bundles: $FORGED testimony, 0 walk-in, 0 chaff, 0 quarantined, 0 left in place"
check "one case folder each" [ "$(ncases "$T/desk")" = "$FORGED" ]
check "the last is named by its answer number" test -d "$T/desk/cases/$FORM1.$FORGED"
snapshot "$T/desk" "$T/snap1"
printf 'GENUINE testimony\n' >"$T/genuine.txt"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/genuine.txt" -o "$T/desk/intake/genuine" -q
forge "$T/desk/intake/later-1" "forged after"
forge "$T/desk/intake/later-2" "forged after, again"
expect "then the genuine testimony and two more forgeries" 0 desk open "$T/desk"
has "are all opened" "^3 bundles: 3 testimony, 0 walk-in, 0 chaff, 0 quarantined, 0 left in place"
check "the genuine testimony is filed" sh -c "grep -l '^GENUINE testimony' '$T'/desk/cases/*/answers.txt | grep -q ."
snapshot "$T/desk" "$T/snap2"
check "every earlier case folder keeps its inode and its content" kept "$T/snap1" "$T/snap2"
check "one folder more per bundle" [ "$(ncases "$T/desk")" = $((FORGED + 3)) ]
check "no two log entries name one case" sh -c "'$DESK' log '$T/desk' show --passphrase-file '$T/pass' | grep '^case: ' | sort | uniq -d | grep -q . && exit 1 || exit 0"
expect "the log verifies" 0 desk log "$T/desk" verify
expect "the report is written" 0 desk report "$T/desk" -o "$T/rep" --same-disk
check "with a page for every case" [ "$(ls "$T"/rep/case-*.html | wc -l)" = $((FORGED + 3)) ]

# --- A desk put back to an earlier vault and log (1) ---------------------
cp -p "$T/desk/vault" "$T/vault.old"
cp -p "$T/desk/log" "$T/log.old"
forge "$T/desk/intake/r1" "after the backup"
expect "a bundle after the backup was taken" 0 desk open "$T/desk"
snapshot "$T/desk" "$T/snap3"
cp -p "$T/vault.old" "$T/desk/vault"
cp -p "$T/log.old" "$T/desk/log"
forge "$T/desk/intake/r2" "after the restore"
expect "the restored desk opens the next bundle" 0 desk open "$T/desk"
has "as a testimony" "^1 bundle: 1 testimony"
snapshot "$T/desk" "$T/snap4"
check "the case the restore forgot keeps its inode and content" kept "$T/snap3" "$T/snap4"
check "both answers are there" sh -c "grep -l 'after the backup' '$T'/desk/cases/*/answers.txt | grep -q . && grep -l 'after the restore' '$T'/desk/cases/*/answers.txt | grep -q ."

# --- A crash after the case folder is placed, before its log entry ------
# The run is killed at the first system call after the folder's rename
# into cases/ (renameat2); the rerun finds that folder by the bundle's
# own marker and logs it, instead of placing a second copy.
rm -rf "$T/c0" && cp -a "$T/desk" "$T/c0" && rm -f "$T"/c0/intake/*
forge "$T/c0/intake/x" "cut off once"
rm -rf "$T/c1" && cp -a "$T/c0" "$T/c1"
strace -f -qq -o "$T/trace" -e trace=openat,renameat2 "$DESK" open "$T/c1" --passphrase-file "$T/pass" >/dev/null 2>&1
k=$(awk '/renameat2\(.*cases/ {after = 1} /^[0-9]* *openat\(/ {n++; if (after) {print n; exit}}' "$T/trace")
rm -rf "$T/c1" && cp -a "$T/c0" "$T/c1"
before=$(ncases "$T/c1")
strace -f -qq -o /dev/null -e trace=openat -e inject=openat:signal=KILL:when="${k:-1}" \
	"$DESK" open "$T/c1" --passphrase-file "$T/pass" >/dev/null 2>&1
check "killed right after the rename: the folder is in cases/" [ -n "$k" -a "$(ncases "$T/c1")" = $((before + 1)) ]
check "and the bundle still in intake" test -e "$T/c1/intake/x"
expect "the rerun finishes it" 0 desk open "$T/c1"
check "with no second folder for it" [ "$(ncases "$T/c1")" = $((before + 1)) ]
check "logged once, as one more answer" [ "$("$DESK" log "$T/c1" show --passphrase-file "$T/pass" | grep -c '^kind: testimony')" = \
	$(($("$DESK" log "$T/c0" show --passphrase-file "$T/pass" | grep -c '^kind: testimony') + 1)) ]
check "and its marker is gone" [ "$(ls -A "$T/c1/pending" | wc -l)" = 0 ]
expect "the log verifies" 0 desk log "$T/c1" verify

# --- kill -9 at the system calls of an open over the same situation -----
# A desk with earlier code-only answers to the form; in intake the
# genuine testimony and two more forgeries.
rm -rf "$T/k0" && cp -a "$T/c0" "$T/k0" && rm -f "$T"/k0/intake/*
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/genuine.txt" -o "$T/k0/intake/a" -q
forge "$T/k0/intake/b" "forged in the sweep"
forge "$T/k0/intake/c" "forged in the sweep, again"
kcases=$(ncases "$T/k0")
STEP=4
[ "${FERRY_SUITE:-plain}" = plain ] || STEP=9
[ -n "${FERRY_FULL_SWEEP:-}" ] && STEP=1
SYS=openat,write,fsync,close,rename,renameat2,link,unlink,mkdir,ftruncate
rm -rf "$T/k" && cp -a "$T/k0" "$T/k"
kill_points "$T/points" "$SYS" "$DESK" open "$T/k" --passphrase-file "$T/pass"
total=0 bad=0 i=0
while IFS=: read -r sc k; do
	i=$((i + 1))
	[ $((i % STEP)) = 0 ] || continue
	total=$((total + 1))
	rm -rf "$T/k" && cp -a "$T/k0" "$T/k"
	snapshot "$T/k" "$T/ksnap"
	strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc":signal=KILL:when="$k" \
		"$DESK" open "$T/k" --passphrase-file "$T/pass" >/dev/null 2>&1
	"$DESK" open "$T/k" --passphrase-file "$T/pass" >"$T/rerun.out" 2>&1
	snapshot "$T/k" "$T/ksnap2"
	if ! kept "$T/ksnap" "$T/ksnap2"; then bad=$((bad + 1)); echo "# $sc#$k: an earlier case changed"; continue; fi
	[ "$(ncases "$T/k")" = $((kcases + 3)) ] || { bad=$((bad + 1)); echo "# $sc#$k: $(ncases "$T/k") cases, wanted $((kcases + 3))"; continue; }
	[ "$(ls "$T/k/intake" | wc -l)" = 0 ] || { bad=$((bad + 1)); echo "# $sc#$k: intake not empty"; continue; }
	# Only a bundle logged before the kill may come back, as its own duplicate.
	for r in "$T"/k/quarantine/*.reason; do
		[ -e "$r" ] || continue
		grep -q "^outcome: duplicate" "$r" || { bad=$((bad + 1)); echo "# $sc#$k: quarantined: $(sed -n 2p "$r")"; continue 2; }
	done
	[ "$(ls -A "$T/k/pending" 2>/dev/null | wc -l)" = 0 ] || { bad=$((bad + 1)); echo "# $sc#$k: a marker left"; continue; }
	grep -l '^GENUINE testimony' "$T"/k/cases/*/answers.txt >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# $sc#$k: genuine testimony missing"; continue; }
	"$DESK" log "$T/k" verify --passphrase-file "$T/pass" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# $sc#$k: log"; continue; }
	n=$("$DESK" log "$T/k" show --passphrase-file "$T/pass" | grep '^case: ' | sort | uniq -d | wc -l)
	[ "$n" = 0 ] || { bad=$((bad + 1)); echo "# $sc#$k: a case logged twice"; }
done <"$T/points"
check "kill -9 at $total of the $(wc -l <"$T/points") system calls of an open: no case changed, none doubled, the genuine one filed" test $bad -eq 0 -a $total -gt 10
