#include "err.h"

#include "i18n.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ferry_err_clear(ferry_err *e)
{
	if (!e)
		return;
	e->code = FERRY_OK;
	e->msg[0] = '\0';
	e->hint[0] = '\0';
}

/* The message and the hint are put in the reader's language here, where
 * they are formatted (common/i18n.h). */
static int vfail(ferry_err *e, int code, const char *hint, const char *fmt, va_list ap)
{
	/* Message text is cut to fit on purpose. */
	if (vsnprintf(e->msg, sizeof e->msg, ferry_tr(fmt), ap) < 0)
		e->msg[0] = '\0';
	e->code = code;
	if (snprintf(e->hint, sizeof e->hint, "%s", hint[0] ? ferry_tr(hint) : "") < 0)
		e->hint[0] = '\0';
	return code;
}

int ferry_fail(ferry_err *e, int code, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, "", fmt, ap);
	va_end(ap);
	return code;
}

int ferry_fail_hint(ferry_err *e, int code, const char *hint, const char *fmt, ...)
{
	if (!e)
		return code;
	va_list ap;
	va_start(ap, fmt);
	vfail(e, code, hint, fmt, ap);
	va_end(ap);
	return code;
}

int ferry_hint(ferry_err *e, const char *fmt, ...)
{
	if (!e)
		return FERRY_EOP;
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(e->hint, sizeof e->hint, ferry_tr(fmt), ap);
	va_end(ap);
	return e->code;
}

int ferry_err_prefix(ferry_err *e, const char *fmt, ...)
{
	if (!e)
		return FERRY_EOP;
	char old[sizeof e->msg], pre[sizeof e->msg];
	memcpy(old, e->msg, sizeof old);
	old[sizeof old - 1] = '\0';
	va_list ap;
	va_start(ap, fmt);
	(void)vsnprintf(pre, sizeof pre, ferry_tr(fmt), ap);
	va_end(ap);
	/* Cut to fit on purpose: the message is for a person. */
	if (snprintf(e->msg, sizeof e->msg, old[0] ? "%s: %s" : "%s", pre, old) < 0)
		e->msg[0] = '\0';
	if (e->code == FERRY_OK)
		e->code = FERRY_EOP;
	return e->code;
}
