#include "utf8.h"

#include <stdio.h>
#include <string.h>

size_t ferry_utf8_next(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint8_t c = s[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xe0) == 0xc0) {
		len = 2;
		*cp = c & 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3;
		*cp = c & 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4;
		*cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		*cp = *cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 2 && *cp < 0x80) || (len == 3 && *cp < 0x800) ||
	    (len == 4 && *cp < 0x10000) || *cp > 0x10ffff ||
	    (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* Code points that reorder or hide text: the bidi embeddings, overrides
 * and isolates, and the marks that steer them. A file name made of them
 * can show "gpj.exe" as "exe.jpg". */
static int bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

const char *ferry_utf8_shown(char *out, size_t cap, const char *s)
{
	size_t o = 0, n = strlen(s);
	if (cap == 0)
		return "";
	for (size_t i = 0; i < n && o + 9 < cap;) {
		uint32_t cp = 0;
		size_t l = ferry_utf8_next((const uint8_t *)s + i, n - i, &cp);
		if (l == 0) { /* not UTF-8: the byte, escaped */
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x",
			                      (unsigned char)s[i]);
			i++;
			continue;
		}
		/* C0, DEL and C1 can move a terminal's cursor or rewrite its
		 * screen; a C1 character is shown by its code (\x9b). */
		if (ferry_is_control(cp))
			o += (size_t)snprintf(out + o, cap - o, "\\x%02x", (unsigned)cp);
		else if (bidi_control(cp))
			o += (size_t)snprintf(out + o, cap - o, "\\u%04x", (unsigned)cp);
		else {
			memcpy(out + o, s + i, l);
			o += l;
		}
		i += l;
	}
	out[o] = '\0';
	return out;
}

int ferry_is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0);
}

int ferry_text_check(const char *s, size_t n, unsigned allow)
{
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t l = ferry_utf8_next((const uint8_t *)s + i, n - i, &cp);
		if (l == 0)
			return FERRY_TEXT_NOT_UTF8;
		if (ferry_is_control(cp) && !(cp == '\t' && (allow & FERRY_TEXT_TAB)) &&
		    !(cp == '\n' && (allow & FERRY_TEXT_LINES)))
			return FERRY_TEXT_CONTROL;
		i += l;
	}
	return FERRY_TEXT_OK;
}
