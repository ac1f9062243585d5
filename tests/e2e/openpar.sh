#!/bin/sh
# Parallel open with the real programs: the same cases, byte for byte,
# on 1 to 8 threads; --jobs out of range refused; and kill -9 during a
# four-thread open of multi-chunk bundles loses and doubles nothing.
. tests/e2e/lib.sh
need strace cmp
make_desk
make_pages
head -c 3000000 /dev/urandom >"$T/attach.bin"
"$SEAL" --pack "$PACK" --word-file "$WORD" --form "$FORM1" --desk "$FP" --answers "$T/answers.txt" \
	--attach "$T/attach.bin" -o "$T/b1" -q "$T/IMG_20231104_142233.jpg" "$T/page2.png" 2>/dev/null
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --attach "$T/attach.bin" -o "$T/b2" -q 2>/dev/null
cp -a "$T/desk" "$T/d0"
cp "$T/b1" "$T/b2" "$T/d0/intake/"
# Everything but the open time is the same for every thread count.
norm() { find "$1/cases" -type f | sort | while read -r f; do echo "== ${f#$1/}"; grep -v -e '^opened' "$f" 2>/dev/null || cat "$f"; done | cksum; }
ref=""
bad=0
for j in 1 2 3 4 5 6 7 8; do
	rm -rf "$T/dj" && cp -a "$T/d0" "$T/dj"
	"$DESK" open "$T/dj" -j $j --passphrase-file "$T/pass" >"$T/out" 2>&1 || { bad=$((bad + 1)); echo "# -j $j failed"; }
	grep -q "2 bundles: 1 testimony, 1 walk-in" "$T/out" || { bad=$((bad + 1)); echo "# -j $j: $(tail -1 "$T/out")"; }
	sum=$(norm "$T/dj")
	[ -z "$ref" ] && ref=$sum
	[ "$sum" = "$ref" ] || { bad=$((bad + 1)); echo "# -j $j: cases differ"; }
done
check "open -j 1 to 8: the same cases, byte for byte" test "$bad" -eq 0
check "the attachment came through whole" cmp "$T/attach.bin" "$T/dj/cases/$FORM1/attachment-01.bin"
expect "--jobs 0 is refused" 2 "$DESK" open "$T/dj" -j 0 --passphrase-file "$T/pass"
expect "--jobs 9 is refused" 2 "$DESK" open "$T/dj" --jobs 9 --passphrase-file "$T/pass"

# --- kill -9 during a four-thread open -----------------------------------
# Every 7th point (every 20th under ThreadSanitizer, which is slow);
# FERRY_FULL_SWEEP=1 takes every one.
STEP=7
[ "${FERRY_SUITE:-}" = tsan ] && STEP=20
[ -n "${FERRY_FULL_SWEEP:-}" ] && STEP=1
SYS=openat,write,fsync,close,rename,renameat2,link,unlink,mkdir
rm -rf "$T/k" && cp -a "$T/d0" "$T/k"
kill_points "$T/points" "$SYS" "$DESK" open "$T/k" -j 4 --passphrase-file "$T/pass"
total=0 bad=0 i=0
while IFS=: read -r sc k; do
	i=$((i + 1))
	[ $((i % STEP)) = 0 ] || continue
	total=$((total + 1))
	rm -rf "$T/k" && cp -a "$T/d0" "$T/k"
	strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k \
		"$DESK" open "$T/k" -j 4 --passphrase-file "$T/pass" >/dev/null 2>&1
	"$DESK" open "$T/k" -j 4 --passphrase-file "$T/pass" >/dev/null 2>&1
	n=$(ls "$T/k/cases" | wc -l)
	q=$(ls "$T/k/quarantine" | grep -v '\.reason$' | wc -l)
	if ! "$DESK" log "$T/k" verify --passphrase-file "$T/pass" >/dev/null 2>&1 || [ "$n" != 2 ] ||
		[ -n "$(ls -A "$T/k/intake")" ] || [ -n "$(ls -A "$T/k/tmp")" ] ||
		! cmp -s "$T/attach.bin" "$T/k/cases/$FORM1/attachment-01.bin"; then
		bad=$((bad + 1))
		echo "# kill at $sc #$k: $n cases, $q quarantined, intake: $(ls "$T/k/intake" | wc -l)"
	elif [ "$q" != 0 ] && grep -L duplicate "$T"/k/quarantine/*.reason | grep -q .; then
		bad=$((bad + 1))
		echo "# kill at $sc #$k: quarantined for another reason than a duplicate"
	fi
done <"$T/points"
check "kill -9 at $total of the $(wc -l <"$T/points") system calls of open -j 4: both bundles opened once, nothing left" test "$bad" -eq 0 -a "$total" -gt 5
