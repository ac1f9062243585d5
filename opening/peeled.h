/* Keeping a peeled copy: a bundle that reached the desk through relays
 * is quarantined with every relay's layer removed (crypto/wrap.h), as
 * the sealer wrote it and tagged under the desk's newest relay key, so
 * it still opens ('ferry-desk admit', a later look) after the wrap keys
 * that peel it are destroyed. */
#ifndef FERRY_PEELED_H
#define FERRY_PEELED_H

#include <stdint.h>

#include "../common/err.h"
#include "../crypto/bundle.h"

/* Writes to dst (a new file: temp, fsync, rename; never replacing one)
 * the bundle of size bytes read with pread from fd, whose prefix pl
 * holds peeled and restored (after a successful ferry_opener_try).
 * Constant memory. */
int ferry_write_peeled(int fd, uint64_t size, const ferry_peeled *pl,
                       const ferry_relay_keys *relay, const char *dst,
                       ferry_err *e) FERRY_WUR;

#endif
