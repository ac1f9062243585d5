/* Opening one bundle at the desk, in three named steps:
 *
 *   classify  its size, the pack that opens its header, whether it was
 *             seen before or its form already answered;
 *   extract   the payload into a temp case folder under DESK/tmp;
 *   commit    the case folder into cases/, the log entry, the vault
 *             (one-time key destroyed), and only then the bundle removed.
 *
 * Each step either hands on, or ends the bundle's story: accounted for
 * (opened, counted as chaff, or quarantined intact with a reason), or
 * left where it was with an error. */
#include "intake.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../common/fileio.h"
#include "../common/utf8.h"
#include "../container/container_read.h"
#include "../crypto/bundle.h"
#include "../crypto/wrap.h"
#include "../store/case_entry.h"
#include "openpipe.h"
#include "peeled.h"

static const char DOM_SEEN[] = "ferry-v1 seen bundle";

/* A step's third result, beside FERRY_OK (go on) and FERRY_EOP (left in
 * place): the bundle is accounted for and r->outcome says how. */
#define DONE 1

const char *ferry_outcome_name(int o)
{
	static const char *names[] = {"testimony", "walk-in",  "chaff",
	                              "duplicate", "answered", "not-ours",
	                              "corrupt",   "expired",  "held",
	                              "left"};
	return o >= 0 && o <= FERRY_OUT_LEFT ? names[o] : "?";
}

typedef struct {
	char dir[FERRY_PATH_MAX]; /* the temp case folder */
	int fd;                   /* the item being written */
	int chaff;
	unsigned pages, answers, attachments;
	char name[40];
	crypto_generichash_state h;
	ferry_membuf items; /* manifest lines */
	ferry_open_result *r;
	int sys_errno; /* why storing an item failed: the disk, not the bundle */
	int bad_text;  /* why the text is refused (bad_text_why), or 0 */
	uint64_t written, flushed; /* the item's bytes, and those sent to disk */
	uint8_t kind;              /* of the item being written */
	uint8_t carry[4];          /* an answers character cut by a record boundary */
	size_t ncarry;
} extract;

typedef struct {
	const char *path;
	int fd;
	uint64_t size;
	uint8_t prefix[FERRY_PREFIX_LEN];
	ferry_peeled *pl; /* the layers found, the sealer's prefix once it opened */
	int peeled;       /* pl holds a restored prefix under layers to remove */
	uint8_t seen[FERRY_SEEN_LEN];
	ferry_opener *o;
	int pack;
	uint8_t kind;
	uint32_t form;
	int have_tmp;
	time_t now;
	int sealed_with; /* FERRY_SEALED_*, once the header opened */
	char same_pages[FERRY_CASE_NAME_MAX]; /* an earlier case, same pages */
	int admit;       /* opened on the journalist's decision: nothing held */
	dev_t dev; /* the intake file as opened: it is moved or removed only */
	ino_t ino; /* while its path still names this file */
	extract x;
} opening;

static void seen_hash(uint8_t out[FERRY_SEEN_LEN], const uint8_t epk_raw[FERRY_EPK_LEN])
{
	uint8_t epk[FERRY_EPK_LEN];
	crypto_generichash_state st;
	ferry_epk_point(epk, epk_raw);
	crypto_generichash_init(&st, NULL, 0, FERRY_SEEN_LEN);
	crypto_generichash_update(&st, (const uint8_t *)DOM_SEEN, sizeof DOM_SEEN);
	crypto_generichash_update(&st, epk, FERRY_EPK_LEN);
	crypto_generichash_final(&st, out, FERRY_SEEN_LEN);
}

/* Why a bundle's text is refused: each says what it is. */
enum {
	TEXT_ANSWERS_NOT_UTF8 = 1,
	TEXT_ANSWERS_NUL,
	TEXT_REPORT_NOT_UTF8,
	TEXT_REPORT_CONTROL,
};

static const char *bad_text_why(int why)
{
	switch (why) {
	case TEXT_ANSWERS_NOT_UTF8: return "its answers are not UTF-8 text";
	case TEXT_ANSWERS_NUL: return "its answers hold a NUL character";
	case TEXT_REPORT_NOT_UTF8: return "a page's removal report is not UTF-8 text";
	default: return "a page's removal report holds control characters";
	}
}

/* A report that came out of a bundle must be UTF-8 text with no control
 * characters (docs/FORMAT.md, "Container"): 0, or why not. */
static int report_check(const char *s)
{
	switch (ferry_text_check(s, strlen(s), 0)) {
	case FERRY_TEXT_OK: return 0;
	case FERRY_TEXT_NOT_UTF8: return TEXT_REPORT_NOT_UTF8;
	default: return TEXT_REPORT_CONTROL;
	}
}

/* Answers must be UTF-8 without NUL: checked as they stream, a character
 * cut by a record boundary carried to the next. 0, or why not. */
static int utf8_stream(extract *x, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (x->ncarry && i < n) {
		x->carry[x->ncarry++] = p[i++];
		uint32_t cp;
		size_t l = ferry_utf8_next(x->carry, x->ncarry, &cp);
		if (l == x->ncarry) {
			x->ncarry = 0;
			if (cp == 0)
				return TEXT_ANSWERS_NUL;
		} else if (x->ncarry == 4) {
			return TEXT_ANSWERS_NOT_UTF8;
		}
	}
	while (i < n) {
		uint32_t cp;
		size_t l = ferry_utf8_next(p + i, n - i, &cp);
		if (l == 0) {
			/* Malformed, or a valid start cut off at the end. */
			size_t left = n - i;
			if (left >= 4 || (p[i] & 0xc0) != 0xc0)
				return TEXT_ANSWERS_NOT_UTF8;
			memcpy(x->carry, p + i, left);
			x->ncarry = left;
			return 0;
		}
		if (cp == 0)
			return TEXT_ANSWERS_NUL;
		i += l;
	}
	return 0;
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

/* The intake path still names the file that was opened. */
static int same_file(const opening *c)
{
	struct stat st;
	return lstat(c->path, &st) == 0 && st.st_dev == c->dev && st.st_ino == c->ino;
}

static void close_input(opening *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* ---- the container's items, as they stream out ---- */

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
	if (ferry_path_join(path, sizeof path, x->dir, x->name) != 0) {
		x->sys_errno = ENAMETOOLONG;
		return -1;
	}
	x->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (x->fd < 0) {
		x->sys_errno = errno;
		return -1;
	}
	x->kind = kind;
	x->ncarry = 0;
	x->written = x->flushed = 0;
	crypto_generichash_init(&x->h, NULL, 0, FERRY_HASH_LEN);
	return 0;
}

static int ex_data(void *u, const uint8_t *p, size_t n)
{
	extract *x = u;
	if (x->kind == FERRY_ITEM_ANSWERS && (x->bad_text = utf8_stream(x, p, n)) != 0)
		return -1;
	crypto_generichash_update(&x->h, p, n);
	if (ferry_write_all(x->fd, p, n) != 0) {
		x->sys_errno = errno;
		return -1;
	}
	x->written += n;
	ferry_start_writeback(x->fd, &x->flushed, x->written);
	return 0;
}

static int ex_end(void *u, const ferry_item_info *info)
{
	extract *x = u;
	if (x->kind == FERRY_ITEM_ANSWERS && x->ncarry) {
		x->bad_text = TEXT_ANSWERS_NOT_UTF8; /* cut short inside a character */
		return -1;
	}
	if ((x->bad_text = report_check(info->report)) != 0)
		return -1;
	int rc = fsync(x->fd) == 0 ? 0 : -1;
	if (rc != 0)
		x->sys_errno = errno;
	if (close(x->fd) != 0 && rc == 0) {
		rc = -1;
		x->sys_errno = errno;
	}
	x->fd = -1;
	if (rc != 0)
		return -1;
	ferry_item_line it = {{0}, info->size, {0}, info->orientation, NULL, 0};
	crypto_generichash_final(&x->h, it.hash, sizeof it.hash);
	snprintf(it.name, sizeof it.name, "%s", x->name);
	const char *report = info->kind == FERRY_ITEM_ATTACHMENT
	                         ? "opaque attachment: its metadata was NOT removed"
	                         : info->report;
	if (report[0]) {
		it.report = report;
		it.report_len = strlen(report);
	}
	if (info->kind != FERRY_ITEM_ANSWERS &&
	    x->r->nreports < sizeof x->r->reports / sizeof x->r->reports[0])
		if (snprintf(x->r->reports[x->r->nreports++], sizeof x->r->reports[0],
		             "%s: %s", x->name, report[0] ? report : "-") < 0)
			return -1; /* shown cut to fit; only an encoding error stops */
	return ferry_item_line_write(&x->items, &it);
}

/* ---- outcomes ---- */

static int left(ferry_open_result *r, int rc)
{
	r->outcome = FERRY_OUT_LEFT;
	return rc;
}

/* A bundle that came through relays and whose header opened is kept
 * peeled (opening/peeled.h) at q, and its intake file removed; 0 or an
 * errno. */
static int store_peeled(ferry_desk *d, opening *c, const char *q)
{
	ferry_err ignored;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	struct stat st;
	if (fd < 0)
		return errno;
	/* The very file that was read, still at its path. */
	if (fstat(fd, &st) != 0 || st.st_dev != c->dev || st.st_ino != c->ino ||
	    (uint64_t)st.st_size != c->size) {
		close(fd);
		return ESTALE;
	}
	int rc = ferry_write_peeled(fd, c->size, c->pl, &d->v->relay, q, &ignored);
	close(fd);
	if (rc != FERRY_OK)
		return EIO;
	if (unlink(c->path) != 0) {
		int err = errno;
		(void)unlink(q); /* one copy stays: the one in intake */
		return err;
	}
	return 0;
}

/* Moves the bundle into quarantine/ with a reason file beside it (a
 * peeled copy when it came through relays). */
static int quarantine(ferry_desk *d, opening *c, int outcome, const char *reason,
                      ferry_open_result *r, ferry_err *e)
{
	char name[24], qdir[FERRY_PATH_MAX], q[FERRY_PATH_MAX], rp[FERRY_PATH_MAX];
	char text[1400], when[21];
	int rc;
	close_input(c);
	ferry_random_name(name, 16);
	if (ferry_path_join(qdir, sizeof qdir, d->dir, "quarantine") != 0 ||
	    snprintf(q, sizeof q, "%s/%s.bundle", qdir, name) >= (int)sizeof q ||
	    snprintf(rp, sizeof rp, "%s/%s.reason", qdir, name) >= (int)sizeof rp)
		return left(
		    r,
		    ferry_fail(
		        e, FERRY_EOP,
		        "%s; and the desk's path is too long to quarantine it, so it was left where it is",
		        reason));
	if (!same_file(c))
		return left(
		    r,
		    ferry_fail(
		        e, FERRY_EOP,
		        "%s; but the file was replaced while it was read, so it was left where it is",
		        reason));
	if (c->peeled) {
		if ((rc = store_peeled(d, c, q)) != 0)
			return left(
			    r,
			    ferry_fail(
			        e, FERRY_EOP,
			        "%s; and it could not be copied to quarantine (%s), so it was left where it is",
			        reason, strerror(rc)));
	} else if (ferry_move_file(c->path, q) != 0)
		return left(
		    r,
		    ferry_fail(
		        e, FERRY_EOP,
		        "%s; and it could not be moved to quarantine (%s), so it was left where it is",
		        reason, strerror(errno)));
	r->outcome = outcome;
	snprintf(r->detail, sizeof r->detail, "%s", reason);
	snprintf(r->moved_to, sizeof r->moved_to, "%s", q);
	ferry_iso_time(when, c->now);
	char from[400]; /* the intake name, escaped like every name shown */
	ferry_utf8_shown(from, sizeof from, ferry_basename(c->path));
	int n = snprintf(
	    text, sizeof text, "outcome: %s\nreason: %s\nquarantined: %s\nfrom: %s\n",
	    ferry_outcome_name(outcome), reason, when, from);
	if (n < 0 || (size_t)n >= sizeof text)
		n = (int)strlen(text);
	/* The bundle is already safe in quarantine; a missing reason file is
	 * reported but loses nothing. */
	if (ferry_atomic_write(rp, (uint8_t *)text, (size_t)n, 0600, 1) != 0) {
		size_t l = strlen(r->detail);
		snprintf(r->detail + l, sizeof r->detail - l,
		         " (the reason file could not be written)");
	}
	return DONE;
}

/* ---- classify ---- */

/* The chaff key as a candidate, beside the packs; no key that opens it;
 * a key that opens its header, whose header breaks the format's rules
 * (*which: the pack, or CHAFF_KEY). */
#define CHAFF_KEY  (-2)
#define NO_KEY     (-1)
#define BAD_HEADER (-3)

/* Candidate keys are tried in turn, the active packs' then the chaff
 * key; the key-committing header lets at most one of them open it. */
static int find_pack(ferry_desk *d, ferry_opener *o, const ferry_peeled *prefix,
                     uint64_t size, int *which)
{
	int bad = 0;
	for (uint32_t i = 0; i < d->v->npacks; i++) {
		ferry_vault_pack *p = &d->v->packs[i];
		if (p->state != FERRY_PACK_ACTIVE || sodium_is_zero(p->spk_sk, FERRY_X25519_LEN))
			continue;
		int rc = ferry_opener_try(o, prefix, size, p->spk_sk, p->spk_pk);
		if (rc == 0)
			return (int)i;
		if (rc == FERRY_OPENER_BAD_HEADER && !bad) {
			bad = 1;
			*which = (int)i;
		}
	}
	int rc = ferry_opener_try(o, prefix, size, d->v->chaff_sk, d->v->chaff_pk);
	if (rc == 0)
		return CHAFF_KEY;
	if (rc == FERRY_OPENER_BAD_HEADER && !bad) {
		bad = 1;
		*which = CHAFF_KEY;
	}
	return bad ? BAD_HEADER : NO_KEY;
}

static int open_input(opening *c, ferry_open_result *r, ferry_err *e)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO in the intake must not hang the desk. */
	c->fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (c->fd < 0)
		return left(r, ferry_fail(e, FERRY_EOP, "%s", strerror(errno)));
	if (fstat(c->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return left(r, ferry_fail(e, FERRY_EOP, "not a regular file"));
	/* Another name of the same file may be anything, the vault or the
	 * log among them: moving or removing this one is not ours to do. */
	if (st.st_nlink > 1)
		return left(r, ferry_fail_hint(
		                   e, FERRY_EOP,
		                   "copy the bundle into intake instead of linking it",
		                   "it has %lu hard links (another name of the same file may be the vault, the log or a case); it was left untouched",
		                   (unsigned long)st.st_nlink));
	c->size = (uint64_t)st.st_size;
	c->dev = st.st_dev;
	c->ino = st.st_ino;
	int fl = fcntl(c->fd, F_GETFL);
	if (fl < 0 || fcntl(c->fd, F_SETFL, fl & ~O_NONBLOCK) != 0)
		return left(r, ferry_fail(e, FERRY_EOP, "%s", strerror(errno)));
	c->o = sodium_malloc(sizeof *c->o);
	c->pl = sodium_malloc(sizeof *c->pl);
	if (!c->o || !c->pl)
		return left(r, ferry_fail(e, FERRY_EOP, "out of memory"));
	return FERRY_OK;
}

/* How the bundle was sealed, from the header's pack proof, checked with
 * the word of the pack whose SPK opened it and nothing else (the key
 * commitment fixes which pack that is). A wrong proof is counted per
 * pack: guessing shows up in 'packs'. */
static void check_proof(ferry_desk *d, opening *c, ferry_open_result *r)
{
	ferry_vault_pack *pk = &d->v->packs[c->pack];
	ferry_pack_proof pp;
	if (!pk->has_word) {
		c->sealed_with = FERRY_SEALED_UNCHECKED;
	} else if (!c->o->info.has_proof) {
		c->sealed_with = FERRY_SEALED_CODE;
	} else {
		memcpy(pp.word, pk->word, sizeof pp.word);
		memcpy(pp.pack_id, pk->pack_id, sizeof pp.pack_id);
		const uint8_t *opk = c->kind == FERRY_KIND_TESTIMONY
		                         ? pk->forms[c->form].opk_pk
		                         : NULL;
		c->sealed_with = ferry_opener_check_proof(c->o, &pp, opk) == 0
		                     ? FERRY_SEALED_PACK
		                     : FERRY_SEALED_WRONG_WORD;
		sodium_memzero(&pp, sizeof pp);
		if (c->sealed_with == FERRY_SEALED_WRONG_WORD &&
		    pk->wrong_words < UINT32_MAX) {
			pk->wrong_words++;
			d->unsaved++;
		}
	}
	r->sealed_with = c->sealed_with;
	r->wrong_words = pk->wrong_words;
}

static int code_only(const opening *c)
{
	return c->sealed_with == FERRY_SEALED_CODE ||
	       c->sealed_with == FERRY_SEALED_WRONG_WORD;
}

/* Quarantined intact, to be opened only on the journalist's decision
 * ('ferry-desk admit'). For a form, within its byte budget: past it the
 * bundle stays in intake, so a flood of forgeries cannot fill the disk. */
static int hold(ferry_desk *d, opening *c, ferry_vault_form *fm, const char *reason,
                ferry_open_result *r, ferry_err *e)
{
	if (fm && fm->held_bytes + c->size > FERRY_HELD_BUDGET)
		return left(
		    r,
		    ferry_fail_hint(
		        e, FERRY_EOP,
		        "admit or remove the held bundles in quarantine/, then open again",
		        "form %s already has %llu MB held in quarantine as answered too often (its budget); this bundle is left in intake",
		        r->form, (unsigned long long)(fm->held_bytes >> 20)));
	int rc = quarantine(d, c, FERRY_OUT_HELD, reason, r, e);
	if (rc == DONE && fm) {
		fm->held_bytes += c->size;
		d->unsaved++;
	}
	return rc;
}

/* Why a form's key is gone (or due to go at the end of this run). */
static void answered_reason(char *out, size_t cap, const ferry_vault_pack *pk,
                            const ferry_vault_form *fm, const char *form, int same)
{
	char day[11];
	const char *which = same ? " (it is the very bundle opened then)"
	                         : " (it is a different bundle for the same form)";
	if (fm->answered_at) {
		ferry_day_text(day, (uint32_t)(fm->answered_at / FERRY_DAY_SECONDS));
		snprintf(
		    out, cap,
		    "answered: form %s was already answered on %s and its grace period of %u days is over; its one-time key is destroyed, so this bundle's pages cannot be opened%s",
		    form, day, pk->grace_days, which);
	} else {
		ferry_day_text(day, (uint32_t)(fm->code_at / FERRY_DAY_SECONDS));
		snprintf(
		    out, cap,
		    "answered: form %s had only answers sealed with its code alone, the first on %s, and its one-time key was kept %u days for the pack's own answer (or until the pack expired); it is destroyed, so this bundle's pages cannot be opened%s",
		    form, day, pk->code_days, which);
	}
}

/* A testimony's form: it must exist, and be open or in its grace
 * period after its first pack-proven answer. A later bundle in the
 * period is opened too (and marked answered twice), unless it is the
 * same bundle; a code-only one past the pack's limit is held. */
static int classify_form(ferry_desk *d, opening *c, ferry_open_result *r, ferry_err *e)
{
	char reason[700];
	ferry_vault_pack *pk = &d->v->packs[c->pack];
	if (c->form >= pk->nforms)
		return quarantine(d, c, FERRY_OUT_CORRUPT,
		                  "corrupt: it names a form this pack does not have", r,
		                  e);
	ferry_vault_form *fm = &pk->forms[c->form];
	ferry_form_code_text(r->form, fm->code);
	check_proof(d, c, r);
	int same = ferry_vault_has_seen(d->v, (uint32_t)c->pack, c->seen);
	if (fm->answers == UINT32_MAX)
		return left(r, ferry_fail(e, FERRY_EOP,
		                          "form %s has as many answers as the desk can count; it is left in place",
		                          r->form));
	int live = fm->state != FERRY_FORM_CLOSED &&
	           !ferry_vault_form_due(pk, fm, (uint64_t)c->now);
	if (live && same)
		return quarantine(d, c, FERRY_OUT_DUPLICATE,
		                  "duplicate: this bundle was already opened", r, e);
	if (live && code_only(c) && !c->admit && fm->code_answers >= pk->code_max) {
		snprintf(
		    reason, sizeof reason,
		    "answered too often: form %s already has %lu answers sealed without the pack word (the pack's limit); this one, %s, is held unopened: 'ferry-desk admit' opens it if you decide to",
		    r->form, (unsigned long)fm->code_answers,
		    c->sealed_with == FERRY_SEALED_CODE ? "also without it"
		                                        : "with a wrong pack word");
		return hold(d, c, fm, reason, r, e);
	}
	if (live)
		return FERRY_OK;
	answered_reason(reason, sizeof reason, pk, fm, r->form, same);
	return quarantine(d, c, FERRY_OUT_ANSWERED, reason, r, e);
}

/* Which key opened the header must fit the kind it claims: chaff only
 * under the chaff key, testimony and walk-ins only under a pack's. */
static int classify_key(ferry_desk *d, opening *c, ferry_open_result *r, ferry_err *e)
{
	char reason[700], day[11];
	if (c->pack == CHAFF_KEY && c->kind != FERRY_KIND_CHAFF)
		return quarantine(
		    d, c, FERRY_OUT_CORRUPT,
		    "corrupt: sealed to the chaff key but it claims to be testimony; only relays seal to that key, and it may be forged: nothing was opened",
		    r, e);
	if (c->pack == CHAFF_KEY)
		return FERRY_OK;
	ferry_vault_pack *pk = &d->v->packs[c->pack];
	if (c->kind == FERRY_KIND_CHAFF)
		return quarantine(
		    d, c, FERRY_OUT_CORRUPT,
		    "corrupt: chaff sealed to a pack's key (relays seal chaff to the chaff key only)",
		    r, e);
	if (ferry_vault_pack_expired(pk, (uint64_t)c->now)) {
		char sn[5];
		ferry_pack_short(sn, pk->pack_id);
		ferry_day_text(day, pk->expires_day);
		snprintf(
		    reason, sizeof reason,
		    "pack expired: pack %s expired on %s and its grace period of %u days is over; its keys are destroyed at the end of this run",
		    sn, day, pk->grace_days);
		return quarantine(d, c, FERRY_OUT_EXPIRED, reason, r, e);
	}
	return FERRY_OK;
}

static int classify(ferry_desk *d, opening *c, ferry_open_result *r, ferry_err *e)
{
	char reason[700];
	int rc = open_input(c, r, e);
	if (rc != FERRY_OK)
		return rc;
	if (!ferry_bundle_len_valid(c->size)) {
		snprintf(
		    reason, sizeof reason,
		    "corrupt: its length (%llu bytes) is not a bundle length (cut short, padded, or not a bundle)",
		    (unsigned long long)c->size);
		return quarantine(d, c, FERRY_OUT_CORRUPT, reason, r, e);
	}
	ssize_t got = ferry_read_full(c->fd, c->prefix, sizeof c->prefix);
	if (got < 0)
		return left(r, ferry_fail_hint(
		                   e, FERRY_EOP,
		                   "check the disk or medium it is on and run 'ferry-desk open' again",
		                   "cannot read it: %s; it is left in place", strerror(errno)));
	if (got != (ssize_t)sizeof c->prefix)
		return quarantine(d, c, FERRY_OUT_CORRUPT,
		                  "corrupt: the bundle is cut short", r, e);
	int peel = ferry_peel(c->pl, c->prefix, &d->v->wrap);
	if (peel == FERRY_PEEL_TOO_DEEP) {
		snprintf(
		    reason, sizeof reason,
		    "corrupt: it crossed more than %u relays, so the key its sealer put first was pushed off the end of its key stack and it cannot be opened; ask the investigators to shorten the chain",
		    FERRY_HOPS_MAX);
		return quarantine(d, c, FERRY_OUT_CORRUPT, reason, r, e);
	}
	int which = NO_KEY;
	if (peel == 0 && (c->pack = find_pack(d, c->o, c->pl, c->size, &which)) == BAD_HEADER) {
		char sn[5] = "";
		if (which != CHAFF_KEY)
			ferry_pack_short(sn, d->v->packs[which].pack_id);
		snprintf(
		    reason, sizeof reason,
		    "corrupt: sealed to %s%s of this desk (that key opens its header), but its header breaks the format's rules (version, kind, form index, flags or reserved bytes): made by a sealer that is not ferry's, or a faulty one",
		    which == CHAFF_KEY ? "the chaff key" : "pack ", sn);
		return quarantine(d, c, FERRY_OUT_CORRUPT, reason, r, e);
	}
	if (peel != 0 || c->pack == NO_KEY)
		return quarantine(
		    d, c, FERRY_OUT_UNKNOWN,
		    "not-ours: no active pack of this desk opens it: it was sealed for another desk, for a pack of this desk that is retired or expired (its keys are destroyed, so which one cannot be told), wrapped by a relay to a wrap key this desk no longer holds, or it is damaged",
		    r, e);
	/* The sealer's prefix, restored: what a quarantined copy keeps. */
	*c->pl = c->o->pl;
	c->peeled = c->pl->hops > 0;
	seen_hash(c->seen, c->pl->prefix);
	c->kind = c->o->info.kind;
	c->form = c->o->info.form_index;
	if ((rc = classify_key(d, c, r, e)) != FERRY_OK || c->pack == CHAFF_KEY)
		return rc;
	if (c->kind == FERRY_KIND_TESTIMONY)
		return classify_form(d, c, r, e);
	check_proof(d, c, r);
	if (ferry_vault_has_seen(d->v, (uint32_t)c->pack, c->seen))
		return quarantine(d, c, FERRY_OUT_DUPLICATE,
		                  "duplicate: this bundle was already opened", r, e);
	/* A walk-in names no form: without the word, anyone who saw any of
	 * the pack's forms could have made it. */
	if (code_only(c) && !c->admit)
		return hold(
		    d, c, NULL,
		    c->sealed_with == FERRY_SEALED_CODE
		        ? "walk-in without the pack word: anyone who saw a form could have made it; it is held unopened: 'ferry-desk admit' opens it if you decide to"
		        : "walk-in with a WRONG pack word: a typo by the contact, or someone guessing; it is held unopened: 'ferry-desk admit' opens it if you decide to",
		    r, e);
	return FERRY_OK;
}

/* ---- extract ---- */

static int feed_container(void *u, const uint8_t *p, size_t n, ferry_err *e)
{
	return ferry_cr_feed(u, p, n, e);
}

/* The payload through the desk's pipeline (worker threads when it has
 * one), then the container's end. */
static int stream_payload(ferry_desk *d, opening *c, ferry_cr *cr, ferry_err *e)
{
	ferry_openpipe *own = d->pipe ? NULL : ferry_openpipe_create(0);
	ferry_openpipe *p = d->pipe ? d->pipe : own;
	if (!p)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	int rc = ferry_openpipe_run(p, c->o, c->fd, feed_container, cr, e);
	ferry_openpipe_free(own);
	return rc == FERRY_OK ? ferry_cr_finish(cr, e) : rc;
}

/* A bundle's items take at most its own size plus the answers' budget
 * (their inflated total is capped): check that much is free first. */
static int enough_space(ferry_desk *d, opening *c, ferry_open_result *r, ferry_err *e)
{
	char tmp[FERRY_PATH_MAX];
	struct statvfs fs;
	if (ferry_path_join(tmp, sizeof tmp, d->dir, "tmp") != 0 ||
	    statvfs(tmp, &fs) != 0)
		return left(r, ferry_fail(e, FERRY_EOP,
		                          "cannot see the desk's free space: %s",
		                          strerror(errno)));
	uint64_t need = c->size + FERRY_ANSWERS_MAX + (1u << 20);
	uint64_t have = (uint64_t)fs.f_bavail * fs.f_frsize;
	if (have >= need)
		return FERRY_OK;
	r->out_of_space = 1;
	return left(
	    r,
	    ferry_fail_hint(
	        e, FERRY_EOP, "free some space and run 'ferry-desk open' again",
	        "not enough free space to open it (%llu MB free, up to %llu MB needed); it is left in place",
	        (unsigned long long)(have >> 20), (unsigned long long)(need >> 20)));
}

static int extract_payload(ferry_desk *d, opening *c, ferry_open_result *r,
                           ferry_err *e)
{
	char rnd[20], tmp[FERRY_PATH_MAX], reason[FERRY_ERR_MSG_MAX + 64];
	static const ferry_cr_callbacks cbs = {ex_begin, ex_data, ex_end};
	const uint8_t *opk_sk = NULL, *opk_pk = NULL;
	if (c->kind == FERRY_KIND_TESTIMONY) {
		opk_sk = d->v->packs[c->pack].forms[c->form].opk_sk;
		opk_pk = d->v->packs[c->pack].forms[c->form].opk_pk;
	}
	if (ferry_opener_payload_init(c->o, opk_sk, opk_pk, &d->v->relay) != 0)
		return quarantine(d, c, FERRY_OUT_CORRUPT,
		                  "corrupt: cannot derive its payload key", r, e);
	c->x.chaff = c->kind == FERRY_KIND_CHAFF;
	if (enough_space(d, c, r, e) != FERRY_OK)
		return FERRY_EOP;
	ferry_random_name(rnd, 16);
	if (ferry_path_join(tmp, sizeof tmp, d->dir, "tmp") != 0 ||
	    snprintf(c->x.dir, sizeof c->x.dir, "%s/open-%s", tmp, rnd) >=
	        (int)sizeof c->x.dir ||
	    mkdir(c->x.dir, 0700) != 0)
		return left(r,
		            ferry_fail(e, FERRY_EOP, "cannot create a temp folder: %s",
		                       strerror(errno)));
	c->have_tmp = 1;
	ferry_cr *cr = ferry_cr_create(&cbs, &c->x);
	if (!cr)
		return left(r, ferry_fail(e, FERRY_EOP, "out of memory"));
	int rc = stream_payload(d, c, cr, e);
	ferry_cr_free(cr);
	if (c->x.fd >= 0)
		close(c->x.fd);
	c->x.fd = -1;
	close_input(c);
	if (rc == FERRY_OK)
		return FERRY_OK;
	ferry_remove_tree(c->x.dir);
	c->have_tmp = 0;
	/* Only the bundle's own bytes make it corrupt: a disk that is full or
	 * failing leaves it where it is, for a rerun to finish. */
	if (rc == FERRY_EOP && !c->x.chaff && !c->x.bad_text && !c->x.sys_errno) {
		/* Reading the bundle failed, not storing its items. */
		char why[FERRY_ERR_MSG_MAX];
		snprintf(why, sizeof why, "%s", e->msg);
		return left(r, ferry_fail_hint(
		                   e, FERRY_EOP,
		                   "fix that (a failing disk or medium, or too little memory) and run 'ferry-desk open' again",
		                   "%s; nothing was kept and the bundle is left in place", why));
	}
	if (rc == FERRY_EOP && !c->x.chaff && !c->x.bad_text) {
		r->out_of_space = c->x.sys_errno == ENOSPC || c->x.sys_errno == EDQUOT;
		return left(
		    r,
		    ferry_fail_hint(
		        e, FERRY_EOP,
		        "free some space (or fix the disk) and run 'ferry-desk open' again",
		        "could not store its items (%s); nothing was kept and the bundle is left in place",
		        strerror(c->x.sys_errno ? c->x.sys_errno : EIO)));
	}
	snprintf(reason, sizeof reason, "corrupt: %s; nothing was kept from it",
	         c->x.chaff && rc == FERRY_EOP ? "chaff that carries items"
	         : c->x.bad_text ? bad_text_why(c->x.bad_text)
	                         : e->msg);
	ferry_err_clear(e);
	return quarantine(d, c, FERRY_OUT_CORRUPT, reason, r, e);
}

/* ---- commit ---- */

static int drop_chaff(opening *c, ferry_open_result *r, ferry_err *e)
{
	ferry_remove_tree(c->x.dir);
	c->have_tmp = 0;
	if (!same_file(c))
		return left(
		    r,
		    ferry_fail(
		        e, FERRY_EOP,
		        "chaff, but the file was replaced while it was read, so it was left where it is"));
	if (unlink(c->path) != 0)
		return left(r, ferry_fail(e, FERRY_EOP,
		                          "chaff, but it could not be removed: %s",
		                          strerror(errno)));
	sync_parent(c->path);
	r->outcome = FERRY_OUT_CHAFF;
	snprintf(r->detail, sizeof r->detail, "chaff (cover traffic), removed");
	return DONE;
}

/* The name of the n-th case of a form (base: its code) or of a walk-in
 * (base: walkin-XXXXXXXX): base, then base.2, base.3, ... */
static int case_name_of(char out[FERRY_CASE_NAME_MAX], const char *base, uint32_t n)
{
	int len = n == 1 ? snprintf(out, FERRY_CASE_NAME_MAX, "%s", base)
	                 : snprintf(out, FERRY_CASE_NAME_MAX, "%s.%lu", base,
	                            (unsigned long)n);
	return len < 0 || len >= FERRY_CASE_NAME_MAX ? -1 : 0;
}

/* cases/NAME/manifest.txt: its path, and its text when it can be read. */
static int read_manifest(const ferry_desk *d, const char *name,
                         char path[FERRY_PATH_MAX], uint8_t **text, size_t *len,
                         ferry_err *e)
{
	*text = NULL;
	if (ferry_path_fmt(path, FERRY_PATH_MAX, "%s/cases/%s/manifest.txt", d->dir,
	                   name) != 0)
		return ferry_fail(e, FERRY_EOP, "the case folder's path is too long");
	return ferry_read_file(path, 2 * (size_t)FERRY_LOG_ENTRY_MAX, text, len,
	                       "a case's manifest", e);
}

/* The case entry for the answer numbered n: manifest.txt's text, and
 * the log entry. A form's cases are FORM, FORM.2, FORM.3, ...; a
 * walk-in's walkin-XXXXXXXX (from its seen hash), then .2, ... should
 * that name be taken. */
static int case_text(ferry_desk *d, opening *c, ferry_open_result *r, uint32_t n,
                     ferry_membuf *text)
{
	ferry_case_entry ce;
	char base[FERRY_CASE_NAME_MAX];
	memset(&ce, 0, sizeof ce);
	ce.kind = c->kind == FERRY_KIND_TESTIMONY ? FERRY_ENTRY_TESTIMONY
	                                          : FERRY_ENTRY_WALKIN;
	ce.at = (uint64_t)c->now;
	memcpy(ce.pack_id, d->v->packs[c->pack].pack_id, FERRY_PACK_ID_LEN);
	ce.form_index = FERRY_NO_FORM;
	memcpy(ce.seen, c->seen, FERRY_SEEN_LEN);
	if (ce.kind == FERRY_ENTRY_TESTIMONY) {
		ce.form_index = c->form;
		ce.answer = n;
		snprintf(ce.form, sizeof ce.form, "%s", r->form);
		snprintf(ce.first_case, sizeof ce.first_case, "%s", r->form);
		snprintf(base, sizeof base, "%s", r->form);
		r->answer = n;
	} else {
		char seenhex[2 * FERRY_SEEN_LEN + 1];
		sodium_bin2hex(seenhex, sizeof seenhex, c->seen, FERRY_SEEN_LEN);
		snprintf(base, sizeof base, "walkin-%.8s", seenhex);
	}
	if (case_name_of(r->case_name, base, n) != 0)
		return -1; /* a form code and a number always fit */
	snprintf(ce.case_name, sizeof ce.case_name, "%s", r->case_name);
	ce.bundle_bytes = c->size;
	ce.sealed_with = c->sealed_with;
	snprintf(ce.same_pages, sizeof ce.same_pages, "%s", c->same_pages);
	ce.admitted = c->admit;
	const ferry_vault_pack *pk = &d->v->packs[c->pack];
	if (pk->revoked_at) {
		/* Opened, because the journalist must see what arrived, and
		 * marked, because whoever compromised the pack can seal too. */
		ce.revoked_at = pk->revoked_at;
		snprintf(ce.reason, sizeof ce.reason, "%s", pk->revoke_reason);
		r->revoked = 1;
		snprintf(r->revoke_reason, sizeof r->revoke_reason, "%s",
		         pk->revoke_reason);
	}
	text->len = 0;
	/* place_case reports errno: a field too long is EOVERFLOW, not a
	 * memory failure. */
	int rc = ferry_case_entry_write(&ce, text, NULL);
	if (rc != FERRY_OK) {
		errno = rc == FERRY_EOP ? ENOMEM : EOVERFLOW;
		return -1;
	}
	return ferry_membuf_write(text, c->x.items.p, c->x.items.len) != 0 ? -1 : 0;
}

/* The page items' hashes of a manifest, in order, one after another
 * (nothing when it has no page). */
static int page_hashes(const char *text, ferry_membuf *out)
{
	out->len = 0;
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "  page-", 7) != 0)
			continue;
		const char *nl = strchr(l, '\n');
		ferry_item_line it;
		if (ferry_item_line_parse(&it, l, nl ? nl : l + strlen(l)) != 0 ||
		    ferry_membuf_write(out, it.hash, sizeof it.hash) != 0)
			return -1;
	}
	return 0;
}

/* When this testimony's pages are exactly those of one of its form's
 * recent cases (the same photos, sealed again), names that case: the
 * contact probably sent them twice. The last 64 answers are compared, so
 * a flood costs each bundle a bounded number of small reads. */
static void find_same_pages(ferry_desk *d, opening *c)
{
	char path[FERRY_PATH_MAX], name[FERRY_CASE_NAME_MAX];
	ferry_membuf mine = {0}, theirs = {0};
	c->same_pages[0] = '\0';
	if (c->kind != FERRY_KIND_TESTIMONY || !c->x.items.p)
		return;
	const ferry_vault_form *fm = &d->v->packs[c->pack].forms[c->form];
	char form[FERRY_CODE_TEXT_LEN + 1];
	ferry_form_code_text(form, fm->code);
	if (page_hashes((const char *)c->x.items.p, &mine) != 0 || mine.len == 0)
		goto out;
	for (uint32_t n = fm->answers, k = 0; n >= 1 && k < 64; n--, k++) {
		uint8_t *text = NULL;
		size_t len = 0;
		if (case_name_of(name, form, n) != 0 ||
		    read_manifest(d, name, path, &text, &len, NULL) != 0)
			continue;
		int same = page_hashes((const char *)text, &theirs) == 0 &&
		           theirs.len == mine.len && !memcmp(theirs.p, mine.p, mine.len);
		free(text);
		if (same) {
			snprintf(c->same_pages, sizeof c->same_pages, "%s", name);
			break;
		}
	}
out:
	ferry_membuf_free(&mine);
	ferry_membuf_free(&theirs);
}

/* DESK/pending/<seen hex> holds the entry text of a case folder that is
 * (about to be) in cases/ while its log entry is not yet written. A run
 * cut off in between leaves it, and the rerun of the same bundle finds
 * its own folder by this name, which the bundle fixes; a folder that is
 * merely there never counts as ours. Recovery drops the markers of
 * bundles the vault knows (opening/recover.c). */
static int pending_path(char *out, size_t cap, const ferry_desk *d,
                        const uint8_t seen[FERRY_SEEN_LEN])
{
	char hex[2 * FERRY_SEEN_LEN + 1];
	sodium_bin2hex(hex, sizeof hex, seen, FERRY_SEEN_LEN);
	return ferry_path_fmt(out, cap, "%s/pending/%s", d->dir, hex);
}

/* 1 when the case folder this bundle's cut-off run placed is still
 * there: text gets its entry, r its name. 0 when there is none. */
static int adopt_pending(ferry_desk *d, opening *c, ferry_open_result *r,
                         ferry_membuf *text)
{
	char pp[FERRY_PATH_MAX], mp[FERRY_PATH_MAX];
	uint8_t *marker = NULL, *manifest = NULL;
	size_t mlen = 0, flen = 0;
	ferry_case_entry want, have;
	ferry_err ignored;
	int ours = 0;
	if (pending_path(pp, sizeof pp, d, c->seen) != 0 ||
	    ferry_read_file(pp, FERRY_LOG_ENTRY_MAX, &marker, &mlen,
	                    "a pending case", NULL) != 0)
		return 0;
	if (ferry_case_entry_parse(&want, (char *)marker, &ignored) == FERRY_OK &&
	    memcmp(want.seen, c->seen, FERRY_SEEN_LEN) == 0 &&
	    strcmp(want.case_name, ".") && strcmp(want.case_name, "..") &&
	    read_manifest(d, want.case_name, mp, &manifest, &flen, NULL) == 0 &&
	    ferry_case_entry_parse(&have, (char *)manifest, &ignored) == FERRY_OK &&
	    memcmp(have.seen, c->seen, FERRY_SEEN_LEN) == 0) {
		text->len = 0;
		ours = ferry_membuf_write(text, marker, mlen) == 0;
		snprintf(r->case_name, sizeof r->case_name, "%s", want.case_name);
		r->answer = want.answer;
	}
	free(marker);
	free(manifest);
	return ours;
}

/* Moves the extracted folder into cases/ under the first name no case
 * has, from the answer number the vault expects: never over anything
 * (a restored vault or a cut-off run may have left that name taken).
 * The marker is written before each try, so a crash after the rename
 * leaves the folder findable. */
static int place_case(ferry_desk *d, opening *c, ferry_open_result *r,
                      ferry_membuf *text, char *dest, size_t cap)
{
	char cases[FERRY_PATH_MAX], pend[FERRY_PATH_MAX], pp[FERRY_PATH_MAX];
	char mpath[FERRY_PATH_MAX];
	struct stat st;
	uint32_t n = c->kind == FERRY_KIND_TESTIMONY
	                 ? d->v->packs[c->pack].forms[c->form].answers + 1u
	                 : 1u;
	if (ferry_path_join(cases, sizeof cases, d->dir, "cases") != 0 ||
	    ferry_path_join(pend, sizeof pend, d->dir, "pending") != 0 ||
	    ferry_mkdir(pend, 0700) != 0 ||
	    pending_path(pp, sizeof pp, d, c->seen) != 0 ||
	    ferry_path_join(mpath, sizeof mpath, c->x.dir, "manifest.txt") != 0)
		return -1;
	for (; n != 0; n++) {
		if (case_text(d, c, r, n, text) != 0 ||
		    ferry_path_join(dest, cap, cases, r->case_name) != 0)
			return -1;
		if (lstat(dest, &st) == 0)
			continue; /* taken: the next number */
		if (ferry_atomic_write(mpath, text->p, text->len, 0600, 0) != 0 ||
		    ferry_atomic_write(pp, text->p, text->len, 0600, 0) != 0 ||
		    ferry_fsync_dir(c->x.dir) != 0)
			return -1;
		if (ferry_rename_noreplace(c->x.dir, dest) == 0)
			return ferry_fsync_dir(cases);
		if (errno != EEXIST && errno != ENOTEMPTY)
			return -1;
	}
	errno = EOVERFLOW;
	return -1;
}

static void drop_pending(ferry_desk *d, const uint8_t seen[FERRY_SEEN_LEN])
{
	char pp[FERRY_PATH_MAX];
	if (pending_path(pp, sizeof pp, d, seen) == 0 && unlink(pp) == 0)
		sync_parent(pp); /* a marker that comes back is dropped by recovery */
}

/* The form's first case learns that it was answered again: its manifest
 * gets the warning the second answer carries, once. Later answers leave
 * it as it is, as they leave every earlier case: the log, 'cases' and the
 * report list them all, and no run rewrites a case folder over and over
 * (each rewrite would be one more write a flood of forgeries forces on
 * the genuine testimony's neighbours). */
static int mark_first_case(ferry_desk *d, const ferry_open_result *r, ferry_err *e)
{
	char path[FERRY_PATH_MAX], warn[600];
	uint8_t *old = NULL;
	size_t len = 0;
	struct stat st;
	if (ferry_answered_twice_text(warn, sizeof warn, r->form, r->form,
	                              r->case_name) != 0)
		return ferry_fail(e, FERRY_EOP, "the warning does not fit its buffer");
	if (read_manifest(d, r->form, path, &old, &len, e) != 0) {
		/* Moved away by the journalist: nothing to mark. Anything else
		 * (a read error, no memory) stops the run. */
		if (path[0] && lstat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
			return FERRY_OK;
		return FERRY_EOP;
	}
	ferry_membuf m = {0};
	int rc = FERRY_OK;
	if (!strstr((char *)old, "\nanswered-twice: ")) {
		if (ferry_membuf_write(&m, old, len) != 0 || ferry_membuf_puts(&m, warn) != 0)
			rc = ferry_fail(e, FERRY_EOP, "out of memory");
		else if (ferry_atomic_write(path, m.p, m.len, 0600, 0) != 0)
			rc = ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", path,
			                strerror(errno));
	}
	free(old);
	ferry_membuf_free(&m);
	return rc;
}

/* The exactly-once order: durable case folder, then the log entry, then
 * the vault, then the bundle goes. A crash at any point leaves a state
 * the next run completes (opening/recover.c) without losing or doubling. */
static int commit(ferry_desk *d, opening *c, ferry_open_result *r, ferry_err *e)
{
	char casepath[FERRY_PATH_MAX];
	ferry_membuf text = {0};
	r->pages = c->x.pages;
	r->answers = c->x.answers;
	r->attachments = c->x.attachments;
	/* A run cut off after it placed this very bundle's case: that folder
	 * is the case, and this run's extraction goes. */
	int adopted = adopt_pending(d, c, r, &text);
	if (!adopted)
		find_same_pages(d, c);
	snprintf(r->same_pages, sizeof r->same_pages, "%s", c->same_pages);
	if (adopted) {
		ferry_remove_tree(c->x.dir);
		c->have_tmp = 0;
		if (ferry_path_fmt(casepath, sizeof casepath, "%s/cases/%s", d->dir,
		                   r->case_name) != 0)
			casepath[0] = '\0';
	} else if (place_case(d, c, r, &text, casepath, sizeof casepath) != 0) {
		int err = errno;
		ferry_membuf_free(&text);
		return left(
		    r,
		    ferry_fail(
		        e, FERRY_EOP,
		        "could not store the case folder (%s); the bundle is left in place",
		        strerror(err)));
	}
	c->have_tmp = 0;
	if (r->answer > 1 && mark_first_case(d, r, e) != FERRY_OK) {
		ferry_membuf_free(&text);
		return left(
		    r,
		    ferry_err_prefix(
		        e,
		        "the case was stored in '%s' but the form's first case could not be marked answered twice; the bundle is left in place",
		        casepath));
	}
	int lrc = ferry_desk_log_append(d, (const char *)text.p, e);
	ferry_membuf_free(&text);
	if (lrc == FERRY_OK)
		drop_pending(d, c->seen);
	if (lrc != FERRY_OK)
		return left(
		    r,
		    ferry_err_prefix(
		        e,
		        "the case was stored in '%s' but the bundle is left in place",
		        casepath));
	if (c->admit && c->kind == FERRY_KIND_TESTIMONY) {
		ferry_vault_form *fm = &d->v->packs[c->pack].forms[c->form];
		fm->held_bytes = fm->held_bytes > c->size ? fm->held_bytes - c->size : 0;
	}
	int vrc = c->kind == FERRY_KIND_TESTIMONY
	              ? ferry_vault_mark_answered(d->v, (uint32_t)c->pack, c->form,
	                                          c->seen, (uint64_t)c->now,
	                                          !code_only(c))
	              : ferry_vault_add_seen(d->v, (uint32_t)c->pack, c->seen);
	if (vrc == 0)
		d->unsaved++;
	if (vrc != 0 || (d->unsaved >= (d->save_every ? d->save_every : 1) &&
	                 ferry_desk_save(d, e) != FERRY_OK)) {
		return left(
		    r,
		    ferry_fail_hint(
		        e, FERRY_EOP, "the next 'ferry-desk open' finishes it",
		        "the case is stored and logged, but the vault could not be updated"));
	}
	/* A file renamed over the bundle meanwhile stays for the next run. */
	if (same_file(c) && unlink(c->path) == 0)
		sync_parent(c->path);
	r->outcome =
	    c->kind == FERRY_KIND_TESTIMONY ? FERRY_OUT_TESTIMONY : FERRY_OUT_WALKIN;
	snprintf(r->detail, sizeof r->detail, "cases/%s", r->case_name);
	return DONE;
}

static int open_one(ferry_desk *d, const char *path, int admit,
                    ferry_open_result *r, ferry_err *e);

int ferry_desk_open_bundle(ferry_desk *d, const char *path, ferry_open_result *r,
                           ferry_err *e)
{
	return open_one(d, path, 0, r, e);
}

int ferry_desk_admit_bundle(ferry_desk *d, const char *path, ferry_open_result *r,
                            ferry_err *e)
{
	return open_one(d, path, 1, r, e);
}

static int open_one(ferry_desk *d, const char *path, int admit,
                    ferry_open_result *r, ferry_err *e)
{
	opening c;
	memset(r, 0, sizeof *r);
	memset(&c, 0, sizeof c);
	ferry_err_clear(e);
	c.path = path;
	c.admit = admit;
	c.fd = -1;
	c.now = (time_t)ferry_now();
	c.x.fd = -1;
	c.x.r = r;
	int rc = classify(d, &c, r, e);
	if (rc == FERRY_OK)
		rc = extract_payload(d, &c, r, e);
	if (rc == FERRY_OK)
		rc = c.x.chaff ? drop_chaff(&c, r, e) : commit(d, &c, r, e);
	close_input(&c);
	if (c.have_tmp)
		ferry_remove_tree(c.x.dir);
	ferry_membuf_free(&c.x.items);
	if (c.o) {
		ferry_opener_wipe(c.o);
		sodium_free(c.o);
	}
	if (c.pl)
		sodium_free(c.pl); /* wipes: the layer keys link the hops */
	return rc == DONE ? FERRY_OK : rc;
}
