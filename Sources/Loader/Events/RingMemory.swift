import Synchronization

/// The acquire loads and release stores of the ring buffer protocols, on the
/// mapped pages, compiled into this module.
///
/// `Syscall.SharedMemory` does the same through the C shim's `__atomic`
/// builtins, but its `@inlinable` `package` functions are not inlined here:
/// the release build leaves their bodies out of `Syscall`'s module (the SIL
/// shows them `package_external`, bodiless), so every record header cost a
/// call, the largest user-space item in a profile of `RingBuffer.batches`.
/// These are Swift's own atomics: `Synchronization.Atomic` has no
/// initializer over foreign memory, but a mapped word sits at a stable
/// address with the integer's layout, so it is accessed as an `Atomic`
/// through a pointer bound to that type (one `mov` each on x86-64, and atomics
/// the thread sanitizer instruments).
///
/// Kernel: the producer publishes with `smp_store_release` and the consumer
/// reads with `smp_load_acquire` (Documentation/bpf/ringbuf.rst; perf's
/// `data_head`/`data_tail` in include/uapi/linux/perf_event.h).
enum RingMemory {
  @inline(__always)
  static func atomic<T: AtomicRepresentable>(_ p: UnsafeRawPointer, _: T.Type) -> UnsafeMutablePointer<Atomic<T>> {
    // Only loaded through when `p` is read-only (the producer page): the
    // mutable pointer never writes there.
    UnsafeMutableRawPointer(mutating: p).assumingMemoryBound(to: Atomic<T>.self)
  }

  @inline(__always)
  static func loadAcquire64(_ p: UnsafeRawPointer) -> UInt64 {
    atomic(p, UInt64.self).pointee.load(ordering: .acquiring)
  }

  @inline(__always)
  static func loadAcquire32(_ p: UnsafeRawPointer) -> UInt32 {
    atomic(p, UInt32.self).pointee.load(ordering: .acquiring)
  }

  @inline(__always)
  static func storeRelease64(_ p: UnsafeMutableRawPointer, _ v: UInt64) {
    atomic(p, UInt64.self).pointee.store(v, ordering: .releasing)
  }

  @inline(__always)
  static func storeRelease32(_ p: UnsafeMutableRawPointer, _ v: UInt32) {
    atomic(p, UInt32.self).pointee.store(v, ordering: .releasing)
  }
}
