#!/bin/sh
# Shows that the page sanitizer is complete: phone-style metadata is
# written into small images with exiftool, hidden trailers are appended,
# and the sanitized output is checked with exiftool (allow-list), raw
# byte search, djpeg / ImageMagick pixel comparison, an independent scan
# data hash, and against mat2's output.
. tests/e2e/lib.sh
need exiftool mat2 djpeg convert-im6 python3 cmp
F=tests/fixtures
ICC=/usr/share/color/icc/ghostscript/srgb.icc
VALUES="SN4455667788 LSN-ABCDEF 22.5431 114.0579 PhoneCo PX-8 Build-QP1A 2023:11:04 dormitory SecretCreator Shenzhen MCC460 Field-contact-7 zipped-secret AFTER-IEND"
SECRETS="$VALUES ftypmp42 SEFT SEFH"

add_jpeg_metadata() { # FILE
	convert-im6 -size 16x12 xc:gray "$T/thumb.jpg"
	exiftool -q -overwrite_original \
		-GPSLatitude=22.5431 -GPSLatitudeRef=N -GPSLongitude=114.0579 -GPSLongitudeRef=E \
		-DateTimeOriginal="2023:11:04 14:22:33" -SubSecTimeOriginal=123 \
		-Make=PhoneCo -Model=PX-8 -SerialNumber=SN4455667788 -LensSerialNumber=LSN-ABCDEF \
		-Software=Build-QP1A -Orientation#=6 "-ThumbnailImage<=$T/thumb.jpg" \
		-XMP-dc:Creator=SecretCreator -IPTC:City=Shenzhen "-ICC_Profile<=$ICC" \
		-Comment="met at dormitory 7" "$1"
}
# Motion photo (MP4 after EOI), Samsung SEFH..SEFT block, MPF-style
# second JPEG.
add_trailers() { # FILE
	printf '\0\0\0\030ftypmp42\0\0\0\0isommp42' >>"$1"
	head -c 4000 /dev/zero >>"$1"
	cat "$F/base.jpg" >>"$1"
	printf 'SEFH\001\0\0\0MCC460 location block SEFT' >>"$1"
}

allowed_tag() {
	case "$1" in
	"[ExifTool] ExifToolVersion" | "[System] "* | "[Composite] "*) return 0 ;;
	"[File] FileType" | "[File] FileTypeExtension" | "[File] MIMEType" | "[File] ImageWidth" | \
		"[File] ImageHeight" | "[File] EncodingProcess" | "[File] BitsPerSample" | \
		"[File] ColorComponents" | "[File] YCbCrSubSampling") return 0 ;;
	"[JFIF] JFIFVersion" | "[JFIF] ResolutionUnit" | "[JFIF] XResolution" | "[JFIF] YResolution") return 0 ;;
	"[Adobe] DCTEncodeVersion" | "[Adobe] APP14Flags0" | "[Adobe] APP14Flags1" | "[Adobe] ColorTransform") return 0 ;;
	"[PNG] ImageWidth" | "[PNG] ImageHeight" | "[PNG] BitDepth" | "[PNG] ColorType" | \
		"[PNG] Compression" | "[PNG] Filter" | "[PNG] Interlace" | "[PNG] Palette" | \
		"[PNG] Transparency") return 0 ;;
	esac
	return 1
}

tags_of() { # FILE -> "[Group] Tag" lines
	exiftool -a -G1 -s "$1" 2>&1 | sed -n 's/^\(\[[^]]*\]\) *\([A-Za-z0-9_-]*\) *:.*/\1 \2/p'
}

check_clean() { # LABEL OUT
	bad=""
	tags_of "$2" >"$T/tags"
	while IFS= read -r tag; do
		allowed_tag "$tag" || bad="$bad $tag;"
	done <"$T/tags"
	if [ -z "$bad" ]; then ok "$1: exiftool lists only allowed tags"; else not_ok "$1: exiftool lists only allowed tags" "extra:$bad"; fi
	if exiftool -a -G1 -s "$2" 2>&1 | grep -qi warning; then
		not_ok "$1: exiftool finds no trailing data or damage" "$(exiftool -a -G1 -s "$2" 2>&1 | grep -i warning)"
	else ok "$1: exiftool finds no trailing data or damage"; fi
	leaked=""
	for s in $SECRETS; do
		grep -aqF -- "$s" "$2" && leaked="$leaked $s"
	done
	if [ -z "$leaked" ]; then ok "$1: no injected string in the raw bytes"; else not_ok "$1: no injected string in the raw bytes" "found:$leaked"; fi
}

# mat2's output is the bar: ferry's output may carry no metadata tag that
# mat2's does not. Structural groups (File, Composite, System) are left
# out; where ferry keeps more it is listed with the reason.
compare_mat2() { # LABEL IN OUT KEEP_REGEX
	cp "$2" "$T/m2in.${2##*.}"
	if ! mat2 "$T/m2in.${2##*.}" >/dev/null 2>&1; then
		not_ok "$1: mat2 cleans the fixture" "mat2 failed"
		return
	fi
	tags_of "$T/m2in.cleaned.${2##*.}" | grep -v -e '^\[System\]' -e '^\[File\]' -e '^\[Composite\]' -e '^\[ExifTool\]' | sort -u >"$T/mat2.tags"
	tags_of "$3" | grep -v -e '^\[System\]' -e '^\[File\]' -e '^\[Composite\]' -e '^\[ExifTool\]' | sort -u >"$T/ferry.tags"
	extra=$(comm -23 "$T/ferry.tags" "$T/mat2.tags" | grep -v -E "$4" | tr '\n' ';')
	if [ -z "$extra" ]; then ok "$1: leaks no tag that mat2's output does not"; else not_ok "$1: leaks no tag that mat2's output does not" "extra: $extra"; fi
	rm -f "$T"/m2in.*
}

for base in base progressive cmyk; do
	cp "$F/$base.jpg" "$T/$base-phone.jpg"
	add_jpeg_metadata "$T/$base-phone.jpg"
	add_trailers "$T/$base-phone.jpg"
	IN="$T/$base-phone.jpg"
	CLEAN="$T/$base-clean.jpg"
	expect "$base JPEG sanitizes" 0 "$TOOL" sanitize "$IN" "$CLEAN"
	has "$base: report names GPS, time, make/model, serial" "GPS position, capture time, camera make/model, serial number"
	has "$base: report names thumbnail, XMP, ICC, IPTC, comment" "thumbnail.*XMP.*ICC profile.*IPTC.*comment"
	has "$base: report names the motion photo, SEFT and second image" "motion photo video, Samsung SEFT block, hidden second image"
	has "$base: orientation carried" "orientation=6"
	leak=""
	for s in $VALUES; do
		printf '%s' "$OUT" | grep -qF -- "$s" && leak="$leak $s"
	done
	if [ -z "$leak" ]; then ok "$base: report names no values"; else not_ok "$base: report names no values" "$leak"; fi
	check_clean "$base JPEG" "$CLEAN"
	a=$(python3 tests/e2e/ecs.py "$F/$base.jpg")
	b=$(python3 tests/e2e/ecs.py "$CLEAN")
	check "$base: scan data byte-identical to the original's" [ "$a" = "$b" ]
	if [ "$base" = cmyk ]; then
		convert-im6 "$F/$base.jpg" -depth 8 cmyk:"$T/a.raw"
		convert-im6 "$CLEAN" -depth 8 cmyk:"$T/b.raw"
		check "$base: decodes to the same CMYK pixels" cmp "$T/a.raw" "$T/b.raw"
		compare_mat2 "$base JPEG" "$IN" "$CLEAN" '^\[Adobe\]'
		# ferry keeps a rebuilt Adobe block here: without its transform
		# byte a decoder reads the CMYK data with the wrong colours. It
		# holds four fixed fields, nothing about the phone or the person.
		# mat2 has none because it re-encodes CMYK as lossy RGB.
	else
		djpeg -pnm "$F/$base.jpg" >"$T/a.pnm"
		djpeg -pnm "$CLEAN" >"$T/b.pnm"
		check "$base: djpeg decodes the same pixels" cmp "$T/a.pnm" "$T/b.pnm"
		compare_mat2 "$base JPEG" "$IN" "$CLEAN" '^$'
	fi
done
# Orientation: ferry keeps it only as a manifest field (the desk shows the
# page upright); it is one of eight values and says nothing about who or
# where. mat2 drops it; the file ferry seals has no EXIF at all.

for base in base palette interlaced; do
	IN="$T/$base-phone.png"
	cp "$F/$base.png" "$IN"
	exiftool -q -overwrite_original -PNG:Author=Field-contact-7 -XMP-dc:Creator=SecretCreator \
		-EXIF:SerialNumber=SN4455667788 -EXIF:GPSLatitude=22.5431 -EXIF:GPSLatitudeRef=N \
		-PNG:ModifyDate="2023:11:04 14:22:33" "-ICC_Profile<=$ICC" "$IN" 2>/dev/null
	python3 - "$IN" <<'PY'
import struct, sys, zlib
p = sys.argv[1]
d = open(p, "rb").read()
i = d.rindex(b"IEND") - 4
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b))
z = chunk(b"zTXt", b"Comment\0\0" + zlib.compress(b"zipped-secret " * 20))
open(p, "wb").write(d[:i] + z + d[i:] + b"AFTER-IEND-SECRET")
PY
	CLEAN="$T/$base-clean.png"
	expect "$base PNG sanitizes" 0 "$TOOL" sanitize "$IN" "$CLEAN"
	has "$base PNG: report names eXIf with its kinds, text, time, ICC, trailer" "eXIf: GPS position.*text chunks.*modification time.*ICC profile.*trailer"
	check_clean "$base PNG" "$CLEAN"
	convert-im6 "$F/$base.png" -depth 16 rgba:"$T/a.raw"
	convert-im6 "$CLEAN" -depth 16 rgba:"$T/b.raw"
	check "$base PNG: same pixels" cmp "$T/a.raw" "$T/b.raw"
	check "$base PNG: same bit depth and colour type" sh -c "[ \"\$(exiftool -s3 -BitDepth -ColorType '$F/$base.png')\" = \"\$(exiftool -s3 -BitDepth -ColorType '$CLEAN')\" ]"
	compare_mat2 "$base PNG" "$IN" "$CLEAN" '^\[PNG\] (Palette|Transparency)$'
	# A palette is the image's colours (mat2 expands it to RGB).
done

# Malformed images, each with its error.
P="$T/base-phone.jpg"
head -c 2000 "$P" >"$T/trunc.jpg"
expect "truncated JPEG refused" 1 "$TOOL" sanitize "$T/trunc.jpg" "$T/x"
has "says cut short" "cut short"
python3 - "$F/base.jpg" "$T/badlen.jpg" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[4], d[5] = 0, 1  # APP0 length 1
open(sys.argv[2], "wb").write(d)
PY
expect "bad marker length refused" 1 "$TOOL" sanitize "$T/badlen.jpg" "$T/x"
has "says bad length" "bad marker segment length"
python3 - "$F/base.jpg" "$T/loop.jpg" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
# A segment whose length points back at its own marker: a walker that
# seeks by length would loop; ferry only reads forward.
open(sys.argv[2], "wb").write(d[:2] + b"\xff\xe1\x00\x02" * 200000 + d[2:-2])
PY
expect "marker walk that loops/no end refused" 1 "$TOOL" sanitize "$T/loop.jpg" "$T/x"
has "says too many segments or cut short" "too many marker segments\|cut short"
python3 - "$F/base.png" "$T/crc.png" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
d[29] ^= 1  # IHDR CRC
open(sys.argv[2], "wb").write(d)
PY
expect "PNG with a bad CRC refused" 1 "$TOOL" sanitize "$T/crc.png" "$T/x"
has "says CRC" "CRC"
python3 - "$F/base.png" "$T/zlib.png" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"IDAT")
n = struct.unpack(">I", d[i - 4:i])[0]
d[i + 6] ^= 0xff
d[i + 4 + n:i + 8 + n] = struct.pack(">I", zlib.crc32(bytes(d[i:i + 4 + n])))
open(sys.argv[2], "wb").write(d)
PY
expect "PNG whose zlib stream fails refused" 1 "$TOOL" sanitize "$T/zlib.png" "$T/x"
has "says compressed data corrupt" "compressed image data is corrupt"
python3 - "$F/base.png" "$T/huge.png" <<'PY'
import struct, sys, zlib
d = bytearray(open(sys.argv[1], "rb").read())
d[16:24] = struct.pack(">II", 40000, 40000)
d[29:33] = struct.pack(">I", zlib.crc32(bytes(d[12:29])))
open(sys.argv[2], "wb").write(d)
PY
expect "PNG over the size limit refused" 1 "$TOOL" sanitize "$T/huge.png" "$T/x"
has "says over the limit" "limit"
python3 - "$F/base.jpg" "$T/huge.jpg" <<'PY'
import sys
d = bytearray(open(sys.argv[1], "rb").read())
i = d.index(b"\xff\xc0")
d[i + 5:i + 9] = b"\xff\x00\xff\x00"
open(sys.argv[2], "wb").write(d)
PY
expect "JPEG over the size limit refused" 1 "$TOOL" sanitize "$T/huge.jpg" "$T/x"
has "says over the limit" "over the limit"
check "no output left for a refused page" [ ! -e "$T/x" ]
for kind in "heic:\0\0\0\030ftypheic" "tiff:II*\0" "webp:RIFF\0\0\0\0WEBPVP8 " "pdf:%PDF-1.4" "mp4:\0\0\0\030ftypisom"; do
	name=${kind%%:*}
	printf '%b' "${kind#*:}xxxxxxxxxxxxxxxx" >"$T/IMG.$name.jpg"
	expect "$name named .jpg refused by content" 1 "$TOOL" sanitize "$T/IMG.$name.jpg" "$T/x"
done
expect "seal --check prints the report" 0 "$SEAL" --check "$T/base-phone.jpg" "$T/base-phone.png"
has "check shows the removed kinds" "GPS position"
if printf '%s' "$OUT" | grep -qF -e 22.5431 -e SN4455667788 -e "2023:11:04"; then not_ok "check prints no values"; else ok "check prints no values"; fi
