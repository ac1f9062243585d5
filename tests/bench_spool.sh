#!/bin/sh
# Part of make bench: a relay's accept and forward cost per bundle must not
# grow with the spool's size or history, and accept and forward of one
# large bundle must cost about what copying it does.
#
#  1. 64 KiB bundles (made with 'ferry-relay chaff', which stores them as
#     accept does) through fresh spools: five of 300, one of 3,000, one of
#     30,000, per-bundle cost as a ratio to the median 300-bundle spool
#     (several small ones, because a disk's fsync cost drifts over a run);
#     then a second round of 3,000 on the spool that has just accepted and
#     forwarded 30,000, against a fresh spool that takes turns with it, and
#     the file system's own share at that moment (probe, below): ext4 makes
#     a new file slowly in a folder where many files were just deleted.
#  2. Accept, and forward (a batch of one: wrap, store, deliver), of a
#     240 MB bundle against cp + sync of the same file into the same file
#     system, paired, interleaved, three rounds.
# BENCH_SPOOL_SCALE=10 divides every count by 10 (a quick look).
set -e
B=${1:?usage: bench_spool.sh BUILD_DIR}
DIV=${BENCH_SPOOL_SCALE:-1}
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-spool.XXXXXX")
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
cd "$W"
R="$B/ferry-relay"
printf 'a bench passphrase\n' >pass
"$B/ferry-desk" init desk --kdf interactive --passphrase-file pass >/dev/null
FP=$("$B/ferry-desk" fingerprint desk --passphrase-file pass)
"$B/ferry-desk" relay-credential desk -o cred --chaff-up-to 64K --passphrase-file pass >/dev/null
newspool() { rm -rf "$1" && "$R" init "$1" --credential cred --desk "$FP" >/dev/null; }
now() { date +%s.%N; }

S1=$((300 / DIV)) S2=$((3000 / DIV)) S3=$((30000 / DIV))
NEED=$((5 * S1 + S2 + S3 + 2 * S2))
echo "== relay spool at scale: $NEED bundles of 64 KiB =="
newspool gen
"$R" status gen >/dev/null # opens the first epoch
left=$NEED
while [ "$left" -gt 0 ]; do
	n=$left
	[ "$n" -gt 10000 ] && n=10000
	"$R" chaff gen --count "$n" >/dev/null
	left=$((left - n))
done
mkdir all
"$R" forward gen --to all --min-batch 1 --batch-size 1 >/dev/null
rm -rf gen
ls all >names
i=0
take() { # take N NAME: the next N bundles of all/ as list NAME
	sed -n "$((i + 1)),$((i + $1))p" names >"$2"
	i=$((i + $1))
}
for k in 1 2 3 4 5; do take $S1 list.small$k; done
take $S2 list.mid
take $S3 list.large
take $S2 list.again
take $S2 list.control

# run SPOOL LIST: accept the list (1,000 files a command), forward all of
# it; prints "accept_seconds forward_seconds count".
run() {
	sync # what earlier steps left to write back is not charged to this one
	t0=$(now)
	(cd all && xargs -n 1000 "$R" accept "../$1" <"../$2" >/dev/null)
	t1=$(now)
	rm -rf "out-$1" && mkdir "out-$1"
	"$R" forward "$1" --to "out-$1" --min-batch 1 --batch-size 1 >/dev/null
	t2=$(now)
	rm -rf "out-$1"
	echo "$t0 $t1 $t2 $(wc -l <"$2")" | awk '{printf "%.3f %.3f %d\n", $2 - $1, $3 - $2, $4}'
}
: >results
for k in 1 2 3 4 5; do
	newspool sp
	echo "small$k $(run sp list.small$k)" >>results
done
newspool mid && echo "mid $(run mid list.mid)" >>results
newspool large && echo "large $(run large list.large)" >>results
rm -rf mid

# pair: the second round on large and a fresh spool, 1,000 bundles to one
# and then 1,000 to the other, each timed alone; then large forwards, then
# the fresh one.
pair() {
	newspool control
	split -l 1000 list.again part.again.
	split -l 1000 list.control part.control.
	ta=0 tc=0
	sync
	for p in part.again.*; do
		q=part.control.${p#part.again.}
		t0=$(now)
		(cd all && xargs "$R" accept ../large <"../$p" >/dev/null)
		t1=$(now)
		(cd all && xargs "$R" accept ../control <"../$q" >/dev/null)
		t2=$(now)
		ta=$(awk "BEGIN { print $ta + $t1 - $t0 }")
		tc=$(awk "BEGIN { print $tc + $t2 - $t1 }")
	done
	rm -f part.again.* part.control.*
	for sp in large control; do
		rm -rf "out-$sp" && mkdir "out-$sp"
		t0=$(now)
		"$R" forward "$sp" --to "out-$sp" --min-batch 1 --batch-size 1 >/dev/null
		t1=$(now)
		rm -rf "out-$sp"
		f=$(awk "BEGIN { print $t1 - $t0 }")
		if [ "$sp" = large ]; then fa=$f; else fc=$f; fi
	done
	echo "again $ta $fa $(wc -l <list.again)" >>results
	echo "control $tc $fc $(wc -l <list.control)" >>results
	echo "$(probe large) $(probe control)" >fsprobe
	rm -rf control
}
# probe SPOOL: milliseconds to make 1,000 empty files in SPOOL/tmp, with no
# ferry code: the file system's own share. ext4 passes over inodes freed in
# the last minutes when it makes a file, so in folders where 33,000 files
# were just deleted each new file costs many times more.
probe() {
	t0=$(now)
	i=0
	while [ $i -lt 1000 ]; do
		: >"$1/tmp/probe-$i"
		i=$((i + 1))
	done
	t1=$(now)
	rm -f "$1"/tmp/probe-*
	awk "BEGIN { printf \"%.0f\", ($t1 - $t0) * 1e3 }"
}
pair
python3 - results fsprobe <<'PY'
import sys
rows = {}
fs_large, fs_fresh = (float(x) for x in open(sys.argv[2]).read().split())
for line in open(sys.argv[1]):
    name, a, f, n = line.split()
    rows[name] = (float(a), float(f), int(n))
def per(name):
    a, f, n = rows[name]
    return a / n * 1e3, f / n * 1e3
small = sorted((per(k) for k in rows if k.startswith("small")), key=lambda x: x[0] + x[1])
base = small[len(small) // 2]
for k in sorted(rows, key=lambda k: (rows[k][2], k)):
    a, f = per(k)
    print("%-7s %6d bundles: accept %.3f ms/bundle (%.2fx), forward %.3f ms/bundle (%.2fx)"
          % (k, rows[k][2], a, a / base[0], f, f / base[1]))
a1, f1 = per("control")
a2, f2 = per("again")
print("second round of %d on the spool that already forwarded %d, vs a fresh spool taking turns with it: accept %.2fx, forward %.2fx"
      % (rows["again"][2], rows["large"][2], a2 / a1, f2 / f1))
print("the file system alone, just after: 1,000 empty files made in that spool's folder %.0f ms, in the fresh one's %.0f ms (%.1fx)"
      % (fs_large, fs_fresh, fs_large / fs_fresh))
print("(goal: every ratio <= 1.3)")
PY
rm -rf large sp all fsprobe

echo
echo "== accept and forward of a 240 MB bundle vs cp + sync (3 rounds, interleaved) =="
head -c 230000000 /dev/urandom >attach.bin
"$B/ferry-desk" issue desk --forms 1 --label bench --passphrase-file pass -o pk >/dev/null
"$B/ferry-seal" --pack pk/pack-*.ferrypack --word-file pk/secret/word-*.txt --walk-in --desk "$FP" --attach attach.bin -o big.bundle -q 2>/dev/null
rm -f attach.bin
SIZE=$(stat -c %s big.bundle)
cat big.bundle >/dev/null # both read it from the page cache
for r in 1 2 3; do
	newspool one
	rm -rf out && mkdir out
	sync
	t0=$(now)
	"$R" accept one big.bundle >/dev/null
	t1=$(now)
	sync
	t2=$(now)
	"$R" forward one --to out --max-wait 0 --batch-size 1 >/dev/null
	t3=$(now)
	rm -rf one out
	sync
	t4=$(now)
	cp big.bundle copy && sync
	t5=$(now)
	rm -f copy
	echo "$t0 $t1 $t2 $t3 $t4 $t5"
done | python3 -c '
import sys
size = int(sys.argv[1])
acc, fwd, cp = [], [], []
for l in sys.stdin:
    t = list(map(float, l.split()))
    acc.append(t[1] - t[0]); fwd.append(t[3] - t[2]); cp.append(t[5] - t[4])
    print("round %d: accept %.3f s, forward %.3f s, cp + sync %.3f s" % (len(acc), acc[-1], fwd[-1], cp[-1]))
m = lambda v: sorted(v)[len(v) // 2]
print("%d-byte bundle: accept %.3f s (%.0f MB/s), forward (wrap, store, deliver) %.3f s (%.0f MB/s), cp + sync %.3f s (%.0f MB/s)"
      % (size, m(acc), size / m(acc) / 1e6, m(fwd), size / m(fwd) / 1e6, m(cp), size / m(cp) / 1e6))
print("median ratio accept/cp %.2f (goal <= 1.3), forward/cp %.2f (goal <= 1.5)" % (m(acc) / m(cp), m(fwd) / m(cp)))
' "$SIZE"
