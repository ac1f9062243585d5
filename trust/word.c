#include "word.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../crypto/b32.h"

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

void ferry_word_text(char out[FERRY_WORD_TEXT_LEN + 1],
                     const uint8_t w[FERRY_PACK_WORD_LEN])
{
	char raw[16];
	if (ferry_b32_encode(raw, sizeof raw, w, FERRY_PACK_WORD_LEN) != 0) {
		out[0] = '\0';
		return;
	}
	snprintf(out, FERRY_WORD_TEXT_LEN + 1, "%.4s-%.4s-%c", raw, raw + 4,
	         check_char(w));
	sodium_memzero(raw, sizeof raw);
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
