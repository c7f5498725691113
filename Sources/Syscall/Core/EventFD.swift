import CBPFSys
import Glibc

/// An eventfd (owned descriptor): a counter one thread signals to wake
/// another that waits on it, e.g. in epoll.
///
/// Close-on-exec and non-blocking, so draining a counter that is already
/// zero returns at once instead of hanging the reader.
/// Kernel: eventfd(2) with `EFD_CLOEXEC | EFD_NONBLOCK`.
package struct EventFD: ~Copyable, Sendable {
  package let fd: OwnedFD

  package init() throws(SyscallError) {
    let raw = swiftbpf_eventfd()
    if raw == -1 { throw .current(.system("eventfd")) }
    fd = try OwnedFD.adopt(raw)
  }

  package var borrowed: BorrowedFD { fd.borrowed }

  /// Adds 1 to the counter, making the descriptor readable. A failure
  /// (the counter at its maximum) leaves it readable anyway, so it is ignored.
  package func signal() {
    var one: UInt64 = 1
    _ = withUnsafeBytes(of: &one) { Glibc.write(fd.rawValue, $0.baseAddress, 8) }
  }

  /// Reads the counter back to zero (nothing happens when it is zero already).
  package func drain() {
    var value: UInt64 = 0
    _ = withUnsafeMutableBytes(of: &value) { Glibc.read(fd.rawValue, $0.baseAddress, 8) }
  }
}
