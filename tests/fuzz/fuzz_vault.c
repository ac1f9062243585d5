/* libFuzzer: decrypted vault contents (the part after the AEAD), the
 * questions file parser, the log framing (with a wrong key), the log
 * entries recovery and the case list parse, and a note's text. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../desk/case_entry.h"
#include "../../desk/log.h"
#include "../../desk/vault.h"
#include "../../forms/questions.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static int init;
	static char path[64];
	if (!init) {
		if (sodium_init() < 0)
			abort();
		snprintf(path, sizeof path, "/tmp/ferry-fuzz-log-%d", (int)getpid());
		init = 1;
	}
	/* Both plaintext layouts: one-byte and four-byte answer counts. */
	for (uint8_t layout = FERRY_VAULT_PLAIN_V0; layout <= FERRY_VAULT_PLAIN_V1;
	     layout++) {
		ferry_vault *v = ferry_vault_alloc();
		if (v) {
			v->plain_version = layout;
			(void)!ferry_vault_parse_plain(v, d, n);
			ferry_vault_free(v);
		}
	}
	ferry_questions q;
	ferry_err e;
	char *text = malloc(n + 1);
	if (text) {
		memcpy(text, d, n);
		text[n] = 0;
		ferry_case_entry c;
		ferry_membuf m = {0};
		(void)!ferry_case_entry_parse(&c, text, &e);
		(void)!ferry_note_text(text, &m);
		ferry_membuf_free(&m);
		free(text);
	}
	if (ferry_questions_parse(&q, d, n, &e) == 0)
		ferry_questions_free(&q);
	/* The log: the header is taken from the input, entries follow. */
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite("FERRYLG1", 1, 8, f);
		fwrite(d, 1, n, f);
		fclose(f);
		uint8_t key[32] = {0}, id[32] = {0}, head[32] = {0};
		ferry_log_state st;
		ferry_err err;
		if (n >= 32)
			memcpy(id, d, 32);
		(void)!ferry_log_walk(path, key, id, 0, head, NULL, NULL, &st, &err);
		unlink(path);
	}
	return 0;
}
