#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "sanitize_report.h"

ssize_t ferry_read_fd(void *fdp, uint8_t *buf, size_t cap)
{
	int fd = *(int *)fdp;
	for (;;) {
		ssize_t r = read(fd, buf, cap);
		if (r < 0 && errno == EINTR)
			continue;
		return r;
	}
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

static int has_n(const uint8_t *h, size_t n, size_t off, const char *s, size_t l)
{
	return n >= off + l && memcmp(h + off, s, l) == 0;
}

/* Signatures hold NUL bytes, so their length comes from the literal. */
#define has(h, n, off, lit) has_n(h, n, off, lit, sizeof(lit) - 1)

int ferry_page_identify(const uint8_t *h, size_t n, const char **name)
{
	*name = NULL;
	if (n >= 3 && h[0] == 0xff && h[1] == 0xd8 && h[2] == 0xff)
		return FERRY_PAGE_JPEG;
	if (has(h, n, 0, "\x89PNG\r\n\x1a\n"))
		return FERRY_PAGE_PNG;
	if (has(h, n, 4, "ftyp")) {
		if (has(h, n, 8, "heic") || has(h, n, 8, "heix") ||
		    has(h, n, 8, "mif1") || has(h, n, 8, "msf1") ||
		    has(h, n, 8, "hevc") || has(h, n, 8, "heim") ||
		    has(h, n, 8, "heis"))
			*name = "HEIC/HEIF";
		else if (has(h, n, 8, "avif") || has(h, n, 8, "avis"))
			*name = "AVIF";
		else if (has(h, n, 8, "qt  "))
			*name = "QuickTime video";
		else
			*name = "MP4 video";
	} else if (has(h, n, 0, "II*\0") || has(h, n, 0, "MM\0*")) {
		*name = "TIFF (or camera raw)";
	} else if (has(h, n, 0, "RIFF") && has(h, n, 8, "WEBP")) {
		*name = "WebP";
	} else if (has(h, n, 0, "GIF87a") || has(h, n, 0, "GIF89a")) {
		*name = "GIF";
	} else if (has(h, n, 0, "%PDF")) {
		*name = "PDF";
	} else if (has(h, n, 0, "BM")) {
		*name = "BMP";
	} else if (has(h, n, 0, "\xff\x0a") ||
	           has(h, n, 0, "\0\0\0\x0cJXL \r\n\x87\n")) {
		*name = "JPEG XL";
	} else if (has(h, n, 0, "\0\0\0\x0cjP  ")) {
		*name = "JPEG 2000";
	} else if (has(h, n, 0, "PK\x03\x04")) {
		*name = "ZIP archive (or office document)";
	} else if (has(h, n, 0, "8BPS")) {
		*name = "Photoshop document";
	}
	return FERRY_PAGE_OTHER;
}

const char *ferry_page_advice(const char *name)
{
	if (name && (!strcmp(name, "HEIC/HEIF") || !strcmp(name, "AVIF")))
		return "set the camera to JPEG (on iPhone: Settings > Camera > "
		       "Formats > Most Compatible), or convert the photo to JPEG "
		       "first";
	if (name && (strstr(name, "video") != NULL))
		return "photograph the page as a still photo (JPEG)";
	return "convert the page to JPEG or PNG first, or carry the file as it "
	       "is with --attach (its metadata is then NOT removed)";
}

void ferry_report_block(ferry_strip_report *r, int block, uint64_t bytes)
{
	r->block_bytes[block] += bytes;
	r->block_count[block]++;
}

static void size_text(char *out, size_t cap, uint64_t b)
{
	if (b < 1000)
		snprintf(out, cap, "%u B", (unsigned)b);
	else if (b < 1000000)
		snprintf(out, cap, "%u KB", (unsigned)((b + 500) / 1000));
	else
		snprintf(out, cap, "%.1f MB", (double)b / 1e6);
}

typedef struct {
	char *p;
	size_t cap, len;
} sbuf;

static void sb_add(sbuf *s, const char *t)
{
	size_t l = strlen(t);
	if (s->len + l + 1 > s->cap)
		l = s->cap > s->len + 1 ? s->cap - s->len - 1 : 0;
	memcpy(s->p + s->len, t, l);
	s->len += l;
	s->p[s->len] = '\0';
}

static const char *FIELD_NAMES[RF_FIELD_COUNT] = {"GPS position",
                                                  "capture time",
                                                  "camera make/model",
                                                  "serial number",
                                                  "lens",
                                                  "software version",
                                                  "maker notes",
                                                  "owner/artist/copyright",
                                                  "unique image ID",
                                                  "description/user comment",
                                                  "orientation",
                                                  "other camera settings"};

void ferry_report_render(const ferry_strip_report *r, char *out, size_t cap)
{
	sbuf s = {out, cap, 0};
	char tmp[96], sz[32];
	int first = 1;
	out[0] = '\0';
#define SEP()                                                                          \
	do {                                                                           \
		if (!first)                                                            \
			sb_add(&s, "; ");                                              \
		first = 0;                                                             \
	} while (0)
	if (r->block_count[RB_EXIF]) {
		SEP();
		sb_add(&s, "EXIF");
		int any = 0;
		for (int f = 0; f < RF_FIELD_COUNT; f++) {
			if (!r->field_seen[f])
				continue;
			sb_add(&s, any ? ", " : ": ");
			any = 1;
			sb_add(&s, FIELD_NAMES[f]);
		}
		size_text(sz, sizeof sz, r->block_bytes[RB_EXIF]);
		snprintf(tmp, sizeof tmp, " (%s)", sz);
		sb_add(&s, tmp);
	}
	static const struct {
		int b;
		const char *name;
	} blocks[] = {
	    {RB_THUMBNAIL, "thumbnail"},     {RB_XMP, "XMP"},
	    {RB_XMP_EXT, "extended XMP"},    {RB_ICC, "ICC profile"},
	    {RB_MPF, "MPF index"},           {RB_IPTC, "IPTC/Photoshop"},
	    {RB_ADOBE, "Adobe block"},       {RB_JFIF_THUMB, "JFIF thumbnail"},
	    {RB_FLASHPIX, "FlashPix"},       {RB_VENDOR_APP, "vendor blocks"},
	    {RB_COMMENT, "comment"},         {RB_PNG_TEXT, "text chunks"},
	    {RB_PNG_EXIF, "eXIf"},           {RB_PNG_TIME, "modification time"},
	    {RB_PNG_ICC, "ICC profile"},     {RB_PNG_PHYS, "pixel density"},
	    {RB_PNG_COLOUR, "colour hints"}, {RB_PNG_ANIM, "animation frames"},
	    {RB_PNG_OTHER, "other chunks"},
	};
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		int b = blocks[i].b;
		if (!r->block_count[b])
			continue;
		SEP();
		size_text(sz, sizeof sz, r->block_bytes[b]);
		if (r->block_count[b] > 1)
			snprintf(tmp, sizeof tmp, "%s %s (%u)", blocks[i].name, sz,
			         r->block_count[b]);
		else
			snprintf(tmp, sizeof tmp, "%s %s", blocks[i].name, sz);
		sb_add(&s, tmp);
	}
	if (r->block_count[RB_TRAILER]) {
		SEP();
		size_text(sz, sizeof sz, r->block_bytes[RB_TRAILER]);
		snprintf(tmp, sizeof tmp, "trailer %s (", sz);
		sb_add(&s, tmp);
		int any = 0;
		if (r->trailer_kinds & TR_MOTION) {
			sb_add(&s, "motion photo video");
			any = 1;
		}
		if (r->trailer_kinds & TR_SEFT) {
			sb_add(&s, any ? ", " : "");
			sb_add(&s, "Samsung SEFT block");
			any = 1;
		}
		if (r->trailer_kinds & TR_SECOND_IMAGE) {
			sb_add(&s, any ? ", " : "");
			sb_add(&s, "hidden second image");
			any = 1;
		}
		if (!any)
			sb_add(&s, "unknown data");
		sb_add(&s, ")");
	}
	if (first)
		sb_add(&s, "no metadata found");
#undef SEP
}
