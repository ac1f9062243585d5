#!/bin/sh
# What a seized form or a seized relay gives an adversary (SECURITY.md):
# no way to recognise the desk's bundles, no way to forge testimony, and
# no way to burn a testimony by answering its form first. Then the keys
# go on time: after the grace period, after a pack's expiry, and a kill -9
# at any step of the destruction loses nothing.
. "$(dirname "$0")/lib.sh"
need zbarimg strace
NOW=$(date +%s)
make_desk
make_pages

# A second pack with printable forms: everything on paper is public.
printf 'Working conditions\nHow many hours a day? [3]\n' >"$T/q.txt"
"$DESK" issue "$T/desk" --forms 2 --label "printed forms" --questions "$T/q.txt" \
	-o "$T/pack2" --passphrase-file "$T/pass" >/dev/null
"$DESK" relay-credential "$T/desk" -o "$T/relay.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null

# Genuine bundles: a testimony, a walk-in, and one sealed from the seal
# code of a printed form. The first pack's third form stays open.
PRINTED=$(grep -v '^#' "$T"/pack2/codes-*.txt | sed -n 1p | cut -d' ' -f2)
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/g1" -q "$P"
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/g2" -q
"$SEAL" --code "$PRINTED" --desk "$FP" -o "$T/g3" -q "$T/page2.png"

# --- 1. A seized form, pack or printout recognises nothing ---------------
for png in "$T"/pack2/qr/*.png; do
	zbarimg -q --raw "$png" 2>/dev/null >>"$T/scanned.txt"
done
grep -v '^#' "$CODES" "$T"/pack2/codes-*.txt | cut -d' ' -f2 >>"$T/scanned.txt"
"$ADV" sealcode-bytes "$T/codes.bin" $(cat "$T/scanned.txt")
expect "tag oracle: no window of any public file checks a real bundle's tag" 0 \
	"$ADV" tag-oracle "$T/g1" "$T/g2" "$T/g3" -- "$PACK" "$CODES" "$T/codes.bin" \
	"$T"/pack2/pack-*.ferrypack "$T"/pack2/codes-*.txt "$T"/pack2/forms-*.html "$T"/pack2/qr/*.png
has "every window tried" "tags verified 0"
F=tests/fixtures/old-relay-key
"$ADV" sealcode-bytes "$T/oldcode.bin" "$(cat $F/sealcode.txt)"
expect "the oracle has teeth: the old shared relay key in a seal code recognised its bundle" 1 \
	"$ADV" tag-oracle "$F/bundle.bin" -- "$T/oldcode.bin"
"$ADV" credential-hex "$T/relay.credential" | xxd -r -p >"$T/cred.bin"
expect "the oracle has teeth: the relay credential's secret checks the tags" 1 \
	"$ADV" tag-oracle "$T/g1" -- "$T/cred.bin"
"$RELAY" init "$T/spool" --credential "$T/relay.credential" --desk "$FP" >/dev/null
expect "the relay with its credential accepts every genuine bundle" 0 \
	"$RELAY" accept "$T/spool" "$T/g1" "$T/g2" "$T/g3"
has "all three" "3 accepted, 0 rejected"

# --- 2. A seized relay cannot forge testimony ----------------------------
"$ADV" vault-pubkeys "$T/desk/vault" "$T/pass" >"$T/pubkeys"
check "the vault has pack keys to look for" test "$(wc -l <"$T/pubkeys")" -ge 7
xxd -p "$T/relay.credential" | tr -d '\n' >"$T/cred-file.hex"
"$ADV" credential-hex "$T/relay.credential" >"$T/cred-body.hex"
found=0
while read -r k; do
	grep -q "$k" "$T/cred-file.hex" "$T/cred-body.hex" "$T"/spool/credential && found=$((found + 1))
done <"$T/pubkeys"
check "no SPK or OPK of any pack is in the credential or the spool" test "$found" -eq 0
check "no SPK or OPK in any file the relay holds" sh -c "! grep -rqF -f '$T/pubkeys' '$T/spool'"
"$RELAY" forward "$T/spool" --to "$T/desk/intake" --min-batch 1 --batch-size 1 >/dev/null
"$ADV" seal-chaff "$T/relay.credential" "$T/desk/intake/c1"
"$ADV" seal-chaff "$T/relay.credential" "$T/desk/intake/c2" "$P"
"$ADV" seal-chaff "$T/relay.credential" "$T/desk/intake/c3" walkin "$P"
expect "the desk sorts what a relay can seal" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "empty chaff is counted" "chaff        c1: counted and removed"
has "chaff that carries items is quarantined" "c2: corrupt: chaff that carries items"
has "a walk-in sealed to the chaff key is quarantined" "c3: corrupt: sealed to the chaff key"
has "the genuine ones it forwarded open" "2 testimony, 1 walk-in, 1 chaff, 2 quarantined"
check "no case came from the relay's own bundles" [ "$(ls "$T/desk/cases" | wc -l)" = 3 ]

# --- 3. A seized form cannot burn its testimony --------------------------
# The adversary answers form 2 first, from the seal code printed on it.
CODE2=$(grep -v '^#' "$CODES" | sed -n 2p | cut -d' ' -f2)
convert-im6 -size 30x20 xc:gray "$T/forged.png"
"$SEAL" --code "$CODE2" --desk "$FP" -o "$T/desk/intake/1-forged" -q "$T/forged.png"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/desk/intake/2-genuine" -q "$P"
expect "both bundles for the form open" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "two testimonies" "2 testimony"
check "the first answer is the form's case" test -d "$T/desk/cases/$FORM2"
check "the second is beside it" test -d "$T/desk/cases/$FORM2.2"
"$TOOL" sanitize "$P" "$T/clean.jpg" >/dev/null
check "the genuine pages are byte-identical in their case" cmp "$T/clean.jpg" "$T/desk/cases/$FORM2.2/page-01.jpg"
check "the second manifest says answered twice" grep -q "answered-twice: WARNING: form $FORM2 was answered more than once" "$T/desk/cases/$FORM2.2/manifest.txt"
check "the first manifest says so too" grep -q "answered-twice: WARNING: form $FORM2" "$T/desk/cases/$FORM2/manifest.txt"
expect "log show" 0 "$DESK" log "$T/desk" show --passphrase-file "$T/pass"
has "the log entry of the second says it" "answered-twice: WARNING"
has "and it counts the answer" "answer: 2"
expect "the vault keeps the form's key in its grace period" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "form 2: grace, answered twice, key kept" "form $FORM2 grace answers=2 opk-secret=present"

# --- 4. After the grace period the key goes, durably and logged ----------
LATER=$((NOW + 15 * DAY))
cp "$T/desk/cases/$FORM2.2/page-01.jpg" "$T/p3.jpg"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/third" -q "$P"
cp -a "$T/desk" "$T/desk-before-expiry"
expect "expire after the grace period" 0 env FERRY_TEST_NOW=$LATER "$DCLK" expire "$T/desk" --passphrase-file "$T/pass"
has "the two forms answered with the pack word lose their keys" "destroyed 2 one-time keys"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "form 2's key is gone" "form $FORM2 closed answers=2 opk-secret=destroyed"
has "form 1's key is gone" "form $FORM1 closed answers=1 opk-secret=destroyed"
expect "log show" 0 "$DESK" log "$T/desk" show --passphrase-file "$T/pass"
has "the destruction is logged" "kind: key-destroyed"
cp "$T/third" "$T/desk/intake/third"
expect "a later bundle for the form" 0 env FERRY_TEST_NOW=$LATER "$DCLK" open "$T/desk" --passphrase-file "$T/pass"
has "is quarantined as answered" "third: answered: form $FORM2 was already answered"
expect "the log verifies" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"

# The printed form was answered with its seal code alone: that answer
# starts no grace period, and the key waits for the pack's own answer for
# the pack's code-days (90), then goes.
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "the code-only form keeps its key past the grace period" "open answers=1 opk-secret=present"
expect "expire 91 days after the code-only answer" 0 env FERRY_TEST_NOW=$((NOW + 91 * DAY)) "$DCLK" expire "$T/desk" --passphrase-file "$T/pass"
has "destroys that key too" "destroyed 1 one-time key"

# --- 5. kill -9 before each system call of the destruction ---------------
# Every write, sync, rename, open and close of 'expire', one at a time.
SYS=openat,write,fsync,fdatasync,close,rename,renameat,renameat2,link,linkat,unlink,unlinkat,ftruncate
rm -rf "$T/k" && cp -a "$T/desk-before-expiry" "$T/k"
FERRY_TEST_NOW=$LATER kill_points "$T/points" "$SYS" "$DCLK" expire "$T/k" --passphrase-file "$T/pass"
total=$(wc -l <"$T/points")
bad=0
while IFS=: read -r sc k; do
	rm -rf "$T/k" && cp -a "$T/desk-before-expiry" "$T/k"
	FERRY_TEST_NOW=$LATER strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k \
		"$DCLK" expire "$T/k" --passphrase-file "$T/pass" >/dev/null 2>&1
	FERRY_TEST_NOW=$LATER "$DCLK" expire "$T/k" --passphrase-file "$T/pass" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# rerun failed after a kill at $sc #$k"; continue; }
	"$DESK" log "$T/k" verify --passphrase-file "$T/pass" >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# log does not verify after a kill at $sc #$k"; continue; }
	n=$("$DESK" log "$T/k" show --passphrase-file "$T/pass" 2>/dev/null | grep -c "kind: key-destroyed")
	closed=$("$TOOL" vault-forms "$T/k/vault" "$T/pass" | grep -c "closed.*opk-secret=destroyed")
	if [ "$n" -ne 2 ] || [ "$closed" -ne 2 ]; then
		bad=$((bad + 1))
		echo "# after a kill at $sc #$k: $n destructions logged, $closed keys gone"
	fi
done <"$T/points"
check "kill -9 at each of the $total system calls of expire: every key destroyed once, logged once, log intact" test "$bad" -eq 0 -a "$total" -gt 10

# --- 6. An expired pack: its bundles are quarantined, its keys destroyed -
TOMORROW=$(date -u -d @$((NOW + DAY)) +%Y-%m-%d)
"$DESK" issue "$T/desk" --forms 1 --label "short-lived" --expires "$TOMORROW" --grace 2 \
	-o "$T/pack3" --passphrase-file "$T/pass" >/dev/null
"$SEAL" --pack "$T"/pack3/pack-*.ferrypack --word-file "$T"/pack3/secret/word-*.txt --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/late" -q
PAST=$((NOW + 5 * DAY))
expect "a bundle for a pack past its expiry and grace" 0 env FERRY_TEST_NOW=$PAST "$DCLK" open "$T/desk" --passphrase-file "$T/pass"
has "is quarantined as pack expired" "late: pack expired: pack"
has "and the pack's keys are destroyed in the same run" "the keys of 1 expired pack"
check "with its reason beside it" sh -c "grep -q 'pack expired' '$T'/desk/quarantine/*.reason"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "the expired pack's key is gone" "pack retired spk-secret=destroyed"
expect "log show" 0 "$DESK" log "$T/desk" show --passphrase-file "$T/pass"
has "the expiry is logged" "kind: pack-expired"
expect "the log verifies" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
