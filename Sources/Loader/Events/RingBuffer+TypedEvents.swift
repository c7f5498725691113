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

  /// The `AsyncSequence` of `events(of:)`: each record loaded once as `Record`,
  /// until the buffer is closed or the task cancelled.
  public struct TypedEvents<Record: BitwiseCopyable>: AsyncSequence, Sendable {
    public typealias Element = Record
    let buffer: RingBuffer
    let batchSize: Int
    let rule: RecordSizeRule

    public func makeAsyncIterator() -> Iterator {
      Iterator(batch: TypedBatch(buffer: buffer, batchSize: batchSize, rule: rule))
    }

    /// Loads each record of a batch as `Record`, throwing
    /// `EventError.recordSizeMismatch` in place for a record of another size.
    ///
    /// The records of a wake-up are copied out of the ring together, into
    /// the batch's buffer; the iterator then hands them out from a cursor it
    /// holds itself, in code inlined into (and specialized for) the caller's
    /// loop: no suspension, no lock, no call into this module per record.
    /// Only an empty cursor goes back to the batch (`refill`). Copies of an
    /// iterator share the batch but not the cursor: iterate one of them.
    public struct Iterator: AsyncIteratorProtocol {
      @usableFromInline let batch: TypedBatch<Record>
      /// The next ready record in the batch's buffer, and how many are ready
      /// there (records before the next misfit, `stride` apart).
      @usableFromInline var cursor: UnsafeRawPointer?
      @usableFromInline var ready = 0

      init(batch: TypedBatch<Record>) { self.batch = batch }

      @inlinable
      public mutating func next() async throws -> Record? {
        if ready > 0, let at = cursor {
          ready &-= 1
          cursor = at + MemoryLayout<Record>.stride
          return at.load(as: Record.self)
        }
        return try await refill()
      }

      /// The next run of records from the batch (waiting for the ring when
      /// it is empty); returns its first record and keeps the rest ready.
      @usableFromInline
      mutating func refill() async throws(EventError) -> Record? {
        guard let run = try await batch.nextRun() else { return nil }
        cursor = run.start + MemoryLayout<Record>.stride
        ready = run.count - 1
        return run.start.load(as: Record.self)
      }
    }
  }

  /// Values copied out of the ring, handed out in runs. A misfit record
  /// is consumed like the others and leaves an error at its place: thrown
  /// when the values read before it have been handed out.
  @usableFromInline
  final class TypedBatch<Record: BitwiseCopyable> {
    let buffer: RingBuffer
    let batchSize: Int
    let rule: RecordSizeRule
    /// The batch's records, `stride` apart (aligned for `Record`): raw
    /// memory rather than a `[Record]`, because this generic class is not
    /// specialized for the caller's type (it lives in another module), and
    /// a generic array append per record costs more than the record copy
    /// itself. A run handed out stays valid until the next `nextRun()`.
    var storage = UnsafeMutableRawPointer.allocate(byteCount: 0, alignment: MemoryLayout<Record>.alignment)
    var capacity = 0
    var count = 0
    /// Records before `index` have been handed out.
    var index = 0
    /// Errors and the record index they come before, in order.
    var failures: [(before: Int, error: EventError)] = []
    var failureIndex = 0

    init(buffer: RingBuffer, batchSize: Int, rule: RecordSizeRule) {
      self.buffer = buffer
      self.batchSize = batchSize
      self.rule = rule
    }

    deinit { storage.deallocate() }

    /// Room for one more record.
    func reserveOne() {
      guard count == capacity else { return }
      let grown = max(64, capacity * 2)
      let stride = MemoryLayout<Record>.stride
      let fresh = UnsafeMutableRawPointer.allocate(byteCount: grown * stride, alignment: MemoryLayout<Record>.alignment)
      fresh.copyMemory(from: storage, byteCount: count * stride)
      storage.deallocate()
      storage = fresh
      capacity = grown
    }

    /// The next records to hand out: all those up to the next misfit (at
    /// least one). Throws the misfit's error when it is next; waits when the
    /// ring is empty; nil when the ring was closed or the task cancelled.
    func nextRun() async throws(EventError) -> (start: UnsafeRawPointer, count: Int)? {
      let stride = MemoryLayout<Record>.stride
      while true {
        let nextFailure = failureIndex < failures.count ? failures[failureIndex].before : count
        if nextFailure == index, failureIndex < failures.count {
          failureIndex += 1
          throw failures[failureIndex - 1].error
        }
        if index < count {
          let start = UnsafeRawPointer(storage + index * stride)
          let run = nextFailure - index
          index = nextFailure
          return (start, run)
        }
        count = 0
        index = 0
        failures.removeAll(keepingCapacity: true)
        failureIndex = 0
        if Task.isCancelled { return nil }
        let size = MemoryLayout<Record>.size
        do {
          _ = try buffer.consume(limit: batchSize, byteLimit: .max) { span in
            guard rule.accepts(span.byteCount) else {
              failures.append((count, rule.mismatch(buffer: buffer.label, recordSize: span.byteCount)))
              return
            }
            reserveOne()
            // The one copy out of the ring: the record's first `size` bytes.
            let target = storage + count * stride
            span.withUnsafeBytes { bytes in
              if let base = bytes.baseAddress { target.copyMemory(from: base, byteCount: size) }
            }
            count += 1
          }
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if count > 0 || !failures.isEmpty { continue }
        guard try await buffer.waitForRecords() else { return nil }
      }
    }
  }

  /// Suspends until the kernel signals new data; false when the iteration
  /// should end (the ring was closed or the task cancelled).
  func waitForRecords() async throws(EventError) -> Bool {
    try await EventWaiter.awaitData { () throws(EventError) in try sharedWaiter() }
  }
}
