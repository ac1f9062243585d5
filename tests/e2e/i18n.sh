#!/bin/sh
# ferry-seal in the contact's language (issue 20): the catalogs (po/) are
# complete and their format strings match the English; every library
# file ferry-seal links has its messages in the template; under
# LANG=ko_KR.UTF-8 and zh_CN.UTF-8 (a generated locale, and a machine
# without one) and under --lang, a success, four refusals and --help
# come out translated with no English sentence left; the bundle does not
# tell the contact's language; the environment is read for the language
# alone, in common/lang.c.
. tests/e2e/lib.sh
need msgfmt msgcmp msgcat exiftool convert-im6
POT="$BIN/po/ferry.pot"
make_desk
make_pages

# --- The catalogs ------------------------------------------------------------
msgids=$(msgcat --no-wrap "$POT" | grep -c '^msgid ')
msgids=$((msgids - 1)) # the header
for po in ko zh_CN; do
	stats=$(msgfmt -c --statistics -o /dev/null "po/$po.po" 2>&1)
	check "po/$po.po: msgfmt -c accepts it (format strings checked against the English)" msgfmt -c -o /dev/null "po/$po.po"
	check "po/$po.po: every one of the $msgids messages translated, none fuzzy ($stats)" [ "$stats" = "$msgids translated messages." ]
	check "po/$po.po: has every message of the template (msgcmp)" msgcmp "po/$po.po" "$POT"
	check "po/$po.po: has no message the template lacks" msgcmp --use-untranslated "$POT" "po/$po.po"
	check "po/$po.po: opens with a glossary" grep -q '^# Glossary' "po/$po.po"
done
# One term each for bundle, form, form code, seal code, desk, fingerprint:
# a message that says the English word says the glossary's term.
# Option names, program names and placeholders (--desk, ferry-desk, DESK)
# are not the word.
term_used() { # PO ENGLISH TERM: every msgid with ENGLISH has TERM in its msgstr
	msgcat --no-wrap "$1" | awk -v en="$2" -v tr="$3" '
		/^msgid / { id = $0; gsub(/--[a-z-]+|ferry-[a-z]+|[A-Z][A-Z]+/, "", id); next }
		/^msgstr/ { if (index(tolower(id), en) && !index($0, tr)) { print id; bad = 1 } }
		END { exit bad }'
}
for pair in "bundle|묶음" "form code|설문지 코드" "seal code|봉인 코드" "desk|데스크" "fingerprint|지문"; do
	check "Korean says '${pair#*|}' wherever the English says '${pair%%|*}'" term_used po/ko.po "${pair%%|*}" "${pair#*|}"
done
for pair in "bundle|文件包" "form code|问卷代码" "seal code|封存码" "desk|编辑台" "fingerprint|指纹"; do
	check "Chinese says '${pair#*|}' wherever the English says '${pair%%|*}'" term_used po/zh_CN.po "${pair%%|*}" "${pair#*|}"
done

# Every library file ferry-seal links has its messages in the template.
missing=
# A member pulled in starts its line in the map, alone or with what it
# was pulled in for after it.
for o in $(sed -n 's/^ *[^ (]*libferry\.a(\([a-z_0-9]*\)\.o).*/\1/p' "$BIN/ferry-seal.map" | sort -u); do
	found=0
	for c in */"$o.c"; do grep -qx "$c" po/POTFILES && found=1; done
	[ "$found" = 1 ] || missing="$missing $o"
done
nlinked=$(grep -o 'libferry\.a([a-z_0-9]*\.o)' "$BIN/ferry-seal.map" | sort -u | wc -l)
check "po/POTFILES lists every library file ferry-seal links ($nlinked;${missing:- none missing})" sh -c "[ -z '$missing' ] && [ $nlinked -gt 20 ]"
getenv_users=$(nm -A "$BIN/libferry.a" 2>/dev/null | grep -E ' U (secure_)?getenv$|  *U setenv$' | sed 's/.*:\([a-z_0-9]*\.o\):.*/\1/' | sort -u | tr '\n' ' ')
check "the library reads the environment in common/lang.c alone (${getenv_users})" [ "$getenv_users" = "lang.o " ]

# --- ferry-seal in Korean and Chinese ------------------------------------------
# english_left: the words of $OUT that are English, after what is not a
# sentence is left out: quoted names and paths, option names, codes and
# fingerprints, and the names of formats and programs.
english_left() {
	printf '%s\n' "$OUT" | sed -e "s/'[^']*'//g" -e 's/“[^”]*”//g' -e 's/([^)]*\/[^)]*)//g' |
		tr -s ' \t,;:()[]|=.' '\n' |
		grep -E '^[A-Za-z][A-Za-z]{2,}$' |
		grep -vxE 'JPEG|PNG|QR|EXIF|GPS|XMP|UTF|LANG|LC_MESSAGES|CPU|KiB|MiB|minisig|minisign|jpg|png' |
		sort -u | tr '\n' ' '
}
# run_in VAR=VALUE ARGS...: ferry-seal with that one language variable
# set, output in $OUT and exit code in $RC.
run_in() {
	lv=$1
	shift
	OUT=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES "$lv" "$SEAL" "$@" 2>&1)
	RC=$?
}
say_in() { # NAME WANT-RC PATTERN: $RC and $OUT as wanted, no English left
	left=$(english_left)
	if [ "$RC" = "$2" ] && printf '%s' "$OUT" | grep -q -- "$3" && [ -z "$left" ]; then
		ok "$1"
	else
		not_ok "$1" "exit $RC (wanted $2), pattern '$3', English left: '$left'" "$(printf '%s' "$OUT" | head -4)"
	fi
}
have_locale() { locale -a 2>/dev/null | grep -qix "$1"; }
for setting in "LANG=ko_KR.UTF-8|ko|ko_KR.utf8" "LANG=zh_CN.UTF-8|zh|zh_CN.utf8" \
	"LC_MESSAGES=ko_KR.UTF-8|ko|ko_KR.utf8" "LANG=C.UTF-8 --lang ko|ko|" "LANG=ko_KR.UTF-8 --lang zh|zh|"; do
	lv=${setting%%|*}
	rest=${setting#*|}
	want=${rest%%|*}
	loc=${rest#*|}
	lang_opt=
	case "$lv" in *" --lang "*) lang_opt="--lang ${lv##* }" lv=${lv%% *} ;; esac
	how="$lv${lang_opt:+ $lang_opt}"
	if [ -n "$loc" ]; then
		if have_locale "$loc"; then how="$how (locale generated)"; else how="$how (no such locale here)"; fi
	fi
	if [ "$want" = ko ]; then
		w_sealed='봉인해' w_noword='팩 단어 없이' w_desk='지문이 필요합니다' w_fp='지문이 아닙니다' w_typo='잘못 입력했을' w_help='사용법'
	else
		w_sealed='已为问卷' w_noword='未使用包口令' w_desk='必须' w_fp='不是指纹' w_typo='输入错误' w_help='用法'
	fi
	mkdir -p "$T/out-$want"
	# shellcheck disable=SC2086
	run_in "$lv" $lang_opt --pack "$PACK" --form "$FORM1" --desk "$FP" -o "$T/out-$want" "$P" "$T/page2.png"
	say_in "$how: a seal is reported in $want" 0 "$w_sealed"
	check "$how: and says it was sealed without the pack word" sh -c "printf '%s' \"\$0\" | grep -q '$w_noword'" "$OUT"
	# shellcheck disable=SC2086
	run_in "$lv" $lang_opt --pack "$PACK" --form "$FORM1" "$P"
	say_in "$how: no --desk is refused in $want" 2 "$w_desk"
	# shellcheck disable=SC2086
	run_in "$lv" $lang_opt --pack "$PACK" --form "$FORM1" --desk "ABCD" "$P"
	say_in "$how: a non-fingerprint is refused in $want" 2 "$w_fp"
	# shellcheck disable=SC2086
	run_in "$lv" $lang_opt --pack "$PACK" --form "$FORM1" --desk "$(fp_typo 27)" "$P"
	say_in "$how: a fingerprint typo is called one in $want" 1 "$w_typo"
	# shellcheck disable=SC2086
	run_in "$lv" $lang_opt --help
	say_in "$how: --help is in $want" 0 "$w_help"
done
n_out=$(find "$T/out-ko" "$T/out-zh" -type f | wc -l)
check "every successful seal wrote one bundle ($n_out)" [ "$n_out" = 5 ]

# --- English stays English ------------------------------------------------------
OUT=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=ko_KR.UTF-8 "$SEAL" --lang en --help 2>&1)
has "--lang en is English whatever LANG says" "usage: ferry-seal"
OUT=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C "$SEAL" --help 2>&1)
has "LANG=C is English" "usage: ferry-seal"
expect "--lang with a language ferry does not speak is refused" 2 "$SEAL" --lang fr --help
has "naming the languages it speaks" "give ko, zh or en"

# --- The bundle does not tell the contact's language ---------------------------
cp "$(find "$T/out-ko" -type f | head -1)" "$T/desk/intake/"
expect "the desk opens the bundles sealed in Korean" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
M="$T/desk/cases/$FORM1/manifest.txt"
check "their manifest's page report is English, as a bundle sealed in English has it" sh -c "grep -q 'page-01.jpg.*EXIF: GPS position' '$M' && ! grep -q 'GPS 위치' '$M'"
