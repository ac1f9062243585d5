#!/bin/sh
# Part of make bench: the offline page against native ferry-seal, in one
# run, on the same files. Ten simulated phone photos of one printed form
# (12 MP, JPEG q85, about 3 MB each; tests/e2e/lib-photos.sh):
#  - finding the code, per page: native (ferry-seal's sandboxed child) and
#    wasm (the page in headless Chromium, the browser decoding the photo);
#  - sealing the ten pages: the page (code found in the photos, then
#    sealed) against ferry-seal doing the same, and the sealing alone
#    (the page's marks; ferry-seal with the code given) as a ratio;
#  - the page's peak memory (the renderer's VmHWM).
# Usage: bench_web.sh BUILD_DIR (absolute). Needs make web.
set -e
B=${1:?usage: bench_web.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-3}
PAGE="$B/web/ferry-seal.html"
[ -f "$PAGE" ] || { echo "bench_web: no $PAGE: run make web" >&2; exit 1; }
export NODE_PATH="$B/web/npm/node_modules"
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-web.XXXXXX")
trap 'rm -rf "$W"' EXIT
. "$ROOT/tests/e2e/lib-photos.sh"
cd "$W"
printf 'a bench passphrase\n' >pass
printf 'Working conditions\nHow many hours a day? [3]\n' >q.txt
"$B/ferry-desk" init desk --kdf interactive --passphrase-file pass >/dev/null
FP=$("$B/ferry-desk" fingerprint desk --passphrase-file pass)
"$B/ferry-desk" issue desk --forms 1 --label bench --questions q.txt -o pk --passphrase-file pass >/dev/null
WORD=$(grep -v '^#' pk/secret/word-*.txt | head -n 1)
CODE=$(grep -v '^#' pk/codes-*.txt | sed -n 1p | cut -d' ' -f2)
render_forms "$W"/pk/forms-*.html "$W/form"
i=0
for a in 3 5 7 9 11 13 4 6 8 10; do
	i=$((i + 1))
	phone_photo form-1.png "p$i.jpg" "$a" 0.8 2850 $((a * 2))
done
BYTES=$(cat p*.jpg | wc -c)
echo "== the offline page against ferry-seal: 10 photos, 12 MP, $BYTES bytes in all =="
now() { python3 -c 'import time; print(time.perf_counter())'; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

nat_all="" nat_seal="" nat_find=""
for r in $(seq "$ROUNDS"); do
	rm -rf out && mkdir out
	t0=$(now)
	"$B/ferry-seal" --desk "$FP" --word "$WORD" -o out p*.jpg >/dev/null
	t1=$(now)
	"$B/ferry-seal" --code "$CODE" --desk "$FP" --word "$WORD" --force -o out p*.jpg >/dev/null 2>&1
	t2=$(now)
	for p in p*.jpg; do "$B/tests/ferry-testtool" qr-find "$p" >/dev/null; done
	t3=$(now)
	nat_all="$nat_all $(python3 -c "print($t1 - $t0)")"
	nat_seal="$nat_seal $(python3 -c "print($t2 - $t1)")"
	nat_find="$nat_find $(python3 -c "print(($t3 - $t2) / 10)")"
done

python3 - "$PAGE" "$FP" "$WORD" "$ROUNDS" "$W" >job.json <<'PY'
import json, sys
page, fp, word, rounds, w = sys.argv[1:6]
print(json.dumps({"page": page, "desk": fp, "word": word, "runs": int(rounds),
                  "photos": ["%s/p%d.jpg" % (w, i) for i in range(1, 11)]}))
PY
node "$ROOT/tests/web/drive.js" job.json >web.json
python3 - web.json "$nat_all" "$nat_seal" "$nat_find" <<'PY'
import json, statistics, sys
d = json.load(open(sys.argv[1]))
nat_all, nat_seal, nat_find = (statistics.median(map(float, a.split())) for a in sys.argv[2:5])
if d.get("bad"):
    sys.exit("bench_web: the page refused: " + d["status"])
m = d["marks"]
find = (m["ferry-found"] - m["ferry-find"]) / 1000
seal = (m["ferry-sealed"] - m["ferry-seal"]) / 1000
web_all = statistics.median(d["runs"]) / 1000
print("finding the code, per 12 MP page: native %.3f s (sandboxed child), wasm %.3f s (decode in the browser included)"
      % (nat_find, find / 10))
print("10 pages, code found in the photos and sealed: page in Chromium %.2f s (median of %d), ferry-seal %.2f s: %.2fx"
      % (web_all, len(d["runs"]), nat_all, web_all / nat_all))
print("sealing alone (code given): page %.2f s, ferry-seal %.2f s: wasm %.2fx native"
      % (seal, nat_seal, seal / nat_seal))
print("the page's peak memory (renderer VmHWM): %.0f MiB" % (d["peakKiB"] / 1024))
PY
