/* Internal: collects what a sanitizer removed and renders the report. */
#ifndef FERRY_PAGES_REPORT_H
#define FERRY_PAGES_REPORT_H

#include <stddef.h>
#include <stdint.h>

enum {
	RF_GPS,
	RF_TIME,
	RF_MAKE_MODEL,
	RF_SERIAL,
	RF_LENS,
	RF_SOFTWARE,
	RF_MAKERNOTE,
	RF_OWNER,
	RF_UNIQUE_ID,
	RF_DESCRIPTION,
	RF_ORIENTATION,
	RF_OTHER_EXIF,
	RF_FIELD_COUNT
};

enum {
	RB_EXIF,
	RB_THUMBNAIL,
	RB_XMP,
	RB_XMP_EXT,
	RB_ICC,
	RB_MPF,
	RB_IPTC,
	RB_ADOBE,
	RB_JFIF_THUMB,
	RB_FLASHPIX,
	RB_VENDOR_APP,
	RB_COMMENT,
	RB_PNG_TEXT,
	RB_PNG_EXIF,
	RB_PNG_TIME,
	RB_PNG_ICC,
	RB_PNG_PHYS,
	RB_PNG_COLOUR,
	RB_PNG_OTHER,
	RB_PNG_ANIM,
	RB_TRAILER,
	RB_STRAY, /* bytes between JPEG segments, skipped as libjpeg does */
	RB_COUNT
};

enum { TR_MOTION = 1, TR_SEFT = 2, TR_SECOND_IMAGE = 4, TR_UNKNOWN = 8 };

typedef struct {
	unsigned field_seen[RF_FIELD_COUNT];
	uint64_t block_bytes[RB_COUNT];
	unsigned block_count[RB_COUNT];
	unsigned trailer_kinds;
} ferry_strip_report;

void ferry_report_block(ferry_strip_report *r, int block, uint64_t bytes);
/* Renders the report as one line into out, in English: the bundle's
 * manifest carries this one. */
void ferry_report_render(const ferry_strip_report *r, char *out, size_t cap);
/* The same line in the reader's language (common/i18n.h), for display. */
void ferry_report_render_shown(const ferry_strip_report *r, char *out, size_t cap);

/* Parses an EXIF APP1 payload (after "Exif\0\0") for the report and the
 * orientation. Never fails: malformed EXIF is still dropped whole. */
void ferry_exif_scan(const uint8_t *tiff, size_t len, ferry_strip_report *r,
                     uint8_t *orientation);

#endif
