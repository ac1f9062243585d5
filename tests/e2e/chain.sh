#!/bin/sh
# The whole chain with the real programs: init, issue, seal two pages and
# answers, relay init/accept/forward, desk open, then every check the
# chain promises.
. tests/e2e/lib.sh
need exiftool convert-im6 cmp
make_desk
make_pages

expect "fingerprint is 8 groups of 4" 0 "$DESK" fingerprint "$T/desk" --passphrase-file "$T/pass"
has "fingerprint format" '^[0-9A-Z]\{4\}\(-[0-9A-Z]\{4\}\)\{7\}$'
check "desk folder is 0700" sh -c "[ \$(stat -c %a '$T/desk') = 700 ]"
check "vault is 0600" sh -c "[ \$(stat -c %a '$T/desk/vault') = 600 ]"
check "the pack label never leaves the vault" sh -c "! grep -rq 'contact B' '$T/pack'"

mkdir "$T/out"
expect "seal two pages and answers" 0 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" \
	--answers "$T/answers.txt" -o "$T/out" "$T/IMG_20231104_142233.jpg" "$T/page2.png"
has "seal reports GPS removed" "GPS position"
has "seal reports serial removed" "serial number"
if printf '%s' "$OUT" | grep -q -e 22.5431 -e SN4455667788 -e "2023:11:04"; then
	not_ok "seal output names no values"
else ok "seal output names no values"; fi
BUNDLE=$(ls "$T/out"/*)
check "one bundle, 0600" sh -c "[ \$(ls '$T/out' | wc -l) = 1 ] && [ \$(stat -c %a '$BUNDLE') = 600 ]"
case "$(basename "$BUNDLE")" in *IMG* | *2023*) not_ok "bundle name carries nothing" ;; *) ok "bundle name carries nothing" ;; esac
SIZE=$(stat -c %s "$BUNDLE")
check "bundle size is the 64 KiB floor" [ "$SIZE" = 65536 ]
check "no plaintext in the bundle" sh -c "! grep -aq -e 'hours a day' -e PhoneCo -e JFIF '$BUNDLE'"

"$DESK" relay-credential "$T/desk" -o "$T/relay.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
expect "relay init" 0 "$RELAY" init "$T/spool" --credential "$T/relay.credential" --desk "$FP"
expect "relay accepts the bundle" 0 "$RELAY" accept "$T/spool" "$BUNDLE"
expect "relay refuses the exact duplicate" 1 "$RELAY" accept "$T/spool" "$BUNDLE"
has "duplicate is named" "duplicate"
expect "relay status counts" 0 "$RELAY" status "$T/spool"
has "one waiting" "waiting: 1"
mkdir "$T/fwd"
expect "by default a lone fresh bundle is held" 0 "$RELAY" forward "$T/spool" --to "$T/fwd"
has "and says nothing was sent" "nothing forwarded"
check "nothing reached the folder" [ -z "$(ls -A "$T/fwd")" ]
expect "--max-wait 0 releases it" 0 "$RELAY" forward "$T/spool" --to "$T/fwd" --max-wait 0
has "in the smallest batch class, topped up with chaff" "forwarded a batch of 4 bundles"
shared=0
for f in "$T"/fwd/*; do
	cmp -s "$f" "$BUNDLE" && shared=$((shared + 1))
	[ "$(head -c 32 "$f" | od -An -tx1)" = "$(head -c 32 "$BUNDLE" | od -An -tx1)" ] && shared=$((shared + 1))
	[ "$(tail -c 16 "$f" | od -An -tx1)" = "$(tail -c 16 "$BUNDLE" | od -An -tx1)" ] && shared=$((shared + 1))
done
check "the bundle left re-wrapped: no file of the batch is it, starts or ends like it" [ "$shared" = 0 ]
check "every file carries the batch time stamp (on the hour)" sh -c "[ \$(stat -c %Y '$T'/fwd/* | sort -u | wc -l) = 1 ] && [ \$((\$(stat -c %Y '$T'/fwd/* | head -1) % 3600)) = 0 ]"
check "forwarded names differ from the input name" sh -c "! ls '$T/fwd' | grep -qx '$(basename "$BUNDLE")'"

cp "$T/fwd"/* "$T/desk/intake/"
expect "desk opens the intake" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "one testimony and the batch's chaff" "1 testimony, 0 walk-in, 3 chaff"
CASE="$T/desk/cases/$FORM1"
"$TOOL" sanitize "$T/IMG_20231104_142233.jpg" "$T/s1.jpg" >/dev/null
"$TOOL" sanitize "$T/page2.png" "$T/s2.png" >/dev/null
check "page 1 byte-identical to the sanitized page" cmp "$CASE/page-01.jpg" "$T/s1.jpg"
check "page 2 byte-identical to the sanitized page" cmp "$CASE/page-02.png" "$T/s2.png"
check "answers arrive intact" cmp "$CASE/answers.txt" "$T/answers.txt"
check "manifest keeps the orientation" grep -q "page-01.jpg.*orientation 6" "$CASE/manifest.txt"
check "intake is empty" [ -z "$(ls "$T/desk/intake")" ]
check "case files are 0600" sh -c "[ \$(stat -c %a '$CASE/page-01.jpg') = 600 ]"
expect "log verifies with one entry" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
has "one entry" "1 entry"
expect "log show" 0 "$DESK" log "$T/desk" show --passphrase-file "$T/pass"
has "log names the form" "form: $FORM1"
expect "vault read" 0 "$TOOL" vault-forms "$T/desk/vault" "$T/pass"
has "OPK of the answered form is kept for its grace period" "form $FORM1 grace answers=1 opk-secret=present"
has "other forms keep theirs" "form $FORM2 open answers=0 opk-secret=present"

cp "$BUNDLE" "$T/desk/intake/again"
expect "the same bundle again is quarantined (all accounted for: exit 0)" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "reported as the very same bundle" "duplicate: this bundle was already opened"
check "kept intact in quarantine" sh -c "cmp '$BUNDLE' \$(ls '$T'/desk/quarantine/*.bundle)"
check "with a reason beside it" sh -c "grep -q duplicate '$T'/desk/quarantine/*.reason"
check "still one case" [ "$(ls "$T/desk/cases" | wc -l)" = 1 ]
expect "log still has one entry" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
has "one entry after the replay" "1 entry"

# A seal code alone (as scanned from the form) also works.
printf '  %s  \n' "$(printf '%s' "$CODE3" | tr 'A-Z' 'a-z')" >"$T/code.txt"
expect "seal with --code-file (lower case, spaces)" 0 "$SEAL" --code-file "$T/code.txt" --desk "$FP" -o "$T/c.bundle" "$T/page2.png"
expect "seal with --code" 0 "$SEAL" --code "$CODE3" --desk "$FP" -o - "$T/page2.png"
expect "desk opens the seal-code bundle" 0 "$DESK" open "$T/desk" "$T/c.bundle" --passphrase-file "$T/pass"
has "testimony from the code" "1 testimony"

# Walk-in: a pack, no form; a resend is a duplicate.
expect "walk-in seal" 0 "$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/w.bundle"
cp "$T/w.bundle" "$T/w2.bundle"
expect "desk opens the walk-in" 0 "$DESK" open "$T/desk" "$T/w.bundle" --passphrase-file "$T/pass"
has "walk-in counted" "1 walk-in"
expect "a resent walk-in is a duplicate" 0 "$DESK" open "$T/desk" "$T/w2.bundle" --passphrase-file "$T/pass"
has "named duplicate" "duplicate"
expect "seal refuses to overwrite an existing file" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" -o "$T/answers.txt" "$T/page2.png"
has "refuses to overwrite" "already exists"


# --- Rotation marks nothing (issue 18, part 4) -----------------------------
# A bundle sealed from a pack issued before a rotation carries the old
# relay key; the relay that accepts it stores it, like its chaff, under
# the newest key, so a next relay holding only the newest key accepts
# every file of the batch, and so does the desk after dropping the old.
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/old-key.bundle" -q
expect "relay-rotate" 0 "$DESK" relay-rotate "$T/desk" --passphrase-file "$T/pass"
"$DESK" relay-credential "$T/desk" -o "$T/both.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
"$RELAY" init "$T/rot1" --credential "$T/both.credential" --desk "$FP" >/dev/null
expect "a relay with both keys accepts the old-key bundle" 0 "$RELAY" accept "$T/rot1" "$T/old-key.bundle"
check "and stores it with a new tag: the last 16 bytes differ" sh -c "! cmp -s '$T/old-key.bundle' '$T'/rot1/new/* && [ \"\$(head -c -16 '$T/old-key.bundle' | sha256sum)\" = \"\$(head -c -16 '$T'/rot1/new/* | sha256sum)\" ]"
mkdir -p "$T/rotout"
expect "it forwards a batch" 0 "$RELAY" forward "$T/rot1" --to "$T/rotout" --min-batch 1
expect "relay-rotate --drop-old" 0 "$DESK" relay-rotate "$T/desk" --drop-old --passphrase-file "$T/pass"
"$DESK" relay-credential "$T/desk" -o "$T/new.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
"$RELAY" init "$T/rot2" --credential "$T/new.credential" --desk "$FP" >/dev/null
expect "a relay with only the newest key accepts every file of that batch" 0 "$RELAY" accept "$T/rot2" "$T"/rotout/*
has "all four" "4 accepted, 0 rejected"
expect "the old-key bundle itself it refuses" 1 "$RELAY" accept "$T/rot2" "$T/old-key.bundle"
cp "$T"/rotout/* "$T/desk/intake/"
expect "and the desk, holding only the newest key, opens the walk-in" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "one walk-in, three chaff" "4 bundles: 0 testimony, 1 walk-in, 3 chaff"
