#!/bin/sh
# Chaff with the real programs: sizes drawn from the desk's signed
# distribution over size classes and never from what the spool accepted,
# a chain of three relays adding chaff at each
# hop, the desk opening every real bundle once and counting the chaff, and
# kill -9 at each system call of 'chaff'.
. tests/e2e/lib.sh
need strace cmp
make_desk
printf 'Q1: hours? A: 12\n' >"$T/answers.txt"
"$DESK" relay-credential "$T/desk" -o "$T/relay.credential" --chaff-up-to 64K --passphrase-file "$T/pass" >/dev/null
for i in 1 2 3; do
	"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/r$i.bundle" >/dev/null
done
for s in a b c d; do
	"$RELAY" init "$T/$s" --credential "$T/relay.credential" --desk "$FP" >/dev/null
done

# --- 1. sizes: from the desk's signed distribution, never the traffic ---
expect "chaff needs --count" 2 "$RELAY" chaff "$T/d"
expect "a count of 0 is refused" 2 "$RELAY" chaff "$T/d" --count 0
# With the desk's default distribution (phone pages: 1 to 72 MB, and
# answers-only bundles), two fresh spools on one credential, one of which
# carried traffic of an unusual length first.
"$DESK" relay-credential "$T/desk" -o "$T/full.credential" --passphrase-file "$T/pass" >/dev/null
"$RELAY" init "$T/f1" --credential "$T/full.credential" --desk "$FP" >/dev/null
"$RELAY" init "$T/f2" --credential "$T/full.credential" --desk "$FP" >/dev/null
# 200 kB: a class between answers-only and a page, which no chaff takes.
head -c 200000 /dev/urandom >"$T/odd.bin"
"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --attach "$T/odd.bin" -o "$T/odd.bundle" -q 2>/dev/null
expect "spool 2 accepts a real bundle of an unusual length" 0 "$RELAY" accept "$T/f2" "$T/odd.bundle"
ODD=$(stat -c %s "$T/odd.bundle")
rm -f "$T"/f2/new/*
expect "chaff into the untouched spool" 0 "$RELAY" chaff "$T/f1" --count 24
has "says how many" "added 24 chaff bundles"
expect "chaff into the spool that saw traffic" 0 "$RELAY" chaff "$T/f2" --count 24
check "no spool keeps a histogram of what it accepted" sh -c "[ -z \"\$(find '$T/f1' '$T/f2' -name sizes)\" ]"
# Each chaff length is a class the credential weights; drawn 24 times a
# spool, neither set of lengths can depend on what the spool saw. The
# distribution itself is tested to 6 standard deviations in test_spool.
python3 - "$T/full.credential" "$ODD" "$T"/f1/new "$T"/f2/new >"$T/dist.out" <<'PY'
import base64, os, sys
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
line = [l for l in open(sys.argv[1]) if l.startswith("FERRYRC1:")][0].strip()[9:]
n = 0
for c in line:
    n = n * 32 + A.index(c)
bits = 5 * len(line)
body = (n >> (bits % 8)).to_bytes(bits // 8, "big")
assert body[:8] == b"FERRYRC3", body[:8]
k = body[110]
o = 111 + 32 * k
m = body[o]
weights = {body[o + 1 + 3 * i]: int.from_bytes(body[o + 2 + 3 * i:o + 4 + 3 * i], "little") for i in range(m)}
STEP = (16384, 19484, 23170, 27554)
def plain_ok(t):
    return (t - 576) % 65552 < 65536
def class_len(k):
    t = STEP[k % 4] << (k // 4 + 2)
    t = (t + 4095) & ~4095
    while not plain_ok(t):
        t += 1
    return t
allowed = {class_len(c) for c in weights}
for d in sys.argv[3:]:
    sizes = [os.stat(os.path.join(d, f)).st_size for f in os.listdir(d)]
    print("spool", d, "lengths", len(set(sizes)), "all weighted:", all(s in allowed for s in sizes),
          "odd length drawn:", int(sys.argv[2]) in sizes)
print("weighted classes", len(allowed), "from", min(allowed), "to", max(allowed))
PY
check "every chaff length of both spools is a class the credential weights" sh -c "[ \$(grep -c 'all weighted: True' '$T/dist.out') = 2 ]"
check "the unusual length is drawn by neither (it is weighted by none)" sh -c "[ \$(grep -c 'odd length drawn: False' '$T/dist.out') = 2 ]"
check "the default spread spans answers and phone pages, 64 KiB to 64 MiB" grep -q "from 65536 to 67108864" "$T/dist.out"
check "the unusual length is a class of its own" [ "$ODD" -gt 65536 -a "$ODD" -lt 1048576 ]
check "and chaff takes several lengths" sh -c "[ \$(stat -c %s '$T'/f1/new/* | sort -u | wc -l) -gt 2 ]"
expect "chaff into an empty spool (this credential: only the smallest class)" 0 "$RELAY" chaff "$T/d" --count 12
check "twelve waiting" [ "$(ls "$T/d/new" | wc -l)" = 12 ]
"$RELAY" init "$T/v" --credential "$T/relay.credential" --desk "$FP" >/dev/null
expect "every chaff bundle passes another relay's check" 0 "$RELAY" accept "$T/v" "$T"/d/new/*
has "all twelve" "12 accepted, 0 rejected"

expect "relay a accepts two real bundles" 0 "$RELAY" accept "$T/a" "$T/r1.bundle" "$T/r2.bundle"
expect "relay a adds two chaff" 0 "$RELAY" chaff "$T/a" --count 2
check "chaff is of the credential's class" sh -c "[ \"\$(stat -c %s '$T'/a/new/* | sort -u)\" = 65536 ]"
expect "status stays counts-only" 0 "$RELAY" status "$T/a"
has "four waiting" "waiting: 4"

# --- 2. a chain of three relays, chaff at each hop ------------------------
mkdir "$T/ab" "$T/bc" "$T/cd"
expect "a forwards, with the default batching" 0 "$RELAY" forward "$T/a" --to "$T/ab"
has "four waiting fill the smallest class" "forwarded a batch of 4 bundles"
check "real and chaff: one size" [ "$(stat -c %s "$T"/ab/* | sort -u)" = 65536 ]
check "one time stamp" [ "$(stat -c %Y "$T"/ab/* | sort -u | wc -l)" = 1 ]
check "one mode" [ "$(stat -c %a "$T"/ab/* | sort -u)" = 600 ]
check "names of one shape" sh -c "[ \$(ls '$T/ab' | sed 's/[a-z0-9]/x/g' | sort -u | wc -l) = 1 ]"
expect "b accepts what a sent, and one from a contact" 0 "$RELAY" accept "$T/b" "$T"/ab/* "$T/r3.bundle"
has "five accepted" "5 accepted, 0 rejected"
expect "b adds chaff" 0 "$RELAY" chaff "$T/b" --count 2
expect "b forwards" 0 "$RELAY" forward "$T/b" --to "$T/bc"
has "seven waiting go as a batch of eight" "forwarded a batch of 8 bundles"
expect "c accepts" 0 "$RELAY" accept "$T/c" "$T"/bc/*
has "eight accepted" "8 accepted, 0 rejected"
expect "c adds chaff" 0 "$RELAY" chaff "$T/c" --count 1
expect "c forwards" 0 "$RELAY" forward "$T/c" --to "$T/cd"
has "nine waiting go as a batch of sixteen" "forwarded a batch of 16 bundles"
check "all sixteen of one size, one stamp" sh -c "[ \$(stat -c '%s %Y' '$T'/cd/* | sort -u | wc -l) = 1 ]"
cp "$T"/cd/* "$T/desk/intake/"
expect "the desk opens the mixed intake" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "every real bundle once, every chaff counted" "3 walk-in, 13 chaff, 0 quarantined"
expect "the log verifies" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
has "three entries" "3 entries"

# --- 3. kill -9 before each system call of chaff --------------------------
"$RELAY" init "$T/k0" --credential "$T/relay.credential" --desk "$FP" >/dev/null
"$RELAY" accept "$T/k0" "$T/r1.bundle" >/dev/null
SYS=openat,write,pwrite64,fsync,fdatasync,close,rename,renameat,renameat2,link,linkat,unlink,unlinkat,mkdir,mkdirat
rm -rf "$T/k" && cp -a "$T/k0" "$T/k"
kill_points "$T/points" "$SYS" "$RELAY" chaff "$T/k" --count 2
R1KEY=$("$TOOL" sealer-keys "$T/desk/vault" "$T/pass" "$T/r1.bundle" | cut -d' ' -f1)
total=$(wc -l <"$T/points")
bad=0
while IFS=: read -r sc k; do
	rm -rf "$T/k" "$T/kout" "$T/kv" && cp -a "$T/k0" "$T/k" && mkdir "$T/kout"
	strace -f -qq -o /dev/null -e trace=$sc -e inject=$sc:signal=KILL:when=$k \
		"$RELAY" chaff "$T/k" --count 2 >/dev/null 2>&1
	"$RELAY" chaff "$T/k" --count 1 >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# chaff fails after a kill at $sc #$k"; continue; }
	"$RELAY" forward "$T/k" --to "$T/kout" --min-batch 1 --batch-size 1 >/dev/null 2>&1 || { bad=$((bad + 1)); echo "# forward fails after a kill at $sc #$k"; continue; }
	n=$(ls "$T/kout" | wc -l)
	real=$("$TOOL" sealer-keys "$T/desk/vault" "$T/pass" "$T"/kout/* | cut -d' ' -f1 | grep -cxF "$R1KEY")
	"$RELAY" init "$T/kv" --credential "$T/relay.credential" --desk "$FP" >/dev/null
	if ! "$RELAY" accept "$T/kv" "$T"/kout/* >/dev/null 2>&1 || [ "$real" -ne 1 ] || [ "$n" -lt 2 ] || [ "$n" -gt 4 ] ||
		[ -n "$(ls "$T/k/tmp")" ]; then
		bad=$((bad + 1))
		echo "# after a kill at $sc #$k: $n forwarded, $real real, tmp: $(ls "$T/k/tmp" | wc -l)"
	fi
done <"$T/points"
check "kill -9 at each of the $total system calls of chaff: the real bundle kept once, every stored chaff whole, nothing half-written left" test "$bad" -eq 0 -a "$total" -gt 10
