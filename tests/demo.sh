#!/bin/sh
# `make demo`: the whole chain on the built-in sample pages, in a temp
# folder, showing what each role sees.
set -e
BUILD=${BUILD:-build}
B="$(pwd)/$BUILD"
F="$(pwd)/tests/fixtures"
D=$(mktemp -d "${TMPDIR:-/tmp}/ferry-demo.XXXXXX")
trap 'rm -rf "$D"' EXIT
say() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$D|\$DEMO|g; s|$B/||g"; "$@" 2>&1 | sed "s|$D|\$DEMO|g"; }

printf 'demo passphrase, never use one like it\n' >"$D/pass"
printf 'Q1: How many hours do you work a day?  A: 14\nQ2: 여권을 가지고 있습니까?  A: 아니요, 회사가 보관합니다\n' >"$D/answers.txt"

say "Journalist: create the desk (offline machine)"
run "$B/ferry-desk" init "$D/desk" --kdf interactive --passphrase-file "$D/pass"
FP=$("$B/ferry-desk" fingerprint "$D/desk" --passphrase-file "$D/pass")
say "Journalist: issue a pack of 3 forms for contact B"
run "$B/ferry-desk" issue "$D/desk" --forms 3 --label "contact B, handed over in person" --passphrase-file "$D/pass" -o "$D/for-contact"
run "$B/ferry-desk" relay-credential "$D/desk" -o "$D/relay.credential" --passphrase-file "$D/pass"
FORM=$(grep -v '^#' "$D"/for-contact/codes-*.txt | sed -n 1p | cut -d' ' -f1)

say "Field contact: see what the phone put in the photos"
cp "$F/sample-page-1.jpg" "$D/IMG_20260314_210745.jpg"
cp "$F/sample-page-2.png" "$D/Screenshot_20260314.png"
run "$B/ferry-seal" --check "$D/IMG_20260314_210745.jpg" "$D/Screenshot_20260314.png"
say "Field contact: seal the pages and answers for form $FORM"
mkdir "$D/outbox"
echo "(the pack word, from the key card the journalist gave apart from the forms: $D/for-contact/secret/)" | sed "s|$D|\$DEMO|g"
run "$B/ferry-seal" --pack "$D"/for-contact/pack-*.ferrypack --form "$FORM" --desk "$FP" \
	--word-file "$D"/for-contact/secret/word-*.txt \
	--answers "$D/answers.txt" -o "$D/outbox" "$D/IMG_20260314_210745.jpg" "$D/Screenshot_20260314.png"
echo "the contact's outbox holds only random-looking bytes:"
ls -l "$D/outbox" | tail -n +2 | sed "s|$D|\$DEMO|g"
od -A d -t x1 "$D"/outbox/* | head -3

say "Investigator: check, dedupe and forward, without being able to read"
run "$B/ferry-relay" init "$D/spool" --credential "$D/relay.credential" --desk "$FP"
run "$B/ferry-relay" accept "$D/spool" "$D"/outbox/*
run "$B/ferry-relay" accept "$D/spool" "$D"/outbox/* || true
run "$B/ferry-relay" chaff "$D/spool" --count 2
run "$B/ferry-relay" status "$D/spool"
echo "fewer than 4 wait and none for 24 hours, so by default the relay holds them:"
run "$B/ferry-relay" forward "$D/spool" --to "$D/desk/intake"
echo "a short batch goes once the oldest has waited --max-wait hours; here at once,"
echo "topped up with chaff to a batch of 4, in random order, under one time stamp:"
run "$B/ferry-relay" forward "$D/spool" --to "$D/desk/intake" --max-wait 0
ls -l "$D/desk/intake" | tail -n +2 | sed "s|$D|\$DEMO|g"

say "Journalist: open the intake"
run "$B/ferry-desk" open "$D/desk" --passphrase-file "$D/pass"
run ls -l "$D/desk/cases/$FORM"
run cat "$D/desk/cases/$FORM/answers.txt"
run "$B/ferry-desk" log "$D/desk" verify --passphrase-file "$D/pass"
say "The same bundle sent again is quarantined, not opened twice"
cp "$D"/outbox/* "$D/desk/intake/"
run "$B/ferry-desk" open "$D/desk" --passphrase-file "$D/pass"
echo
echo "demo finished; everything above lived in a temp folder that is now removed"
