/* The two Apple SDK macros ring's C reads, for compile-checking the macOS
   targets on Linux with clang and no SDK (see docs/http.md). */
#define TARGET_OS_OSX 1
#define TARGET_OS_IPHONE 0
