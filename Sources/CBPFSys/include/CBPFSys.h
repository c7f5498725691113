// Header-only shim for the system calls Swift cannot make directly: glibc's
// syscall() is variadic, so Swift cannot call it. Each wrapper is a static
// inline function; the Syscall module owns every use of them.
#ifndef SWIFTBPF_CBPFSYS_H
#define SWIFTBPF_CBPFSYS_H

#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/epoll.h>

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

#endif
