// The small libelf shim: the headers SwiftBPF's ELFReader uses.
// libelf's API is plain C; Swift calls it directly through this module.
#ifndef SWIFTBPF_CLIBELF_SHIM_H
#define SWIFTBPF_CLIBELF_SHIM_H
#include <libelf.h>
#include <gelf.h>
#endif
