#!/usr/bin/env python3
"""Prints the SHA-256 of a JPEG's scan data: every byte from the first
SOS marker up to and including EOI, with the tables between scans. An
independent check that the sanitizer left the image data untouched."""
import hashlib
import sys

d = open(sys.argv[1], "rb").read()
i = 2
start = None
while i < len(d) - 1:
    if d[i] != 0xFF:
        sys.exit("marker expected at %d" % i)
    m = d[i + 1]
    if m == 0xDA:
        start = i
        break
    if m in (0x01,) or 0xD0 <= m <= 0xD7:
        i += 2
        continue
    i += 2 + (d[i + 2] << 8 | d[i + 3])
if start is None:
    sys.exit("no scan")
end = d.rfind(b"\xff\xd9")
# For files with a trailer, EOI is the first one after the last scan that
# is not inside entropy data; walk the scans to find it exactly.
j = start
while True:
    ls = d[j + 2] << 8 | d[j + 3]
    k = j + 2 + ls
    while True:
        k = d.index(b"\xff", k)
        n = d[k + 1]
        if n == 0x00 or 0xD0 <= n <= 0xD7 or n == 0xFF:
            k += 1
            continue
        break
    if n == 0xD9:
        end = k
        break
    # tables or another scan: skip segments until the next SOS or EOI
    while d[k + 1] != 0xDA and d[k + 1] != 0xD9:
        k += 2 + (d[k + 2] << 8 | d[k + 3])
    if d[k + 1] == 0xD9:
        end = k
        break
    j = k
print(hashlib.sha256(d[start : end + 2]).hexdigest())
