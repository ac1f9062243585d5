#!/bin/sh
# A statically linked ferry-seal (static-pie) for a contact whose machine
# is an old laptop or an ARM board, and for Termux on Android: no library
# to install, nothing to build.
#
#   static/build.sh x86_64|aarch64 OUT_DIR
#
# writes OUT_DIR/ferry-seal-ARCH. OUT_DIR is relative to the checkout
# (make static gives build/static): the compiler and make are given paths
# relative to it, so a checkout whose path has a space in it builds too. x86_64 links Debian's own static
# libraries (the -dev packages make check installs); aarch64 is compiled
# with Debian's cross compiler (gcc-aarch64-linux-gnu) against arm64 -dev
# packages downloaded and unpacked into a sysroot under OUT_DIR (apt-get
# download, dpkg -x: the host's packages and architectures are untouched).
# zbar, whose Debian library is built with video, X and D-Bus, is compiled
# from its Debian source with the QR decoder alone (srclibs/build.sh);
# libqrencode is not needed by the sealer and not linked.
set -eu

arch=${1:?usage: static/build.sh x86_64|aarch64 OUT_DIR}
out=${2:?usage: static/build.sh x86_64|aarch64 OUT_DIR}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
case $out in /*) echo "static: error: OUT_DIR must be relative to the checkout" >&2; exit 1 ;; esac
mkdir -p "$out"
work="$out/$arch"
die() { echo "static: error: $*" >&2; exit 1; }

# arm64 packages whose headers and static libraries the sealer links.
SYSROOT_DEBS="libsodium-dev libsodium23 zlib1g-dev zlib1g libpng-dev libpng16-16 \
libjpeg62-turbo-dev libjpeg62-turbo libseccomp-dev libseccomp2 libqrencode-dev"

sysroot_arm64() {
	sr="$work/sysroot"
	[ -f "$sr/.unpacked" ] && return 0
	(
		# shellcheck source=srclibs/apt.sh
		. "$root/srclibs/apt.sh"
		private_apt "$root/$work/apt" deb arm64
		rm -rf "$work/debs" "$sr"
		mkdir -p "$work/debs" "$sr"
		cd "$work/debs"
		pkgs=""
		for p in $SYSROOT_DEBS; do pkgs="$pkgs $p:arm64"; done
		# shellcheck disable=SC2086
		apt-get -q download $pkgs >&2 || die "cannot download the arm64 packages"
		for d in ./*.deb; do dpkg -x "$d" "$root/$sr" || die "cannot unpack $d"; done
	)
	touch "$sr/.unpacked"
}

case $arch in
x86_64)
	cc=gcc ar=ar triplet=x86_64-linux-gnu
	inc="-I/usr/include/libpng16"
	libdir="/usr/lib/$triplet"
	;;
aarch64)
	cc=aarch64-linux-gnu-gcc ar=aarch64-linux-gnu-ar triplet=aarch64-linux-gnu
	command -v "$cc" >/dev/null || die "$cc is missing: run 'make deps' as root"
	sysroot_arm64
	sr="$work/sysroot"
	inc="-I$sr/usr/include -I$sr/usr/include/$triplet -I$sr/usr/include/libpng16"
	libdir="$sr/usr/lib/$triplet"
	;;
*) die "no such target: $arch (x86_64 or aarch64)" ;;
esac

# zbar's QR decoder, from Debian's source.
CC=$cc AR=$ar sh "$root/srclibs/build.sh" "$work/srclibs" zbar
zbar="$work/srclibs/lib/zbar.a"

# The sealer, with the project's own rules and flags, in a build folder
# of its own; only what ferry-seal uses is linked from the library.
for f in libsodium libpng16 libz libjpeg libseccomp; do
	[ -f "$libdir/$f.a" ] || die "no $libdir/$f.a: run 'make deps' as root"
done
# A make of its own: none of the calling make's settings (a sanitizer
# build's, say) may reach it.
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SAN make --no-print-directory BUILD="$work/build" CC="$cc" \
	CFLAGS="-O2 -DFERRY_TARGET='\"$arch-linux, static\"'" \
	PKG_CFLAGS="$inc -I$work/srclibs/include-zbar" \
	PKG_LIBS="$zbar $libdir/libsodium.a $libdir/libpng16.a $libdir/libz.a $libdir/libjpeg.a $libdir/libseccomp.a -lm" \
	LDFLAGS_H="-static-pie -pthread -Wl,-z,relro,-z,now" \
	"$work/build/ferry-seal" >&2
cp "$work/build/ferry-seal" "$out/ferry-seal-$arch.tmp"
# Its message catalogs, which a static binary finds in "locale" beside
# it (common/lang.c): carried with it, it speaks Korean and Chinese.
# With them, C.UTF-8's messages category, for a system that has no
# C.UTF-8 (Termux): its format is the same on both targets.
mkdir -p "$out/locale/C.utf8"
cp -R "$work/build/locale/." "$out/locale/"
cp -R /usr/lib/locale/C.utf8/LC_MESSAGES "$out/locale/C.utf8/"
mv "$out/ferry-seal-$arch.tmp" "$out/ferry-seal-$arch"
echo "$out/ferry-seal-$arch"
