#!/bin/sh
# Part of make bench: how many simulated phone photos of printed forms the
# form-that-seals-itself reads, against zbarimg and ZXing-C++ on the same
# files, and the time ferry-seal's sandboxed finder takes per page.
# Photos (tests/e2e/lib-photos.sh): two forms as Chromium prints them, at
# 300 dpi, each turned 3, 8 and 13 degrees, blurred by 0.6, 1.2 and 1.8
# pixels, filling 95 %, 70 % and 50 % of a 12 MP frame's height, with
# perspective, uneven light, noise and JPEG quality 85: 54 photos.
set -e
B=${1:?usage: bench_qr.sh BUILD_DIR}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d "${BENCH_DIR:-/tmp}/ferry-bench-qr.XXXXXX")
trap '[ -n "${BENCH_KEEP:-}" ] || rm -rf "$W"' EXIT
. "$ROOT/tests/e2e/lib-photos.sh"
cd "$W"
printf 'a bench passphrase\n' >pass
printf 'Working conditions\nHow many hours a day? [3]\n' >q.txt
"$B/ferry-desk" init desk --kdf interactive --passphrase-file pass >/dev/null
"$B/ferry-desk" issue desk --forms 2 --label bench --questions q.txt -o pk --passphrase-file pass >/dev/null
render_forms "$W"/pk/forms-*.html "$W/form"
# ZXing-C++ has no command-line reader in Debian: a few lines read a PGM.
cat >zx.cpp <<'CPP'
#include <ZXing/ReadBarcode.h>
#include <cstdio>
#include <vector>
int main(int argc, char **argv)
{
	for (int a = 1; a < argc; a++) {
		FILE *f = std::fopen(argv[a], "rb");
		int w = 0, h = 0, m = 0;
		char magic[3] = {0};
		if (!f || std::fscanf(f, "%2s %d %d %d", magic, &w, &h, &m) != 4)
			return 2;
		std::fgetc(f);
		std::vector<unsigned char> px((size_t)w * h);
		if (std::fread(px.data(), 1, px.size(), f) != px.size())
			return 2;
		std::fclose(f);
		ZXing::DecodeHints hints;
		hints.setFormats(ZXing::BarcodeFormat::QRCode);
		hints.setTryHarder(true);
		hints.setTryRotate(true);
		int n = 0;
		for (auto &r : ZXing::ReadBarcodes(
		         ZXing::ImageView(px.data(), w, h, ZXing::ImageFormat::Lum), hints))
			n += r.isValid();
		std::printf("%s %d\n", argv[a], n);
	}
	return 0;
}
CPP
g++ -O2 -std=c++17 -w -DZX_USE_UTF8 zx.cpp -o zx -lZXing
mkdir ph
for form in 1 2; do
	for a in 3 8 13; do
		for blur in 0.6 1.2 1.8; do
			for hgt in 2850 2100 1500; do
				phone_photo "form-$form.png" "ph/f$form-a$a-b$blur-h$hgt.jpg" "$a" "$blur" "$hgt" $((a * 3))
			done
		done
	done
done
n=0 ferry=0 zbar=0 zx=0 zbar_not_ferry=0 t_total=0
: >rows
for p in ph/*.jpg; do
	n=$((n + 1))
	t0=$(date +%s%N)
	fr=$("$B/tests/ferry-testtool" qr-find "$p" | sed -n '1s/.*: //p')
	t1=$(date +%s%N)
	t_total=$((t_total + (t1 - t0) / 1000000))
	zr=$(zbarimg -q --raw "$p" 2>/dev/null | grep -cE '^[0-9A-Z]{346}$' || true)
	convert-im6 "$p" -colorspace gray p.pgm
	xr=$(./zx p.pgm | cut -d' ' -f2)
	[ "$fr" = 1 ] && ferry=$((ferry + 1))
	[ "$zr" -gt 0 ] && zbar=$((zbar + 1))
	[ "$xr" -gt 0 ] && zx=$((zx + 1))
	[ "$zr" -gt 0 ] && [ "$fr" != 1 ] && zbar_not_ferry=$((zbar_not_ferry + 1))
	echo "$p ferry=$fr zbarimg=$zr zxing=$xr" >>rows
done
echo "== seal codes read from $n simulated 12 MP phone photos of printed forms =="
for hgt in 2850 2100 1500; do
	echo "page $hgt px tall in a 3000 px frame: ferry-seal $(grep -c "h$hgt.jpg ferry=1" rows), zbarimg $(grep "h$hgt.jpg" rows | grep -vc 'zbarimg=0'), ZXing $(grep "h$hgt.jpg" rows | grep -vc 'zxing=0') of $(grep -c "h$hgt.jpg" rows)"
done
echo "in all: ferry-seal $ferry, zbarimg $zbar, ZXing-C++ $zx of $n; read by zbarimg but not by ferry-seal: $zbar_not_ferry"
echo "ferry-seal's sandboxed finder: $((t_total / n)) ms a page on average (decode, search, fork and filter included)"

# The offline page on the same photos, one seal each in one Chromium (a
# photo reads when the page seals it; its code is the only way to the form).
if [ -f "$B/web/ferry-seal.html" ]; then
	FP=$("$B/ferry-desk" fingerprint "$W/desk" --passphrase-file pass)
	python3 - "$B/web/ferry-seal.html" "$FP" ph/*.jpg >job.json <<'PY'
import json, os, sys
print(json.dumps({"page": sys.argv[1], "desk": sys.argv[2],
                  "sets": [[os.path.abspath(p)] for p in sys.argv[3:]]}))
PY
	NODE_PATH="$B/web/npm/node_modules" node "$ROOT/tests/web/drive.js" job.json >web.json
	python3 - web.json rows <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rows = [l.split() for l in open(sys.argv[2])]
read = [s["sealed"] for s in d["sets"]]
native = [r[1] == "ferry=1" for r in rows]
both = sum(1 for a, b in zip(read, native) if b and not a)
ms = sum(s["findMs"] for s in d["sets"]) / len(read)
print("the offline page (wasm, in Chromium): %d of %d read, %.0f ms a page on average (the browser's decode included); read natively but not by the page: %d"
      % (sum(read), len(read), ms, both))
PY
else
	echo "the offline page: not built (make web), not measured"
fi
