import Syscall

extension RingBuffer {
  /// The records as values of `Record`, oldest first: each record is size
  /// checked and loaded once, straight from the ring (no byte array).
  ///
  /// ```swift
  /// struct ExecEvent: BitwiseCopyable { var seq: UInt64; var pid: UInt32; ... }
  /// for try await event in try ring.events(of: ExecEvent.self) { print(event.pid) }
  /// ```
  ///
  /// When the map declares its record type (`__type(value, struct event)`,
  /// known to a reader made with `RingBuffer(map: LoadedObject.Map)`), the
  /// type is checked first: `MemoryLayout<Record>.size` or `.stride` must
  /// equal the C type's size, else `EventError.recordTypeMismatch`.
  ///
  /// Each record must be `size` or `stride` bytes long; a shorter one, or
  /// (without `allowLonger`) a longer one, makes the iteration throw
  /// `EventError.recordSizeMismatch` after the records before it were
  /// delivered. That record is consumed: a caller that catches the error may
  /// iterate on. `allowLonger` accepts longer records and reads their head
  /// (a C struct followed by variable data). Waiting, batching, cancellation
  /// and `close()` work as for `events`.
  public func events<Record: BitwiseCopyable>(
    of type: Record.Type, allowLonger: Bool = false, batchSize: Int = 4096
  ) throws(EventError) -> TypedEvents<Record> {
    let rule = RecordSizeRule(type, allowLonger: allowLonger)
    try rule.check(against: recordType.map { ($0.name, $0.size) }, buffer: label)
    return TypedEvents(buffer: self, batchSize: max(1, batchSize), rule: rule)
  }

  public struct TypedEvents<Record: BitwiseCopyable>: AsyncSequence, Sendable {
    public typealias Element = Record
    let buffer: RingBuffer
    let batchSize: Int
    let rule: RecordSizeRule

    public func makeAsyncIterator() -> Iterator {
      Iterator(batch: TypedBatch(buffer: buffer, batchSize: batchSize, rule: rule))
    }

    public struct Iterator: AsyncIteratorProtocol {
      let batch: TypedBatch<Record>
      public mutating func next() async throws -> Record? { try await batch.next() }
    }
  }

  /// Values loaded from the ring, handed out one by one; a size error waits
  /// behind the values read before its record.
  final class TypedBatch<Record: BitwiseCopyable> {
    let buffer: RingBuffer
    let batchSize: Int
    let rule: RecordSizeRule
    var records: [Record] = []
    var index = 0
    var pending: EventError?

    init(buffer: RingBuffer, batchSize: Int, rule: RecordSizeRule) {
      self.buffer = buffer
      self.batchSize = batchSize
      self.rule = rule
    }

    func next() async throws(EventError) -> Record? {
      if index < records.count {
        defer { index += 1 }
        return records[index]
      }
      records.removeAll(keepingCapacity: true)
      index = 0
      if let error = pending.take() { throw error }
      while true {
        if Task.isCancelled { return nil }
        do {
          _ = try buffer.consume(limit: batchSize, byteLimit: .max) { span -> Bool in
            guard rule.accepts(span.byteCount) else {
              pending = rule.mismatch(buffer: buffer.label, recordSize: span.byteCount)
              return false
            }
            // The one copy: from the ring into the batch's storage.
            records.append(span.unsafeLoadUnaligned(fromByteOffset: 0, as: Record.self))
            return true
          }
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if !records.isEmpty {
          index = 1
          return records[0]
        }
        if let error = pending.take() { throw error }
        guard try await buffer.waitForRecords() else { return nil }
      }
    }
  }

  /// Suspends until the kernel signals new data; false when the iteration
  /// should end (the ring was closed or the task cancelled).
  func waitForRecords() async throws(EventError) -> Bool {
    let waiter: EventWaiter
    do { waiter = try sharedWaiter() } catch {
      if case .closed = error { return false }
      throw error
    }
    switch await waiter.wait() {
    case .ready, .stopped: return true  // stopped: the next consume sees `closed`
    case .cancelled: return false
    }
  }
}
