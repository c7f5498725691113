import Glibc
import Loader
import Synchronization
import Syscall
import UAPI

/// A `BPF_MAP_TYPE_RINGBUF` map of the fake kernel, in ordinary memory, laid
/// out and written the way the kernel does it (Documentation/bpf/ringbuf.rst):
/// a consumer page, a producer page, then the data area, which the fake maps
/// twice back to back for a reader just as the kernel does, so a record that
/// wraps the end reads as one contiguous span. Records are an 8-byte header
/// (`u32 len` with the busy bit 1 << 31 and the discard bit 1 << 30, then
/// `u32 pg_off`) and the data, each record 8-byte aligned.
///
/// The map's descriptor is the read end of a pipe: pollable like the real
/// map, and a pipe has its own inode, which is how the fake recognises the
/// map (and the reader's duplicate of it). `produce` writes a byte into the
/// pipe to wake readers.
final class FakeRingBuffer: @unchecked Sendable {
  // @unchecked: `view` is written only by the test thread that produces;
  // headers and positions are stored with release, as the kernel does.
  static let page = 4096
  static let busyBit: UInt32 = 1 << 31
  static let discardBit: UInt32 = 1 << 30

  let size: Int
  let name: String
  /// [consumer page][producer page][data], shared with every reader mapping.
  let memory: OwnedFD
  /// The fake producer's own mapping of `memory` (data mapped once).
  let view: UnsafeMutableRawPointer
  let wakeWrite: OwnedFD
  let inode: ino_t

  /// The map descriptor handed out (the pipe's read end), until `takeMapFD`.
  private let pendingMapFD: Mutex<OwnedFD?>

  init(size: Int, name: String) throws(SyscallError) {
    self.size = size
    self.name = name
    memory = try FakeKernel.memfd(size: 2 * Self.page + size)
    guard let base = mmap(nil, 2 * Self.page + size, PROT_READ | PROT_WRITE, MAP_SHARED, memory.rawValue, 0),
          base != MAP_FAILED
    else { throw .current(.system("mmap")) }
    view = base
    let wake = try WakePipe()
    let read = wake.read
    wakeWrite = wake.write
    inode = wake.inode
    pendingMapFD = Mutex(Optional(read))
  }

  deinit { munmap(view, 2 * Self.page + size) }

  /// The map's descriptor (once).
  func takeMapFD() -> OwnedFD? { pendingMapFD.withLock { $0.take() } }

  var consumerPosition: UInt64 { SharedMemory.loadAcquire64(view) }
  var producerPosition: UInt64 { SharedMemory.loadAcquire64(view + Self.page) }

  /// Writes one record (or, `discard`, a discarded one; `busy`, one still
  /// being written) and publishes it; false when the ring has no room.
  @discardableResult
  func produce(_ payload: [UInt8], discard: Bool = false, busy: Bool = false) -> Bool {
    let producer = producerPosition
    let recordSize = (8 + payload.count + 7) & ~7
    guard Int(producer &- consumerPosition) + recordSize <= size else { return false }
    let data = view + 2 * Self.page
    let start = Int(producer % UInt64(size))
    for (i, byte) in payload.enumerated() {
      data.storeBytes(of: byte, toByteOffset: (start + 8 + i) % size, as: UInt8.self)
    }
    let pageOffset = UInt32(start / Self.page + 1)
    (data + start + 4).storeBytes(of: pageOffset, as: UInt32.self)
    var header = UInt32(payload.count)
    if discard { header |= Self.discardBit }
    if busy { header |= Self.busyBit }
    SharedMemory.storeRelease32(data + start, header)
    SharedMemory.storeRelease64(view + Self.page, producer &+ UInt64(recordSize))
    var byte: UInt8 = 1
    _ = write(wakeWrite.rawValue, &byte, 1)
    return true
  }

  /// Clears the busy bit of the record at `position` (the commit).
  func commit(at position: UInt64) {
    let header = view + 2 * Self.page + Int(position % UInt64(size))
    SharedMemory.storeRelease32(header, header.load(as: UInt32.self) & ~Self.busyBit)
    var byte: UInt8 = 1
    _ = write(wakeWrite.rawValue, &byte, 1)
  }

  /// The mapping a reader asked for: the consumer page (offset 0), or the
  /// producer page with the data area mapped twice behind it.
  func region(length: Int, offset: Int, protection: MappedRegion.Protection) throws(SyscallError) -> MappedRegion {
    if offset == 0 {
      guard length == Self.page else { throw .failed(.system("mmap"), .EINVAL) }
      guard let base = mmap(nil, length, protection.rawValue, MAP_SHARED, memory.rawValue, 0), base != MAP_FAILED
      else { throw .current(.system("mmap")) }
      return MappedRegion(adoptingMapping: UnsafeMutableRawBufferPointer(start: base, count: length))
    }
    guard offset == Self.page, length == Self.page + 2 * size else { throw .failed(.system("mmap"), .EINVAL) }
    guard let base = mmap(nil, length, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), base != MAP_FAILED
    else { throw .current(.system("mmap")) }
    let pieces: [(at: Int, count: Int, fileOffset: Int)] = [
      (0, Self.page, Self.page), (Self.page, size, 2 * Self.page), (Self.page + size, size, 2 * Self.page),
    ]
    for piece in pieces {
      let placed = mmap(base + piece.at, piece.count, protection.rawValue, MAP_SHARED | MAP_FIXED,
                        memory.rawValue, off_t(piece.fileOffset))
      guard placed == base + piece.at else {
        munmap(base, length)
        throw .current(.system("mmap"))
      }
    }
    return MappedRegion(adoptingMapping: UnsafeMutableRawBufferPointer(start: base, count: length))
  }
}

/// The descriptor the fake hands out for a ring (the read end of a pipe:
/// pollable like the kernel's, with an inode of its own by which the fake
/// finds the ring again) and the end it writes to wake readers.
struct WakePipe: ~Copyable {
  let read: OwnedFD
  let write: OwnedFD
  let inode: ino_t

  init() throws(SyscallError) {
    var ends: [CInt] = [-1, -1]
    guard pipe(&ends) == 0 else { throw .current(.system("pipe")) }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    _ = fcntl(ends[1], F_SETFL, O_NONBLOCK)
    var status = stat()
    guard fstat(ends[0], &status) == 0 else { throw .current(.system("fstat")) }
    let readEnd = try OwnedFD.adopt(ends[0])
    let writeEnd = try OwnedFD.adopt(ends[1])
    read = readEnd
    write = writeEnd
    inode = status.st_ino
  }
}
