#!/bin/sh
# Every ferry-desk command that changes the desk finishes what a crash
# interrupted before it does anything (issue 21): the command table
# declares it and main does it, so no command can bypass it. An
# interrupted open leaves its work in DESK/tmp, which recovery clears:
# for each command, a leftover is put there and must be gone afterwards;
# the commands that only read leave it (they hold the lock shared and
# must not rewrite the desk). A command that stopped recovering, or a new
# writing command without it, fails here.
. tests/e2e/lib.sh
make_desk
make_pages
mkdir "$T/out"
"$SEAL" --pack "$PACK" --form "$FORM1" --word-file "$WORD" --desk "$FP" -o "$T/out" "$P" >/dev/null 2>&1
PACKNAME=$(basename "$PACK" .ferrypack | sed 's/^pack-//')
leftover() { mkdir -p "$T/desk/tmp/open-interrupted" && : >"$T/desk/tmp/open-interrupted/page-01.jpg"; }
recovered() { [ ! -e "$T/desk/tmp/open-interrupted" ]; }
pf="--passphrase-file $T/pass"
# Each writing command, with arguments it runs with (its own result does
# not matter here: recovery comes first).
for spec in \
	"issue|issue $T/desk --forms 1 --label r -o $T/issue-out" \
	"relay-rotate|relay-rotate $T/desk" \
	"open|open $T/desk $T/out" \
	"admit|admit $T/desk no-such-name" \
	"expire|expire $T/desk" \
	"note|note $T/desk no-such-case text" \
	"revoke|revoke $T/desk $PACKNAME --reason test" \
	"retire|retire $T/desk $PACKNAME" \
	"log|log $T/desk verify"; do
	name=${spec%%|*}
	leftover
	# shellcheck disable=SC2086
	"$DESK" ${spec#*|} $pf >"$T/cmd.out" 2>&1
	check "$name finishes an interrupted open first (DESK/tmp cleared)" recovered
done
for spec in \
	"packs|packs $T/desk" \
	"cases|cases $T/desk" \
	"fingerprint|fingerprint $T/desk" \
	"report|report $T/desk -o $T/report-out --same-disk" \
	"relay-credential|relay-credential $T/desk -o $T/cred" \
	"sign|sign $T/desk $T/answers.txt"; do
	name=${spec%%|*}
	leftover
	# shellcheck disable=SC2086
	"$DESK" ${spec#*|} $pf >"$T/cmd.out" 2>&1
	check "$name only reads: it leaves the desk as it found it" test -e "$T/desk/tmp/open-interrupted"
done
# Every command of the table is named above: a new one must be added.
listed="issue relay-rotate open admit expire note revoke retire log packs cases fingerprint report init relay-credential sign"
for c in $("$DESK" --help | sed -n 's/^ *\(usage:\)\{0,1\} *ferry-desk \([a-z-]*\) .*/\2/p' | sort -u); do
	case " $listed " in *" $c "*) ;; *) not_ok "command $c is held to recovery here" "add it to tests/e2e/recovery.sh" ;; esac
done
ok "the test knows every command of the usage"
