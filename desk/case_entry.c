#include "case_entry.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../crypto/bundle.h"

static const char HEAD_CASE[] = "ferry case\n";
static const char HEAD_KEYS[] = "ferry keys destroyed\n";

int ferry_answered_twice_text(char *out, size_t cap, const char *form,
                              const char *first_case, const char *this_case)
{
	int n = snprintf(
	    out, cap,
	    "answered-twice: WARNING: form %s was answered more than once (cases/%s first, cases/%s now); one of them may have been sealed by someone who saw or seized the form: compare them before trusting either\n",
	    form, first_case, this_case);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int write_case(const ferry_case_entry *c, ferry_membuf *out)
{
	char when[21], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1];
	char seenhex[2 * FERRY_SEEN_LEN + 1], text[1800], twice[600] = "";
	int testimony = c->kind == FERRY_ENTRY_TESTIMONY;
	ferry_iso_time(when, c->at);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	sodium_bin2hex(seenhex, sizeof seenhex, c->seen, FERRY_SEEN_LEN);
	if (testimony && c->answer > 1 &&
	    ferry_answered_twice_text(twice, sizeof twice, c->form, c->first_case,
	                              c->case_name) != 0)
		return -1;
	int n = snprintf(
	    text, sizeof text,
	    "%skind: %s\nopened: %s\nopened-unix: %llu\npack: %s\npack-id: %s\nform: %s\nform-index: %ld\nanswer: %u\n%sseen: %s\ncase: cases/%s\nbundle-bytes: %llu\nitems:\n",
	    HEAD_CASE, testimony ? "testimony" : "walk-in", when,
	    (unsigned long long)c->at, sn, packhex, testimony ? c->form : "-",
	    testimony ? (long)c->form_index : -1L, testimony ? c->answer : 0, twice,
	    seenhex, c->case_name, (unsigned long long)c->bundle_bytes);
	if (n < 0 || (size_t)n >= sizeof text)
		return -1;
	return ferry_membuf_write(out, (const uint8_t *)text, (size_t)n);
}

static int write_keys(const ferry_case_entry *c, ferry_membuf *out)
{
	char when[21], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1], day[11], text[1200];
	int form = c->kind == FERRY_ENTRY_KEY_DESTROYED;
	ferry_iso_time(when, c->at);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	ferry_day_text(day, c->expires_day);
	int n =
	    form
	        ? snprintf(
	              text, sizeof text,
	              "%skind: key-destroyed\ndestroyed: %s\ndestroyed-unix: %llu\npack: %s\npack-id: %s\nform: %s\nform-index: %lu\nreason: the form's one-time key is destroyed: its grace period of %u days after its first testimony is over\n",
	              HEAD_KEYS, when, (unsigned long long)c->at, sn, packhex, c->form,
	              (unsigned long)c->form_index, c->grace_days)
	        : snprintf(
	              text, sizeof text,
	              "%skind: pack-expired\ndestroyed: %s\ndestroyed-unix: %llu\npack: %s\npack-id: %s\nreason: the pack expired on %s and its grace period of %u days is over: its pack key and every one-time key left are destroyed\n",
	              HEAD_KEYS, when, (unsigned long long)c->at, sn, packhex, day,
	              c->grace_days);
	if (n < 0 || (size_t)n >= sizeof text)
		return -1;
	return ferry_membuf_write(out, (const uint8_t *)text, (size_t)n);
}

int ferry_case_entry_write(const ferry_case_entry *c, ferry_membuf *out)
{
	switch (c->kind) {
	case FERRY_ENTRY_TESTIMONY:
	case FERRY_ENTRY_WALKIN: return write_case(c, out);
	case FERRY_ENTRY_KEY_DESTROYED:
	case FERRY_ENTRY_PACK_EXPIRED: return write_keys(c, out);
	default: return -1;
	}
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

static int is_value(const char *v, const char *want)
{
	size_t n = strlen(want);
	return v && !strncmp(v, want, n) && v[n] == '\n';
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
	return ferry_fail(e, FERRY_EVERIFY, "an entry in the log has no valid %s",
	                  what);
}

static int parse_kind(ferry_case_entry *c, const char *text)
{
	const char *kind = field(text, "kind");
	if (!strncmp(text, HEAD_CASE, sizeof HEAD_CASE - 1))
		c->kind = is_value(kind, "testimony") ? FERRY_ENTRY_TESTIMONY
		          : is_value(kind, "walk-in") ? FERRY_ENTRY_WALKIN
		                                      : 0;
	else if (!strncmp(text, HEAD_KEYS, sizeof HEAD_KEYS - 1))
		c->kind = is_value(kind, "key-destroyed")  ? FERRY_ENTRY_KEY_DESTROYED
		          : is_value(kind, "pack-expired") ? FERRY_ENTRY_PACK_EXPIRED
		                                           : 0;
	return c->kind ? 0 : -1;
}

static int parse_number(const char *v, uint64_t max, uint64_t *out)
{
	char *end = NULL;
	if (!v || *v < '0' || *v > '9')
		return -1;
	unsigned long long n = strtoull(v, &end, 10);
	if (!end || *end != '\n' || n > max)
		return -1;
	*out = n;
	return 0;
}

int ferry_case_entry_parse(ferry_case_entry *c, const char *text, ferry_err *e)
{
	uint64_t n = 0;
	memset(c, 0, sizeof *c);
	c->form_index = FERRY_NO_FORM;
	if (parse_kind(c, text) != 0)
		return bad_entry(e, "kind");
	if (hex_field(c->pack_id, sizeof c->pack_id, text, "pack-id") != 0)
		return bad_entry(e, "pack-id");
	int is_case = c->kind <= FERRY_ENTRY_WALKIN;
	if (parse_number(field(text, is_case ? "opened-unix" : "destroyed-unix"),
	                 UINT64_MAX, &c->at) != 0)
		return bad_entry(e, "time");
	if (is_case && hex_field(c->seen, sizeof c->seen, text, "seen") != 0)
		return bad_entry(e, "seen");
	if (c->kind == FERRY_ENTRY_TESTIMONY || c->kind == FERRY_ENTRY_KEY_DESTROYED) {
		if (parse_number(field(text, "form-index"), FERRY_FORMS_MAX - 1, &n) !=
		    0)
			return bad_entry(e, "form-index");
		c->form_index = (uint32_t)n;
	}
	return FERRY_OK;
}
