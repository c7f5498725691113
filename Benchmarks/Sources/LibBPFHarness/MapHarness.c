// libbpf map element calls for the `maps` benchmark (see MapHarness.h).
#include "MapHarness.h"

#include <errno.h>
#include <stdlib.h>
#include <bpf/bpf.h>

uint64_t lbh_map_lookup_each(int map_fd, const uint32_t *keys, int count) {
  uint64_t sum = 0;
  for (int i = 0; i < count; i++) {
    uint64_t value = 0;
    if (bpf_map_lookup_elem(map_fd, &keys[i], &value) == 0) {
      sum += value;
    } else if (errno != ENOENT) {
      return UINT64_MAX;
    }
  }
  return sum;
}

int lbh_map_update_each(int map_fd, const uint32_t *keys, int count) {
  for (int i = 0; i < count; i++) {
    uint64_t value = (uint64_t)keys[i] * 3;
    if (bpf_map_update_elem(map_fd, &keys[i], &value, BPF_ANY) != 0) return -errno;
  }
  return 0;
}

int64_t lbh_map_walk_keys(int map_fd, uint64_t *key_sum) {
  uint32_t key = 0, next = 0;
  int64_t count = 0;
  uint64_t sum = 0;
  void *previous = NULL;
  while (bpf_map_get_next_key(map_fd, previous, &next) == 0) {
    count++;
    sum += next;
    key = next;
    previous = &key;
  }
  if (errno != ENOENT) return -errno;
  *key_sum = sum;
  return count;
}

int64_t lbh_map_lookup_all_batched(int map_fd, uint32_t batch, uint64_t *value_sum) {
  uint32_t *keys = calloc(batch, sizeof(uint32_t));
  uint64_t *values = calloc(batch, sizeof(uint64_t));
  if (!keys || !values) {
    free(keys);
    free(values);
    return -ENOMEM;
  }
  uint64_t in = 0, out = 0, sum = 0;
  int64_t total = 0;
  void *position = NULL;
  for (;;) {
    uint32_t n = batch;
    int err = bpf_map_lookup_batch(map_fd, position, &out, keys, values, &n, NULL);
    if (err && errno != ENOENT) {
      total = -errno;
      break;
    }
    for (uint32_t i = 0; i < n; i++) sum += values[i];
    total += n;
    if (err) break;  // ENOENT: the last batch
    in = out;
    position = &in;
  }
  free(keys);
  free(values);
  *value_sum = sum;
  return total;
}
