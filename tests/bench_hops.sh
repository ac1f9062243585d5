#!/bin/sh
# Part of make bench: what re-wrapping at every relay costs the desk. A
# desk opening a 240 MB bundle that crossed 3 relays against the same
# kind of bundle opened with no relay (same size, same desk state),
# paired and interleaved, three rounds. (What a wrap costs a relay is in
# bench_spool.sh, beside accept.)
set -e
B=${1:?usage: bench_hops.sh BUILD_DIR}
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-hops.XXXXXX")
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
cd "$W"
D="$B/ferry-desk" R="$B/ferry-relay" S="$B/ferry-seal"
now() { date +%s.%N; }
printf 'a bench passphrase\n' >pass
"$D" init base --kdf interactive --passphrase-file pass >/dev/null
FP=$("$D" fingerprint base --passphrase-file pass)
"$D" relay-credential base -o cred --chaff-up-to 64K --passphrase-file pass >/dev/null
"$D" issue base --forms 1 --label bench --passphrase-file pass -o pk >/dev/null
head -c 230000000 /dev/urandom >attach.bin
seal() { "$S" --pack pk/pack-*.ferrypack --word-file pk/secret/word-*.txt --walk-in --desk "$FP" --attach attach.bin -o "$1" -q 2>/dev/null; }
newspool() { rm -rf "$1" && "$R" init "$1" --credential cred --desk "$FP" >/dev/null; }
# hop IN OUT: a fresh relay takes IN and forwards it alone as OUT.
hop() {
	newspool hs && "$R" accept hs "$1" >/dev/null && rm -rf ho && mkdir ho &&
		"$R" forward hs --to ho --max-wait 0 --batch-size 1 >/dev/null && mv ho/* "$2" && rm -rf hs ho
}

echo "== desk open of a 240 MB bundle after 3 relays vs after none (3 rounds, interleaved) =="
for r in 1 2 3; do
	seal "plain$r"
	seal "b$r"
	hop "b$r" "h1-$r" && hop "h1-$r" "h2-$r" && hop "h2-$r" "hops$r"
	rm -f "b$r" "h1-$r" "h2-$r"
done
rm -f attach.bin big.bundle
rm -rf desk && cp -a base desk
# open FILE: the desk opens FILE alone; prints "start end".
open_one() {
	mv "$1" desk/intake/
	sync
	t0=$(now)
	"$D" open desk --passphrase-file pass >/dev/null
	t1=$(now)
	rm -rf desk/cases/walkin-*
	echo "$t0 $t1"
}
for r in 1 2 3; do
	echo "$(open_one "plain$r") $(open_one "hops$r")"
done | python3 -c '
import sys
o, h = [], []
for l in sys.stdin:
    t0, t1, t2, t3 = map(float, l.split())
    o.append(t1 - t0); h.append(t3 - t2)
    print("round %d: no relay %.3f s, 3 relays %.3f s" % (len(o), o[-1], h[-1]))
m = lambda v: sorted(v)[len(v) // 2]
print("open after 3 relays %.3f s vs after none %.3f s: median ratio %.2f (goal <= 1.3)" % (m(h), m(o), m(h) / m(o)))
'
