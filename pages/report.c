/* Rendering what a sanitizer removed as one line of kinds and sizes,
 * never values. */
#include <stdio.h>
#include <string.h>

#include "report.h"

#include "../common/i18n.h"

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

/* The report is rendered twice: in English for the bundle's manifest
 * (the desk reads it, and a bundle must not tell the contact's
 * language), and in the reader's language for the contact's screen. */
typedef struct {
	char *p;
	size_t cap, len;
	const char *(*tr)(const char *);
} sbuf;

static const char *as_written(const char *s)
{
	return s;
}

static void sb_add(sbuf *s, const char *t)
{
	size_t l = strlen(t);
	if (s->len + l + 1 > s->cap)
		l = s->cap > s->len + 1 ? s->cap - s->len - 1 : 0;
	memcpy(s->p + s->len, t, l);
	s->len += l;
	s->p[s->len] = '\0';
}

static const char *FIELD_NAMES[RF_FIELD_COUNT] = {N_("GPS position"),
                                                  N_("capture time"),
                                                  N_("camera make/model"),
                                                  N_("serial number"),
                                                  N_("lens"),
                                                  N_("software version"),
                                                  N_("maker notes"),
                                                  N_("owner/artist/copyright"),
                                                  N_("unique image ID"),
                                                  N_("description/user comment"),
                                                  N_("orientation"),
                                                  N_("other camera settings")};

/* "; " between parts: s->len is 0 only before the first. */
static void part(sbuf *s)
{
	if (s->len)
		sb_add(s, "; ");
}

/* EXIF (JPEG APP1) or eXIf (PNG): the kinds of field inside, then size. */
static void render_exif(const ferry_strip_report *r, sbuf *s, int block,
                        const char *name)
{
	char tmp[96], sz[32];
	part(s);
	sb_add(s, s->tr(name));
	int any = 0;
	for (int f = 0; f < RF_FIELD_COUNT; f++) {
		if (!r->field_seen[f])
			continue;
		sb_add(s, any ? ", " : ": ");
		any = 1;
		sb_add(s, s->tr(FIELD_NAMES[f]));
	}
	size_text(sz, sizeof sz, r->block_bytes[block]);
	snprintf(tmp, sizeof tmp, " (%s)", sz);
	sb_add(s, tmp);
}

static void render_blocks(const ferry_strip_report *r, sbuf *s)
{
	static const struct {
		int b;
		const char *name;
	} blocks[] = {
	    {RB_THUMBNAIL, N_("thumbnail")},
	    {RB_XMP, N_("XMP")},
	    {RB_XMP_EXT, N_("extended XMP")},
	    {RB_ICC, N_("ICC profile")},
	    {RB_MPF, N_("MPF index")},
	    {RB_IPTC, N_("IPTC/Photoshop")},
	    {RB_ADOBE, N_("Adobe block")},
	    {RB_JFIF_THUMB, N_("JFIF thumbnail")},
	    {RB_FLASHPIX, N_("FlashPix")},
	    {RB_VENDOR_APP, N_("vendor blocks")},
	    {RB_COMMENT, N_("comment")},
	    {RB_PNG_TEXT, N_("text chunks")},
	    {RB_PNG_TIME, N_("modification time")},
	    {RB_PNG_ICC, N_("ICC profile")},
	    {RB_PNG_PHYS, N_("pixel density")},
	    {RB_PNG_COLOUR, N_("colour hints")},
	    {RB_PNG_ANIM, N_("animation frames")},
	    {RB_PNG_OTHER, N_("other chunks")},
	    {RB_STRAY, N_("stray bytes between segments")},
	};
	char tmp[96], sz[32];
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
		int b = blocks[i].b;
		if (!r->block_count[b])
			continue;
		part(s);
		size_text(sz, sizeof sz, r->block_bytes[b]);
		if (r->block_count[b] > 1)
			snprintf(tmp, sizeof tmp, "%s %s (%u)", s->tr(blocks[i].name), sz,
			         r->block_count[b]);
		else
			snprintf(tmp, sizeof tmp, "%s %s", s->tr(blocks[i].name), sz);
		sb_add(s, tmp);
	}
}

static void render_trailer(const ferry_strip_report *r, sbuf *s)
{
	static const struct {
		unsigned kind;
		const char *name;
	} kinds[] = {{TR_MOTION, N_("motion photo video")},
	             {TR_SEFT, N_("Samsung SEFT block")},
	             {TR_SECOND_IMAGE, N_("hidden second image")}};
	char tmp[96], sz[32];
	part(s);
	size_text(sz, sizeof sz, r->block_bytes[RB_TRAILER]);
	sb_add(s, s->tr("trailer"));
	snprintf(tmp, sizeof tmp, " %s (", sz);
	sb_add(s, tmp);
	int any = 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(r->trailer_kinds & kinds[i].kind))
			continue;
		sb_add(s, any ? ", " : "");
		sb_add(s, s->tr(kinds[i].name));
		any = 1;
	}
	if (!any)
		sb_add(s, s->tr("unknown data"));
	sb_add(s, ")");
}

static void render(const ferry_strip_report *r, char *out, size_t cap,
                   const char *(*tr)(const char *))
{
	sbuf s = {out, cap, 0, tr};
	out[0] = '\0';
	if (r->block_count[RB_EXIF])
		render_exif(r, &s, RB_EXIF, "EXIF");
	if (r->block_count[RB_PNG_EXIF])
		render_exif(r, &s, RB_PNG_EXIF, "eXIf");
	render_blocks(r, &s);
	if (r->block_count[RB_TRAILER])
		render_trailer(r, &s);
	if (!s.len)
		sb_add(&s, tr("no metadata found"));
}

void ferry_report_render(const ferry_strip_report *r, char *out, size_t cap)
{
	render(r, out, cap, as_written);
}

void ferry_report_render_shown(const ferry_strip_report *r, char *out, size_t cap)
{
	render(r, out, cap, ferry_tr);
}
