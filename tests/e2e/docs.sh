#!/bin/sh
# Each program's --help and its man page name the same options and
# commands, so neither drifts from the other.
. tests/e2e/lib.sh
for p in ferry-seal ferry-relay ferry-desk; do
	"$BIN/$p" --help >"$T/help" 2>&1
	page="docs/$p.1"
	grep -o -- '--[a-z][a-z0-9-]*' "$T/help" | sort -u >"$T/h.opts"
	sed -n 's/.*Fl -\([a-z][a-z0-9-]*\).*/--\1/p' "$page" | sort -u >"$T/m.opts"
	check "$p: every option of --help is in the man page" sh -c "[ -z \"\$(comm -23 '$T/h.opts' '$T/m.opts')\" ]"
	check "$p: every option of the man page is in --help" sh -c "[ -z \"\$(comm -13 '$T/h.opts' '$T/m.opts')\" ]"
	sed -n "s/^ *\(usage:\)\{0,1\} *$p \([a-z][a-z-]*\) .*/\2/p" "$T/help" | sort -u >"$T/h.cmds"
	sed -n 's/^\.Cm \([a-z][a-z-]*\).*/\1/p' "$page" | sort -u >"$T/m.cmds"
	check "$p: every command of --help has a line in the man page" sh -c "[ -z \"\$(comm -23 '$T/h.cmds' '$T/m.cmds')\" ]"
	check "$p: the man page's date is set" grep -q '^\.Dd [A-Z][a-z]* [0-9]*, 20[0-9][0-9]$' "$page"
done
