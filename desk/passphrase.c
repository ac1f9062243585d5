#include "passphrase.h"

#include <sodium.h>
#include <string.h>
#include <zxcvbn.h>

double ferry_passphrase_bits(const char *pass, size_t len)
{
	if (memchr(pass, '\0', len) || pass[len] != '\0')
		return -1;
	/* zxcvbn keeps no copy; the caller's buffer is secret memory. */
	return ZxcvbnMatch(pass, NULL, NULL);
}

int ferry_passphrase_check(const char *pass, size_t len, ferry_err *e)
{
	double bits = ferry_passphrase_bits(pass, len);
	if (bits >= FERRY_PASSPHRASE_MIN_BITS)
		return FERRY_OK;
	if (bits < 0)
		return ferry_fail(e, FERRY_EUSAGE, "the passphrase cannot be read as text");
	return ferry_fail_hint(
	    e, FERRY_EUSAGE,
	    "use five or more random words (throw dice on a word list, do not pick them), and keep them off this machine",
	    "this passphrase is too easy to guess: about 2^%.0f guesses, and the vault needs at least 2^%.0f",
	    bits, FERRY_PASSPHRASE_MIN_BITS);
}
