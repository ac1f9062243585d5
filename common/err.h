/* The one error shape of every ferry library: a code, a message and an
 * optional hint. Library code fills it and returns the code; only the
 * tools print it (as "ferry-X: error: ..." and "ferry-X: hint: ...") and
 * map the code to an exit status. */
#ifndef FERRY_ERR_H
#define FERRY_ERR_H

#define FERRY_WUR __attribute__((warn_unused_result))

/* Library return values. A check that failed (signature, MAC,
 * fingerprint, passphrase) exits 1; everything else exits 2. */
enum {
	FERRY_OK = 0,
	FERRY_EVERIFY = -4, /* verification or opening failed: never -1, which helpers return for any failure */
	FERRY_EOP = -2,     /* operational: I/O, memory, a damaged local file */
	FERRY_EUSAGE = -3,  /* the caller asked for something impossible */
};

#define FERRY_ERR_MSG_MAX  768
#define FERRY_ERR_HINT_MAX 256

typedef struct {
	int code;
	char msg[FERRY_ERR_MSG_MAX];
	char hint[FERRY_ERR_HINT_MAX];
} ferry_err;

void ferry_err_clear(ferry_err *e);
/* Sets code and message (and clears the hint); returns code. e may be
 * NULL. */
__attribute__((format(printf, 3, 4))) int ferry_fail(ferry_err *e, int code,
                                                     const char *fmt, ...);
/* ferry_fail with a hint (what to do about it); returns code. */
__attribute__((format(printf, 4, 5))) int
ferry_fail_hint(ferry_err *e, int code, const char *hint, const char *fmt, ...);
/* Adds a hint to the error already in e; returns e->code (FERRY_EOP
 * when e is NULL, so library code uses ferry_fail_hint instead). */
__attribute__((format(printf, 2, 3))) int ferry_hint(ferry_err *e, const char *fmt,
                                                     ...);
/* Puts context in front of the message already there: "prefix: old".
 * The old text is copied first, so the message may be used as an
 * argument. Returns e->code. */
__attribute__((format(printf, 2, 3))) int ferry_err_prefix(ferry_err *e,
                                                           const char *fmt, ...);

#endif
