#include "intake.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../crypto/bundle.h"
#include "../forms/container.h"

static const char DOM_SEEN[] = "ferry-v1 seen bundle";

const char *ferry_outcome_name(int o)
{
	static const char *names[] = {"testimony", "walk-in",  "chaff",   "duplicate",
	                              "answered",  "not-ours", "corrupt", "left"};
	return o >= 0 && o <= FERRY_OUT_LEFT ? names[o] : "?";
}

static void seen_hash(uint8_t out[FERRY_SEEN_LEN], const uint8_t epk_raw[32])
{
	uint8_t epk[32];
	crypto_generichash_state st;
	memcpy(epk, epk_raw, 32);
	epk[31] &= 0x7f;
	crypto_generichash_init(&st, NULL, 0, FERRY_SEEN_LEN);
	crypto_generichash_update(&st, (const uint8_t *)DOM_SEEN, sizeof DOM_SEEN);
	crypto_generichash_update(&st, epk, 32);
	crypto_generichash_final(&st, out, FERRY_SEEN_LEN);
}

static void iso_time(char out[32], time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void day_of(char out[16], time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Text that came out of a bundle is shown only as printable ASCII. */
static void printable(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			*s = '?';
}

/* After removing a processed bundle. A lost fsync can only bring the
 * bundle back after a crash, and the desk then reports it as already
 * answered or a duplicate: nothing is lost or doubled. */
static void sync_parent(const char *path)
{
	char dir[FERRY_PATH_MAX];
	ferry_dirname(dir, sizeof dir, path);
	if (ferry_fsync_dir(dir) != 0)
		return;
}

/* ---- recovery ---- */

typedef struct {
	ferry_desk *d;
	int bad;
} recover_ctx;

static const char *field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
		if (!strncmp(l, key, kl) && l[kl] == ':' && l[kl + 1] == ' ')
			return l + kl + 2;
	return NULL;
}

static int hex_field(uint8_t *out, size_t n, const char *text, const char *key)
{
	const char *v = field(text, key);
	if (!v)
		return -1;
	size_t bin = 0;
	const char *end = NULL;
	if (sodium_hex2bin(out, n, v, 2 * n, NULL, &bin, &end) != 0 || bin != n)
		return -1;
	return 0;
}

static int recover_visit(void *u, uint64_t seq, const char *text)
{
	recover_ctx *rc = u;
	ferry_vault *v = rc->d->v;
	if (seq < v->log_count)
		return 0;
	/* An entry the vault has not recorded: the open that wrote it was cut
	 * off before the vault was saved. Finish it. */
	uint8_t pack_id[FERRY_PACK_ID_LEN], seen[FERRY_SEEN_LEN];
	const char *kind = field(text, "kind");
	if (!kind || hex_field(pack_id, sizeof pack_id, text, "pack-id") != 0 ||
	    hex_field(seen, sizeof seen, text, "seen") != 0) {
		rc->bad = 1;
		return -1;
	}
	int p = ferry_vault_find_pack(v, pack_id);
	if (p < 0) {
		rc->bad = 1;
		return -1;
	}
	if (!strncmp(kind, "testimony", 9)) {
		const char *fi = field(text, "form-index");
		long f = fi ? strtol(fi, NULL, 10) : -1;
		const char *when = field(text, "opened-unix");
		uint64_t t = when ? strtoull(when, NULL, 10) : (uint64_t)time(NULL);
		if (f < 0 || f >= v->packs[p].nforms ||
		    ferry_vault_mark_answered(v, (uint32_t)p, (uint32_t)f, seen, t) !=
		        0) {
			rc->bad = 1;
			return -1;
		}
	} else if (v->packs[p].state == FERRY_PACK_ACTIVE &&
	           ferry_vault_add_seen(v, (uint32_t)p, seen) != 0) {
		rc->bad = 1;
		return -1;
	}
	return 0;
}

int ferry_desk_recover(ferry_desk *d, ferry_err *e)
{
	ferry_log_state st;
	const char *why = "";
	recover_ctx rc = {d, 0};
	ferry_vault *v = d->v;
	if (ferry_log_walk(d->log_path, v->log_key, d->desk_id, v->log_count,
	                   v->log_head, recover_visit, &rc, &st, &why) != 0)
		return ferry_fail(e, FERRY_EVERIFY,
		                  rc.bad
		                      ? "the log has an unfinished entry that cannot "
		                        "be applied; nothing was opened"
		                      : "log verification failed (%s); nothing was "
		                        "opened",
		                  why);
	if (st.count < v->log_count || !st.head_matched)
		return ferry_fail(e, FERRY_EVERIFY,
		                  "the log does not match the vault (cut off, replaced "
		                  "or rewritten); nothing was opened. Run 'ferry-desk "
		                  "log DESK verify' for details");
	int changed = st.count != v->log_count;
	if (st.torn_tail && ferry_log_truncate(d->log_path, st.good_end) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot repair the log's torn end: %s",
		                  strerror(errno));
	if (changed) {
		v->log_count = st.count;
		memcpy(v->log_head, st.head, 32);
		return ferry_desk_save(d, e);
	}
	return FERRY_OK;
}

/* ---- extraction ---- */

typedef struct {
	char dir[FERRY_PATH_MAX];
	int fd;
	int chaff;
	unsigned pages, answers, attachments;
	char name[40];
	crypto_generichash_state h;
	char *items; /* manifest lines */
	size_t items_len, items_cap;
	ferry_open_result *r;
} extract;

static int ex_append(extract *x, const char *s)
{
	size_t l = strlen(s);
	if (x->items_len + l + 1 > x->items_cap) {
		size_t cap = x->items_cap ? x->items_cap * 2 : 4096;
		while (cap < x->items_len + l + 1)
			cap *= 2;
		char *q = realloc(x->items, cap);
		if (!q)
			return -1;
		x->items = q;
		x->items_cap = cap;
	}
	memcpy(x->items + x->items_len, s, l + 1);
	x->items_len += l;
	return 0;
}

static int ex_begin(void *u, unsigned index, uint8_t kind)
{
	extract *x = u;
	char path[FERRY_PATH_MAX];
	(void)index;
	if (x->chaff)
		return -1;
	switch (kind) {
	case FERRY_ITEM_PAGE_JPEG:
	case FERRY_ITEM_PAGE_PNG:
		x->pages++;
		snprintf(x->name, sizeof x->name, "page-%02u.%s", x->pages,
		         kind == FERRY_ITEM_PAGE_JPEG ? "jpg" : "png");
		break;
	case FERRY_ITEM_ANSWERS:
		x->answers++;
		if (x->answers == 1)
			snprintf(x->name, sizeof x->name, "answers.txt");
		else
			snprintf(x->name, sizeof x->name, "answers-%u.txt", x->answers);
		break;
	default:
		x->attachments++;
		snprintf(x->name, sizeof x->name, "attachment-%02u.bin",
		         x->attachments);
		break;
	}
	if ((size_t)snprintf(path, sizeof path, "%s/%s", x->dir, x->name) >=
	    sizeof path)
		return -1;
	x->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (x->fd < 0)
		return -1;
	crypto_generichash_init(&x->h, NULL, 0, 32);
	return 0;
}

static int ex_data(void *u, const uint8_t *p, size_t n)
{
	extract *x = u;
	crypto_generichash_update(&x->h, p, n);
	return ferry_write_all(x->fd, p, n);
}

static int ex_end(void *u, const ferry_item_info *info)
{
	extract *x = u;
	uint8_t h[32];
	char hex[65], line[FERRY_REPORT_MAX + 256], report[FERRY_REPORT_MAX + 1];
	int rc = fsync(x->fd) == 0 ? 0 : -1;
	if (close(x->fd) != 0)
		rc = -1;
	x->fd = -1;
	if (rc != 0)
		return -1;
	crypto_generichash_final(&x->h, h, sizeof h);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	snprintf(report, sizeof report, "%s", info->report);
	printable(report);
	if (info->kind == FERRY_ITEM_ATTACHMENT)
		snprintf(report, sizeof report,
		         "opaque attachment: its metadata was NOT removed");
	char orient[24] = "";
	if (info->orientation)
		snprintf(orient, sizeof orient, "; orientation %u", info->orientation);
	snprintf(line, sizeof line, "  %s %llu bytes blake2b-256:%s%s%s%s\n", x->name,
	         (unsigned long long)info->size, hex, orient,
	         report[0] ? "; removed by the sealer: " : "", report);
	if (info->kind != FERRY_ITEM_ANSWERS &&
	    x->r->nreports < sizeof x->r->reports / sizeof x->r->reports[0])
		snprintf(x->r->reports[x->r->nreports++], sizeof x->r->reports[0],
		         "%s: %s", x->name, report[0] ? report : "-");
	return ex_append(x, line);
}

static int quarantine(ferry_desk *d, const char *path, int outcome, const char *reason,
                      ferry_open_result *r)
{
	char name[24], qdir[FERRY_PATH_MAX], q[FERRY_PATH_MAX], rp[FERRY_PATH_MAX];
	char text[1400], when[32];
	ferry_random_name(name, 16);
	snprintf(qdir, sizeof qdir, "%s/quarantine", d->dir);
	if ((size_t)snprintf(q, sizeof q, "%s/%s.bundle", qdir, name) >= sizeof q ||
	    (size_t)snprintf(rp, sizeof rp, "%s/%s.reason", qdir, name) >= sizeof rp)
		return -2;
	r->outcome = outcome;
	snprintf(r->detail, sizeof r->detail, "%s", reason);
	if (ferry_move_file(path, q) != 0) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail,
		         "%s; and it could not be moved to quarantine (%s), so it was "
		         "left where it is",
		         reason, strerror(errno));
		return -2;
	}
	snprintf(r->moved_to, sizeof r->moved_to, "%s", q);
	iso_time(when, time(NULL));
	const char *base = strrchr(path, '/');
	int n = snprintf(
	    text, sizeof text, "outcome: %s\nreason: %s\nquarantined: %s\nfrom: %s\n",
	    ferry_outcome_name(outcome), reason, when, base ? base + 1 : path);
	/* The bundle is already safe in quarantine; a missing reason file is
	 * reported but loses nothing. */
	if (ferry_atomic_write(rp, (uint8_t *)text, (size_t)n, 0600, 1) != 0)
		snprintf(r->detail + strlen(r->detail),
		         sizeof r->detail - strlen(r->detail),
		         " (the reason file could not be written)");
	return 0;
}

/* Candidate packs are tried in turn; the key-committing header lets at
 * most one of them open it. */
static int find_pack(ferry_desk *d, ferry_opener *o, const uint8_t *prefix,
                     uint64_t size)
{
	static const uint8_t zero[32];
	for (uint32_t i = 0; i < d->v->npacks; i++) {
		ferry_vault_pack *p = &d->v->packs[i];
		if (p->state != FERRY_PACK_ACTIVE ||
		    sodium_memcmp(p->spk_sk, zero, 32) == 0)
			continue;
		if (ferry_opener_try(o, prefix, size, p->spk_sk, p->spk_pk) == 0)
			return (int)i;
	}
	return -1;
}

static int stream_payload(int fd, ferry_opener *o, ferry_cr *cr, uint8_t *ct,
                          uint8_t *pt, const char **why)
{
	size_t want;
	while ((want = ferry_opener_next_len(o)) > 0) {
		size_t got = 0;
		if (ferry_read_full(fd, ct, want) != (ssize_t)want) {
			*why = "the bundle is cut short";
			return -1;
		}
		if (ferry_opener_chunk(o, ct, want, pt, &got) != 0) {
			*why = "the payload does not authenticate (altered, cut or "
			       "spliced)";
			return -1;
		}
		if (ferry_cr_feed(cr, pt, got) != 0) {
			*why = ferry_cr_error(cr);
			sodium_memzero(pt, got);
			return -1;
		}
		sodium_memzero(pt, got);
	}
	uint8_t tag[17];
	if (ferry_read_full(fd, tag, sizeof tag) != 16) {
		*why = "the bundle's length changed while it was read";
		return -1;
	}
	if (ferry_opener_finish(o, tag) != 0) {
		*why = "the relay tag does not verify (the bundle was altered)";
		return -1;
	}
	if (ferry_cr_finish(cr) != 0) {
		*why = ferry_cr_error(cr);
		return -1;
	}
	return 0;
}

static int write_manifest(extract *x, const char *head)
{
	char path[FERRY_PATH_MAX];
	snprintf(path, sizeof path, "%s/manifest.txt", x->dir);
	size_t hl = strlen(head);
	char *buf = malloc(hl + x->items_len + 1);
	if (!buf)
		return -1;
	memcpy(buf, head, hl);
	if (x->items_len)
		memcpy(buf + hl, x->items, x->items_len);
	int rc = ferry_atomic_write(path, (uint8_t *)buf, hl + x->items_len, 0600, 1);
	free(buf);
	return rc;
}

static int place_case(ferry_desk *d, const char *tmpdir, const char *name, char *dest,
                      size_t cap)
{
	char cases[FERRY_PATH_MAX], aside[FERRY_PATH_MAX], rnd[12];
	struct stat st;
	snprintf(cases, sizeof cases, "%s/cases", d->dir);
	if ((size_t)snprintf(dest, cap, "%s/%s", cases, name) >= cap)
		return -1;
	/* A folder already there is from an open that was cut off before it
	 * logged; keep it aside rather than overwrite anything. */
	if (lstat(dest, &st) == 0) {
		ferry_random_name(rnd, 8);
		snprintf(aside, sizeof aside, "%s.interrupted-%s", dest, rnd);
		if (rename(dest, aside) != 0)
			return -1;
	}
	if (ferry_fsync_dir(tmpdir) != 0 || rename(tmpdir, dest) != 0)
		return -1;
	return ferry_fsync_dir(cases);
}

int ferry_desk_open_bundle(ferry_desk *d, const char *path, ferry_open_result *r)
{
	uint8_t prefix[FERRY_PREFIX_LEN], seen[FERRY_SEEN_LEN];
	char reason[700], when[32], day[16], packhex[2 * FERRY_PACK_ID_LEN + 1];
	char seenhex[2 * FERRY_SEEN_LEN + 1], casepath[FERRY_PATH_MAX];
	struct stat st;
	const char *why = "";
	ferry_opener *o = NULL;
	uint8_t *ct = NULL, *pt = NULL;
	ferry_cr *cr = NULL;
	extract x;
	int rc = 0, fd = -1, have_tmp = 0;
	time_t now = time(NULL);

	memset(r, 0, sizeof *r);
	memset(&x, 0, sizeof x);
	x.fd = -1;
	x.r = r;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail, "%s",
		         fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -2;
	}
	uint64_t size = (uint64_t)st.st_size;
	if (!ferry_bundle_len_valid(size)) {
		snprintf(reason, sizeof reason,
		         "corrupt: its length (%llu bytes) is not a bundle length "
		         "(cut short, padded, or not a bundle)",
		         (unsigned long long)size);
		close(fd);
		return quarantine(d, path, FERRY_OUT_CORRUPT, reason, r);
	}
	if (ferry_read_full(fd, prefix, sizeof prefix) != (ssize_t)sizeof prefix) {
		close(fd);
		return quarantine(d, path, FERRY_OUT_CORRUPT,
		                  "corrupt: the bundle is cut short", r);
	}
	o = sodium_malloc(sizeof *o);
	ct = sodium_malloc(FERRY_CHUNK_CT_LEN);
	pt = sodium_malloc(FERRY_CHUNK_LEN);
	if (!o || !ct || !pt) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail, "out of memory");
		rc = -2;
		goto out;
	}
	int p = find_pack(d, o, prefix, size);
	if (p < 0) {
		close(fd);
		fd = -1;
		rc =
		    quarantine(d, path, FERRY_OUT_UNKNOWN,
		               "not-ours: no active pack of this desk opens it (sealed "
		               "for another desk or a retired pack, or damaged)",
		               r);
		goto out;
	}
	ferry_vault_pack *pk = &d->v->packs[p];
	seen_hash(seen, prefix);
	sodium_bin2hex(packhex, sizeof packhex, pk->pack_id, FERRY_PACK_ID_LEN);
	sodium_bin2hex(seenhex, sizeof seenhex, seen, FERRY_SEEN_LEN);
	uint8_t kind = o->info.kind;
	uint32_t fi = o->info.form_index;
	const uint8_t *opk_sk = NULL, *opk_pk = NULL;
	if (kind == FERRY_KIND_TESTIMONY) {
		if (fi >= pk->nforms) {
			close(fd);
			fd = -1;
			rc = quarantine(
			    d, path, FERRY_OUT_CORRUPT,
			    "corrupt: it names a form this pack does not have", r);
			goto out;
		}
		ferry_vault_form *fm = &pk->forms[fi];
		ferry_form_code_text(r->form, fm->code);
		if (fm->state == FERRY_FORM_ANSWERED) {
			day_of(day, (time_t)fm->answered_at);
			snprintf(
			    reason, sizeof reason,
			    "answered: form %s was already answered on %s; its "
			    "one-time key is destroyed, so this bundle's pages cannot "
			    "be opened%s",
			    r->form, day,
			    ferry_vault_has_seen(d->v, (uint32_t)p, seen)
			        ? " (it is the very bundle opened then)"
			        : " (it is a different bundle for the same form)");
			close(fd);
			fd = -1;
			rc = quarantine(d, path, FERRY_OUT_ANSWERED, reason, r);
			goto out;
		}
		opk_sk = fm->opk_sk;
		opk_pk = fm->opk_pk;
	} else if (ferry_vault_has_seen(d->v, (uint32_t)p, seen)) {
		close(fd);
		fd = -1;
		rc = quarantine(d, path, FERRY_OUT_DUPLICATE,
		                "duplicate: this bundle was already opened", r);
		goto out;
	}
	if (ferry_opener_payload_init(o, opk_sk, opk_pk, d->v->relay_key) != 0) {
		close(fd);
		fd = -1;
		rc = quarantine(d, path, FERRY_OUT_CORRUPT,
		                "corrupt: cannot derive its payload key", r);
		goto out;
	}

	x.chaff = kind == FERRY_KIND_CHAFF;
	char rnd[20];
	ferry_random_name(rnd, 16);
	if ((size_t)snprintf(x.dir, sizeof x.dir, "%s/tmp/open-%s", d->dir, rnd) >=
	        sizeof x.dir ||
	    mkdir(x.dir, 0700) != 0) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail, "cannot create a temp folder: %s",
		         strerror(errno));
		rc = -2;
		goto out;
	}
	have_tmp = 1;
	static const ferry_cr_callbacks cbs = {ex_begin, ex_data, ex_end};
	cr = ferry_cr_create(&cbs, &x);
	if (!cr) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail, "out of memory");
		rc = -2;
		goto out;
	}
	if (stream_payload(fd, o, cr, ct, pt, &why) != 0) {
		if (x.fd >= 0)
			close(x.fd);
		x.fd = -1;
		ferry_remove_tree(x.dir);
		have_tmp = 0;
		close(fd);
		fd = -1;
		snprintf(reason, sizeof reason, "corrupt: %s; nothing was kept from it",
		         x.chaff && !strcmp(why, "could not store an item")
		             ? "chaff that carries items"
		             : why);
		rc = quarantine(d, path, FERRY_OUT_CORRUPT, reason, r);
		goto out;
	}
	close(fd);
	fd = -1;

	if (x.chaff) {
		ferry_remove_tree(x.dir);
		have_tmp = 0;
		if (unlink(path) != 0) {
			r->outcome = FERRY_OUT_LEFT;
			snprintf(r->detail, sizeof r->detail,
			         "chaff, but it could not be removed: %s",
			         strerror(errno));
			rc = -2;
			goto out;
		}
		sync_parent(path);
		r->outcome = FERRY_OUT_CHAFF;
		snprintf(r->detail, sizeof r->detail, "chaff (cover traffic), removed");
		goto out;
	}

	/* Durable case folder first, then the log entry, then the vault, then
	 * the bundle goes: a crash at any point leaves a state the next run
	 * completes (ferry_desk_recover) without losing or doubling. */
	r->pages = x.pages;
	r->answers = x.answers;
	r->attachments = x.attachments;
	if (kind == FERRY_KIND_TESTIMONY)
		snprintf(r->case_name, sizeof r->case_name, "%s", r->form);
	else
		snprintf(r->case_name, sizeof r->case_name, "walkin-%.8s", seenhex);
	iso_time(when, now);
	char head[1200], sn[5];
	ferry_pack_short(sn, pk->pack_id);
	snprintf(head, sizeof head,
	         "ferry case\nkind: %s\nopened: %s\nopened-unix: %llu\n"
	         "pack: %s\npack-id: %s\nform: %s\nform-index: %ld\nseen: %s\n"
	         "case: cases/%s\nbundle-bytes: %llu\nitems:\n",
	         kind == FERRY_KIND_TESTIMONY ? "testimony" : "walk-in", when,
	         (unsigned long long)now, sn, packhex,
	         kind == FERRY_KIND_TESTIMONY ? r->form : "-",
	         kind == FERRY_KIND_TESTIMONY ? (long)fi : -1L, seenhex, r->case_name,
	         (unsigned long long)size);
	if (write_manifest(&x, head) != 0 ||
	    place_case(d, x.dir, r->case_name, casepath, sizeof casepath) != 0) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail,
		         "could not store the case folder (%s); the bundle is left in "
		         "place",
		         strerror(errno));
		rc = -2;
		goto out;
	}
	have_tmp = 0;

	char *entry = malloc(strlen(head) + x.items_len + 1);
	if (!entry) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail, "out of memory");
		rc = -2;
		goto out;
	}
	strcpy(entry, head);
	if (x.items_len)
		strcat(entry, x.items);
	uint64_t count = d->v->log_count;
	uint8_t newhead[32];
	memcpy(newhead, d->v->log_head, 32);
	int lrc = ferry_log_append(d->log_path, d->v->log_key, d->desk_id, &count,
	                           newhead, entry);
	free(entry);
	if (lrc != 0) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail,
		         "the case was stored in %s but the log entry could not be "
		         "written (%s); the bundle is left in place",
		         casepath, strerror(errno));
		rc = -2;
		goto out;
	}
	int vrc =
	    kind == FERRY_KIND_TESTIMONY
	        ? ferry_vault_mark_answered(d->v, (uint32_t)p, fi, seen, (uint64_t)now)
	        : ferry_vault_add_seen(d->v, (uint32_t)p, seen);
	d->v->log_count = count;
	memcpy(d->v->log_head, newhead, 32);
	ferry_err e;
	if (vrc != 0 || ferry_desk_save(d, &e) != FERRY_OK) {
		r->outcome = FERRY_OUT_LEFT;
		snprintf(r->detail, sizeof r->detail,
		         "the case is stored and logged, but the vault could not be "
		         "updated; the next 'ferry-desk open' finishes it");
		rc = -2;
		goto out;
	}
	if (unlink(path) == 0)
		sync_parent(path);
	r->outcome =
	    kind == FERRY_KIND_TESTIMONY ? FERRY_OUT_TESTIMONY : FERRY_OUT_WALKIN;
	snprintf(r->detail, sizeof r->detail, "cases/%s", r->case_name);
out:
	if (fd >= 0)
		close(fd);
	if (have_tmp)
		ferry_remove_tree(x.dir);
	ferry_cr_free(cr);
	free(x.items);
	if (o) {
		ferry_opener_wipe(o);
		sodium_free(o);
	}
	if (ct)
		sodium_free(ct);
	if (pt)
		sodium_free(pt);
	return rc;
}
