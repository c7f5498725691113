import ELFReader
import Glibc
import Synchronization
import Syscall
import UAPI

/// Reads the records a BPF program writes into a ring buffer map, in place.
///
/// The map's pages are mapped into this process: the consumer page
/// (writable: we publish how far we have read) and the producer page with the
/// data area behind it (read-only). The kernel maps the data area twice,
/// back to back, so a record that wraps past the end of the ring is still
/// one contiguous span here, and `consume`/`poll` hand out each record as a
/// `RawSpan` over the mapped memory: no copy, no allocation per record.
///
/// ```swift
/// let ring = try RingBuffer(map: mapFD)
/// try ring.poll(timeout: .seconds(1)) { record in
///   let seq = record.unsafeLoadUnaligned(as: UInt64.self)
/// }
/// for try await bytes in ring.events { ... }   // [UInt8] per record
/// for try await event in try ring.events(of: ExecEvent.self) { ... }  // loaded once, size checked
/// for try await batch in ring.batches { try batch.forEach { record in ... } }  // in place
/// ```
///
/// One consumer at a time: `consume` and `poll` hold a lock for the whole
/// call, so calling them (or `close()`) from inside the closure deadlocks.
///
/// Lifetime: the reader duplicates the map descriptor, so the caller may
/// close its own. `close()` (or the last reference going away) unmaps the
/// pages, closes the duplicate and ends any `events` iteration.
///
/// Kernel: `BPF_MAP_TYPE_RINGBUF`, Linux 5.8. Records start with an 8-byte
/// header (`u32 len` with `BPF_RINGBUF_BUSY_BIT` 1 << 31 and
/// `BPF_RINGBUF_DISCARD_BIT` 1 << 30, then `u32 pg_off`) and are 8-byte
/// aligned (Documentation/bpf/ringbuf.rst).
public final class RingBuffer: Sendable {
  /// The map's name (or `fd N`), for messages.
  public let label: String
  /// Bytes in the data area (the map's `max_entries`).
  public let capacity: Int
  /// The record type the map declares (`__type(value, struct event)`), when
  /// the reader was made from a loaded map that has one; `events(of:)`
  /// checks its Swift type against it.
  public let recordType: MapDefinition.RecordType?

  /// Kernel: `BPF_RINGBUF_BUSY_BIT`, `BPF_RINGBUF_DISCARD_BIT`, `BPF_RINGBUF_HDR_SZ`.
  static let busyBit: UInt32 = 1 << 31
  static let discardBit: UInt32 = 1 << 30
  static let headerSize = 8

  typealias Mapping = RingMapping

  struct State: @unchecked Sendable {
    // @unchecked: the raw pointers point into `mapping`, which this state
    // owns; they are only used under the lock while `mapping` is non-nil.
    var mapping: Mapping?
    var consumerPosition: UnsafeMutableRawPointer
    var producerPosition: UnsafeRawPointer
    var data: UnsafeRawPointer
    var waiter: EventWaiter?
  }

  let state: Mutex<State>

  /// Maps the ring buffer `map` (a descriptor of a `BPF_MAP_TYPE_RINGBUF` map,
  /// which is duplicated: the caller keeps ownership of `map`) of `kernel`.
  /// `recordType` is what the map's definition declares, if known (a bare
  /// descriptor does not tell: the kernel keeps no record type).
  public init(
    map: BorrowedFD, recordType: MapDefinition.RecordType? = nil,
    kernel: any KernelInterface = SystemKernel.shared
  ) throws(EventError) {
    let (info, name) = try EventMap.inspect(map, expecting: .ringbuf, kernel: kernel)
    let fd = try EventMap.duplicate(map, name)
    let size = Int(info.maxEntries)
    try EventMap.checkRingSize(size, name)
    let page = SharedMemory.pageSize
    // Kernel: the consumer page is the only one that may be mapped writable,
    // and only alone (`ringbuf_map_mmap_kern`).
    let consumer = try EventMap.map(fd.borrowed, length: page, offset: 0,
                                    protection: [.read, .write], name, kernel: kernel)
    let producer = try EventMap.map(fd.borrowed, length: page + 2 * size, offset: page,
                                    protection: [.read], name, kernel: kernel)
    let consumerBase = consumer.bytes.baseAddress
    let producerBase = producer.bytes.baseAddress
    let mapping = Mapping(fd: fd, consumerPage: consumer, producerAndData: producer)
    guard let consumerBase, let producerBase else {
      throw .invalidSize(buffer: name, size: size, reason: "empty mapping")
    }
    label = name
    capacity = size
    self.recordType = recordType
    state = Mutex(State(
      mapping: mapping, consumerPosition: consumerBase,
      producerPosition: UnsafeRawPointer(producerBase),
      data: UnsafeRawPointer(producerBase + page), waiter: nil))
  }

  deinit {
    let waiter = state.withLock { $0.waiter }
    waiter?.stop()
  }

  /// Unmaps the ring, closes the duplicated descriptor and ends `events`
  /// iterations. Later calls to `consume`/`poll` throw `EventError.closed`.
  public func close() {
    let (mapping, waiter) = state.withLock { s -> (Mapping?, EventWaiter?) in
      let taken = (s.mapping, s.waiter)
      s.mapping = nil
      s.waiter = nil
      return taken
    }
    // Stop the waiting thread before the descriptor it watches goes away.
    waiter?.stop()
    _ = mapping
  }

  /// Whether `close()` has been called.
  public var isClosed: Bool { state.withLock { $0.mapping == nil } }

  /// Bytes written by producers and not yet consumed (committed or not).
  public var pendingBytes: Int {
    state.withLock { s in
      guard s.mapping != nil else { return 0 }
      let producer = RingMemory.loadAcquire64(s.producerPosition)
      let consumer = RingMemory.loadAcquire64(s.consumerPosition)
      return Int(truncatingIfNeeded: producer &- consumer)
    }
  }

  /// Hands every committed record to `body`, oldest first, without waiting;
  /// returns how many it handed out.
  ///
  /// Discarded records are skipped; a record still being written (busy)
  /// ends the call, as records must be read in order. The span is valid only
  /// during the call: the consumer position moves past the record (with
  /// release ordering) as soon as `body` returns, and the producer may then
  /// reuse the space. Stops after `limit` records.
  @discardableResult
  public func consume(limit: Int = .max, _ body: (RawSpan) -> Void) throws(EventError) -> Int {
    try consume(limit: limit, byteLimit: .max, body)
  }

  /// `consume` that also stops once `byteLimit` bytes of records were handed out.
  func consume(limit: Int, byteLimit: Int, _ body: (RawSpan) -> Void) throws(EventError) -> Int {
    try state.withLock { (s) throws(EventError) -> Int in
      guard s.mapping != nil else { throw .closed(buffer: label) }
      return try Self.drain(s, capacity: capacity, label: label, limit: limit, byteLimit: byteLimit, body)
    }
  }

  /// The record walk: acquire the producer position, read headers with
  /// acquire, publish the consumer position with release after each record.
  @inline(__always)
  static func drain(
    _ s: State, capacity: Int, label: String, limit: Int, byteLimit: Int,
    _ body: (RawSpan) -> Void
  ) throws(EventError) -> Int {
    let mask = UInt64(capacity - 1)
    // Start from the page rather than our copy, so that another consumer
    // taking turns on the same map (another reader, libbpf) is respected.
    var position = RingMemory.loadAcquire64(s.consumerPosition)
    var count = 0
    var bytes = 0
    while count < limit, bytes < byteLimit {
      let producer = RingMemory.loadAcquire64(s.producerPosition)
      if position == producer { break }
      var progressed = false
      while position != producer, count < limit, bytes < byteLimit {
        let header = s.data + Int(position & mask)
        let word = RingMemory.loadAcquire32(header)
        if word & busyBit != 0 { return count }
        let length = Int(word & ~(busyBit | discardBit))
        let total = (length + headerSize + 7) & ~7
        guard total <= capacity, UInt64(total) <= producer &- position else {
          throw .corruptRecord(buffer: label, position: position,
            reason: "record length \(length) runs past the producer position \(producer)")
        }
        let next = position &+ UInt64(total)
        // A next header a cache line or more away is usually a miss: start
        // loading it now so the miss overlaps with `body`. Any masked offset
        // is mapped memory.
        if total >= 64 { SharedMemory.prefetch(s.data + Int(next & mask)) }
        if word & discardBit == 0 {
          body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: header + headerSize, count: length)))
          count += 1
          bytes &+= length
        }
        position = next
        RingMemory.storeRelease64(s.consumerPosition, position)
        progressed = true
      }
      if !progressed { break }
    }
    return count
  }

  /// Consumes what is there; if nothing is, waits up to `timeout` (nil:
  /// forever) for the kernel to signal new data and consumes again. Returns
  /// the number of records handed to `body`: 0 after a timeout, and also
  /// when the only new record is still being written (the wait ends as soon
  /// as the producer position moves; call again).
  ///
  /// A signal does not end the wait early. Kernel: the map's poll reports
  /// readable while the producer position is ahead of the consumer's; the
  /// kernel wakes waiters when a record is committed at the position the
  /// consumer has reached (unless the program passed `BPF_RB_NO_WAKEUP`).
  @discardableResult
  public func poll(
    timeout: Duration? = nil, limit: Int = .max, _ body: (RawSpan) -> Void
  ) throws(EventError) -> Int {
    let first = try consume(limit: limit, body)
    if first > 0 { return first }
    guard try waitReadable(timeout: timeout) else { return 0 }
    return try consume(limit: limit, body)
  }

  /// poll(2) on the map descriptor; true when it reported readable.
  func waitReadable(timeout: Duration?) throws(EventError) -> Bool {
    try withDescriptor { (fd) throws(EventError) in try PollWait.readable(fd.rawValue, timeout: timeout, label: label) }
  }

  /// Runs `body` with the duplicated map descriptor, kept open for the
  /// call: the mapping that owns it is held, so a concurrent `close()`
  /// cannot close it (and let the number be reused) under `body`.
  func withDescriptor<R>(_ body: (BorrowedFD) throws(EventError) -> R) throws(EventError) -> R {
    guard let mapping = state.withLock({ $0.mapping }) else { throw .closed(buffer: label) }
    return try withExtendedLifetime(mapping) { () throws(EventError) -> R in try body(mapping.fd.borrowed) }
  }
}

/// poll(2) on one descriptor, retrying `EINTR` with the time left.
enum PollWait {
  static func milliseconds(_ d: Duration) -> Int64 {
    let (seconds, attoseconds) = d.components
    if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
    let ms = seconds.multipliedReportingOverflow(by: 1000)
    if ms.overflow { return Int64(Int32.max) }
    return ms.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
  }

  static func readable(_ fd: CInt, events: Int16 = Int16(POLLIN), timeout: Duration?,
                       label: String) throws(EventError) -> Bool {
    let total = timeout.map(milliseconds) ?? -1
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    let start = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    var remaining = total
    while true {
      var entry = pollfd(fd: fd, events: events, revents: 0)
      let n = Glibc.poll(&entry, 1, Int32(clamping: remaining))
      if n > 0 { return true }
      if n == 0 { return false }
      let error = Errno.current
      guard error == .EINTR else {
        throw .syscall(.failed(.system("poll"), error), buffer: label)
      }
      if total >= 0 {
        clock_gettime(CLOCK_MONOTONIC, &ts)
        let now = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
        remaining = max(0, total - (now - start))
      }
    }
  }
}
