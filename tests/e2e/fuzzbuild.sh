#!/bin/sh
# The fuzz targets (make fuzz) follow the library's API: each one must
# compile, so that an API change cannot leave a parser unfuzzed.
. "$(dirname "$0")/lib.sh"
need cc
CFLAGS="-std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -fsyntax-only $(pkg-config --cflags libsodium libpng zlib libqrencode zbar libseccomp libjpeg)"
for f in "$ROOT"/tests/fuzz/fuzz_*.c "$ROOT"/tests/fuzz/seed_*.c; do
	check "fuzz target $(basename "$f" .c) compiles against the library's headers" cc $CFLAGS "$f"
done
