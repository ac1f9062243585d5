#!/bin/sh
# A disk that fails to read is not a bundle or a log that lies. Reads fail
# (EIO, from tests/faultinj with FERRY_FAULT_PATH naming the file) and the
# programs say they cannot read, exit 2 and change nothing: a log whose
# entries past the vault's head cannot be read is not cut off as a torn
# tail, a bundle that cannot be read is left in intake (not quarantined
# as corrupt), and a relay that cannot read a bundle does not refuse it
# as altered. Each then goes through once the disk reads again.
. tests/e2e/lib.sh
if [ "${FERRY_SUITE:-plain}" != plain ]; then
	skip "read faults" "the fault shim needs the plain build (ASan's runtime must come first)"
	exit 0
fi
make_desk
make_pages
d() { "$DESK" "$@" --passphrase-file "$T/pass"; }

# --- the log ----------------------------------------------------------------
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/desk/intake/a" -q "$P"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/desk/intake/b" -q "$P"
cp "$T/desk/vault" "$T/vault.before"
d open "$T/desk" >/dev/null
# As after a crash between the log's append and the vault's save: two
# entries past the vault's head, which the next run replays.
cp "$T/vault.before" "$T/desk/vault"
size=$(stat -c %s "$T/desk/log")
expect "the log cannot be read past the vault's head: exit 2" 2 \
	env LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="$T/desk/log" FERRY_FAULT="read:3+:EIO" "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "it says it cannot read the log" "cannot read the log"
check "the log is not cut off as a torn tail" [ "$(stat -c %s "$T/desk/log")" = "$size" ]
expect "with the disk reading again, open replays the entries" 0 d open "$T/desk"
expect "and both cases are there" 0 d cases "$T/desk"
has "the second among them" "$FORM2"
expect "and the log verifies" 0 d log "$T/desk" verify

# --- a bundle in intake -----------------------------------------------------
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/desk/intake/c" -q "$P"
expect "a bundle that cannot be read: exit 2" 2 \
	env LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="$T/desk/intake/c" FERRY_FAULT="read:2+:EIO" "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "it says it cannot read it" "cannot read"
check "it is left in intake" test -f "$T/desk/intake/c"
check "not quarantined as corrupt" sh -c "[ -z \"\$(ls '$T/desk/quarantine')\" ]"
expect "with the disk reading again, it opens" 0 d open "$T/desk"
has "as the form's second answer" "$FORM1.2"

# --- a bundle at a relay ------------------------------------------------------
CRED="$T/relay.credential"
d relay-credential "$T/desk" -o "$CRED" >/dev/null
"$RELAY" init "$T/spool" --credential "$CRED" --desk "$FP" >/dev/null
mkdir "$T/in"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/in/x" -q "$P"
cp "$T/in/x" "$T/x.again"
expect "a relay that cannot read a bundle: exit 2, not refused as altered (1)" 2 \
	env LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="$T/in/x" FERRY_FAULT="read:2+:EIO" "$RELAY" accept "$T/spool" "$T/in/x"
has "it says it cannot read it" "cannot read it"
check "it is left where it was" test -f "$T/in/x"
expect "with the disk reading again, it is accepted" 0 "$RELAY" accept "$T/spool" "$T/in/x"

# --- the relay's memory of bundles seen ---------------------------------------
REC=$(find "$T/spool/memory" -name records | head -1)
check "the relay keeps a memory of bundles seen" test -n "$REC"
cp "$REC" "$T/records.before"
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/in/y" -q
expect "a memory that cannot be read: exit 2, not an empty memory" 2 \
	env LD_PRELOAD="$SHIM" FERRY_FAULT_PATH="records" FERRY_FAULT="read:1+:EIO" "$RELAY" accept "$T/spool" "$T/in/y"
has "it says so" "cannot read the spool's memory of bundles seen"
check "the memory is left as it was" cmp "$REC" "$T/records.before"
check "and the bundle where it was" test -f "$T/in/y"
expect "a bundle already seen is still refused once the memory reads again" 1 "$RELAY" accept "$T/spool" "$T/x.again"

# --- a damaged key for the period's memory -----------------------------------
# The memory's records are keyed per period: a key file cut short is named
# as damaged (not "File exists" from making a new one), with what to do.
KEYF=$(dirname "$REC")/key
cp "$KEYF" "$T/key.before"
head -c 7 "$T/key.before" >"$KEYF"
expect "a damaged period key: exit 2" 2 "$RELAY" accept "$T/spool" "$T/in/y"
has "it is named as damaged" "the spool's key for this period in '.*/memory/[0-9]*' is damaged"
has "with what to do" "remove that period's folder to start its memory afresh"
check "the bundle stays where it was" test -f "$T/in/y"
check "the key is left as it was found" test "$(wc -c <"$KEYF")" -eq 7
cp "$T/key.before" "$KEYF"
expect "with the key back, the bundle is accepted" 0 "$RELAY" accept "$T/spool" "$T/in/y"
