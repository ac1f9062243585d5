#include "expire.h"

#include <sodium.h>
#include <string.h>

#include "../store/case_entry.h"

int ferry_desk_log_entry(ferry_desk *d, const ferry_case_entry *c, ferry_err *e)
{
	ferry_membuf text = {0};
	int rc = ferry_case_entry_write(c, &text, e);
	if (rc == FERRY_OK)
		rc = ferry_desk_log_append(d, (const char *)text.p, e);
	/* A note's text is the journalist's: no copy of it stays in memory. */
	if (text.p)
		sodium_memzero(text.p, text.len);
	ferry_membuf_free(&text);
	return rc;
}

void ferry_pack_entry_init(ferry_case_entry *c, const ferry_vault_pack *pk, int kind,
                           uint64_t now)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->at = now;
	memcpy(c->pack_id, pk->pack_id, FERRY_PACK_ID_LEN);
	c->form_index = FERRY_NO_FORM;
	c->grace_days = pk->grace_days;
	c->expires_day = pk->expires_day;
}

static int expire_pack(ferry_desk *d, uint32_t p, uint64_t now, ferry_expire_report *r,
                       ferry_err *e)
{
	ferry_vault_pack *pk = &d->v->packs[p];
	ferry_case_entry c;
	if (ferry_vault_pack_expired(pk, now)) {
		ferry_pack_entry_init(&c, pk, FERRY_ENTRY_PACK_EXPIRED, now);
		if (ferry_desk_log_entry(d, &c, e) != FERRY_OK)
			return FERRY_EOP;
		ferry_vault_retire(d->v, p);
		r->packs++;
		return FERRY_OK;
	}
	for (uint16_t f = 0; f < pk->nforms; f++) {
		if (!ferry_vault_form_due(pk, &pk->forms[f], now))
			continue;
		ferry_pack_entry_init(&c, pk, FERRY_ENTRY_KEY_DESTROYED, now);
		c.form_index = f;
		ferry_form_code_text(c.form, pk->forms[f].code);
		if (ferry_desk_log_entry(d, &c, e) != FERRY_OK)
			return FERRY_EOP;
		ferry_vault_close_form(d->v, p, f);
		r->forms++;
		if (pk->state != FERRY_PACK_ACTIVE)
			break;
	}
	return FERRY_OK;
}

int ferry_desk_expire(ferry_desk *d, uint64_t now, ferry_expire_report *r, ferry_err *e)
{
	memset(r, 0, sizeof *r);
	int rc = FERRY_OK;
	for (uint32_t p = 0; p < d->v->npacks && rc == FERRY_OK; p++)
		if (d->v->packs[p].state == FERRY_PACK_ACTIVE)
			rc = expire_pack(d, p, now, r, e);
	if (rc == FERRY_OK)
		r->wrap = ferry_vault_expire_wrap_keys(d->v, now);
	/* What was logged is saved even when a later step failed: the log
	 * is ahead of the vault either way, and recovery replays it. */
	if ((r->forms || r->packs || r->wrap) &&
	    ferry_desk_save(d, rc == FERRY_OK ? e : NULL) != FERRY_OK)
		rc = FERRY_EOP;
	return rc;
}
