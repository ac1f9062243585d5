#include "container.h"
#include "../crypto/le.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAGIC          "FERRYCT1"
#define MAGIC_LEN      8
#define REC_ITEM       1
#define REC_DATA       2
#define REC_ITEM_END   3
#define REC_END        4
#define REC_HDR        5 /* type 1 + length 4 */
#define DATA_MAX       65536u
#define ITEM_END_FIXED 11 /* size 8, orientation 1, report length 2 */

static int item_kind_valid(uint8_t k)
{
	return k >= FERRY_ITEM_PAGE_JPEG && k <= FERRY_ITEM_ATTACHMENT;
}

struct ferry_cw {
	ferry_write_fn write;
	void *io;
	uint64_t written;
	uint64_t item_size;
	unsigned items;
	int in_item, deflating, failed, started;
	z_stream z;
	size_t dlen;
	uint8_t dbuf[DATA_MAX]; /* pending stored data, one record's worth */
	uint8_t zbuf[DATA_MAX];
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
	uint8_t h[REC_HDR];
	if (!cw->started) {
		if (cw_out(cw, (const uint8_t *)MAGIC, MAGIC_LEN) != 0)
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
	if (cw->failed || cw->in_item || !item_kind_valid(kind) ||
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
	if (cw_record(cw, REC_ITEM, body, sizeof body) != 0)
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
		if (have && cw_record(cw, REC_DATA, cw->zbuf, have) != 0)
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
			size_t take = n > DATA_MAX ? DATA_MAX : n;
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
		if (cw->dlen == 0 && n >= DATA_MAX) {
			if (cw_record(cw, REC_DATA, p, DATA_MAX) != 0)
				return -1;
			p += DATA_MAX;
			n -= DATA_MAX;
			continue;
		}
		size_t take = DATA_MAX - cw->dlen;
		if (take > n)
			take = n;
		memcpy(cw->dbuf + cw->dlen, p, take);
		cw->dlen += take;
		p += take;
		n -= take;
		if (cw->dlen == DATA_MAX) {
			if (cw_record(cw, REC_DATA, cw->dbuf, cw->dlen) != 0)
				return -1;
			cw->dlen = 0;
		}
	}
	return 0;
}

int ferry_cw_end(ferry_cw *cw, uint8_t orientation, const char *report)
{
	uint8_t body[ITEM_END_FIXED + FERRY_REPORT_MAX];
	size_t rlen = report ? strlen(report) : 0;
	if (cw->failed || !cw->in_item || rlen > FERRY_REPORT_MAX || orientation > 8)
		return -1;
	if (cw->dlen) {
		if (cw_record(cw, REC_DATA, cw->dbuf, cw->dlen) != 0)
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
		memcpy(body + ITEM_END_FIXED, report, rlen);
	if (cw_record(cw, REC_ITEM_END, body, ITEM_END_FIXED + rlen) != 0)
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
	return cw_record(cw, REC_END, body, sizeof body);
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

/* ---- reader ---- */

enum { S_MAGIC, S_RECHDR, S_BODY, S_DATA, S_PADDING, S_FAILED };

struct ferry_cr {
	ferry_cr_callbacks cb;
	void *u;
	int state;
	const char *err;
	uint8_t hdr[ITEM_END_FIXED + FERRY_REPORT_MAX];
	size_t have, need;
	uint8_t rec_type;
	uint64_t data_left;
	int in_item, inflating, item_kind, zdone;
	uint64_t item_size;
	unsigned items;
	z_stream z;
	uint8_t zout[DATA_MAX];
};

ferry_cr *ferry_cr_create(const ferry_cr_callbacks *cb, void *u)
{
	ferry_cr *cr = calloc(1, sizeof *cr);
	if (!cr)
		return NULL;
	cr->cb = *cb;
	cr->u = u;
	cr->state = S_MAGIC;
	cr->need = MAGIC_LEN;
	return cr;
}

static int cr_fail(ferry_cr *cr, const char *why)
{
	if (cr->state != S_FAILED)
		cr->err = why;
	cr->state = S_FAILED;
	return -1;
}

static int cr_emit(ferry_cr *cr, const uint8_t *p, size_t n)
{
	if (!cr->inflating) {
		cr->item_size += n;
		return cr->cb.data(cr->u, p, n) == 0
		           ? 0
		           : cr_fail(cr, "could not store an item");
	}
	if (cr->zdone)
		return cr_fail(cr, "bytes after the end of the answers text");
	cr->z.next_in = (Bytef *)(uintptr_t)p;
	cr->z.avail_in = (uInt)n;
	while (cr->z.avail_in > 0) {
		cr->z.next_out = cr->zout;
		cr->z.avail_out = sizeof cr->zout;
		int r = inflate(&cr->z, Z_NO_FLUSH);
		size_t got = sizeof cr->zout - cr->z.avail_out;
		if (r != Z_OK && r != Z_STREAM_END && !(r == Z_BUF_ERROR && got))
			return cr_fail(cr, "answers text does not inflate");
		cr->item_size += got;
		if (cr->item_size > FERRY_ANSWERS_MAX)
			return cr_fail(cr, "answers text is larger than 16 MiB");
		if (got && cr->cb.data(cr->u, cr->zout, got) != 0)
			return cr_fail(cr, "could not store an item");
		if (r == Z_STREAM_END) {
			cr->zdone = 1;
			if (cr->z.avail_in != 0)
				return cr_fail(
				    cr, "bytes after the end of the answers text");
			break;
		}
	}
	return 0;
}

static int cr_record(ferry_cr *cr)
{
	uint64_t len = cr->need;
	switch (cr->rec_type) {
	case REC_ITEM: {
		uint8_t kind = cr->hdr[0], flags = cr->hdr[1];
		if (cr->in_item || len != 2 || !item_kind_valid(kind) ||
		    flags != (kind == FERRY_ITEM_ANSWERS ? 1 : 0))
			return cr_fail(cr, "malformed item record");
		if (cr->items >= FERRY_ITEM_MAX)
			return cr_fail(cr, "too many items");
		cr->in_item = 1;
		cr->item_kind = kind;
		cr->item_size = 0;
		cr->inflating = flags;
		cr->zdone = 0;
		if (flags) {
			memset(&cr->z, 0, sizeof cr->z);
			if (inflateInit(&cr->z) != Z_OK)
				return cr_fail(cr, "out of memory");
		}
		if (cr->cb.begin(cr->u, cr->items, kind) != 0)
			return cr_fail(cr, "could not store an item");
		return 0;
	}
	case REC_ITEM_END: {
		ferry_item_info info;
		if (!cr->in_item || len < ITEM_END_FIXED)
			return cr_fail(cr, "malformed item end record");
		memset(&info, 0, sizeof info);
		info.kind = (uint8_t)cr->item_kind;
		info.size = ferry_get_le(cr->hdr, 8);
		info.orientation = cr->hdr[8];
		size_t rlen = (size_t)ferry_get_le(cr->hdr + 9, 2);
		if (rlen != len - ITEM_END_FIXED || info.orientation > 8)
			return cr_fail(cr, "malformed item end record");
		memcpy(info.report, cr->hdr + ITEM_END_FIXED, rlen);
		info.report[rlen] = '\0';
		if (memchr(info.report, 0, rlen))
			return cr_fail(cr, "malformed item report");
		if (cr->inflating) {
			int done = cr->zdone;
			inflateEnd(&cr->z);
			cr->inflating = 0;
			if (!done)
				return cr_fail(cr, "answers text is cut short");
		}
		if (info.size != cr->item_size)
			return cr_fail(cr, "item size does not match its data");
		cr->in_item = 0;
		cr->items++;
		if (cr->cb.end(cr->u, &info) != 0)
			return cr_fail(cr, "could not store an item");
		return 0;
	}
	case REC_END:
		if (cr->in_item || len != 4 || ferry_get_le(cr->hdr, 4) != cr->items)
			return cr_fail(cr, "malformed end record");
		cr->state = S_PADDING;
		return 0;
	default: return cr_fail(cr, "unknown record type");
	}
}

int ferry_cr_feed(ferry_cr *cr, const uint8_t *p, size_t n)
{
	while (n > 0) {
		switch (cr->state) {
		case S_FAILED: return -1;
		case S_PADDING: {
			uint8_t acc = 0;
			for (size_t i = 0; i < n; i++)
				acc |= p[i];
			if (acc)
				return cr_fail(cr, "padding is not zero");
			return 0;
		}
		case S_DATA: {
			size_t take = n < cr->data_left ? n : (size_t)cr->data_left;
			if (cr_emit(cr, p, take) != 0)
				return -1;
			p += take;
			n -= take;
			cr->data_left -= take;
			if (cr->data_left == 0) {
				cr->state = S_RECHDR;
				cr->have = 0;
				cr->need = REC_HDR;
			}
			break;
		}
		default: {
			size_t take = cr->need - cr->have;
			if (take > n)
				take = n;
			memcpy(cr->hdr + cr->have, p, take);
			cr->have += take;
			p += take;
			n -= take;
			if (cr->have < cr->need)
				break;
			if (cr->state == S_MAGIC) {
				if (memcmp(cr->hdr, MAGIC, MAGIC_LEN) != 0)
					return cr_fail(cr, "not a ferry container");
				cr->state = S_RECHDR;
				cr->have = 0;
				cr->need = REC_HDR;
			} else if (cr->state == S_RECHDR) {
				cr->rec_type = cr->hdr[0];
				uint64_t len = ferry_get_le(cr->hdr + 1, 4);
				cr->have = 0;
				if (cr->rec_type == REC_DATA) {
					if (!cr->in_item || len == 0 || len > DATA_MAX)
						return cr_fail(cr,
						               "malformed data record");
					cr->data_left = len;
					cr->state = S_DATA;
				} else {
					if (len > sizeof cr->hdr)
						return cr_fail(cr, "record too long");
					cr->need = (size_t)len;
					cr->state = S_BODY;
					if (len == 0 && cr_record(cr) != 0)
						return -1;
					if (len == 0 && cr->state == S_BODY) {
						cr->state = S_RECHDR;
						cr->need = REC_HDR;
					}
				}
			} else { /* S_BODY */
				if (cr_record(cr) != 0)
					return -1;
				if (cr->state == S_BODY) {
					cr->state = S_RECHDR;
					cr->have = 0;
					cr->need = REC_HDR;
				}
			}
		}
		}
	}
	return 0;
}

int ferry_cr_finish(ferry_cr *cr)
{
	if (cr->state == S_FAILED)
		return -1;
	if (cr->state != S_PADDING)
		return cr_fail(cr, "container is cut short (no end record)");
	return 0;
}

unsigned ferry_cr_items(const ferry_cr *cr)
{
	return cr->items;
}

const char *ferry_cr_error(const ferry_cr *cr)
{
	return cr->err ? cr->err : "no error";
}

void ferry_cr_free(ferry_cr *cr)
{
	if (!cr)
		return;
	if (cr->inflating)
		inflateEnd(&cr->z);
	sodium_memzero(cr, sizeof *cr);
	free(cr);
}
