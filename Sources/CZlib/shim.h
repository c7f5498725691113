// zlib, for reading the kernel's compressed config (/proc/config.gz).
// No C of our own here: just the system header.
#ifndef SWIFTBPF_CZLIB_SHIM_H
#define SWIFTBPF_CZLIB_SHIM_H
#include <zlib.h>
#endif
