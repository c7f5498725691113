// The libbpf side of the benchmarks; see LibBPFHarness.h.
#include "LibBPFHarness.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

const char *lbh_version(void) { return libbpf_version_string(); }

int32_t lbh_parse_find(const char *path, const char *name, uint32_t kind) {
  struct btf *btf = btf__parse(path, NULL);
  long err = libbpf_get_error(btf);
  if (err) return (int32_t)err;
  int32_t id = btf__find_by_name_kind(btf, name, kind);
  btf__free(btf);
  return id;
}

void *lbh_parse(const char *path) {
  struct btf *btf = btf__parse(path, NULL);
  if (libbpf_get_error(btf)) return NULL;
  return btf;
}

void lbh_free(void *btf) { btf__free(btf); }

uint32_t lbh_type_count(const void *btf) { return btf__type_cnt(btf); }

/// A growing text buffer the printf callback appends to.
struct sink {
  char *data;
  size_t length, capacity;
  int failed;
};

static int sink_reserve(struct sink *s, size_t more) {
  if (s->capacity - s->length > more) return 0;
  size_t capacity = s->capacity ? s->capacity : 65536;
  while (capacity - s->length <= more) capacity *= 2;
  char *data = realloc(s->data, capacity);
  if (!data) return -1;
  s->data = data;
  s->capacity = capacity;
  return 0;
}

static void sink_printf(void *ctx, const char *fmt, va_list args) {
  struct sink *s = ctx;
  if (s->failed) return;
  va_list again;
  va_copy(again, args);
  int n = vsnprintf(s->data + s->length, s->capacity - s->length, fmt, args);
  if (n >= 0 && (size_t)n >= s->capacity - s->length) {
    // Did not fit: grow and format again from the copy.
    if (sink_reserve(s, (size_t)n) == 0)
      n = vsnprintf(s->data + s->length, s->capacity - s->length, fmt, again);
    else
      n = -1;
  }
  va_end(again);
  if (n < 0) { s->failed = 1; return; }
  s->length += (size_t)n;
}

int64_t lbh_dump_c(const void *btf, int fd) {
  struct sink s = {0};
  if (sink_reserve(&s, 1) != 0) return -ENOMEM;
  struct btf_dump *d = btf_dump__new(btf, sink_printf, &s, NULL);
  long err = libbpf_get_error(d);
  if (err) { free(s.data); return err; }
  uint32_t count = btf__type_cnt(btf);
  int64_t result = 0;
  for (uint32_t id = 1; id < count; id++) {
    int e = btf_dump__dump_type(d, id);
    if (e) { result = e; break; }
  }
  btf_dump__free(d);
  if (result == 0 && s.failed) result = -ENOMEM;
  if (result == 0) result = (int64_t)s.length;
  if (result > 0 && fd >= 0) {
    size_t done = 0;
    while (done < s.length) {
      ssize_t n = write(fd, s.data + done, s.length - done);
      if (n < 0) { if (errno == EINTR) continue; result = -errno; break; }
      done += (size_t)n;
    }
  }
  free(s.data);
  return result;
}
