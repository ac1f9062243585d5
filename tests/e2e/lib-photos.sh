# Simulated phone photos of printed forms, for the tests of the form that
# seals itself (qrseal.sh) and its bench (tests/bench_qr.sh). Sourced.

# render_forms HTML PREFIX: the desk's printable forms as Chromium prints
# them, rasterized at 300 dpi in gray: PREFIX-1.png, PREFIX-2.png, ...
render_forms() {
	_dir=$(mktemp -d "${TMPDIR:-/tmp}/ferry-chromium.XXXXXX") || return 1
	chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$_dir" --no-pdf-header-footer --print-to-pdf="$2.pdf" "file://$1" >/dev/null 2>&1
	rm -rf "$_dir"
	[ -s "$2.pdf" ] && pdftoppm -r 300 -gray -png "$2.pdf" "$2"
}

# phone_photo PAGE OUT ANGLE BLUR HEIGHT SKEW: PAGE photographed at 12 MP
# (4000x3000) on a gray table: its corners pulled SKEW pixels out of
# square (perspective), turned ANGLE degrees, HEIGHT pixels tall in the
# frame (2850 fills it; 1500 is half), lit unevenly (light falling off
# from top to bottom), blurred by BLUR pixels (sigma), with sensor noise,
# saved as JPEG quality 85.
phone_photo() {
	convert-im6 "$1" -colorspace gray -resize '2480x3508!' -virtual-pixel white \
		-distort Perspective "0,0 $6,$6  2479,0 $((2479 - $6 / 2)),$((-$6 / 2))  0,3507 $((-$6 / 3)),3507  2479,3507 2479,$((3507 - $6))" \
		-background gray50 -rotate "$3" -resize "x$5" \
		-gravity center -background gray50 -extent 4000x3000 \
		\( -size 4000x3000 gradient:gray98-gray62 \) -compose multiply -composite \
		-blur "0x$4" -attenuate 0.5 +noise Gaussian -quality 85 "$2"
}
