/* zbar sources include <config.h>: see srclibs/zbar-config.h. */
#include "../zbar-config.h"
