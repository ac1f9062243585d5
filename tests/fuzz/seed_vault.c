/* Seeds for fuzz_vault: the decrypted contents of a vault with what a
 * desk holds after use (packs with and without a word and questions, an
 * answered form, a code-only one, a revoked pack, a retired one, seen
 * hashes, a rotated wrap key, two relay keys), so that the fuzzer starts
 * past the key pairs it could never make and mutates the packs.
 *
 *   seed_vault OUT
 *
 * Built and run by tests/fuzz/run.sh with the fuzz objects. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../store/vault.h"

static const char Q[] = "Working conditions\n> Do not write your name.\n"
                        "How many hours a day? [4]\n질문: 휴일이 있습니까? [2]\n";

int main(int argc, char **argv)
{
	char path[] = "/tmp/ferry-seed-vault.XXXXXX";
	uint8_t seen[FERRY_SEEN_LEN] = {7};
	uint32_t a, b, c;
	if (argc != 2 || sodium_init() < 0)
		return 2;
	int fd = mkstemp(path);
	ferry_vault *v = ferry_vault_create(FERRY_KDF_INTERACTIVE, "seed", 4);
	if (fd < 0 || !v ||
	    ferry_vault_add_pack(v, 3, "with questions", 0, 14, &a) != 0 ||
	    ferry_vault_add_pack(v, 2, "revoked", 30000, 0, &b) != 0 ||
	    ferry_vault_add_pack(v, 1, "retired", 0, 0, &c) != 0 ||
	    ferry_vault_set_questions(v, a, Q, strlen(Q), 1, 1) != 0 ||
	    ferry_vault_mark_answered(v, a, 0, seen, 1796083200, 1) != 0 ||
	    ferry_vault_mark_answered(v, a, 1, (uint8_t[FERRY_SEEN_LEN]){8}, 1796083300,
	                              0) != 0 ||
	    ferry_vault_add_relay_key(v) != 0 ||
	    ferry_vault_rotate_wrap_key(v, 1796083400) != 0)
		return 2;
	close(fd);
	v->packs[b].has_word = 0; /* a pack from before pack words */
	ferry_vault_revoke(v, b, 1796083500, "phone seized");
	ferry_vault_retire(v, c);
	if (ferry_vault_save(v, path, NULL) != FERRY_OK)
		return 2;
	FILE *f = fopen(path, "rb");
	static uint8_t file[1 << 20], plain[1 << 20];
	size_t n = f ? fread(file, 1, sizeof file, f) : 0;
	size_t m = ferry_vault_plain_len(n);
	if (f)
		fclose(f);
	unlink(path);
	if (m == 0 || ferry_vault_decrypt(v, file, n, plain) != 0)
		return 2;
	ferry_vault_free(v);
	f = fopen(argv[1], "wb");
	if (!f || fwrite(plain, 1, m, f) != m || fclose(f) != 0)
		return 2;
	return 0;
}
