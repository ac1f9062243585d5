#!/bin/sh
# Pack holders are told from form holders (issue "A seized form cannot
# destroy, hide or impersonate testimony", part 2): the pack word is
# written alone where the issue says; a bundle sealed with it is filed as
# the pack's, one sealed from a form's code alone or with a wrong word is
# marked, a walk-in without it is held until the journalist admits it;
# code-only answers never start, shorten or end a grace period, and past
# the pack's limit they are held, never the pack holder's.
. "$(dirname "$0")/lib.sh"
need stat
NOW=$(date +%s)
make_desk
make_pages
d() { "$DESK" "$@" --passphrase-file "$T/pass"; }
CODE1=$(grep -v '^#' "$CODES" | sed -n 1p | cut -d' ' -f2)
SN=$(basename "$PACK" .ferrypack | sed 's/^pack-//')

# --- Where the word goes, and nowhere else --------------------------------
check "the word is in secret/word-XXXX.txt" test -f "$T/pack/secret/word-$SN.txt"
check "mode 0600" [ "$(stat -c %a "$T/pack/secret/word-$SN.txt")" = 600 ]
check "in a folder of mode 0700" [ "$(stat -c %a "$T/pack/secret")" = 700 ]
check "alone in it" [ "$(ls -A "$T/pack/secret")" = "word-$SN.txt" ]
check "the pack file is 0600 too" [ "$(stat -c %a "$PACK")" = 600 ]
W=$(grep -v '^#' "$WORD")
check "the word looks like ABCD-EFGH-K" sh -c "printf '%s' '$W' | grep -Eq '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$'"
W8=$(printf '%s' "$W" | tr -d '-' | cut -c1-8)
check "no pack file, code, QR text or form carries it" sh -c "! grep -rqi -e '$W8' -e '$(printf '%s' "$W8" | cut -c1-4)-$(printf '%s' "$W8" | cut -c5-8)' '$T/pack/pack-$SN.ferrypack' '$T/pack/codes-$SN.txt' '$T/pack/qr'"
"$DESK" relay-credential "$T/desk" -o "$T/cred" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
check "nor the relay credential" sh -c "! grep -qi '$W8' '$T/cred'"
# Nor, as raw bytes, any file a form holder or a relay has, the seal codes
# decoded: nothing they hold lets them make a pack-proven bundle.
check "the word's 40 bits are in no public or relay file, raw or decoded" python3 - "$W8" "$T/pack/pack-$SN.ferrypack" "$T/cred" "$T/pack/codes-$SN.txt" "$T"/pack/qr/*.png <<'PY'
import sys
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
def b32(t):
    n = 0
    for c in t:
        n = n * 32 + A.index(c)
    bits = 5 * len(t)
    return (n >> (bits % 8)).to_bytes(bits // 8, "big")
word = b32(sys.argv[1])
blobs = [open(f, "rb").read() for f in sys.argv[2:]]
for line in open(sys.argv[4]):
    for f in line.split():
        # a seal code (version 2: 346 base32 characters; version 1
        # after "FERRY1:"), decoded
        if f.startswith("FERRY1:"):
            blobs.append(b32(f[7:][: len(f[7:]) // 8 * 8]))
        elif len(f) == 346 and all(c in A for c in f):
            blobs.append(b32(f[: len(f) // 8 * 8]))
if len(blobs) == len(sys.argv) - 2:
    sys.exit("no seal code found in the codes file: the check would prove nothing")
sys.exit(1 if any(word in b for b in blobs) else 0)
PY

# --- Walk-ins: with the word opened, without it held, then admitted -------
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/w-pack" -q
expect "a walk-in sealed without the word says what that means" 0 "$SEAL" --pack "$PACK" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/w-code"
has "warning: sealed without the pack word" "holds a walk-in without it in quarantine"
expect "open" 0 d open "$T/desk"
has "the pack's walk-in opens" "opened       w-pack: walk-in"
has "the code-only walk-in is held" "held         w-code: walk-in without the pack word: anyone who saw a form could have made it"
has "with the command that opens it" "to open it: ferry-desk admit DESK"
has "and the totals count it as quarantined" "^2 bundles: 0 testimony, 1 walk-in, 0 chaff, 1 quarantined, 0 left in place"
Q=$(ls "$T/desk/quarantine" | grep '\.bundle$' | head -1)
check "kept intact in quarantine, with outcome held" grep -q '^outcome: held' "$T/desk/quarantine/${Q%.bundle}.reason"
expect "admit opens it on the journalist's decision" 0 d admit "$T/desk" "$Q"
has "filed as a walk-in" "opened       $Q: walk-in"
has "with its mark" "sealed with the form's code alone"
check "the quarantine is empty again" [ -z "$(ls -A "$T/desk/quarantine")" ]
expect "cases" 0 d cases "$T/desk"
has "shows the mark" "CODE-ONLY ADMITTED"
expect "admit refuses what was not held" 2 d admit "$T/desk" nosuchname
printf 'junk' >"$T/desk/intake/junk"
d open "$T/desk" >/dev/null
QJ=$(ls "$T/desk/quarantine" | grep '\.bundle$' | head -1)
expect "nor a corrupt file" 2 d admit "$T/desk" "$QJ"
has "saying why" "was not held for your decision"
rm -f "$T"/desk/quarantine/*

# --- Testimony: pack-proven, code-only, wrong word ------------------------
"$SEAL" --code "$CODE1" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/t1-code" -q 2>/dev/null
expect "a testimony from the form's code alone" 0 d open "$T/desk"
has "is opened" "opened       t1-code: testimony for form $FORM1"
has "with a loud warning" "WARNING: sealed with the form's code alone"
check "its manifest says sealed-with: code" grep -q '^sealed-with: code' "$T/desk/cases/$FORM1/manifest.txt"
expect "log show" 0 d log "$T/desk" show
has "the log entry says so too" "sealed-with: code"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "the form stays open: no grace period starts" "form $FORM1 open answers=1 opk-secret=present"
expect "a word with a bad check character is refused before sealing" 2 "$SEAL" --code "$CODE1" --desk "$FP" --word "ABCD-EFGH-0" -o "$T/x" "$P"
has "as a probable typo" "a typo?"
check "and nothing is written" test ! -e "$T/x"
# A real word of another pack (with a valid check) on this pack's form.
"$DESK" issue "$T/desk" --forms 1 --label "other pack" -o "$T/packB" --passphrase-file "$T/pass" >/dev/null
WB=$(ls "$T"/packB/secret/word-*.txt)
"$SEAL" --code "$CODE1" --desk "$FP" --word-file "$WB" --answers "$T/answers.txt" -o "$T/desk/intake/t2-wrong" -q
expect "pack B's word on a bundle sealed from pack A's seal code" 0 d open "$T/desk"
has "is filed with a WRONG PACK WORD warning" "WARNING: sealed with a WRONG PACK WORD (1 so far for this pack)"
check "marked wrong-word" grep -q '^sealed-with: wrong-word' "$T/desk/cases/$FORM1.2/manifest.txt"
expect "packs" 0 d packs "$T/desk"
has "counts it for the pack" "1 bundle with a WRONG pack word"
"$SEAL" --code "$CODE1" --desk "$FP" --word-file "$WORD" --answers "$T/answers.txt" -o "$T/desk/intake/t3-pack" -q
expect "the form's own pack word with its seal code" 0 d open "$T/desk"
has "is the pack's answer" "opened       t3-pack: testimony for form $FORM1"
check "marked sealed-with: pack" grep -q '^sealed-with: pack' "$T/desk/cases/$FORM1.3/manifest.txt"
has "and the desk says the form is answered again" "WARNING: form $FORM1 is answered for the 3rd time"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "its grace period starts now" "form $FORM1 grace answers=3 opk-secret=present"
expect "cases" 0 d cases "$T/desk"
has "lists the code-only one" "$FORM1 .*CODE-ONLY"
has "and the wrong-word one" "$FORM1.2 .*WRONG-WORD"
expect "report" 0 d report "$T/desk" -o "$T/rep" --same-disk
check "the report marks the code-only case" grep -q "Sealed with the form's code alone" "$T/rep/case-$FORM1.html"
check "and the wrong-word case" grep -q "Sealed with a wrong pack word" "$T/rep/case-$FORM1.2.html"

# --- Grace under the test clock: code-only before, during, after ---------
# Form 2: code-only answers on day 0 and day 5 start nothing; the pack's
# answer on day 10 starts the 14 days; a code-only answer on day 20 still
# opens (and burns nothing); on day 25 the key goes, and a pack-proven
# bundle after that is quarantined as answered.
CODE2=$(grep -v '^#' "$CODES" | sed -n 2p | cut -d' ' -f2)
at() { env FERRY_TEST_NOW=$((NOW + $1 * DAY)) "$DCLK" open "$T/desk" --passphrase-file "$T/pass"; }
"$SEAL" --code "$CODE2" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/g0" -q 2>/dev/null
expect "day 0: a code-only answer" 0 at 0
"$SEAL" --code "$CODE2" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/g5" -q 2>/dev/null
expect "day 5: another" 0 at 5
has "opened" "opened       g5: testimony for form $FORM2"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "still open after two code-only answers" "form $FORM2 open answers=2 opk-secret=present"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/g10" -q
expect "day 10: the pack's own answer" 0 at 10
has "is opened, never burnt by the earlier ones" "opened       g10: testimony for form $FORM2"
"$SEAL" --code "$CODE2" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/g20" -q 2>/dev/null
expect "day 20: a code-only answer inside the grace period" 0 at 20
has "opens too" "opened       g20: testimony for form $FORM2"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "the grace period runs from the pack's answer, not the code-only ones" "form $FORM2 grace answers=4 opk-secret=present"
expect "day 25: the grace period of the pack's answer is over" 0 at 25
has "the key is destroyed" "destroyed    1 one-time key"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/g26" -q
expect "day 26: even a pack-proven bundle" 0 at 26
has "is quarantined as answered" "g26: answered: form $FORM2 was already answered"

# --- Too many code-only answers are held; the pack's never ----------------
"$DESK" issue "$T/desk" --forms 1 --label "small limit" --code-answers 2 -o "$T/packC" --passphrase-file "$T/pass" >/dev/null
CC=$(grep -v '^#' "$T"/packC/codes-*.txt | sed -n 1p | cut -d' ' -f2)
FC=$(grep -v '^#' "$T"/packC/codes-*.txt | sed -n 1p | cut -d' ' -f1)
for i in 1 2 3 4; do
	"$SEAL" --code "$CC" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/c$i" -q 2>/dev/null
done
"$SEAL" --code "$CC" --desk "$FP" --word-file "$T"/packC/secret/word-*.txt --answers "$T/answers.txt" -o "$T/desk/intake/c5-pack" -q
expect "four code-only answers and the pack's to a form with a limit of 2" 0 d open "$T/desk"
has "two open" "^5 bundles: 3 testimony, 0 walk-in, 0 chaff, 2 quarantined, 0 left in place"
has "the rest are held as answered too often" "held         c3: answered too often: form $FC already has 2 answers sealed without the pack word"
has "and the pack's own is opened" "opened       c5-pack: testimony for form $FC"
QC=$(grep -l "^from: c4" "$T"/desk/quarantine/*.reason)
expect "admit opens a held one" 0 d admit "$T/desk" "$(basename "$QC" .reason)"
has "with its mark" "sealed with the form's code alone"
expect "the log verifies" 0 d log "$T/desk" verify

# --- The same pages twice are said; different pages are not (part 3) ----
FORM3=$(grep -v '^#' "$CODES" | sed -n 3p | cut -d' ' -f1)
s3() { "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM3" --desk "$FP" -o "$T/desk/intake/$1" -q "$2"; }
s3 s1 "$P"
s3 s2 "$T/page2.png"
s3 s3 "$P"
expect "three answers to form 3, the third with the first one's page" 0 d open "$T/desk"
has "the second is another answer" "WARNING: form $FORM3 is answered for the 2nd time"
has "the third carries the same pages as the first" "the same pages as cases/$FORM3: probably sent twice by the contact"
check "only the third says so" [ "$(printf '%s\n' "$OUT" | grep -c 'the same pages as')" = 1 ]
check "its manifest says so" grep -q "^same-pages: cases/$FORM3 " "$T/desk/cases/$FORM3.3/manifest.txt"
check "the second's does not" sh -c "! grep -q '^same-pages' '$T/desk/cases/$FORM3.2/manifest.txt'"
expect "report" 0 d report "$T/desk" -o "$T/rep3" --same-disk
check "the report says it" grep -q "The same pages as <a href=\"case-$FORM3.html\">" "$T/rep3/case-$FORM3.3.html"
check "and links the answers to one form to each other" sh -c "grep -q 'href=\"case-$FORM3.2.html\"' '$T/rep3/case-$FORM3.html' && grep -q 'href=\"case-$FORM3.html\"' '$T/rep3/case-$FORM3.2.html'"
