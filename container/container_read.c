/* The container reader: the desk's side of docs/FORMAT.md,
 * "Container". Fed payload plaintext in any slicing, it hands items to
 * callbacks and checks every record, the end record and the padding. */
#include "container_read.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../common/le.h"

enum { S_MAGIC, S_RECHDR, S_BODY, S_DATA, S_PADDING, S_FAILED };

struct ferry_cr {
	ferry_cr_callbacks cb;
	void *u;
	int state;
	const char *err;
	int err_code; /* FERRY_EVERIFY: the bytes; FERRY_EOP: a callback */
	uint8_t hdr[FERRY_CT_ITEM_END_FIXED + FERRY_REPORT_MAX];
	size_t have, need;
	uint8_t rec_type;
	uint64_t data_left;
	int in_item, inflating, item_kind, zdone;
	uint64_t item_size;
	uint64_t inflated; /* answers' bytes after inflation, all items together */
	unsigned items;
	z_stream z;
	uint8_t zout[FERRY_CT_DATA_MAX];
};

ferry_cr *ferry_cr_create(const ferry_cr_callbacks *cb, void *u)
{
	ferry_cr *cr = calloc(1, sizeof *cr);
	if (!cr)
		return NULL;
	cr->cb = *cb;
	cr->u = u;
	cr->state = S_MAGIC;
	cr->need = FERRY_CT_MAGIC_LEN;
	return cr;
}

static int cr_fail_code(ferry_cr *cr, int code, const char *why)
{
	if (cr->state != S_FAILED) {
		cr->err = why;
		cr->err_code = code;
	}
	cr->state = S_FAILED;
	return -1;
}

/* The container's own bytes are wrong. */
static int cr_fail(ferry_cr *cr, const char *why)
{
	return cr_fail_code(cr, FERRY_EVERIFY, why);
}

/* A callback could not take an item: nothing is wrong with the bytes. */
static int cr_stored_fail(ferry_cr *cr)
{
	return cr_fail_code(cr, FERRY_EOP, "could not store an item");
}

static int cr_report(const ferry_cr *cr, ferry_err *e)
{
	return ferry_fail(e, cr->err_code ? cr->err_code : FERRY_EVERIFY, "%s",
	                  cr->err ? cr->err : "the container is malformed");
}

static int cr_emit(ferry_cr *cr, const uint8_t *p, size_t n)
{
	if (!cr->inflating) {
		cr->item_size += n;
		return cr->cb.data(cr->u, p, n) == 0 ? 0 : cr_stored_fail(cr);
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
		if (r == Z_MEM_ERROR)
			return cr_fail_code(cr, FERRY_EOP, "out of memory");
		if (r != Z_OK && r != Z_STREAM_END && !(r == Z_BUF_ERROR && got))
			return cr_fail(cr, "answers text does not inflate");
		cr->item_size += got;
		cr->inflated += got;
		if (cr->inflated > FERRY_ANSWERS_MAX)
			return cr_fail(cr, "answers text is larger than 16 MiB in all");
		if (got && cr->cb.data(cr->u, cr->zout, got) != 0)
			return cr_stored_fail(cr);
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
	case FERRY_CT_ITEM: {
		uint8_t kind = cr->hdr[0], flags = cr->hdr[1];
		if (cr->in_item || len != 2 || !ferry_item_kind_valid(kind) ||
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
			/* Not the bundle's fault: it stays where it is. */
			if (inflateInit(&cr->z) != Z_OK)
				return cr_fail_code(cr, FERRY_EOP, "out of memory");
		}
		if (cr->cb.begin(cr->u, cr->items, kind) != 0)
			return cr_stored_fail(cr);
		return 0;
	}
	case FERRY_CT_ITEM_END: {
		ferry_item_info info;
		if (!cr->in_item || len < FERRY_CT_ITEM_END_FIXED)
			return cr_fail(cr, "malformed item end record");
		memset(&info, 0, sizeof info);
		info.kind = (uint8_t)cr->item_kind;
		info.size = ferry_get_le(cr->hdr, 8);
		info.orientation = cr->hdr[8];
		size_t rlen = (size_t)ferry_get_le(cr->hdr + 9, 2);
		if (rlen != len - FERRY_CT_ITEM_END_FIXED || info.orientation > 8)
			return cr_fail(cr, "malformed item end record");
		memcpy(info.report, cr->hdr + FERRY_CT_ITEM_END_FIXED, rlen);
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
			return cr_stored_fail(cr);
		return 0;
	}
	case FERRY_CT_END:
		if (cr->in_item || len != 4 || ferry_get_le(cr->hdr, 4) != cr->items)
			return cr_fail(cr, "malformed end record");
		cr->state = S_PADDING;
		return 0;
	default: return cr_fail(cr, "unknown record type");
	}
}

static int cr_feed(ferry_cr *cr, const uint8_t *p, size_t n)
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
				cr->need = FERRY_CT_REC_HDR;
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
				if (memcmp(cr->hdr, FERRY_CT_MAGIC,
				           FERRY_CT_MAGIC_LEN) != 0)
					return cr_fail(cr, "not a ferry container");
				cr->state = S_RECHDR;
				cr->have = 0;
				cr->need = FERRY_CT_REC_HDR;
			} else if (cr->state == S_RECHDR) {
				cr->rec_type = cr->hdr[0];
				uint64_t len = ferry_get_le(cr->hdr + 1, 4);
				cr->have = 0;
				if (cr->rec_type == FERRY_CT_DATA) {
					if (!cr->in_item || len == 0 ||
					    len > FERRY_CT_DATA_MAX)
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
						cr->need = FERRY_CT_REC_HDR;
					}
				}
			} else { /* S_BODY */
				if (cr_record(cr) != 0)
					return -1;
				if (cr->state == S_BODY) {
					cr->state = S_RECHDR;
					cr->have = 0;
					cr->need = FERRY_CT_REC_HDR;
				}
			}
		}
		}
	}
	return 0;
}

int ferry_cr_feed(ferry_cr *cr, const uint8_t *p, size_t n, ferry_err *e)
{
	return cr_feed(cr, p, n) == 0 ? FERRY_OK : cr_report(cr, e);
}

int ferry_cr_finish(ferry_cr *cr, ferry_err *e)
{
	if (cr->state != S_FAILED && cr->state != S_PADDING)
		cr_fail(cr, "container is cut short (no end record)");
	return cr->state == S_FAILED ? cr_report(cr, e) : FERRY_OK;
}

unsigned ferry_cr_items(const ferry_cr *cr)
{
	return cr->items;
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
