/* The contact's pipeline: every input is checked before anything is
 * sealed, then pages go through the sanitizer, answers and attachments
 * into the container, and the container into the bundle, in one
 * streaming pass. */
#include "seal.h"

#include "../common/i18n.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/utf8.h"
#include "../container/container_write.h"
#include "../crypto/bundle.h"
#include "sealpipe.h"

/* The answers must be UTF-8 text without NUL bytes; *line says where
 * they are not. */
static int utf8_check(const uint8_t *s, size_t n, size_t *line)
{
	*line = 1;
	for (size_t i = 0; i < n;) {
		uint32_t cp = 0;
		size_t len = ferry_utf8_next(s + i, n - i, &cp);
		if (len == 0 || cp == 0)
			return -1;
		if (cp == '\n')
			(*line)++;
		i += len;
	}
	return 0;
}

static int precheck_answers(const char *path, ferry_err *e)
{
	uint8_t *t = NULL;
	size_t n = 0, line = 0;
	if (ferry_read_file(path, FERRY_ANSWERS_MAX, &t, &n, N_("the answers"), e) != 0)
		return FERRY_EOP;
	int bad = utf8_check(t, n, &line);
	free(t);
	if (bad) {
		return ferry_fail_hint(e, FERRY_EOP, "save the file as UTF-8",
		                       "answers '%s': line %zu is not valid UTF-8 text",
		                       path, line);
	}
	return FERRY_OK;
}

int ferry_seal_precheck(const ferry_seal_input *in, ferry_err *e)
{
	if (in->npages == 0 && !in->answers && in->nattachments == 0) {
		return ferry_fail_hint(e, FERRY_EUSAGE,
		                       "give page photos, --answers or --attach",
		                       "nothing to seal");
	}
	if (in->npages > FERRY_SEAL_PAGES_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "at most %d pages in one bundle",
		                  FERRY_SEAL_PAGES_MAX);
	for (size_t i = 0; i < in->npages; i++) {
		int type;
		int fd = ferry_page_open(in->pages[i], &type, e);
		if (fd < 0)
			return FERRY_EOP;
		close(fd);
	}
	if (in->answers && precheck_answers(in->answers, e) != FERRY_OK)
		return FERRY_EOP;
	for (size_t i = 0; i < in->nattachments; i++) {
		int fd = ferry_open_regular(in->attachments[i], N_("attachment"), e);
		if (fd < 0)
			return FERRY_EOP;
		close(fd);
	}
	return FERRY_OK;
}

static int cw_sink(void *cw, const uint8_t *p, size_t n)
{
	return ferry_cw_data(cw, p, n);
}

/* The bundle being written: the container writer in front of the pipe
 * that seals and writes it out. */
typedef struct {
	ferry_cw *cw;
	const ferry_sealpipe *s;
} bundle_out;

/* The output's own errno when a write failed (a full disk says so);
 * otherwise the container or the pipe could not take more. */
static int write_failed(const bundle_out *b, ferry_err *e)
{
	int err = ferry_sealpipe_write_errno(b->s);
	if (err)
		return ferry_fail(e, FERRY_EOP, "cannot write the bundle: %s", strerror(err));
	return ferry_fail(e, FERRY_EOP, "cannot write the bundle");
}

/* One file copied as it is into a new item of kind. */
static int add_file(const bundle_out *b, uint8_t kind, const char *path,
                    const char *what, uint64_t *bytes, ferry_err *e)
{
	ferry_cw *cw = b->cw;
	uint8_t buf[65536];
	int fd = ferry_open_regular(path, what, e);
	if (fd < 0)
		return FERRY_EOP;
	*bytes = 0;
	int rc = ferry_cw_begin(cw, kind) == 0 ? FERRY_OK : write_failed(b, e);
	while (rc == FERRY_OK) {
		ssize_t r = ferry_read_full(fd, buf, sizeof buf);
		if (r < 0)
			rc = ferry_fail(e, FERRY_EOP, "%s '%s': read failed",
			                ferry_tr(what), path);
		else if (r > 0 && ferry_cw_data(cw, buf, (size_t)r) != 0)
			rc = write_failed(b, e);
		else
			*bytes += (uint64_t)r;
		if (r < (ssize_t)sizeof buf)
			break;
	}
	close(fd);
	sodium_memzero(buf, sizeof buf);
	if (rc == FERRY_OK && ferry_cw_end(cw, 0, NULL) != 0)
		rc = write_failed(b, e);
	return rc;
}

/* One page through the sanitizer into a new item. */
static int add_page(const bundle_out *b, const char *path, ferry_page_result *pr,
                    ferry_err *e)
{
	ferry_cw *cw = b->cw;
	int type;
	int fd = ferry_page_open(path, &type, e);
	if (fd < 0)
		return FERRY_EOP;
	uint8_t kind =
	    type == FERRY_PAGE_JPEG ? FERRY_ITEM_PAGE_JPEG : FERRY_ITEM_PAGE_PNG;
	if (ferry_cw_begin(cw, kind) != 0) {
		close(fd);
		return write_failed(b, e);
	}
	int rc = ferry_sanitize_fd(fd, type, cw_sink, cw, pr, e);
	close(fd);
	if (rc != FERRY_OK && ferry_sealpipe_write_errno(b->s))
		return write_failed(b, e); /* the output failed, not the page */
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "page '%s'", path);
	if (ferry_cw_end(cw, pr->orientation, pr->report) != 0)
		return write_failed(b, e);
	return FERRY_OK;
}

static int add_items(const bundle_out *b, const ferry_seal_input *in,
                     ferry_seal_report *rep, ferry_err *e)
{
	for (size_t i = 0; i < in->npages; i++)
		if (add_page(b, in->pages[i], &rep->pages[i], e) != FERRY_OK)
			return ferry_err_prefix(e, "nothing was sealed");
	if (in->answers && add_file(b, FERRY_ITEM_ANSWERS, in->answers, N_("answers"),
	                            &rep->answers_bytes, e) != FERRY_OK)
		return ferry_err_prefix(e, "cannot add the answers");
	for (size_t i = 0; i < in->nattachments; i++) {
		uint64_t bytes = 0;
		if (add_file(b, FERRY_ITEM_ATTACHMENT, in->attachments[i],
		             N_("attachment"), &bytes, e) != FERRY_OK)
			return ferry_err_prefix(e, "cannot add an attachment");
	}
	return FERRY_OK;
}

static unsigned workers_for(unsigned jobs)
{
	unsigned w = jobs == 0 ? ferry_sealpipe_default_workers() : jobs - 1;
	return w > FERRY_SEALPIPE_MAX_WORKERS ? FERRY_SEALPIPE_MAX_WORKERS : w;
}

int ferry_seal_bundle(const ferry_form_pub *f, const ferry_seal_input *in,
                      ferry_write_fn write, void *io, ferry_seal_report *rep,
                      ferry_err *e)
{
	ferry_cw *cw = NULL;
	int rc = FERRY_EOP, walk = in->walk_in;
	memset(rep, 0, sizeof *rep);
	ferry_sealpipe *s = ferry_sealpipe_create(workers_for(in->jobs));
	if (!s)
		return ferry_fail(e, FERRY_EOP, "cannot start sealing: %s", strerror(errno));
	rep->pages = calloc(in->npages ? in->npages : 1, sizeof *rep->pages);
	if (!rep->pages) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	ferry_pack_proof proof;
	if (in->word) {
		memcpy(proof.word, in->word, sizeof proof.word);
		memcpy(proof.pack_id, f->pack_id, sizeof proof.pack_id);
	}
	int begun = ferry_sealpipe_begin_proven(
	    s, walk ? FERRY_KIND_WALKIN : FERRY_KIND_TESTIMONY,
	    walk ? FERRY_NO_FORM : f->form_index, f->spk, walk ? NULL : f->opk,
	    f->relay_pk, in->word ? &proof : NULL, write, io);
	sodium_memzero(&proof, sizeof proof);
	if (begun != 0) {
		bundle_out b = {NULL, s};
		rc = ferry_sealpipe_write_errno(s)
		         ? write_failed(&b, e)
		         : ferry_fail_hint(
		               e, FERRY_EVERIFY, "ask the journalist for a new pack",
		               "the pack's keys are refused: they are not valid public keys");
		goto out;
	}
	if (!(cw = ferry_cw_create(ferry_sealpipe_sink, s))) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	bundle_out b = {cw, s};
	if ((rc = add_items(&b, in, rep, e)) != FERRY_OK)
		goto out;
	if (ferry_cw_finish(cw) != 0 || ferry_sealpipe_finish(s, &rep->bundle_len) != 0)
		rc = write_failed(&b, e);
out:
	ferry_cw_free(cw);
	ferry_sealpipe_free(s);
	return rc;
}

void ferry_seal_report_free(ferry_seal_report *rep)
{
	free(rep->pages);
	rep->pages = NULL;
}
