/* The pack word: 40 random bits the desk gives a pack's contact on a key
 * card, apart from the pack and the forms, which no form, seal code or
 * QR code carries. A bundle sealed with it carries a pack proof in its
 * header (crypto/bundle.h), so the desk can tell a pack holder from
 * someone who only photographed a form. docs/FORMAT.md, "Pack proof".
 *
 * As text: 8 Crockford base32 characters and a check character, shown
 * "ABCD-EFGH-K"; read in any case, with or without dashes and spaces,
 * with the Crockford aliases (O for 0, I and L for 1). */
#ifndef FERRY_WORD_H
#define FERRY_WORD_H

#include <stdint.h>

#include "../common/err.h"
#include "../crypto/sizes.h"

#define FERRY_WORD_TEXT_LEN 11 /* XXXX-XXXX-C */

void ferry_word_generate(uint8_t w[FERRY_PACK_WORD_LEN]);
void ferry_word_text(char out[FERRY_WORD_TEXT_LEN + 1],
                     const uint8_t w[FERRY_PACK_WORD_LEN]);
/* FERRY_EUSAGE, with what is wrong and a hint, for text that is not a
 * pack word or whose check character does not match (a typo). */
int ferry_word_parse(uint8_t w[FERRY_PACK_WORD_LEN], const char *text,
                     ferry_err *e) FERRY_WUR;

/* The word from a word file as 'ferry-desk issue' writes it: lines that
 * start with '#' and empty lines are skipped, the first other line is the
 * word (docs/FORMAT.md, "Pack proof"). Read into secret memory, wiped. */
int ferry_word_file_read(uint8_t w[FERRY_PACK_WORD_LEN], const char *path,
                         ferry_err *e) FERRY_WUR;

#endif
