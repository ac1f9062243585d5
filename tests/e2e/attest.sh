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

# --- Anchored outside the desk: minisign, and a chain of statements ------
need minisign python3
K=$("$DESK" fingerprint "$T/desk" --minisign --passphrase-file "$T/pass")
check "fingerprint --minisign prints the key minisign -P takes" sh -c "printf '%s' '$K' | grep -Eq '^RW[A-Za-z0-9+/]{54}\$'"
check "attest wrote a minisign signature beside the statement" test -f "$T/st.minisig"
check "the statement names (certifies) that key" grep -qx "minisign-key: $K" "$T/st"
expect "Debian's minisign verifies the statement with that key" 0 minisign -V -P "$K" -m "$T/st"
has "and shows what was signed" "Trusted comment: ferry log attestation: 3 entries"
sed 's/^entries: 3$/entries: 4/' "$T/st" >"$T/st1"
cp "$T/st.minisig" "$T/st1.minisig"
expect "minisign refuses the statement with one byte changed" 1 minisign -V -P "$K" -m "$T/st1"
expect "and another desk's key" 1 minisign -V -P "$("$DESK" fingerprint "$T/other" --minisign --passphrase-file "$T/pass")" -m "$T/st"
# No ferry signature verifies under the minisign key: the pack's
# signature, as a minisign signature of exactly what it signed.
python3 - "$PACK" "$K" "$T/packmsg" <<'PY'
import base64, sys
pack, key, out = open(sys.argv[1], "rb").read(), base64.b64decode(sys.argv[2]), sys.argv[3]
open(out, "wb").write(b"ferry-v1 pack\0" + pack[:-64])
blob = b"ED" + key[2:10] + pack[-64:]
open(out + ".minisig", "w").write("untrusted comment: x\n%s\ntrusted comment: x\n%s\n" % (
    base64.b64encode(blob).decode(), base64.b64encode(bytes(64)).decode()))
PY
expect "the pack's identity signature does not verify as a minisign one" 1 minisign -V -P "$K" -m "$T/packmsg"
has "on the signature itself" "Signature verification failed"
# No minisign signature verifies as a ferry one.
MS=$(python3 -c "import base64,sys; print(base64.b64decode(open(sys.argv[1]).read().split('\n')[1])[10:].hex())" "$T/st.minisig")
sed "s/^signature: .*/signature: $MS/" "$T/st" >"$T/st-ms"
expect "the statement carrying its minisign signature as its ferry one fails" 1 "$DESK" log "$T/desk" verify --attestation "$T/st-ms" --passphrase-file "$T/pass"
has "on its signature" "signature does not verify"

# A chain: each statement names the SHA-256 of the one before it.
check "the first statement is the first" grep -qx 'previous: none' "$T/st"
cp "$T/desk/vault" "$T/vault.b" # a backup, taken between two statements
cp "$T/desk/log" "$T/log.b"
walkin "$T/desk/intake/e"
open_desk "$T/desk"
expect "a second statement" 0 "$DESK" log "$T/desk" attest -o "$T/st2" --passphrase-file "$T/pass"
check "names the first by its SHA-256, as sha256sum prints it" grep -qx "previous: $(sha256sum "$T/st" | cut -d' ' -f1)" "$T/st2"
expect "log chain" 0 "$DESK" log "$T/desk" chain "$T/st" "$T/st2" --passphrase-file "$T/pass"
has "checks the chain" "the 2 statements form one chain"
# A legitimate restore of the vault alone (the log still extends the
# last statement): --previous re-anchors on it.
cp -a "$T/desk" "$T/vaultonly" && cp "$T/vault.b" "$T/vaultonly/vault"
open_desk "$T/vaultonly" # recovery replays the entry the old vault lacks
expect "attest --previous onto a statement the log extends" 0 "$DESK" log "$T/vaultonly" attest -o "$T/st2b" --previous "$T/st2" --passphrase-file "$T/pass"
check "names it" grep -qx "previous: $(sha256sum "$T/st2" | cut -d' ' -f1)" "$T/st2b"
# The desk put back to the backup's vault and log, then used: its next
# statement follows the first again. A fork, and the check says where.
cp "$T/vault.b" "$T/desk/vault"
cp "$T/log.b" "$T/desk/log"
walkin "$T/desk/intake/f"
open_desk "$T/desk"
expect "the restored desk's log verifies on its own" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
expect "and it attests" 0 "$DESK" log "$T/desk" attest -o "$T/st3" --passphrase-file "$T/pass"
check "following the first statement again" grep -qx "previous: $(sha256sum "$T/st" | cut -d' ' -f1)" "$T/st3"
expect "the chain of all three is broken" 1 "$DESK" log "$T/desk" chain "$T/st" "$T/st2" "$T/st3" --passphrase-file "$T/pass"
has "and the check says where" "FORK after $T/st (3 entries)"
expect "it cannot re-anchor onto the statement it lost" 1 "$DESK" log "$T/desk" attest -o "$T/st4" --previous "$T/st2" --passphrase-file "$T/pass"
has "and says what was lost" "does not extend the attested one in the previous statement: its chain after entry 5"
check "and writes nothing" test ! -e "$T/st4" -a ! -e "$T/st4.minisig"
