#!/bin/sh
# Never lose, never brick: the desk and the relay under a second process,
# a full disk, a failing write, a crash before any system call, and
# hostile files. Faults come from tests/faultinj (LD_PRELOAD: plain build
# only, since ASan's runtime must come first) and strace's kill injection.
. "$(dirname "$0")/lib.sh"
need strace timeout script prlimit
SHIMS=1
[ "${FERRY_SUITE:-plain}" = plain ] || SHIMS=0
make_desk
make_pages
pass() { printf '%s' "--passphrase-file=$T/pass"; }
desk() { "$DESK" "$@" --passphrase-file "$T/pass"; }
cases() { ls "$T/desk/cases" 2>/dev/null | wc -l; }
seal_form() { "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$1" --desk "$FP" -o "$2" -q "$P"; }
walkin() { "$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$1" -q; }
# Only duplicates may be quarantined after a fault: a bundle that was
# opened and logged before the fault comes back as its own duplicate.
only_duplicates() {
	for r in "$1"/quarantine/*.reason; do
		[ -e "$r" ] || continue
		grep -q "^outcome: duplicate" "$r" || return 1
	done
}
"$DESK" relay-credential "$T/desk" -o "$T/cred" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
"$RELAY" init "$T/spool" --credential "$T/cred" --desk "$FP" >/dev/null

# --- The desk's own folders are not an intake (4) ------------------------
walkin "$T/desk/intake/w0"
expect "open DESK DESK is refused (exit 2)" 2 desk open "$T/desk" "$T/desk"
has "and says why" "the desk itself or one of its own folders"
expect "open DESK DESK/cases is refused" 2 desk open "$T/desk" "$T/desk/cases"
check "the vault is where it was" test -f "$T/desk/vault"
check "the log is where it was" test -f "$T/desk/log"
check "nothing was quarantined" [ "$(ls "$T/desk/quarantine" | wc -l)" = 0 ]
expect "DESK/intake itself is fine" 0 desk open "$T/desk" "$T/desk/intake"

if [ "$SHIMS" = 1 ]; then
# --- One process at a time (1) -------------------------------------------
walkin "$T/desk/intake/w1"
LD_PRELOAD="$SHIM" FERRY_FAULT="rename:1:pause:$T/go" "$DESK" open "$T/desk" --passphrase-file "$T/pass" >"$T/first.out" 2>&1 &
first=$!
i=0; while [ ! -e "$T/go.waiting" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
expect "a second open while one runs waits, then exits 2" 2 desk open "$T/desk"
has "naming the process" "the desk is in use by process $first"
touch "$T/go"; wait $first
check "the first open finished" grep -q "1 walk-in" "$T/first.out"
expect "log verifies" 0 desk log "$T/desk" verify
rm -f "$T/go" "$T/go.waiting"
walkin "$T/rl"
LD_PRELOAD="$SHIM" FERRY_FAULT="link:1:pause:$T/go" "$RELAY" accept "$T/spool" "$T/rl" >/dev/null 2>&1 &
first=$!
i=0; while [ ! -e "$T/go.waiting" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
expect "a second relay command on a busy spool exits 2" 2 "$RELAY" forward "$T/spool" --to "$T"
has "naming the process" "the spool is in use by process $first"
touch "$T/go"; wait $first
expect "the first accept finished" 0 "$RELAY" status "$T/spool"
has "with the bundle waiting" "waiting: 1"
rm -rf "$T/spool/new"/* "$T/go" "$T/go.waiting"

# --- A full disk leaves testimony in intake, and a rerun finishes (2, 3) -
ok_all=1
for n in 1 2 3 4 5 6 7 8; do
	seal_form "$FORM1" "$T/desk/intake/t$n" 2>/dev/null || seal_form "$FORM2" "$T/desk/intake/t$n"
	before=$(cases)
	LD_PRELOAD="$SHIM" FERRY_FAULT="write:$n+:ENOSPC" desk open "$T/desk" >"$T/full.out" 2>&1
	rc=$?
	if grep -q "corrupt" "$T/full.out" || ! only_duplicates "$T/desk"; then ok_all=0; echo "# write $n: quarantined"; fi
	if [ $rc -ne 0 ] && [ ! -e "$T/desk/intake/t$n" ] && [ "$(cases)" = "$before" ]; then ok_all=0; echo "# write $n: bundle gone"; fi
	desk open "$T/desk" >/dev/null 2>&1 || { ok_all=0; echo "# write $n: rerun failed"; }
	desk log "$T/desk" verify >/dev/null 2>&1 || { ok_all=0; echo "# write $n: log does not verify"; }
	[ ! -e "$T/desk/intake/t$n" ] || { ok_all=0; echo "# write $n: still in intake"; }
	[ "$(ls "$T/desk/tmp" | wc -l)" = 0 ] || { ok_all=0; echo "# write $n: DESK/tmp not empty"; }
done
check "ENOSPC at each of the first writes of an open: never corrupt, nothing lost, a rerun finishes, log verifies" test $ok_all = 1

# --- A full disk while sealing: the contact is told that, nothing is left -
# FERRY_FAULT_PATH counts only the writes of the bundle being written: its
# prefix (1), its first chunk (2) and its relay tag (the last).
mkdir "$T/sealout"
nw=$(strace -f -y -e trace=write -o "$T/seal.strace" "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/sealout/count" -q "$P" "$P" "$P" 2>/dev/null && grep -c "write([0-9]*<.*/sealout/\.tmp-" "$T/seal.strace")
rm -f "$T/sealout/count"
ok_all=1
for n in 1 2 "$nw"; do
	LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="$T/sealout/" FERRY_FAULT="write:$n+:ENOSPC" \
		"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/sealout/b" -q "$P" "$P" "$P" >"$T/sealfull.out" 2>&1
	rc=$?
	[ $rc = 2 ] || { ok_all=0; echo "# write $n of $nw: exit $rc"; }
	grep -q "cannot write the bundle: No space left on device" "$T/sealfull.out" || { ok_all=0; echo "# write $n of $nw said:"; sed 's/^/#   /' "$T/sealfull.out"; }
	[ -z "$(ls -A "$T/sealout")" ] || { ok_all=0; echo "# write $n of $nw left: $(ls -A "$T/sealout")"; }
done
check "ferry-seal on a full disk (write 1, 2 and the last of $nw): exit 2, says 'No space left on device', leaves nothing" test "$nw" -ge 3 -a $ok_all = 1
expect "with space again, the same command seals" 0 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/sealout/b" -q "$P" "$P" "$P"
rm -rf "$T/sealout"

# --- A vault that cannot be saved says why, and the old one stays --------
c1=$(ls "$T/desk/cases" | head -n 1)
cp "$T/desk/vault" "$T/vault.before"
expect "a full disk as a note saves the vault: exit 2" 2 env LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="$T/desk/.tmp-" FERRY_FAULT="write:1+:ENOSPC" \
	"$DESK" note "$T/desk" "$c1" "called back" --passphrase-file "$T/pass"
has "it says the vault cannot be written, and why" "cannot write the vault: No space left on device"
check "the vault on disk is the one before" cmp -s "$T/vault.before" "$T/desk/vault"
check "no temp file is left in the desk" test -z "$(ls -A "$T/desk" | grep '^\.tmp-')"
expect "the next open replays the note into the vault" 0 desk open "$T/desk"
expect "and the log verifies" 0 desk log "$T/desk" verify

# --- An init that fails takes away what it made, and a retry works -------
ok_all=1
mkdir "$T/empty"
for n in 1 2; do
	for d in "$T/new" "$T/empty"; do
		LD_PRELOAD="$SHIM" FERRY_FAULT="write:$n+:ENOSPC" "$DESK" init "$d" --kdf interactive --passphrase-file "$T/pass" >"$T/init.out" 2>&1
		rc=$?
		[ $rc = 2 ] || { ok_all=0; echo "# write $n, $d: exit $rc"; }
		grep -q "No space left on device" "$T/init.out" || { ok_all=0; echo "# write $n, $d said: $(cat "$T/init.out")"; }
	done
	[ ! -e "$T/new" ] || { ok_all=0; echo "# write $n: left $(ls -A "$T/new")"; }
	[ -d "$T/empty" ] && [ -z "$(ls -A "$T/empty")" ] || { ok_all=0; echo "# write $n: the empty folder is gone or not empty"; }
done
check "init on a full disk (the log's write, the vault's): exit 2, says why, removes what it made and only that" test $ok_all = 1
expect "init again into the same folder works" 0 "$DESK" init "$T/empty" --kdf interactive --passphrase-file "$T/pass"
rm -rf "$T/empty"
expect "init without the memory Argon2id needs: exit 2" 2 prlimit --as=$((160 * 1024 * 1024)) "$DESK" init "$T/new" --kdf moderate --passphrase-file "$T/pass"
has "says so" "cannot derive the vault key: not enough memory"
has "and what to do" "a lower --kdf level needs less memory"
check "and leaves nothing" test ! -e "$T/new"
ok_all=1
for f in write:1+:ENOSPC write:2+:ENOSPC mkdir:3:EIO fsync:1:EIO; do
	LD_PRELOAD="$SHIM" FERRY_FAULT="$f" "$RELAY" init "$T/spool2" --credential "$T/cred" --desk "$FP" >"$T/init.out" 2>&1
	rc=$?
	[ $rc = 2 ] || { ok_all=0; echo "# $f: exit $rc"; }
	[ ! -e "$T/spool2" ] || { ok_all=0; echo "# $f: left $(ls -A "$T/spool2")"; }
done
check "relay init that fails (the credential's write, keep-days', a folder, an fsync): exit 2, leaves no half-made spool" test $ok_all = 1
expect "relay init again works" 0 "$RELAY" init "$T/spool2" --credential "$T/cred" --desk "$FP"
rm -rf "$T/spool2"

# --- An issue that fails after the vault's save keeps none of its files --
ok_all=1
mkdir "$T/iss-there"
for n in 2 3 5; do
	for o in "$T/iss-new" "$T/iss-there"; do
		LD_PRELOAD="$SHIM" FERRY_FAULT="write:$n+:ENOSPC" "$DESK" issue "$T/desk" --forms 3 --label x -o "$o" --passphrase-file "$T/pass" >"$T/issue.out" 2>&1
		rc=$?
		[ $rc = 2 ] || { ok_all=0; echo "# write $n, $o: exit $rc"; }
		grep -q "No space left on device" "$T/issue.out" || { ok_all=0; echo "# write $n: $(cat "$T/issue.out")"; }
		sn=$(sed -n "s/.*retire it with 'ferry-desk retire DESK \([0-9A-Z]*\)'.*/\1/p" "$T/issue.out")
		[ -n "$sn" ] && desk retire "$T/desk" "$sn" >/dev/null 2>&1 || { ok_all=0; echo "# write $n: the hint's retire failed: $(cat "$T/issue.out")"; }
	done
	[ ! -e "$T/iss-new" ] || { ok_all=0; echo "# write $n: left $(ls -A "$T/iss-new")"; }
	[ -z "$(ls -A "$T/iss-there")" ] || { ok_all=0; echo "# write $n: left in the folder that was there: $(ls -A "$T/iss-there")"; }
done
check "issue failing at the pack, the codes or a QR image: exit 2, no file of it left, the folder that was there stays, the hint's retire works" test $ok_all = 1 -a -d "$T/iss-there"
expect "issue again into the same folder works" 0 desk issue "$T/desk" --forms 3 --label x -o "$T/iss-there"
rm -rf "$T/iss-there"

seal_form "$FORM2" "$T/desk/intake/f1" 2>/dev/null || walkin "$T/desk/intake/f1"
expect "a full disk at the first item: exit 2" 2 env LD_PRELOAD="$SHIM" FERRY_FAULT="write:1+:ENOSPC" "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "it says the bundle is left in place" "left in place"
check "the bundle is still in intake" test -e "$T/desk/intake/f1"
expect "a failing fsync of the log: exit 2" 2 env LD_PRELOAD="$SHIM" FERRY_FAULT="fsync:3:EIO" "$DESK" open "$T/desk" --passphrase-file "$T/pass"
expect "then the log still verifies" 0 desk log "$T/desk" verify
expect "and the rerun opens it" 0 desk open "$T/desk"

# --- A torn log append is cut back at once (3) ---------------------------
walkin "$T/desk/intake/torn"
LD_PRELOAD="$SHIM" FERRY_FAULT="write:3:short,write:4+:EIO" desk open "$T/desk" >/dev/null 2>&1
expect "after a short log write the log verifies at once" 0 desk log "$T/desk" verify
expect "and the next open works" 0 desk open "$T/desk"

# --- An intake file replaced while it is read is not deleted (7) ---------
walkin "$T/desk/intake/swap"
walkin "$T/other"
LD_PRELOAD="$SHIM" FERRY_FAULT="rename:1:pause:$T/go2" "$DESK" open "$T/desk" --passphrase-file "$T/pass" >"$T/swap.out" 2>&1 &
pid=$!
i=0; while [ ! -e "$T/go2.waiting" ] && [ $i -lt 500 ]; do sleep 0.02; i=$((i + 1)); done
cp "$T/other" "$T/desk/intake/.x" && mv "$T/desk/intake/.x" "$T/desk/intake/swap"
touch "$T/go2"; wait $pid
check "the file renamed over the bundle is still there" cmp "$T/other" "$T/desk/intake/swap"
expect "and the next open takes it" 0 desk open "$T/desk"
has "as a walk-in of its own" "1 walk-in"

# --- The relay's temporaries, and a forward resumed where it went (11) ---
walkin "$T/r1"
waiting0=$(ls "$T/spool/new" | wc -l)
expect "an accept whose every fsync fails exits 2" 2 env LD_PRELOAD="$SHIM" FERRY_FAULT="fsync:1+:EIO" "$RELAY" accept "$T/spool" "$T/r1"
check "and leaves no partial copy in tmp/" [ "$(ls -A "$T/spool/tmp" | wc -l)" = 0 ]
check "and stores nothing" [ "$(ls "$T/spool/new" | wc -l)" = "$waiting0" ]
expect "the same bundle is accepted afterwards" 0 "$RELAY" accept "$T/spool" "$T/r1"
mkdir -p "$T/to1" "$T/to2"
LD_PRELOAD="$SHIM" FERRY_FAULT="unlink:1:EIO" "$RELAY" forward "$T/spool" --to "$T/to1" --min-batch 1 --batch-size 1 >/dev/null 2>&1
expect "a forward rerun to another folder" 0 "$RELAY" forward "$T/spool" --to "$T/to2" --min-batch 1 --batch-size 1
check "finishes the interrupted delivery where it went" [ "$(ls "$T/to1" | wc -l)" = 1 ]
check "and sends nothing twice" [ "$(ls "$T/to2" | wc -l)" = 0 ]
fi

# --- kill -9 before system calls of open, accept and forward (8, 11) ------
# CI samples every 3rd point; FERRY_FULL_SWEEP=1 takes every one.
STEP=3
[ -n "${FERRY_FULL_SWEEP:-}" ] && STEP=1
SYS=openat,write,fsync,close,rename,renameat2,link,unlink,mkdir,ftruncate
sweep() { # NAME TEMPLATE_DIR COMMAND... : kill at each point, rerun, check
	name=$1 tpl=$2
	shift 2
	rm -rf "$T/k" && cp -a "$tpl" "$T/k"
	kill_points "$T/points" "$SYS" "$@"
	total=0 bad=0 i=0
	while IFS=: read -r sc k; do
		i=$((i + 1))
		[ $((i % STEP)) = 0 ] || continue
		total=$((total + 1))
		rm -rf "$T/k" "$T/kto" && cp -a "$tpl" "$T/k" # kto: forward's --to
		strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k "$@" >/dev/null 2>&1
		"$@" >/dev/null 2>&1
		check_state "$sc#$k" || bad=$((bad + 1))
	done <"$T/points"
	check "kill -9 at $total of the $(wc -l <"$T/points") system calls of $name: nothing lost, doubled or left behind" test $bad -eq 0 -a $total -gt 3
}
# The desk: two testimonies and a walk-in in intake.
rm -rf "$T/d0" && cp -a "$T/desk" "$T/d0"
rm -f "$T"/d0/intake/*
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/d0/intake/a" -q "$P" 2>/dev/null
seal_form "$(grep -v '^#' "$CODES" | sed -n 3p | cut -d' ' -f1)" "$T/d0/intake/b"
walkin "$T/d0/intake/c"
cases0=$(ls "$T/d0/cases" | wc -l)
check_state() {
	"$DESK" log "$T/k" verify --passphrase-file "$T/pass" >/dev/null 2>&1 || { echo "# $1: log"; return 1; }
	[ "$(ls "$T/k/intake" | wc -l)" = 0 ] || { echo "# $1: intake not empty"; return 1; }
	only_duplicates "$T/k" || { echo "# $1: quarantined"; return 1; }
	[ "$(ls "$T/k/cases" | wc -l)" = $((cases0 + 3)) ] || { echo "# $1: $(ls "$T/k/cases" | wc -l) cases"; return 1; }
	[ "$(ls -A "$T/k/tmp" | wc -l)" = 0 ] || { echo "# $1: tmp"; return 1; }
	! ls -A "$T/k" "$T/k/quarantine" | grep -q '^\.tmp-' || { echo "# $1: temp files"; return 1; }
}
sweep "ferry-desk open" "$T/d0" "$DESK" open "$T/k" --passphrase-file "$T/pass"
# The relay: accept two bundles, forward them.
rm -rf "$T/s0" && cp -a "$T/spool" "$T/s0" && rm -f "$T"/s0/new/* "$T"/s0/sending/*
walkin "$T/ra"
walkin "$T/rb"
check_state() {
	"$RELAY" status "$T/k" >/dev/null 2>&1 || return 1
	[ "$(ls "$T/k/new" | wc -l)" = 2 ] || { echo "# $1: $(ls "$T/k/new" | wc -l) waiting"; return 1; }
	[ "$(ls -A "$T/k/tmp" | wc -l)" = 0 ] || { echo "# $1: tmp"; return 1; }
}
sweep "ferry-relay accept" "$T/s0" sh -c "'$RELAY' accept '$T/k' '$T/ra' '$T/rb'; true"
rm -rf "$T/s1" && cp -a "$T/s0" "$T/s1" && "$RELAY" accept "$T/s1" "$T/ra" "$T/rb" >/dev/null
# Delivered names are random: each point starts with an empty --to.
check_state() {
	n=$(ls "$T/kto" | wc -l) bad_state=0
	[ "$n" = 2 ] || { echo "# $1: $n delivered"; bad_state=1; }
	! ls -A "$T/kto" | grep -q '^\.tmp-' || { echo "# $1: temp in --to"; bad_state=1; }
	[ "$(find "$T/k/new" "$T/k/sending" -type f | wc -l)" = 0 ] || { echo "# $1: left in spool"; bad_state=1; }
	rm -rf "$T/kto"
	return $bad_state
}
sweep "ferry-relay forward" "$T/s1" sh -c "mkdir -p '$T/kto'; '$RELAY' forward '$T/k' --to '$T/kto' --min-batch 1 --batch-size 1"
rm -rf "$T/kto"

# --- Limits the format allows, and no more (5, 6) ------------------------
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/big" 1000 max
expect "a bundle with 1000 items and 4000-byte reports opens" 0 desk open "$T/desk"
has "as one walk-in" "1 walk-in"
expect "and its log entry (about 4 MB) verifies" 0 desk log "$T/desk" verify
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/inflate" 0 x 4
expect "answers that inflate past 16 MiB in all" 0 desk open "$T/desk"
has "are refused as corrupt" "larger than 16 MiB in all"
check "nothing of it was kept" sh -c "! grep -rq 'answers-5' '$T/desk/cases'"

# --- Text from bundles (9) -----------------------------------------------
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/badans" 0 x 1 bad
expect "answers that are not UTF-8" 0 desk open "$T/desk"
has "are quarantined, saying so" "badans: corrupt: its answers are not UTF-8 text"
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/korean" 1 "위치 정보"
expect "a report in Korean" 0 desk open "$T/desk"
check "is kept as UTF-8 in the manifest" sh -c "grep -rq '위치 정보' '$T'/desk/cases/walkin-*/manifest.txt"
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/badutf" 1 "$(printf 'bad \377 text')"
expect "a report that is not UTF-8" 0 desk open "$T/desk"
has "is quarantined, saying so" "a page's removal report is not UTF-8 text"
"$ADV" seal-items --word-file "$WORD" "$PACK" "$T/desk/intake/ctl" 1 "$(printf 'clear\033[2Jscreen')"
expect "a report with a control character" 0 desk open "$T/desk"
has "is quarantined too, as control characters (not as 'not UTF-8')" "a page's removal report holds control characters"
# A header the pack's key opens but that breaks the format's rules: the
# sealer's fault, so corrupt, not "not-ours".
walkin "$T/rehead.bundle"
check "a bundle re-sealed with a reserved header byte set (adversary rehead)" \
	"$ADV" rehead "$T/desk/vault" "$T/pass" "$T/rehead.bundle"
cp "$T/rehead.bundle" "$T/desk/intake/rehead"
expect "a header that breaks the rules" 0 desk open "$T/desk"
has "is quarantined as corrupt, naming the pack whose key opened it" "rehead: corrupt: sealed to pack $(basename "$PACK" .ferrypack | sed 's/^pack-//') of this desk (that key opens its header), but its header breaks the format's rules"
check "its reason file says outcome corrupt, not not-ours" sh -c "grep -l \"breaks the format's rules\" '$T'/desk/quarantine/*.reason | xargs grep -q '^outcome: corrupt'"
walkin "$T/desk/intake/$(printf 'evil\033[31mred')"
script -qec "'$DESK' open '$T/desk' --passphrase-file '$T/pass'" /dev/null >"$T/tty.out" 2>&1
check "a file name with an escape reaches the terminal escaped" grep -q 'evil\\x1b\[31mred' "$T/tty.out"
check "and never raw" sh -c "! grep -q \"\$(printf 'evil\033')\" '$T/tty.out'"
# The same names with the output to a file: a log read on a terminal later.
walkin "$T/desk/intake/$(printf 'evil\033]0;title\007bell')"
walkin "$T/desk/intake/$(printf 'photo\342\200\256gpj.exe')"
printf 'not a bundle' >"$T/desk/intake/$(printf 'junk\033[1mbold')"
desk open "$T/desk" >"$T/file.out" 2>&1
check "to a file, an escape sequence is escaped too" grep -q 'evil\\x1b]0;title\\x07bell' "$T/file.out"
check "a bidi override is shown by its code" grep -q 'photo\\u202egpj.exe' "$T/file.out"
check "and no raw escape or override reaches the file" sh -c "! grep -q -e \"\$(printf '\033')\" -e \"\$(printf '\342\200\256')\" '$T/file.out'"
check "a quarantined file's reason names it escaped" grep -q 'from: junk\\x1b\[1mbold' "$T"/desk/quarantine/*.reason
check "the quarantine's reason files have no raw escape either" sh -c "! cat '$T'/desk/quarantine/*.reason | grep -q \"\$(printf '\033')\""

# --- Intake hygiene: dot names and hard links ----------------------------
walkin "$T/desk/intake/.hidden-bundle"
expect "a dot-named bundle in intake" 0 desk open "$T/desk"
has "is opened like any other" "opened       .hidden-bundle: walk-in"
has "and counted" "^1 bundle: 0 testimony, 1 walk-in"
check "and is gone from intake" test ! -e "$T/desk/intake/.hidden-bundle"
cp "$T/desk/vault" "$T/vault.before"
ln "$T/desk/vault" "$T/desk/intake/vault-link"
expect "a hard link to the vault in intake: exit 2" 2 desk open "$T/desk"
has "is refused by name" "NOT OPENED   vault-link: it has 2 hard links"
has "with what to do" "copy the bundle into intake instead of linking it"
check "and left untouched" test -e "$T/desk/intake/vault-link"
check "the vault keeps its content" cmp "$T/desk/vault" "$T/vault.before"
check "and its link count (nothing moved or removed)" [ "$(stat -c %h "$T/desk/vault")" = 2 ]
rm -f "$T/desk/intake/vault-link"

# --- FIFOs never hang (10) ------------------------------------------------
mkfifo "$T/fifo.jpg" "$T/fifo.pack" "$T/fifo.txt" "$T/desk/intake/fifo"
expect "a FIFO as a page: refused at once (exit 2)" 2 timeout 10 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/x.b" "$T/fifo.jpg"
has "as not a regular file" "not a regular file"
expect "a FIFO as --pack" 2 timeout 10 "$SEAL" --pack "$T/fifo.pack" --walk-in --desk "$FP" -o "$T/x.b" "$P"
expect "a FIFO as --answers" 2 timeout 10 "$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/fifo.txt" -o "$T/x.b"
expect "a FIFO to ferry-relay accept" 2 timeout 10 "$RELAY" accept "$T/spool" "$T/fifo.txt"
expect "a FIFO in the desk's intake is left alone" 2 timeout 10 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "with a reason" "fifo: not a regular file"
rm -f "$T/desk/intake/fifo"

# --- ferry-seal cleans what a killed run left (11) -----------------------
mkdir -p "$T/outbox"
strace -f -qq -o /dev/null -e trace=write -e inject=write:signal=KILL:when=3 \
	"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/outbox/" -q -j 1 >/dev/null 2>&1
check "a killed seal leaves a partial bundle" sh -c "ls -A '$T/outbox' | grep -q '^\.tmp-'"
walkin "$T/outbox/"
check "the next run removes it" sh -c "! ls -A '$T/outbox' | grep -q '^\.tmp-'"
check "and leaves its own bundle" [ "$(ls "$T/outbox" | wc -l)" = 1 ]

# --- A locked-memory limit too low for the secrets is said (12) ---------
# The other user runs a copy of ferry-seal in a folder it can enter: the
# checkout may be closed to it (a clone under /root is 0700).
if ! command -v setpriv >/dev/null 2>&1; then
	skip "as a user with ulimit -l 64" "setpriv (util-linux) is not installed"
	skip "ferry warns that secrets may not be locked" "setpriv is not installed"
elif [ "$(id -u)" != 0 ]; then
	skip "as a user with ulimit -l 64" "only root can run it as another user"
	skip "ferry warns that secrets may not be locked" "needs root"
elif ! reachable_copy "$SEAL"; then
	skip "as a user with ulimit -l 64" "no temporary folder here lets uid 65534 run a program"
	skip "ferry warns that secrets may not be locked" "no folder for uid 65534"
else
	expect "as a user with ulimit -l 64" 2 setpriv --reuid=65534 --regid=65534 --clear-groups \
		sh -c "ulimit -l 64; exec \"\$0\" --check /nonexistent" "$REACHABLE"
	has "ferry warns that secrets may not be locked" "secret memory may not be locked"
fi

# --- Pages (13, 14, 15) ---------------------------------------------------
python3 - "$P" "$T/stray.jpg" <<'EOF'
import sys
b = open(sys.argv[1], "rb").read()
# After SOI and the first segment: two stray bytes, as an XMP packet's "?>".
n = 4 + (b[4] << 8 | b[5])
open(sys.argv[2], "wb").write(b[:n] + b"?>" + b[n:])
EOF
expect "a JPEG with stray bytes between segments is accepted" 0 "$SEAL" --check "$T/stray.jpg"
has "and the report says so" "stray bytes between segments 2 B"
convert-im6 -size 20x10 xc:white "$T/o.png"
exiftool -q -q -overwrite_original -Orientation#=6 -GPSLatitude=1 -GPSLatitudeRef=N "$T/o.png" 2>/dev/null
expect "a PNG with eXIf" 0 "$SEAL" --check "$T/o.png"
has "shows the kinds inside" "eXIf: GPS position"
has "and keeps the orientation" "orientation kept as a manifest field"
printf 'II+\000\010\000\000\000junkjunkjunk' >"$T/big.tif"
printf 'IIU\000\010\000\000\000junkjunkjunk' >"$T/cam.rw2"
printf '\000\000\000\030ftypavif\000\000\000\000' >"$T/a.avif"
expect "BigTIFF" 2 "$SEAL" --check "$T/big.tif"
has "is named" "this is a BigTIFF"
expect "Panasonic RW2" 2 "$SEAL" --check "$T/cam.rw2"
has "is named" "this is a Panasonic RW2 camera raw"
expect "AVIF" 2 "$SEAL" --check "$T/a.avif"
has "with the right article" "this is an AVIF"
