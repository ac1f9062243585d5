/* Chaff: cover traffic a relay makes with its credential alone. A chaff
 * bundle is a real bundle of kind chaff, sealed to the chaff key, with an
 * empty container padded to a size class drawn from the desk's signed
 * distribution, so nobody but the desk can tell it from testimony. It
 * uses the bundle sealer only: the relay links nothing else of the
 * contact's side. */
#ifndef FERRY_CHAFF_H
#define FERRY_CHAFF_H

#include <stdint.h>

#include "../common/err.h"
#include "../common/io.h"
#include "../trust/credential.h"

/* A chaff length: a size class drawn by the weights the desk signed into
 * the credential. Nothing the relay saw shapes it, so cover before any
 * testimony looks like cover after, and a length no chaff has marks
 * nothing the relay learnt. */
uint64_t ferry_chaff_draw(const ferry_credential *c);

/* Seals one chaff bundle of bundle_len bytes through write. */
int ferry_chaff_seal(const ferry_credential *c, uint64_t bundle_len,
                     ferry_write_fn write, void *io, ferry_err *e) FERRY_WUR;

#endif
