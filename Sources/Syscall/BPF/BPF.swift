import CBPFSys
import Glibc

/// The bpf(2) system call, one typed function per command.
///
/// Every function retries `EINTR`; `BPF_PROG_LOAD` also retries `EAGAIN` a
/// few times (the verifier returns it when a signal interrupts it). Any other
/// error is thrown at once as a `SyscallError` naming the command and errno.
public enum BPF {
  /// How many times `BPF_PROG_LOAD` is retried on `EAGAIN`.
  public static let programLoadRetries = 5

  /// Issues `command` with the attribute in `attr` and returns the result
  /// (a new descriptor, or 0). Not inlinable: the system call dominates,
  /// and the attribute buffer stays inside the project.
  package static func call(_ command: BPFCommand, _ attr: AttrBuffer) throws(SyscallError) -> CInt {
    var attempt = 0
    while true {
      let result = swiftbpf_bpf(command.rawValue, attr.pointer, UInt32(attr.size))
      if result >= 0 { return CInt(truncatingIfNeeded: result) }
      let error = Errno.current
      if shouldRetry(command, error, attempt: attempt) {
        attempt += 1
        continue
      }
      throw .failed(.bpf(command), error)
    }
  }

  /// Whether a failed call is tried again: always on `EINTR` (a signal
  /// arrived before the kernel did anything); on `EAGAIN` only for
  /// `BPF_PROG_LOAD`, whose verifier returns it when interrupted, and only
  /// `programLoadRetries` times. Never for any other error.
  ///
  /// `attempt` counts the retries made so far.
  @inlinable
  public static func shouldRetry(_ command: BPFCommand, _ error: Errno, attempt: Int) -> Bool {
    if error == .EINTR { return true }
    if error == .EAGAIN, command == .programLoad { return attempt < programLoadRetries }
    return false
  }

  /// Issues a command whose result is a new descriptor, owned by the caller.
  package static func callReturningFD(
    _ command: BPFCommand, _ attr: AttrBuffer
  ) throws(SyscallError) -> OwnedFD {
    try OwnedFD.adopt(try call(command, attr))
  }

  /// Converts a Swift count to a kernel `__u32`, refusing what does not fit.
  @inlinable
  static func u32(_ value: Int, _ what: String, _ command: BPFCommand) throws(SyscallError) -> UInt32 {
    guard let v = UInt32(exactly: value) else {
      throw .invalidArgument(.bpf(command), reason: "\(what) \(value) does not fit in 32 bits")
    }
    return v
  }

  /// A descriptor as the kernel's unsigned `__u32` fd field.
  @inlinable
  static func fd(_ fd: BorrowedFD?) -> UInt32 {
    guard let fd else { return 0 }
    return UInt32(bitPattern: fd.rawValue)
  }
}
