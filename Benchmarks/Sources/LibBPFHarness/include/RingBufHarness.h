// The libbpf side of the `ringbuf` benchmark: a ring_buffer consumer whose
// callback does what the Swift side's closure does (sum the first u64 of
// each record), so both sides do the same work per record.
#ifndef LIBBPF_RINGBUF_HARNESS_H
#define LIBBPF_RINGBUF_HARNESS_H

#include <stdint.h>

/// `ring_buffer__new` on `map_fd` with the summing callback; NULL on failure
/// (errno set). Free with `lbh_ringbuf_free`.
void *lbh_ringbuf_new(int map_fd);

/// `ring_buffer__poll(rb, timeout_ms)`: records consumed, or a negative errno.
int64_t lbh_ringbuf_poll(void *rb, int timeout_ms);

/// `ring_buffer__consume(rb)`: records consumed, or a negative errno.
int64_t lbh_ringbuf_consume(void *rb);

/// Sum of the first u64 of every record the callback has seen.
uint64_t lbh_ringbuf_sum(const void *rb);

void lbh_ringbuf_free(void *rb);

#endif
