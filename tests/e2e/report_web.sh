#!/bin/sh
# The report's pages open full size on a click, in headless Chromium
# (tests/web/report.js): a case whose photo the phone held turned (EXIF
# orientation 6) shows its page turned, a click shows the same page as
# large as the window, turned the same way, with no script, no request and no
# CSP violation; another click closes it. Each photographed page shows,
# beside it, the questions printed on that page of the form (kept in the
# vault when the pack was issued). The index sorts and filters by pack,
# flag and date with its one inline script, allowed by its hash (and no
# other). FERRY_SHOTS=DIR keeps the screenshots.
. tests/e2e/lib.sh
need chromium node python3
export NODE_PATH="$ROOT/$BUILD/web/npm/node_modules"
make_desk
make_pages
convert-im6 -size 1200x800 gradient:white-gray40 -fill black -pointsize 60 -annotate +80+400 'page one' "$T/big.jpg"
exiftool -q -overwrite_original -Orientation#=6 "$T/big.jpg"
convert-im6 -size 800x1100 xc:white -fill black -pointsize 50 -annotate +80+400 'page two' "$T/second.jpg"
# Two printed pages: the second starts at "What is deducted".
cat >"$T/questions.txt" <<'EOF'
Working conditions, site 7
> Do not write your name anywhere on this form.
How many hours a day do you work? [8]
Can you leave the dormitory when you are not working? [8]
What is deducted from your pay, and why? [8]
질문: 휴일이 있습니까? [8]
EOF
"$DESK" issue "$T/desk" --forms 2 --label "site 7" --questions "$T/questions.txt" --passphrase-file "$T/pass" -o "$T/qpack" >"$T/issue.out"
QPACK=$(ls "$T"/qpack/pack-*.ferrypack)
QWORD=$(ls "$T"/qpack/secret/word-*.txt)
QFORM=$(grep -v '^#' "$T"/qpack/codes-*.txt | sed -n 1p | cut -d' ' -f1)
check "the questions print on two pages" grep -q "2 pages" "$T/issue.out"
# Two days of opening, nine days apart: the first opens the questioned
# form and form 1; the second, form 1 again (answered twice) and form 2
# sealed without the pack word (code only).
DAY=86400
NOW=$(date +%s)
FROM=$(date -u -d @$((NOW + 5 * DAY)) +%F)
"$SEAL" --pack "$QPACK" --word-file "$QWORD" --form "$QFORM" --desk "$FP" -o "$T/desk/intake/a" -q "$T/big.jpg" "$T/second.jpg"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/desk/intake/b" -q "$T/second.jpg"
env FERRY_TEST_NOW=$((NOW + DAY)) "$DCLK" open "$T/desk" --passphrase-file "$T/pass" >/dev/null
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/desk/intake/c" -q "$T/big.jpg"
"$SEAL" --pack "$PACK" --form "$FORM2" --desk "$FP" -o "$T/desk/intake/d" -q "$T/big.jpg" 2>/dev/null </dev/null
env FERRY_TEST_NOW=$((NOW + 10 * DAY)) "$DCLK" open "$T/desk" --passphrase-file "$T/pass" >/dev/null
expect "the report is written" 0 "$DESK" report "$T/desk" -o "$T/rep" --same-disk --passphrase-file "$T/pass"
check "a pack issued without questions shows none" sh -c "! grep -q 'class=\"qs\"' '$T/rep/case-$FORM1.html'"
shots=${FERRY_SHOTS:+$FERRY_SHOTS/report}
if node "$ROOT/tests/web/report.js" "$T/rep/case-$QFORM.html" $shots >"$T/r.json" 2>"$T/r.err"; then
	ok "Chromium opens the case page and clicks its page"
else
	not_ok "Chromium opens the case page and clicks its page" "$(tail -n 5 "$T/r.err")"
fi
f() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$T/r.json"; }
check "before a click the full-size view is hidden" [ "$(f "d['before']['shown']")" = False ]
check "the page is shown turned as the phone held it (orientation 6: a quarter turn)" \
	[ "$(f "d['thumb']['transform'] != 'none'")" = True ]
check "a click shows the full-size view" [ "$(f "d['after']['shown']")" = True ]
check "larger than on the case page, and within the window (1000 x 800)" \
	[ "$(f "max(d['after']['width'], d['after']['height']) > max(d['thumb']['width'], d['thumb']['height']) and d['after']['width'] <= 1000 and d['after']['height'] <= 800")" = True ]
check "upright: turned, its box is taller than wide like the page it shows" \
	[ "$(f "d['after']['height'] > d['after']['width']")" = True ]
check "turned the same way" [ "$(f "d['after']['transform'] == d['thumb']['transform']")" = True ]
check "another click closes it" [ "$(f "d['closed']['shown']")" = False ]
check "no request left the report" [ "$(f "len(d['requests'])")" = 0 ]
check "no CSP violation, no script error" [ "$(f "len(d['csp']) + len(d['errors'])")" = 0 ]
check "and the case pages hold no script" sh -c "! grep -qi '<script' '$T'/rep/case-*.html"
# The questions beside their pages: as the journalist sees them, not as
# the HTML spells them.
check "two photographed pages, each with its questions beside it" [ "$(f "len(d['beside'])")" = 2 ]
check "each page's questions are to the right of its photograph, level with it" \
	[ "$(f "all(b['aside']['left'] >= b['img']['right'] and b['aside']['top'] < b['img']['bottom'] and b['aside']['bottom'] > b['img']['top'] for b in d['beside'])")" = True ]
check "beside page 1: the instruction and question 1, numbered as printed" \
	[ "$(f "'Do not write your name' in d['beside'][0]['text'] and '1. How many hours a day' in d['beside'][0]['text']")" = True ]
check "beside page 1: not the questions printed on page 2" \
	[ "$(f "'deducted' not in d['beside'][0]['text']")" = True ]
check "beside page 2: its questions, in their language" \
	[ "$(f "'3. What is deducted' in d['beside'][1]['text'] and '휴일이 있습니까' in d['beside'][1]['text'] and 'page 2 of 2' in d['beside'][1]['text']")" = True ]

# The index: filtered and sorted in Chromium.
QSHORT=$(basename "$QPACK" .ferrypack | sed 's/^pack-//')
if node "$ROOT/tests/web/index.js" "$T/rep/index.html" "$QSHORT" "$FROM" $shots >"$T/i.json" 2>"$T/i.err"; then
	ok "Chromium sorts and filters the index"
else
	not_ok "Chromium sorts and filters the index" "$(tail -n 5 "$T/i.err")"
fi
i() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($1)" "$T/i.json"; }
check "the filters show (the script ran) and all four cases are listed" \
	[ "$(i "d['all']['filters'] and len(d['all']['names']) == 4 and d['all']['status'] == '4 of 4 cases shown'")" = True ]
check "by pack: only the questioned pack's case" [ "$(i "d['pack']['names']")" = "['$QFORM']" ]
check "by flag: the two answers to form 1, marked answered twice" [ "$(i "sorted(d['twice']['names']) == sorted(['$FORM1', '$FORM1.2'])")" = True ]
check "by flag: the code-only answer" [ "$(i "d['codeOnly']['names']")" = "['$FORM2']" ]
check "no flag: the questioned form alone" [ "$(i "d['none']['names']")" = "['$QFORM']" ]
check "opened from $FROM: the second day's two" [ "$(i "sorted(d['from']['names']) == sorted(['$FORM1.2', '$FORM2'])")" = True ]
check "opened up to $FROM: the first day's two" [ "$(i "sorted(d['to']['names']) == sorted(['$FORM1', '$QFORM'])")" = True ]
check "sorted by opened: the first day's two first" \
	[ "$(i "sorted(d['ascending']['names'][:2]) == sorted(['$FORM1', '$QFORM'])")" = True ]
check "newest first after the second click, and the header says so" \
	[ "$(i "sorted(d['descending']['names'][:2]) == sorted(['$FORM1.2', '$FORM2']) and d['sortMark'] == 'descending'")" = True ]
check "no request, no CSP violation, no script error in the index" [ "$(i "len(d['requests']) + len(d['csp']) + len(d['errors'])")" = 0 ]
check "the index's one script is allowed by its hash alone" \
	sh -c "[ \$(grep -c '<script>' '$T/rep/index.html') = 1 ] && grep -q \"script-src 'sha256-\" '$T/rep/index.html' && ! grep -qi -e unsafe-inline -e '<script src' '$T'/rep/*.html"
