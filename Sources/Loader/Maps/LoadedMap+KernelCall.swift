import Syscall

extension LoadedObject.Map {
  /// Runs one kernel call on the map with its descriptor held open, in the
  /// kernel the map lives in; a closed map and a refused call become
  /// `MapError`s naming the map. Every typed view goes through here.
  @inlinable
  func withKernelCall<R>(
    _ body: (any KernelInterface, BorrowedFD) throws(SyscallError) -> R
  ) throws(MapError) -> R {
    try withDescriptor(closed: { MapError.closed(map: name) }) { (fd) throws(MapError) -> R in
      do throws(SyscallError) { return try body(kernel, fd) } catch { throw .syscall(error, map: name) }
    }
  }
}
