/* zbar sources include <config.h>: see web/zbar-config.h. */
#include "../zbar-config.h"
