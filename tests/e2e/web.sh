#!/bin/sh
# The offline page (issue 19, part 2) in Debian's headless Chromium, driven
# by puppeteer-core (tests/web/drive.js), loaded from file:// with every
# other request refused: it seals simulated phone photos of a printed form
# without a code typed, the desk opens the bundle as the same container
# ferry-seal makes of the same photos, no request leaves the page, storage
# stays empty, Korean shows under a Korean browser, and mixed forms, a page
# without a code, a QR that is no seal code, a forged code, another desk's
# fingerprint and a mistyped pack word are each refused with their own
# words and no bundle. Screenshots go to $FERRY_SHOTS when set (to look at
# by eye), never into the repository.
. tests/e2e/lib.sh
need chromium pdftoppm convert-im6 qrencode python3 node
. tests/e2e/lib-photos.sh
PAGE="$ROOT/$BUILD/web/ferry-seal.html"
export NODE_PATH="$ROOT/$BUILD/web/npm/node_modules"
check "make web built one page of at most 4 MB" sh -c "[ -f '$PAGE' ] && [ \$(wc -c <'$PAGE') -le 4194304 ]"
check "its policy loads nothing: default-src 'none', no network source" sh -c \
	"grep -q \"default-src 'none'; script-src 'sha256-[^ ]*' 'wasm-unsafe-eval'; style-src 'sha256-[^ ]*'; base-uri 'none'; form-action 'none'\" '$PAGE'"
check "and it has no fetch, XMLHttpRequest, storage or worker of its own" sh -c \
	"! grep -qE 'fetch\(|XMLHttpRequest|localStorage|indexedDB|serviceWorker|new Worker|sendBeacon|WebSocket' '$ROOT/web/page.js' '$ROOT/web/strings.js'"

make_desk
printf 'Working conditions\nHow many hours a day? [3]\n' >"$T/q.txt"
"$DESK" issue "$T/desk" --forms 2 --label "printed" --questions "$T/q.txt" \
	-o "$T/pk" --passphrase-file "$T/pass" >/dev/null
PK=$(ls "$T"/pk/pack-*.ferrypack)
W=$(grep -v '^#' "$T"/pk/secret/word-*.txt | head -n 1)
F1=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 1p | cut -d' ' -f1)
render_forms "$T"/pk/forms-*.html "$T/form" || { not_ok "Chromium renders the printed forms" "see render_forms"; exit 1; }
phone_photo "$T/form-1.png" "$T/p1.jpg" 7 1.0 2850 -30
phone_photo "$T/form-1.png" "$T/p2.jpg" 12 0.8 2100 25
phone_photo "$T/form-2.png" "$T/other.jpg" 5 0.8 2850 10
convert-im6 -size 640x480 gradient:white-gray70 -quality 85 "$T/blank.jpg"
exiftool -q -overwrite_original -GPSLatitude=22.5431 -GPSLatitudeRef=N \
	-GPSLongitude=114.0579 -GPSLongitudeRef=E -Make=PhoneCo "$T/p2.jpg"

# drive NAME LANG DESK WORD PHOTO...: the page as a contact uses it; its
# answer (JSON) in $T/NAME.json, the bundle it saved in $T/dl-NAME/.
# With PACK and FORM set, it also gives the pack file and the form code.
drive() {
	_n=$1 _l=$2 _d=$3 _w=$4
	shift 4
	mkdir -p "$T/dl-$_n"
	python3 - "$PAGE" "$_l" "$_d" "$_w" "$T/dl-$_n" "${FERRY_SHOTS:+$FERRY_SHOTS/page-$_n.png}" "$@" >"$T/$_n.job" <<'PY'
import json, sys
page, lang, desk, word, dl, shot = sys.argv[1:7]
import os
print(json.dumps({"page": page, "lang": lang, "desk": desk, "word": word,
                  "photos": sys.argv[7:], "downloads": dl, "screenshot": shot or None,
                  "pack": os.environ.get("PACK"), "form": os.environ.get("FORM")}))
PY
	node "$ROOT/tests/web/drive.js" "$T/$_n.job" >"$T/$_n.json" 2>"$T/$_n.err"
}
# field NAME EXPR: a value of the page's answer, as python prints it.
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$T/$1.json"; }

# --- Sealing from photos, without a code typed ---------------------------------
if drive sealed en-US "$FP" "$W" "$T/p1.jpg" "$T/p2.jpg"; then
	ok "the page runs in Chromium from file://"
else
	not_ok "the page runs in Chromium from file://" "$(tail -n 5 "$T/sealed.err")"
fi
check "it seals the photos without a code typed" [ "$(field sealed "d['downloadState']")" = completed ]
check "the status says which form, read from the photos" sh -c "grep -q 'Sealed 2 pages for form $F1' '$T/sealed.json'"
check "and that the bundle carries the pack word" sh -c "grep -q 'carries your pack word' '$T/sealed.json'"
check "and what was removed from the photos (GPS from page 2)" sh -c "grep -q 'Page 2, removed: .*GPS' '$T/sealed.json'"
check "the bundle has a random 20-character name" sh -c "ls '$T/dl-sealed' | grep -qxE '[0-9a-z]{20}'"
check "no request left the page" [ "$(field sealed "len(d['requests'])")" = 0 ]
check "nothing broke its content policy" [ "$(field sealed "len(d['csp'])")" = 0 ]
check "no script error" [ "$(field sealed "len(d['errors'])")" = 0 ]
check "storage stays empty (local, session, cookies, IndexedDB, caches, workers)" \
	[ "$(field sealed "sum(v for k, v in d['storage'].items() if isinstance(v, int))")" = 0 ]

mkdir "$T/ref"
"$SEAL" --desk "$FP" --word "$W" -o "$T/ref" "$T/p1.jpg" "$T/p2.jpg" >/dev/null
cp "$T"/dl-sealed/* "$T/desk/intake/"
expect "the desk opens the page's bundle" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "as the form's testimony" "testimony for form $F1, 2 pages -> cases/$F1"
check "pack-proven" grep -q 'sealed-with: pack' "$T/desk/cases/$F1/manifest.txt"
cp "$T"/ref/* "$T/desk/intake/"
"$DESK" open "$T/desk" --passphrase-file "$T/pass" >/dev/null
check "with the same container as ferry-seal makes of the same photos (size, pages, hashes)" \
	sh -c "[ -n \"\$(sed -n '/^items:/,\$p' '$T/desk/cases/$F1/manifest.txt')\" ] && \
	       [ \"\$(sed -n '/^bundle-bytes:/,/^  page-02/p' '$T/desk/cases/$F1/manifest.txt')\" = \
	         \"\$(sed -n '/^bundle-bytes:/,/^  page-02/p' '$T/desk/cases/$F1.2/manifest.txt')\" ]"
check "byte for byte" sh -c "cmp '$T/desk/cases/$F1/page-01.jpg' '$T/desk/cases/$F1.2/page-01.jpg' && \
	cmp '$T/desk/cases/$F1/page-02.jpg' '$T/desk/cases/$F1.2/page-02.jpg'"
check "the sealed photo kept no GPS" sh -c "! exiftool -q -GPSLatitude '$T/desk/cases/$F1/page-02.jpg' | grep -q ."

# --- Korean ------------------------------------------------------------------------
drive ko ko-KR "$FP" "" "$T/p1.jpg" || true
check "under a Korean browser the page is in Korean" [ "$(field ko "d['lang'] + ' ' + d['sealText']")" = "ko 봉인하기" ]
check "and sealing without the word says what that means, in Korean" sh -c "python3 -c \"import json,sys; d=json.load(open('$T/ko.json')); sys.exit('팩 단어 없이 봉인했습니다' not in ' '.join(d['report']))\""
check "Chinese is there too" grep -q "封存问卷照片" "$PAGE"
# A refusal's detail is the library's message, from the same catalog as
# ferry-seal's (po/ko.po): no English sentence in it.
drive komixed ko-KR "$FP" "" "$T/p1.jpg" "$T/other.jpg" || true
check "under a Korean browser, mixed forms are refused in Korean" sh -c "python3 -c \"import json,sys; d=json.load(open('$T/komixed.json')); sys.exit(not d['bad'] or '서로 다른 두 설문지' not in d['status'])\""
check "with the library's detail in Korean too (po/ko.po, through ferry_tr)" sh -c "python3 -c \"import json,sys; d=json.load(open('$T/komixed.json')); t=d['detail']; sys.exit('2쪽(' not in t or '섞였나요' not in t or 'mixed' in t or 'carries' in t)\""
drive zhtypo zh-CN "$(fp_typo 26)" "" "$T/p1.jpg" || true
check "under a Chinese browser a fingerprint typo is called one, in Chinese, naming the group" sh -c "python3 -c \"import json,sys; d=json.load(open('$T/zhtypo.json')); t=d['status']+d['detail']; sys.exit('输入错误' not in t or '第 6 组' not in t or 'typo' in t)\""

# --- Refusals: each its words, no bundle -------------------------------------------
refused() { # NAME KIND-TEXT: refused with that text, and nothing saved
	[ "$(field "$1" "d['bad']")" = True ] &&
		python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(sys.argv[2] not in d['status'])" "$T/$1.json" "$2" &&
		[ "$(field "$1" "d['href']")" = "" ] && [ -z "$(ls -A "$T/dl-$1")" ]
}
drive mixed en-US "$FP" "" "$T/p1.jpg" "$T/other.jpg" || true
check "two forms' photos are refused" refused mixed "belong to two different forms"
check "naming the photo" sh -c "grep -q \"page 2 ('other.jpg') carries another form's code than page 1\" '$T/mixed.json'"
drive nocode en-US "$FP" "" "$T/blank.jpg" || true
check "photos without a readable code are refused" refused nocode "No photo shows a readable form code"
qrencode -l M -s 8 -o "$T/hello.png" "https://example.org/not-a-seal-code"
phone_photo "$T/hello.png" "$T/hello.jpg" 4 0.6 1800 0
drive hello en-US "$FP" "" "$T/hello.jpg" || true
check "a QR that is no seal code is refused as such" refused hello "not a ferry form code"
CODE1=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 1p | cut -d' ' -f2)
python3 "$ROOT/tests/e2e/forge_sealcode.py" "$CODE1" >"$T/forged.txt"
qrencode -l M -s 8 -o "$T/forged.png" "$(cat "$T/forged.txt")"
phone_photo "$T/forged.png" "$T/forged.jpg" 4 0.6 1800 0
drive forged en-US "$FP" "" "$T/forged.jpg" || true
check "a forged seal code (right checksum, wrong signature) is refused" refused forged "is not genuine"
check "as not verifying" grep -q "carries a seal code that does not verify" "$T/forged.json"
drive otherdesk en-US "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH" "" "$T/p1.jpg" || true
check "another desk's fingerprint is refused" refused otherdesk "not made by the desk whose fingerprint you typed"
FPTYPO=$(fp_typo 26)
drive fptypo en-US "$FPTYPO" "" "$T/p1.jpg" || true
check "a fingerprint one character off is called a typo, not a forgery" refused fptypo "probably a typo"
check "naming the group to check" grep -q "from group 6 on: probably a typo" "$T/fptypo.json"
drive typo en-US "$FP" "ABCD-EFGH-K" "$T/p1.jpg" || true
check "a mistyped pack word is refused" refused typo "The pack word is mistyped"
# --- The pack file, for photos whose code does not read --------------------------------
PACK=$PK FORM=$F1 drive bypack en-US "$FP" "$W" "$T/blank.jpg" || true
check "a photo without a code seals with the pack file and the form code" \
	[ "$(field bypack "d.get('downloadState')")" = completed ]
cp "$T"/dl-bypack/* "$T/desk/intake/"
expect "and the desk opens it as that form's" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "testimony" "testimony for form $F1, 1 page"
PACK=$PK FORM=$F1 drive bypackmixed en-US "$FP" "" "$T/other.jpg" || true
check "but not with a photo of another form's page" refused bypackmixed "belong to two different forms"
PACK=$PK FORM=ZZZZ-ZZZZ drive nosuchform en-US "$FP" "" "$T/blank.jpg" || true
check "nor with a form code not in the pack" refused nosuchform "The pack file or the form code is not right"
check "no refusal sent a request" sh -c "! grep -h '\"requests\": \[\"' '$T'/*.json"

# --- ferry-desk issue --web: the page next to the forms, with its check ---------------
expect "issue --web writes the page with the pack" 0 "$DESK" issue "$T/desk" --forms 1 --label web \
	--web "$PAGE" -o "$T/pw" --passphrase-file "$T/pass"
check "byte for byte the page make web wrote" cmp "$PAGE" "$T/pw/ferry-seal.html"
check "with its SHA-256, as sha256sum -c checks it" sh -c "cd '$T/pw' && sha256sum -c --quiet ferry-seal.html.sha256"
check "and a one-page contact guide that prints that SHA-256" sh -c \
	"grep -q \"\$(cut -c1-8 '$T/pw/ferry-seal.html.sha256')\" '$T'/pw/contact-guide-*.html"
packs_before=$("$DESK" packs "$T/desk" --passphrase-file "$T/pass" | grep -c active)
expect "a file that is not the page" 2 "$DESK" issue "$T/desk" --forms 1 --label web \
	--web "$T/p1.jpg" -o "$T/pw2" --passphrase-file "$T/pass"
has "is refused before a pack is issued" "no pack was issued: '$T/p1.jpg' is not ferry's offline page"
check "and no pack was" [ "$("$DESK" packs "$T/desk" --passphrase-file "$T/pass" | grep -c active)" = "$packs_before" ]
