// The libbpf side of the `maps` benchmark: the same element operations the
// Swift side makes through TypedMap, with libbpf's own calls, over the same
// map (a u32 -> u64 hash). Each function sums what it reads, so the work is
// the same on both sides and cannot be optimized away.
#ifndef LIBBPF_MAP_HARNESS_H
#define LIBBPF_MAP_HARNESS_H

#include <stdint.h>

/// `bpf_map_lookup_elem` for each of `count` keys; the sum of the values
/// found, or UINT64_MAX when a call failed other than with ENOENT.
uint64_t lbh_map_lookup_each(int map_fd, const uint32_t *keys, int count);

/// `bpf_map_update_elem(BPF_ANY)` for each key with value `key * 3`; 0, or
/// a negative errno.
int lbh_map_update_each(int map_fd, const uint32_t *keys, int count);

/// Walks every key with `bpf_map_get_next_key`; the number of keys, or a
/// negative errno. `key_sum` gets the sum of the keys.
int64_t lbh_map_walk_keys(int map_fd, uint64_t *key_sum);

/// Reads every entry with `bpf_map_lookup_batch`, `batch` at a time; the
/// number of entries, or a negative errno. `value_sum` gets their sum.
int64_t lbh_map_lookup_all_batched(int map_fd, uint32_t batch, uint64_t *value_sum);

#endif
