// Header-only shim for the system calls Swift cannot make directly: glibc's
// syscall() is variadic, so Swift cannot call it. Each wrapper is a static
// inline function; the Syscall module owns every use of them.
#ifndef SWIFTBPF_CBPFSYS_H
#define SWIFTBPF_CBPFSYS_H

#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>

/// bpf(2): `cmd` is a `BPF_*` command, `attr` points at `size` bytes of the
/// command's attribute layout (defined in Swift, checked against kernel BTF).
static inline long swiftbpf_bpf(int cmd, void *attr, unsigned int size) {
  return syscall(__NR_bpf, cmd, attr, size);
}

/// perf_event_open(2): `attr` is a `struct perf_event_attr` laid out in Swift.
static inline long swiftbpf_perf_event_open(void *attr, int pid, int cpu,
                                            int group_fd, unsigned long flags) {
  return syscall(__NR_perf_event_open, attr, pid, cpu, group_fd, flags);
}

/// setresuid(2) as the raw system call, which changes the calling thread's
/// credentials only (glibc's wrapper changes every thread of the process).
/// Used to run one thread without privileges, e.g. to observe EPERM.
static inline long swiftbpf_thread_setresuid(unsigned int ruid, unsigned int euid,
                                             unsigned int suid) {
  return syscall(__NR_setresuid, ruid, euid, suid);
}

/// Acquire load of a 64-bit word shared with the kernel (ring buffer and perf
/// buffer positions): later reads of the data it publishes see that data.
static inline uint64_t swiftbpf_load_acquire_u64(const void *p) {
  return __atomic_load_n((const uint64_t *)p, __ATOMIC_ACQUIRE);
}

/// Acquire load of a 32-bit word shared with the kernel (ring buffer record headers).
static inline uint32_t swiftbpf_load_acquire_u32(const void *p) {
  return __atomic_load_n((const uint32_t *)p, __ATOMIC_ACQUIRE);
}

/// Release store of a 64-bit word shared with the kernel (consumer/producer
/// positions): earlier reads and writes of the data complete before it.
static inline void swiftbpf_store_release_u64(void *p, uint64_t v) {
  __atomic_store_n((uint64_t *)p, v, __ATOMIC_RELEASE);
}

/// Release store of a 32-bit word shared with the kernel (user ring buffer headers).
static inline void swiftbpf_store_release_u32(void *p, uint32_t v) {
  __atomic_store_n((uint32_t *)p, v, __ATOMIC_RELEASE);
}

/// A hint to start loading the cache line at `p` (ring buffer consumers
/// prefetch the next record header while the current record is handled).
static inline void swiftbpf_prefetch(const void *p) {
  __builtin_prefetch(p, 0, 3);
}

/// eventfd(2), close-on-exec and non-blocking: wakes an epoll wait from
/// another thread (event streams use it for cancellation and shutdown).
static inline int swiftbpf_eventfd(void) {
  return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

#endif
