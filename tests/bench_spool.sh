#!/bin/sh
# Part of make bench: a relay's accept and forward cost per bundle must not
# grow with what the spool remembers. 300 bundles of 64 KiB (made with
# 'ferry-relay chaff') go through a fresh spool and through one whose
# current epoch already holds RECORDS names (marker files as accept writes
# them, made directly: sealing that many real bundles would take hours),
# three rounds, printed as a ratio.
set -e
B=${1:?usage: bench_spool.sh BUILD_DIR}
RECORDS=${BENCH_RECORDS:-100000}
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-spool.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
printf 'a bench passphrase\n' >pass
"$B/ferry-desk" init desk --kdf interactive --passphrase-file pass >/dev/null
FP=$("$B/ferry-desk" fingerprint desk --passphrase-file pass)
"$B/ferry-desk" relay-credential desk -o cred --passphrase-file pass >/dev/null
for s in gen fresh big; do "$B/ferry-relay" init $s --credential cred --desk "$FP" >/dev/null; done
"$B/ferry-relay" status gen >/dev/null # opens the first epoch
printf '65536 1\n' >"gen/memory/$(ls gen/memory)/sizes"
"$B/ferry-relay" chaff gen --count 1801 >/dev/null
mkdir all
"$B/ferry-relay" forward gen --to all --min-batch 1 --batch-size 1 >/dev/null
ls all | head -1800 | split -a 1 -l 300 - set.
"$B/ferry-relay" accept big "all/$(ls all | tail -1)" >/dev/null
python3 - big/memory/"$(ls big/memory | head -1)" "$RECORDS" <<'PY'
import os, secrets, sys
d, n = sys.argv[1], int(sys.argv[2])
a = "abcdefghijklmnopqrstuvwxyz234567"
for _ in range(n):
    name = "".join(secrets.choice(a) for _ in range(26))
    os.makedirs(os.path.join(d, name[:2]), exist_ok=True)
    open(os.path.join(d, name[:2], name), "w").close()
PY
now() { date +%s.%N; }
echo "== relay spool: 300 bundles of 64 KiB, fresh vs $RECORDS remembered =="
for r in 1 2 3; do
	for s in fresh big; do
		set=$(echo "$r $s" | sed 's/1 fresh/a/;s/2 fresh/b/;s/3 fresh/c/;s/1 big/d/;s/2 big/e/;s/3 big/f/')
		t0=$(now)
		(cd all && "$B/ferry-relay" accept "../$s" $(cat "../set.$set") >/dev/null)
		t1=$(now)
		mkdir "out-$s-$r"
		"$B/ferry-relay" forward "$s" --to "out-$s-$r" --min-batch 1 --batch-size 1 >/dev/null
		t2=$(now)
		echo "$r $s $t0 $t1 $t2"
	done
done | python3 -c '
import sys
rows = [l.split() for l in sys.stdin]
acc = {"fresh": [], "big": []}; fwd = {"fresh": [], "big": []}
for r, s, a, b, c in rows:
    acc[s].append(float(b) - float(a)); fwd[s].append(float(c) - float(b))
    print("round %s %-5s accept %.3f s  forward %.3f s" % (r, s, acc[s][-1], fwd[s][-1]))
m = lambda v: sorted(v)[len(v) // 2]
print("median ratio, remembering vs fresh: accept %.2fx, forward %.2fx" %
      (m(acc["big"]) / m(acc["fresh"]), m(fwd["big"]) / m(fwd["fresh"])))
'
