#!/bin/sh
# Every hop re-wraps (issue 18, part 1), with the real programs: chains
# of 3 and of 10 relays share no SHA-256, no first 32 and no last 16
# bytes between any two hops, at one length; the desk opens the pages
# byte-identical after 3 (and 8) relays and says "more than 8 relays"
# after 9 and 10, keeping the bundle; a flipped byte in each region of a
# wrapped bundle is refused by the next relay, and, re-tagged by a relay,
# is quarantined at the desk with nothing released (and the genuine
# bundle still opens after them).
. tests/e2e/lib.sh
need exiftool convert-im6 cmp sha256sum od
make_desk
make_pages
"$DESK" relay-credential "$T/desk" -o "$T/relay.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
# hop N IN: a fresh relay accepts IN and forwards it alone (a batch of
# one, no chaff) into $T/hN/; prints the forwarded file.
hop() {
	"$RELAY" init "$T/r$1" --credential "$T/relay.credential" --desk "$FP" >/dev/null &&
		"$RELAY" accept "$T/r$1" "$2" >/dev/null &&
		mkdir -p "$T/h$1" &&
		"$RELAY" forward "$T/r$1" --to "$T/h$1" --max-wait 0 --batch-size 1 >/dev/null &&
		ls "$T/h$1"/*
}
# distinct FILE...: no two share a SHA-256, their first 32 or their last
# 16 bytes, and all have one length.
distinct() {
	n=$#
	[ "$(for f; do sha256sum <"$f"; done | sort -u | wc -l)" = "$n" ] &&
		[ "$(for f; do head -c 32 "$f" | od -An -tx1 | tr -d ' \n'; echo; done | sort -u | wc -l)" = "$n" ] &&
		[ "$(for f; do tail -c 16 "$f" | od -An -tx1 | tr -d ' \n'; echo; done | sort -u | wc -l)" = "$n" ] &&
		[ "$(for f; do stat -c %s "$f"; done | sort -u | wc -l)" = 1 ]
}
"$TOOL" sanitize "$T/IMG_20231104_142233.jpg" "$T/s1.jpg" >/dev/null

# --- A chain of 3 relays ---------------------------------------------------
mkdir "$T/h0"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/h0/b" -q "$T/IMG_20231104_142233.jpg"
cur="$T/h0/b" chain3="$T/h0/b" failed=0
for i in 1 2 3; do
	cur=$(hop "$i" "$cur") || { failed=1; break; }
	chain3="$chain3 $cur"
done
check "three relays each forward it" [ "$failed" = 0 ]
# shellcheck disable=SC2086
check "no two hops share a SHA-256, the first 32 or the last 16 bytes; one length" distinct $chain3
mkdir "$T/keep3"
for f in $chain3; do cp "$f" "$T/keep3/$(basename "$(dirname "$f")")"; done
# --- A flipped byte in each region, at each hop ------------------------------
# Regions: the first slot's curve point (its first and its top byte) and
# check, a deeper slot, the last slot, the commitment, the header, the
# first payload byte, the last payload byte, the relay tag.
LEN=$(stat -c %s "$T/keep3/h0")
REGIONS="0 31 40 100 400 440 500 560 $((LEN - 17)) $((LEN - 1))"
flip() { # FILE OFFSET: xor one byte with 0x20 in place
	b=$(od -An -tu1 -j "$2" -N 1 "$1" | tr -d ' ')
	printf "$(printf '\\%03o' $((b ^ 32)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
"$RELAY" init "$T/next" --credential "$T/relay.credential" --desk "$FP" >/dev/null
mkdir "$T/flipped"
refused=0 tried=0
for h in h0 h1 h2 h3; do
	for off in $REGIONS; do
		f="$T/flipped/$h-$off"
		cp "$T/keep3/$h" "$f"
		flip "$f" "$off"
		tried=$((tried + 1))
		"$RELAY" accept "$T/next" "$f" >/dev/null 2>&1 || refused=$((refused + 1))
		# A relay holds the credential: it can alter a bundle and tag it
		# anew. Only the tag region's flip is undone by that.
		[ "$off" = $((LEN - 1)) ] && rm "$f" || "$ADV" retag "$T/relay.credential" "$f"
	done
done
check "the next relay refuses an outsider's flip in every region at every hop ($refused of $tried)" [ "$refused" = "$tried" ]
check "a relay's re-tag makes the next relay accept it (so the desk is what catches it)" "$RELAY" accept "$T/next" "$T/flipped/h2-560"
before=$(ls "$T/desk/cases" 2>/dev/null | wc -l)
cp "$T"/flipped/* "$T/desk/intake/"
n=$(ls "$T/flipped" | wc -l)
expect "the desk takes every re-tagged flip" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "and quarantines each, releasing nothing" "0 testimony, 0 walk-in, 0 chaff, $n quarantined"
check "no case was added" [ "$(ls "$T/desk/cases" | wc -l)" = "$before" ]
check "each was caught as altered (none read as a duplicate or an answered form)" sh -c "! grep -l -e duplicate -e answered '$T'/desk/quarantine/*.reason"
# One that came through relays and whose header opened is kept peeled:
# as its sealer wrote it (but for the altered byte), re-tagged by the
# desk, so opening it later needs no wrap key.
Q=$(grep -l "from: h3-560" "$T"/desk/quarantine/*.reason)
check "a bundle altered after 3 relays is kept peeled: the sealed bytes but the altered one and the tag" sh -c "[ \"\$(cmp -l '$T/keep3/h0' '${Q%.reason}.bundle' | awk '\$1 <= $((LEN - 16)) { n++ } END { print n + 0 }')\" = 1 ] && cmp -l '$T/keep3/h0' '${Q%.reason}.bundle' | grep -q '^ *561 '"
Q=$(grep -l "from: h0-560" "$T"/desk/quarantine/*.reason)
check "one straight from the sealer is kept as it came" sh -c "cmp -s '$T/flipped/h0-560' '${Q%.reason}.bundle'"
mkdir "$T/q-flips" && mv "$T"/desk/quarantine/* "$T/q-flips/"

# The genuine one, after every altered copy was turned away.
cp "$cur" "$T/desk/intake/"
expect "the desk opens it after three relays" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "as the testimony it is" "1 testimony, 0 walk-in, 0 chaff, 0 quarantined"
check "its page byte-identical to the sanitized page" cmp "$T/desk/cases/$FORM1/page-01.jpg" "$T/s1.jpg"
check "the wrap key finds its three layers" sh -c "[ \"\$('$TOOL' sealer-keys '$T/desk/vault' '$T/pass' '$T/keep3/h3' | cut -d' ' -f2)\" = 3 ]"

# --- A chain of 10 relays --------------------------------------------------
mkdir "$T/g0"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/g0/b" -q "$T/page2.png"
cur="$T/g0/b" chain10="$T/g0/b" failed=0
for i in 4 5 6 7 8 9 10 11 12 13; do
	cur=$(hop "$i" "$cur") || { failed=1; break; }
	chain10="$chain10 $cur"
done
check "ten relays each forward it, none refusing at a limit" [ "$failed" = 0 ]
# shellcheck disable=SC2086
check "no two of the eleven share a SHA-256, the first 32 or the last 16 bytes; one length" distinct $chain10
H8=$(ls "$T"/h11/*) H9=$(ls "$T"/h12/*) H10=$(ls "$T"/h13/*)
cp "$H9" "$T/desk/intake/nine"
cp "$H10" "$T/desk/intake/ten"
expect "after 9 and after 10 relays the desk opens neither" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "and says why" "more than 8 relays"
has "both kept in quarantine" "0 testimony, 0 walk-in, 0 chaff, 2 quarantined"
check "kept byte for byte: nothing it could have kept is lost" sh -c "for q in '$T'/desk/quarantine/*.bundle; do cmp -s \"\$q\" '$H9' || cmp -s \"\$q\" '$H10' || exit 1; done"
cp "$H8" "$T/desk/intake/eight"
expect "after 8 relays it still opens" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "as the testimony it is" "1 testimony"
check "its page byte-identical" sh -c "'$TOOL' sanitize '$T/page2.png' '$T/s2.png' >/dev/null && cmp '$T/desk/cases/$FORM2/page-01.png' '$T/s2.png'"


# --- Wrap key rotation --------------------------------------------------------
# relay-rotate makes a new wrap key; the desk keeps the one before for
# what is on its way, and destroys it 30 days later: a bundle wrapped to
# it after that is not-ours, and no later seizure links its hops.
NOW=$(date +%s)
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/wk1" -q
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/wk2" -q
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/wk3" -q
"$SEAL" --pack "$PACK" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/wk4" -q 2>/dev/null
expect "relay-rotate" 0 "$DESK" relay-rotate "$T/desk" --passphrase-file "$T/pass"
has "says a new wrap key is made and the old one kept" "kept 30 days"
"$DESK" relay-credential "$T/desk" -o "$T/new.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
cp "$T/relay.credential" "$T/old.credential"
W1=$(hop 21 "$T/wk1")
W3=$(hop 23 "$T/wk3")
W4=$(hop 24 "$T/wk4")
# A relay renews its spool's credential in place.
expect "renew installs the new credential" 0 "$RELAY" renew "$T/r21" --credential "$T/new.credential" --desk "$FP"
check "the spool keeps it" cmp "$T/r21/credential" "$T/new.credential"
"$RELAY" accept "$T/r21" "$T/wk2" >/dev/null && rm -rf "$T/h22" && mkdir "$T/h22" &&
	"$RELAY" forward "$T/r21" --to "$T/h22" --max-wait 0 --batch-size 1 >/dev/null
W2=$(ls "$T"/h22/*)
check "and wraps to the new wrap key (the desk finds one layer under either)" sh -c "'$TOOL' sealer-keys '$T/desk/vault' '$T/pass' '$W2' | grep -q ' 1\$'"
"$DESK" init "$T/desk2" --kdf interactive --passphrase-file "$T/pass" >/dev/null
"$DESK" relay-credential "$T/desk2" -o "$T/other.credential" --passphrase-file "$T/pass" >/dev/null
FP2=$("$DESK" fingerprint "$T/desk2" --passphrase-file "$T/pass")
expect "renew refuses another desk's credential" 2 "$RELAY" renew "$T/r21" --credential "$T/other.credential" --desk "$FP2"
has "and says what to do" "make a new spool"
expect "renew refuses a folder that is no spool" 2 "$RELAY" renew "$T/h22" --credential "$T/new.credential" --desk "$FP"
check "and leaves nothing in it" [ "$(ls -A "$T/h22" | wc -l)" = 1 ]
check "a relay with the old credential and one with the new each wrap" [ -f "$W1" ] && [ -f "$W2" ] && [ -f "$W3" ]
cp "$W1" "$W2" "$W4" "$T/desk/intake/"
expect "the desk opens what was wrapped to either key" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "both walk-ins, and holds the one sealed without the pack word" "2 walk-in, 0 chaff, 1 quarantined"
HELD=$(basename "$(grep -l '^outcome: held' "$T"/desk/quarantine/*.reason)" .reason).bundle
expect "29 days on, the old wrap key is kept" 0 env FERRY_TEST_NOW=$((NOW + 29 * DAY)) "$DCLK" expire "$T/desk" --passphrase-file "$T/pass"
has "nothing to destroy" "and 0 rotated-out wrap keys"
expect "31 days on, expire destroys it" 0 env FERRY_TEST_NOW=$((NOW + 31 * DAY)) "$DCLK" expire "$T/desk" --passphrase-file "$T/pass"
has "one wrap key" "and 1 rotated-out wrap key past"
cp "$W3" "$T/desk/intake/late"
expect "a bundle wrapped to it, arriving after, is not opened" 0 env FERRY_TEST_NOW=$((NOW + 31 * DAY)) "$DCLK" open "$T/desk" --passphrase-file "$T/pass"
has "and says which wrap key may be why" "wrap key this desk no longer holds"
expect "the held one, kept peeled, is admitted after its wrap key is gone" 0 env FERRY_TEST_NOW=$((NOW + 31 * DAY)) "$DCLK" admit "$T/desk" "$HELD" --passphrase-file "$T/pass"
has "and opens" "opened       $HELD: walk-in"
