import Syscall

/// How big the verifier log buffer should be on each attempt of a load.
///
/// Loads run without a log first (the common case costs nothing); a failed
/// load is retried with a log; a log that did not fit (`ENOSPC`) is retried
/// with a bigger buffer — the size the kernel says it needed
/// (`log_true_size`, Linux 6.4+), else twice the last size — up to the
/// kernel's limit.
public struct VerifierLogPolicy: Sendable, Hashable {
  /// The first buffer after a load without a log failed.
  public var initialCapacity: Int
  /// The largest buffer to ask for.
  ///
  /// Kernel: `log_size` must not exceed `UINT_MAX >> 8` (16 MiB - 1) before
  /// Linux 5.2 and `UINT_MAX >> 2` after; the smaller bound works everywhere.
  public var maximumCapacity: Int

  /// The largest `log_size` every kernel accepts (16 MiB - 1).
  public static let kernelMaximum = Int(UInt32.max >> 8)

  /// A policy starting at `initialCapacity` bytes (64 KiB by default) and
  /// growing up to `maximumCapacity`.
  public init(initialCapacity: Int = 1 << 16, maximumCapacity: Int = VerifierLogPolicy.kernelMaximum) {
    self.initialCapacity = max(1, min(initialCapacity, maximumCapacity))
    self.maximumCapacity = maximumCapacity
  }

  /// The log capacity for the next attempt after a load failed with
  /// `errno` using a `capacity`-byte log (0: no log), or nil to stop.
  ///
  /// `trueSize` is the kernel's `log_true_size` (0 when it does not report
  /// one): the bytes the whole log needs, its NUL included.
  /// Kernel: `ENOSPC` from `BPF_PROG_LOAD`/`BPF_BTF_LOAD` means the log was
  /// cut (since 6.4 even when the program itself verified).
  public func nextCapacity(afterFailure errno: Errno, capacity: Int, trueSize: UInt32 = 0) -> Int? {
    if capacity <= 0 { return initialCapacity }
    guard errno == .ENOSPC, capacity < maximumCapacity else { return nil }
    let needed = Int(trueSize)
    if needed > capacity { return min(needed, maximumCapacity) }
    let (doubled, overflow) = capacity.multipliedReportingOverflow(by: 2)
    return overflow ? maximumCapacity : min(doubled, maximumCapacity)
  }

  /// Whether a log came back cut: the kernel needed more than was given.
  public static func isTruncated(_ log: VerifierLog) -> Bool {
    Int(log.trueSize) > log.capacity
  }
}
