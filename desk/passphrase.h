/* How strong a new vault passphrase is. The vault's only lock is
 * Argon2id(passphrase): a passphrase an attacker guesses in a few
 * thousand tries ("password1", one word, a short phrase) makes the KDF
 * pointless, so init refuses one below FERRY_PASSPHRASE_MIN_BITS, as
 * estimated by zxcvbn (Debian's libzxcvbn: dictionaries, keyboard
 * patterns, dates, repeats and l33t). Linked into ferry-desk only. */
#ifndef FERRY_PASSPHRASE_H
#define FERRY_PASSPHRASE_H

#include <stddef.h>

#include "../common/err.h"

/* 2^40 guesses: years at Argon2id's moderate cost on one machine, and
 * what five random words from a large list exceed many times over. */
#define FERRY_PASSPHRASE_MIN_BITS 40.0

/* log2 of the guesses zxcvbn estimates for pass (len bytes, no NUL
 * inside), or -1 when it cannot be estimated. */
double ferry_passphrase_bits(const char *pass, size_t len);
/* FERRY_OK, or FERRY_EUSAGE with what is wrong and a hint (five random
 * words) for a passphrase below FERRY_PASSPHRASE_MIN_BITS. */
int ferry_passphrase_check(const char *pass, size_t len, ferry_err *e) FERRY_WUR;

#endif
