#!/bin/sh
# Installs what ferry needs to build and test, on Debian, when run as
# root; otherwise says which command to run. With "web", only what the
# offline page needs (make web).
set -e
BUILD_PKGS="build-essential pkg-config gettext libsodium-dev zlib1g-dev libqrencode-dev libpng-dev libzxcvbn-dev libcmocka-dev libzbar-dev libseccomp-dev libjpeg62-turbo-dev"
# The static builds: Debian's cross compiler and its C library for
# aarch64, and qemu to run what it builds in the tests.
STATIC_PKGS="gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static"
TEST_PKGS="locales libc-l10n libimage-exiftool-perl mat2 libjpeg-turbo-progs imagemagick qrencode libzxing-dev g++ libgs-common age python3 python3-cryptography clang file zbar-tools poppler-utils chromium fonts-noto-cjk fontconfig time strace minisign"
# The offline page: Debian's emscripten, dpkg-source for the libraries'
# source packages, and npm for puppeteer-core (its tests). A Node.js that
# did not come from Debian (nodesource's, say) brings its own npm, which
# Debian's npm package would conflict with: npm is asked for only when
# the command is missing.
WEB_PKGS="emscripten dpkg-dev node-gettext-parser"
command -v npm >/dev/null 2>&1 || WEB_PKGS="$WEB_PKGS npm"
if [ "${1:-}" = web ]; then
	PKGS="$WEB_PKGS"
else
	PKGS="$BUILD_PKGS $TEST_PKGS $WEB_PKGS $STATIC_PKGS"
fi
# The Korean and Chinese locales ferry-seal's tests run under
# (tests/e2e/i18n.sh), made with localedef when this machine lacks them.
LOCALES="ko_KR zh_CN"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
no_locale=""
if [ "${1:-}" != web ]; then
	for l in $LOCALES; do
		locale -a 2>/dev/null | grep -qix "$l.utf8" || no_locale="$no_locale $l"
	done
fi
[ -z "$missing" ] && [ -z "$no_locale" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	[ -n "$missing" ] && echo "missing packages:$missing" >&2 &&
		echo "run: sudo apt-get install$missing" >&2
	for l in $no_locale; do
		echo "missing locale $l.UTF-8: run: sudo localedef -i $l -c -f UTF-8 $l.UTF-8" >&2
	done
	exit 1
fi
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
for l in $no_locale; do
	echo "generating the locale $l.UTF-8"
	localedef -i "$l" -c -f UTF-8 "$l.UTF-8"
done
