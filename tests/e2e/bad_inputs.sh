#!/bin/sh
# Bad inputs to the real programs: each a clear error, the documented
# exit code, and nothing lost or half-written.
. tests/e2e/lib.sh
need exiftool convert-im6 cmp
make_desk
make_pages
mkdir "$T/out"

# Wrong fingerprint: fail closed, before any page is read.
# Another desk's fingerprint: its groups in reverse order.
OTHER_FP=$(printf '%s' "$FP" | tr '-' '\n' | tac | paste -sd-)
expect "wrong fingerprint refused (exit 1)" 1 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$OTHER_FP" -o "$T/out" "$P"
has "says the pack was not signed by that desk" "not signed by the desk"
# One character off: a typo, still refused, and called one.
TYPO_FP=$(fp_typo 0)
expect "a fingerprint one character off refused (exit 1)" 1 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$TYPO_FP" -o "$T/out" "$P"
has "as a probable typo in group 1" "differs from the pack's in 1 character, from group 1 on: probably a typo"
expect "no fingerprint, no seal (exit 2)" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" -o "$T/out" "$P"
expect "garbage fingerprint (exit 2)" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk nonsense -o "$T/out" "$P"
check "nothing written" [ -z "$(ls -A "$T/out")" ]

# Tampered pack: every tenth byte flipped, each refused.
n=$(stat -c %s "$PACK")
bad=0
i=0
while [ $i -lt "$n" ]; do
	cp "$PACK" "$T/tpack"
	printf '\377' | dd of="$T/tpack" bs=1 seek=$i conv=notrunc 2>/dev/null
	if cmp -s "$PACK" "$T/tpack"; then i=$((i + 10)); continue; fi
	"$SEAL" --pack "$T/tpack" --form "$FORM1" --desk "$FP" -o "$T/out" "$P" >/dev/null 2>&1
	rc=$?
	[ $rc -eq 1 ] || [ $rc -eq 2 ] || bad=$((bad + 1))
	[ $rc -eq 0 ] && bad=$((bad + 1))
	i=$((i + 10))
done
check "every tampered pack refused" [ $bad -eq 0 ]
cp "$PACK" "$T/tpack"
# One byte changed (to X, or to Y where it was X: the pack's bytes are
# random, and an unchanged file would pass).
c=X
[ "$(dd if="$PACK" bs=1 skip=100 count=1 2>/dev/null)" = X ] && c=Y
printf '%s' "$c" | dd of="$T/tpack" bs=1 seek=100 conv=notrunc 2>/dev/null
check "the tampered pack differs from the pack" sh -c "! cmp -s '$PACK' '$T/tpack'"
expect "tampered pack: signature error (exit 1)" 1 "$SEAL" --pack "$T/tpack" --form "$FORM1" --desk "$FP" -o "$T/out" "$P"
has "names the signature" "signature does not verify"
check "still nothing written" [ -z "$(ls -A "$T/out")" ]

# Tampered seal codes: a typo, and a forged one.
TYPO=$(printf '%s' "$CODE3" | sed 's/\(.\{60\}\)./\1Q/')
[ "$TYPO" = "$CODE3" ] && TYPO=$(printf '%s' "$CODE3" | sed 's/\(.\{60\}\)./\1R/')
expect "damaged seal code refused (exit 1)" 1 "$SEAL" --code "$TYPO" --desk "$FP" -o "$T/out" "$P"
has "says damaged, scan again" "scan the QR code"
expect "truncated seal code refused" 1 "$SEAL" --code "$(printf '%s' "$CODE3" | cut -c1-300)" --desk "$FP" -o "$T/out" "$P"
expect "not a seal code" 1 "$SEAL" --code "https://example.org/" --desk "$FP" -o "$T/out" "$P"
check "nothing written by bad codes" [ -z "$(ls -A "$T/out")" ]

# Pages that are not pages.
printf '' >"$T/empty.jpg"
expect "empty page file (exit 2)" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/out" "$T/empty.jpg"
has "says empty" "empty"
mkdir "$T/folder.jpg"
expect "folder as a page (exit 2)" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/out" "$T/folder.jpg"
has "says folder" "folder"
printf '\0\0\0\030ftypheic\0\0\0\0mif1heic' >"$T/photo.jpg"
expect "HEIC named .jpg is refused by content" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/out" "$P" "$T/photo.jpg"
has "names HEIC and what to do" "HEIC/HEIF.*JPEG"
head -c 300 "$P" >"$T/cut.jpg"
expect "truncated JPEG refused" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/out" "$P" "$T/cut.jpg"
has "names the file and the fault" "cut.jpg.*cut short"
check "no partial bundle or temp file left" [ -z "$(ls -A "$T/out")" ]
printf 'caf\351\n' >"$T/latin1.txt"
expect "answers that are not UTF-8" 2 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/latin1.txt" -o "$T/out" "$P"
has "says line 1 is not UTF-8" "line 1 is not valid UTF-8"

# Attachments are carried, with a warning.
expect "attachment carried with a warning" 0 "$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM2" --desk "$FP" --attach "$T/photo.jpg" -o "$T/att.bundle"
has "warns metadata not removed" "NOT removed"

# The desk: wrong passphrase, another desk's vault, another desk's bundle.
printf 'wrong passphrase\n' >"$T/wrong"
expect "wrong passphrase (exit 1)" 1 "$DESK" fingerprint "$T/desk" --passphrase-file "$T/wrong"
has "says wrong passphrase" "wrong passphrase"
"$DESK" init "$T/desk2" --kdf interactive --passphrase-file "$T/pass" >/dev/null
"$DESK" issue "$T/desk2" --forms 1 --label x --passphrase-file "$T/pass" -o "$T/pack2" >/dev/null
FP2=$("$DESK" fingerprint "$T/desk2" --passphrase-file "$T/pass")
F2=$(grep -v '^#' "$T"/pack2/codes-*.txt | cut -d' ' -f1)
"$SEAL" --pack "$T"/pack2/pack-*.ferrypack --form "$F2" --desk "$FP2" -o "$T/foreign.bundle" "$P" >/dev/null
cp "$T/desk/vault" "$T/vault.mine"
cp "$T/desk2/vault" "$T/desk/vault"
expect "another desk's vault refused (exit 1)" 1 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "says another desk" "another desk"
cp "$T/vault.mine" "$T/desk/vault"
cp "$T/foreign.bundle" "$T/desk/intake/"
expect "a bundle for another desk is quarantined" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "named not-ours" "not-ours"
check "kept intact" sh -c "cmp '$T/foreign.bundle' '$T'/desk/quarantine/*.bundle"
expect "relay init with a credential that is not a file (exit 2)" 2 "$RELAY" init "$T/spool" --credential /dev/null --desk "$FP"
expect "relay init with the old --profile: a clear error (exit 2)" 2 "$RELAY" init "$T/spool" --profile /dev/null --desk "$FP"
has "it says what to use instead" "relay credential"
expect "desk relay-profile is gone (exit 2)" 2 "$DESK" relay-profile "$T/desk" -o "$T/rp" --passphrase-file "$T/pass"
has "it says what to use instead" "relay-credential"
"$DESK" relay-credential "$T/desk" -o "$T/rp" --passphrase-file "$T/pass" >/dev/null
check "the credential is 0600" sh -c "[ \"\$(stat -c %a '$T/rp')\" = 600 ]"
check "the credential names itself secret" grep -q SECRET "$T/rp"
expect "relay-credential never overwrites a file (exit 2)" 2 "$DESK" relay-credential "$T/desk" -o "$T/rp" --passphrase-file "$T/pass"
"$RELAY" init "$T/spool" --credential "$T/rp" --desk "$FP" >/dev/null
expect "relay: bundle for another desk fails its tag (exit 1)" 1 "$RELAY" accept "$T/spool" "$T/foreign.bundle"
has "says relay tag" "relay tag"
expect "relay: credential with the wrong fingerprint" 1 "$RELAY" init "$T/spool2" --credential "$T/rp" --desk "$FP2"
mkdir -p "$T/oldspool/tmp" "$T/oldspool/new" "$T/oldspool/sending"
head -c 32 /dev/urandom >"$T/oldspool/key"
printf 'FERRYRP1' >"$T/oldspool/profile"
: >"$T/oldspool/forwarded"
expect "a spool made from a relay profile: a clear error (exit 2)" 2 "$RELAY" status "$T/oldspool"
has "it says what to do" "relay credential"
check "no spool made" [ ! -e "$T/spool2" ]
printf '' >"$T/desk/intake/empty"
expect "empty file in the intake is quarantined" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "says length" "not a bundle length"
mkdir "$T/desk/intake/sub"
expect "folders in the intake are ignored" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"

# Process-level tamper spot checks (the full sweep is in test_intake).
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/good.bundle" "$P" >/dev/null
for pos in 0 31 40 100 200 30000 65519 65535; do
	cp "$T/good.bundle" "$T/tb"
	printf '\125' | dd of="$T/tb" bs=1 seek=$pos conv=notrunc 2>/dev/null
	cmp -s "$T/good.bundle" "$T/tb" && printf '\252' | dd of="$T/tb" bs=1 seek=$pos conv=notrunc 2>/dev/null
	expect "relay rejects byte $pos changed" 1 "$RELAY" accept "$T/spool" "$T/tb"
	cp "$T/tb" "$T/desk/intake/tb"
	expect "desk quarantines byte $pos changed" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
	has "byte $pos: counted as quarantined" "0 testimony, 0 walk-in, 0 chaff, 1 quarantined"
done
check "no case from any tampered bundle" [ -z "$(ls "$T/desk/cases")" ]
expect "usage error exits 2" 2 "$DESK" frobnicate "$T/desk"
expect "help exits 0" 0 "$SEAL" --help
has "help shows usage" "usage: ferry-seal"
expect "version" 0 "$RELAY" --version

# --- A vault passphrase worth its Argon2id (zxcvbn, at least 2^40) -------
for pw in "password1" "dragon" "correct horse" "summer2026" "qwertyuiop"; do
	printf '%s\n' "$pw" >"$T/weak"
	rm -rf "$T/weakdesk"
	expect "init refuses the passphrase '$pw'" 2 "$DESK" init "$T/weakdesk" --kdf interactive --passphrase-file "$T/weak"
	has "saying it is too easy to guess" "too easy to guess"
	check "and creates nothing" test ! -e "$T/weakdesk"
done
has "with a hint: random words" "five or more random words"
for pw in "mango tundra velvet quiver pylon" "correct horse battery staple" "x7#Kq9!vLm2@" "zebra obelisk fjord" "a long test passphrase"; do
	printf '%s\n' "$pw" >"$T/strong"
	rm -rf "$T/strongdesk"
	expect "init takes the passphrase '$pw'" 0 "$DESK" init "$T/strongdesk" --kdf interactive --passphrase-file "$T/strong"
done

# --- A command pointed at the wrong folder writes nothing there ------------
mkdir "$T/not-a-desk"
printf 'a long test passphrase\n' >"$T/wrongpass"
expect "a desk command on a folder that is no desk" 2 "$DESK" open "$T/not-a-desk" --passphrase-file "$T/wrongpass"
has "says so" "'$T/not-a-desk' is not a ferry desk (it has no vault)"
check "and leaves nothing in it, no lock file either" [ -z "$(ls -A "$T/not-a-desk")" ]
expect "a mistyped desk path" 2 "$DESK" packs "$T/no-such-desk" --passphrase-file "$T/wrongpass"
has "is named as missing, not as an internal file" "'$T/no-such-desk' does not exist"
expect "a relay command on a folder that is no spool" 2 "$RELAY" status "$T/not-a-desk"
has "says so" "'$T/not-a-desk' is not a relay spool (it has no credential)"
expect "as does renew" 2 "$RELAY" renew "$T/not-a-desk" --credential "$T/wrongpass" --desk "$FP"
check "and neither leaves anything in it" [ -z "$(ls -A "$T/not-a-desk")" ]

# --- Wrong -o and --to folders: named, with what to do, before anything ----
expect "-o in a folder that does not exist" 2 "$DESK" report "$T/desk" -o "$T/no-such/report" --passphrase-file "$T/pass"
has "names the missing folder" "-o '$T/no-such/report': the folder '$T/no-such' does not exist"
has "and says what to do (mount, mkdir)" "check that it is mounted; or create the folder first"
: >"$T/a-file"
expect "-o under a file" 2 "$DESK" issue "$T/desk" --forms 1 --label x -o "$T/a-file/pack" --passphrase-file "$T/pass"
has "says the parent is no folder" "'$T/a-file' is not a folder"
expect "relay --to a folder that does not exist" 2 "$RELAY" forward "$T/not-a-desk" --to "$T/no-such/usb"
has "names it, before the spool is touched" "--to '$T/no-such/usb': the folder '$T/no-such/usb' does not exist"
check "no folder was made for either" test ! -e "$T/no-such"

# --- Help: the whole, one command's, and what a bare call lacks -------------
expect "a bare ferry-desk" 2 "$DESK"
has "says what is missing first" "ferry-desk: error: no command given"
has "and where the commands are listed" "'ferry-desk COMMAND --help' says what one takes"
expect "ferry-desk issue --help" 0 "$DESK" issue --help
has "is issue's synopsis" "^usage: ferry-desk issue DESK --forms N --label TEXT"
has "with its options" "--questions FILE"
has "and its -o" "-o, --output PATH"
check "and no other command's" sh -c "! printf '%s' \"\$0\" | grep -qE 'ferry-desk (open|report|log)|--attestation|--chaff-up-to|--drop-old'" "$OUT"
expect "ferry-desk open --help" 0 "$DESK" open --help
has "is open's, with -j" "-j, --jobs N"
check "and not issue's options" sh -c "! printf '%s' \"\$0\" | grep -q -- '--forms'" "$OUT"
expect "ferry-desk init --help" 0 "$DESK" init --help
has "init's has the passphrase file and --kdf" "--kdf LEVEL"
has "and --passphrase-file" "--passphrase-file FILE"
expect "a command without DESK" 2 "$DESK" open
has "names what it needs" "open needs DESK, the desk's folder"
expect "ferry-desk --help" 0 "$DESK" --help
has "is the whole usage" "ferry-desk relay-credential DESK -o FILE"

# A vault restored from before a pack was issued, beside a log with a
# case of that pack: the desk says which case and which pack, and why,
# not "out of memory".
"$DESK" init "$T/desk3" --kdf interactive --passphrase-file "$T/pass" >/dev/null
FP3=$("$DESK" fingerprint "$T/desk3" --passphrase-file "$T/pass")
cp "$T/desk3/vault" "$T/vault3.before"
"$DESK" issue "$T/desk3" --forms 1 --label x --passphrase-file "$T/pass" -o "$T/pack3" >/dev/null
F3=$(grep -v '^#' "$T"/pack3/codes-*.txt | cut -d' ' -f1)
"$SEAL" --pack "$T"/pack3/pack-*.ferrypack --word-file "$T"/pack3/secret/word-*.txt --form "$F3" --desk "$FP3" -o "$T/desk3/intake/x" -q "$P"
"$DESK" open "$T/desk3" --passphrase-file "$T/pass" >/dev/null
cp "$T/vault3.before" "$T/desk3/vault"
expect "cases with a vault older than its pack (exit 1)" 1 "$DESK" cases "$T/desk3" --passphrase-file "$T/pass"
has "names the case and the missing pack" "case $F3 in the log names pack $(basename "$T"/pack3/pack-*.ferrypack .ferrypack | sed 's/^pack-//'), which the vault does not have"
has "with a hint on the restored vault" "hint: a vault restored from a copy older than the log"
check "and no guess about memory" sh -c "! printf '%s' \"\$0\" | grep -q 'out of memory'" "$OUT"
