import Glibc
import Synchronization
import Syscall
import UAPI

/// Writes samples into a user ring buffer map for a BPF program to drain
/// with `bpf_user_ringbuf_drain`.
///
/// User space is the producer here: it reserves room for a sample (the
/// 8-byte header gets the length with the busy bit, and the producer
/// position moves past it), fills it in place, then submits (clears the busy
/// bit) or discards it. The kernel consumes in order and stops at a busy
/// sample, so reservations may be submitted in any order but are seen in
/// reservation order.
///
/// ```swift
/// let ring = try UserRingBuffer(map: mapFD)
/// var sample = try ring.reserve(size: 16, timeout: .seconds(1))
/// sample.bytes.storeBytes(of: 42, toByteOffset: 0, as: UInt64.self)
/// sample.submit()
/// ```
///
/// One producer per map: the producer position lives in this process (as
/// in the kernel's design, user space owns it); several `UserRingBuffer`s
/// on one map would overwrite each other. Within one value, reservations
/// are serialized by a lock and may come from any thread.
///
/// Kernel: `BPF_MAP_TYPE_USER_RINGBUF`, Linux 6.1. The consumer page is
/// read-only to user space; the producer page and the data area (mapped
/// twice, back to back) are writable. A sample plus its header may be at
/// most the ring's size, and at most 2^24 - 1 bytes (a dynptr's limit).
public final class UserRingBuffer: Sendable {
  /// The map's name, for messages and errors.
  public let label: String
  /// Bytes in the data area (the map's `max_entries`).
  public let capacity: Int
  /// The largest sample this ring accepts.
  public let maximumSampleSize: Int

  typealias Mapping = RingMapping

  struct State: @unchecked Sendable {
    // @unchecked: the pointers point into `mapping` and are used only under
    // the lock while `mapping` is non-nil (or by a Reservation, which keeps
    // its own reference to the mapping).
    var mapping: Mapping?
    var consumerPosition: UnsafeRawPointer
    var producerPosition: UnsafeMutableRawPointer
    var data: UnsafeMutableRawPointer
    var position: UInt64
  }

  let state: Mutex<State>

  /// Maps the user ring buffer `map` (a `BPF_MAP_TYPE_USER_RINGBUF`
  /// descriptor, duplicated: the caller keeps ownership of `map`).
  public init(map: BorrowedFD, kernel: any KernelInterface = SystemKernel.shared) throws(EventError) {
    let (info, name) = try EventMap.inspect(map, expecting: .userRingbuf, kernel: kernel)
    let size = Int(info.maxEntries)
    try EventMap.checkRingSize(size, name)
    let fd = try EventMap.duplicate(map, name)
    let page = SharedMemory.pageSize
    // Kernel: `ringbuf_map_mmap_user` refuses a writable consumer page.
    let consumer = try EventMap.map(fd.borrowed, length: page, offset: 0, protection: [.read], name, kernel: kernel)
    let producer = try EventMap.map(fd.borrowed, length: page + 2 * size, offset: page,
                                    protection: [.read, .write], name, kernel: kernel)
    guard let consumerBase = consumer.bytes.baseAddress,
          let producerBase = producer.bytes.baseAddress
    else { throw .invalidSize(buffer: name, size: size, reason: "empty mapping") }
    let start = RingMemory.loadAcquire64(producerBase)
    label = name
    capacity = size
    maximumSampleSize = min(size - RingBuffer.headerSize, (1 << 24) - 1)
    let mapping = Mapping(fd: fd, consumerPage: consumer, producerAndData: producer)
    state = Mutex(State(
      mapping: mapping, consumerPosition: UnsafeRawPointer(consumerBase),
      producerPosition: producerBase, data: producerBase + page, position: start))
  }

  /// Unmaps the ring (once outstanding reservations end) and closes the
  /// duplicated descriptor. Later reservations throw `EventError.closed`.
  public func close() {
    let mapping = state.withLock { s -> Mapping? in
      let taken = s.mapping
      s.mapping = nil
      return taken
    }
    _ = mapping
  }

  /// Whether `close()` has been called.
  public var isClosed: Bool { state.withLock { $0.mapping == nil } }

  /// Bytes free for new samples (headers included) right now.
  public var freeBytes: Int {
    state.withLock { s in
      guard s.mapping != nil else { return 0 }
      let consumer = RingMemory.loadAcquire64(s.consumerPosition)
      return capacity - Int(truncatingIfNeeded: s.position &- consumer)
    }
  }

  /// Room for one sample, written in place; end it with `submit()` or
  /// `discard()` (dropping it discards).
  public struct Reservation: ~Copyable, @unchecked Sendable {
    // @unchecked: `bytes` and `header` point into pages `mapping` keeps mapped.
    let mapping: Mapping
    let header: UnsafeMutableRawPointer
    let length: UInt32
    var finished = false
    /// The sample's bytes, to fill before submitting.
    public let bytes: UnsafeMutableRawBufferPointer

    init(mapping: Mapping, header: UnsafeMutableRawPointer, length: Int) {
      self.mapping = mapping
      self.header = header
      self.length = UInt32(length)
      self.bytes = UnsafeMutableRawBufferPointer(start: header + RingBuffer.headerSize, count: length)
    }

    /// Publishes the sample: the kernel may consume it from now on.
    public consuming func submit() {
      RingMemory.storeRelease32(header, length)
      finished = true
    }

    /// Gives the space back unread: the kernel skips the sample.
    public consuming func discard() {
      RingMemory.storeRelease32(header, length | RingBuffer.discardBit)
      finished = true
    }

    deinit {
      if !finished { RingMemory.storeRelease32(header, length | RingBuffer.discardBit) }
    }
  }

  /// Reserves `size` bytes without waiting; throws `EventError.noSpace`
  /// when the kernel has not drained enough.
  public func reserve(size: Int) throws(EventError) -> Reservation {
    guard size >= 0, size <= maximumSampleSize else {
      throw .recordTooLarge(buffer: label, size: size, limit: maximumSampleSize)
    }
    let total = (size + RingBuffer.headerSize + 7) & ~7
    return try state.withLock { (s) throws(EventError) -> Reservation in
      guard let mapping = s.mapping else { throw .closed(buffer: label) }
      let consumer = RingMemory.loadAcquire64(s.consumerPosition)
      let used = Int(truncatingIfNeeded: s.position &- consumer)
      let free = capacity - used
      guard used >= 0, total <= free else {
        throw .noSpace(buffer: label, needed: total, available: max(0, free))
      }
      let header = s.data + Int(s.position & UInt64(capacity - 1))
      // Busy until submitted; the second word (page offset) is unused for
      // user-produced samples. The release store of the producer position
      // below orders both before the kernel can see the sample.
      header.storeBytes(of: UInt32(size) | RingBuffer.busyBit, as: UInt32.self)
      header.storeBytes(of: 0, toByteOffset: 4, as: UInt32.self)
      s.position &+= UInt64(total)
      RingMemory.storeRelease64(s.producerPosition, s.position)
      return Reservation(mapping: mapping, header: header, length: size)
    }
  }

  /// Reserves `size` bytes, waiting up to `timeout` (nil: forever) for the
  /// kernel to drain enough.
  ///
  /// Kernel: the map polls writable whenever the ring is not completely
  /// full, and a drain wakes waiters; when it is writable but the sample
  /// still does not fit, this backs off briefly (up to 1 ms) and retries.
  public func reserve(size: Int, timeout: Duration?) throws(EventError) -> Reservation {
    let clock = ContinuousClock()
    let deadline = timeout.map { clock.now + $0 }
    var backoff: UInt32 = 10  // microseconds
    while true {
      do {
        return try reserve(size: size)
      } catch {
        guard case .noSpace = error else { throw error }
        let left = deadline.map { $0 - clock.now }
        if let left, left <= .zero { throw error }
        // The mapping, held for the wait, keeps the descriptor open.
        guard let mapping = state.withLock({ $0.mapping }) else { throw .closed(buffer: label) }
        let writable = try withExtendedLifetime(mapping) { () throws(EventError) -> Bool in
          try PollWait.readable(mapping.fd.rawValue, events: Int16(POLLOUT), timeout: left, label: label)
        }
        guard writable else { continue }  // timed out: the next round throws `noSpace`
      }
      // Writable: not completely full, but maybe still too full for this
      // sample. Try once more, then back off before waiting again.
      do {
        return try reserve(size: size)
      } catch {
        guard case .noSpace = error else { throw error }
      }
      usleep(backoff)
      backoff = min(backoff * 2, 1000)
    }
  }

  /// Copies `bytes` into one sample and submits it (no wait).
  public func write(_ bytes: UnsafeRawBufferPointer) throws(EventError) {
    let reservation = try reserve(size: bytes.count)
    if let base = bytes.baseAddress, let target = reservation.bytes.baseAddress {
      target.copyMemory(from: base, byteCount: bytes.count)
    }
    reservation.submit()
  }

  /// Copies `bytes` into one sample and submits it, waiting up to `timeout` for room.
  public func write(_ bytes: [UInt8], timeout: Duration? = .zero) throws(EventError) {
    let reservation = try reserve(size: bytes.count, timeout: timeout)
    bytes.withUnsafeBytes { source in
      if let base = source.baseAddress, let target = reservation.bytes.baseAddress {
        target.copyMemory(from: base, byteCount: source.count)
      }
    }
    reservation.submit()
  }
}
