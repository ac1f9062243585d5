/* Pages as files: open, identify by content, rewind, sanitize. */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "../common/fileio.h"
#include "../common/i18n.h"
#include "sanitize.h"

int ferry_page_open(const char *path, int *type, ferry_err *e)
{
	uint8_t head[16];
	const char *name = NULL;
	*type = FERRY_PAGE_OTHER;
	int fd = ferry_open_regular(path, N_("page"), e);
	if (fd < 0)
		return FERRY_EOP;
	ssize_t n = ferry_read_full(fd, head, sizeof head);
	if (n < 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return ferry_fail(e, FERRY_EOP, "page '%s': cannot read it", path);
	}
	*type = ferry_page_identify(head, (size_t)n, &name);
	if (*type == FERRY_PAGE_OTHER) {
		close(fd);
		/* The article is English's alone: one message each. */
		if (!name)
			return ferry_fail_hint(
			    e, FERRY_EOP, ferry_page_advice(name),
			    "page '%s': this is an unknown file type, not a JPEG or PNG photo",
			    path);
		return ferry_fail_hint(
		    e, FERRY_EOP, ferry_page_advice(name),
		    strcmp(ferry_page_article(name), "an")
		        ? ferry_tr("page '%s': this is a %s, not a JPEG or PNG photo")
		        : ferry_tr("page '%s': this is an %s, not a JPEG or PNG photo"),
		    path, ferry_tr(name));
	}
	return fd;
}

int ferry_sanitize_fd(int fd, int type, ferry_write_fn write, void *io,
                      ferry_page_result *res, ferry_err *e)
{
	if (!write)
		write = ferry_write_null;
	return type == FERRY_PAGE_JPEG
	           ? ferry_sanitize_jpeg(ferry_read_fd, &fd, write, io, res, e)
	           : ferry_sanitize_png(ferry_read_fd, &fd, write, io, res, e);
}

int ferry_sanitize_path(const char *path, ferry_write_fn write, void *io,
                        ferry_page_result *res, ferry_err *e)
{
	int type = FERRY_PAGE_OTHER;
	memset(res, 0, sizeof *res);
	int fd = ferry_page_open(path, &type, e);
	if (fd < 0)
		return FERRY_EOP;
	int rc = ferry_sanitize_fd(fd, type, write, io, res, e);
	close(fd);
	if (rc != FERRY_OK)
		return ferry_err_prefix(e, "page '%s'", path);
	return FERRY_OK;
}
