#!/bin/sh
# Chaff with the real programs: sizes drawn from what the spool accepted
# (or the built-in spread of phone pages), chaff that looks like the real
# bundles it travels with, a chain of three relays adding chaff at each
# hop, the desk opening every real bundle once and counting the chaff, and
# kill -9 at each system call of 'chaff'.
. tests/e2e/lib.sh
need strace cmp
make_desk
printf 'Q1: hours? A: 12\n' >"$T/answers.txt"
"$DESK" relay-credential "$T/desk" -o "$T/relay.credential" --passphrase-file "$T/pass" >/dev/null
for i in 1 2 3; do
	"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/r$i.bundle" >/dev/null
done
for s in a b c d; do
	"$RELAY" init "$T/$s" --credential "$T/relay.credential" --desk "$FP" >/dev/null
done

# --- 1. sizes: the histogram, or the built-in spread when it is empty ----
expect "chaff needs --count" 2 "$RELAY" chaff "$T/d"
expect "a count of 0 is refused" 2 "$RELAY" chaff "$T/d" --count 0
expect "chaff into an empty spool" 0 "$RELAY" chaff "$T/d" --count 12
has "says how many" "added 12 chaff bundles"
sizes=$(stat -c %s "$T"/d/new/* | sort -u | tr '\n' ' ')
check "twelve waiting" [ "$(ls "$T/d/new" | wc -l)" = 12 ]
check "with no history, sizes come from the phone-page spread (over 1 MB)" sh -c "for n in $sizes; do [ \$n -gt 1000000 ] || exit 1; done"
check "and are not all one size" [ "$(printf '%s\n' $sizes | wc -l)" -gt 1 ]
"$RELAY" init "$T/v" --credential "$T/relay.credential" --desk "$FP" >/dev/null
expect "every chaff bundle passes another relay's check" 0 "$RELAY" accept "$T/v" "$T"/d/new/*
has "all twelve" "12 accepted, 0 rejected"
check "the histogram is size-only" sh -c "! grep -qv '^[0-9]* [0-9]*\$' '$T'/v/memory/*/sizes"

expect "relay a accepts two real bundles" 0 "$RELAY" accept "$T/a" "$T/r1.bundle" "$T/r2.bundle"
check "the histogram counts them" grep -qx "65536 2" "$T"/a/memory/*/sizes
expect "relay a adds two chaff" 0 "$RELAY" chaff "$T/a" --count 2
check "chaff takes the size real bundles had" sh -c "[ \"\$(stat -c %s '$T'/a/new/* | sort -u)\" = 65536 ]"
check "chaff is not counted as accepted" grep -qx "65536 2" "$T"/a/memory/*/sizes
expect "status stays counts-only" 0 "$RELAY" status "$T/a"
has "four waiting" "waiting: 4"

# --- 2. a chain of three relays, chaff at each hop ------------------------
mkdir "$T/ab" "$T/bc" "$T/cd"
expect "a forwards, with the default batching" 0 "$RELAY" forward "$T/a" --to "$T/ab"
has "four waiting fill the smallest class" "forwarded a batch of 4 bundles"
check "real and chaff: one size" [ "$(stat -c %s "$T"/ab/* | sort -u)" = 65536 ]
check "one time stamp" [ "$(stat -c %Y "$T"/ab/* | sort -u | wc -l)" = 1 ]
check "one mode" [ "$(stat -c %a "$T"/ab/* | sort -u)" = 600 ]
check "names of one shape" sh -c "[ \$(ls '$T/ab' | sed 's/[a-z0-9]/x/g' | sort -u | wc -l) = 1 ]"
expect "b accepts what a sent, and one from a contact" 0 "$RELAY" accept "$T/b" "$T"/ab/* "$T/r3.bundle"
has "five accepted" "5 accepted, 0 rejected"
expect "b adds chaff" 0 "$RELAY" chaff "$T/b" --count 2
expect "b forwards" 0 "$RELAY" forward "$T/b" --to "$T/bc"
has "seven waiting go as a batch of eight" "forwarded a batch of 8 bundles"
expect "c accepts" 0 "$RELAY" accept "$T/c" "$T"/bc/*
has "eight accepted" "8 accepted, 0 rejected"
expect "c adds chaff" 0 "$RELAY" chaff "$T/c" --count 1
expect "c forwards" 0 "$RELAY" forward "$T/c" --to "$T/cd"
has "nine waiting go as a batch of sixteen" "forwarded a batch of 16 bundles"
check "all sixteen of one size, one stamp" sh -c "[ \$(stat -c '%s %Y' '$T'/cd/* | sort -u | wc -l) = 1 ]"
cp "$T"/cd/* "$T/desk/intake/"
expect "the desk opens the mixed intake" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "every real bundle once, every chaff counted" "3 walk-in, 13 chaff, 0 quarantined"
expect "the log verifies" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
has "three entries" "3 entries"

# --- 3. kill -9 before each system call of chaff --------------------------
"$RELAY" init "$T/k0" --credential "$T/relay.credential" --desk "$FP" >/dev/null
"$RELAY" accept "$T/k0" "$T/r1.bundle" >/dev/null
SYS=openat,write,pwrite64,fsync,fdatasync,close,rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat
rm -rf "$T/k" && cp -a "$T/k0" "$T/k"
strace -f -qq -o "$T/trace" -e trace=$SYS "$RELAY" chaff "$T/k" --count 2 >/dev/null
sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p' "$T/trace" | awk '{n[$1]++; print $1 ":" n[$1]}' >"$T/points"
total=$(wc -l <"$T/points")
bad=0
while IFS=: read -r sc k; do
	rm -rf "$T/k" "$T/kout" "$T/kv" && cp -a "$T/k0" "$T/k" && mkdir "$T/kout"
	strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k \
		"$RELAY" chaff "$T/k" --count 2 >/dev/null 2>&1
	"$RELAY" chaff "$T/k" --count 1 >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# chaff fails after a kill at $sc #$k"; continue; }
	"$RELAY" forward "$T/k" --to "$T/kout" --min-batch 1 --batch-size 1 >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# forward fails after a kill at $sc #$k"; continue; }
	n=$(ls "$T/kout" | wc -l)
	real=0
	for f in "$T"/kout/*; do cmp -s "$f" "$T/r1.bundle" && real=$((real + 1)); done
	"$RELAY" init "$T/kv" --credential "$T/relay.credential" --desk "$FP" >/dev/null
	if ! "$RELAY" accept "$T/kv" "$T"/kout/* >/dev/null 2>&1 || [ "$real" -ne 1 ] || [ "$n" -lt 2 ] || [ "$n" -gt 4 ] ||
		[ -n "$(ls "$T/k/tmp")" ]; then
		bad=$((bad + 1))
		echo "# after a kill at $sc #$k: $n forwarded, $real real, tmp: $(ls "$T/k/tmp" | wc -l)"
	fi
done <"$T/points"
check "kill -9 at each of the $total system calls of chaff: the real bundle kept once, every stored chaff whole, nothing half-written left" test "$bad" -eq 0 -a "$total" -gt 10
