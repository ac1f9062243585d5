#!/bin/sh
# make bench: sealing and opening speed and peak memory on a 1 GiB page
# set, against age -r on the same bytes (paired runs, interleaved, in one
# run of this script), and the sanitizer's MB/s on 12-megapixel images.
# Timing lives here, never in a test.
set -e
BUILD=${BUILD:-build}
B="$(pwd)/$BUILD"
ROUNDS=${BENCH_ROUNDS:-3}
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
# Runs a command, prints "seconds max_rss_kib". The peak RSS comes from
# GNU time, which forks the command from its own small image: a child
# forked (or vforked) straight from Python would report Python's own
# resident size (about 14 MiB) as its peak, whatever the command used.
measure() {
	python3 - "$@" <<'PY'
import os, subprocess, sys, tempfile, time
fd, rss = tempfile.mkstemp()
os.close(fd)
t = time.perf_counter()
r = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss] + sys.argv[1:],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dt = time.perf_counter() - t
kib = open(rss).read().split()[-1]
os.unlink(rss)
if r.returncode != 0:
    sys.exit("command failed: %s" % " ".join(sys.argv[1:]))
print("%.3f %s" % (dt, kib))
PY
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "== building a 1 GiB page set (16 JPEG pages of 64 MiB) =="
python3 - "$OLDPWD/tests/fixtures/base.jpg" <<'PY'
import os, sys
d = open(sys.argv[1], "rb").read()
i = d.index(b"\xff\xda")
hdr = d[: i + 2 + (d[i + 2] << 8 | d[i + 3])]
target = 64 << 20
for k in range(16):
    body = os.urandom(target - len(hdr) - 2 - 300000).replace(b"\xff", b"\xff\x00")
    with open("page-%02d.jpg" % k, "wb") as f:
        f.write(hdr + body[: target - len(hdr) - 2] .rstrip(b"\xff") + b"\xff\xd9")
PY
ls page-*.jpg >/dev/null
TOTAL=$(cat page-*.jpg | wc -c)
echo "page set: $TOTAL bytes"

printf 'a bench passphrase\n' >pass
"$B/ferry-desk" init desk --kdf interactive --passphrase-file pass >/dev/null
FP=$("$B/ferry-desk" fingerprint desk --passphrase-file pass)
"$B/ferry-desk" issue desk --forms $((ROUNDS + 2)) --label bench --passphrase-file pass -o pack >/dev/null
age-keygen -o age.key 2>/dev/null
R=$(age-keygen -y age.key)
cat page-*.jpg >all.bin

# Paired and interleaved: each round runs both tools on the same bytes,
# first with output to /dev/null (the crypto and page work alone), then
# both writing a real file on the same file system. --force: these pages
# are random data behind a JPEG header, and reading them for a QR code
# (which --pack checks against the form) is measured in bench_qr.sh, not
# here against age.
seal_null="" age_null="" seal_file="" age_file="" seal_one=""
i=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	FORM=$(grep -v '^#' pack/codes-*.txt | sed -n "${i}p" | cut -d' ' -f1)
	s=$(measure sh -c "'$B/ferry-seal' -q --force --pack pack/pack-*.ferrypack --word-file pack/secret/word-*.txt --form $FORM --desk $FP -o - page-*.jpg >/dev/null")
	a=$(measure sh -c "age -r $R -o /dev/null all.bin")
	s1=$(measure sh -c "'$B/ferry-seal' -q --force -j 1 --pack pack/pack-*.ferrypack --word-file pack/secret/word-*.txt --form $FORM --desk $FP -o - page-*.jpg >/dev/null")
	s2=$(measure "$B/ferry-seal" -q --force --pack pack/pack-*.ferrypack --word-file pack/secret/word-*.txt --form "$FORM" --desk "$FP" -o "b$i" page-*.jpg)
	a2=$(measure age -r "$R" -o age.out all.bin)
	rm -f age.out
	[ $i -gt 1 ] && rm -f "b$i"
	echo "round $i: to /dev/null: ferry-seal ${s% *} s, age -r ${a% *} s, ferry-seal -j 1 ${s1% *} s;  to a file: ferry-seal ${s2% *} s (peak RSS ${s2#* } KiB), age -r ${a2% *} s"
	seal_null="$seal_null ${s% *}"; age_null="$age_null ${a% *}"; seal_one="$seal_one ${s1% *}"
	seal_file="$seal_file ${s2% *}"; age_file="$age_file ${a2% *}"
	SEAL_RSS=${s2#* }
done
mb() { python3 -c "print('%.0f' % ($TOTAL / $1 / 1e6))"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
m1=$(echo $seal_null | tr ' ' '\n' | median); m2=$(echo $age_null | tr ' ' '\n' | median)
m3=$(echo $seal_file | tr ' ' '\n' | median); m4=$(echo $age_file | tr ' ' '\n' | median)
m5=$(echo $seal_one | tr ' ' '\n' | median)
BSIZE=$(stat -c %s b1)
echo
echo "to /dev/null: ferry-seal $m1 s ($(mb $m1) MB/s), age -r $m2 s ($(mb $m2) MB/s), ratio seal/age $(ratio $m1 $m2)"
echo "one thread:   ferry-seal -j 1 $m5 s ($(mb $m5) MB/s), ratio seal/age $(ratio $m5 $m2); $(nproc) CPUs here, so the default is -j $(nproc)"
echo "to a file:    ferry-seal $m3 s ($(mb $m3) MB/s), age -r $m4 s ($(mb $m4) MB/s), ratio seal/age $(ratio $m3 $m4)"
echo "(ratio below 1.00: ferry is faster; the goal is <= 1.00)"
echo "bundle: $BSIZE bytes for $TOTAL bytes of pages"
echo "seal peak RSS: $SEAL_RSS KiB ($(python3 -c "print('%.1f' % ($SEAL_RSS / 1024))") MiB; goal < 32 MiB)"

mv b1 desk/intake/
o=$(measure "$B/ferry-desk" open desk --passphrase-file pass)
echo "open: ${o% *} s, peak RSS ${o#* } KiB (includes the Argon2id vault key, 64 MiB at --kdf interactive)"
rm -f b* all.bin page-*.jpg

echo
echo "== sanitizer on 12-megapixel pages (4000x3000) =="
convert-im6 -size 4000x3000 xc:gray +noise Random -quality 92 big.jpg
convert-im6 -size 4000x3000 gradient:navy-orange -attenuate 0.3 +noise Gaussian big.png
for f in big.jpg big.png; do
	n=$(stat -c %s "$f")
	best=""
	for r in 1 2 3; do
		t=$(measure "$B/tests/ferry-testtool" sanitize "$f" clean.out)
		best="$best ${t% *}"
	done
	m=$(echo $best | tr ' ' '\n' | median)
	echo "$f: $n bytes, median $m s, $(python3 -c "print('%.0f' % ($n / $m / 1e6))") MB/s of input ($(python3 -c "print('%.1f' % (12e6 / $m / 1e6))") Mpixel/s)"
done

echo
sh "$OLDPWD/tests/bench_spool.sh" "$B"
echo
sh "$OLDPWD/tests/bench_hops.sh" "$B"
echo
sh "$OLDPWD/tests/bench_qr.sh" "$B"
echo
sh "$OLDPWD/tests/bench_web.sh" "$B"
echo
sh "$OLDPWD/tests/bench_desk.sh" "$B"
