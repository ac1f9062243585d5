#!/bin/sh
# Part of make bench: the desk at scale and against age.
#
#  1. A desk with 100 active packs of 50 forms. Walk-in bundles, spread
#     over the packs, opened by fresh copies of it: five of 300, one of
#     3,000, one of 30,000. Per-bundle cost (the cost of unlocking and
#     expiring, measured on an empty intake, taken off) as a ratio to the
#     median 300-bundle desk: several small desks, because a disk's fsync
#     cost drifts over a long run.
#  2. Opening a 240 MB bundle against age -d + sync of the same plaintext,
#     paired and interleaved, three rounds, with the default threads and
#     with -j 1.
# BENCH_DESK_SCALE=10 divides the bundle counts by 10 (a quick look).
set -e
B=${1:?usage: bench_desk.sh BUILD_DIR}
DIV=${BENCH_DESK_SCALE:-1}
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-desk.XXXXXX")
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
cd "$W"
D="$B/ferry-desk"
S="$B/ferry-seal"
now() { date +%s.%N; }
printf 'a bench passphrase\n' >pass
mkdir packs
"$D" init base --kdf interactive --passphrase-file pass >/dev/null
FP=$("$D" fingerprint base --passphrase-file pass)
i=0
while [ $i -lt 100 ]; do
	i=$((i + 1))
	"$D" issue base --forms 50 --label "pack $i" --passphrase-file pass -o "packs/$i" >/dev/null
done
printf 'Q1: hours? A: 12\n' >answers.txt
S1=$((300 / DIV)) S2=$((3000 / DIV)) S3=$((30000 / DIV))
NEED=$((5 * S1 + S2 + S3))
echo "== desk at scale: 100 packs of 50 forms, $NEED walk-in bundles of 64 KiB =="
mkdir all
k=0
while [ $k -lt $NEED ]; do
	k=$((k + 1))
	"$S" --pack "packs/$((k % 100 + 1))"/pack-*.ferrypack --word-file "packs/$((k % 100 + 1))"/secret/word-*.txt --walk-in --desk "$FP" \
		--answers answers.txt -o "all/$k" -q
done
# run NAME FIRST COUNT: a fresh copy of the desk opens bundles FIRST..;
# prints "NAME seconds count empty_seconds".
run() {
	rm -rf "$1" && cp -a base "$1"
	t0=$(now)
	"$D" open "$1" --passphrase-file pass >/dev/null
	t1=$(now)
	k=$2
	while [ $k -lt $(($2 + $3)) ]; do
		mv "all/$k" "$1/intake/"
		k=$((k + 1))
	done
	sync
	t2=$(now)
	"$D" open "$1" --passphrase-file pass >/dev/null
	t3=$(now)
	rm -rf "$1"
	echo "$1 $t0 $t1 $t2 $t3 $3" | awk '{printf "%s %.3f %d %.3f\n", $1, $5 - $4, $6, $3 - $2}'
}
: >results
first=1
for s in 1 2 3 4 5; do
	run "small$s" $first $S1 >>results
	first=$((first + S1))
done
run mid $first $S2 >>results
first=$((first + S2))
run large $first $S3 >>results
python3 - results <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])]
empty = sorted(float(r[3]) for r in rows)[len(rows) // 2]
per = {r[0]: (float(r[1]) - empty) / int(r[2]) * 1e3 for r in rows}
small = sorted(v for k, v in per.items() if k.startswith("small"))
base = small[len(small) // 2]
print("unlocking and expiring an empty intake: %.3f s (taken off each)" % empty)
for r in rows:
    # A scaled-down run (BENCH_DESK_SCALE) can leave the small desks'
    # cost within the noise of the empty one: no ratio then.
    ratio = "%.2fx" % (per[r[0]] / base) if base > 0 else "no ratio: too few bundles to time"
    print("%-7s %6s bundles: %.3f ms/bundle (%s the median 300-bundle desk)"
          % (r[0], r[2], per[r[0]], ratio))
print("(goal: every ratio <= 1.3)")
PY
rm -rf all

echo
echo "== open of a 240 MB bundle vs age -d + sync (3 rounds, interleaved) =="
rm -rf desk && cp -a base desk
head -c 230000000 /dev/urandom >attach.bin
age-keygen -o age.key 2>/dev/null
age -r "$(age-keygen -y age.key)" -o attach.age attach.bin
for r in 1 2 3 4 5 6; do
	"$S" --pack packs/1/pack-*.ferrypack --word-file packs/1/secret/word-*.txt --walk-in --desk "$FP" --attach attach.bin -o "big$r" -q 2>/dev/null
done
rm -f attach.bin
SIZE=$(stat -c %s big1)
r=0
while [ $r -lt 3 ]; do
	r=$((r + 1))
	mv "big$r" desk/intake/
	sync
	t0=$(now)
	"$D" open desk --passphrase-file pass >/dev/null
	t1=$(now)
	mv "big$((r + 3))" desk/intake/
	sync
	t2=$(now)
	"$D" open desk -j 1 --passphrase-file pass >/dev/null
	t3=$(now)
	rm -rf desk/cases/walkin-*
	sync
	t4=$(now)
	age -d -i age.key -o plain.out attach.age && sync
	t5=$(now)
	rm -f plain.out
	echo "$t0 $t1 $t2 $t3 $t4 $t5"
done | python3 -c '
import sys
size = int(sys.argv[1])
o, o1, a = [], [], []
for l in sys.stdin:
    t = list(map(float, l.split()))
    o.append(t[1] - t[0]); o1.append(t[3] - t[2]); a.append(t[5] - t[4])
    print("round %d: ferry-desk open %.3f s, open -j 1 %.3f s, age -d + sync %.3f s" % (len(o), o[-1], o1[-1], a[-1]))
m = lambda v: sorted(v)[len(v) // 2]
print("%d-byte bundle: open %.3f s (%.0f MB/s), -j 1 %.3f s, age -d + sync %.3f s (%.0f MB/s)"
      % (size, m(o), size / m(o) / 1e6, m(o1), m(a), size / m(a) / 1e6))
print("median ratio open/age: %.2f, with -j 1: %.2f (goal <= 1.3; open includes unlocking the vault, %s)"
      % (m(o) / m(a), m(o1) / m(a), "Argon2id at --kdf interactive"))
' "$SIZE"
