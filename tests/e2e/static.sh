#!/bin/sh
# The static builds (issue 20): build/static/ferry-seal-x86_64 and
# -aarch64 are static-pie, say their target, hold no libqrencode, and seal
# bundles the desk opens: the x86_64 one from the photo alone (the QR
# decoder in its sandbox), the aarch64 one under Debian's
# qemu-aarch64-static from the seal code.
. tests/e2e/lib.sh
need file qemu-aarch64-static zbarimg
X86="$ROOT/build/static/ferry-seal-x86_64"
ARM="$ROOT/build/static/ferry-seal-aarch64"
check "make static built both" sh -c "[ -x '$X86' ] && [ -x '$ARM' ]"
check "the x86_64 one is static-pie" sh -c "file '$X86' | grep -q 'x86-64.*static-pie linked'"
check "the aarch64 one is static-pie for ARM" sh -c "file '$ARM' | grep -q 'ARM aarch64.*static-pie linked'"
check "no libqrencode in the sealer" sh -c "! nm '$X86' | grep -q ' QRcode_'"
expect "-V says the version and target (x86_64)" 0 "$X86" -V
has "x86_64, static" "ferry-seal 0.1.0 (x86_64-linux, static)"
expect "-V says the version and target (aarch64, under qemu)" 0 qemu-aarch64-static "$ARM" -V
has "aarch64, static" "ferry-seal 0.1.0 (aarch64-linux, static)"

make_desk
make_pages
printf 'Working conditions\nHow many hours a day? [3]\n' >"$T/q.txt"
"$DESK" issue "$T/desk" --forms 2 --label static --questions "$T/q.txt" \
	-o "$T/pk" --passphrase-file "$T/pass" >/dev/null
W=$(grep -v '^#' "$T"/pk/secret/word-*.txt | head -n 1)
F1=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 1p | cut -d' ' -f1)
C2=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 2p | cut -d' ' -f2)
F2=$(grep -v '^#' "$T"/pk/codes-*.txt | sed -n 2p | cut -d' ' -f1)
# The printed form's QR as a "photo" (the QR image itself, 1-bit PNG).
QR1=$(ls "$T"/pk/qr/"$F1".png)
mkdir "$T/x" "$T/a" "$T/q"
expect "the static x86_64 seals from the photo alone" 0 "$X86" --desk "$FP" --word "$W" -o "$T/x" "$QR1" "$P"
has "reading the code in its sandbox" "seal code of form $F1 read from page 1"
expect "the aarch64 one seals under qemu-aarch64-static" 0 qemu-aarch64-static "$ARM" \
	--code "$C2" --desk "$FP" --word "$W" --force -o "$T/a" "$P" "$T/page2.png"
has "to its form" "sealed 2 pages for form $F2"
# qemu-user runs the program's system calls itself, so the kernel's
# seccomp filter cannot confine it: the decoder's sandbox refuses to start
# there, and nothing is sealed (on an ARM board it runs as on x86_64).
expect "under qemu-user the QR sandbox does not start" 2 qemu-aarch64-static "$ARM" --desk "$FP" -o "$T/q" "$QR1"
has "and says so" "the QR decoder could not start its sandbox"
check "nothing sealed" [ -z "$(ls -A "$T/q")" ]
cp "$T"/x/* "$T"/a/* "$T/desk/intake/"
expect "the desk opens both" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "the x86_64 bundle" "testimony for form $F1, 2 pages"
has "the aarch64 bundle" "testimony for form $F2, 2 pages"
check "pack-proven, both" sh -c "grep -q 'sealed-with: pack' '$T/desk/cases/$F1/manifest.txt' && grep -q 'sealed-with: pack' '$T/desk/cases/$F2/manifest.txt'"
check "the photo's GPS is not in the aarch64 bundle's page" sh -c "! exiftool -q -GPSLatitude '$T/desk/cases/$F2/page-01.jpg' | grep -q ."

# --- The contact's language, carried with the binary ----------------------------
check "the catalogs and C.UTF-8's messages category are beside the binaries" sh -c \
	"[ -f '$ROOT/build/static/locale/ko/LC_MESSAGES/ferry.mo' ] && [ -f '$ROOT/build/static/locale/zh_CN/LC_MESSAGES/ferry.mo' ] && [ -f '$ROOT/build/static/locale/C.utf8/LC_MESSAGES/SYS_LC_MESSAGES' ]"
OUT=$(env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=ko_KR.UTF-8 qemu-aarch64-static "$ARM" --desk "$FP" 2>&1)
has "the aarch64 one speaks Korean under LANG=ko_KR.UTF-8" "오류: 봉인 코드를 읽을 쪽이 없습니다"
# A system with no locale at all, as on Android's Termux: /usr/lib/locale
# hidden under an empty tmpfs in a mount namespace of the test's own.
if unshare -m sh -c 'mount -t tmpfs none /usr/lib/locale' 2>/dev/null; then
	OUT=$(unshare -m sh -c "mount -t tmpfs none /usr/lib/locale && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C qemu-aarch64-static '$ARM' --lang zh --desk '$FP'" 2>&1)
	has "and, on a system without locales, Chinese with --lang zh" "错误: 没有可以读取封存码的页面"
	OUT=$(unshare -m sh -c "mount -t tmpfs none /usr/lib/locale && env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=ko_KR.UTF-8 '$X86' --desk '$FP'" 2>&1)
	has "and Korean under LANG=ko_KR.UTF-8 (x86_64)" "오류: 봉인 코드를 읽을 쪽이 없습니다"
else
	skip "a system without locales (Termux), simulated" "no mount namespace here (unshare -m)"
	skip "a system without locales (Termux), simulated, x86_64" "no mount namespace here (unshare -m)"
fi
