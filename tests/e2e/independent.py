#!/usr/bin/env python3
"""A second, independent reader of ferry bundles, written from
docs/FORMAT.md alone, with Python's hashlib and the `cryptography`
package instead of libsodium. It opens the committed vectors with the
keys in tests/vectors/keys.txt and checks every rule FORMAT.md states:
the relays' layers (peeled with the wrap key), the length, the key
commitment, the header and the sealer's key stack, each payload chunk
with its nonce, the container and its padding, and the relay tag.

    independent.py VECTOR_DIR      prints "ok NAME" or "bad NAME: why" per bundle
"""
import hashlib
import os
import struct
import sys

from cryptography.hazmat.primitives import poly1305, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import (
    X25519PrivateKey,
    X25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

CHUNK = 65536
TAG = 16
SLOT = 48
SLOTS = 9
STACK = SLOT * SLOTS
PREFIX = STACK + 32 + 80
FIXED = PREFIX + 2 * TAG
UNIT = CHUNK + TAG


class Bad(Exception):
    pass


def H(key, data, n):
    return hashlib.blake2b(data, digest_size=n, key=key).digest()


def x25519(sk, pk):
    out = X25519PrivateKey.from_private_bytes(sk).exchange(
        X25519PublicKey.from_public_bytes(pk))
    if out == bytes(32):
        raise Bad("all-zero shared secret")
    return out


def plain_of(length):
    x = length - FIXED
    if x < 0:
        return None
    q, r = divmod(x, CHUNK + TAG)
    return None if r >= CHUNK else CHUNK * q + r


def bundle_len(p):
    return FIXED + p + TAG * (p // CHUNK)


# Size classes (FORMAT.md, "Size classes"): 2^(16 + k/4) from a table of
# 2^(r/4) in units of 2^-14, rounded up to 4096, then past the lengths no
# bundle has.
STEP = (16384, 19484, 23170, 27554)


def class_len(k):
    t = STEP[k % 4] << (k // 4 + 2)
    t = (t + 4095) & ~4095
    while plain_of(t) is None:
        t += 1
    return t


CLASSES = [class_len(k) for k in range(97)]


def len_for(c):
    t = bundle_len(c)
    return next(x for x in CLASSES if x >= t)


def nonce(i, flag):
    return struct.pack("<Q", i) + b"\0\0\0" + bytes([flag])


def chacha_block0(key, n12):
    # RFC 8439 block counter 0: the 16-byte nonce of `cryptography` is the
    # 4-byte little-endian counter followed by the 12-byte nonce.
    c = Cipher(algorithms.ChaCha20(key, b"\0\0\0\0" + n12), mode=None).encryptor()
    return c.update(bytes(32))


def stream(key, pos, n):
    # ChaCha20 with a 64-bit block counter and a zero 8-byte nonce (the
    # 16-byte `cryptography` nonce: the counter, then the nonce), from key
    # stream byte pos on.
    blk, skip = divmod(pos, 64)
    c = Cipher(algorithms.ChaCha20(key, struct.pack("<Q", blk) + bytes(8)), mode=None).encryptor()
    return c.update(bytes(skip + n))[skip:]


def xor(a, b):
    return bytes(x ^ y for x, y in zip(a, b))


def hop_keys(dh, point_raw, wrap_pk):
    out = H(dh, b"ferry-v1 hop key\0" + point_raw + wrap_pk, 64)
    return out[:32], out[32:48]


def peel(keys, b):
    """The layers relays added (FORMAT.md, "Key stack"): while the first
    slot's check verifies under the wrap key, take its stream key and move
    the slots under it up. Returns the stream keys, outermost first, and
    the sealer's prefix with the slots pushed off set to None."""
    wrap_sk, wrap_pk = keys["wrap_sk"], keys["wrap_pk"]
    stack, layers = b[:STACK], []
    while True:
        point = stack[:31] + bytes([stack[31] & 0x7F])
        try:
            dh = x25519(wrap_sk, point)
        except Bad:
            break
        k_s, check = hop_keys(dh, stack[:32], wrap_pk)
        if check != stack[32:48]:
            break
        if len(layers) == SLOTS - 1:
            raise Bad("more than 8 relays")
        layers.append(k_s)
        stack = xor(stack[SLOT:], stream(k_s, 0, STACK - SLOT)) + bytes(SLOT)
    return layers, stack


def unlayer(layers, off, data):
    for k in layers:
        data = xor(data, stream(k, off - SLOT, len(data)))
    return data


def relay_tag(relay_sk, b):
    # The relay's side: X25519(relay secret key, epk), then the transcript
    # (epk as it lies in the file, and the relay public key).
    epk = b[:31] + bytes([b[31] & 0x7F])
    relay_pk = X25519PrivateKey.from_private_bytes(relay_sk).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    dh_r = x25519(relay_sk, epk)
    k_tag = H(dh_r, b"ferry-v1 relay tag key from dh\0" + b[:32] + relay_pk, 32)
    body = b[:-16]
    units = [body[:PREFIX]] + [body[o:o + UNIT] for o in range(PREFIX, len(body), UNIT)]
    tags = b"".join(
        poly1305.Poly1305.generate_tag(chacha_block0(k_tag, nonce(j, 0)), u)
        for j, u in enumerate(units))
    return poly1305.Poly1305.generate_tag(chacha_block0(k_tag, nonce(0, 1)), tags)


def parse_container(p):
    if p[:8] != b"FERRYCT1":
        raise Bad("container magic")
    o, items, cur, ended = 8, [], None, None
    while True:
        if o + 5 > len(p):
            raise Bad("container runs past the payload")
        t, n = p[o], struct.unpack("<I", p[o + 1:o + 5])[0]
        body = p[o + 5:o + 5 + n]
        if len(body) != n:
            raise Bad("record runs past the payload")
        o += 5 + n
        if t == 1:
            cur = {"kind": body[0], "flags": body[1], "data": b""}
        elif t == 2:
            cur["data"] += body
        elif t == 3:
            if struct.unpack("<Q", body[:8])[0] != len(cur["data"]):
                raise Bad("item size")
            items.append(cur)
            cur = None
        elif t == 4:
            ended = struct.unpack("<I", body)[0]
            break
        else:
            raise Bad("record type %d" % t)
    if ended != len(items):
        raise Bad("END count")
    if any(p[o:]):
        raise Bad("non-zero padding")
    return items, o


def open_bundle(keys, b, kind_want):
    n = len(b)
    if n not in CLASSES:
        raise Bad("not a bundle length")
    layers, stack = peel(keys, b)
    rest = unlayer(layers, STACK, b[STACK:PREFIX])
    commit, hdr_ct = rest[:32], rest[32:]
    epk_raw = stack[:32]
    epk = epk_raw[:31] + bytes([epk_raw[31] & 0x7F])
    # Chaff is sealed to the chaff key; everything else to the pack's SPK.
    who = "chaff" if kind_want == 3 else "spk"
    spk = keys[who + "_pk"]
    dh1 = x25519(keys[who + "_sk"], epk)
    out = H(dh1, b"ferry-v1 header key\0" + epk + spk, 64)
    k_h, c = out[:32], out[32:]
    if c != commit:
        raise Bad("key commitment")
    # The sealer's filler: the slots the layers pushed off come back from
    # it, and the header's associated data checks the whole stack.
    f_key = H(dh1, b"ferry-v1 slot filler\0" + epk + spk, 32)
    filler = stream(f_key, 0, STACK - 32)
    lost = SLOT * len(layers)
    stack = stack[:STACK - lost] + filler[len(filler) - lost:] if lost else stack
    hdr = ChaCha20Poly1305(k_h).decrypt(bytes(12), hdr_ct, stack + commit)
    version, kind, flags, form = hdr[0], hdr[1], hdr[2], struct.unpack("<I", hdr[4:8])[0]
    proof = flags == 1
    if version != 1 or flags not in (0, 1) or hdr[3] or any(hdr[40 if proof else 8:]):
        raise Bad("header version, flags or reserved bytes")
    if kind != kind_want:
        raise Bad("kind %d" % kind)
    if proof:
        # The pack proof (FORMAT.md, "Pack proof"), checked with the pack's word.
        if kind == 3 or "pack_word" not in keys:
            raise Bad("a pack proof where none can be")
        opk = keys["opk%d_pk" % form] if kind == 1 else bytes(32)
        k_w = H(dh1, b"ferry-v1 pack proof key\0" + epk + spk + keys["pack_id"] + keys["pack_word"], 32)
        if H(k_w, b"ferry-v1 pack proof\0" + hdr[:8] + opk, 32) != hdr[8:40]:
            raise Bad("pack proof")
    if kind == 1:
        opk_sk, opk = keys["opk%d_sk" % form], keys["opk%d_pk" % form]
        dh2 = x25519(opk_sk, epk)
        k_p = H(dh1 + dh2, b"ferry-v1 payload key, form\0" + epk + spk + opk + hdr_ct, 32)
    else:
        if form != 0xFFFFFFFF:
            raise Bad("form index on a walk-in or chaff")
        k_p = H(dh1, b"ferry-v1 payload key, pack\0" + epk + spk + bytes(32) + hdr_ct, 32)
    p = plain_of(n)
    nchunks = p // CHUNK + 1
    aead, o, plain = ChaCha20Poly1305(k_p), PREFIX, []
    for i in range(nchunks):
        m = CHUNK if i < nchunks - 1 else p % CHUNK
        ct = unlayer(layers, o, b[o:o + m + TAG])
        plain.append(aead.decrypt(nonce(i, 1 if i == nchunks - 1 else 0), ct, None))
        o += m + TAG
    if o != n - 16:
        raise Bad("chunks do not fill the file")
    if relay_tag(keys["relay_sk"], b) != b[-16:]:
        raise Bad("relay tag")
    items, clen = parse_container(b"".join(plain))
    if len_for(clen) != n:
        raise Bad("length is not the padded length of its container")
    return kind, form, items, nchunks, len(layers)


def main():
    d = sys.argv[1]
    keys, kinds = {}, {}
    for line in open(os.path.join(d, "keys.txt")):
        f = line.split()
        if len(f) == 2 and f[0] != "fingerprint":
            keys[f[0]] = bytes.fromhex(f[1])
        elif line.startswith("bundle-"):
            name = line.split(":")[0]
            kinds[name] = 1 if " testimony" in line or "relays" in line else 3 if " chaff" in line else 2
    bad = 0
    for name, kind in sorted(kinds.items()):
        b = open(os.path.join(d, name), "rb").read()
        try:
            k, form, items, nch, hops = open_bundle(keys, b, kind)
            if ("relays" in name) != (hops > 0):
                raise Bad("%d layers found" % hops)
            if name == "bundle-walkin-long.bin":
                want = bytes(((i * 7 + (i >> 8)) & 0xFF) for i in range(150000))
                if [it["data"] for it in items] != [want] or nch < 3:
                    raise Bad("long attachment bytes or chunk count")
            # Any flipped byte must fail: spot-check each region.
            for off in (0, 31, 40, 100, STACK - 1, STACK, PREFIX, PREFIX + 70000, len(b) - 20, len(b) - 1):
                if off >= len(b):
                    continue
                m = bytearray(b)
                m[off] ^= 0x20
                try:
                    open_bundle(keys, bytes(m), kind)
                except Exception:
                    continue
                raise Bad("a change at byte %d was not caught" % off)
            print("ok %s (kind %d, %d chunks, %d items, %d relay layers)" % (name, k, nch, len(items), hops))
        except Exception as e:  # the reason goes to the test log
            bad += 1
            print("bad %s: %s: %s" % (name, type(e).__name__, e))
    sys.exit(1 if bad or not kinds else 0)


if __name__ == "__main__":
    main()
