#!/bin/sh
# Adds up the results files of several builds into the closing line.
pass=0
fail=0
skipped=0
for r in "$@"; do
	[ -f "$r" ] || { fail=$((fail + 1)); continue; }
	read p f s <"$r"
	pass=$((pass + p))
	fail=$((fail + f))
	skipped=$((skipped + ${s:-0}))
done
echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" -eq 0 ]
