import Syscall

extension KernelInterface {
  /// The arena mapping as the running kernel gives it: a default, so a
  /// kernel seam written before arenas needs no change.
  public func mapArena(_ map: BorrowedFD, length: Int, address: UInt64) throws(SyscallError) -> MappedRegion {
    try MappedRegion.mapShared(map, length: length, at: address)
  }
}
