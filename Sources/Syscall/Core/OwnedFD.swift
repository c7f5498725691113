import Glibc

/// A file descriptor this value owns: closed exactly once, by `close()` or
/// when the value ends.
///
/// Every descriptor the Syscall layer returns is close-on-exec (BPF objects are
/// by kernel default; other calls pass the flag) and above 2: a program that
/// closed its standard streams would otherwise get a map as "stdout", and a
/// stray `print` would write into it.
public struct OwnedFD: ~Copyable, Sendable {
  /// The descriptor number. Valid only while this value lives; pass
  /// `borrowed` to calls rather than the number.
  public let rawValue: CInt

  /// Takes ownership of `rawValue` as is. The caller guarantees it is open,
  /// owned by nobody else, and close-on-exec.
  public init(unchecked rawValue: CInt) {
    self.rawValue = rawValue
  }

  /// Takes ownership of a descriptor the kernel just returned, moving it to
  /// 3 or above (close-on-exec) if it landed on 0, 1 or 2.
  ///
  /// On failure the descriptor is closed and the error thrown.
  public static func adopt(_ rawValue: CInt) throws(SyscallError) -> OwnedFD {
    guard rawValue >= 0 else {
      throw .invalidArgument(.system("adopt"), reason: "\(rawValue) is not a file descriptor")
    }
    if rawValue > 2 { return OwnedFD(unchecked: rawValue) }
    let moved = fcntl(rawValue, F_DUPFD_CLOEXEC, 3)
    if moved == -1 {
      let error = SyscallError.current(.system("fcntl(F_DUPFD_CLOEXEC)"))
      _ = Glibc.close(rawValue)
      throw error
    }
    _ = Glibc.close(rawValue)
    return OwnedFD(unchecked: moved)
  }

  deinit { _ = Glibc.close(rawValue) }

  /// Closes now and reports failure (`EIO` on some files). The descriptor is
  /// released even when this throws: Linux never leaves it open after close.
  public consuming func close() throws(SyscallError) {
    let fd = rawValue
    discard self
    if Glibc.close(fd) == -1 { throw .current(.system("close")) }
  }

  /// Gives up ownership without closing; the caller now owns the number.
  public consuming func release() -> CInt {
    let fd = rawValue
    discard self
    return fd
  }

  /// A non-owning handle to pass to calls that use, but do not keep, the descriptor.
  ///
  /// It must not be used after this value is closed.
  public var borrowed: BorrowedFD { BorrowedFD(rawValue) }

  /// A second owned descriptor for the same open file (close-on-exec, above 2).
  public func duplicate() throws(SyscallError) -> OwnedFD {
    try borrowed.duplicate()
  }
}

/// A file descriptor used without ownership: never closed through this value.
///
/// For arguments (`map:`, `program:`, `target:`) and for descriptors owned
/// elsewhere (a cgroup directory the caller opened, a socket).
public struct BorrowedFD: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
  /// The descriptor number.
  public let rawValue: CInt

  /// Borrows descriptor `rawValue`; the caller keeps it open while this value is used.
  public init(_ rawValue: CInt) { self.rawValue = rawValue }

  /// `AT_FDCWD`, for `path_fd` arguments meaning "relative to the working directory".
  public static let currentDirectory = BorrowedFD(AT_FDCWD)

  /// A new owned descriptor for the same open file (close-on-exec, above 2).
  public func duplicate() throws(SyscallError) -> OwnedFD {
    let fd = fcntl(rawValue, F_DUPFD_CLOEXEC, 3)
    if fd == -1 { throw .current(.system("fcntl(F_DUPFD_CLOEXEC)")) }
    return OwnedFD(unchecked: fd)
  }

  /// `fd 7`.
  public var description: String { "fd \(rawValue)" }
}
