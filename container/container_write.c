/* The container writer: the contact's side of docs/FORMAT.md,
 * "Container". */
#include "container_write.h"

#include <sodium.h>

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../common/le.h"

struct ferry_cw {
	ferry_write_fn write;
	void *io;
	uint64_t written;
	uint64_t item_size;
	unsigned items;
	int in_item, deflating, failed, started;
	z_stream z;
	size_t dlen;
	uint8_t dbuf[FERRY_CT_DATA_MAX]; /* pending stored data, one record's worth */
	uint8_t zbuf[FERRY_CT_DATA_MAX];
};

ferry_cw *ferry_cw_create(ferry_write_fn write, void *io)
{
	ferry_cw *cw = calloc(1, sizeof *cw);
	if (!cw)
		return NULL;
	cw->write = write;
	cw->io = io;
	return cw;
}

static int cw_out(ferry_cw *cw, const uint8_t *p, size_t n)
{
	if (cw->failed || cw->write(cw->io, p, n) != 0) {
		cw->failed = 1;
		return -1;
	}
	cw->written += n;
	return 0;
}

static int cw_record(ferry_cw *cw, uint8_t type, const uint8_t *body, size_t len)
{
	uint8_t h[FERRY_CT_REC_HDR];
	if (!cw->started) {
		if (cw_out(cw, (const uint8_t *)FERRY_CT_MAGIC, FERRY_CT_MAGIC_LEN) !=
		    0)
			return -1;
		cw->started = 1;
	}
	h[0] = type;
	ferry_put_le(h + 1, len, 4);
	if (cw_out(cw, h, sizeof h) != 0)
		return -1;
	return len ? cw_out(cw, body, len) : 0;
}

int ferry_cw_begin(ferry_cw *cw, uint8_t kind)
{
	if (cw->failed || cw->in_item || !ferry_item_kind_valid(kind) ||
	    cw->items >= FERRY_ITEM_MAX)
		return -1;
	uint8_t body[2] = {kind, 0};
	cw->deflating = kind == FERRY_ITEM_ANSWERS;
	body[1] = (uint8_t)cw->deflating;
	if (cw->deflating) {
		memset(&cw->z, 0, sizeof cw->z);
		if (deflateInit(&cw->z, 6) != Z_OK)
			return -1;
	}
	if (cw_record(cw, FERRY_CT_ITEM, body, sizeof body) != 0)
		return -1;
	cw->in_item = 1;
	cw->item_size = 0;
	cw->dlen = 0;
	return 0;
}

static int cw_deflate(ferry_cw *cw, const uint8_t *p, size_t n, int flush)
{
	cw->z.next_in = (Bytef *)(uintptr_t)p;
	cw->z.avail_in = (uInt)n;
	for (;;) {
		cw->z.next_out = cw->zbuf;
		cw->z.avail_out = sizeof cw->zbuf;
		int r = deflate(&cw->z, flush);
		if (r == Z_STREAM_ERROR)
			return -1;
		size_t have = sizeof cw->zbuf - cw->z.avail_out;
		if (have && cw_record(cw, FERRY_CT_DATA, cw->zbuf, have) != 0)
			return -1;
		if (flush == Z_FINISH) {
			if (r == Z_STREAM_END)
				return 0;
		} else if (cw->z.avail_in == 0 && cw->z.avail_out != 0) {
			return 0;
		}
	}
}

int ferry_cw_data(ferry_cw *cw, const uint8_t *p, size_t n)
{
	if (cw->failed || !cw->in_item)
		return -1;
	cw->item_size += n;
	if (cw->deflating) {
		while (n > 0) {
			size_t take = n > FERRY_CT_DATA_MAX ? FERRY_CT_DATA_MAX : n;
			if (cw_deflate(cw, p, take, Z_NO_FLUSH) != 0)
				return -1;
			p += take;
			n -= take;
		}
		return 0;
	}
	/* Buffer small writes so a record carries up to 64 KiB; pass large
	 * ones straight through. */
	while (n > 0) {
		if (cw->dlen == 0 && n >= FERRY_CT_DATA_MAX) {
			if (cw_record(cw, FERRY_CT_DATA, p, FERRY_CT_DATA_MAX) != 0)
				return -1;
			p += FERRY_CT_DATA_MAX;
			n -= FERRY_CT_DATA_MAX;
			continue;
		}
		size_t take = FERRY_CT_DATA_MAX - cw->dlen;
		if (take > n)
			take = n;
		memcpy(cw->dbuf + cw->dlen, p, take);
		cw->dlen += take;
		p += take;
		n -= take;
		if (cw->dlen == FERRY_CT_DATA_MAX) {
			if (cw_record(cw, FERRY_CT_DATA, cw->dbuf, cw->dlen) != 0)
				return -1;
			cw->dlen = 0;
		}
	}
	return 0;
}

int ferry_cw_end(ferry_cw *cw, uint8_t orientation, const char *report)
{
	uint8_t body[FERRY_CT_ITEM_END_FIXED + FERRY_REPORT_MAX];
	size_t rlen = report ? strlen(report) : 0;
	if (cw->failed || !cw->in_item || rlen > FERRY_REPORT_MAX || orientation > 8)
		return -1;
	if (cw->dlen) {
		if (cw_record(cw, FERRY_CT_DATA, cw->dbuf, cw->dlen) != 0)
			return -1;
		cw->dlen = 0;
	}
	if (cw->deflating) {
		int r = cw_deflate(cw, NULL, 0, Z_FINISH);
		deflateEnd(&cw->z);
		cw->deflating = 0;
		if (r != 0)
			return -1;
	}
	ferry_put_le(body, cw->item_size, 8);
	body[8] = orientation;
	ferry_put_le(body + 9, rlen, 2);
	if (rlen)
		memcpy(body + FERRY_CT_ITEM_END_FIXED, report, rlen);
	if (cw_record(cw, FERRY_CT_ITEM_END, body, FERRY_CT_ITEM_END_FIXED + rlen) != 0)
		return -1;
	cw->in_item = 0;
	cw->items++;
	return 0;
}

int ferry_cw_finish(ferry_cw *cw)
{
	uint8_t body[4];
	if (cw->failed || cw->in_item)
		return -1;
	ferry_put_le(body, cw->items, 4);
	return cw_record(cw, FERRY_CT_END, body, sizeof body);
}

uint64_t ferry_cw_written(const ferry_cw *cw)
{
	return cw->written;
}

void ferry_cw_free(ferry_cw *cw)
{
	if (!cw)
		return;
	if (cw->deflating)
		deflateEnd(&cw->z);
	sodium_memzero(cw, sizeof *cw);
	free(cw);
}
