#include "word.h"

#include "../common/i18n.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/fileio.h"
#include "../crypto/b32.h"
#include "pack.h"

static const char DOM_CHECK[] = "ferry-v1 pack word check";
static const char ALPHABET[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

_Static_assert(FERRY_B32_LEN(FERRY_PACK_WORD_LEN) == 8,
               "a pack word is 8 base32 characters");

/* One base32 character from a hash of the word: a typed word with one
 * character wrong fails the check 31 times in 32. */
static char check_char(const uint8_t w[FERRY_PACK_WORD_LEN])
{
	uint8_t h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const uint8_t *)DOM_CHECK, sizeof DOM_CHECK);
	crypto_generichash_update(&st, w, FERRY_PACK_WORD_LEN);
	crypto_generichash_final(&st, h, sizeof h);
	char c = ALPHABET[h[0] & 31];
	sodium_memzero(h, sizeof h);
	return c;
}

void ferry_word_generate(uint8_t w[FERRY_PACK_WORD_LEN])
{
	randombytes_buf(w, FERRY_PACK_WORD_LEN);
}

/* The word is shown as a form code is (two groups of four), then its
 * check character. */
_Static_assert(FERRY_PACK_WORD_LEN == FERRY_FORM_CODE_LEN &&
                   FERRY_WORD_TEXT_LEN == FERRY_CODE_TEXT_LEN + 2,
               "a word is shown as a form code and a check character");

void ferry_word_text(char out[FERRY_WORD_TEXT_LEN + 1],
                     const uint8_t w[FERRY_PACK_WORD_LEN])
{
	ferry_form_code_text(out, w);
	if (strlen(out) != FERRY_CODE_TEXT_LEN) {
		out[0] = '\0';
		return;
	}
	out[FERRY_CODE_TEXT_LEN] = '-';
	out[FERRY_CODE_TEXT_LEN + 1] = check_char(w);
	out[FERRY_WORD_TEXT_LEN] = '\0';
}

int ferry_word_parse(uint8_t w[FERRY_PACK_WORD_LEN], const char *text, ferry_err *e)
{
	char clean[12];
	size_t n = 0;
	int rc = FERRY_OK;
	for (const char *c = text; *c && rc == FERRY_OK; c++) {
		if (*c == '-' || *c == ' ' || *c == '\t')
			continue;
		if (n >= 9 || ferry_b32_value(*c) < 0)
			rc = -1;
		else
			clean[n++] = *c;
	}
	if (rc != FERRY_OK || n != 9 ||
	    ferry_b32_decode(w, FERRY_PACK_WORD_LEN, clean, 8) != 0)
		rc = ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "type it as it is on the key card: 8 letters and digits, then a check character (like ABCD-EFGH-K)",
		    "that is not a pack word");
	else if (ferry_b32_value(clean[8]) != ferry_b32_value(check_char(w)))
		rc = ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "check each character against the key card (0 and O, 1 and I are the same)",
		    "the pack word's check character does not match: a typo?");
	sodium_memzero(clean, sizeof clean);
	if (rc != FERRY_OK)
		sodium_memzero(w, FERRY_PACK_WORD_LEN);
	return rc;
}

int ferry_word_file_read(uint8_t w[FERRY_PACK_WORD_LEN], const char *path,
                         ferry_err *e)
{
	uint8_t *data = NULL;
	size_t n = 0;
	if (ferry_read_secret_file(path, 4096, &data, &n, N_("the pack word file"), e) !=
	    FERRY_OK)
		return FERRY_EOP;
	char *line = "";
	for (char *p = (char *)data, *next; p && *p; p = next) {
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		p[strcspn(p, "\r")] = '\0';
		if (*p && *p != '#') {
			line = p;
			break;
		}
	}
	int rc = ferry_word_parse(w, line, e);
	sodium_memzero(data, n);
	sodium_free(data);
	return rc == FERRY_OK ? FERRY_OK : ferry_err_prefix(e, "'%s'", path);
}
