import Glibc
import Loader
import Syscall

/// Arenas on the fake: the address asked for is recorded, and the arena is
/// ordinary anonymous shared memory wherever mmap puts it (a fixed address
/// in the test process could collide with something).
extension FakeKernel {
  struct ArenaMapping: Sendable {
    var length: Int
    var address: UInt64
    /// Where the fake mapped it, to read the copied bytes back.
    var base: UInt
  }

  func mapArena(_ map: BorrowedFD, length: Int, address: UInt64) throws(SyscallError) -> MappedRegion {
    guard let base = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED
    else { throw .current(.system("mmap")) }
    arenaMappings.withLock { $0.append(ArenaMapping(length: length, address: address, base: UInt(bitPattern: base))) }
    return MappedRegion(adoptingMapping: UnsafeMutableRawBufferPointer(start: base, count: length))
  }
}
