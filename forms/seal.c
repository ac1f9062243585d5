#include "seal.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../crypto/bundle.h"
#include "container.h"
#include "fileio.h"
#include "sealpipe.h"
#include "utf8.h"

int ferry_write_fd(void *io, const uint8_t *p, size_t n)
{
	return ferry_write_all(*(int *)io, p, n);
}

static int write_null(void *io, const uint8_t *p, size_t n)
{
	(void)io;
	(void)p;
	(void)n;
	return 0;
}

static int open_regular(const char *path, ferry_err *e, const char *what)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ferry_fail(e, -1, "%s %s: %s", what, path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return ferry_fail(e, -1, "%s %s: %s", what, path,
		                  S_ISDIR(st.st_mode) ? "is a folder, not a file"
		                                      : "is not a regular file");
	}
	if (st.st_size == 0) {
		close(fd);
		return ferry_fail(e, -1, "%s %s: the file is empty", what, path);
	}
	return fd;
}

/* Opens a page, identifies it by its first bytes and rewinds it. On
 * success returns the fd and sets *type (JPEG or PNG); anything else is
 * refused with a message naming the type and what to do. */
static int open_page(const char *path, int *type, ferry_err *e)
{
	uint8_t head[16];
	const char *name = NULL;
	int fd = open_regular(path, e, "page");
	if (fd < 0)
		return -1;
	ssize_t n = ferry_read_full(fd, head, sizeof head);
	if (n < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return ferry_fail(e, -1, "page %s: cannot read it", path);
	}
	*type = ferry_page_identify(head, (size_t)n, &name);
	if (*type == FERRY_PAGE_OTHER) {
		close(fd);
		return ferry_fail(e, -1,
		                  "page %s: this is %s%s, not a JPEG or PNG photo: %s",
		                  path, name ? "a " : "an unknown file type",
		                  name ? name : "", ferry_page_advice(name));
	}
	return fd;
}

static int sanitize_fd(int fd, int type, ferry_write_fn write, void *io,
                       ferry_page_result *res)
{
	return type == FERRY_PAGE_JPEG
	           ? ferry_sanitize_jpeg(ferry_read_fd, &fd, write, io, res)
	           : ferry_sanitize_png(ferry_read_fd, &fd, write, io, res);
}

int ferry_sanitize_path(const char *path, ferry_write_fn write, void *io,
                        ferry_page_result *res)
{
	ferry_err e;
	int type = FERRY_PAGE_OTHER;
	memset(res, 0, sizeof *res);
	int fd = open_page(path, &type, &e);
	if (fd < 0) {
		snprintf(res->error, sizeof res->error, "%s", e.msg);
		return -1;
	}
	int rc = sanitize_fd(fd, type, write ? write : write_null, io, res);
	close(fd);
	if (rc != 0) {
		char msg[sizeof res->error];
		snprintf(msg, sizeof msg, "page %s: %s", path, res->error);
		snprintf(res->error, sizeof res->error, "%s", msg);
	}
	return rc;
}

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

int ferry_seal_precheck(const ferry_seal_input *in, ferry_err *e)
{
	if (in->npages == 0 && !in->answers && in->nattachments == 0)
		return ferry_fail(e, FERRY_EOP,
		                  "nothing to seal: give page photos, --answers or "
		                  "--attach");
	if (in->npages > 99)
		return ferry_fail(e, FERRY_EOP, "at most 99 pages in one bundle");
	for (size_t i = 0; i < in->npages; i++) {
		int type;
		int fd = open_page(in->pages[i], &type, e);
		if (fd < 0)
			return FERRY_EOP;
		close(fd);
	}
	if (in->answers) {
		uint8_t *t = NULL;
		size_t n = 0, line = 0;
		const char *why = "";
		if (ferry_read_file(in->answers, FERRY_ANSWERS_MAX, &t, &n, &why) != 0)
			return ferry_fail(e, FERRY_EOP, "answers %s: %s", in->answers,
			                  why);
		int bad = utf8_check(t, n, &line);
		free(t);
		if (bad)
			return ferry_fail(e, FERRY_EOP,
			                  "answers %s: line %zu is not valid "
			                  "UTF-8 text: save "
			                  "the file as UTF-8",
			                  in->answers, line);
	}
	for (size_t i = 0; i < in->nattachments; i++) {
		int fd = open_regular(in->attachments[i], e, "attachment");
		if (fd < 0)
			return FERRY_EOP;
		close(fd);
	}
	return FERRY_OK;
}

static int stream_file(ferry_cw *cw, const char *path, uint64_t *bytes, ferry_err *e,
                       const char *what)
{
	uint8_t buf[65536];
	int fd = open_regular(path, e, what);
	if (fd < 0)
		return FERRY_EOP;
	*bytes = 0;
	for (;;) {
		ssize_t r = ferry_read_full(fd, buf, sizeof buf);
		if (r < 0) {
			close(fd);
			return ferry_fail(e, FERRY_EOP, "%s %s: read failed", what,
			                  path);
		}
		if (r > 0 && ferry_cw_data(cw, buf, (size_t)r) != 0) {
			close(fd);
			return ferry_fail(e, FERRY_EOP, "cannot write the bundle");
		}
		*bytes += (uint64_t)r;
		if ((size_t)r < sizeof buf)
			break;
	}
	close(fd);
	return FERRY_OK;
}

static int cw_sink(void *cw, const uint8_t *p, size_t n)
{
	return ferry_cw_data(cw, p, n);
}

int ferry_seal_bundle(const ferry_form_pub *f, const ferry_seal_input *in,
                      ferry_write_fn write, void *io, ferry_seal_report *rep,
                      ferry_err *e)
{
	ferry_sealpipe *s;
	ferry_cw *cw = NULL;
	int rc = FERRY_EOP;
	memset(rep, 0, sizeof *rep);
	unsigned workers =
	    in->jobs == 0 ? ferry_sealpipe_default_workers() : in->jobs - 1;
	if (workers > FERRY_SEALPIPE_MAX_WORKERS)
		workers = FERRY_SEALPIPE_MAX_WORKERS;
	s = ferry_sealpipe_create(workers);
	if (!s)
		return ferry_fail(e, FERRY_EOP,
		                  "out of memory, or no thread to seal with");
	rep->pages = calloc(in->npages ? in->npages : 1, sizeof *rep->pages);
	if (!rep->pages) {
		ferry_sealpipe_free(s);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	int walk = in->walk_in;
	if (ferry_sealpipe_begin(s, walk ? FERRY_KIND_WALKIN : FERRY_KIND_TESTIMONY,
	                         walk ? FERRY_NO_FORM : f->form_index, f->spk,
	                         walk ? NULL : f->opk, f->relay_key, write, io) != 0) {
		rc = ferry_fail(e, FERRY_EOP,
		                "cannot start the bundle (bad keys in the pack, or the "
		                "output cannot be written)");
		goto out;
	}
	cw = ferry_cw_create(ferry_sealpipe_sink, s);
	if (!cw) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < in->npages; i++) {
		ferry_page_result *pr = &rep->pages[i];
		int type;
		int fd = open_page(in->pages[i], &type, e);
		if (fd < 0)
			goto out;
		if (ferry_cw_begin(cw, type == FERRY_PAGE_JPEG
		                           ? FERRY_ITEM_PAGE_JPEG
		                           : FERRY_ITEM_PAGE_PNG) != 0) {
			close(fd);
			rc = ferry_fail(e, FERRY_EOP, "cannot write the bundle");
			goto out;
		}
		int src = sanitize_fd(fd, type, cw_sink, cw, pr);
		close(fd);
		if (src != 0) {
			rc = ferry_fail(e, FERRY_EOP, "page %s: %s; nothing was sealed",
			                in->pages[i], pr->error);
			goto out;
		}
		if (ferry_cw_end(cw, pr->orientation, pr->report) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write the bundle");
			goto out;
		}
	}
	if (in->answers) {
		if (ferry_cw_begin(cw, FERRY_ITEM_ANSWERS) != 0 ||
		    stream_file(cw, in->answers, &rep->answers_bytes, e, "answers") !=
		        0 ||
		    ferry_cw_end(cw, 0, NULL) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot add the answers: %s",
			                e->msg);
			goto out;
		}
	}
	for (size_t i = 0; i < in->nattachments; i++) {
		uint64_t bytes = 0;
		if (ferry_cw_begin(cw, FERRY_ITEM_ATTACHMENT) != 0 ||
		    stream_file(cw, in->attachments[i], &bytes, e, "attachment") != 0 ||
		    ferry_cw_end(cw, 0, NULL) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot add an attachment: %s",
			                e->msg);
			goto out;
		}
	}
	if (ferry_cw_finish(cw) != 0 ||
	    ferry_sealpipe_finish(s, &rep->bundle_len) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot finish the bundle");
		goto out;
	}
	rc = FERRY_OK;
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
