#!/bin/sh
# Signed releases (issue 20): 'ferry-desk sign' writes FILE.minisig under
# the desk's minisign key; Debian's minisign verifies it with the key
# 'ferry-desk fingerprint --minisign' prints, and 'ferry-seal --verify'
# agrees with it from the fingerprint alone: on a good file, a changed
# byte, and another desk's key. An attestation is never signed as a
# release, nothing is replaced, and a fingerprint typo is named.
. tests/e2e/lib.sh
need minisign
make_desk
MPK=$("$DESK" fingerprint "$T/desk" --minisign --passphrase-file "$T/pass")
mkdir "$T/rel"
cp "$SEAL" "$T/rel/ferry-seal"
printf '<!DOCTYPE html><title>a page</title>\n' >"$T/rel/ferry-seal.html"
expect "the desk signs a page and a program" 0 "$DESK" sign "$T/desk" \
	"$T/rel/ferry-seal.html" "$T/rel/ferry-seal" --passphrase-file "$T/pass"
has "and says how to check them" "minisign -V -P $MPK"
for f in ferry-seal.html ferry-seal; do
	expect "minisign verifies $f" 0 minisign -V -P "$MPK" -m "$T/rel/$f"
	has "as a ferry release of that name" "ferry release: $f"
	expect "ferry-seal --verify agrees ($f)" 0 "$SEAL" --verify "$T/rel/$f" --desk "$FP"
done

# A changed byte: both refuse.
cp "$T/rel/ferry-seal.html" "$T/changed.html"
cp "$T/rel/ferry-seal.html.minisig" "$T/changed.html.minisig"
printf 'x' >>"$T/changed.html"
expect "minisign refuses a changed byte" 1 minisign -V -P "$MPK" -m "$T/changed.html"
expect "so does ferry-seal --verify" 1 "$SEAL" --verify "$T/changed.html" --desk "$FP"
has "saying the file was changed" "the file was changed"

# Another desk's key: its signature does not pass for this desk's.
"$DESK" init "$T/other" --kdf interactive --passphrase-file "$T/pass" >/dev/null
cp "$T/rel/ferry-seal.html" "$T/o.html"
"$DESK" sign "$T/other" "$T/o.html" --passphrase-file "$T/pass" >/dev/null
expect "minisign refuses another desk's signature under this desk's key" 1 minisign -V -P "$MPK" -m "$T/o.html"
expect "so does ferry-seal --verify with this desk's fingerprint" 1 "$SEAL" --verify "$T/o.html" --desk "$FP"
has "naming it a forgery" "was not signed by the desk whose fingerprint you gave"

# A typo in the fingerprint is named as such.
FPT=$(fp_typo 5)
expect "a fingerprint one character off" 1 "$SEAL" --verify "$T/rel/ferry-seal.html" --desk "$FPT"
has "is called a probable typo" "probably a typo"

# Renamed: minisign checks bytes only; ferry-seal also checks the name.
cp "$T/rel/ferry-seal.html" "$T/renamed.html"
cp "$T/rel/ferry-seal.html.minisig" "$T/renamed.html.minisig"
expect "a signed file under another name" 1 "$SEAL" --verify "$T/renamed.html" --desk "$FP"
has "is not taken for the release of that name" "the desk signed this as 'ferry release: ferry-seal.html'"

# Never an attestation; never a replaced signature.
"$DESK" log "$T/desk" attest -o "$T/att" --passphrase-file "$T/pass" >/dev/null
cp "$T/att" "$T/att2"
expect "an attestation is not signed as a release" 2 "$DESK" sign "$T/desk" "$T/att2" --passphrase-file "$T/pass"
has "saying why" "it starts like a log attestation"
check "and no signature was written" [ ! -e "$T/att2.minisig" ]
cp "$T/rel/ferry-seal.html.minisig" "$T/kept"
expect "a file already signed" 2 "$DESK" sign "$T/desk" "$T/rel/ferry-seal.html" --passphrase-file "$T/pass"
has "keeps its signature" "already exists"
check "unchanged" cmp "$T/kept" "$T/rel/ferry-seal.html.minisig"
expect "--verify without a signature file" 2 "$SEAL" --verify "$T/changed.html.minisig" --desk "$FP"
