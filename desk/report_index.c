/* The report's index: every case in a table that sorts by any column and
 * filters by pack, flag and date. The script that does it is inline in
 * the page and allowed by its hash alone, so the index loads nothing and
 * a changed script does not run; without it every case is listed in the
 * log's order. The case pages hold no script. */
#include "report_html.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "../common/clock.h"
#include "../trust/pack.h"

/* The flags a case can carry: the word its row is filtered by, and the
 * text the journalist reads, named by the bit flag_bits sets. */
enum {
	F_TWICE,
	F_REVOKED,
	F_REVOKED_SINCE,
	F_CODE_ONLY,
	F_WRONG_WORD,
	F_ADMITTED,
	NFLAGS
};

static const struct {
	const char *token, *text;
} FLAGS[NFLAGS] = {
    [F_TWICE] = {"twice", "answered twice"},
    [F_REVOKED] = {"revoked", "revoked pack"},
    [F_REVOKED_SINCE] = {"revoked-since", "pack revoked since"},
    [F_CODE_ONLY] = {"code-only", "code only"},
    [F_WRONG_WORD] = {"wrong-word", "wrong pack word"},
    [F_ADMITTED] = {"admitted", "admitted"},
};

static unsigned flag_bits(const ferry_case_info *c)
{
	return (unsigned)!!c->answered_twice << F_TWICE |
	       (unsigned)!!c->revoked_at_open << F_REVOKED |
	       (unsigned)!!c->revoked_since << F_REVOKED_SINCE |
	       (unsigned)(c->sealed_with == FERRY_SEALED_CODE) << F_CODE_ONLY |
	       (unsigned)(c->sealed_with == FERRY_SEALED_WRONG_WORD) << F_WRONG_WORD |
	       (unsigned)!!c->admitted << F_ADMITTED;
}

/* Rows carry what they are sorted and filtered by as data attributes;
 * dates are compared in UTC, as the table shows them. */
static const char SCRIPT[] =
    "(function(){'use strict';"
    "var t=document.getElementById('cases'),f=document.getElementById('filters');"
    "var rows=[].slice.call(t.querySelectorAll('tr.case'));"
    "var pk=document.getElementById('f-pack'),fl=document.getElementById('f-flag'),"
    "from=document.getElementById('f-from'),to=document.getElementById('f-to'),"
    "shown=document.getElementById('f-shown');"
    "function day(v,next){if(!v)return null;var d=Date.parse(v+'T00:00:00Z');"
    "return isNaN(d)?null:d/1000+(next?86400:0);}"
    "function apply(){var a=day(from.value,0),b=day(to.value,1),n=0;"
    "rows.forEach(function(r){var o=+r.dataset.opened,fs=r.dataset.flags;"
    "var ok=(!pk.value||r.dataset.pack===pk.value)&&"
    "(!fl.value||(fl.value==='none'?fs==='':fl.value==='any'?fs!=='':"
    "(' '+fs+' ').indexOf(' '+fl.value+' ')>=0))&&"
    "(a===null||o>=a)&&(b===null||o<b);r.hidden=!ok;n+=ok?1:0;});"
    "shown.textContent=n+' of '+rows.length+' cases shown';}"
    "[pk,fl,from,to].forEach(function(e){e.addEventListener('input',apply);"
    "e.addEventListener('change',apply);});"
    "var way={};"
    "[].forEach.call(t.querySelectorAll('th button'),function(b){"
    "b.addEventListener('click',function(){var k=b.dataset.key,num=b.dataset.num==='1';"
    "var d=way[k]=way[k]===1?-1:1;"
    "rows.sort(function(x,y){var p=x.dataset[k],q=y.dataset[k];"
    "var c=num?(+p)-(+q):(p<q?-1:p>q?1:0);return c*d||(+x.dataset.seq)-(+y.dataset.seq);});"
    "rows.forEach(function(r){r.parentNode.appendChild(r);});"
    "[].forEach.call(t.querySelectorAll('th'),function(h){h.removeAttribute('aria-sort');});"
    "b.parentNode.setAttribute('aria-sort',d===1?'ascending':'descending');});});"
    "f.hidden=false;apply();})();";

static void controls(const ferry_rp_ctx *x, ferry_rpage *p)
{
	char sn[5];
	ferry_rp_put(
	    p,
	    "<div id=\"filters\" hidden><label>pack <select id=\"f-pack\"><option value=\"\">all</option>");
	for (uint32_t i = 0; i < x->d->v->npacks; i++) {
		ferry_pack_short(sn, x->d->v->packs[i].pack_id);
		ferry_rp_putf(p, "<option value=\"%s\">", sn);
		ferry_rp_pack_name(x, p, &x->d->v->packs[i]);
		ferry_rp_put(p, "</option>");
	}
	ferry_rp_put(
	    p,
	    "</select></label>\n<label>flag <select id=\"f-flag\"><option value=\"\">any or none</option>"
	    "<option value=\"any\">any flag</option><option value=\"none\">no flag</option>");
	for (size_t k = 0; k < NFLAGS; k++)
		ferry_rp_putf(p, "<option value=\"%s\">%s</option>", FLAGS[k].token,
		              FLAGS[k].text);
	ferry_rp_put(
	    p,
	    "</select></label>\n<label>opened from <input type=\"date\" id=\"f-from\"></label>\n"
	    "<label>to <input type=\"date\" id=\"f-to\"> (UTC)</label>\n"
	    "<span id=\"f-shown\"></span></div>\n");
}

static void row(const ferry_rp_ctx *x, ferry_rpage *p, const ferry_case_info *c,
                size_t seq)
{
	char when[21], sn[5];
	const ferry_vault_pack *pk = &x->d->v->packs[c->pack];
	unsigned flags = flag_bits(c);
	ferry_pack_short(sn, pk->pack_id);
	ferry_iso_time(when, c->opened_at);
	ferry_rp_putf(
	    p,
	    "<tr class=\"case\" data-seq=\"%zu\" data-name=\"%s\" data-kind=\"%s\" data-form=\"%s\" data-pack=\"%s\" data-opened=\"%llu\" data-pages=\"%u\" data-notes=\"%u\" data-flags=\"",
	    seq, c->name, c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
	    c->form, sn, (unsigned long long)c->opened_at, c->pages, c->notes);
	for (unsigned k = 0, first = 1; k < NFLAGS; k++)
		if (flags >> k & 1) {
			ferry_rp_putf(p, "%s%s", first ? "" : " ", FLAGS[k].token);
			first = 0;
		}
	ferry_rp_putf(
	    p, "\"><td><a href=\"case-%s.html\">%s</a></td><td>%s</td><td>%s</td><td>",
	    c->name, c->name,
	    c->kind == FERRY_ENTRY_TESTIMONY ? "testimony" : "walk-in",
	    c->form[0] ? c->form : "-");
	ferry_rp_pack_name(x, p, pk);
	ferry_rp_putf(p, "</td><td>%s</td><td>%u</td><td>%s</td><td>%u</td><td>", when,
	              c->pages, c->answers ? "yes" : "no", c->notes);
	for (unsigned k = 0; k < NFLAGS; k++)
		if (flags >> k & 1)
			ferry_rp_putf(p, "%s ", FLAGS[k].text);
	ferry_rp_put(p, "</td></tr>\n");
}

int ferry_rp_index(const ferry_rp_ctx *x, const ferry_case_list *l, uint64_t now,
                   ferry_err *e)
{
	/* The column headers: the row attribute each sorts by, and whether
	 * it is a number. */
	static const struct {
		const char *key, *text;
		int num;
	} COLS[] = {
	    {"name", "case", 0},  {"kind", "kind", 0},     {"form", "form", 0},
	    {"pack", "pack", 0},  {"opened", "opened", 1}, {"pages", "pages", 1},
	    {NULL, "answers", 0}, {"notes", "notes", 1},   {"flags", "flags", 0}};
	char fp[FERRY_FP_TEXT_LEN + 1], when[21], head_hex[65],
	    script_hash[FERRY_RP_HASH_LEN];
	ferry_rpage p = {{0}, 0};
	ferry_rp_hash(script_hash, SCRIPT);
	ferry_rp_head(&p, x->style_hash, script_hash, "ferry desk: cases");
	ferry_fingerprint(fp, x->d->v->id_pk);
	ferry_iso_time(when, now);
	sodium_bin2hex(head_hex, sizeof head_hex, x->d->v->log_head, FERRY_HASH_LEN);
	ferry_rp_putf(
	    &p,
	    "<h1>Cases</h1>\n<p>Desk <code>%s</code>; the log has %llu entries, chain head <code>%s</code>; written %s.</p>\n",
	    fp, (unsigned long long)x->d->v->log_count, head_hex, when);
	controls(x, &p);
	ferry_rp_put(&p, "<table id=\"cases\">\n<thead><tr>");
	for (size_t k = 0; k < sizeof COLS / sizeof COLS[0]; k++)
		if (COLS[k].key)
			ferry_rp_putf(
			    &p,
			    "<th><button type=\"button\" data-key=\"%s\" data-num=\"%d\">%s</button></th>",
			    COLS[k].key, COLS[k].num, COLS[k].text);
		else
			ferry_rp_putf(&p, "<th>%s</th>", COLS[k].text);
	ferry_rp_put(&p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < l->n; i++)
		row(x, &p, &l->cases[i], i);
	ferry_rp_put(&p, "</tbody>\n</table>\n<script>");
	ferry_rp_put(&p, SCRIPT);
	ferry_rp_put(&p, "</script>\n</body></html>\n");
	return ferry_rp_save(x->tmp, "index.html", &p, e);
}
