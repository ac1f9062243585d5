/* Error text carried from library code up to a tool's main. */
#ifndef FERRY_ERR_H
#define FERRY_ERR_H

#include <stdarg.h>
#include <stdio.h>

#define FERRY_WUR __attribute__((warn_unused_result))

typedef struct {
	char msg[768];
} ferry_err;

/* Library return values: 0 ok, -1 a check failed (signature, MAC,
 * passphrase: exit 1), -2 an operational or usage error (exit 2). */
enum { FERRY_OK = 0, FERRY_EVERIFY = -1, FERRY_EOP = -2 };

__attribute__((format(printf, 3, 4))) static inline int ferry_fail(ferry_err *e, int rc,
                                                                   const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return rc;
}

#endif
