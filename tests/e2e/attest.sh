#!/bin/sh
# Log attestations with the real programs: a statement verifies against
# the log it was made of and every extension of it, and fails against a
# log cut below it or rewritten before it, a statement altered, cut, or
# signed by another desk.
. tests/e2e/lib.sh
make_desk
printf 'Q1: hours? A: 12\n' >"$T/answers.txt"
walkin() { "$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$1" -q; }
open_desk() { "$DESK" open "$1" --passphrase-file "$T/pass" >/dev/null; }
walkin "$T/desk/intake/a"
walkin "$T/desk/intake/b"
open_desk "$T/desk"
cp -a "$T/desk" "$T/before" # two entries
walkin "$T/desk/intake/c"
open_desk "$T/desk"

expect "attest needs -o" 2 "$DESK" log "$T/desk" attest --passphrase-file "$T/pass"
expect "attest writes a statement" 0 "$DESK" log "$T/desk" attest -o "$T/st" --passphrase-file "$T/pass"
has "and says of how many entries" "the log had 3 entries"
check "the statement names the desk, the count and the head" sh -c "grep -qx 'desk: $FP' '$T/st' && grep -qx 'entries: 3' '$T/st' && grep -q '^head: [0-9a-f]\{64\}\$' '$T/st'"
check "it holds nothing about any case" sh -c "! grep -qi -e walk -e form -e case '$T/st'"
expect "attest does not replace a file" 2 "$DESK" log "$T/desk" attest -o "$T/st" --passphrase-file "$T/pass"
expect "a wrong passphrase attests nothing" 1 sh -c "printf 'wrong pass\n' >'$T/bad'; '$DESK' log '$T/desk' attest -o '$T/st2' --passphrase-file '$T/bad'"
check "and writes no file" [ ! -e "$T/st2" ]

expect "the log verifies against its statement" 0 "$DESK" log "$T/desk" verify --attestation "$T/st" --passphrase-file "$T/pass"
has "and says it extends it" "the 3 entries attested at .* are unchanged, 0 added since"
walkin "$T/desk/intake/d"
open_desk "$T/desk"
expect "an extended log verifies against it" 0 "$DESK" log "$T/desk" verify --attestation "$T/st" --passphrase-file "$T/pass"
has "one added since" "1 added since"

# A log cut back below the statement (the desk restored from before it).
expect "a log cut below the statement fails" 1 "$DESK" log "$T/before" verify --attestation "$T/st" --passphrase-file "$T/pass"
has "and says it was cut" "fewer than the 3 attested"
# A log rewritten before the statement: the old desk, continued with
# another bundle, has three entries too, under another head.
walkin "$T/before/intake/x"
open_desk "$T/before"
expect "plain verify passes on the rewritten desk (it is consistent)" 0 "$DESK" log "$T/before" verify --passphrase-file "$T/pass"
expect "but a log rewritten before the statement fails against it" 1 "$DESK" log "$T/before" verify --attestation "$T/st" --passphrase-file "$T/pass"
has "and says so" "does not extend the attested one"

# Statements that are not this desk's, or not as signed.
"$DESK" init "$T/other" --kdf interactive --passphrase-file "$T/pass" >/dev/null
"$DESK" log "$T/other" attest -o "$T/ost" --passphrase-file "$T/pass" >/dev/null
expect "another desk's statement fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/ost" --passphrase-file "$T/pass"
has "and says whose it is" "made by another desk"
OFP=$("$DESK" fingerprint "$T/other" --passphrase-file "$T/pass")
sed "s/$OFP/$FP/" "$T/ost" >"$T/forged"
expect "another desk's statement relabelled as this desk's fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/forged" --passphrase-file "$T/pass"
has "on its signature" "signature does not verify"
sed 's/^entries: 3$/entries: 2/' "$T/st" >"$T/altered"
expect "an altered count fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/altered" --passphrase-file "$T/pass"
head -c 100 "$T/st" >"$T/cut"
expect "a cut statement fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/cut" --passphrase-file "$T/pass"
has "as not a statement" "not a valid log attestation"
head -c 300 /dev/urandom >"$T/junk"
expect "junk fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/junk" --passphrase-file "$T/pass"
head -c 5000 /dev/urandom >"$T/big"
expect "a file far larger than a statement is refused unread" 2 "$DESK" log "$T/desk" verify --attestation "$T/big" --passphrase-file "$T/pass"
has "as too large" "too large"
mkfifo "$T/fifo"
expect "a FIFO is refused, not waited on" 2 "$DESK" log "$T/desk" verify --attestation "$T/fifo" --passphrase-file "$T/pass"
expect "a missing statement is an operational error" 2 "$DESK" log "$T/desk" verify --attestation "$T/nope" --passphrase-file "$T/pass"
