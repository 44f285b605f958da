/* Test-only shim for Wine 8 (Debian 12), which lacks bcryptprimitives.dll.
 * Go's Windows runtime gets its random numbers from ProcessPrng there and
 * refuses to start without it. This DLL exports ProcessPrng and fills the
 * buffer via advapi32's SystemFunction036 (RtlGenRandom). Built by
 * scripts/wine-test.sh with x86_64-w64-mingw32-gcc into the test's own
 * Wine prefix; never shipped. */
#include <windows.h>

typedef BOOLEAN (WINAPI *rtlgenrandom_fn)(PVOID, ULONG);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    static rtlgenrandom_fn gen;
    if (!gen) {
        HMODULE adv = LoadLibraryA("advapi32.dll");
        if (!adv)
            return FALSE;
        gen = (rtlgenrandom_fn)GetProcAddress(adv, "SystemFunction036");
        if (!gen)
            return FALSE;
    }
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!gen(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
