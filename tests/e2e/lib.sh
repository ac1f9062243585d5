# Shared by the end-to-end scripts: TAP-style "ok - name" lines.
set -u
ROOT=$(pwd)
BUILD=${BUILD:-build}
BIN="$ROOT/$BUILD"
SEAL="$BIN/ferry-seal"
RELAY="$BIN/ferry-relay"
DESK="$BIN/ferry-desk"
TOOL="$BIN/tests/ferry-testtool"
# The test-only programs: what an adversary or a relay can do, the desk
# with a settable clock, the sealer whose QR decoder misbehaves on request.
ADV="$BIN/tests/ferry-adversary"
DCLK="$BIN/tests/ferry-desk-clock"
HOOK="$BIN/tests/ferry-seal-hook"
DAY=86400
T=$(mktemp -d "${TMPDIR:-/tmp}/ferry-e2e.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
# The fault-injection shim, as LD_PRELOAD takes it. That list splits at
# spaces and colons, so when the checkout's path has one the shim is
# used from a copy in the test's own folder.
SHIM="$BIN/tests/faultinj.so"
case "$SHIM" in *[\ :]*) [ -f "$SHIM" ] && cp "$SHIM" "$T/faultinj.so" && SHIM="$T/faultinj.so" ;; esac
N=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
# skip NAME REASON: a test that cannot run here, counted as skipped (TAP's
# "# SKIP"), never as passed, with the reason on its line.
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }
# expect NAME CODE CMD...: runs CMD, checks its exit code, keeps its
# output in $OUT.
expect() {
	name=$1 want=$2
	shift 2
	OUT=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ]; then ok "$name"; else not_ok "$name" "exit $got, wanted $want" "$(printf '%s' "$OUT" | tail -5)"; fi
}
# has NAME PATTERN: the last output matches PATTERN.
has() {
	if printf '%s' "$OUT" | grep -q -- "$2"; then ok "$1"; else not_ok "$1" "output lacks: $2" "$(printf '%s' "$OUT" | tail -5)"; fi
}
check() {
	name=$1
	shift
	if "$@" >/dev/null 2>&1; then ok "$name"; else not_ok "$name" "failed: $*"; fi
}
need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { not_ok "tool $c is installed" "run make deps"; exit 1; }
	done
}
# reachable_copy BIN: sets REACHABLE to a copy of BIN in a fresh folder
# that uid 65534 can enter and run, so a test can drop privileges
# wherever the checkout lives (a clone under /root, or in any 0700
# folder, is closed to other users; its permissions are never touched).
# The folder goes with $T when the script ends. Fails, with REACHABLE
# empty, when no such folder can be made here.
reachable_copy() {
	REACHABLE=
	for base in "${TMPDIR:-/tmp}" /tmp /var/tmp /dev/shm; do
		[ -d "$base" ] && [ -w "$base" ] || continue
		d=$(mktemp -d "$base/ferry-other-user.XXXXXX" 2>/dev/null) || continue
		OTHER_DIRS="${OTHER_DIRS:-} $d"
		trap '[ -n "${KEEP:-}" ] || rm -rf "$T" $OTHER_DIRS' EXIT
		chmod 0755 "$d" && cp "$1" "$d/" && chmod 0755 "$d/${1##*/}" &&
			setpriv --reuid=65534 --regid=65534 --clear-groups \
				test -x "$d/${1##*/}" 2>/dev/null &&
			{ REACHABLE="$d/${1##*/}"; return 0; }
	done
	return 1
}
# kill_points FILE SYSCALLS CMD...: runs CMD once under strace and writes
# to FILE a "syscall:n" line for each call of SYSCALLS it made, in order:
# the points at which a kill -9 sweep stops it.
kill_points() {
	kp_out=$1 kp_sys=$2
	shift 2
	strace -f -qq -o "$T/trace" -e trace="$kp_sys" "$@" >/dev/null 2>&1
	sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p' "$T/trace" |
		awk '{n[$1]++; print $1 ":" n[$1]}' >"$kp_out"
}
# A desk with one pack, for the scripts that need one.
# fp_typo POS: $FP with its character at POS (from 0, dashes counted)
# changed, Q unless it is Q: one slip of the finger.
fp_typo() {
	printf '%s' "$FP" | sed "s/^\(.\{$1\}\)\(.\)/\1#\2/; s/#[^Q]/Q/; s/#Q/R/"
}
make_desk() {
	printf 'a long test passphrase\n' >"$T/pass"
	"$DESK" init "$T/desk" --kdf interactive --passphrase-file "$T/pass" >/dev/null
	FP=$("$DESK" fingerprint "$T/desk" --passphrase-file "$T/pass")
	"$DESK" issue "$T/desk" --forms 3 --label "given to contact B via courier" --passphrase-file "$T/pass" -o "$T/pack" >/dev/null
	PACK=$(ls "$T"/pack/pack-*.ferrypack)
	WORD=$(ls "$T"/pack/secret/word-*.txt)
	CODES=$(ls "$T"/pack/codes-*.txt)
	FORM1=$(grep -v '^#' "$CODES" | sed -n 1p | cut -d' ' -f1)
	FORM2=$(grep -v '^#' "$CODES" | sed -n 2p | cut -d' ' -f1)
	CODE3=$(grep -v '^#' "$CODES" | sed -n 3p | cut -d' ' -f2)
}
# Two page photos with phone-like metadata; P is the first.
make_pages() {
	convert-im6 -size 64x48 gradient:red-blue "$T/IMG_20231104_142233.jpg"
	exiftool -q -overwrite_original -GPSLatitude=22.5431 -GPSLatitudeRef=N \
		-GPSLongitude=114.0579 -GPSLongitudeRef=E -Make=PhoneCo -Model=PX-8 \
		-SerialNumber=SN4455667788 -DateTimeOriginal="2023:11:04 14:22:33" \
		-Orientation#=6 "$T/IMG_20231104_142233.jpg"
	convert-im6 -size 40x30 gradient:green-yellow -set comment "dormitory 7" "$T/page2.png"
	P="$T/IMG_20231104_142233.jpg"
	printf 'Q1: How many hours a day? A: 14\n질문 2: 휴일이 있습니까? 답: 없음\n' >"$T/answers.txt"
}
