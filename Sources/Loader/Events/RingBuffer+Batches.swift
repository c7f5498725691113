import Syscall

extension RingBuffer {
  /// Every record of one wake-up, read in place: an `AsyncSequence` of
  /// batches, one `await` per wake-up, no copy and no allocation per record.
  ///
  /// ```swift
  /// for try await batch in ring.batches {
  ///   try batch.forEach { (record: RawSpan) in
  ///     total += record.unsafeLoadUnaligned(fromByteOffset: 8, as: UInt32.self)
  ///   }
  /// }
  /// ```
  ///
  /// A batch is the committed records between the consumer position and the
  /// producer position when it was taken (up to a record still being
  /// written), and at most `batchByteLimit` (256 KiB) of ring: a wake-up
  /// that finds more is handed out as several batches, the later ones
  /// without waiting. Its records stay in the ring, reserved, while the loop body
  /// runs: the consumer position moves past them only when the iteration
  /// asks for the next batch (or the iterator goes away). So the producer
  /// cannot overwrite a record being read, and a slow body makes the
  /// program's reserves fail, as with `poll`. A record cannot outlive its
  /// batch: `forEach` lends each one as a `RawSpan` (non-escapable), and
  /// `forEach` on a batch the iteration has moved past throws
  /// `EventError.batchExpired`.
  ///
  /// One consumer at a time: do not `consume`/`poll` the ring while a batch
  /// is out (they would read the same records again); `forEach` holds the
  /// ring's lock, so calling the ring from its body deadlocks.
  public var batches: Batches { Batches(buffer: self) }

  /// The `AsyncSequence` of `batches`: one `Batch` per wake-up, until the
  /// buffer is closed or the task cancelled.
  public struct Batches: AsyncSequence, Sendable {
    public typealias Element = Batch
    let buffer: RingBuffer

    public func makeAsyncIterator() -> Iterator { Iterator(cursor: BatchCursor(buffer: buffer)) }

    /// Releases the previous batch's records to the producer, then waits for
    /// the next ones.
    public struct Iterator: AsyncIteratorProtocol {
      let cursor: BatchCursor
      public mutating func next() async throws -> Batch? { try await cursor.next() }
    }
  }

  /// The most ring space one batch spans (one record more when a single
  /// record is larger). Taking a batch walks its headers once to count the
  /// records, and `forEach` walks them again: a bounded batch is still in
  /// the CPU's cache for the second walk. Unbounded, a 15 MB backlog of
  /// 16-byte records was read from memory twice (`batches` made 49–50% of
  /// libbpf's `ring_buffer__poll` rate; bounded, with `RingMemory`, 53–55%).
  static let batchByteLimit: UInt64 = 256 << 10

  /// The records of one wake-up, valid until the iteration moves on.
  public final class Batch {
    let buffer: RingBuffer
    /// Ring positions: the first record's header, and past the last record.
    let start: UInt64
    let end: UInt64
    /// The records in it (discarded ones excluded).
    public let count: Int
    /// Bytes of ring the batch spans (headers and padding included).
    public var byteCount: Int { Int(truncatingIfNeeded: end &- start) }
    var isValid = true

    init(buffer: RingBuffer, start: UInt64, end: UInt64, count: Int) {
      self.buffer = buffer
      self.start = start
      self.end = end
      self.count = count
    }

    /// Hands each record to `body` in place, oldest first. May be called
    /// more than once while the batch is current.
    public func forEach(_ body: (RawSpan) -> Void) throws(EventError) {
      try buffer.state.withLock { (s) throws(EventError) in
        guard s.mapping != nil else { throw .closed(buffer: buffer.label) }
        guard isValid else { throw .batchExpired(buffer: buffer.label) }
        _ = try RingBuffer.scan(s, capacity: buffer.capacity, label: buffer.label, from: start, to: end, body)
      }
    }

    /// `forEach` loading each record as `Record` (size checked as by
    /// `events(of:)`; the first misfit throws `recordSizeMismatch` after
    /// the records before it were handed out).
    public func forEach<Record: BitwiseCopyable>(
      as type: Record.Type, allowLonger: Bool = false, _ body: (Record) -> Void
    ) throws(EventError) {
      let rule = RecordSizeRule(type, allowLonger: allowLonger)
      try rule.check(against: buffer.recordType.map { ($0.name, $0.size) }, buffer: buffer.label)
      var misfit: Int?
      try forEach { span in
        guard misfit == nil else { return }
        guard rule.accepts(span.byteCount) else {
          misfit = span.byteCount
          return
        }
        body(span.unsafeLoadUnaligned(fromByteOffset: 0, as: Record.self))
      }
      if let misfit { throw rule.mismatch(buffer: buffer.label, recordSize: misfit) }
    }
  }

  /// The iteration's state: the batch out, committed when the next is asked
  /// for or the iteration ends.
  final class BatchCursor {
    let buffer: RingBuffer
    var current: Batch?

    init(buffer: RingBuffer) { self.buffer = buffer }

    deinit { commitCurrent() }

    /// Gives the current batch's space back to the producer.
    func commitCurrent() {
      guard let batch = current.take() else { return }
      buffer.state.withLock { s in
        batch.isValid = false
        guard s.mapping != nil else { return }
        // Positions only grow; never move back behind another consumer.
        let position = RingMemory.loadAcquire64(s.consumerPosition)
        if Int64(bitPattern: batch.end &- position) > 0 {
          RingMemory.storeRelease64(s.consumerPosition, batch.end)
        }
      }
    }

    func next() async throws(EventError) -> Batch? {
      commitCurrent()
      while true {
        if Task.isCancelled { return nil }
        let found: Batch?
        do {
          found = try buffer.state.withLock { (s) throws(EventError) -> Batch? in
            guard s.mapping != nil else { throw .closed(buffer: buffer.label) }
            let start = RingMemory.loadAcquire64(s.consumerPosition)
            let (end, count) = try RingBuffer.scan(
              s, capacity: buffer.capacity, label: buffer.label, from: start, to: nil,
              byteLimit: RingBuffer.batchByteLimit, { _ in })
            if end == start { return nil }
            if count == 0 {
              // Only discarded records: nothing to hand out, skip them now.
              RingMemory.storeRelease64(s.consumerPosition, end)
              return nil
            }
            return Batch(buffer: buffer, start: start, end: end, count: count)
          }
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if let found {
          current = found
          return found
        }
        guard try await buffer.waitForRecords() else { return nil }
      }
    }
  }

  /// Walks the records from `start` without consuming them: up to `limit`,
  /// or, when nil, up to the producer position or the first record still
  /// being written, and past no more than `byteLimit` bytes of ring after
  /// the first record. Hands the records that are not discarded to `body`
  /// and returns where the walk stopped and how many it handed out.
  /// Inlined so that the counting walk (an empty `body`) has no call per
  /// record.
  @inline(__always)
  static func scan(
    _ s: State, capacity: Int, label: String, from start: UInt64, to limit: UInt64?,
    byteLimit: UInt64 = .max, _ body: (RawSpan) -> Void
  ) throws(EventError) -> (end: UInt64, count: Int) {
    let mask = UInt64(capacity - 1)
    let stop = limit ?? RingMemory.loadAcquire64(s.producerPosition)
    var position = start
    var count = 0
    while position != stop, position == start || position &- start < byteLimit {
      let header = s.data + Int(position & mask)
      let word = RingMemory.loadAcquire32(header)
      if word & busyBit != 0 { break }
      let length = Int(word & ~(busyBit | discardBit))
      let total = (length + headerSize + 7) & ~7
      guard total <= capacity, UInt64(total) <= stop &- position else {
        throw .corruptRecord(buffer: label, position: position,
          reason: "record length \(length) runs past position \(stop)")
      }
      if word & discardBit == 0 {
        body(RawSpan(_unsafeBytes: UnsafeRawBufferPointer(start: header + headerSize, count: length)))
        count += 1
      }
      position &+= UInt64(total)
    }
    return (position, count)
  }
}
