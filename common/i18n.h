/* Messages in the reader's language. Every message is written in
 * English and looked up in the "ferry" catalog (po/) when it is
 * formatted: ferry_fail and the tools' printers do it, so a message
 * stays one literal at the place it is raised. Until a tool chooses a
 * language with ferry_lang_init, every lookup returns the English text,
 * which is what ferry-desk and ferry-relay keep (their logs, vault and
 * reports are read by the desk's own tools). */
#ifndef FERRY_I18N_H
#define FERRY_I18N_H

#include "err.h"

#define FERRY_TEXTDOMAIN "ferry"

/* Marks a literal for the catalog where it is not a message format
 * itself (a name put into one). */
#define N_(s) s

/* msgid in the chosen language (valid for the life of the process). */
const char *ferry_tr(const char *msgid) __attribute__((format_arg(1)));
/* The singular or plural form for n, in the chosen language. */
const char *ferry_trn(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1))) __attribute__((format_arg(2)));

/* Chooses the language: lang is "en", "ko" or "zh", or NULL for the
 * environment's (LC_ALL, LC_MESSAGES, LANG, LANGUAGE, as gettext reads
 * them; a language whose locale this machine has not generated is
 * still used). Only LC_MESSAGES changes: numbers, bytes and file names
 * are handled as before. Catalogs are looked for in the folder
 * "locale" beside the program, then in localedir. FERRY_EUSAGE for a
 * language ferry does not speak; FERRY_EOP when this machine cannot
 * switch (the messages stay English). */
FERRY_WUR int ferry_lang_init(const char *lang, const char *localedir, ferry_err *e);

#endif
