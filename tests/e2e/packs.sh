#!/bin/sh
# Packs and cases after issue: listing packs, retiring one (its keys
# destroyed, logged, later bundles quarantined), revoking one (bundles
# still open, marked possibly forged), listing cases with their flags,
# notes on a case (logged, encrypted, shown with it), bad input and exit
# codes, and kill -9 at each system call of retire and revoke.
. tests/e2e/lib.sh
need strace
make_desk
printf 'Q1: hours? A: 12\n' >"$T/answers.txt"
SN=$(basename "$PACK" .ferrypack | sed 's/^pack-//')
d() { "$DESK" "$@" --passphrase-file "$T/pass"; }
walkin() { "$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$1" -q; }
form() { "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$1" --desk "$FP" --answers "$T/answers.txt" -o "$2" -q; }
"$DESK" issue "$T/desk" --forms 2 --label "second pack, Korean 한국어" --passphrase-file "$T/pass" -o "$T/pack2" >/dev/null
PACK2=$(ls "$T"/pack2/pack-*.ferrypack)
WORD2=$(ls "$T"/pack2/secret/word-*.txt)
SN2=$(basename "$PACK2" .ferrypack | sed 's/^pack-//')

# --- packs -----------------------------------------------------------------
expect "packs lists every pack" 0 d packs "$T/desk"
has "the first, with its label and forms" "$SN  active .* 3 forms: 3 open, 0 answered (0 in grace)  label: given to contact B via courier"
has "the second, label in Korean" "$SN2  active .*label: second pack, Korean 한국어"
expect "packs with a wrong passphrase" 1 sh -c "printf 'wrong one\n' >'$T/bad'; '$DESK' packs '$T/desk' --passphrase-file '$T/bad'"
expect "packs on a folder that is no desk" 2 d packs "$T/pack"

# --- cases and notes -------------------------------------------------------
expect "cases on a new desk" 0 d cases "$T/desk"
has "says there are none" "no cases yet"
form "$FORM1" "$T/desk/intake/a"
walkin "$T/desk/intake/b"
d open "$T/desk" >/dev/null
form "$FORM1" "$T/desk/intake/c" # answered twice, in the grace period
d open "$T/desk" >/dev/null
expect "cases lists what opened" 0 d cases "$T/desk"
has "the first testimony" "^$FORM1 .*testimony .*answers yes, 0 notes ANSWERED-TWICE"
has "the second answer" "^$FORM1.2 .*ANSWERED-TWICE"
has "the walk-in" "^walkin-[0-9a-f]\{8\} .*walk-in"
has "three in all" "^3 cases"
expect "a note on a case" 0 d note "$T/desk" "$FORM1" "call back on Friday"
printf '전사: 하루 14시간\r\n두 번째 줄\r\n' >"$T/note.txt"
expect "a note from a file (CRLF, Korean)" 0 d note "$T/desk" "cases/$FORM1" --file "$T/note.txt"
expect "a note from stdin" 0 sh -c "printf 'from stdin\n' | '$DESK' note '$T/desk' '$FORM1.2' - --passphrase-file '$T/pass'"
expect "the case shows its entry and its notes" 0 d cases "$T/desk" "$FORM1"
has "the entry" "^case: cases/$FORM1\$"
has "the first note" "^call back on Friday\$"
has "the Korean note, as LF lines" "^두 번째 줄\$"
check "no CR kept" sh -c "! printf '%s' \"\$OUT\" | grep -q \"\$(printf '\r')\""
expect "cases counts the notes" 0 d cases "$T/desk"
has "two on the first" "^$FORM1 .*2 notes"
check "notes are not written in plain text into the case folder" sh -c "! grep -rq 'call back on Friday' '$T/desk/cases'"
check "nor anywhere in the desk's files" sh -c "! grep -rqa 'call back on Friday' '$T/desk'"
expect "the log verifies with the notes in it" 0 d log "$T/desk" verify
has "six entries" "6 entries"
expect "a note on an unknown case" 2 d note "$T/desk" nosuch "x"
has "says so" "no case 'nosuch'"
expect "showing an unknown case" 2 d cases "$T/desk" nosuch
expect "an empty note" 2 d note "$T/desk" "$FORM1" ""
has "says it is empty" "the note is empty\$"
expect "a note with a control character" 2 d note "$T/desk" "$FORM1" "$(printf 'bell\007')"
has "says it is not text, not that it is empty" "the note is not UTF-8 text"
printf 'bad \377 bytes' >"$T/bad.txt"
expect "a note that is not UTF-8" 2 d note "$T/desk" "$FORM1" --file "$T/bad.txt"
head -c 70000 /dev/zero | tr '\0' a >"$T/long.txt"
expect "a note over 64 KiB" 2 d note "$T/desk" "$FORM1" --file "$T/long.txt"
expect "TEXT and --file together" 2 d note "$T/desk" "$FORM1" x --file "$T/note.txt"
expect "a note with a wrong passphrase" 1 "$DESK" note "$T/desk" "$FORM1" x --passphrase-file "$T/bad"
expect "the log still has six entries" 0 d log "$T/desk" verify
has "six" "6 entries"

# --- revoke ----------------------------------------------------------------
expect "revoke needs --reason" 2 d revoke "$T/desk" "$SN"
expect "revoke an unknown pack" 2 d revoke "$T/desk" ZZZZ --reason x
has "says which to use" "packs DESK"
expect "a reason of two lines is refused" 2 d revoke "$T/desk" "$SN" --reason "$(printf 'a\nb')"
expect "revoke a pack" 0 d revoke "$T/desk" "$(echo "$SN" | tr 'A-Z' 'a-z')" --reason "contact B's phone was seized"
expect "a second revoke is refused" 2 d revoke "$T/desk" "$SN" --reason again
expect "packs shows the revocation" 0 d packs "$T/desk"
has "with its reason" "REVOKED at .*: contact B's phone was seized"
form "$FORM2" "$T/desk/intake/e"
expect "a bundle for a revoked pack still opens" 0 d open "$T/desk"
has "with a warning" "WARNING: its pack is revoked (contact B's phone was seized): it may be forged"
check "its manifest says so" grep -q "^revoked-pack: WARNING: pack $SN was revoked .*may be forged" "$T/desk/cases/$FORM2/manifest.txt"
expect "cases flags it" 0 d cases "$T/desk"
has "as from a revoked pack" "^$FORM2 .*REVOKED-PACK"
has "and the earlier ones as revoked since" "^$FORM1 .*PACK-REVOKED-SINCE"

# --- retire ----------------------------------------------------------------
cp -a "$T/desk" "$T/r0" # for the kill sweeps
expect "retire an unknown pack" 2 d retire "$T/desk" ZZZZ
expect "retire a pack" 0 d retire "$T/desk" "$SN"
has "says what went" "pack key and every one-time key left are destroyed"
expect "a second retire is refused" 2 d retire "$T/desk" "$SN"
expect "packs shows it retired" 0 d packs "$T/desk"
has "retired" "^$SN  retired"
expect "the vault keeps no key of it" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "nor its pack word" "pack retired spk-secret=destroyed word=destroyed"
check "every one-time key of the pack is gone" sh -c "! printf '%s' \"\$OUT\" | grep -q -e 'form $FORM1.*opk-secret=present' -e 'form $FORM2.*opk-secret=present'"
walkin "$T/desk/intake/f"
expect "a later bundle for it" 0 d open "$T/desk"
has "is quarantined, kept whole" "quarantined  f: not-ours: .*retired or expired"
check "the other pack still opens" sh -c "'$SEAL' --pack '$PACK2' --word-file '$WORD2' --walk-in --desk '$FP' --answers '$T/answers.txt' -o '$T/desk/intake/g' -q && '$DESK' open '$T/desk' --passphrase-file '$T/pass' | grep -q '1 walk-in'"
expect "the log verifies" 0 d log "$T/desk" verify
expect "show has the retirement" 0 d log "$T/desk" show
has "as an entry" "kind: pack-retired"

# --- A locked desk: every new command waits, then exits 2 ----------------
# (the fault shim cannot be preloaded into sanitizer builds)
if [ "${FERRY_SUITE:-plain}" = plain ]; then
	rm -rf "$T/L" && cp -a "$T/r0" "$T/L"
	walkin "$T/L/intake/w"
	LD_PRELOAD="$SHIM" FERRY_FAULT="rename:1:pause:$T/go" "$DESK" open "$T/L" --passphrase-file "$T/pass" >/dev/null 2>&1 &
	first=$!
	i=0; while [ ! -e "$T/go.waiting" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
	for c in "packs" "cases" "retire $SN2" "revoke $SN2 --reason x" "note $FORM1 x" "report -o $T/Lrep" "log attest -o $T/Lst"; do
		set -- $c
		name=$1
		shift
		if [ "$name" = log ]; then
			expect "log attest on a locked desk exits 2" 2 "$DESK" log "$T/L" "$@" --passphrase-file "$T/pass"
		else
			expect "$name on a locked desk exits 2" 2 "$DESK" "$name" "$T/L" "$@" --passphrase-file "$T/pass"
		fi
		has "naming the process that holds it" "in use by process $first"
	done
	touch "$T/go"; wait $first
	check "and none of them changed anything" sh -c "[ ! -e '$T/Lrep' ] && [ ! -e '$T/Lst' ] && '$DESK' packs '$T/L' --passphrase-file '$T/pass' | grep -q '^$SN2  active'"
fi

# --- kill -9 at each system call of retire and of revoke ----------------
SYS=openat,write,fsync,close,rename,unlink,ftruncate
for what in retire revoke; do
	rm -rf "$T/k" && cp -a "$T/r0" "$T/k"
	args="$SN2"
	[ $what = revoke ] && args="$SN2 --reason seized"
	kill_points "$T/points" "$SYS" "$DESK" $what "$T/k" $args --passphrase-file "$T/pass"
	total=0 bad=0
	while IFS=: read -r sc k; do
		total=$((total + 1))
		rm -rf "$T/k" && cp -a "$T/r0" "$T/k"
		strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k \
			"$DESK" $what "$T/k" $args --passphrase-file "$T/pass" >/dev/null 2>&1
		"$DESK" $what "$T/k" $args --passphrase-file "$T/pass" >/dev/null 2>&1 # done, or done already
		n=$("$DESK" log "$T/k" show --passphrase-file "$T/pass" 2>/dev/null |
			awk -v k="kind: pack-${what}d" -v p="pack: $SN2" '/^--- entry/ {m = 0} $0 == k {m = 1} m && $0 == p {n++} END {print n + 0}')
		state=$("$DESK" packs "$T/k" --passphrase-file "$T/pass" 2>/dev/null | grep -c -e "^$SN2  retired" -e "REVOKED at .*: seized")
		if ! "$DESK" log "$T/k" verify --passphrase-file "$T/pass" >/dev/null 2>&1 || [ "$n" != 1 ] || [ "$state" != 1 ]; then
			bad=$((bad + 1))
			echo "# $what, kill at $sc #$k: $n entries, state $state"
		fi
	done <"$T/points"
	check "kill -9 at each of the $total system calls of $what: done exactly once, logged once, log intact" test "$bad" -eq 0 -a "$total" -gt 5
done

# --- A desk at its limit of packs says so ------------------------------------
# Retired packs stay in the vault with their cases, so the limit counts every
# pack ever issued; the filler packs come from the test tool, not from 1000
# issues.
rm -rf "$T/full" && cp -a "$T/desk" "$T/full"
check "the test tool fills the vault to 1000 packs" "$TOOL" vault-fill "$T/full/vault" "$T/pass" 1000
expect "issue on a desk with 1000 packs: exit 2" 2 d issue "$T/full" --forms 1 --label x -o "$T/full-out"
has "says the desk holds the most packs it can" "this desk has issued 1000 packs, the most one desk holds"
has "and what to do" "make a new desk for new packs ('ferry-desk init')"
check "and writes nothing" test ! -e "$T/full-out"

# --- A second answer whose first case cannot be marked stops the run ---------
# The first case learns it was answered twice. A manifest that is gone (the
# journalist moved the case away) is nothing to mark; one that is there but
# cannot be read stops the run with the bundle left in intake, rather than
# pass the warning over in silence.
T0=$T
T=$T0/twice
mkdir "$T" && make_desk && cp "$T0/answers.txt" "$T/"
form "$FORM1" "$T/desk/intake/a"
expect "a first answer" 0 d open "$T/desk"
mv "$T/desk/cases/$FORM1/manifest.txt" "$T/manifest.saved"
mkdir "$T/desk/cases/$FORM1/manifest.txt"
form "$FORM1" "$T/desk/intake/b"
expect "a second answer when the first case's manifest cannot be read: exit 2" 2 d open "$T/desk"
has "says the first case could not be marked" "the form's first case could not be marked answered twice; the bundle is left in place: cannot read a case's manifest"
check "the bundle stays in intake" test -f "$T/desk/intake/b"
rmdir "$T/desk/cases/$FORM1/manifest.txt"
mv "$T/manifest.saved" "$T/desk/cases/$FORM1/manifest.txt"
expect "with the manifest back, the rerun opens it" 0 d open "$T/desk"
check "and marks the first case" grep -q "^answered-twice: " "$T/desk/cases/$FORM1/manifest.txt"
check "the bundle is gone from intake" test ! -e "$T/desk/intake/b"
form "$FORM2" "$T/desk/intake/c"
expect "another form's first answer" 0 d open "$T/desk"
rm -r "$T/desk/cases/$FORM2"
form "$FORM2" "$T/desk/intake/d"
expect "its second answer after its first case was moved away opens" 0 d open "$T/desk"
check "the log verifies" d log "$T/desk" verify
T=$T0
