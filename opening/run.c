#include "run.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "openpipe.h"

typedef struct {
	char **paths;
	size_t n, cap;
} pathlist;

static void pathlist_free(pathlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof *l);
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_path(pathlist *l, const char *p, ferry_err *e)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 32;
		char **q = realloc(l->paths, cap * sizeof *q);
		if (!q)
			return ferry_fail(e, FERRY_EOP, "out of memory");
		l->paths = q;
		l->cap = cap;
	}
	if (!(l->paths[l->n] = strdup(p)))
		return ferry_fail(e, FERRY_EOP, "out of memory");
	l->n++;
	return FERRY_OK;
}

/* A file as it is; a folder's files (not its folders), in name order. A
 * dot-named file is a bundle like any other (a relay or a copy may name
 * it so): opened or named, never skipped. */
static int collect(pathlist *l, const char *p, ferry_err *e)
{
	if (!is_dir(p))
		return add_path(l, p, e);
	DIR *dir = opendir(p);
	if (!dir)
		return ferry_fail(e, FERRY_EOP, "cannot read '%s': %s", p, strerror(errno));
	struct dirent *de;
	size_t start = l->n;
	int rc = FERRY_OK;
	while (rc == FERRY_OK && (de = readdir(dir)) != NULL) {
		char full[FERRY_PATH_MAX];
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (ferry_path_join(full, sizeof full, p, de->d_name) != 0)
			rc = ferry_fail(e, FERRY_EOP, "'%s/%s': the path is too long", p,
			                de->d_name);
		else if (!is_dir(full))
			rc = add_path(l, full, e);
	}
	closedir(dir);
	if (l->n > start)
		qsort(l->paths + start, l->n - start, sizeof *l->paths, cmp_str);
	return rc;
}

/* A path that is the desk, or inside it but not in its intake, would
 * have the vault or the log moved to quarantine. */
static int inside_desk(const char *desk, const char *arg, ferry_err *e)
{
	char d[PATH_MAX], a[PATH_MAX], in[FERRY_PATH_MAX];
	if (!realpath(desk, d) || !realpath(arg, a))
		return FERRY_OK; /* the open itself reports a path that does not exist */
	if (!ferry_path_within(a, d))
		return FERRY_OK;
	if (ferry_path_join(in, sizeof in, d, "intake") == 0 && ferry_path_within(a, in))
		return FERRY_OK;
	ferry_fail(e, FERRY_EUSAGE,
	           "'%s' is the desk itself or one of its own folders; nothing was opened",
	           arg);
	return ferry_hint(e, "copy bundles into '%s/intake' or give a folder outside the desk",
	                  desk);
}

static int collect_all(ferry_desk *d, char **paths, int n, pathlist *l, ferry_err *e)
{
	char def[FERRY_PATH_MAX];
	for (int i = 0; i < n; i++)
		if (inside_desk(d->dir, paths[i], e) != FERRY_OK)
			return FERRY_EUSAGE;
	if (n == 0) {
		if (ferry_path_join(def, sizeof def, d->dir, "intake") != 0)
			return ferry_fail(e, FERRY_EOP, "the desk's path is too long");
		return collect(l, def, e);
	}
	for (int i = 0; i < n; i++)
		if (collect(l, paths[i], e) != FERRY_OK)
			return FERRY_EOP;
	return FERRY_OK;
}

/* The bundles in order; after a full disk the rest are left untried. */
static void open_all(ferry_desk *d, const pathlist *l, const ferry_run_callbacks *cb,
                     ferry_run_report *rep)
{
	uint64_t bytes = 0;
	int full = 0;
	for (size_t i = 0; i < l->n; i++) {
		ferry_open_result r;
		ferry_err e;
		struct stat st;
		if (full) {
			rep->counts[FERRY_OUT_LEFT]++;
			continue;
		}
		const char *base = ferry_basename(l->paths[i]);
		if (lstat(l->paths[i], &st) == 0 && S_ISREG(st.st_mode))
			bytes += (uint64_t)st.st_size;
		ferry_err_clear(&e);
		if (ferry_desk_open_bundle(d, l->paths[i], &r, &e) != FERRY_OK)
			r.outcome = FERRY_OUT_LEFT;
		rep->counts[r.outcome]++;
		if (cb && cb->outcome)
			cb->outcome(cb->u, base, &r, &e, i + 1, l->n, bytes);
		if (r.outcome == FERRY_OUT_LEFT && r.out_of_space) {
			full = 1; /* the rest stays in intake for a rerun */
			if (cb && cb->disk_full)
				cb->disk_full(cb->u, l->n - i - 1);
		}
	}
}

int ferry_desk_open_run(ferry_desk *d, char **paths, int n, unsigned jobs,
                        const ferry_run_callbacks *cb, ferry_run_report *rep,
                        ferry_err *e)
{
	pathlist l = {0};
	memset(rep, 0, sizeof *rep);
	if (collect_all(d, paths, n, &l, e) != FERRY_OK) {
		pathlist_free(&l);
		return e->code ? e->code : FERRY_EOP;
	}
	rep->total = l.n;
	d->save_every = FERRY_RUN_SAVE_EVERY;
	/* The caller's thread decrypts too: N threads are N - 1 workers. */
	unsigned workers = jobs ? jobs - 1 : ferry_openpipe_default_workers();
	if (!(d->pipe = ferry_openpipe_create(workers))) {
		pathlist_free(&l);
		return ferry_fail(e, FERRY_EOP, "cannot start %u decryption thread%s",
		                  workers, workers == 1 ? "" : "s");
	}
	open_all(d, &l, cb, rep);
	pathlist_free(&l);
	ferry_openpipe_free(d->pipe);
	d->pipe = NULL;
	ferry_err_clear(&rep->end_err);
	if (ferry_desk_flush(d, &rep->end_err) != FERRY_OK) {
		ferry_hint(&rep->end_err, "the next 'ferry-desk open' finishes it from the log");
		rep->end_failed = 1;
	} else if (ferry_desk_expire(d, ferry_now(), &rep->expired, &rep->end_err) !=
	           FERRY_OK) {
		rep->end_failed = 1;
	}
	return FERRY_OK;
}
