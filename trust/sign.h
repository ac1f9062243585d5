/* Internal to trust/: a bounded writer for the signed formats, and
 * domain-separated Ed25519 signatures over them. */
#ifndef FERRY_TRUST_SIGN_H
#define FERRY_TRUST_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "../crypto/sizes.h"

typedef struct {
	uint8_t *p;
	size_t cap, len;
	int bad; /* a write did not fit; every later one is refused too */
} ferry_wbuf;

void ferry_w_bytes(ferry_wbuf *w, const void *d, size_t n);
void ferry_w_le(ferry_wbuf *w, uint64_t v, int n);

/* Ed25519 over BLAKE2b-512(domain || msg): the domain keeps a pack
 * signature from ever being accepted as a seal code or a credential. */
int ferry_sign_domain(uint8_t sig[FERRY_SIG_LEN], const char *dom, size_t dom_len,
                      const uint8_t *msg, size_t len,
                      const uint8_t sk[FERRY_ID_SK_LEN]);
int ferry_verify_domain(const uint8_t sig[FERRY_SIG_LEN], const char *dom,
                        size_t dom_len, const uint8_t *msg, size_t len,
                        const uint8_t pk[FERRY_ID_PK_LEN]);

#endif
