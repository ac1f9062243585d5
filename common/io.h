/* Byte streams between ferry's layers: a writer and a reader callback
 * type, adapters over file descriptors and memory, and a growable
 * buffer. */
#ifndef FERRY_IO_H
#define FERRY_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* Returns 0 when all len bytes were written, -1 otherwise. */
typedef int (*ferry_write_fn)(void *io, const uint8_t *buf, size_t len);
/* Returns bytes read (0 at end of input) or -1. */
typedef ssize_t (*ferry_read_fn)(void *io, uint8_t *buf, size_t cap);

/* ferry_write_fn over a file descriptor (io points to an int). */
int ferry_write_fd(void *io, const uint8_t *p, size_t n);
/* ferry_write_fn that discards everything. */
int ferry_write_null(void *io, const uint8_t *p, size_t n);
/* ferry_read_fn over a file descriptor (io points to an int). */
ssize_t ferry_read_fd(void *io, uint8_t *buf, size_t cap);

/* Up to n bytes from rd into buf, as many as there are before the end:
 * the count (less than n only at the end), or -1 on a read error. */
ssize_t ferry_read_all(ferry_read_fn rd, void *io, uint8_t *buf, size_t n);

/* ferry_read_fn over memory, for tests and fuzzing. */
typedef struct {
	const uint8_t *p;
	size_t len, off;
} ferry_mem_reader;
ssize_t ferry_read_mem(void *mr, uint8_t *buf, size_t cap);

/* A growable malloc'd buffer; ferry_membuf_write is a ferry_write_fn. */
typedef struct {
	uint8_t *p;
	size_t len, cap;
} ferry_membuf;
int ferry_membuf_write(void *io, const uint8_t *p, size_t n);
/* Appends a NUL-terminated string and keeps the buffer NUL-terminated. */
int ferry_membuf_puts(ferry_membuf *m, const char *s) FERRY_WUR;
void ferry_membuf_free(ferry_membuf *m);

#endif
