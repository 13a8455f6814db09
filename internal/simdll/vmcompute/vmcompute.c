/*
 * The stand-in vmcompute.dll (built by scripts/simdll.sh): it only
 * forwards HNSCall to computenetwork.dll!HcnSimHNSCall (see vmcompute.def),
 * so the state of HNS v1 and HCN v2 calls is one emulator's.
 */
#include <windows.h>

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst; (void)reason; (void)reserved;
	return TRUE;
}
