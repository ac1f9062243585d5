#!/bin/sh
# Installs what ferry needs to build and test, on Debian, when run as
# root; otherwise says which command to run.
set -e
BUILD_PKGS="build-essential pkg-config libsodium-dev zlib1g-dev libqrencode-dev libpng-dev libzxcvbn-dev libcmocka-dev libzbar-dev libseccomp-dev libjpeg62-turbo-dev"
TEST_PKGS="libimage-exiftool-perl mat2 libjpeg-turbo-progs imagemagick qrencode libzxing-dev g++ libgs-common age python3 python3-cryptography clang file zbar-tools poppler-utils chromium fonts-noto-cjk fontconfig time strace minisign"
PKGS="$BUILD_PKGS $TEST_PKGS"
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
