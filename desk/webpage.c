/* The offline page handed out with a pack (desk/webpage.h). */
#include "webpage.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"

/* What every page make web writes carries (web/page.html, web/assemble.js). */
#define PAGE_POLICY                                                                    \
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"
#define PAGE_MARKER "ferry-seal, offline page"

static int contains(const uint8_t *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

int ferry_webpage_load(ferry_webpage *w, const char *path, ferry_err *e)
{
	uint8_t h[crypto_hash_sha256_BYTES];
	memset(w, 0, sizeof *w);
	if (ferry_read_file(path, FERRY_WEBPAGE_MAX, &w->bytes, &w->len,
	                    "the offline page", e) != FERRY_OK)
		return FERRY_EOP;
	if (!contains(w->bytes, w->len, PAGE_POLICY) ||
	    !contains(w->bytes, w->len, PAGE_MARKER)) {
		ferry_webpage_free(w);
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "give the page 'make web' writes: build/web/ferry-seal.html",
		    "'%s' is not ferry's offline page", path);
	}
	crypto_hash_sha256(h, w->bytes, w->len);
	sodium_bin2hex(w->sha256, sizeof w->sha256, h, sizeof h);
	return FERRY_OK;
}

void ferry_webpage_free(ferry_webpage *w)
{
	free(w->bytes);
	memset(w, 0, sizeof *w);
}

static int write_new(const char *dir, const char *name, const uint8_t *p, size_t n,
                     char *path, size_t cap, ferry_err *e)
{
	if (ferry_path_join(path, cap, dir, name) != 0)
		return ferry_fail(e, FERRY_EOP, "the output path is too long");
	return ferry_write_new(path, p, n, 0644, e);
}

int ferry_webpage_write(const ferry_webpage *w, const char *dir, ferry_err *e)
{
	char page[FERRY_PATH_MAX], sumpath[FERRY_PATH_MAX], sum[128];
	int n = snprintf(sum, sizeof sum, "%s  %s\n", w->sha256, FERRY_WEBPAGE_NAME);
	if (write_new(dir, FERRY_WEBPAGE_NAME, w->bytes, w->len, page, sizeof page,
	              e) != FERRY_OK)
		return FERRY_EOP;
	/* Both or neither: the page is taken back when its sum fails. */
	if (write_new(dir, FERRY_WEBPAGE_NAME ".sha256", (const uint8_t *)sum,
	              (size_t)n, sumpath, sizeof sumpath, e) != FERRY_OK) {
		(void)unlink(page);
		return FERRY_EOP;
	}
	return FERRY_OK;
}
