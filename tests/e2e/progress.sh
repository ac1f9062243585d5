#!/bin/sh
# open's progress: on a terminal, counts, bytes and rate on stderr, and
# nothing from inside a bundle or its name; none when stderr is not a
# terminal. Also: an open of many bundles saves the vault in batches and
# still records every one (the log and the vault agree after it).
. tests/e2e/lib.sh
need script
make_desk
printf 'Q1: secret answer text\n' >"$T/answers.txt"
for i in $(seq 1 40); do
	"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/name-$i" -q
done
cp "$T/desk/intake/name-7" "$T/resend"
# Run under a terminal (script), but with stderr sent to a file.
script -qec "'$DESK' open '$T/desk' --passphrase-file '$T/pass' >'$T/out' 2>'$T/err.tty'" /dev/null >/dev/null 2>&1
# And with stderr on the terminal.
for i in $(seq 1 6); do
	"$SEAL" --pack "$PACK" --word-file "$WORD" --walk-in --desk "$FP" --answers "$T/answers.txt" -o "$T/desk/intake/again-$i" -q
done
script -qec "'$DESK' open '$T/desk' --passphrase-file '$T/pass' >'$T/out2'" /dev/null >"$T/tty" 2>&1
check "on a terminal, open shows its progress" grep -q "opening: 6/6 bundles, 0.4 MB" "$T/tty"
check "with a rate" grep -q "MB/s" "$T/tty"
check "and no bundle's name or content" sh -c "! grep -q -e again- -e 'secret answer' '$T/tty'"
check "nothing of it reaches stdout" sh -c "! grep -q opening: '$T/out2'"
check "with stderr in a file there is none" sh -c "! grep -q opening: '$T/err.tty'"
check "all 40 opened" grep -q "^40 bundles: 0 testimony, 40 walk-in" "$T/out"
expect "the log and the vault agree after batched saves" 0 "$DESK" log "$T/desk" verify --passphrase-file "$T/pass"
has "46 entries" "46 entries"
cp "$T/resend" "$T/desk/intake/"
expect "a bundle of the first batch, resent" 0 "$DESK" open "$T/desk" --passphrase-file "$T/pass"
has "is a duplicate: the batched vault remembers it" "duplicate: this bundle was already opened"
