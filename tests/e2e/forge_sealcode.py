"""A forged seal code for the tests: a good one (argv[1], version 2) with
a byte of its signature changed and the checksum made right again
(docs/FORMAT.md, "Seal code"), so that it passes the checksum and fails
the signature."""
import hashlib, sys
A = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
t = sys.argv[1].strip().upper()
n = 0
for c in t:
    n = n * 32 + A.index(c)
bits = 5 * len(t)
body = bytearray((n >> (bits % 8)).to_bytes(bits // 8, "big"))
assert len(body) == 216 and body[0] == 2, "not a version 2 seal code"
body[150] ^= 1  # inside the signature (bytes 148..211)
body[212:216] = hashlib.blake2b(b"ferry-v2 seal code checksum\0" + bytes(body[:212]), digest_size=4).digest()
n = int.from_bytes(body, "big") << (5 * len(t) - 8 * len(body))
print("".join(A[(n >> (5 * (len(t) - 1 - i))) & 31] for i in range(len(t))))
