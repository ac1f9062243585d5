#include "case_entry.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/clock.h"
#include "../common/fields.h"
#include "../common/utf8.h"
#include "../crypto/bundle.h"

static const char HEAD_CASE[] = "ferry case\n";
static const char HEAD_KEYS[] = "ferry keys destroyed\n";
static const char HEAD_REVOKED[] = "ferry pack revoked\n";
static const char HEAD_NOTE[] = "ferry note\n";

int ferry_text_ok(const char *s, size_t n, int multiline)
{
	return ferry_text_check(s, n, FERRY_TEXT_TAB | (multiline ? FERRY_TEXT_LINES : 0)) ==
	       FERRY_TEXT_OK;
}

int ferry_answered_twice_text(char *out, size_t cap, const char *form,
                              const char *first_case, const char *this_case)
{
	int n = snprintf(
	    out, cap,
	    "answered-twice: WARNING: form %s was answered more than once (cases/%s first, cases/%s now); one of them may have been sealed by someone who saw or seized the form: compare them before trusting either\n",
	    form, first_case, this_case);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

const char *ferry_sealed_with_name(int sealed_with)
{
	switch (sealed_with) {
	case FERRY_SEALED_PACK: return "pack";
	case FERRY_SEALED_CODE: return "code";
	case FERRY_SEALED_WRONG_WORD: return "wrong-word";
	default: return NULL;
	}
}

/* The sealed-with field and, when the bundle is not a pack holder's,
 * the warning that says what that means. */
static int sealed_text(char *out, size_t cap, const ferry_case_entry *c)
{
	const char *name = ferry_sealed_with_name(c->sealed_with);
	const char *warn = "";
	out[0] = '\0';
	if (!name)
		return 0;
	if (c->sealed_with == FERRY_SEALED_CODE)
		warn = "code-only: WARNING: sealed with the form's seal code alone, without the pack word: anyone who saw or photographed the form could have made it\n";
	else if (c->sealed_with == FERRY_SEALED_WRONG_WORD)
		warn = "wrong-word: WARNING: sealed with a WRONG pack word: a typo by the contact, or someone guessing the word; treat it as sealed with the form's code alone\n";
	int n = snprintf(out, cap, "sealed-with: %s\n%s%s", name, warn,
	                 c->admitted ? "admitted: opened from quarantine on the journalist's decision\n" : "");
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* A field too long for the entry is the caller's: every field is bounded
 * before it gets here. */
static int too_long(const char *what, ferry_err *e)
{
	return ferry_fail(e, FERRY_EUSAGE, "the %s does not fit in a log entry", what);
}

/* FERRY_OK when snprintf's n fit in cap. */
static int fits(int n, size_t cap, const char *what, ferry_err *e)
{
	return n >= 0 && (size_t)n < cap ? FERRY_OK : too_long(what, e);
}

static int put(ferry_membuf *out, const char *p, size_t n, ferry_err *e)
{
	return ferry_membuf_write(out, (const uint8_t *)p, n) == 0
	           ? FERRY_OK
	           : ferry_fail(e, FERRY_EOP, "out of memory");
}

static int write_case(const ferry_case_entry *c, ferry_membuf *out, ferry_err *e)
{
	char when[21], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1];
	char seenhex[2 * FERRY_SEEN_LEN + 1], text[2800], twice[600] = "";
	char revoked[700] = "", sealed[400], same[200] = "";
	int testimony = c->kind == FERRY_ENTRY_TESTIMONY;
	ferry_iso_time(when, c->at);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	sodium_bin2hex(seenhex, sizeof seenhex, c->seen, FERRY_SEEN_LEN);
	if (testimony && c->answer > 1 &&
	    ferry_answered_twice_text(twice, sizeof twice, c->form, c->first_case,
	                              c->case_name) != 0)
		return too_long("answered-twice warning", e);
	if (sealed_text(sealed, sizeof sealed, c) != 0)
		return too_long("sealed-with field", e);
	if (c->same_pages[0] &&
	    fits(snprintf(same, sizeof same,
	                  "same-pages: cases/%s (the same pages as that case: probably sent twice by the contact)\n",
	                  c->same_pages),
	         sizeof same, "same-pages field", e) != FERRY_OK)
		return FERRY_EUSAGE;
	if (c->revoked_at) {
		char day[21];
		ferry_iso_time(day, c->revoked_at);
		int m = snprintf(
		    revoked, sizeof revoked,
		    "revoked-pack: WARNING: pack %s was revoked at %s (%s): it may be in other hands, so this bundle may be forged: do not trust it without other evidence\n",
		    sn, day, c->reason);
		if (fits(m, sizeof revoked, "revocation warning", e) != FERRY_OK)
			return FERRY_EUSAGE;
	}
	int n = snprintf(
	    text, sizeof text,
	    "%skind: %s\nopened: %s\nopened-unix: %llu\npack: %s\npack-id: %s\nform: %s\nform-index: %ld\nanswer: %u\n%s%s%s%sseen: %s\ncase: cases/%s\nbundle-bytes: %llu\nitems:\n",
	    HEAD_CASE, testimony ? "testimony" : "walk-in", when,
	    (unsigned long long)c->at, sn, packhex, testimony ? c->form : "-",
	    testimony ? (long)c->form_index : -1L, testimony ? c->answer : 0, sealed,
	    twice, same, revoked, seenhex, c->case_name,
	    (unsigned long long)c->bundle_bytes);
	if (fits(n, sizeof text, "entry", e) != FERRY_OK)
		return FERRY_EUSAGE;
	return put(out, text, (size_t)n, e);
}

static int write_keys(const ferry_case_entry *c, ferry_membuf *out, ferry_err *e)
{
	char when[21], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1], day[11], text[1200];
	int form = c->kind == FERRY_ENTRY_KEY_DESTROYED;
	int retired = c->kind == FERRY_ENTRY_PACK_RETIRED;
	ferry_iso_time(when, c->at);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	ferry_day_text(day, c->expires_day);
	int n =
	    retired
	        ? snprintf(
	              text, sizeof text,
	              "%skind: pack-retired\ndestroyed: %s\ndestroyed-unix: %llu\npack: %s\npack-id: %s\nreason: the journalist retired the pack: its pack key and every one-time key left are destroyed, so no later bundle for it can be opened\n",
	              HEAD_KEYS, when, (unsigned long long)c->at, sn, packhex)
	    : form
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
	if (fits(n, sizeof text, "entry", e) != FERRY_OK)
		return FERRY_EUSAGE;
	return put(out, text, (size_t)n, e);
}

static int write_revoked(const ferry_case_entry *c, ferry_membuf *out, ferry_err *e)
{
	char when[21], sn[5], packhex[2 * FERRY_PACK_ID_LEN + 1], text[1000];
	if (!ferry_text_ok(c->reason, strlen(c->reason), 0))
		return ferry_fail(e, FERRY_EUSAGE,
		                  "the reason must be one line of UTF-8 text without control characters");
	ferry_iso_time(when, c->at);
	ferry_pack_short(sn, c->pack_id);
	sodium_bin2hex(packhex, sizeof packhex, c->pack_id, FERRY_PACK_ID_LEN);
	int n = snprintf(
	    text, sizeof text,
	    "%skind: pack-revoked\nrevoked: %s\nrevoked-unix: %llu\npack: %s\npack-id: %s\nreason: %s\n",
	    HEAD_REVOKED, when, (unsigned long long)c->at, sn, packhex, c->reason);
	if (fits(n, sizeof text, "entry", e) != FERRY_OK)
		return FERRY_EUSAGE;
	return put(out, text, (size_t)n, e);
}

/* Each line of the note indented by two spaces, so no line of it can
 * pass for one of the entry's own fields. */
static int write_note(const ferry_case_entry *c, ferry_membuf *out, ferry_err *e)
{
	char when[21], text[600];
	size_t len = strlen(c->note);
	if (!ferry_text_ok(c->note, len, 1))
		return ferry_fail(e, FERRY_EUSAGE,
		                  "the note must be UTF-8 text without control characters other than tab and line feed");
	ferry_iso_time(when, c->at);
	int n = snprintf(
	    text, sizeof text,
	    "%skind: note\nwritten: %s\nwritten-unix: %llu\ncase: cases/%s\ntext:\n",
	    HEAD_NOTE, when, (unsigned long long)c->at, c->case_name);
	if (fits(n, sizeof text, "note's heading", e) != FERRY_OK)
		return FERRY_EUSAGE;
	if (put(out, text, (size_t)n, e) != FERRY_OK)
		return FERRY_EOP;
	for (const char *l = c->note; *l;) {
		const char *nl = strchr(l, '\n');
		size_t ll = nl ? (size_t)(nl - l) : strlen(l);
		if (put(out, "  ", 2, e) != FERRY_OK || put(out, l, ll, e) != FERRY_OK ||
		    put(out, "\n", 1, e) != FERRY_OK)
			return FERRY_EOP;
		l += ll + (nl ? 1 : 0);
	}
	return FERRY_OK;
}

int ferry_note_text(const char *entry, ferry_membuf *out, ferry_err *e)
{
	const char *t = strstr(entry, "\ntext:\n");
	if (!t)
		return ferry_fail(e, FERRY_EVERIFY, "a note in the log has no 'text:' line");
	if (put(out, "", 0, e) != FERRY_OK)
		return FERRY_EOP; /* out is a string even for a note of no lines */
	for (const char *l = t + 7; *l;) {
		const char *nl = strchr(l, '\n');
		size_t ll = nl ? (size_t)(nl - l) : strlen(l);
		if (ll < 2 || l[0] != ' ' || l[1] != ' ')
			return ferry_fail(e, FERRY_EVERIFY,
			                  "a line of a note in the log is not indented by two spaces");
		if (put(out, l + 2, ll - 2, e) != FERRY_OK || put(out, "\n", 1, e) != FERRY_OK)
			return FERRY_EOP;
		l += ll + (nl ? 1 : 0);
	}
	return FERRY_OK;
}

int ferry_case_entry_write(const ferry_case_entry *c, ferry_membuf *out, ferry_err *e)
{
	switch (c->kind) {
	case FERRY_ENTRY_TESTIMONY:
	case FERRY_ENTRY_WALKIN: return write_case(c, out, e);
	case FERRY_ENTRY_KEY_DESTROYED:
	case FERRY_ENTRY_PACK_EXPIRED:
	case FERRY_ENTRY_PACK_RETIRED: return write_keys(c, out, e);
	case FERRY_ENTRY_PACK_REVOKED: return write_revoked(c, out, e);
	case FERRY_ENTRY_NOTE: return write_note(c, out, e);
	default: return ferry_fail(e, FERRY_EUSAGE, "no log entry has kind %d", (int)c->kind);
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
		          : is_value(kind, "pack-retired") ? FERRY_ENTRY_PACK_RETIRED
		                                           : 0;
	else if (!strncmp(text, HEAD_REVOKED, sizeof HEAD_REVOKED - 1))
		c->kind = is_value(kind, "pack-revoked") ? FERRY_ENTRY_PACK_REVOKED : 0;
	else if (!strncmp(text, HEAD_NOTE, sizeof HEAD_NOTE - 1))
		c->kind = is_value(kind, "note") ? FERRY_ENTRY_NOTE : 0;
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

/* "cases/NAME\n" (or, for same-pages, "cases/NAME (...)\n"): NAME into
 * out. */
static int case_name_field(char out[FERRY_CASE_NAME_MAX], const char *text,
                           const char *key)
{
	const char *v = field(text, key);
	if (!v || strncmp(v, "cases/", 6) != 0)
		return -1;
	v += 6;
	const char *nl = strchr(v, '\n');
	size_t n = nl ? strcspn(v, " \n") : 0;
	if (n == 0 || n >= FERRY_CASE_NAME_MAX || memchr(v, '/', n))
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

/* A one-line value into out (cap bytes with its NUL). */
static int line_field(char *out, size_t cap, const char *text, const char *key)
{
	const char *v = field(text, key);
	const char *nl = v ? strchr(v, '\n') : NULL;
	size_t n = nl ? (size_t)(nl - v) : 0;
	if (!v || !nl || n >= cap)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

static const char *time_key(int kind)
{
	switch (kind) {
	case FERRY_ENTRY_TESTIMONY:
	case FERRY_ENTRY_WALKIN: return "opened-unix";
	case FERRY_ENTRY_PACK_REVOKED: return "revoked-unix";
	case FERRY_ENTRY_NOTE: return "written-unix";
	default: return "destroyed-unix";
	}
}

int ferry_case_entry_parse(ferry_case_entry *c, const char *text, ferry_err *e)
{
	uint64_t n = 0;
	memset(c, 0, sizeof *c);
	c->form_index = FERRY_NO_FORM;
	if (parse_kind(c, text) != 0)
		return bad_entry(e, "kind");
	int is_case = c->kind <= FERRY_ENTRY_WALKIN;
	if (c->kind != FERRY_ENTRY_NOTE &&
	    hex_field(c->pack_id, sizeof c->pack_id, text, "pack-id") != 0)
		return bad_entry(e, "pack-id");
	if (parse_number(field(text, time_key(c->kind)), UINT64_MAX, &c->at) != 0)
		return bad_entry(e, "time");
	if (is_case && hex_field(c->seen, sizeof c->seen, text, "seen") != 0)
		return bad_entry(e, "seen");
	if ((is_case || c->kind == FERRY_ENTRY_NOTE) &&
	    case_name_field(c->case_name, text, "case") != 0)
		return bad_entry(e, "case");
	if (c->kind == FERRY_ENTRY_TESTIMONY || c->kind == FERRY_ENTRY_KEY_DESTROYED) {
		if (parse_number(field(text, "form-index"), FERRY_FORMS_MAX - 1, &n) !=
		    0)
			return bad_entry(e, "form-index");
		c->form_index = (uint32_t)n;
	}
	if (c->kind == FERRY_ENTRY_TESTIMONY) {
		if (parse_number(field(text, "answer"), UINT32_MAX, &n) != 0)
			return bad_entry(e, "answer");
		c->answer = (unsigned)n;
		(void)line_field(c->form, sizeof c->form, text, "form");
	}
	if (c->kind == FERRY_ENTRY_PACK_REVOKED &&
	    (line_field(c->reason, sizeof c->reason, text, "reason") != 0 ||
	     !ferry_text_ok(c->reason, strlen(c->reason), 0)))
		return bad_entry(e, "reason");
	if (is_case && field(text, "same-pages") &&
	    case_name_field(c->same_pages, text, "same-pages") != 0)
		return bad_entry(e, "same-pages");
	if (is_case && field(text, "revoked-pack"))
		c->revoked_at = 1; /* the case says it came from a revoked pack */
	if (is_case && field(text, "sealed-with")) {
		char sw[16];
		if (line_field(sw, sizeof sw, text, "sealed-with") != 0)
			return bad_entry(e, "sealed-with");
		for (int k = FERRY_SEALED_PACK; k <= FERRY_SEALED_WRONG_WORD; k++)
			if (!strcmp(sw, ferry_sealed_with_name(k)))
				c->sealed_with = k;
		if (c->sealed_with == FERRY_SEALED_UNCHECKED)
			return bad_entry(e, "sealed-with");
		c->admitted = field(text, "admitted") != NULL;
	}
	return FERRY_OK;
}

static const char ITEM_HASH[] = " bytes blake2b-256:";
static const char ITEM_ORIENT[] = "; orientation ";
static const char ITEM_REPORT[] = "; removed by the sealer: ";

static int item_name_ok(const char *s, size_t n)
{
	return n <= FERRY_ITEM_NAME_MAX && ferry_field_plain_name(s, n);
}

int ferry_item_line_write(ferry_membuf *out, const ferry_item_line *it)
{
	char hex[2 * FERRY_HASH_LEN + 1], head[FERRY_ITEM_NAME_MAX + 160];
	if (!item_name_ok(it->name, strlen(it->name)))
		return -1;
	sodium_bin2hex(hex, sizeof hex, it->hash, sizeof it->hash);
	int n = snprintf(head, sizeof head, "  %s %llu%s%s", it->name,
	                 (unsigned long long)it->size, ITEM_HASH, hex);
	if (n < 0 || (size_t)n >= sizeof head)
		return -1;
	if (it->orientation &&
	    snprintf(head + n, sizeof head - (size_t)n, "%s%u", ITEM_ORIENT,
	             it->orientation) >= (int)(sizeof head - (size_t)n))
		return -1;
	if (ferry_membuf_puts(out, head) != 0 ||
	    (it->report && (ferry_membuf_puts(out, ITEM_REPORT) != 0 ||
	                    ferry_membuf_write(out, (const uint8_t *)it->report,
	                                       it->report_len) != 0)))
		return -1;
	return ferry_membuf_puts(out, "\n");
}

/* The decimal at *p, moving *p past it. */
static int item_decimal(const char **p, const char *end, uint64_t *v)
{
	size_t n = 0;
	while (*p + n < end && (*p)[n] >= '0' && (*p)[n] <= '9')
		n++;
	if (ferry_field_decimal(*p, n, v) != 0)
		return -1;
	*p += n;
	return 0;
}

static int starts(const char *p, const char *end, const char *s, size_t n)
{
	return (size_t)(end - p) >= n && memcmp(p, s, n) == 0;
}

int ferry_item_line_parse(ferry_item_line *it, const char *l, const char *end)
{
	memset(it, 0, sizeof *it);
	if (!starts(l, end, "  ", 2))
		return -1;
	const char *p = l + 2, *sp = memchr(p, ' ', (size_t)(end - p));
	if (!sp || !item_name_ok(p, (size_t)(sp - p)))
		return -1;
	memcpy(it->name, p, (size_t)(sp - p));
	p = sp + 1;
	if (item_decimal(&p, end, &it->size) != 0 ||
	    !starts(p, end, ITEM_HASH, sizeof ITEM_HASH - 1))
		return -1;
	p += sizeof ITEM_HASH - 1;
	if ((size_t)(end - p) < 2 * FERRY_HASH_LEN ||
	    ferry_field_hex(it->hash, sizeof it->hash, p, 2 * FERRY_HASH_LEN) != 0)
		return -1;
	p += 2 * FERRY_HASH_LEN;
	if (starts(p, end, ITEM_ORIENT, sizeof ITEM_ORIENT - 1)) {
		uint64_t o = 0;
		p += sizeof ITEM_ORIENT - 1;
		if (item_decimal(&p, end, &o) != 0 || o < 1 || o > 8)
			return -1;
		it->orientation = (unsigned)o;
	}
	if (starts(p, end, ITEM_REPORT, sizeof ITEM_REPORT - 1)) {
		it->report = p + sizeof ITEM_REPORT - 1;
		it->report_len = (size_t)(end - it->report);
		p = end;
	}
	return p == end ? 0 : -1;
}
