#!/bin/sh
# Installs what ferry needs to build and test, on Debian, when run as
# root; otherwise says which command to run. With "web", only what the
# offline page needs (make web).
set -e
BUILD_PKGS="build-essential pkg-config libsodium-dev zlib1g-dev libqrencode-dev libpng-dev libzxcvbn-dev libcmocka-dev libzbar-dev libseccomp-dev libjpeg62-turbo-dev"
# The static builds: Debian's cross compiler and its C library for
# aarch64, and qemu to run what it builds in the tests.
STATIC_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"
TEST_PKGS="libimage-exiftool-perl mat2 libjpeg-turbo-progs imagemagick qrencode libzxing-dev g++ libgs-common age python3 python3-cryptography clang file zbar-tools poppler-utils chromium fonts-noto-cjk fontconfig time strace minisign"
# The offline page: Debian's emscripten, dpkg-source for the libraries'
# source packages, and npm for puppeteer-core (its tests). A Node.js that
# did not come from Debian (nodesource's, say) brings its own npm, which
# Debian's npm package would conflict with: npm is asked for only when
# the command is missing.
WEB_PKGS="emscripten dpkg-dev"
command -v npm >/dev/null 2>&1 || WEB_PKGS="$WEB_PKGS npm"
if [ "${1:-}" = web ]; then
	PKGS="$WEB_PKGS"
else
	PKGS="$BUILD_PKGS $TEST_PKGS $WEB_PKGS $STATIC_PKGS"
fi
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
	echo "missing packages:$missing" >&2
	echo "run: sudo apt-get install$missing" >&2
	exit 1
fi
