#!/bin/sh
# Libraries compiled from Debian's own source packages, where Debian's
# binary packages will not do: for the offline page, libsodium, zlib,
# libpng and zbar compiled to wasm; for the static ferry-seal, zbar's QR
# decoder alone, without the video, window and D-Bus parts Debian's
# libzbar.a is built with.
#
#   srclibs/build.sh BUILD_DIR [PACKAGE...]
#
# CC and AR (default emcc and emar) name the compiler; PACKAGEs default to
# all four.
# Sources come from the release this machine runs (bookworm), through a
# private apt setup under BUILD_DIR, so the machine's own apt sources are
# left alone: `apt-get source` checks each .dsc against the signed release
# index and dpkg-source checks every file of the package against the .dsc.
# emscripten's own ports are not used (they download from the internet).
# Each library is built once into BUILD_DIR/lib/<package>_<version>.a and
# reused; VERSIONS lists what the page was built from.
set -eu

out=${1:?usage: srclibs/build.sh BUILD_DIR [PACKAGE...]}
shift
CC=${CC:-emcc}
AR=${AR:-emar}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Everything is compiled from inside $out with paths relative to it, so a
# checkout whose path has a space in it builds too (the compiler flags are
# split on spaces).
cd "$out"
apt="$out/apt"
src=src
lib=lib
# shellcheck source=srclibs/apt.sh
. "$here/apt.sh"
PACKAGES=${*:-libsodium zlib libpng1.6 zbar}

say() { echo "srclibs: $*" >&2; }
die() { say "error: $*"; exit 1; }

# The newest version of a source package in the release.
version_of() {
	apt-cache showsrc "$1" 2>/dev/null |
	    awk '/^Version:/ { print $2 }' | sort -V | tail -n 1
}

# Fetches and unpacks a source package once; prints its folder.
unpack() {
	pkg=$1 ver=$2
	dir="$src/${pkg}_$ver"
	if [ ! -f "$dir/.unpacked" ]; then
		rm -rf "$dir" "$src/dl-$pkg"
		mkdir -p "$src/dl-$pkg"
		# apt-get source checks the .dsc against the signed index,
		# dpkg-source every file against the .dsc.
		(cd "$src/dl-$pkg" && apt-get -q source --download-only "$pkg=$ver" >&2) ||
		    die "cannot fetch the source of $pkg $ver"
		dsc=$(ls "$src/dl-$pkg"/*.dsc)
		dpkg-source --require-strong-checksums -x "$dsc" "$dir" >&2 ||
		    die "dpkg-source refused $dsc"
		rm -rf "$src/dl-$pkg"
		touch "$dir/.unpacked"
	fi
	echo "$dir"
}

# Compiles the named sources of one package into an archive.
compile() {
	name=$1 dir=$2 flags=$3
	shift 3
	objdir="obj/$name"
	rm -rf "$objdir"
	mkdir -p "$objdir"
	for f in "$@"; do
		o="$objdir/$(echo "$f" | tr / _).o"
		# shellcheck disable=SC2086
		$CC -O2 -fPIE $flags -c "$dir/$f" -o "$o" || die "cannot compile $name: $f"
	done
	$AR rcs "$lib/$name.a.tmp" "$objdir"/*.o
	mv "$lib/$name.a.tmp" "$lib/$name.a"
}

build_sodium() {
	d=$1
	inc="$d/src/libsodium/include/sodium"
	# version.h is made by configure: its numbers come from configure.ac.
	v=$(sed -n 's/^AC_INIT(\[libsodium\],\[\([0-9.]*\)\].*/\1/p' "$d/configure.ac")
	maj=$(sed -n 's/^SODIUM_LIBRARY_VERSION_MAJOR=//p' "$d/configure.ac")
	min=$(sed -n 's/^SODIUM_LIBRARY_VERSION_MINOR=//p' "$d/configure.ac")
	sed -e "s/@VERSION@/$v/" -e "s/@SODIUM_LIBRARY_VERSION_MAJOR@/$maj/" \
	    -e "s/@SODIUM_LIBRARY_VERSION_MINOR@/$min/" -e "s/@SODIUM_LIBRARY_MINIMAL_DEF@//" \
	    "$inc/version.h.in" > "$inc/version.h"
	# As its own emscripten build: no assembly, no threads, no system
	# random source (the browser's crypto.getRandomValues instead).
	files=$(cd "$d/src/libsodium" && find . -name '*.c' ! -name randombytes_sysrandom.c | sed 's|^\./|src/libsodium/|' | sort)
	# shellcheck disable=SC2086
	compile "$2" "$d" "-DCONFIGURED=1 -DNATIVE_LITTLE_ENDIAN=1 -DSODIUM_STATIC=1 -I$inc -I$d/src/libsodium/include" $files
}

build_zlib() {
	compile "$2" "$1" "-DHAVE_UNISTD_H -DHAVE_STDARG_H" adler32.c compress.c crc32.c \
	    deflate.c infback.c inffast.c inflate.c inftrees.c trees.c uncompr.c zutil.c
}

build_png() {
	d=$1
	cp "$d/scripts/pnglibconf.h.prebuilt" "$d/pnglibconf.h"
	compile "$2" "$d" "-I$src/zlib" png.c pngerror.c pngget.c pngmem.c pngpread.c \
	    pngread.c pngrio.c pngrtran.c pngrutil.c pngset.c pngtrans.c pngwio.c \
	    pngwrite.c pngwtran.c pngwutil.c
}

build_zbar() {
	# The image scanner and the QR decoder alone, with the settings
	# configure would write for them (srclibs/zbar-config.h).
	mkdir -p zbar-config/zbar
	cp "$here/zbar-config.h" zbar-config/
	cp "$here/zbar/config.h" zbar-config/zbar/
	compile "$2" "$1" "-include zbar-config/zbar-config.h -Izbar-config/zbar -I$1/include -I$1/zbar -w" \
	    zbar/config.c zbar/error.c zbar/symbol.c zbar/image.c zbar/convert.c \
	    zbar/refcnt.c zbar/img_scanner.c zbar/scanner.c zbar/decoder.c zbar/misc.c \
	    zbar/decoder/qr_finder.c zbar/qrcode/qrdec.c zbar/qrcode/qrdectxt.c \
	    zbar/qrcode/rs.c zbar/qrcode/isaac.c zbar/qrcode/bch15_5.c \
	    zbar/qrcode/binarize.c zbar/qrcode/util.c
}

command -v "$CC" >/dev/null || die "$CC is missing: run 'make deps' as root"
command -v dpkg-source >/dev/null || die "dpkg-source is missing: run 'make deps' as root"
mkdir -p "$src" "$lib"
private_apt "$apt" deb-src ""
: > VERSIONS.tmp
for pkg in $PACKAGES; do
	ver=$(version_of "$pkg")
	[ -n "$ver" ] || die "no source package $pkg in $suite"
	name="${pkg}_$(echo "$ver" | tr ':~+' '___')"
	echo "$pkg $ver" >> VERSIONS.tmp
	dir=$(unpack "$pkg" "$ver")
	case $pkg in zlib) rm -f "$src/zlib"; ln -s "$out/$dir" "$src/zlib" ;; esac
	if [ ! -f "$lib/$name.a" ]; then
		say "compiling $pkg $ver with $CC"
		case $pkg in
		libsodium) build_sodium "$dir" "$name" ;;
		zlib) build_zlib "$dir" "$name" ;;
		libpng1.6) build_png "$dir" "$name" ;;
		zbar) build_zbar "$dir" "$name" ;;
		esac
	fi
	case $pkg in
	libsodium) ln -sfn "$dir/src/libsodium/include" include-sodium ;;
	zlib) ln -sfn "$dir" include-zlib ;;
	libpng1.6) ln -sfn "$dir" include-png ;;
	zbar) ln -sfn "$dir/include" include-zbar ;;
	esac
	ln -sfn "$name.a" "$lib/$pkg.a"
done
mv VERSIONS.tmp VERSIONS
