#include "report_html.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/fileio.h"
#include "../common/html.h"
#include "../trust/pack.h"

/* EXIF orientations 1..8 as CSS transforms (the sanitized page carries no
 * EXIF: the manifest says how to turn it). */
const char FERRY_RP_CSS[] =
    "body{font-family:sans-serif;margin:2em;max-width:70em;color:#111}"
    "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
    ".warn{background:#fee;border:2px solid #c00;padding:.5em;font-weight:bold}"
    "pre{white-space:pre-wrap;background:#f4f4f4;padding:.6em;border:1px solid #ccc}"
    "figure{margin:2em 0}img.pg{display:block;max-width:60%;max-height:80vh;margin:12% auto}"
    "td:nth-child(5){white-space:nowrap}"
    ".o2{transform:scaleX(-1)}.o3{transform:rotate(180deg)}.o4{transform:scaleY(-1)}"
    ".o5{transform:scaleX(-1) rotate(90deg)}.o6{transform:rotate(90deg)}"
    ".o7{transform:rotate(90deg) scaleX(-1)}.o8{transform:rotate(-90deg)}"
    /* A form code or a hash is read and compared whole: never broken
     * inside; a long one scrolls in its own line. */
    "code{white-space:nowrap}figcaption,td{overflow-x:auto}"
    /* A page opens as large as the window, turned the same way, on a
     * click: the link targets its own view; no script. A quarter-turned
     * page (5 to 8) is bounded by the window's other side, since a
     * transform turns the picture and not its box. */
    "a.zoom{cursor:zoom-in}.full{display:none}"
    ".full:target{display:flex;position:fixed;inset:0;background:#000e;z-index:1}"
    ".full a{margin:auto;cursor:zoom-out}"
    ".full img{display:block;max-width:96vw;max-height:96vh}"
    ".full img.o5,.full img.o6,.full img.o7,.full img.o8{max-width:96vh;max-height:96vw}"
    /* A photographed page beside the questions printed on it. */
    ".sheet{display:grid;grid-template-columns:minmax(0,3fr) minmax(14em,2fr);gap:1.5em;align-items:start}"
    ".sheet img.pg{max-width:100%;margin:1em 0}"
    /* A quarter turn swaps the picture's sides but not its box: room
     * above and below for a landscape photo turned upright. */
    ".sheet img.o5,.sheet img.o6,.sheet img.o7,.sheet img.o8{max-width:60%;margin:14% auto}"
    ".qs{background:#f5f5fb;border-left:4px solid #779;padding:.2em 1em;margin:1em 0}"
    ".qs .ins{font-style:italic}.qs .qh{font-size:90%;color:#444}"
    /* The index's column headers sort it (desk/report_index.c). */
    "th button{font:inherit;font-weight:bold;border:0;background:none;padding:0;cursor:pointer}"
    "th[aria-sort=ascending] button::after{content:' \\25b2'}th[aria-sort=descending] button::after{content:' \\25bc'}"
    "#filters{margin:1em 0}#filters label{margin-right:1em}";

void ferry_rp_hash(char out[FERRY_RP_HASH_LEN], const char *text)
{
	uint8_t sha[crypto_hash_sha256_BYTES];
	_Static_assert(7 + sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
	                                             sodium_base64_VARIANT_ORIGINAL) ==
	                   FERRY_RP_HASH_LEN,
	               "sha256- and the base64 of 32 bytes, NUL-terminated");
	crypto_hash_sha256(sha, (const uint8_t *)text, strlen(text));
	memcpy(out, "sha256-", 7);
	sodium_bin2base64(out + 7, FERRY_RP_HASH_LEN - 7, sha, sizeof sha,
	                  sodium_base64_VARIANT_ORIGINAL);
}

void ferry_rp_put(ferry_rpage *p, const char *s)
{
	if (!p->bad && ferry_membuf_write(&p->m, (const uint8_t *)s, strlen(s)) != 0)
		p->bad = ENOMEM;
}

void ferry_rp_putf(ferry_rpage *p, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		p->bad = p->bad ? p->bad : EOVERFLOW;
	else
		ferry_rp_put(p, buf);
}

void ferry_rp_esc_n(ferry_rpage *p, const char *s, size_t n)
{
	if (!p->bad && ferry_html_escape(ferry_membuf_write, &p->m, s, n) != 0)
		p->bad = ENOMEM;
}

void ferry_rp_esc(ferry_rpage *p, const char *s)
{
	ferry_rp_esc_n(p, s, strlen(s));
}

void ferry_rp_head(ferry_rpage *p, const char *style_hash, const char *script_hash,
                   const char *title)
{
	ferry_rp_put(p, "<!doctype html>\n<html><head><meta charset=\"utf-8\">\n");
	ferry_rp_putf(
	    p,
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; style-src '%s'; %s%s%sbase-uri 'none'; form-action 'none'\">\n",
	    style_hash, script_hash ? "script-src '" : "",
	    script_hash ? script_hash : "", script_hash ? "'; " : "");
	ferry_rp_put(p, "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
	ferry_rp_esc(p, title);
	ferry_rp_put(p, "</title>\n<style>");
	ferry_rp_put(p, FERRY_RP_CSS);
	ferry_rp_put(p, "</style>\n</head>\n<body>\n");
}

int ferry_rp_save(const char *dir, const char *name, ferry_rpage *p, ferry_err *e)
{
	char path[FERRY_PATH_MAX];
	int ok = !p->bad && ferry_path_join(path, sizeof path, dir, name) == 0 &&
	         ferry_atomic_write(path, p->m.p, p->m.len, 0600, 1) == 0;
	int err = p->bad ? p->bad : errno; /* the page's own failure, or the disk's */
	if (p->m.p)
		sodium_memzero(p->m.p, p->m.len);
	ferry_membuf_free(&p->m);
	p->bad = 0;
	return ok ? FERRY_OK
	          : ferry_fail(e, FERRY_EOP, "cannot write '%s' in the report: %s",
	                       name, strerror(err));
}

/* A pack as the report names it: its short name, and its desk-private
 * label only when the journalist asked for labels. */
void ferry_rp_pack_name(const ferry_rp_ctx *x, ferry_rpage *p,
                        const ferry_vault_pack *pk)
{
	char sn[5];
	ferry_pack_short(sn, pk->pack_id);
	ferry_rp_put(p, sn);
	if (!x->labels)
		return;
	ferry_rp_put(p, " (");
	ferry_rp_esc(p, pk->label);
	ferry_rp_put(p, ")");
}
