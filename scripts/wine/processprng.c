/*
 * bcryptprimitives.dll stand-in for Wine 8.0, which lacks ProcessPrng:
 * the Go runtime (1.22+) resolves bcryptprimitives.dll!ProcessPrng at start
 * and dies without it. Built by scripts/wine-test.sh into the prefix's
 * system32 (the runtime loads it with LOAD_LIBRARY_SEARCH_SYSTEM32).
 */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != 0)
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
