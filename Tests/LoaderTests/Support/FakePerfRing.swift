import Glibc
import Loader
import Synchronization
import Syscall

/// One CPU's perf event ring of the fake kernel, in ordinary memory, in the
/// layout of `struct perf_event_mmap_page` (include/uapi/linux/perf_event.h):
/// a metadata page (`data_head` at byte 1024, `data_tail` at 1032,
/// `data_offset` at 1040, `data_size` at 1048), then the data pages.
/// Records are `struct perf_event_header` (`u32 type`, `u16 misc`, `u16
/// size`) then, for `PERF_RECORD_SAMPLE` (9) with `PERF_SAMPLE_RAW`, a `u32`
/// size and the raw bytes, the whole record padded to 8 bytes;
/// `PERF_RECORD_LOST` (2) carries `u64 id, u64 lost`.
///
/// The event's descriptor is the read end of a pipe (pollable, with an inode
/// of its own); the memory is made when a reader maps the event, since only
/// then is the ring's size known.
final class FakePerfRing: @unchecked Sendable {
  // @unchecked: the view is set under `state`'s lock when the reader maps the
  // event; records are written by the test thread with release stores.
  static let page = 4096
  let cpu: Int32
  let inode: ino_t
  let wakeWrite: OwnedFD
  /// The fake's own view of the ring (the file stays alive through the
  /// mappings), set when a reader maps the event.
  private let state = Mutex(View())

  // @unchecked: a pointer into a shared mapping; see the class comment.
  struct View: @unchecked Sendable {
    var view: UnsafeMutableRawPointer?
    var length = 0
  }

  init(cpu: Int32, readEnd: inout OwnedFD?) throws(SyscallError) {
    self.cpu = cpu
    let wake = try WakePipe()
    let read = wake.read
    wakeWrite = wake.write
    inode = wake.inode
    readEnd = consume read
  }

  deinit {
    let current = state.withLock { $0 }
    if let view = current.view { munmap(view, current.length) }
  }

  /// The reader's mapping: metadata page and data pages, shared with the fake.
  func region(length: Int, protection: MappedRegion.Protection) throws(SyscallError) -> MappedRegion {
    let memory = try FakeKernel.memfd(size: length)
    guard let view = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, memory.rawValue, 0), view != MAP_FAILED,
          let reader = mmap(nil, length, protection.rawValue, MAP_SHARED, memory.rawValue, 0), reader != MAP_FAILED
    else { throw .current(.system("mmap")) }
    // Kernel (4.1+): where the data area starts and how long it is.
    view.storeBytes(of: UInt64(Self.page), toByteOffset: 1040, as: UInt64.self)
    view.storeBytes(of: UInt64(length - Self.page), toByteOffset: 1048, as: UInt64.self)
    state.withLock { $0 = View(view: view, length: length) }
    return MappedRegion(adoptingMapping: UnsafeMutableRawBufferPointer(start: reader, count: length))
  }

  /// Appends a record of `type` with `body`; false when not mapped yet or full.
  @discardableResult
  func append(type: UInt32, body: [UInt8]) -> Bool {
    let current = state.withLock { $0 }
    guard let view = current.view else { return false }
    let length = current.length
    let size = length - Self.page
    let head = SharedMemory.loadAcquire64(view + 1024)
    let tail = SharedMemory.loadAcquire64(view + 1032)
    let recordSize = (8 + body.count + 7) & ~7
    guard Int(head &- tail) + recordSize <= size else { return false }
    var bytes = [UInt8]()
    withUnsafeBytes(of: type.littleEndian) { bytes += $0 }
    bytes += [0, 0]  // misc
    withUnsafeBytes(of: UInt16(recordSize).littleEndian) { bytes += $0 }
    bytes += body
    bytes += [UInt8](repeating: 0, count: recordSize - bytes.count)
    let data = view + Self.page
    for (i, byte) in bytes.enumerated() {
      data.storeBytes(of: byte, toByteOffset: (Int(head % UInt64(size)) + i) % size, as: UInt8.self)
    }
    SharedMemory.storeRelease64(view + 1024, head &+ UInt64(recordSize))
    var wake: UInt8 = 1
    _ = write(wakeWrite.rawValue, &wake, 1)
    return true
  }

  /// A `bpf_perf_event_output` sample: `PERF_RECORD_SAMPLE` with raw data.
  @discardableResult
  func sample(_ raw: [UInt8]) -> Bool {
    var body = [UInt8]()
    withUnsafeBytes(of: UInt32(raw.count).littleEndian) { body += $0 }
    return append(type: 9, body: body + raw)
  }

  /// A `PERF_RECORD_LOST` report of `count` samples.
  @discardableResult
  func lost(_ count: UInt64) -> Bool {
    var body = [UInt8]()
    withUnsafeBytes(of: UInt64(0).littleEndian) { body += $0 }
    withUnsafeBytes(of: count.littleEndian) { body += $0 }
    return append(type: 2, body: body)
  }

  var tail: UInt64 { state.withLock { $0 }.view.map { SharedMemory.loadAcquire64($0 + 1032) } ?? 0 }
  var head: UInt64 { state.withLock { $0 }.view.map { SharedMemory.loadAcquire64($0 + 1024) } ?? 0 }
}
