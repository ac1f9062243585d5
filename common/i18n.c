/* Looking messages up; choosing the language is common/lang.c, which
 * only ferry-seal links (it alone reads the environment, for LANG). */
#include "i18n.h"

#include <libintl.h>

const char *ferry_tr(const char *msgid)
{
	return dgettext(FERRY_TEXTDOMAIN, msgid);
}

const char *ferry_trn(const char *one, const char *many, unsigned long n)
{
	return dngettext(FERRY_TEXTDOMAIN, one, many, n);
}
