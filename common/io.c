#include "io.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int ferry_write_fd(void *io, const uint8_t *p, size_t n)
{
	return ferry_write_all(*(int *)io, p, n);
}

int ferry_write_null(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	(void)p;
	(void)n;
	return 0;
}

ssize_t ferry_read_fd(void *io, uint8_t *buf, size_t cap)
{
	int fd = *(int *)io;
	for (;;) {
		ssize_t r = read(fd, buf, cap);
		if (r < 0 && errno == EINTR)
			continue;
		return r;
	}
}

ssize_t ferry_read_all(ferry_read_fn rd, void *io, uint8_t *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = rd(io, buf + got, n - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

ssize_t ferry_read_mem(void *mr, uint8_t *buf, size_t cap)
{
	ferry_mem_reader *m = mr;
	size_t n = m->len - m->off;
	if (n > cap)
		n = cap;
	memcpy(buf, m->p + m->off, n);
	m->off += n;
	return (ssize_t)n;
}

/* Room for n more bytes and a NUL. */
static int membuf_reserve(ferry_membuf *m, size_t n)
{
	if (n > SIZE_MAX / 2 - m->len)
		return -1;
	if (m->len + n + 1 <= m->cap)
		return 0;
	size_t cap = m->cap ? m->cap * 2 : 4096;
	while (cap < m->len + n + 1)
		cap *= 2;
	uint8_t *q = realloc(m->p, cap);
	if (!q)
		return -1;
	m->p = q;
	m->cap = cap;
	return 0;
}

int ferry_membuf_write(void *io, const uint8_t *p, size_t n)
{
	ferry_membuf *m = io;
	if (membuf_reserve(m, n) != 0)
		return -1;
	if (n)
		memcpy(m->p + m->len, p, n);
	m->len += n;
	m->p[m->len] = '\0';
	return 0;
}

int ferry_membuf_puts(ferry_membuf *m, const char *s)
{
	return ferry_membuf_write(m, (const uint8_t *)s, strlen(s));
}

void ferry_membuf_free(ferry_membuf *m)
{
	free(m->p);
	m->p = NULL;
	m->len = m->cap = 0;
}
