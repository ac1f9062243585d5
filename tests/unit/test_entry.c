/* store/case_entry: what open and expire log is what recovery reads. */
#include "../support/t.h"

#include "../../crypto/bundle.h"
#include "../../store/case_entry.h"

static void roundtrip(int kind, unsigned answer)
{
	ferry_case_entry c, d;
	ferry_membuf m = {0};
	ferry_err e;
	memset(&c, 0, sizeof c);
	c.kind = kind;
	c.at = 1764590000;
	randombytes_buf(c.pack_id, sizeof c.pack_id);
	randombytes_buf(c.seen, sizeof c.seen);
	c.form_index =
	    kind == FERRY_ENTRY_TESTIMONY || kind == FERRY_ENTRY_KEY_DESTROYED
	        ? 7
	        : FERRY_NO_FORM;
	snprintf(c.form, sizeof c.form, "ABCD-EFGH");
	snprintf(c.case_name, sizeof c.case_name,
	         answer > 1 ? "ABCD-EFGH.2" : "ABCD-EFGH");
	snprintf(c.first_case, sizeof c.first_case, "ABCD-EFGH");
	c.answer = answer;
	c.grace_days = 14;
	c.expires_day = 20500;
	assert_int_equal(ferry_case_entry_write(&c, &m, NULL), FERRY_OK);
	assert_int_equal(ferry_case_entry_parse(&d, (const char *)m.p, &e), FERRY_OK);
	assert_int_equal(d.kind, kind);
	assert_int_equal(d.at, c.at);
	assert_memory_equal(d.pack_id, c.pack_id, sizeof c.pack_id);
	assert_int_equal(d.form_index, c.form_index);
	if (kind <= FERRY_ENTRY_WALKIN)
		assert_memory_equal(d.seen, c.seen, sizeof c.seen);
	if (answer > 1)
		assert_non_null(strstr((char *)m.p, "answered-twice: WARNING"));
	/* Every field recovery needs is required: cut any line out. */
	for (char *l = (char *)m.p; *l; l = strchr(l, '\n') + 1) {
		char *end = strchr(l, '\n');
		if (!strncmp(l, "pack-id:", 8) || !strncmp(l, "seen:", 5) ||
		    !strncmp(l, "kind:", 5) || !strncmp(l, "form-index:", 11) ||
		    !strncmp(l, "opened-unix:", 12) ||
		    !strncmp(l, "destroyed-unix:", 15)) {
			if (kind > FERRY_ENTRY_WALKIN && !strncmp(l, "seen:", 5))
				continue;
			if ((kind == FERRY_ENTRY_WALKIN ||
			     kind == FERRY_ENTRY_PACK_EXPIRED) &&
			    !strncmp(l, "form-index:", 11))
				continue;
			ferry_membuf cut = {0};
			assert_int_equal(
			    ferry_membuf_write(&cut, m.p, (size_t)(l - (char *)m.p)),
			    0);
			assert_int_equal(ferry_membuf_puts(&cut, end + 1), 0);
			assert_int_equal(
			    ferry_case_entry_parse(&d, (const char *)cut.p, &e),
			    FERRY_EVERIFY);
			ferry_membuf_free(&cut);
		}
	}
	ferry_membuf_free(&m);
}

static void every_kind_roundtrips(void **s)
{
	(void)s;
	roundtrip(FERRY_ENTRY_TESTIMONY, 1);
	roundtrip(FERRY_ENTRY_TESTIMONY, 2);
	roundtrip(FERRY_ENTRY_WALKIN, 0);
	roundtrip(FERRY_ENTRY_KEY_DESTROYED, 0);
	roundtrip(FERRY_ENTRY_PACK_EXPIRED, 0);
}

static void malformed_refused(void **s)
{
	(void)s;
	ferry_case_entry d;
	ferry_err e;
	static const char *bad[] = {
	    "",
	    "hello\n",
	    "ferry case\nkind: testimonyX\n",
	    "ferry case\nkind: testimony\npack-id: 00\n",
	    "ferry case\nkind: walk-in\nopened-unix: 12x\npack-id: 0011223344556677\nseen: 00112233445566778899aabbccddeeff\n",
	    "ferry case\nkind: testimony\nopened-unix: 1\npack-id: 0011223344556677\nform-index: 1000\nseen: 00112233445566778899aabbccddeeff\n",
	    "ferry keys destroyed\nkind: testimony\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(ferry_case_entry_parse(&d, bad[i], &e), FERRY_EVERIFY);
}

/* Retirement, revocation and notes: written, read back, and a note's
 * lines cannot pose as the entry's own fields. */
static void new_kinds(void **state)
{
	(void)state;
	ferry_case_entry c, d;
	ferry_err e;
	for (int kind = FERRY_ENTRY_PACK_RETIRED; kind <= FERRY_ENTRY_NOTE; kind++) {
		ferry_membuf m = {0};
		memset(&c, 0, sizeof c);
		c.kind = kind;
		c.at = 1764590000;
		c.form_index = FERRY_NO_FORM;
		randombytes_buf(c.pack_id, sizeof c.pack_id);
		snprintf(c.reason, sizeof c.reason, "전화 압수: phone seized");
		snprintf(c.case_name, sizeof c.case_name, "ABCD-EFGH.2");
		c.note =
		    "line one\npack-id: 0000000000000000\n\tindented\nkind: testimony";
		assert_int_equal(ferry_case_entry_write(&c, &m, NULL), FERRY_OK);
		assert_int_equal(ferry_membuf_write(&m, (const uint8_t *)"", 1), 0);
		assert_int_equal(ferry_case_entry_parse(&d, (const char *)m.p, &e),
		                 FERRY_OK);
		assert_int_equal(d.kind, kind);
		assert_int_equal(d.at, c.at);
		if (kind != FERRY_ENTRY_NOTE)
			assert_memory_equal(d.pack_id, c.pack_id, sizeof c.pack_id);
		if (kind == FERRY_ENTRY_PACK_REVOKED)
			assert_string_equal(d.reason, c.reason);
		if (kind == FERRY_ENTRY_NOTE) {
			ferry_membuf t = {0};
			assert_string_equal(d.case_name, "ABCD-EFGH.2");
			assert_int_equal(ferry_note_text((const char *)m.p, &t, NULL), FERRY_OK);
			assert_int_equal(ferry_membuf_write(&t, (const uint8_t *)"", 1),
			                 0);
			assert_string_equal(
			    (const char *)t.p,
			    "line one\npack-id: 0000000000000000\n\tindented\nkind: testimony\n");
			ferry_membuf_free(&t);
		}
		ferry_membuf_free(&m);
	}
	/* A reason of two lines, or a note with a control character, is
	 * never written. */
	ferry_membuf m = {0};
	memset(&c, 0, sizeof c);
	c.kind = FERRY_ENTRY_PACK_REVOKED;
	snprintf(c.reason, sizeof c.reason, "a\nb");
	assert_int_equal(ferry_case_entry_write(&c, &m, &e), FERRY_EUSAGE);
	assert_non_null(strstr(e.msg, "reason must be one line"));
	c.kind = FERRY_ENTRY_NOTE;
	snprintf(c.case_name, sizeof c.case_name, "X");
	c.note = "bell\a";
	assert_int_equal(ferry_case_entry_write(&c, &m, &e), FERRY_EUSAGE);
	assert_non_null(strstr(e.msg, "note must be UTF-8 text"));
	/* Refused, not "out of memory": nothing was written. */
	assert_int_equal(m.len, 0);
	ferry_membuf_free(&m);
	assert_true(ferry_text_ok("tab\tok", 6, 0));
	assert_false(ferry_text_ok("nl\nno", 5, 0));
	assert_true(ferry_text_ok("nl\nok", 5, 1));
	assert_false(ferry_text_ok("\xc3\x28", 2, 1));
	assert_false(ferry_text_ok("\xc2\x85", 2, 1)); /* C1 control */
}

/* A manifest's item line: written and read back by one pair, and
 * anything else refused. */
static void item_lines_round_trip(void **state)
{
	(void)state;
	ferry_item_line a = {"page-01.jpg", 3960, {0}, 6, "EXIF: GPS position (1 KB)", 25}, b;
	ferry_membuf m = {0};
	for (int i = 0; i < 32; i++)
		a.hash[i] = (uint8_t)(i * 7);
	assert_int_equal(ferry_item_line_write(&m, &a), 0);
	assert_string_equal(
	    (char *)m.p,
	    "  page-01.jpg 3960 bytes blake2b-256:00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9; orientation 6; removed by the sealer: EXIF: GPS position (1 KB)\n");
	const char *l = (const char *)m.p;
	assert_int_equal(ferry_item_line_parse(&b, l, l + m.len - 1), 0);
	assert_string_equal(b.name, "page-01.jpg");
	assert_int_equal(b.size, 3960);
	assert_memory_equal(b.hash, a.hash, 32);
	assert_int_equal(b.orientation, 6);
	assert_int_equal(b.report_len, 25);
	assert_memory_equal(b.report, a.report, 25);
	ferry_membuf_free(&m);
	static const char *const bad[] = {
	    "page-01.jpg 1 bytes blake2b-256:" /* no indent */,
	    "  ../x 1 bytes blake2b-256:0000000000000000000000000000000000000000000000000000000000000000",
	    "  a 01 bytes blake2b-256:0000000000000000000000000000000000000000000000000000000000000000",
	    "  a 1 bytes blake2b-256:000000000000000000000000000000000000000000000000000000000000000",
	    "  a 1 bytes blake2b-256:000000000000000000000000000000000000000000000000000000000000000A",
	    "  a 1 bytes blake2b-256:0000000000000000000000000000000000000000000000000000000000000000; orientation 9",
	    "  a 1 bytes blake2b-256:0000000000000000000000000000000000000000000000000000000000000000 trailing",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_not_equal(ferry_item_line_parse(&b, bad[i], bad[i] + strlen(bad[i])), 0);
	const char *plain = "  answers.txt 12 bytes blake2b-256:0000000000000000000000000000000000000000000000000000000000000000";
	assert_int_equal(ferry_item_line_parse(&b, plain, plain + strlen(plain)), 0);
	assert_null(b.report);
	assert_int_equal(b.orientation, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_kind_roundtrips),
	    cmocka_unit_test(malformed_refused),
	    cmocka_unit_test(new_kinds),
	    cmocka_unit_test(item_lines_round_trip),
	};
	return T_RUN("log entries", tests);
}
