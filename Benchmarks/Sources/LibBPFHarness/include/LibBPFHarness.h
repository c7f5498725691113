// The libbpf side of the benchmarks, kept in C because btf_dump's printf
// callback receives a va_list. Benchmark-only code: the root package never
// links libbpf.
#ifndef LIBBPF_HARNESS_H
#define LIBBPF_HARNESS_H

#include <stdint.h>

/// The linked libbpf's version, e.g. "v1.1".
const char *lbh_version(void);

/// Parses the raw BTF at `path` with `btf__parse`, looks up the type named
/// `name` of kind `kind` (a BTF_KIND_* number) with `btf__find_by_name_kind`,
/// frees everything. Returns the type id (> 0) or a negative errno.
int32_t lbh_parse_find(const char *path, const char *name, uint32_t kind);

/// Parses the BTF at `path` (`btf__parse`); NULL on failure (errno set).
/// Free with `lbh_free`.
void *lbh_parse(const char *path);
void lbh_free(void *btf);

/// Number of type ids including void (`btf__type_cnt`).
uint32_t lbh_type_count(const void *btf);

/// Dumps every type of `btf` as C (`btf_dump__new`, then `btf_dump__dump_type`
/// for ids 1..n-1, as `bpftool btf dump ... format c` does) into a fresh
/// growing memory buffer. Writes the text to `fd` afterwards when `fd >= 0`.
/// Returns the number of bytes produced, or a negative errno.
int64_t lbh_dump_c(const void *btf, int fd);

// The ring buffer and map benchmarks' functions (in their own files).
#include "RingBufHarness.h"
#include "MapHarness.h"

#endif
