/* bcryptprimitives.dll for Wine 8, which lacks it: Go 1.22 and later load
 * it from system32 at start for ProcessPrng, Windows 10's random source.
 * This one draws from RtlGenRandom. The Wine test of the Windows file
 * dialogs (portal_wine_test.go) builds it into its own Wine prefix; it is
 * never shipped. */
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
