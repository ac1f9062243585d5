#include "packs.h"

#include <ctype.h>
#include <string.h>

#include "../store/case_entry.h"
#include "expire.h"

int ferry_desk_find_pack(const ferry_desk *d, const char *name, uint32_t *index,
                         ferry_err *e)
{
	char want[5];
	size_t n = strlen(name);
	*index = 0;
	if (n == 4) {
		for (size_t i = 0; i < 4; i++)
			want[i] = (char)tolower((unsigned char)name[i]);
		want[4] = '\0';
		for (uint32_t p = 0; p < d->v->npacks; p++) {
			char s[5];
			ferry_pack_short(s, d->v->packs[p].pack_id);
			for (size_t i = 0; i < 4; i++)
				s[i] = (char)tolower((unsigned char)s[i]);
			if (!strcmp(s, want)) {
				*index = p;
				return FERRY_OK;
			}
		}
	}
	return ferry_fail_hint(
	    e, FERRY_EUSAGE,
	    "list the packs with 'ferry-desk packs DESK' and give the 4-character name shown there",
	    "this desk has no pack '%.40s'", name);
}

void ferry_pack_summarize(const ferry_vault_pack *pk, uint64_t now,
                          ferry_pack_summary *s)
{
	memset(s, 0, sizeof *s);
	for (uint16_t f = 0; f < pk->nforms; f++) {
		const ferry_vault_form *fm = &pk->forms[f];
		if (fm->state == FERRY_FORM_OPEN)
			s->open++;
		else
			s->answered++;
		s->grace += fm->state == FERRY_FORM_GRACE;
	}
	s->state = pk->state == FERRY_PACK_RETIRED     ? "retired"
	           : ferry_vault_pack_expired(pk, now) ? "expired"
	                                               : "active";
}

int ferry_desk_retire(ferry_desk *d, uint32_t p, uint64_t now, ferry_err *e)
{
	ferry_vault_pack *pk = &d->v->packs[p];
	ferry_case_entry c;
	char sn[5];
	ferry_pack_short(sn, pk->pack_id);
	if (pk->state == FERRY_PACK_RETIRED)
		return ferry_fail(e, FERRY_EUSAGE, "pack %s is retired already", sn);
	ferry_pack_entry_init(&c, pk, FERRY_ENTRY_PACK_RETIRED, now);
	/* The log says the keys go before they go: a crash after the entry
	 * is finished by recovery, which destroys them. */
	if (ferry_desk_log_entry(d, &c, e) != FERRY_OK)
		return FERRY_EOP;
	ferry_vault_retire(d->v, p);
	return ferry_desk_save(d, e);
}

int ferry_desk_revoke(ferry_desk *d, uint32_t p, uint64_t now, const char *reason,
                      ferry_err *e)
{
	ferry_vault_pack *pk = &d->v->packs[p];
	ferry_case_entry c;
	char sn[5];
	size_t n = strlen(reason);
	ferry_pack_short(sn, pk->pack_id);
	if (pk->revoked_at)
		return ferry_fail(e, FERRY_EUSAGE, "pack %s is revoked already", sn);
	if (n == 0 || n > FERRY_REASON_MAX || !ferry_text_ok(reason, n, 0))
		return ferry_fail(
		    e, FERRY_EUSAGE,
		    "--reason takes one line of text, 1 to %d bytes of UTF-8",
		    FERRY_REASON_MAX);
	ferry_pack_entry_init(&c, pk, FERRY_ENTRY_PACK_REVOKED, now);
	memcpy(c.reason, reason, n + 1);
	if (ferry_desk_log_entry(d, &c, e) != FERRY_OK)
		return FERRY_EOP;
	ferry_vault_revoke(d->v, p, now, reason);
	return ferry_desk_save(d, e);
}
