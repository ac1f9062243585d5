/* Test-only (ferry-seal-hook, never installed): the sandboxed QR
 * decoder's child misbehaves on request, to show what its sandbox does.
 *   FERRY_TEST_QR_HOOK=syscall   the child opens a socket once confined
 *   FERRY_TEST_QR_HOOK=spin      the child spins (its CPU limit stops it)
 *   FERRY_TEST_QR_HOOK=silent    the child exits 0 without its answer
 *   FERRY_TEST_QR_CPU=SECS       the child's CPU limit
 *   FERRY_TEST_QR_MEMORY=MIB     the child's address-space limit */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../pages/qrscan.h"

__attribute__((constructor)) static void lower_limits(void)
{
	const char *cpu = getenv("FERRY_TEST_QR_CPU");
	const char *mem = getenv("FERRY_TEST_QR_MEMORY");
	if (cpu && *cpu)
		ferry_qr_child_limits.cpu_secs = (unsigned)strtoul(cpu, NULL, 10);
	if (mem && *mem)
		ferry_qr_child_limits.memory = strtoull(mem, NULL, 10) << 20;
}

void ferry_qr_child_hook(void)
{
	const char *h = getenv("FERRY_TEST_QR_HOOK");
	if (!h)
		return;
	if (!strcmp(h, "syscall"))
		(void)socket(AF_INET, SOCK_STREAM, 0);
	if (!strcmp(h, "silent"))
		_exit(0);
	if (!strcmp(h, "spin"))
		for (volatile unsigned long i = 0;; i++)
			;
}
