/* ferry-desk issue: a new pack's keys into the vault, then its files
 * (the signed pack, the codes, the QR images, the printable forms and,
 * apart, the pack word) into a folder. The vault is saved first, since a
 * pack handed out whose keys were lost would make every testimony sealed
 * to it unreadable; an issue that fails after that takes away every file
 * it wrote, so that no half a pack can be handed out. */
#include "desk.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../forms/qr.h"
#include "../forms/sheet.h"
#include "../trust/pack.h"
#include "../trust/word.h"

/* What this run made in the output folder: what a failure takes away. */
typedef struct {
	int dir, qr_dir, secret_dir, pack, codes, word, forms;
	uint16_t qr; /* the first qr forms' QR images */
} issue_made;

static void issue_undo(const ferry_desk *d, const ferry_issue_result *r,
                       const issue_made *m)
{
	char path[FERRY_PATH_MAX], code[FERRY_CODE_TEXT_LEN + 1];
	const ferry_vault_pack *pk = &d->v->packs[r->index];
	for (uint16_t f = 0; f < m->qr; f++) {
		ferry_form_code_text(code, pk->forms[f].code);
		if (ferry_path_fmt(path, sizeof path, "%s/%s.png", r->qr_dir, code) == 0)
			(void)unlink(path);
	}
	if (m->forms)
		(void)unlink(r->forms_path);
	if (m->word)
		(void)unlink(r->word_path);
	if (m->codes)
		(void)unlink(r->codes_path);
	if (m->pack)
		(void)unlink(r->pack_path);
	if (m->qr_dir)
		(void)rmdir(r->qr_dir);
	if (m->secret_dir && ferry_path_join(path, sizeof path, r->dir, "secret") == 0)
		(void)rmdir(path);
	if (m->dir)
		(void)rmdir(r->dir);
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
	if (rc != 0)
		errno = EOVERFLOW; /* out has no room for the code: a bug */
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
                       ferry_issue_result *r, issue_made *made, ferry_err *e)
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
	    ferry_mkdir_made(r->qr_dir, 0700, &made->qr_dir) != 0) {
		rc = ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", r->qr_dir,
		                strerror(errno));
		goto out;
	}
	for (uint16_t f = 0; f < pk->nforms; f++) {
		ferry_qr q;
		ferry_form_code_text(codes[f], pk->forms[f].code);
		if (ferry_desk_sealcode(d, p, f, seal, sizeof seal) != 0 ||
		    ferry_qr_encode(&q, seal) != 0) {
			rc = ferry_fail(e, FERRY_EOP, "cannot make the QR code of form %s: %s",
			                codes[f], strerror(errno));
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
		    ferry_atomic_write(path, png[f].p, png[f].len, 0600, 1) != 0) {
			rc = ferry_fail(
			    e, FERRY_EOP,
			    "cannot write the QR image of form %s in '%s': %s",
			    codes[f], r->qr_dir, strerror(errno));
			goto out;
		}
		made->qr = (uint16_t)(f + 1);
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
		made->forms = 1;
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
static int write_word(const ferry_vault_pack *pk, ferry_issue_result *r,
                      issue_made *made, ferry_err *e)
{
	char dir[FERRY_PATH_MAX], word[FERRY_WORD_TEXT_LEN + 1], text[1024];
	if (ferry_path_join(dir, sizeof dir, r->dir, "secret") != 0 ||
	    ferry_path_fmt(r->word_path, sizeof r->word_path, "%s/word-%s.txt", dir,
	                   r->short_name) != 0)
		return ferry_fail(e, FERRY_EOP, "the output path is too long");
	if (ferry_mkdir_made(dir, 0700, &made->secret_dir) != 0 || chmod(dir, 0700) != 0)
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
	made->word = rc == FERRY_OK;
	return rc;
}

_Static_assert(FERRY_QUESTIONS_TEXT_MAX <= FERRY_VAULT_QUESTIONS_MAX,
               "the vault holds the longest questions file");
_Static_assert(FERRY_PAPER_LETTER < FERRY_VAULT_PAPERS && FERRY_LANG_ZH < FERRY_VAULT_LANGS,
               "the vault holds every paper and language");

/* Pack p's questions, as ferry_questions_write spells them, into the
 * vault. */
static int keep_questions(ferry_desk *d, uint32_t p, const ferry_print_opts *print,
                          ferry_err *e)
{
	ferry_membuf m = {0};
	int rc = FERRY_OK, set;
	if (ferry_questions_write(print->questions, ferry_membuf_write, &m) != 0)
		rc = ferry_fail(e, FERRY_EOP, "cannot keep the questions in the vault: out of memory");
	else if ((set = ferry_vault_set_questions(d->v, p, (const char *)m.p, m.len,
	                                          (uint8_t)print->paper,
	                                          (uint8_t)print->lang)) != 0)
		rc = set == FERRY_VAULT_NO_MEMORY
		         ? ferry_fail(e, FERRY_EOP,
		                      "cannot keep the questions in the vault: out of memory")
		         : ferry_fail(e, FERRY_EUSAGE,
		                      "the vault refuses these questions (%zu bytes; at most %u, UTF-8 text without control characters)",
		                      m.len, (unsigned)FERRY_VAULT_QUESTIONS_MAX);
	if (m.p)
		sodium_memzero(m.p, m.len);
	ferry_membuf_free(&m);
	return rc;
}

/* The pack's files into r->dir, noting each in made as it is written. */
static int write_files(ferry_desk *d, const ferry_print_opts *print,
                       ferry_issue_result *r, issue_made *made, ferry_err *e)
{
	char name[64];
	int rc;
	if (ferry_mkdir_made(r->dir, 0700, &made->dir) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot create '%s': %s", r->dir,
		                  strerror(errno));
	ferry_vault_pack *pk = &d->v->packs[r->index];
	ferry_pack *pub = malloc(sizeof *pub);
	size_t cap = ferry_pack_size(pk->nforms), len = 0;
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
	else
		made->pack = 1;
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
	made->codes = 1;
	if ((rc = write_word(pk, r, made, e)) != FERRY_OK)
		return rc;
	ferry_print_opts none = {NULL, FERRY_PAPER_A4, 8, FERRY_LANG_EN};
	return write_print(d, r->index, print ? print : &none, r, made, e);
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
	char packs[FERRY_PATH_MAX];
	memset(r, 0, sizeof *r);
	if (nforms == 0 || nforms > FERRY_FORMS_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "--forms must be 1 to %d",
		                  FERRY_FORMS_MAX);
	if (strlen(label) > FERRY_LABEL_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "--label is longer than %d bytes",
		                  FERRY_LABEL_MAX);
	/* Refuse a questions file that cannot be printed before any key is
	 * made. */
	if (print && print->questions &&
	    (r->pages_per_form = ferry_sheet_pages(print->questions, print->paper, e)) <
	        0)
		return FERRY_EOP;
	if (grace_days > FERRY_GRACE_MAX)
		return ferry_fail(e, FERRY_EUSAGE, "--grace takes 0 to %d days",
		                  FERRY_GRACE_MAX);
	/* Retired packs stay in the vault with their cases, so they count. */
	if (d->v->npacks >= FERRY_PACKS_MAX)
		return ferry_fail_hint(
		    e, FERRY_EUSAGE, "make a new desk for new packs ('ferry-desk init')",
		    "this desk has issued %u packs, the most one desk holds", d->v->npacks);
	if (ferry_vault_add_pack(d->v, nforms, label, expires_day, grace_days,
	                         &r->index) != 0)
		return ferry_fail(e, FERRY_EOP, "cannot add a pack to the vault: out of memory");
	ferry_vault_pack *pk = &d->v->packs[r->index];
	ferry_pack_short(r->short_name, pk->pack_id);
	if (rules->code_days)
		pk->code_days = rules->code_days;
	if (rules->code_max)
		pk->code_max = rules->code_max;
	/* The questions go into the vault with the keys, so the report can
	 * show them beside the answers. */
	if (print && print->questions &&
	    keep_questions(d, r->index, print, e) != FERRY_OK)
		return FERRY_EOP;
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
	issue_made made;
	memset(&made, 0, sizeof made);
	if ((rc = write_files(d, print, r, &made, e)) != FERRY_OK) {
		issue_undo(d, r, &made);
		ferry_hint(e,
		           "none of its files were kept, but pack %s is in the vault: retire it with 'ferry-desk retire DESK %s', then issue again",
		           r->short_name, r->short_name);
	}
	return rc;
}

