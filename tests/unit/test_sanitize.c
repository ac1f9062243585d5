/* The page sanitizer on hand-made hostile inputs: what it drops, what it
 * reports, that it keeps the image data byte for byte, and that every
 * malformed input is refused with a clear error and no crash. The
 * exiftool / mat2 / djpeg comparisons are in tests/e2e/sanitize.sh. */
#include "../support/t.h"

#include <sodium.h>
#include <zlib.h>

#include "../../pages/sanitize.h"

static uint8_t *load(const char *name, size_t *n)
{
	char p[256];
	snprintf(p, sizeof p, "tests/fixtures/%s", name);
	uint8_t *b = t_read(p, n);
	if (!b)
		fail_msg("missing fixture %s", p);
	return b;
}

/* The error of the last run(): tests are single-threaded. */
static ferry_err last;

static int run(int png, const uint8_t *in, size_t n, t_buf *out, ferry_page_result *r)
{
	ferry_mem_reader m = {in, n, 0};
	memset(out, 0, sizeof *out);
	return png ? ferry_sanitize_png(ferry_read_mem, &m, t_buf_write, out, r, &last)
	           : ferry_sanitize_jpeg(ferry_read_mem, &m, t_buf_write, out, r,
	                                 &last);
}

static int contains(const uint8_t *h, size_t n, const char *needle)
{
	return memmem(h, n, needle, strlen(needle)) != NULL;
}

/* The bytes from the first SOS marker to the end: scans, tables between
 * scans, EOI. The walker must copy them unchanged. */
static const uint8_t *scans(const uint8_t *p, size_t n, size_t *len)
{
	for (size_t i = 2; i + 1 < n; i++)
		if (p[i] == 0xff && p[i + 1] == 0xda) {
			*len = n - i;
			return p + i;
		}
	*len = 0;
	return NULL;
}

typedef struct {
	uint8_t b[4096];
	size_t n;
} seg;

static void put(seg *s, const void *p, size_t n)
{
	memcpy(s->b + s->n, p, n);
	s->n += n;
}
static void put16(seg *s, unsigned v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(s, b, 2);
}
static void put32(seg *s, uint32_t v)
{
	uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
	                (uint8_t)v};
	put(s, b, 4);
}
static void entry(seg *s, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
	put16(s, tag);
	put16(s, type);
	put32(s, count);
	put32(s, value);
}

/* A big-endian EXIF block: IFD0 (Make, Model, Orientation 6, pointers),
 * Exif IFD (DateTimeOriginal, BodySerialNumber), GPS IFD, IFD1 with a
 * thumbnail. Strings the sanitizer must not let through are embedded. */
static void exif_app1(seg *s, int loop)
{
	seg t = {{0}, 0};
	put(&t, "MM\0\x2a", 4);
	put32(&t, 8);
	/* IFD0 at 8: 5 entries */
	put16(&t, 5);
	entry(&t, 0x010f, 2, 8, 200);      /* Make -> "PhoneCo" at 200 */
	entry(&t, 0x0110, 2, 8, 208);      /* Model */
	entry(&t, 0x0112, 3, 1, 6u << 16); /* Orientation 6 (short, left-justified) */
	entry(&t, 0x8769, 4, 1, 100);      /* Exif IFD */
	entry(&t, 0x8825, 4, 1, 150);      /* GPS IFD */
	put32(&t, loop ? 8 : 300);         /* next IFD: IFD1, or itself */
	while (t.n < 100)
		put(&t, "\0", 1);
	put16(&t, 2); /* Exif IFD at 100 */
	entry(&t, 0x9003, 2, 20, 216);
	entry(&t, 0xa431, 2, 12, 236);
	put32(&t, 0);
	while (t.n < 150)
		put(&t, "\0", 1);
	put16(&t, 1); /* GPS IFD at 150 */
	entry(&t, 0x0002, 5, 3, 250);
	put32(&t, 0);
	while (t.n < 200)
		put(&t, "\0", 1);
	put(&t, "PhoneCo\0Model-X\0", 16);    /* 200, 208 */
	put(&t, "2023:11:04 14:22:33\0", 20); /* 216 */
	put(&t, "SN-98765432\0", 12);         /* 236 */
	put(&t, "48N51E", 6);                 /* 248.. (GPS as text) */
	while (t.n < 300)
		put(&t, "\0", 1);
	put16(&t, 2); /* IFD1 at 300: thumbnail */
	entry(&t, 0x0201, 4, 1, 340);
	entry(&t, 0x0202, 4, 1, 60);
	put32(&t, 0);
	while (t.n < 400)
		put(&t, "T", 1); /* thumbnail bytes */
	put(s, "\xff\xe1", 2);
	put16(s, (unsigned)t.n + 6 + 2);
	put(s, "Exif\0\0", 6);
	put(s, t.b, t.n);
}

static void app(seg *s, uint8_t m, const char *id, size_t idlen, const char *body)
{
	uint8_t h[2] = {0xff, m};
	put(s, h, 2);
	put16(s, (unsigned)(idlen + strlen(body) + 2));
	put(s, id, idlen);
	put(s, body, strlen(body));
}

/* base.jpg with segs spliced in after SOI and trailer appended. */
static uint8_t *splice(const uint8_t *base, size_t bn, const seg *segs,
                       const void *trailer, size_t tn, size_t *n)
{
	uint8_t *o = malloc(bn + segs->n + tn);
	memcpy(o, base, 2);
	memcpy(o + 2, segs->b, segs->n);
	memcpy(o + 2 + segs->n, base + 2, bn - 2);
	memcpy(o + bn + segs->n, trailer, tn);
	*n = bn + segs->n + tn;
	return o;
}

static void jpeg_strips_and_reports(void **st)
{
	(void)st;
	size_t bn, n, in_scan, out_scan;
	uint8_t *base = load("base.jpg", &bn);
	seg s = {{0}, 0};
	exif_app1(&s, 0);
	app(&s, 0xe1, "http://ns.adobe.com/xap/1.0/\0", 29,
	    "<x:xmpmeta>CreatorTool=SecretPhone</x:xmpmeta>");
	app(&s, 0xe2, "ICC_PROFILE\0", 12, "\x01\x01icc-profile-bytes");
	app(&s, 0xed, "Photoshop 3.0\0", 14, "8BIM IPTC City=Shenzhen");
	app(&s, 0xe2, "MPF\0", 4, "MM\0*mpf-index");
	app(&s, 0xeb, "", 0, "vendor-block-MCC460");
	app(&s, 0xfe, "", 0, "COMMENT: interviewed at dormitory 7");
	static const char trailer[] =
	    "\0\0\0\x18"
	    "ftypmp42 motion photo video ... SEFHsamsung MCC=460 SEFT";
	uint8_t *in = splice(base, bn, &s, trailer, sizeof trailer - 1, &n);
	t_buf out;
	ferry_page_result r;
	assert_int_equal(run(0, in, n, &out, &r), 0);
	assert_int_equal(r.orientation, 6);
	assert_int_equal(r.width, 32);
	assert_int_equal(r.height, 24);
	static const char *const fields[] = {
	    "GPS position", "capture time", "camera make/model", "serial number",
	    "thumbnail",    "XMP",          "ICC profile",       "IPTC",
	    "MPF",          "vendor",       "comment",           "trailer",
	    "motion photo", "SEFT"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!strstr(r.report, fields[i]))
			fail_msg("report lacks '%s': %s", fields[i], r.report);
	/* Names, never values. */
	static const char *const secrets[] = {
	    "PhoneCo",     "Model-X",  "2023:11:04", "SN-98765432", "48N51E",
	    "SecretPhone", "Shenzhen", "MCC",        "dormitory",   "ftyp",
	    "SEFT",        "Exif",     "TTTT"};
	for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		assert_false(contains(out.p, out.len, secrets[i]));
		if (i < 9 && strstr(r.report, secrets[i]))
			fail_msg("report leaks '%s'", secrets[i]);
	}
	/* The image data is untouched. */
	const uint8_t *a = scans(base, bn, &in_scan),
	              *b = scans(out.p, out.len, &out_scan);
	assert_non_null(b);
	assert_int_equal(in_scan, out_scan);
	assert_memory_equal(a, b, in_scan);
	assert_int_equal(out.p[out.len - 2], 0xff);
	assert_int_equal(out.p[out.len - 1], 0xd9);
	/* Sanitizing the output again changes nothing. */
	t_buf again;
	ferry_page_result r2;
	assert_int_equal(run(0, out.p, out.len, &again, &r2), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.p, out.p, out.len);
	assert_string_equal(r2.report, "no metadata found");
	free(again.p);
	free(out.p);
	free(in);
	free(base);
}

static void jpeg_exif_loop_terminates(void **st)
{
	(void)st;
	size_t bn, n;
	uint8_t *base = load("base.jpg", &bn);
	seg s = {{0}, 0};
	exif_app1(&s, 1);
	uint8_t *in = splice(base, bn, &s, "", 0, &n);
	t_buf out;
	ferry_page_result r;
	assert_int_equal(run(0, in, n, &out, &r), 0);
	assert_non_null(strstr(r.report, "EXIF"));
	free(out.p);
	free(in);
	free(base);
}

static void jpeg_progressive_and_cmyk(void **st)
{
	(void)st;
	static const char *names[] = {"progressive.jpg", "cmyk.jpg"};
	for (int i = 0; i < 2; i++) {
		size_t n, a_len, b_len;
		uint8_t *in = load(names[i], &n);
		t_buf out;
		ferry_page_result r;
		assert_int_equal(run(0, in, n, &out, &r), 0);
		const uint8_t *a = scans(in, n, &a_len),
		              *b = scans(out.p, out.len, &b_len);
		assert_int_equal(a_len, b_len);
		assert_memory_equal(a, b, a_len);
		if (i == 1) /* CMYK keeps a rebuilt Adobe block: colours need it */
			assert_true(contains(out.p, out.len, "Adobe"));
		free(out.p);
		free(in);
	}
}

static void jpeg_malformed_refused(void **st)
{
	(void)st;
	size_t bn, n;
	uint8_t *base = load("base.jpg", &bn);
	seg s = {{0}, 0};
	exif_app1(&s, 0);
	app(&s, 0xfe, "", 0, "comment");
	uint8_t *in = splice(base, bn, &s, "", 0, &n);
	t_buf out;
	ferry_page_result r;
	/* Every truncation is refused, with a message. */
	for (size_t k = 0; k < n; k++) {
		assert_int_not_equal(run(0, in, k, &out, &r), 0);
		assert_true(last.msg[0] != 0);
		free(out.p);
	}
	assert_int_not_equal(run(0, in, n - 1, &out, &r), 0);
	assert_non_null(strstr(last.msg, "cut short"));
	free(out.p);
	/* A segment length below 2. */
	uint8_t *bad = malloc(n);
	memcpy(bad, in, n);
	bad[4] = 0;
	bad[5] = 1;
	assert_int_not_equal(run(0, bad, n, &out, &r), 0);
	assert_non_null(strstr(last.msg, "length"));
	free(out.p);
	/* Not starting with SOI. */
	assert_int_not_equal(run(0, in + 1, n - 1, &out, &r), 0);
	free(out.p);
	/* A JPEG-LS marker. */
	memcpy(bad, in, n);
	bad[3] = 0xf7;
	assert_int_not_equal(run(0, bad, n, &out, &r), 0);
	assert_non_null(strstr(last.msg, "0xFFF7"));
	free(out.p);
	/* Height 0 (DNL) and oversize dimensions, in the frame header. */
	memcpy(bad, in, n);
	size_t sof = 0;
	for (size_t i = 2; i + 1 < n; i++)
		if (bad[i] == 0xff && bad[i + 1] == 0xc0) {
			sof = i;
			break;
		}
	assert_true(sof > 0);
	bad[sof + 5] = 0;
	bad[sof + 6] = 0;
	assert_int_not_equal(run(0, bad, n, &out, &r), 0);
	assert_non_null(strstr(last.msg, "DNL"));
	free(out.p);
	bad[sof + 5] = 0xff;
	bad[sof + 6] = 0xff;
	bad[sof + 7] = 0xff;
	bad[sof + 8] = 0xff;
	assert_int_not_equal(run(0, bad, n, &out, &r), 0);
	assert_non_null(strstr(last.msg, "limit"));
	free(out.p);
	/* Two frame headers. */
	size_t bsof = 0;
	for (size_t i = 2; i + 1 < bn; i++)
		if (base[i] == 0xff && base[i + 1] == 0xc0) {
			bsof = i;
			break;
		}
	assert_true(bsof > 0);
	seg two = {{0}, 0};
	put(&two, base + bsof, 2 + ((size_t)base[bsof + 2] << 8 | base[bsof + 3]));
	uint8_t *dbl = splice(base, bn, &two, "", 0, &n);
	assert_int_not_equal(run(0, dbl, n, &out, &r), 0);
	free(out.p);
	free(dbl);
	free(bad);
	free(in);
	free(base);
}

/* PNG helpers: a chunk with its CRC. */
static void chunk(seg *s, const char *type, const void *data, size_t n)
{
	put32(s, (uint32_t)n);
	put(s, type, 4);
	put(s, data, n);
	uLong c = crc32(0, (const Bytef *)type, 4);
	c = crc32(c, data, (uInt)n);
	put32(s, (uint32_t)c);
}

static uint8_t *png_with(const uint8_t *base, size_t bn, const seg *extra,
                         const void *trailer, size_t tn, size_t *n)
{
	/* Insert after IHDR (8 + 25 bytes). */
	size_t at = 8 + 25;
	uint8_t *o = malloc(bn + extra->n + tn);
	memcpy(o, base, at);
	memcpy(o + at, extra->b, extra->n);
	memcpy(o + at + extra->n, base + at, bn - at);
	memcpy(o + bn + extra->n, trailer, tn);
	*n = bn + extra->n + tn;
	return o;
}

static void png_strips_and_reports(void **st)
{
	(void)st;
	size_t bn, n;
	uint8_t *base = load("base.png", &bn);
	seg s = {{0}, 0};
	chunk(&s, "tEXt", "Author\0Field contact 7", 22);
	chunk(&s, "tIME", "\x07\xe7\x0b\x04\x0e\x16\x21", 7);
	chunk(&s, "eXIf", "MM\0*GPS-SECRET", 14);
	chunk(&s, "pHYs", "\0\0\x0b\x13\0\0\x0b\x13\x01", 9);
	chunk(&s, "prVt", "private-vendor-data", 19);
	uint8_t *in = png_with(base, bn, &s, "TRAILING-SECRET", 15, &n);
	t_buf out;
	ferry_page_result r;
	assert_int_equal(run(1, in, n, &out, &r), 0);
	static const char *const fields[] = {"text chunks",  "modification time",
	                                     "eXIf",         "pixel density",
	                                     "other chunks", "trailer"};
	for (size_t i = 0; i < 6; i++)
		if (!strstr(r.report, fields[i]))
			fail_msg("report lacks '%s': %s", fields[i], r.report);
	static const char *const secrets[] = {
	    "Field contact", "GPS-SECRET", "private-vendor", "TRAILING", "tIME",
	    "tEXt",          "pHYs"};
	for (size_t i = 0; i < 7; i++)
		assert_false(contains(out.p, out.len, secrets[i]));
	/* Stable: the output sanitizes to itself. */
	t_buf again;
	ferry_page_result r2;
	assert_int_equal(run(1, out.p, out.len, &again, &r2), 0);
	assert_int_equal(again.len, out.len);
	assert_memory_equal(again.p, out.p, out.len);
	free(again.p);
	free(out.p);
	free(in);
	free(base);
	/* Palette and interlaced images come through. */
	static const char *more[] = {"palette.png", "interlaced.png"};
	for (int i = 0; i < 2; i++) {
		uint8_t *p = load(more[i], &n);
		assert_int_equal(run(1, p, n, &out, &r), 0);
		free(out.p);
		free(p);
	}
}

static void png_malformed_refused(void **st)
{
	(void)st;
	size_t bn, n;
	uint8_t *base = load("base.png", &bn);
	t_buf out;
	ferry_page_result r;
	for (size_t k = 0; k < bn; k++) {
		assert_int_not_equal(run(1, base, k, &out, &r), 0);
		assert_true(last.msg[0] != 0);
		free(out.p);
	}
	uint8_t *bad = malloc(bn);
	/* A flipped byte inside IDAT: zlib's check catches it first. */
	memcpy(bad, base, bn);
	bad[bn - 12 - 6] ^= 0x40;
	assert_int_not_equal(run(1, bad, bn, &out, &r), 0);
	assert_non_null(strstr(last.msg, "corrupt"));
	free(out.p);
	/* A flipped byte of IDAT's CRC. */
	memcpy(bad, base, bn);
	bad[bn - 12 - 1] ^= 0x01;
	assert_int_not_equal(run(1, bad, bn, &out, &r), 0);
	assert_non_null(strstr(last.msg, "CRC"));
	free(out.p);
	/* A damaged ancillary chunk is refused too, not skipped. */
	seg s = {{0}, 0};
	chunk(&s, "tEXt", "a\0b", 3);
	s.b[s.n - 1] ^= 1;
	uint8_t *in = png_with(base, bn, &s, "", 0, &n);
	assert_int_not_equal(run(1, in, n, &out, &r), 0);
	free(out.p);
	free(in);
	/* Dimensions over the limit (IHDR rebuilt with a valid CRC). */
	seg ih = {{0}, 0};
	put(&ih, base, 8);
	uint8_t hdr[13];
	memcpy(hdr, base + 16, 13);
	hdr[0] = 0;
	hdr[1] = 0x01; /* width 65536+ */
	chunk(&ih, "IHDR", hdr, 13);
	memcpy(bad, base, bn);
	memcpy(bad, ih.b, ih.n);
	assert_int_not_equal(run(1, bad, bn, &out, &r), 0);
	assert_true(last.msg[0] != 0);
	free(out.p);
	free(bad);
	free(base);
}

typedef struct {
	ferry_mem_reader m;
	size_t step;
} trickle;

static ssize_t read_trickle(void *io, uint8_t *buf, size_t cap)
{
	trickle *t = io;
	return ferry_read_mem(&t->m, buf, cap < t->step ? cap : t->step);
}

/* The same bytes out however the input arrives, one byte at a time
 * included: the walker's buffer boundaries leave no trace. */
static void output_independent_of_read_sizes(void **st)
{
	(void)st;
	static const char *names[] = {"progressive.jpg", "base.jpg", "base.png",
	                              "interlaced.png"};
	for (int i = 0; i < 4; i++) {
		size_t n;
		uint8_t *in = load(names[i], &n);
		int png = strstr(names[i], ".png") != NULL;
		t_buf whole;
		ferry_page_result r;
		assert_int_equal(run(png, in, n, &whole, &r), 0);
		static const size_t steps[] = {1, 2, 3, 7, 64, 4095};
		for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
			trickle t = {{in, n, 0}, steps[k]};
			t_buf out = {0};
			int rc = png ? ferry_sanitize_png(read_trickle, &t, t_buf_write,
			                                  &out, &r, NULL)
			             : ferry_sanitize_jpeg(read_trickle, &t,
			                                   t_buf_write, &out, &r, NULL);
			assert_int_equal(rc, 0);
			assert_int_equal(out.len, whole.len);
			assert_memory_equal(out.p, whole.p, whole.len);
			free(out.p);
		}
		free(whole.p);
		free(in);
	}
}

static void identify_by_content(void **st)
{
	(void)st;
	const char *name;
	assert_int_equal(
	    ferry_page_identify((const uint8_t *)"\xff\xd8\xff\xe0", 4, &name),
	    FERRY_PAGE_JPEG);
	assert_int_equal(
	    ferry_page_identify((const uint8_t *)"\x89PNG\r\n\x1a\n", 8, &name),
	    FERRY_PAGE_PNG);
	static const struct {
		const char *head;
		size_t n;
		const char *want;
	} others[] = {
	    {"\0\0\0\x18"
	     "ftypheic",
	     12, "HEIC/HEIF"},
	    {"\0\0\0\x18"
	     "ftypmif1",
	     12, "HEIC/HEIF"},
	    {"\0\0\0\x18"
	     "ftypavif",
	     12, "AVIF"},
	    {"\0\0\0\x18"
	     "ftypisom",
	     12, "MP4 video"},
	    {"II*\0", 4, "TIFF (or camera raw)"},
	    {"MM\0*", 4, "TIFF (or camera raw)"},
	    {"RIFF\0\0\0\0WEBP", 12, "WebP"},
	    {"%PDF-1.7", 8, "PDF"},
	    {"GIF89a", 6, "GIF"},
	};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		assert_int_equal(ferry_page_identify((const uint8_t *)others[i].head,
		                                     others[i].n, &name),
		                 FERRY_PAGE_OTHER);
		assert_non_null(name);
		assert_string_equal(name, others[i].want);
	}
	assert_int_equal(ferry_page_identify((const uint8_t *)"hello", 5, &name),
	                 FERRY_PAGE_OTHER);
	assert_null(name);
	assert_non_null(strstr(ferry_page_advice("HEIC/HEIF"), "JPEG"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(jpeg_strips_and_reports),
	    cmocka_unit_test(jpeg_exif_loop_terminates),
	    cmocka_unit_test(jpeg_progressive_and_cmyk),
	    cmocka_unit_test(jpeg_malformed_refused),
	    cmocka_unit_test(png_strips_and_reports),
	    cmocka_unit_test(png_malformed_refused),
	    cmocka_unit_test(output_independent_of_read_sizes),
	    cmocka_unit_test(identify_by_content)};
	return cmocka_run_group_tests_name("sanitizer", tests, NULL, NULL);
}
