/*
 * Stand-in for Windows' bcryptprimitives.dll, for running Windows test
 * binaries under wine 8.
 *
 * Rust's standard library (1.78 and later) fills its random seeds through
 * bcryptprimitives!ProcessPrng. Wine 8 ships no such DLL, so every Rust
 * binary fails to load before main. The one export std needs is supplied
 * here over advapi32's SystemFunction036 (RtlGenRandom), which wine has
 * had for a long time. .ci/wine-run builds this file and puts the DLL
 * beside each .exe it runs; Windows loads a DLL from the executable's
 * directory before looking in the system directory.
 */
#include <windows.h>

/* RtlGenRandom: exported by advapi32 under this name, declared by hand
 * because mingw's headers guard it behind a feature macro. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* RtlGenRandom takes a 32-bit length; ask in chunks it can hold. */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
