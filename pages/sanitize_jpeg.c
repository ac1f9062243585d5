/* JPEG: walk the marker structure once, copying only what decoding
 * needs; the entropy-coded data is copied byte for byte. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "../common/i18n.h"
#include "sanitize.h"

#define INBUF        65536
#define MAX_SEGMENTS 100000

typedef struct {
	ferry_read_fn rd;
	void *rio;
	ferry_write_fn out;
	void *wio;
	ferry_page_result *res;
	ferry_err *e;
	ferry_strip_report rep;
	size_t pos, len;
	uint64_t consumed;
	/* tables held until the first scan, when the colour markers are
	 * decided */
	uint8_t *held;
	size_t held_len, held_cap;
	int scans_started;
	int had_jfif, had_adobe, adobe_transform;
	int sof_seen, ncomp, ids_rgb;
	uint8_t seg[65536];
	uint8_t buf[INBUF];
} jw;

static void wipe_free(void *p, size_t n)
{
	if (p)
		sodium_memzero(p, n);
	free(p);
}

static int fail(jw *j, const char *msg)
{
	if (!j->e->msg[0])
		ferry_fail(j->e, FERRY_EOP, "%s", ferry_tr(msg));
	return -1;
}

/* 1 when a byte is available, 0 at end of input, -1 on a read error. */
static int fill(jw *j)
{
	if (j->pos < j->len)
		return 1;
	ssize_t r = j->rd(j->rio, j->buf, sizeof j->buf);
	if (r < 0)
		return fail(j, "could not read the file");
	j->pos = 0;
	j->len = (size_t)r;
	j->consumed += (uint64_t)r;
	return r > 0;
}

static int get_byte(jw *j, uint8_t *b)
{
	int f = fill(j);
	if (f <= 0)
		return f < 0 ? -1 : 0;
	*b = j->buf[j->pos++];
	return 1;
}

static int get_exact(jw *j, uint8_t *p, size_t n)
{
	while (n > 0) {
		int f = fill(j);
		if (f < 0)
			return -1;
		if (f == 0)
			return fail(
			    j,
			    "the file is cut short (truncated inside a marker segment)");
		size_t take = j->len - j->pos;
		if (take > n)
			take = n;
		memcpy(p, j->buf + j->pos, take);
		j->pos += take;
		p += take;
		n -= take;
	}
	return 0;
}

static int emit(jw *j, const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	if (!j->scans_started) {
		if (j->held_len + n > FERRY_JPEG_HEADER_MAX)
			return fail(
			    j,
			    "JPEG tables before the first scan are larger than 4 MiB");
		if (j->held_len + n > j->held_cap) {
			size_t cap = j->held_cap ? j->held_cap * 2 : 8192;
			while (cap < j->held_len + n)
				cap *= 2;
			/* Not realloc: the old copy of the page's tables is
			 * wiped, not left in freed memory. */
			uint8_t *q = malloc(cap);
			if (!q)
				return fail(j, "out of memory");
			if (j->held_len)
				memcpy(q, j->held, j->held_len);
			wipe_free(j->held, j->held_cap);
			j->held = q;
			j->held_cap = cap;
		}
		memcpy(j->held + j->held_len, p, n);
		j->held_len += n;
		return 0;
	}
	if (j->out(j->wio, p, n) != 0)
		return fail(j, "could not write the sanitized page");
	j->res->out_bytes += n;
	return 0;
}

static int emit_segment(jw *j, uint8_t marker, const uint8_t *body, size_t len)
{
	uint8_t h[4] = {0xff, marker, (uint8_t)((len + 2) >> 8), (uint8_t)(len + 2)};
	if (emit(j, h, 4) != 0)
		return -1;
	return emit(j, body, len);
}

/* Writes SOI, the canonical colour markers, then the held tables. */
static int start_scans(jw *j)
{
	static const uint8_t soi[2] = {0xff, 0xd8};
	/* JFIF 1.01, no units, 1:1 density, no thumbnail. */
	static const uint8_t jfif[14] = {'J', 'F', 'I', 'F', 0, 1, 1,
	                                 0,   0,   1,   0,   1, 0, 0};
	uint8_t adobe[12] = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
	j->scans_started = 1;
	if (emit(j, soi, 2) != 0)
		return -1;
	if (j->had_jfif && emit_segment(j, 0xe0, jfif, sizeof jfif) != 0)
		return -1;
	/* The Adobe transform byte decides how a decoder reads CMYK/YCCK and
	 * RGB-coded images; keep a rebuilt one only where it changes that. */
	int need_adobe = j->had_adobe &&
	                 (j->ncomp == 4 || (j->ncomp == 3 && !j->had_jfif &&
	                                    (j->adobe_transform == 0 || j->ids_rgb)));
	if (need_adobe) {
		adobe[11] = (uint8_t)j->adobe_transform;
		if (emit_segment(j, 0xee, adobe, sizeof adobe) != 0)
			return -1;
	}
	int rc = 0;
	if (j->held_len && j->out(j->wio, j->held, j->held_len) != 0)
		rc = fail(j, "could not write the sanitized page");
	j->res->out_bytes += j->held_len + 0;
	wipe_free(j->held, j->held_cap);
	j->held = NULL;
	j->held_len = j->held_cap = 0;
	return rc;
}

static int starts(const uint8_t *p, size_t n, const char *s, size_t sl)
{
	return n >= sl && memcmp(p, s, sl) == 0;
}

static void note_app(jw *j, uint8_t m, const uint8_t *p, size_t n)
{
	ferry_strip_report *r = &j->rep;
	size_t total = n + 4;
	switch (m) {
	case 0xe0:
		if (starts(p, n, "JFIF\0", 5)) {
			j->had_jfif = 1;
			/* A JFIF thumbnail is embedded after the 14 fixed bytes. */
			if (n > 14)
				ferry_report_block(r, RB_JFIF_THUMB, n - 14);
		} else if (starts(p, n, "JFXX\0", 5)) {
			ferry_report_block(r, RB_JFIF_THUMB, total);
		} else {
			ferry_report_block(r, RB_VENDOR_APP, total);
		}
		return;
	case 0xe1:
		if (starts(p, n, "Exif\0\0", 6)) {
			ferry_report_block(r, RB_EXIF, total);
			ferry_exif_scan(p + 6, n - 6, r, &j->res->orientation);
		} else if (starts(p, n, "http://ns.adobe.com/xap/1.0/\0", 29)) {
			ferry_report_block(r, RB_XMP, total);
		} else if (starts(p, n, "http://ns.adobe.com/xmp/extension/\0", 35)) {
			ferry_report_block(r, RB_XMP_EXT, total);
		} else {
			ferry_report_block(r, RB_VENDOR_APP, total);
		}
		return;
	case 0xe2:
		if (starts(p, n, "ICC_PROFILE\0", 12))
			ferry_report_block(r, RB_ICC, total);
		else if (starts(p, n, "MPF\0", 4))
			ferry_report_block(r, RB_MPF, total);
		else if (starts(p, n, "FPXR", 4))
			ferry_report_block(r, RB_FLASHPIX, total);
		else
			ferry_report_block(r, RB_VENDOR_APP, total);
		return;
	case 0xed: ferry_report_block(r, RB_IPTC, total); return;
	case 0xee:
		if (starts(p, n, "Adobe", 5) && n >= 12) {
			j->had_adobe = 1;
			j->adobe_transform = p[11] <= 2 ? p[11] : 0;
			/* Not counted as removed metadata unless dropped; the
			 * decision comes at the first scan. */
			ferry_report_block(r, RB_ADOBE, total);
		} else {
			ferry_report_block(r, RB_VENDOR_APP, total);
		}
		return;
	default: ferry_report_block(r, RB_VENDOR_APP, total); return;
	}
}

/* Entropy-coded data after an SOS header: copied as is, up to the next
 * marker that is not a restart marker. Returns that marker in *next. */
static int copy_scan(jw *j, uint8_t *next)
{
	for (;;) {
		int f = fill(j);
		if (f < 0)
			return -1;
		if (f == 0)
			return fail(
			    j,
			    "the file is cut short (truncated inside the image data, no end-of-image marker)");
		/* Fast path: stuffed bytes and restart markers inside this
		 * buffer are data; emit whole spans up to a real marker. */
		uint8_t *start = j->buf + j->pos, *end = j->buf + j->len, *q = start;
		uint8_t *ff;
		for (;;) {
			ff = memchr(q, 0xff, (size_t)(end - q));
			if (!ff || ff + 1 == end)
				break;
			uint8_t b = ff[1];
			if (b == 0x00 || (b >= 0xd0 && b <= 0xd7)) {
				q = ff + 2;
				continue;
			}
			if (b == 0xff) { /* fill byte, or FF of a later pair */
				q = ff + 1;
				continue;
			}
			if (emit(j, start, (size_t)(ff - start)) != 0)
				return -1;
			j->pos = (size_t)(ff - j->buf) + 2;
			*next = b;
			return 0;
		}
		size_t run = ff ? (size_t)(ff - start) : (size_t)(end - start);
		if (emit(j, start, run) != 0)
			return -1;
		j->pos += run;
		if (!ff)
			continue;
		/* An 0xFF that ends the buffer: look past the boundary. */
		j->pos++; /* the 0xFF */
		size_t nff = 1;
		uint8_t b;
		for (;;) {
			int g = get_byte(j, &b);
			if (g < 0)
				return -1;
			if (g == 0)
				return fail(
				    j,
				    "the file is cut short (truncated inside the image data)");
			if (b != 0xff)
				break;
			if (++nff > 65536)
				return fail(
				    j, "malformed image data (endless fill bytes)");
		}
		/* Same bytes out as the fast path: fill bytes before a marker are
		 * kept, so the output does not depend on where reads split. */
		int data = b == 0x00 || (b >= 0xd0 && b <= 0xd7);
		size_t keep = data ? nff : nff - 1;
		static const uint8_t ffs[8] = {0xff, 0xff, 0xff, 0xff,
		                               0xff, 0xff, 0xff, 0xff};
		while (keep > 0) {
			size_t k = keep > 8 ? 8 : keep;
			if (emit(j, ffs, k) != 0)
				return -1;
			keep -= k;
		}
		if (!data) {
			*next = b;
			return 0;
		}
		if (emit(j, &b, 1) != 0)
			return -1;
	}
}

static void scan_trailer(jw *j, const uint8_t *p, size_t n, uint8_t carry[3],
                         size_t *carry_len, int first)
{
	/* Look for the signatures of the hidden files phones append, across
	 * buffer boundaries (3 bytes carried). */
	uint8_t win[INBUF + 3];
	memcpy(win, carry, *carry_len);
	memcpy(win + *carry_len, p, n);
	size_t wl = *carry_len + n;
	if (first && n >= 2 && p[0] == 0xff && p[1] == 0xd8)
		j->rep.trailer_kinds |= TR_SECOND_IMAGE;
	if (memmem(win, wl, "ftyp", 4))
		j->rep.trailer_kinds |= TR_MOTION;
	if (memmem(win, wl, "SEFH", 4) || memmem(win, wl, "SEFT", 4))
		j->rep.trailer_kinds |= TR_SEFT;
	if (memmem(win, wl, "\xff\xd8\xff", 3))
		j->rep.trailer_kinds |= TR_SECOND_IMAGE;
	size_t keep = wl < 3 ? wl : 3;
	memcpy(carry, win + wl - keep, keep);
	*carry_len = keep;
}

static int drain_trailer(jw *j)
{
	uint64_t bytes = 0;
	uint8_t carry[3];
	size_t carry_len = 0;
	int first = 1;
	for (;;) {
		int f = fill(j);
		if (f < 0)
			return -1;
		if (f == 0)
			break;
		size_t n = j->len - j->pos;
		scan_trailer(j, j->buf + j->pos, n, carry, &carry_len, first);
		first = 0;
		bytes += n;
		j->pos = j->len;
	}
	if (bytes) {
		ferry_report_block(&j->rep, RB_TRAILER, bytes);
		if (!j->rep.trailer_kinds)
			j->rep.trailer_kinds = TR_UNKNOWN;
	}
	return 0;
}

static int parse_sof(jw *j, uint8_t m, const uint8_t *p, size_t n)
{
	if (j->sof_seen)
		return fail(j, "malformed JPEG: more than one frame header");
	if (n < 6)
		return fail(j, "malformed JPEG: frame header too short");
	uint32_t h = (uint32_t)p[1] << 8 | p[2], w = (uint32_t)p[3] << 8 | p[4];
	int nc = p[5];
	if (nc < 1 || nc > 4 || n != 6 + (size_t)nc * 3)
		return fail(j, "malformed JPEG: bad frame header");
	if (h == 0)
		return fail(
		    j,
		    "unsupported JPEG: height given after the image (DNL); re-save the photo");
	if (w == 0 || w > FERRY_PAGE_MAX_SIDE || h > FERRY_PAGE_MAX_SIDE ||
	    (uint64_t)w * h > FERRY_PAGE_MAX_PIXELS)
		return fail(
		    j,
		    "image dimensions are over the limit (30000 pixels a side, 250 megapixels)");
	(void)m;
	j->res->width = w;
	j->res->height = h;
	j->ncomp = nc;
	j->ids_rgb = nc == 3 && p[6] == 'R' && p[9] == 'G' && p[12] == 'B';
	j->sof_seen = 1;
	return 0;
}

/* The next marker's code into *m, past the fill bytes before it and any
 * stray bytes between segments (the "?>" an XMP packet leaves, say):
 * libjpeg skips them, so do we, and the report says so. */
static int next_marker(jw *j, uint8_t *m)
{
	uint8_t c;
	uint64_t stray = 0;
	if (get_byte(j, &c) <= 0)
		return fail(j, "the file is cut short (no end-of-image marker)");
	while (c != 0xff) {
		stray++;
		if (get_byte(j, &c) <= 0)
			return fail(j, "the file is cut short (no end-of-image marker)");
	}
	if (stray)
		ferry_report_block(&j->rep, RB_STRAY, stray);
	do {
		if (get_byte(j, &c) <= 0)
			return fail(j, "the file is cut short (no end-of-image marker)");
	} while (c == 0xff);
	*m = c;
	return 0;
}

/* What was removed, rendered: the Adobe block counts as removed only when
 * it was not kept. */
static void finish_report(jw *j)
{
	if (j->had_adobe &&
	    (j->ncomp == 4 || (j->ncomp == 3 && !j->had_jfif &&
	                       (j->adobe_transform == 0 || j->ids_rgb)))) {
		j->rep.block_count[RB_ADOBE] = 0;
		j->rep.block_bytes[RB_ADOBE] = 0;
	}
	j->res->in_bytes = j->consumed;
	ferry_report_render(&j->rep, j->res->report, sizeof j->res->report);
	ferry_report_render_shown(&j->rep, j->res->shown, sizeof j->res->shown);
}

int ferry_sanitize_jpeg(ferry_read_fn rd, void *rio, ferry_write_fn out, void *wio,
                        ferry_page_result *res, ferry_err *e)
{
	ferry_err local;
	jw *j = calloc(1, sizeof *j);
	uint8_t b[2];
	int rc = FERRY_EOP;
	if (!e)
		e = &local;
	ferry_err_clear(e);
	memset(res, 0, sizeof *res);
	res->type = FERRY_PAGE_JPEG;
	if (!j)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	j->rd = rd;
	j->rio = rio;
	j->out = out;
	j->wio = wio;
	j->res = res;
	j->e = e;

	if (get_exact(j, b, 2) != 0 || b[0] != 0xff || b[1] != 0xd8) {
		fail(j, "not a JPEG file (no start-of-image marker)");
		goto out;
	}
	int have_next = 0;
	uint8_t m = 0;
	for (unsigned segs = 0;; segs++) {
		if (segs > MAX_SEGMENTS) {
			fail(j, "malformed JPEG: too many marker segments");
			goto out;
		}
		if (!have_next && next_marker(j, &m) != 0)
			goto out;
		have_next = 0;

		if (m == 0xd9) { /* EOI */
			if (!j->scans_started) {
				fail(
				    j,
				    "malformed JPEG: no image data before the end marker");
				goto out;
			}
			static const uint8_t eoi[2] = {0xff, 0xd9};
			if (emit(j, eoi, 2) != 0 || drain_trailer(j) != 0)
				goto out;
			break;
		}
		if (m == 0x01)
			continue; /* TEM: standalone, meaningless */
		if (m == 0x00 || (m >= 0xd0 && m <= 0xd8)) {
			fail(j, "malformed JPEG: misplaced marker");
			goto out;
		}
		uint8_t lb[2];
		if (get_exact(j, lb, 2) != 0)
			goto out;
		size_t len = (size_t)lb[0] << 8 | lb[1];
		if (len < 2) {
			fail(j, "malformed JPEG: bad marker segment length");
			goto out;
		}
		len -= 2;
		if (get_exact(j, j->seg, len) != 0)
			goto out;

		if (m >= 0xe0 && m <= 0xef) {
			note_app(j, m, j->seg, len);
			continue;
		}
		if (m == 0xfe) {
			ferry_report_block(&j->rep, RB_COMMENT, len + 4);
			continue;
		}
		if ((m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc)) {
			if (parse_sof(j, m, j->seg, len) != 0)
				goto out;
		} else if (m == 0xda) {
			if (!j->sof_seen) {
				fail(
				    j,
				    "malformed JPEG: image data before the frame header");
				goto out;
			}
			if (len < 1 || len != 4 + (size_t)j->seg[0] * 2) {
				fail(j, "malformed JPEG: bad scan header");
				goto out;
			}
			if (!j->scans_started && start_scans(j) != 0)
				goto out;
			if (emit_segment(j, m, j->seg, len) != 0 ||
			    copy_scan(j, &m) != 0)
				goto out;
			have_next = 1;
			continue;
		} else if (!(m == 0xc4 || m == 0xcc || m == 0xdb || m == 0xdd ||
		             m == 0xdc || m == 0xde || m == 0xdf)) {
			ferry_fail(
			    e, FERRY_EOP,
			    "unsupported JPEG marker 0xFF%02X (JPEG-LS or an extension): re-save the photo as a baseline or progressive JPEG",
			    m);
			goto out;
		}
		if (emit_segment(j, m, j->seg, len) != 0)
			goto out;
	}
	finish_report(j);
	rc = FERRY_OK;
out:
	if (rc != FERRY_OK && !e->msg[0])
		ferry_fail(e, FERRY_EOP, "malformed JPEG");
	wipe_free(j->held, j->held_cap);
	wipe_free(j, sizeof *j); /* its buffers held the page's bytes */
	return rc;
}
