// glibc's malloc tuning (malloc_trim, mallopt): part of the C library, nothing to install.
#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
#endif
