#!/bin/sh
# Adds up the results files of several builds into the closing line.
pass=0
fail=0
for r in "$@"; do
	[ -f "$r" ] || { fail=$((fail + 1)); continue; }
	read p f <"$r"
	pass=$((pass + p))
	fail=$((fail + f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
