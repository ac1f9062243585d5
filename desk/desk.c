#include "desk.h"

#include "../opening/openpipe.h"
#include "../trust/word.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/clock.h"
#include "../forms/qr.h"
#include "../forms/sheet.h"
#include "../trust/credential.h"

static const char *SUBDIRS[] = {"intake", "cases", "quarantine", "packs", "tmp"};

static int dir_is_empty_or_missing(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 1 : 0;
	struct dirent *de;
	int empty = 1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

/* What a failed init made, so that it can take exactly that away: a
 * half-made desk would refuse the next init ("not empty") and leave the
 * journalist to clear it by hand. */
typedef struct {
	int dir;
	int sub[sizeof SUBDIRS / sizeof SUBDIRS[0]];
	int log;
} init_made;

static void init_undo(const char *dir, const init_made *m)
{
	char p[FERRY_PATH_MAX];
	if (m->log && ferry_path_join(p, sizeof p, dir, "log") == 0)
		(void)unlink(p);
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++)
		if (m->sub[i] && ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) == 0)
			(void)rmdir(p);
	if (m->dir)
		(void)rmdir(dir);
}

static int init_folders(const char *dir, init_made *m, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	if (mkdir(dir, 0700) == 0)
		m->dir = 1;
	else if (ferry_mkdir(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", dir,
		                  strerror(errno));
	if (chmod(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot make '%s' private: %s", dir,
		                  strerror(errno));
	for (size_t i = 0; i < sizeof SUBDIRS / sizeof SUBDIRS[0]; i++) {
		if (ferry_path_join(p, sizeof p, dir, SUBDIRS[i]) != 0 ||
		    mkdir(p, 0700) != 0)
			return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", p,
			                  strerror(errno));
		m->sub[i] = 1;
	}
	return FERRY_OK;
}

int ferry_desk_init(const char *dir, const char *pass, size_t passlen, int level,
                    char *fingerprint, ferry_err *e)
{
	char p[FERRY_PATH_MAX];
	uint8_t id[32], head[32];
	if (!dir_is_empty_or_missing(dir))
		return ferry_fail(
		    e, FERRY_EOP,
		    "'%s' already exists and is not empty; refusing to overwrite a desk",
		    dir);
	/* The keys first: a machine short of memory for Argon2id fails before
	 * anything is on disk. */
	ferry_vault *v = ferry_vault_create(level, pass, passlen);
	if (!v && errno == EINVAL)
		return ferry_fail(e, FERRY_EUSAGE, "unknown key derivation level %d", level);
	if (!v)
		return ferry_fail_hint(e, FERRY_EOP, "a lower --kdf level needs less memory",
		                       "cannot derive the vault key: not enough memory");
	ferry_identity_digest(id, v->id_pk);
	ferry_log_start(head, id);
	memcpy(v->log_head, head, 32);
	init_made made;
	memset(&made, 0, sizeof made);
	int rc = init_folders(dir, &made, e);
	if (rc != FERRY_OK)
		;
	else if (ferry_path_join(p, sizeof p, dir, "log") != 0 ||
	         ferry_log_create(p, id) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot create the log: %s",
		                strerror(errno));
	else if ((made.log = 1, ferry_path_join(p, sizeof p, dir, "vault")) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the vault: %s",
		                strerror(ENAMETOOLONG));
	else
		rc = ferry_vault_save(v, p, e);
	if (rc != FERRY_OK)
		init_undo(dir, &made);
	else if (fingerprint)
		ferry_fingerprint(fingerprint, v->id_pk);
	ferry_vault_free(v);
	return rc;
}

int ferry_desk_unlock(ferry_desk **out, const char *dir, const char *pass,
                      size_t passlen, ferry_err *e)
{
	uint8_t logid[32];
	struct stat st;
	*out = NULL;
	ferry_desk *d = calloc(1, sizeof *d);
	if (!d)
		return ferry_fail(e, FERRY_EOP, "out of memory");
	if (ferry_path_fmt(d->dir, sizeof d->dir, "%s", dir) != 0 ||
	    ferry_path_join(d->vault_path, sizeof d->vault_path, dir, "vault") != 0 ||
	    ferry_path_join(d->log_path, sizeof d->log_path, dir, "log") != 0) {
		free(d);
		return ferry_fail(e, FERRY_EOP, "desk path too long");
	}
	if (stat(d->vault_path, &st) != 0) {
		free(d);
		return ferry_fail_hint(e, FERRY_EOP,
		                       "create one with 'ferry-desk init'",
		                       "'%s' is not a desk (no vault)", dir);
	}
	int rc = ferry_vault_load(&d->v, d->vault_path, pass, passlen, e);
	if (rc != FERRY_OK) {
		free(d);
		return ferry_err_prefix(e, "cannot open the vault");
	}
	ferry_identity_digest(d->desk_id, d->v->id_pk);
	if (ferry_log_desk_id(d->log_path, logid) != 0) {
		int err = errno;
		ferry_desk_close(d);
		return err ? ferry_fail(e, FERRY_EOP, "cannot read the desk's log '%s': %s",
		                        d->log_path, strerror(err))
		           : ferry_fail(e, FERRY_EOP,
		                        "the desk's log '%s' is not a ferry log (damaged or replaced)",
		                        d->log_path);
	}
	if (sodium_memcmp(logid, d->desk_id, 32) != 0) {
		ferry_desk_close(d);
		return ferry_fail_hint(
		    e, FERRY_EVERIFY, "put back this desk's own vault",
		    "this vault belongs to another desk than the log in '%s'", dir);
	}
	*out = d;
	return FERRY_OK;
}

void ferry_desk_close(ferry_desk *d)
{
	if (!d)
		return;
	ferry_openpipe_free(d->pipe);
	ferry_vault_free(d->v);
	free(d);
}

int ferry_desk_save(ferry_desk *d, ferry_err *e)
{
	int rc = ferry_vault_save(d->v, d->vault_path, e);
	if (rc != FERRY_OK)
		return rc;
	d->unsaved = 0;
	return FERRY_OK;
}

int ferry_desk_flush(ferry_desk *d, ferry_err *e)
{
	return d->unsaved ? ferry_desk_save(d, e) : FERRY_OK;
}

int ferry_desk_sealcode(const ferry_desk *d, uint32_t p, uint16_t f, char *out,
                        size_t cap)
{
	ferry_pack *pk = malloc(sizeof *pk);
	ferry_form_pub fp;
	if (!pk)
		return -1;
	ferry_vault_pack_public(d->v, p, pk);
	ferry_pack_form_pub(&fp, pk, f);
	int rc = ferry_sealcode_encode(out, cap, &fp, d->v->id_sk);
	free(pk);
	return rc;
}

static int write_codes(ferry_desk *d, uint32_t p, const char *path)
{
	ferry_vault_pack *pk = &d->v->packs[p];
	size_t cap = 256 + (size_t)pk->nforms * (FERRY_SEALCODE_TEXT_LEN + 32);
	char *buf = malloc(cap);
	char code[FERRY_SEALCODE_TEXT_LEN + 1], fc[FERRY_CODE_TEXT_LEN + 1];
	char fp[FERRY_FP_TEXT_LEN + 1];
	if (!buf)
		return -1;
	ferry_fingerprint(fp, d->v->id_pk);
	size_t n = (size_t)snprintf(
	    buf, cap,
	    "# ferry seal codes, one form a line: form code, seal code\n# desk fingerprint %s\n",
	    fp);
	for (uint16_t f = 0; f < pk->nforms; f++) {
		if (ferry_desk_sealcode(d, p, f, code, sizeof code) != 0) {
			free(buf);
			return -1;
		}
		ferry_form_code_text(fc, pk->forms[f].code);
		n += (size_t)snprintf(buf + n, cap - n, "%s %s\n", fc, code);
	}
	int rc = ferry_atomic_write(path, (uint8_t *)buf, n, 0600, 1);
	free(buf);
	return rc;
}

/* qr/<form-code>.png for every form, and the printable forms. */
static int write_print(ferry_desk *d, uint32_t p, const ferry_print_opts *print,
                       ferry_issue_result *r, ferry_err *e)
{
	ferry_vault_pack *pk = &d->v->packs[p];
	ferry_membuf *png = calloc(pk->nforms, sizeof *png);
	ferry_sheet_form *sf = calloc(pk->nforms, sizeof *sf);
	char(*codes)[FERRY_CODE_TEXT_LEN + 1] = calloc(pk->nforms, sizeof *codes);
	char seal[FERRY_SEALCODE_TEXT_LEN + 1], path[FERRY_PATH_MAX];
	int rc = FERRY_EOP;
	if (!png || !sf || !codes) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	if (ferry_path_join(r->qr_dir, sizeof r->qr_dir, r->dir, "qr") != 0 ||
	    ferry_mkdir(r->qr_dir, 0700) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", r->qr_dir,
		                strerror(errno));
		goto out;
	}
	for (uint16_t f = 0; f < pk->nforms; f++) {
		ferry_qr q;
		ferry_form_code_text(codes[f], pk->forms[f].code);
		if (ferry_desk_sealcode(d, p, f, seal, sizeof seal) != 0 ||
		    ferry_qr_encode(&q, seal) != 0) {
			rc = ferry_fail(e, FERRY_EOP,
			                "cannot make the QR code of form %s", codes[f]);
			goto out;
		}
		if (q.version > FERRY_QR_MAX_VERSION) {
			rc = ferry_fail(e, FERRY_EOP,
			                "the QR code of form %s needs version %d, above the %d forms print",
			                codes[f], q.version, FERRY_QR_MAX_VERSION);
			ferry_qr_free(&q);
			goto out;
		}
		int bad = ferry_qr_png(&q, print->qr_module, ferry_membuf_write, &png[f]) != 0;
		ferry_qr_free(&q);
		if (bad ||
		    ferry_path_fmt(path, sizeof path, "%s/%s.png", r->qr_dir,
		                   codes[f]) != 0 ||
		    ferry_atomic_write(path, png[f].p, png[f].len, 0600, 0) != 0) {
			rc = ferry_fail(
			    e, FERRY_EOP,
			    "cannot write the QR image of form %s in '%s': %s",
			    codes[f], r->qr_dir, strerror(errno));
			goto out;
		}
		sf[f].form_code = codes[f];
		sf[f].qr_png = png[f].p;
		sf[f].qr_len = png[f].len;
	}
	if (print->questions) {
		ferry_membuf html = {0};
		if (ferry_sheet_write(print->questions, print->paper, print->lang, sf,
		                      pk->nforms, ferry_membuf_write, &html,
		                      e) != FERRY_OK) {
			free(html.p);
			goto out;
		}
		int wrc =
		    ferry_path_fmt(r->forms_path, sizeof r->forms_path,
		                   "%s/forms-%s.html", r->dir, r->short_name) != 0
		        ? -1
		        : ferry_atomic_write(r->forms_path, html.p, html.len, 0600, 1);
		free(html.p);
		if (wrc != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot write '%s': %s",
			                r->forms_path, strerror(errno));
			goto out;
		}
	}
	rc = FERRY_OK;
out:
	if (png)
		for (uint16_t f = 0; f < pk->nforms; f++)
			free(png[f].p);
	free(png);
	free(sf);
	free(codes);
	return rc;
}

/* The pack word, alone in a secret folder apart from the pack, the
 * codes, the QR images and the printable forms: the key card the
 * contact memorises. */
static int write_word(const ferry_vault_pack *pk, ferry_issue_result *r, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], word[FERRY_WORD_TEXT_LEN + 1], text[1024];
	if (ferry_path_join(dir, sizeof dir, r->dir, "secret") != 0 ||
	    ferry_path_fmt(r->word_path, sizeof r->word_path, "%s/word-%s.txt", dir,
	                   r->short_name) != 0)
		return ferry_fail(e, FERRY_EOP, "the output path is too long");
	if (ferry_mkdir(dir, 0700) != 0 || chmod(dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", dir,
		                  strerror(errno));
	ferry_word_text(word, pk->word);
	int n = snprintf(
	    text, sizeof text,
	    "# SECRET: the pack word of pack %s. Give it to the contact alone, apart\n"
	    "# from the forms and the pack, on a key card to memorise; never send it\n"
	    "# through relays. The contact types it into ferry-seal (--word-file, or\n"
	    "# when asked) so the desk can tell the contact's bundles from bundles\n"
	    "# made by someone who only saw a form.\n"
	    "%s\n",
	    r->short_name, word);
	sodium_memzero(word, sizeof word);
	int rc = n > 0 && (size_t)n < sizeof text &&
	                 ferry_atomic_write(r->word_path, (const uint8_t *)text,
	                                    (size_t)n, 0600, 1) == 0
	             ? FERRY_OK
	             : ferry_fail(e, FERRY_EOP, "cannot write '%s': %s", r->word_path,
	                          strerror(errno));
	sodium_memzero(text, sizeof text);
	return rc;
}

_Static_assert(FERRY_QUESTIONS_TEXT_MAX <= FERRY_VAULT_QUESTIONS_MAX,
               "the vault holds the longest questions file");
_Static_assert(FERRY_PAPER_LETTER < FERRY_VAULT_PAPERS && FERRY_LANG_ZH < FERRY_VAULT_LANGS,
               "the vault holds every paper and language");

/* Pack p's questions, as ferry_questions_write spells them, into the
 * vault. */
static int keep_questions(ferry_desk *d, uint32_t p, const ferry_print_opts *print)
{
	ferry_membuf m = {0};
	int rc = ferry_questions_write(print->questions, ferry_membuf_write, &m) == 0 &&
	                 ferry_vault_set_questions(d->v, p, (const char *)m.p, m.len,
	                                           (uint8_t)print->paper,
	                                           (uint8_t)print->lang) == 0
	             ? FERRY_OK
	             : FERRY_EOP;
	if (m.p)
		sodium_memzero(m.p, m.len);
	ferry_membuf_free(&m);
	return rc;
}

int ferry_desk_issue(ferry_desk *d, uint16_t nforms, const char *label,
                     uint32_t expires_day, const ferry_issue_rules *rules,
                     const char *outdir, const ferry_print_opts *print,
                     ferry_issue_result *r, ferry_err *e)
{
	static const ferry_issue_rules defaults = {
	    FERRY_GRACE_DEFAULT, FERRY_CODE_DAYS_DEFAULT, FERRY_CODE_MAX_DEFAULT};
	if (!rules)
		rules = &defaults;
	uint16_t grace_days = rules->grace_days;
	char packs[FERRY_PATH_MAX], name[64];
	memset(r, 0, sizeof *r);
	if (nforms == 0 || nforms > FERRY_FORMS_MAX)
		return ferry_fail(e, FERRY_EOP, "--forms must be 1 to %d",
		                  FERRY_FORMS_MAX);
	if (strlen(label) > FERRY_LABEL_MAX)
		return ferry_fail(e, FERRY_EOP, "--label is longer than %d bytes",
		                  FERRY_LABEL_MAX);
	/* Refuse a questions file that cannot be printed before any key is
	 * made. */
	if (print && print->questions &&
	    (r->pages_per_form = ferry_sheet_pages(print->questions, print->paper, e)) <
	        0)
		return FERRY_EOP;
	if (ferry_vault_add_pack(d->v, nforms, label, expires_day, grace_days,
	                         &r->index) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot add a pack to the vault");
	ferry_vault_pack *pk = &d->v->packs[r->index];
	ferry_pack_short(r->short_name, pk->pack_id);
	if (rules->code_days)
		pk->code_days = rules->code_days;
	if (rules->code_max)
		pk->code_max = rules->code_max;
	/* The questions go into the vault with the keys, so the report can
	 * show them beside the answers. */
	if (print && print->questions &&
	    keep_questions(d, r->index, print) != FERRY_OK)
		return ferry_fail(e, FERRY_EOP, "cannot keep the questions in the vault");
	if (outdir) {
		if (ferry_path_fmt(r->dir, sizeof r->dir, "%s", outdir) != 0)
			return ferry_fail(e, FERRY_EOP, "the output path is too long");
	} else {
		if (ferry_path_join(packs, sizeof packs, d->dir, "packs") != 0 ||
		    ferry_path_join(r->dir, sizeof r->dir, packs, r->short_name) != 0)
			return ferry_fail(e, FERRY_EOP, "path too long");
	}
	/* Secrets first: a pack handed out whose keys were never saved would
	 * make every testimony sealed to it unreadable. */
	int rc = ferry_desk_save(d, e);
	if (rc != FERRY_OK)
		return rc;
	if (ferry_mkdir(r->dir, 0700) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", r->dir,
		                  strerror(errno));
	ferry_pack *pub = malloc(sizeof *pub);
	size_t cap = ferry_pack_size(nforms), len = 0;
	uint8_t *bytes = malloc(cap);
	if (!pub || !bytes) {
		free(pub);
		free(bytes);
		return ferry_fail(e, FERRY_EOP, "out of memory");
	}
	ferry_vault_pack_public(d->v, r->index, pub);
	snprintf(name, sizeof name, "pack-%s.ferrypack", r->short_name);
	rc = FERRY_OK;
	if (ferry_pack_serialize(bytes, cap, &len, pub, d->v->id_sk) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot sign the pack");
	else if (ferry_path_join(r->pack_path, sizeof r->pack_path, r->dir, name) != 0 ||
	         ferry_atomic_write(r->pack_path, bytes, len, 0600, 1) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot write the pack file in '%s': %s",
		                r->dir, strerror(errno));
	free(pub);
	free(bytes);
	if (rc != FERRY_OK)
		return rc;
	snprintf(name, sizeof name, "codes-%s.txt", r->short_name);
	if (ferry_path_join(r->codes_path, sizeof r->codes_path, r->dir, name) != 0 ||
	    write_codes(d, r->index, r->codes_path) != 0)
		return ferry_fail(e, FERRY_EOP,
		                  "cannot write the codes file in '%s': %s", r->dir,
		                  strerror(errno));
	if ((rc = write_word(pk, r, e)) != FERRY_OK)
		return rc;
	ferry_print_opts none = {NULL, FERRY_PAPER_A4, 8, FERRY_LANG_EN};
	return write_print(d, r->index, print ? print : &none, r, e);
}

int ferry_desk_relay_credential(ferry_desk *d, const char *out_path,
                                uint64_t chaff_up_to, uint32_t newest_from_day,
                                unsigned cover_hours, ferry_err *e)
{
	ferry_credential *c = sodium_malloc(sizeof *c);
	char *text = sodium_malloc(FERRY_CREDENTIAL_TEXT_MAX);
	size_t len = 0;
	int rc = FERRY_OK;
	/* A vault from before wrap keys got one when it was read: it must be
	 * saved before any relay wraps to it. */
	if (d->v->plain_version < FERRY_VAULT_PLAIN_V2 &&
	    (rc = ferry_desk_save(d, e)) != FERRY_OK)
		goto out;
	if (!c || !text) {
		rc = ferry_fail(e, FERRY_EOP, "out of memory");
		goto out;
	}
	memset(c, 0, sizeof *c);
	memcpy(c->identity_pk, d->v->id_pk, 32);
	memcpy(c->chaff_pk, d->v->chaff_pk, 32);
	memcpy(c->wrap_pk, d->v->wrap.pk[d->v->wrap.n - 1], 32);
	c->newest_from_day = newest_from_day;
	c->cover_hours = (uint16_t)cover_hours;
	c->relay = d->v->relay;
	ferry_chaff_weights_default(c->chaff_weight);
	unsigned kept = 0;
	for (unsigned k = 0; k < FERRY_CLASSES; k++) {
		if (chaff_up_to && ferry_class_len(k) > chaff_up_to)
			c->chaff_weight[k] = 0;
		kept += c->chaff_weight[k] != 0;
	}
	if (!kept)
		c->chaff_weight[0] = 1;
	/* Secret: written 0600, never replacing a file that is there. */
	if (ferry_credential_format(text, FERRY_CREDENTIAL_TEXT_MAX, &len, c,
	                            d->v->id_sk) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot build the relay credential");
	else
		rc = ferry_write_new(out_path, (const uint8_t *)text, len, 0600, e);
out:
	if (c)
		sodium_free(c);
	if (text)
		sodium_free(text);
	return rc;
}

int ferry_desk_relay_rotate(ferry_desk *d, int drop_old, ferry_err *e)
{
	if (drop_old) {
		ferry_vault_drop_old_relay_keys(d->v);
		return ferry_desk_save(d, e);
	}
	if (d->v->relay.n >= FERRY_RELAY_KEYS_MAX)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "retire the older ones with 'ferry-desk relay-rotate DESK --drop-old' once no pack that carries them is in use",
		    "the desk already holds %u relay keys", FERRY_RELAY_KEYS_MAX);
	/* A new wrap key with every rotation: relays given the new
	 * credential wrap to it, and the old one goes once what was wrapped
	 * to it has had time to arrive. */
	uint64_t now = ferry_now();
	ferry_vault_expire_wrap_keys(d->v, now);
	if (ferry_vault_rotate_wrap_key(d->v, now) != 0)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE,
		    "rotate again once the oldest is past its transit time ('ferry-desk expire' destroys it)",
		    "the desk already holds %u wrap keys, each kept %u days after its rotation for the bundles still on their way",
		    FERRY_WRAP_KEYS_MAX, FERRY_WRAP_TRANSIT_DAYS);
	if (ferry_vault_add_relay_key(d->v) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot add a relay key");
	return ferry_desk_save(d, e);
}

int ferry_desk_log_append(ferry_desk *d, const char *text, ferry_err *e)
{
	uint64_t count = d->v->log_count;
	uint8_t head[FERRY_HASH_LEN];
	memcpy(head, d->v->log_head, sizeof head);
	if (ferry_log_append(d->log_path, d->v->log_key, d->desk_id, &count, head,
	                     text) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot write the log entry: %s",
		                  strerror(errno));
	d->v->log_count = count;
	memcpy(d->v->log_head, head, sizeof head);
	return FERRY_OK;
}

int ferry_desk_log_verify(ferry_desk *d, ferry_log_visit_fn visit, void *u,
                          uint64_t *count, ferry_err *e)
{
	ferry_log_state st;
	*count = 0;
	if (ferry_log_walk(d->log_path, d->v->log_key, d->desk_id, d->v->log_count,
	                   d->v->log_head, visit, u, &st, e) != 0)
		return ferry_err_prefix(e, "log verification failed");
	*count = st.count;
	if (st.count < d->v->log_count)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "log verification failed: the log has %llu entries but the vault recorded %llu: entries were cut off",
		    (unsigned long long)st.count, (unsigned long long)d->v->log_count);
	if (!st.head_matched)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "log verification failed: the chain does not reach the head the vault recorded: the log was replaced or rewritten");
	if (st.count > d->v->log_count)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log has %llu entries the vault has not recorded (an interrupted open): run 'ferry-desk open' to finish it",
		    (unsigned long long)(st.count - d->v->log_count));
	if (st.torn_tail)
		return ferry_fail(
		    e, FERRY_EVERIFY,
		    "the log ends with a partial entry (an interrupted write): run 'ferry-desk open' to repair it");
	return FERRY_OK;
}
