#!/bin/sh
# make fuzz: builds each libFuzzer target (one a parser, tests/fuzz/) with
# ASan+UBSan and runs it for SECONDS seconds (default 60) from a seed
# corpus, then prints the executions and whether anything was found.
# FUZZ_TARGETS="jpeg png" runs only some of them; FUZZ_RUNS=N runs each
# until N executions instead (the full run: FUZZ_RUNS=10000000).
set -e
SECS=${1:-60}
B=build-fuzz
CC=clang
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined $(pkg-config --cflags libsodium libpng zlib libqrencode zbar libseccomp libjpeg)"
LIBS="$(pkg-config --libs libsodium libpng zlib libqrencode zbar libseccomp libjpeg) -lzxcvbn -lm"
mkdir -p "$B/obj" "$B/corpus"
# The objects of today's sources only (a source removed since leaves a
# stale object behind), rebuilt when the source or any header is newer.
HDR=$(ls -t common/*.h crypto/*.h container/*.h pages/*.h trust/*.h seal/*.h forms/*.h relay/*.h store/*.h opening/*.h desk/*.h | head -1)
OBJS=""
for s in common/*.c crypto/*.c container/*.c pages/*.c trust/*.c seal/*.c forms/*.c relay/*.c store/*.c opening/*.c desk/*.c; do
	o="$B/obj/$(echo "$s" | tr / _).o"
	{ [ "$o" -nt "$s" ] && [ "$o" -nt "$HDR" ]; } || $CC $CFLAGS -c "$s" -o "$o"
	OBJS="$OBJS $o"
done
# Seeds: the fixtures, the vectors and samples of each parser's input.
C="$B/corpus"
for t in $(ls tests/fuzz/fuzz_*.c | sed 's#.*/fuzz_##; s#\.c$##'); do mkdir -p "$C/$t"; done
cp tests/fixtures/*.jpg "$C/jpeg/"
cp tests/fixtures/*.png "$C/png/"
cp tests/vectors/pack.ferrypack "$C/pack/"
cp tests/vectors/relay.credential "$C/credential/"
cp tests/vectors/sealcode-form1.txt tests/vectors/sealcode-form1-v1.txt "$C/sealcode/"
cp tests/vectors/bundle-*.bin "$C/bundle/"
cp tests/vectors/sealcode-form1.txt tests/vectors/sealcode-form1-v1.txt "$C/qrtext/"
printf 'https://example.org/\nFERRY1:0123\n' >"$C/qrtext/mixed"
printf 'Title\n> Do not write your name.\nQuestion one [3]\n질문 둘\n' >"$C/questions/questions"
printf 'ferry note\nkind: note\nwritten: 2026-12-01T00:00:00Z\nwritten-unix: 1796083200\ncase: cases/ABCD-EFGH\ntext:\n  one\n  \n  two\n' >"$C/note/note"
cp "$C/note/note" "$C/entry/note"
printf 'ferry pack revoked\nkind: pack-revoked\nrevoked: 2026-12-01T00:00:00Z\nrevoked-unix: 1796083200\npack: ABCD\npack-id: 0011223344556677\nreason: seized\n' >"$C/entry/revoked"
printf 'ferry case\nkind: testimony\nopened: 2026-12-01T00:00:00Z\nopened-unix: 1796083200\npack: ABCD\npack-id: 0011223344556677\nform: ABCD-EFGH\nform-index: 0\nanswer: 1\nsealed-with: pack\nseen: 00112233445566778899aabbccddeeff\ncase: cases/ABCD-EFGH\nbundle-bytes: 65536\nitems:\n  page-01.jpg 3 bytes blake2b-256:%064d; orientation 6; removed by the sealer: EXIF: GPS position (1 KB)\n' 0 >"$C/entry/case"
printf 'ferry keys destroyed\nkind: key-destroyed\ndestroyed: 2026-12-01T00:00:00Z\ndestroyed-unix: 1796083200\npack: ABCD\npack-id: 0011223344556677\nform: ABCD-EFGH\nform-index: 0\nreason: over\n' >"$C/entry/destroyed"
printf '%032d\040\000\000\000%048d%064d' 0 0 0 >"$C/log/entry"
printf 'ferry log attestation v2\ndesk: X\nentries: 3\nhead: %064d\nprevious: none\nminisign-key: RWQS\nmade: 2026-12-01T00:00:00Z\nmade-unix: 1796083200\nsignature: %0128d\n' 0 0 >"$C/attestation/v2"
printf 'entries: 3\nhead: %064d\nmade: 2026-12-01T00:00:00Z\nmade-unix: 1796083200\nsignature: %0128d\n' 0 0 >"$C/attestation/fields"
printf 'FERRYCT1\001\002\000\000\000\001\000\002\003\000\000\000abc\003\013\000\000\000\003\000\000\000\000\000\000\000\000\000\000\004\004\000\000\000\001\000\000\000' >"$C/container/one"
printf 'ABCD-EFGH-K' >"$C/codes/word"
printf 'SGD9-Z39Y-CN63-R3TG-H19T-26SF-3D42-DWVV' >"$C/codes/fingerprint"
printf 'K7QF-M2XA' >"$C/codes/form"
printf '2026-12-31' >"$C/codes/day"
printf 'untrusted comment: ferry release, desk AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH; certificate AAAA\nRUQS+eVqHq5VzkeP7A9YW6+wwWaIirH9FAyqWp0zggXVIm+M5D/K13QYb+rgps3Amk+PMTOil0VjWRSF+fckL+/nSxx3P+JtiA4=\ntrusted comment: ferry release: ferry-seal.html\nxw5OfQQDzFxa0MUqqyYlGH7bFo3gr5rQgrRvpAZu2I78ufJptIemV8uIcmad3Xnbz/q3VOsUx1UiNePxe49VCg==\n' >"$C/minisign/release"
printf 'RWQS+eVqHq5VzoVgsTXjdFIEZVi3iHOKzxArNTeQ3gJG1I7fxvuXCQA+\000untrusted comment: x\nRUQS+eVqHq5VzkeP7A9YW6+wwWaIirH9FAyqWp0zggXVIm+M5D/K13QYb+rgps3Amk+PMTOil0VjWRSF+fckL+/nSxx3P+JtiA4=\ntrusted comment: ferry log attestation\nxw5OfQQDzFxa0MUqqyYlGH7bFo3gr5rQgrRvpAZu2I78ufJptIemV8uIcmad3Xnbz/q3VOsUx1UiNePxe49VCg==\n' >"$C/minisign/minisig"
head -c 4096 /dev/zero >"$C/vault/zeros"
# A vault as a desk holds it after use, decrypted (tests/fuzz/seed_vault.c).
$CC $(echo "$CFLAGS" | sed 's/fuzzer-no-link,//') tests/fuzz/seed_vault.c $OBJS $LIBS -fsanitize=fuzzer-no-link -o "$B/seed_vault"
"$B/seed_vault" "$C/vault/used"
status=0
ALL=$(ls tests/fuzz/fuzz_*.c | sed 's#.*/fuzz_##; s#\.c$##' | tr '\n' ' ')
if [ -n "${FUZZ_RUNS:-}" ]; then LIMIT="-runs=$FUZZ_RUNS"; else LIMIT="-max_total_time=$SECS"; fi
for t in ${FUZZ_TARGETS:-$ALL}; do
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" $OBJS $LIBS -o "$B/fuzz_$t"
	mkdir -p "$B/found-$t"
	start=$(date +%s)
	if "$B/fuzz_$t" $LIMIT -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$B/found-$t/" "$B/corpus/$t" >"$B/fuzz_$t.log" 2>&1; then
		res=clean
	else
		res="FOUND (see $B/fuzz_$t.log and $B/found-$t/)"
		status=1
	fi
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz_$t.log" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$B/fuzz_$t.log" | tail -1 | tr -d '#')
	cov=$(grep -Eo 'cov: [0-9]+' "$B/fuzz_$t.log" | tail -1)
	echo "fuzz_$t: $(($(date +%s) - start)) s, $execs executions, $cov, $res"
done
exit $status
