/* One process at a time: an advisory lock on FOLDER/lock, held by every
 * command that writes (exclusive) or reads (shared) a desk or a relay
 * spool, for as long as the command runs. */
#ifndef FERRY_LOCK_H
#define FERRY_LOCK_H

#include "err.h"

typedef struct {
	int fd;
} ferry_lock;

#define FERRY_LOCK_WAIT_MS 3000

/* Takes the lock, waiting up to wait_ms for another process to let go;
 * then fails with "WHAT is in use by process N". */
int ferry_lock_take(ferry_lock *l, const char *dir, const char *what, int exclusive,
                    unsigned wait_ms, ferry_err *e) FERRY_WUR;
void ferry_lock_release(ferry_lock *l);

#endif
