/* bcryptprimitives.dll for Wine 8, which lacks it: Go 1.22 and later load
 * it from system32 at start for ProcessPrng, Windows 10's random source.
 * This one draws from RtlGenRandom. Whatever runs Go programs under Wine
 * builds it into its own prefix's system32 (with WINEDLLOVERRIDES naming
 * bcryptprimitives=n): packaging/windows/test.sh, to start the installed
 * licensedesk.exe, and app/portal/portal_wine_test.go, to show the Windows
 * file dialogs. It is never shipped: Windows 10 and later have the DLL. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!RtlGenRandom(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
