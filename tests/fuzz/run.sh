#!/bin/sh
# make fuzz: builds each libFuzzer target with ASan+UBSan and runs it for
# SECONDS seconds (default 60) from a seed corpus, then prints the
# executions and whether anything was found. FUZZ_TARGETS="jpeg png"
# runs only some of them.
set -e
SECS=${1:-60}
B=build-fuzz
CC=clang
CFLAGS="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined $(pkg-config --cflags libsodium libpng zlib libqrencode zbar libseccomp libjpeg)"
LIBS="$(pkg-config --libs libsodium libpng zlib libqrencode zbar libseccomp libjpeg) -lzxcvbn -lm"
mkdir -p "$B/obj" "$B/corpus"
# The objects of today's sources only (a source removed since leaves a
# stale object behind), rebuilt when the source or any header is newer.
HDR=$(ls -t common/*.h crypto/*.h pages/*.h trust/*.h seal/*.h forms/*.h relay/*.h desk/*.h | head -1)
OBJS=""
for s in common/*.c crypto/*.c pages/*.c trust/*.c seal/*.c forms/*.c relay/*.c desk/*.c; do
	o="$B/obj/$(echo "$s" | tr / _).o"
	{ [ "$o" -nt "$s" ] && [ "$o" -nt "$HDR" ]; } || $CC $CFLAGS -c "$s" -o "$o"
	OBJS="$OBJS $o"
done
# Seeds: the fixtures, the vectors and a sample vault/questions.
mkdir -p "$B/corpus/jpeg" "$B/corpus/png" "$B/corpus/container" "$B/corpus/pack" "$B/corpus/bundle" "$B/corpus/vault" "$B/corpus/qrtext"
cp tests/fixtures/*.jpg "$B/corpus/jpeg/"
cp tests/fixtures/*.png "$B/corpus/png/"
cp tests/vectors/pack.ferrypack tests/vectors/relay.credential tests/vectors/sealcode-form1.txt "$B/corpus/pack/"
cp tests/vectors/bundle-*.bin "$B/corpus/bundle/"
cp tests/vectors/sealcode-form1.txt "$B/corpus/qrtext/"
printf 'https://example.org/\nFERRY1:0123\n' >"$B/corpus/qrtext/mixed"
printf 'Title\nQuestion one [3]\n질문 둘\n' >"$B/corpus/vault/questions"
printf 'ferry note\nkind: note\nwritten: 2026-12-01T00:00:00Z\nwritten-unix: 1796083200\ncase: cases/ABCD-EFGH\ntext:\n  one\n  two\n' >"$B/corpus/vault/note"
printf 'ferry pack revoked\nkind: pack-revoked\nrevoked: 2026-12-01T00:00:00Z\nrevoked-unix: 1796083200\npack: ABCD\npack-id: 0011223344556677\nreason: seized\n' >"$B/corpus/vault/revoked"
printf 'entries: 3\nhead: %064d\nmade: 2026-12-01T00:00:00Z\nmade-unix: 1796083200\nsignature: %0128d\n' 0 0 >"$B/corpus/pack/attestation"
printf 'FERRYCT1\001\002\000\000\000\001\000\002\003\000\000\000abc\003\013\000\000\000\003\000\000\000\000\000\000\000\000\000\000\004\004\000\000\000\001\000\000\000' >"$B/corpus/container/one"
printf 'ABCD-EFGH-K' >"$B/corpus/pack/word"
cp tests/vectors/sealcode-form1-v1.txt "$B/corpus/qrtext/"
printf 'untrusted comment: ferry release, desk AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH; certificate AAAA\nRUQS+eVqHq5VzkeP7A9YW6+wwWaIirH9FAyqWp0zggXVIm+M5D/K13QYb+rgps3Amk+PMTOil0VjWRSF+fckL+/nSxx3P+JtiA4=\ntrusted comment: ferry release: ferry-seal.html\nxw5OfQQDzFxa0MUqqyYlGH7bFo3gr5rQgrRvpAZu2I78ufJptIemV8uIcmad3Xnbz/q3VOsUx1UiNePxe49VCg==\n' >"$B/corpus/pack/release"
printf 'RWQS+eVqHq5VzoVgsTXjdFIEZVi3iHOKzxArNTeQ3gJG1I7fxvuXCQA+\000untrusted comment: x\nRUQS+eVqHq5VzkeP7A9YW6+wwWaIirH9FAyqWp0zggXVIm+M5D/K13QYb+rgps3Amk+PMTOil0VjWRSF+fckL+/nSxx3P+JtiA4=\ntrusted comment: ferry log attestation\nxw5OfQQDzFxa0MUqqyYlGH7bFo3gr5rQgrRvpAZu2I78ufJptIemV8uIcmad3Xnbz/q3VOsUx1UiNePxe49VCg==\n' >"$B/corpus/pack/minisig"
status=0
for t in ${FUZZ_TARGETS:-jpeg png container pack bundle vault qrtext}; do
	# shellcheck disable=SC2086
	$CC $CFLAGS -fsanitize=fuzzer "tests/fuzz/fuzz_$t.c" $OBJS $LIBS -o "$B/fuzz_$t"
	mkdir -p "$B/found-$t"
	if "$B/fuzz_$t" -max_total_time="$SECS" -max_len=70000 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$B/found-$t/" "$B/corpus/$t" >"$B/fuzz_$t.log" 2>&1; then
		res=clean
	else
		res="FOUND (see $B/fuzz_$t.log and $B/found-$t/)"
		status=1
	fi
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/fuzz_$t.log" | grep -o '[0-9]*$' || true)
	[ -n "$execs" ] || execs=$(grep -Eo '#[0-9]+' "$B/fuzz_$t.log" | tail -1 | tr -d '#')
	cov=$(grep -Eo 'cov: [0-9]+' "$B/fuzz_$t.log" | tail -1)
	echo "fuzz_$t: ${SECS}s, $execs executions, $cov, $res"
done
exit $status
