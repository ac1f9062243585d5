#!/bin/sh
# The report's pages open full size on a click, in headless Chromium
# (tests/web/report.js): a case whose photo the phone held turned (EXIF
# orientation 6) shows its page turned, a click shows the same page as
# large as the window, turned the same way, with no script, no request and no
# CSP violation; another click closes it. FERRY_SHOTS=DIR keeps the
# screenshots.
. tests/e2e/lib.sh
need chromium node python3
export NODE_PATH="$ROOT/$BUILD/web/npm/node_modules"
make_desk
make_pages
convert-im6 -size 1200x800 gradient:white-gray40 -fill black -pointsize 60 -annotate +80+400 'page one' "$T/big.jpg"
exiftool -q -overwrite_original -Orientation#=6 "$T/big.jpg"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" -o "$T/desk/intake/a" -q "$T/big.jpg"
"$DESK" open "$T/desk" --passphrase-file "$T/pass" >/dev/null
expect "the report is written" 0 "$DESK" report "$T/desk" -o "$T/rep" --same-disk --passphrase-file "$T/pass"
shots=${FERRY_SHOTS:+$FERRY_SHOTS/report}
if node "$ROOT/tests/web/report.js" "$T/rep/case-$FORM1.html" $shots >"$T/r.json" 2>"$T/r.err"; then
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
check "and the report holds no script" sh -c "! grep -qi '<script' '$T'/rep/*.html"
