/* libFuzzer: the seal-code finder's parser on what a QR code in a page
 * photo may say (untrusted text): the input is cut at newlines into up
 * to eight QR texts, as the sandboxed decoder hands them over. */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../seal/formfind.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	static ferry_qr_found q;
	fuzz_init();
	memset(&q, 0, sizeof q);
	size_t start = 0;
	for (size_t i = 0; i <= n && q.n < FERRY_QR_MAX; i++) {
		if (i < n && d[i] != '\n')
			continue;
		size_t len = i - start;
		if (len > 0 && len <= FERRY_QR_TEXT_MAX && !memchr(d + start, 0, len)) {
			memcpy(q.text[q.n], d + start, len);
			q.text[q.n][len] = '\0';
			q.n++;
		}
		start = i + 1;
	}
	ferry_form_pub fp;
	ferry_err bad;
	int other = 0;
	(void)ferry_formfind_page(&q, &fp, &bad, &other);
	return 0;
}
