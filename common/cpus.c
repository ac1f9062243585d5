#include "cpus.h"

#include <unistd.h>

unsigned ferry_cpus(unsigned cap)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > (long)cap ? cap : (unsigned)n;
}
