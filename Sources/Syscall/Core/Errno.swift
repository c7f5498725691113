import Glibc

/// An errno value with its symbolic name (`EPERM`), not only its message.
///
/// Users search the web for `EINVAL` with `BPF_MAP_CREATE`, not for
/// "Invalid argument"; the name is what makes an error actionable.
public struct Errno: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: CInt
  public init(rawValue: CInt) { self.rawValue = rawValue }

  /// The calling thread's `errno` right now.
  public static var current: Errno { Errno(rawValue: errno) }

  /// The symbolic name (`EPERM`), or `errno N` for a number this table lacks.
  public var name: String { Errno.names[rawValue] ?? "errno \(rawValue)" }

  /// The C library's message (`Operation not permitted`).
  public var message: String {
    if rawValue == Errno.ENOTSUPP.rawValue { return "Operation is not supported" }
    guard let text = strerror(rawValue) else { return "Unknown error \(rawValue)" }
    return String(cString: text)
  }

  /// `EPERM (Operation not permitted)`.
  public var description: String { "\(name) (\(message))" }

  public static let EPERM = Errno(rawValue: 1)
  public static let ENOENT = Errno(rawValue: 2)
  public static let ESRCH = Errno(rawValue: 3)
  public static let EINTR = Errno(rawValue: 4)
  public static let EIO = Errno(rawValue: 5)
  public static let E2BIG = Errno(rawValue: 7)
  public static let EBADF = Errno(rawValue: 9)
  public static let EAGAIN = Errno(rawValue: 11)
  public static let ENOMEM = Errno(rawValue: 12)
  public static let EACCES = Errno(rawValue: 13)
  public static let EFAULT = Errno(rawValue: 14)
  public static let EBUSY = Errno(rawValue: 16)
  public static let EEXIST = Errno(rawValue: 17)
  public static let ENODEV = Errno(rawValue: 19)
  public static let EINVAL = Errno(rawValue: 22)
  public static let EMFILE = Errno(rawValue: 24)
  public static let ENOTTY = Errno(rawValue: 25)
  public static let ENOSPC = Errno(rawValue: 28)
  public static let ERANGE = Errno(rawValue: 34)
  public static let ENOSYS = Errno(rawValue: 38)
  public static let ELOOP = Errno(rawValue: 40)
  public static let EOPNOTSUPP = Errno(rawValue: 95)
  /// Kernel-internal "not supported" that bpf(2) lets through to user space.
  public static let ENOTSUPP = Errno(rawValue: 524)
}
