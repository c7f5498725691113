// libbpf ring buffer consumer for the `ringbuf` benchmark (see RingBufHarness.h).
#include "RingBufHarness.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>

struct lbh_ring {
  struct ring_buffer *rb;
  uint64_t sum;
};

static int lbh_ring_sample(void *ctx, void *data, size_t size) {
  struct lbh_ring *ring = ctx;
  uint64_t first = 0;
  if (size >= sizeof(first)) memcpy(&first, data, sizeof(first));
  ring->sum += first;
  return 0;
}

void *lbh_ringbuf_new(int map_fd) {
  struct lbh_ring *ring = calloc(1, sizeof(*ring));
  if (!ring) return NULL;
  ring->rb = ring_buffer__new(map_fd, lbh_ring_sample, ring, NULL);
  if (!ring->rb) {
    int saved = errno;
    free(ring);
    errno = saved;
    return NULL;
  }
  return ring;
}

int64_t lbh_ringbuf_poll(void *rb, int timeout_ms) {
  return ring_buffer__poll(((struct lbh_ring *)rb)->rb, timeout_ms);
}

int64_t lbh_ringbuf_consume(void *rb) {
  return ring_buffer__consume(((struct lbh_ring *)rb)->rb);
}

uint64_t lbh_ringbuf_sum(const void *rb) { return ((const struct lbh_ring *)rb)->sum; }

void lbh_ringbuf_free(void *rb) {
  struct lbh_ring *ring = rb;
  if (!ring) return;
  ring_buffer__free(ring->rb);
  free(ring);
}
