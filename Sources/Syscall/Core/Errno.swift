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

  /// Operation not permitted: from bpf(2), usually missing `CAP_BPF`/`CAP_PERFMON`
  /// (or `CAP_SYS_ADMIN`), a locked-down kernel, or the memlock limit on
  /// kernels before 5.11.
  public static let EPERM = Errno(rawValue: 1)
  /// No such file or entry: a map key that is absent, a pin path or tracefs
  /// event that does not exist, the end of a map walk.
  public static let ENOENT = Errno(rawValue: 2)
  /// No such process: a pid that does not exist.
  public static let ESRCH = Errno(rawValue: 3)
  /// Interrupted by a signal before the call completed.
  public static let EINTR = Errno(rawValue: 4)
  /// Input/output error.
  public static let EIO = Errno(rawValue: 5)
  /// Argument list too long: from bpf(2), an attribute larger than this
  /// kernel knows with non-zero bytes past its end, a program too long, a
  /// full queue.
  public static let E2BIG = Errno(rawValue: 7)
  /// Bad file descriptor: closed, or not the kind of object asked for.
  public static let EBADF = Errno(rawValue: 9)
  /// Try again: from `BPF_PROG_LOAD`, the verifier's log or work was cut short,
  /// or a non-blocking call would block.
  public static let EAGAIN = Errno(rawValue: 11)
  /// Out of memory: a map too large to allocate, a verifier that ran out of
  /// memory on a large program.
  public static let ENOMEM = Errno(rawValue: 12)
  /// Permission denied: from `BPF_PROG_LOAD`, the verifier rejected the
  /// program; from files, their mode.
  public static let EACCES = Errno(rawValue: 13)
  /// Bad address: a pointer in the attributes that the kernel could not read
  /// or write.
  public static let EFAULT = Errno(rawValue: 14)
  /// Device or resource busy: a hook that already has a program (XDP
  /// without replace, an exclusive attach).
  public static let EBUSY = Errno(rawValue: 16)
  /// File exists: an element that exists under `BPF_NOEXIST`, a pin path
  /// already taken, an attachment already there.
  public static let EEXIST = Errno(rawValue: 17)
  /// No such device: an interface index that does not exist.
  public static let ENODEV = Errno(rawValue: 19)
  /// Invalid argument: from bpf(2), an attribute this kernel rejects (an
  /// unknown map or program type, bad flags, sizes that do not fit the type).
  public static let EINVAL = Errno(rawValue: 22)
  /// Too many open files: the process's descriptor limit (`RLIMIT_NOFILE`).
  public static let EMFILE = Errno(rawValue: 24)
  /// Inappropriate ioctl: a perf event ioctl on a descriptor that is not a
  /// perf event.
  public static let ENOTTY = Errno(rawValue: 25)
  /// No space left: a full map under `BPF_NOEXIST`, a verifier log larger
  /// than its buffer, a batch lookup whose bucket does not fit the batch.
  public static let ENOSPC = Errno(rawValue: 28)
  /// Result too large: a size outside the range the kernel allows.
  public static let ERANGE = Errno(rawValue: 34)
  /// Function not implemented: a kernel built without bpf(2) or without the
  /// asked-for feature.
  public static let ENOSYS = Errno(rawValue: 38)
  /// Too many levels: a map-in-map nested too deep, a symlink loop.
  public static let ELOOP = Errno(rawValue: 40)
  /// Operation not supported: a map type without the command (batch
  /// commands on LPM tries, lookups on ring buffers), a device without
  /// native XDP.
  public static let EOPNOTSUPP = Errno(rawValue: 95)
  /// Kernel-internal "not supported" that bpf(2) lets through to user space.
  public static let ENOTSUPP = Errno(rawValue: 524)
}
