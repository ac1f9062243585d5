#!/bin/sh
# Printable questionnaires through real tools: zbarimg reads every QR
# back to its seal code, a seal code from a QR seals a bundle the desk
# opens, and headless Chromium prints the forms to PDF with one page per
# form, Korean text intact and a QR that still scans at 150 dpi.
. tests/e2e/lib.sh
need zbarimg chromium pdfinfo pdftotext pdftoppm convert-im6
make_desk
CH="chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync"
cat >"$T/questions.txt" <<'Q'
# Interview, spring round
Working conditions / 근로 조건 / 工作条件
How many hours do you work a day? [3]
하루에 몇 시간 일합니까? 휴일이 있습니까?
你的护照在谁手里？ [2]
Can you leave the dormitory at night? Who decides? [5]
Q
expect "issue with a questions file" 0 "$DESK" issue "$T/desk" --forms 3 --label "round 2, contact C" \
	--questions "$T/questions.txt" --qr-module 6 --passphrase-file "$T/pass" -o "$T/print"
has "one page a form" "1 page a form"
HTML=$(ls "$T"/print/forms-*.html)
CODES2=$(ls "$T"/print/codes-*.txt)
check "nothing desk-private on paper: no label" sh -c "! grep -q 'contact C' '$HTML'"
check "nothing desk-private on paper: no vault path" sh -c "! grep -q '$T' '$HTML'"
check "no network loads: CSP forbids them" grep -q "default-src 'none'; img-src data:" "$HTML"
check "no external URL at all" sh -c "! grep -Eq 'https?://|src=\"[a-z]+:/' '$HTML'"

n=0
grep -v '^#' "$CODES2" >"$T/codes.list"
while read -r form code; do
	n=$((n + 1))
	png="$T/print/qr/$form.png"
	check "qr/$form.png exists" [ -f "$png" ]
	got=$(zbarimg --raw -q "$png" 2>/dev/null)
	check "zbarimg reads form $n's QR back to its exact seal code" [ "$got" = "$code" ]
	check "QR image is 1-bit with a 4-module quiet zone" sh -c "file '$png' | grep -q '1-bit grayscale' && [ \"\$(convert-im6 '$png' -crop 24x24+0+0 -format '%[fx:minima]' info:)\" = 1 ]"
done <"$T/codes.list"
check "three forms, three codes" [ "$n" = 3 ]

# A seal code as a reader app returns it seals a bundle the desk opens.
F1=$(sed -n 1p "$T/codes.list" | cut -d' ' -f1)
SCANNED=$(zbarimg --raw -q "$T/print/qr/$F1.png" 2>/dev/null)
convert-im6 -size 40x30 gradient:green-yellow "$T/page.png"
expect "ferry-seal --code with the scanned string" 0 "$SEAL" --code "$SCANNED" --desk "$FP" -o "$T/b1" "$T/page.png"
expect "the desk opens it" 0 "$DESK" open "$T/desk" "$T/b1" --passphrase-file "$T/pass"
has "as a testimony for that form" "testimony for form $F1"

# Real browser: print to PDF and take a screenshot.
$CH --user-data-dir="$T/prof1" --no-pdf-header-footer --print-to-pdf="$T/forms.pdf" "file://$HTML" >/dev/null 2>&1
check "Chromium printed a PDF" [ -s "$T/forms.pdf" ]
pages=$(pdfinfo "$T/forms.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
check "the PDF has one page per form (3)" [ "$pages" = 3 ]
check "A4 paper" sh -c "pdfinfo '$T/forms.pdf' | grep -q '(A4)'"
pdftotext "$T/forms.pdf" "$T/forms.txt"
check "the Korean question text is in the PDF" grep -q "하루에 몇 시간 일합니까" "$T/forms.txt"
check "the Chinese question text is in the PDF" grep -q "你的护照在谁手里" "$T/forms.txt"
check "the form code is on the page" grep -q "$F1" "$T/forms.txt"
check "page k of n is on the page" grep -q "page 1 of 1" "$T/forms.txt"
pdftoppm -r 150 -png "$T/forms.pdf" "$T/page"
k=0
while read -r form code; do
	k=$((k + 1))
	img=$(ls "$T"/page-*.png | sed -n "${k}p")
	got=$(zbarimg --raw -q "$img" 2>/dev/null)
	check "zbarimg reads page $k's QR at 150 dpi as form $k's seal code" [ "$got" = "$code" ]
done <"$T/codes.list"
$CH --user-data-dir="$T/prof2" --window-size=900,1300 --screenshot="$T/shot.png" "file://$HTML" >/dev/null 2>&1
check "Chromium took a screenshot" sh -c "file '$T/shot.png' | grep -q PNG"
# Without a CJK font Chromium draws Hangul as empty boxes; with one, the
# rendered title has ink where the Korean words are.
check "a CJK font is installed" sh -c "fc-list :lang=ko | grep -q ."

# Letter paper and a questionnaire that runs over two pages.
{
	echo "Long form"
	i=1
	while [ $i -le 12 ]; do echo "Question number $i about the work [5]"; i=$((i + 1)); done
} >"$T/long.txt"
expect "issue on letter paper, two pages a form" 0 "$DESK" issue "$T/desk" --forms 2 --label l \
	--questions "$T/long.txt" --paper letter --passphrase-file "$T/pass" -o "$T/long"
has "reports pages a form" "pages a form"
per=$(printf '%s' "$OUT" | sed -n 's/.*(\([0-9]*\) pages a form).*/\1/p')
$CH --user-data-dir="$T/prof3" --no-pdf-header-footer --print-to-pdf="$T/long.pdf" "file://$(ls "$T"/long/forms-*.html)" >/dev/null 2>&1
pages=$(pdfinfo "$T/long.pdf" 2>/dev/null | sed -n 's/^Pages: *//p')
check "the PDF has pages-a-form x forms pages" [ "$pages" = $((per * 2)) ]
check "letter paper" sh -c "pdfinfo '$T/long.pdf' | grep -q 'letter'"
pdftotext "$T/long.pdf" "$T/long.txt.out"
check "every page says page k of n" grep -q "page $per of $per" "$T/long.txt.out"

# Bad questions files: clear errors with line numbers, no pack made.
before=$(ls "$T/desk/packs" | wc -l)
printf 'Title\nfine\nbad \377 byte\n' >"$T/q1"
expect "invalid UTF-8 refused" 2 "$DESK" issue "$T/desk" --forms 1 --label x --questions "$T/q1" --passphrase-file "$T/pass"
has "names line 3" "line 3.*UTF-8"
printf '' >"$T/q2"
expect "empty questions file refused" 2 "$DESK" issue "$T/desk" --forms 1 --label x --questions "$T/q2" --passphrase-file "$T/pass"
has "says nothing in it" "nothing in it"
printf 'Title\nshort\nneeds a whole page of lines [30]\n' >"$T/q3"
expect "a question longer than fits a page refused" 2 "$DESK" issue "$T/desk" --forms 1 --label x --questions "$T/q3" --passphrase-file "$T/pass"
has "names line 3 and the page" "line 3.*do not fit on one A4 page"
check "no pack was made for a refused file" [ "$(ls "$T/desk/packs" | wc -l)" = "$before" ]

# The key card.
expect "fingerprint --qr --png" 0 "$DESK" fingerprint "$T/desk" --qr --png "$T/card.png" --passphrase-file "$T/pass"
has "half blocks in the terminal QR" "▀"
check "the key card PNG decodes to the fingerprint" [ "$(zbarimg --raw -q "$T/card.png" 2>/dev/null)" = "$FP" ]

# --- A Korean form: its own words in Korean, instructions, long lines wrap ---
LONGWORD=$(python3 -c "print('https://example.org/' + 'x' * 180)")
cat >"$T/ko.txt" <<Q
근로 조건 설문
> 이름을 쓰지 마세요. 답하고 싶지 않은 질문은 비워 두세요.
하루에 몇 시간 일합니까? [2]
$LONGWORD [1]
> 다음 질문은 선택입니다.
여권은 누가 가지고 있습니까? [2]
Q
expect "issue --lang ko" 0 "$DESK" issue "$T/desk" --forms 1 --label ko --lang ko \
	--questions "$T/ko.txt" --passphrase-file "$T/pass" -o "$T/ko"
KOHTML=$(ls "$T"/ko/forms-*.html)
check "the page says it is Korean" grep -q '<html lang="ko">' "$KOHTML"
$CH --user-data-dir="$T/prof4" --no-pdf-header-footer --print-to-pdf="$T/ko.pdf" "file://$KOHTML" >/dev/null 2>&1
pdftotext "$T/ko.pdf" "$T/ko.pdf.txt"
KOCODE=$(grep -v '^#' "$T"/ko/codes-*.txt | sed -n 1p | cut -d' ' -f1)
check "the form's own words print in Korean" sh -c "grep -q '설문지' '$T/ko.pdf.txt' && grep -q '1쪽 중 1쪽' '$T/ko.pdf.txt'"
# Without the form code and the long line (the questions file's own), no
# Latin word is left on the printed page.
check "no English word of ferry's own on the page" sh -c \
	"! sed -e 's/$KOCODE//g' -e 's#https://example.org/##g' -e 's/xx*//g' '$T/ko.pdf.txt' | grep -qE '[A-Za-z]{2,}'"
check "instructions print as a block, unnumbered" sh -c \
	"grep -q '이름을 쓰지 마세요' '$T/ko.pdf.txt' && ! grep -qE '^[0-9]+\. *이름을' '$T/ko.pdf.txt'"
check "questions are numbered without them (1, 2, 3)" sh -c \
	"grep -q '^1\. 하루에' '$T/ko.pdf.txt' && grep -q '^3\. 여권은' '$T/ko.pdf.txt'"
check "a 200-character unbroken line wraps and is printed whole" python3 -c "
import sys
t = open('$T/ko.pdf.txt').read()
lines = [l for l in t.splitlines() if 'x' * 20 in l or 'example' in l]
sys.exit(not (len(lines) >= 2 and ''.join(t.split()).count('x' * 180) == 1))"
check "the QR's text names nothing" sh -c "zbarimg -q --raw '$T'/ko/qr/*.png | grep -vqiE 'ferry|seal'"
