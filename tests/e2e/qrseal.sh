#!/bin/sh
# The form seals itself (issue 19, part 1): ferry-seal with neither --pack
# nor --code reads the seal code from simulated phone photos of printed
# forms (Chromium's PDF of the desk's forms, rasterized, then perspective,
# rotation, uneven light, blur, noise, 12 MP, JPEG q85), reads every photo
# zbarimg reads, refuses mixed forms, pages without a code, a QR that is no
# seal code and a forged code with its exact error and nothing written,
# and its decoder's sandbox stops a forbidden call, a spin and a memory
# blow-up as errors about the page. tests/bench_qr.sh measures more photos.
. tests/e2e/lib.sh
need chromium pdftoppm convert-im6 zbarimg qrencode python3
. tests/e2e/lib-photos.sh
make_desk
make_pages
printf 'Working conditions\nHow many hours a day? [3]\n' >"$T/q.txt"
"$DESK" issue "$T/desk" --forms 3 --label "printed" --questions "$T/q.txt" \
	-o "$T/pk" --passphrase-file "$T/pass" >/dev/null
PK=$(ls "$T"/pk/pack-*.ferrypack)
PW=$(ls "$T"/pk/secret/word-*.txt)
F1=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 1p | cut -d' ' -f1)
F2=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 2p | cut -d' ' -f1)
render_forms "$T"/pk/forms-*.html "$T/form" || { not_ok "Chromium renders the printed forms" "see render_forms"; exit 1; }
check "the forms render to one page each" sh -c "[ -f '$T/form-1.png' ] && [ -f '$T/form-2.png' ]"

# --- What any phone's QR reader shows names nothing -------------------------
zbarimg -q --raw "$T"/pk/qr/*.png >"$T/qrtext.txt" 2>/dev/null
check "the printed QR codes decode (one a form)" [ "$(grep -c . "$T/qrtext.txt")" = 3 ]
check "to letters and digits alone, 346 of them" sh -c "! grep -vqE '^[0-9A-Z]{346}\$' '$T/qrtext.txt'"
check "naming nothing a guard could search for (no 'ferry', no 'seal')" sh -c "! grep -qiE 'ferry|seal' '$T/qrtext.txt'"
mkdir "$T/v1"
VFP=$(sed -n 's/^fingerprint //p' "$ROOT/tests/vectors/keys.txt")
expect "a version 1 code (FERRY1:..., printed before) still seals" 0 "$SEAL" \
	--code "$(cat "$ROOT/tests/vectors/sealcode-form1-v1.txt")" --desk "$VFP" -o "$T/v1" "$P"
has "to its form" "sealed 1 page for form"

# --- Simulated photos: every one zbarimg reads, ferry-seal reads ------------
mkdir "$T/ph"
i=0
for spec in "3 0.7 2850 20" "7 1.0 2850 -30" "11 1.4 2400 40" "15 0.8 2600 -10" "-6 1.8 2850 25" "9 0.6 1500 15"; do
	i=$((i + 1))
	# shellcheck disable=SC2086
	phone_photo "$T/form-1.png" "$T/ph/p$i.jpg" $spec
done
check "the photos are 12 MP JPEGs" sh -c "[ \"\$(identify -format '%wx%h %m\n' '$T'/ph/*.jpg | sort -u)\" = '4000x3000 JPEG' ]"
z=0 f=0 missed=0 n=0
for p in "$T"/ph/*.jpg; do
	n=$((n + 1))
	zr=$(zbarimg -q --raw "$p" 2>/dev/null | grep -cE '^[0-9A-Z]{346}$')
	fr=$("$TOOL" qr-find "$p" | sed -n '1s/.*: //p')
	[ "$zr" -gt 0 ] && z=$((z + 1))
	[ "$fr" = 1 ] && f=$((f + 1))
	[ "$zr" -gt 0 ] && [ "$fr" != 1 ] && missed=$((missed + 1))
done
echo "# of $n simulated photos: ferry-seal read $f, zbarimg $z"
check "every photo zbarimg reads, ferry-seal reads ($f and $z of $n)" [ "$missed" = 0 ] && [ "$z" -gt 0 ]
check "most of these photos are read (the page fills the frame in five)" [ "$f" -ge 5 ]

# --- Sealing from the photos ---------------------------------------------------
mkdir "$T/out"
expect "seal with only --desk: the seal code comes from the photo" 0 "$SEAL" --desk "$FP" --word-file "$PW" -o "$T/out" "$T/ph/p1.jpg" "$T/page2.png"
has "and the report says which page carried it" "seal code of form $F1 read from page 1"
cp "$T"/out/* "$T/desk/intake/"
expect "the desk opens it" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "as the right form's testimony" "1 testimony"
check "in that form's case, pack-proven" sh -c "[ -f '$T/desk/cases/$F1/page-02.png' ] && grep -q 'sealed-with: pack' '$T/desk/cases/$F1/manifest.txt'"

# --- Refusals: each with its error, nothing written ------------------------------
phone_photo "$T/form-2.png" "$T/other.jpg" 5 0.8 2850 10
nothing() { [ -z "$(ls -A "$T/refused")" ]; }
mkdir "$T/refused"
expect "two forms' photos" 1 "$SEAL" --desk "$FP" -o "$T/refused" "$T/ph/p1.jpg" "$T/other.jpg"
has "are refused, naming the page" "page 2 ('$T/other.jpg') carries another form's code than page 1: were two forms mixed?"
check "nothing written" nothing
expect "no page with a readable code" 1 "$SEAL" --desk "$FP" -o "$T/refused" "$T/page2.png" "$T/IMG_20231104_142233.jpg"
has "is refused with what to do" "no page carries a readable seal code"
check "nothing written" nothing
qrencode -l M -s 8 -o "$T/hello.png" "https://example.org/not-a-seal-code"
phone_photo "$T/hello.png" "$T/hello.jpg" 4 0.6 1800 0
expect "a QR that is no seal code" 1 "$SEAL" --desk "$FP" -o "$T/refused" "$T/hello.jpg"
has "is named as such" "the pages carry a QR code, but not a ferry seal code"
check "nothing written" nothing
# A forged code (right checksum, wrong signature), printed as a QR.
CODE1=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 1p | cut -d' ' -f2)
python3 "$ROOT/tests/e2e/forge_sealcode.py" "$CODE1" >"$T/forged.txt"
qrencode -l M -s 8 -o "$T/forged.png" "$(cat "$T/forged.txt")"
phone_photo "$T/forged.png" "$T/forged.jpg" 4 0.6 1800 0
expect "a forged seal code (right checksum, wrong signature)" 1 "$SEAL" --desk "$FP" -o "$T/refused" "$T/forged.jpg"
has "is refused as not verifying" "carries a seal code that does not verify"
check "nothing written" nothing
expect "with --pack, a page whose QR names another form" 1 "$SEAL" --pack "$PK" --form "$F1" --desk "$FP" -o "$T/refused" "$T/other.jpg"
has "is refused, naming it" "carries the code of form $F2, not of the form being sealed"
check "nothing written" nothing
expect "unless --force" 0 "$SEAL" --pack "$PK" --form "$F1" --desk "$FP" --force -o "$T/refused/forced" "$T/other.jpg"

# --- The decoder's sandbox ---------------------------------------------------------
rm -rf "$T/refused" && mkdir "$T/refused"
expect "a decoder that makes a forbidden system call" 2 env FERRY_TEST_QR_HOOK=syscall "$HOOK" --desk "$FP" -o "$T/refused" "$T/ph/p1.jpg"
has "is stopped by its sandbox and reported" "page 1 ('$T/ph/p1.jpg'): the QR decoder tried a system call its sandbox forbids"
check "nothing written" nothing
expect "a decoder that exits without its answer" 2 env FERRY_TEST_QR_HOOK=silent "$HOOK" --desk "$FP" -o "$T/refused" "$T/ph/p1.jpg"
has "is reported as that, not as a sandbox that did not start" "page 1 ('$T/ph/p1.jpg'): the QR decoder ended without giving its answer"
check "nothing written" nothing
expect "a decoder that spins" 2 env FERRY_TEST_QR_HOOK=spin FERRY_TEST_QR_CPU=1 "$HOOK" --desk "$FP" -o "$T/refused" "$T/ph/p1.jpg"
has "is stopped at its CPU limit" "the QR decoder ran out of its time (1 s of CPU)"
check "nothing written" nothing
if [ "${FERRY_SUITE:-plain}" = asan ]; then
	skip "a page past the decoder's memory limit" "AddressSanitizer needs an unlimited address space"
else
	# A 12 MP photo with no code in it: the search at 2000 pixels finds
	# nothing, so the whole photo is decoded and searched, which does not
	# fit in 40 MiB.
	convert-im6 -size 4000x3000 gradient:white-gray60 -attenuate 0.4 +noise Gaussian -quality 85 "$T/nocode12mp.jpg"
	expect "a page past the decoder's memory limit (here 40 MiB)" 2 env FERRY_TEST_QR_MEMORY=40 "$HOOK" --desk "$FP" -o "$T/refused" "$T/nocode12mp.jpg"
	has "is refused as an error about that page, naming the decoder (out of memory, or a crash in zbar)" "page 1 ('$T/nocode12mp.jpg'): .*the QR decoder"
	check "nothing written" nothing
fi
expect "the same page with the hook idle seals" 0 "$HOOK" --desk "$FP" -o "$T/refused" "$T/ph/p1.jpg"
