#include "case_entry.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../crypto/bundle.h"

static const char HEAD[] = "ferry case\n";

int ferry_case_entry_write(const ferry_case_entry *c, ferry_membuf *out)
{
	char when[32], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1];
	char seenhex[2 * FERRY_SEEN_LEN + 1], text[1200];
	struct tm tm;
	time_t t = (time_t)c->opened;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	sodium_bin2hex(seenhex, sizeof seenhex, c->seen, FERRY_SEEN_LEN);
	int n = snprintf(
	    text, sizeof text,
	    "%skind: %s\nopened: %s\nopened-unix: %llu\npack: %s\npack-id: %s\nform: %s\nform-index: %ld\nseen: %s\ncase: cases/%s\nbundle-bytes: %llu\nitems:\n",
	    HEAD, c->testimony ? "testimony" : "walk-in", when,
	    (unsigned long long)c->opened, sn, packhex, c->testimony ? c->form : "-",
	    c->testimony ? (long)c->form_index : -1L, seenhex, c->case_name,
	    (unsigned long long)c->bundle_bytes);
	if (n < 0 || (size_t)n >= sizeof text)
		return -1;
	return ferry_membuf_write(out, (const uint8_t *)text, (size_t)n);
}

/* The value of "key: value" on a line of its own, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, key, kl) && l[kl] == ':' && l[kl + 1] == ' ')
			return l + kl + 2;
	return NULL;
}

static int hex_field(uint8_t *out, size_t n, const char *text, const char *key)
{
	const char *v = field(text, key);
	size_t bin = 0;
	if (!v || sodium_hex2bin(out, n, v, 2 * n, NULL, &bin, NULL) != 0 || bin != n)
		return -1;
	return 0;
}

static int bad_entry(ferry_err *e, const char *what)
{
	return ferry_fail(e, FERRY_EVERIFY, "a case entry in the log has no valid %s",
	                  what);
}

int ferry_case_entry_parse(ferry_case_entry *c, const char *text, ferry_err *e)
{
	memset(c, 0, sizeof *c);
	c->form_index = FERRY_NO_FORM;
	const char *kind = field(text, "kind");
	if (strncmp(text, HEAD, sizeof HEAD - 1) != 0 || !kind)
		return bad_entry(e, "kind");
	c->testimony = !strncmp(kind, "testimony\n", 10);
	if (!c->testimony && strncmp(kind, "walk-in\n", 8) != 0)
		return bad_entry(e, "kind");
	if (hex_field(c->pack_id, sizeof c->pack_id, text, "pack-id") != 0)
		return bad_entry(e, "pack-id");
	if (hex_field(c->seen, sizeof c->seen, text, "seen") != 0)
		return bad_entry(e, "seen");
	const char *when = field(text, "opened-unix");
	c->opened = when ? strtoull(when, NULL, 10) : (uint64_t)time(NULL);
	if (c->testimony) {
		const char *fi = field(text, "form-index");
		char *end = NULL;
		long f = fi ? strtol(fi, &end, 10) : -1;
		if (f < 0 || f >= FERRY_FORMS_MAX || !end || *end != '\n')
			return bad_entry(e, "form-index");
		c->form_index = (uint32_t)f;
	}
	return FERRY_OK;
}
