import CBPFSys
import Glibc

/// Loads and stores on memory shared with the kernel, with the ordering the
/// kernel's ring buffer protocols require.
///
/// Swift's `Synchronization.Atomic` cannot wrap foreign (mapped) memory, so
/// these go through the C shim's `__atomic` builtins. They live here because
/// only Syscall imports the shim; they are `@inlinable` so the ring buffer
/// readers of the Loader still compile them to single instructions on their
/// hot paths, as when they were defined in the Loader.
///
/// Kernel: the producer publishes with `smp_store_release` and the consumer
/// reads with `smp_load_acquire` (Documentation/bpf/ringbuf.rst; perf's
/// `data_head`/`data_tail` in include/uapi/linux/perf_event.h).
package enum SharedMemory {
  @inlinable @inline(__always)
  package static func loadAcquire64(_ p: UnsafeRawPointer) -> UInt64 { swiftbpf_load_acquire_u64(p) }
  @inlinable @inline(__always)
  package static func loadAcquire32(_ p: UnsafeRawPointer) -> UInt32 { swiftbpf_load_acquire_u32(p) }
  @inlinable @inline(__always)
  package static func storeRelease64(_ p: UnsafeMutableRawPointer, _ v: UInt64) {
    swiftbpf_store_release_u64(p, v)
  }
  @inlinable @inline(__always)
  package static func storeRelease32(_ p: UnsafeMutableRawPointer, _ v: UInt32) {
    swiftbpf_store_release_u32(p, v)
  }

  /// A hint to start loading the cache line at `p`.
  @inlinable @inline(__always)
  package static func prefetch(_ p: UnsafeRawPointer) { swiftbpf_prefetch(p) }

  /// The system page size (ring buffer pages are mapped in these units).
  ///
  /// `getpagesize()` rather than `sysconf(_SC_PAGESIZE)`: naming the
  /// `_SC_PAGESIZE` constant in a file that imports CBPFSys (whose header
  /// includes <unistd.h>) made a whole-module (release) build attribute the
  /// constant to the shim, and other files that import only Glibc could no
  /// longer find it.
  package static let pageSize: Int = {
    let size = Int(getpagesize())
    return size > 0 ? size : 4096
  }()
}
