/* Internal to trust/: domain-separated Ed25519 signatures over the
 * signed formats (written with common/le.h's bounded writer). */
#ifndef FERRY_TRUST_SIGN_H
#define FERRY_TRUST_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "../common/le.h"
#include "../crypto/sizes.h"

/* Ed25519 over BLAKE2b-512(domain || msg): the domain keeps a pack
 * signature from ever being accepted as a seal code or a credential. */
int ferry_sign_domain(uint8_t sig[FERRY_SIG_LEN], const char *dom, size_t dom_len,
                      const uint8_t *msg, size_t len,
                      const uint8_t sk[FERRY_ID_SK_LEN]);
int ferry_verify_domain(const uint8_t sig[FERRY_SIG_LEN], const char *dom,
                        size_t dom_len, const uint8_t *msg, size_t len,
                        const uint8_t pk[FERRY_ID_PK_LEN]);

#endif
