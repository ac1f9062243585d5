/* How many threads a pipeline may use: the online CPUs, at least one. */
#ifndef FERRY_CPUS_H
#define FERRY_CPUS_H

/* The number of online CPUs, from 1 to cap. */
unsigned ferry_cpus(unsigned cap);

#endif
