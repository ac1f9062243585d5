/* Identifying a page by its first bytes, never by its name, and the
 * advice given when it is not a JPEG or PNG. */
#include <stdio.h>
#include <string.h>

#include "sanitize.h"

#include "../common/i18n.h"

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
			*name = N_("HEIC/HEIF");
		else if (has(h, n, 8, "avif") || has(h, n, 8, "avis"))
			*name = N_("AVIF");
		else if (has(h, n, 8, "qt  "))
			*name = N_("QuickTime video");
		else
			*name = N_("MP4 video");
	} else if (has(h, n, 0, "II*\0") || has(h, n, 0, "MM\0*")) {
		*name = N_("TIFF (or camera raw)");
	} else if (has(h, n, 0, "II+\0") || has(h, n, 0, "MM\0+")) {
		*name = N_("BigTIFF (or camera raw)");
	} else if (has(h, n, 0, "IIU\0")) {
		*name = N_("Panasonic RW2 camera raw");
	} else if (has(h, n, 0, "RIFF") && has(h, n, 8, "WEBP")) {
		*name = N_("WebP");
	} else if (has(h, n, 0, "GIF87a") || has(h, n, 0, "GIF89a")) {
		*name = N_("GIF");
	} else if (has(h, n, 0, "%PDF")) {
		*name = N_("PDF");
	} else if (has(h, n, 0, "BM")) {
		*name = N_("BMP");
	} else if (has(h, n, 0, "\xff\x0a") ||
	           has(h, n, 0, "\0\0\0\x0cJXL \r\n\x87\n")) {
		*name = N_("JPEG XL");
	} else if (has(h, n, 0, "\0\0\0\x0cjP  ")) {
		*name = N_("JPEG 2000");
	} else if (has(h, n, 0, "PK\x03\x04")) {
		*name = N_("ZIP archive (or office document)");
	} else if (has(h, n, 0, "8BPS")) {
		*name = N_("Photoshop document");
	}
	return FERRY_PAGE_OTHER;
}

const char *ferry_page_article(const char *name)
{
	/* By sound: "an AVIF", "an MP4 video", "a HEIC/HEIF", "a TIFF". */
	static const char *an[] = {"AVIF", "MP4 video"};
	for (size_t i = 0; name && i < sizeof an / sizeof an[0]; i++)
		if (!strcmp(name, an[i]))
			return "an";
	return "a";
}

const char *ferry_page_advice(const char *name)
{
	if (name && (!strcmp(name, "HEIC/HEIF") || !strcmp(name, "AVIF")))
		return N_("set the camera to JPEG (on iPhone: Settings > Camera > Formats > Most Compatible), or convert the photo to JPEG first");
	if (name && (strstr(name, "video") != NULL))
		return N_("photograph the page as a still photo (JPEG)");
	return N_("convert the page to JPEG or PNG first, or carry the file as it is with --attach (its metadata is then NOT removed)");
}
