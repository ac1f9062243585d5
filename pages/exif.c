/* Reads an EXIF block only to say what it held and to keep the
 * orientation; every byte of it is dropped either way. All offsets come
 * from the photo, so each is checked against the block before use. */
#include <string.h>

#include "report.h"

#define MAX_IFDS    8
#define MAX_ENTRIES 1024

typedef struct {
	const uint8_t *p;
	size_t len;
	int be;
	ferry_strip_report *r;
	uint8_t *orientation;
	uint32_t seen[MAX_IFDS];
	int nseen;
} tiff;

static uint32_t rd16(const tiff *t, size_t off)
{
	if (off + 2 > t->len)
		return 0;
	const uint8_t *q = t->p + off;
	return t->be ? (uint32_t)(q[0] << 8 | q[1]) : (uint32_t)(q[1] << 8 | q[0]);
}

static uint32_t rd32(const tiff *t, size_t off)
{
	if (off + 4 > t->len)
		return 0;
	const uint8_t *q = t->p + off;
	if (t->be)
		return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 |
		       (uint32_t)q[2] << 8 | q[3];
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
}

static int classify(uint32_t tag)
{
	switch (tag) {
	case 0x0132:
	case 0x9003:
	case 0x9004:
	case 0x9290:
	case 0x9291:
	case 0x9292:
	case 0x9010:
	case 0x9011:
	case 0x9012: return RF_TIME;
	case 0x010f:
	case 0x0110: return RF_MAKE_MODEL;
	case 0xa431:
	case 0xa435:
	case 0xc62f: return RF_SERIAL;
	case 0xa432:
	case 0xa433:
	case 0xa434: return RF_LENS;
	case 0x0131:
	case 0x000b: return RF_SOFTWARE;
	case 0x927c: return RF_MAKERNOTE;
	case 0x013b:
	case 0x8298:
	case 0xa430: return RF_OWNER;
	case 0xa420: return RF_UNIQUE_ID;
	case 0x010e:
	case 0x9286: return RF_DESCRIPTION;
	case 0x0112: return RF_ORIENTATION;
	default: return RF_OTHER_EXIF;
	}
}

enum { IFD_MAIN, IFD_EXIF, IFD_GPS, IFD_INTEROP, IFD_THUMB };

static void walk(tiff *t, uint32_t off, int kind, int depth)
{
	if (depth > 4 || t->nseen >= MAX_IFDS || off < 8 || off >= t->len)
		return;
	for (int i = 0; i < t->nseen; i++)
		if (t->seen[i] == off)
			return; /* an IFD chain that loops */
	t->seen[t->nseen++] = off;
	uint32_t n = rd16(t, off);
	if (n > MAX_ENTRIES || off + 2 + (size_t)n * 12 > t->len)
		return;
	uint32_t thumb_off = 0, thumb_len = 0;
	for (uint32_t i = 0; i < n; i++) {
		size_t e = off + 2 + (size_t)i * 12;
		uint32_t tag = rd16(t, e), type = rd16(t, e + 2);
		uint32_t value = rd32(t, e + 8);
		if (kind == IFD_GPS) {
			t->r->field_seen[RF_GPS] = 1;
			continue;
		}
		if (kind == IFD_THUMB) {
			if (tag == 0x0201)
				thumb_off = value;
			else if (tag == 0x0202)
				thumb_len = value;
			continue;
		}
		if (tag == 0x8769) {
			walk(t, value, IFD_EXIF, depth + 1);
			continue;
		}
		if (tag == 0x8825) {
			walk(t, value, IFD_GPS, depth + 1);
			continue;
		}
		if (tag == 0xa005) {
			walk(t, value, IFD_INTEROP, depth + 1);
			continue;
		}
		if (kind == IFD_INTEROP)
			continue;
		int f = classify(tag);
		t->r->field_seen[f] = 1;
		if (tag == 0x0112 && kind == IFD_MAIN && type == 3) {
			uint32_t o = rd16(t, e + 8);
			if (o >= 1 && o <= 8)
				*t->orientation = (uint8_t)o;
		}
	}
	if (kind == IFD_THUMB && thumb_len > 0) {
		uint64_t end = (uint64_t)thumb_off + thumb_len;
		ferry_report_block(t->r, RB_THUMBNAIL,
		                   end <= t->len ? thumb_len : t->len - thumb_off);
	}
	if (kind == IFD_MAIN) {
		uint32_t next = rd32(t, off + 2 + (size_t)n * 12);
		if (next)
			walk(t, next, IFD_THUMB, depth + 1);
	}
}

void ferry_exif_scan(const uint8_t *p, size_t len, ferry_strip_report *r,
                     uint8_t *orientation)
{
	tiff t;
	memset(&t, 0, sizeof t);
	t.p = p;
	t.len = len;
	t.r = r;
	t.orientation = orientation;
	if (len < 8)
		return;
	if (p[0] == 'M' && p[1] == 'M')
		t.be = 1;
	else if (!(p[0] == 'I' && p[1] == 'I'))
		return;
	if (rd16(&t, 2) != 42)
		return;
	walk(&t, rd32(&t, 4), IFD_MAIN, 0);
	/* Orientation is carried as a manifest field, not reported as a
	 * removed leak; listing it would only be noise. */
	r->field_seen[RF_ORIENTATION] = 0;
}
