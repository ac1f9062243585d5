#!/bin/sh
# The case browser in headless Chromium: the index and a case page as
# screenshots, every case in the DOM, pages shown turned as the manifest
# says, Korean answers and notes rendered, a strict CSP and no request
# from the report (Chromium's network log), files checked against the log,
# and bad input.
. tests/e2e/lib.sh
need chromium pdftotext python3 cmp
CH="chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync --enable-logging=stderr --v=0"
make_desk
make_pages
d() { "$DESK" "$@" --passphrase-file "$T/pass"; }
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/a" -q "$T/IMG_20231104_142233.jpg" "$T/page2.png"
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/b" -q
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/c" -q "$T/page2.png"
d open "$T/desk" >/dev/null
d note "$T/desk" "$FORM1" "전사: 하루 14시간 일한다고 함 — call back Friday" >/dev/null
find "$T/desk" | sort >"$T/desk.before"

expect "report needs -o" 2 d report "$T/desk"
# The test's folders share the desk's disk: --same-disk says that is meant.
expect "a report on the desk's own disk is refused" 2 d report "$T/desk" -o "$T/rep"
has "saying it would be every testimony in the clear beside the desk" "is on the desk's own disk"
has "with a hint that names encrypted media" "LUKS or VeraCrypt"
check "and nothing is written" test ! -e "$T/rep"
expect "report writes a folder (--same-disk)" 0 d report "$T/desk" -o "$T/rep" --same-disk
has "and says how many cases" "3 cases"
check "the desk's own folder is unchanged (no copies in it)" sh -c "find '$T/desk' | sort | cmp -s - '$T/desk.before'"
check "an index and a page per case" sh -c "[ -f '$T/rep/index.html' ] && [ \$(ls '$T'/rep/case-*.html | wc -l) = 3 ]"
check "the pages are files next to the HTML, the same bytes as the case's" cmp "$T/desk/cases/$FORM1/page-01.jpg" "$T/rep/cases/$FORM1/page-01.jpg"
check "every page has a strict CSP" sh -c "for f in '$T'/rep/*.html; do grep -q \"default-src 'none'; img-src 'self'; style-src 'sha256-\" \"\$f\" || exit 1; done"
check "no script in a case page, no inline style permission anywhere" sh -c "! grep -qi -e '<script' '$T'/rep/case-*.html && ! grep -qi -e unsafe-inline -e 'style=' '$T'/rep/*.html"
check "the index's one script is inline and allowed by its hash" sh -c "[ \$(grep -c '<script' '$T/rep/index.html') = 1 ] && grep -q \"script-src 'sha256-\" '$T/rep/index.html'"
check "no URL to anywhere" sh -c "! grep -rqi -e 'https\\?:' -e 'src=\"/' -e 'href=\"/' '$T/rep'"
check "no pack label anywhere in the report" sh -c "! grep -rq 'given to contact B' '$T/rep'"
expect "report --labels" 0 d report "$T/desk" -o "$T/rep-labels" --labels --same-disk
has "warns that the labels are in it" "warning: the report names each pack's label"
check "and then shows them" grep -q 'given to contact B via courier' "$T/rep-labels/index.html"
rm -rf "$T/rep-labels"
check "report files are private (0600, folders 0700)" sh -c "[ -z \"\$(find '$T/rep' -type f ! -perm 600)\" ] && [ -z \"\$(find '$T/rep' -type d ! -perm 700)\" ]"

# --- In Chromium -------------------------------------------------------------
$CH --user-data-dir="$T/p1" --window-size=1200,900 --screenshot="$T/index.png" "file://$T/rep/index.html" >/dev/null 2>&1
$CH --user-data-dir="$T/p2" --window-size=1200,2000 --screenshot="$T/case.png" "file://$T/rep/case-$FORM1.html" >/dev/null 2>&1
check "a screenshot of the index" sh -c "[ \$(stat -c %s '$T/index.png') -gt 10000 ]"
check "a screenshot of a case" sh -c "[ \$(stat -c %s '$T/case.png') -gt 10000 ]"
[ -n "${FERRY_KEEP_SHOTS:-}" ] && cp "$T/index.png" "$T/case.png" "$FERRY_KEEP_SHOTS/"
$CH --user-data-dir="$T/p3" --log-net-log="$T/net.json" --dump-dom "file://$T/rep/index.html" >"$T/index.dom" 2>"$T/index.log"
check "the DOM lists every case" sh -c "[ \$(grep -o 'class=\"case\"' '$T/index.dom' | wc -l) = 3 ] && grep -q '>$FORM1<' '$T/index.dom' && grep -q '>$FORM1.2<' '$T/index.dom' && grep -q '>walkin-' '$T/index.dom'"
check "and flags the form answered twice" grep -q "answered twice" "$T/index.dom"
$CH --user-data-dir="$T/p4" --log-net-log="$T/net2.json" --dump-dom "file://$T/rep/case-$FORM1.html" >"$T/case.dom" 2>"$T/case.log"
check "the case page shows its pages as images, turned as the manifest says" sh -c "grep -q 'class=\"pg o6\" src=\"cases/$FORM1/page-01.jpg\"' '$T/case.dom' && grep -q 'class=\"pg o1\" src=\"cases/$FORM1/page-02.png\"' '$T/case.dom'"
check "the sealer's removal report" grep -q "removed by the sealer: EXIF: GPS position" "$T/case.dom"
check "the answers, in Korean" grep -q "휴일이 있습니까" "$T/case.dom"
check "the note, in Korean" grep -q "하루 14시간 일한다고 함" "$T/case.dom"
check "the log entry's hash" grep -q "BLAKE2b-256 of its text <code>[0-9a-f]\{64\}</code>" "$T/case.dom"
check "the answered-twice warning" grep -q "answered more than once" "$T/case.dom"
check "no CSP violation: the style's hash matches, nothing was refused" sh -c "! grep -qi -e refused -e 'content security' '$T/index.log' '$T/case.log'"
# Chromium makes requests of its own (its updater, its account check);
# none may come from the report: every request's initiator is the
# browser itself, not a page.
cat >"$T/net.py" <<'PY'
import json, re, sys
bad = 0
for f in sys.argv[1:]:
    text = open(f).read()
    try:
        d = json.loads(text)
        types = {v: k for k, v in d["constants"]["logEventTypes"].items()}
        starts = [ev.get("params", {}) for ev in d["events"]
                  if types.get(ev["type"]) == "URL_REQUEST_START_JOB"]
        reqs = [(p.get("url"), p.get("initiator")) for p in starts if "url" in p]
        urls = [p["url"] for ev in d["events"] for p in [ev.get("params", {})] if "url" in p]
    except ValueError:
        # A log cut short when the browser exited: read its requests as text.
        reqs = [(None, i) for i in re.findall(r'"initiator":"([^"]*)"', text)]
        urls = re.findall(r'"url":"([^"]*)"', text)
    for url, initiator in reqs:
        if initiator is not None and initiator != "not an origin":
            print("# a page asked for", url, "initiator", initiator)
            bad += 1
    for url in urls:
        if url.startswith("file:") or "ferry" in url:
            print("# logged:", url)
            bad += 1
sys.exit(1 if bad else 0)
PY
check "nothing was fetched for the report (Chromium's network log)" python3 "$T/net.py" "$T/net.json" "$T/net2.json"
$CH --user-data-dir="$T/p5" --no-pdf-header-footer --print-to-pdf="$T/case.pdf" "file://$T/rep/case-$FORM1.html" >/dev/null 2>&1
pdftotext "$T/case.pdf" "$T/case.txt" 2>/dev/null
check "the Korean answers render (printed and read back)" grep -q "휴일이 있습니까" "$T/case.txt"
check "the Korean note renders" grep -q "14시간" "$T/case.txt"

# --- Files that do not match the log, and bad input ------------------------
printf 'x' >>"$T/desk/cases/$FORM1/page-02.png"
expect "a case file changed since it opened: exit 1" 1 d report "$T/desk" -o "$T/rep2" --same-disk
has "with a warning" "did not match the log"
check "the changed file is not in the report" sh -c "[ ! -e '$T/rep2/cases/$FORM1/page-02.png' ] && [ -e '$T/rep2/cases/$FORM1/page-01.jpg' ]"
check "its page says so" grep -q "does not match the log" "$T/rep2/case-$FORM1.html"
expect "an existing folder is refused" 2 d report "$T/desk" -o "$T/rep" --same-disk
expect "a folder inside the desk is refused, --same-disk or not" 2 d report "$T/desk" -o "$T/desk/report" --same-disk
check "and nothing was written there" [ ! -e "$T/desk/report" ]
expect "a wrong passphrase" 1 sh -c "printf 'nope nope\n' >'$T/bad'; '$DESK' report '$T/desk' -o '$T/rep3' --same-disk --passphrase-file '$T/bad'"
check "leaves no folder" sh -c "[ ! -e '$T/rep3' ] && ! ls -d '$T'/rep3.tmp-* 2>/dev/null"

# On a medium of its own (a tmpfs mounted in a mount namespace of the
# test's, standing for the encrypted USB stick) the report needs no flag.
mkdir "$T/media"
if unshare -m sh -c "mount -t tmpfs none '$T/media'" 2>/dev/null; then
	# (exit 1 stays: a case file was changed above; the report is written)
	expect "a report on another disk is written without --same-disk" 0 unshare -m sh -c \
		"mount -t tmpfs none '$T/media' && { '$DESK' report '$T/desk' -o '$T/media/rep' --passphrase-file '$T/pass'; test -f '$T/media/rep/index.html'; }"
	has "and says where" "wrote the report to $T/media/rep"
else
	skip "a report on another disk is written without --same-disk" "no mount namespace here (unshare -m)"
fi

