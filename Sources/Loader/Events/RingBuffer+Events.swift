import Syscall

extension RingBuffer {
  /// The records as an `AsyncSequence` of byte arrays, oldest first.
  ///
  /// ```swift
  /// for try await record in ring.events { handle(record) }
  /// ```
  ///
  /// The iterator copies records out of the ring in batches of up to
  /// `batchSize` records (and about 256 KiB) without suspending while records are there; when the ring
  /// is empty it suspends until the kernel signals new data (a dedicated
  /// thread waits in epoll, never a thread of the cooperative pool). The
  /// sequence ends when the task is cancelled or the ring buffer is closed;
  /// it throws only `EventError` (a corrupt record). The ring itself is
  /// the buffer: a consumer that falls behind makes the program's reserves
  /// fail, exactly as with `poll`.
  public var events: Events { Events(buffer: self, batchSize: 4096) }

  /// `events` with a different batch size (records copied per wake-up).
  public func events(batchSize: Int) -> Events {
    Events(buffer: self, batchSize: max(1, batchSize))
  }

  /// The waiter shared by every `events` iteration of this ring, created on
  /// first use; nil once closed.
  func sharedWaiter() throws(EventError) -> EventWaiter {
    try state.withLock { (s) throws(EventError) -> EventWaiter in
      guard let mapping = s.mapping else { throw .closed(buffer: label) }
      if let waiter = s.waiter { return waiter }
      // Under the lock with the mapping present: the descriptor is open.
      let waiter = try EventWaiter(watching: [mapping.fd.borrowed], label: label)
      s.waiter = waiter
      return waiter
    }
  }

  /// The `AsyncSequence` of `events`: each record copied into a byte array,
  /// until the buffer is closed or the task cancelled.
  public struct Events: AsyncSequence, Sendable {
    public typealias Element = [UInt8]
    let buffer: RingBuffer
    let batchSize: Int

    public func makeAsyncIterator() -> Iterator {
      Iterator(batch: RecordBatch(buffer: buffer, batchSize: batchSize))
    }

    /// Copies records out a batch at a time, and waits on the buffer's epoll
    /// thread when there are none.
    public struct Iterator: AsyncIteratorProtocol {
      let batch: RecordBatch

      public mutating func next() async throws -> [UInt8]? {
        try await batch.next()
      }
    }
  }

  /// Records copied out of the ring, handed out one by one.
  final class RecordBatch {
    let buffer: RingBuffer
    let batchSize: Int
    var records: [[UInt8]] = []
    var index = 0

    init(buffer: RingBuffer, batchSize: Int) {
      self.buffer = buffer
      self.batchSize = batchSize
      records.reserveCapacity(batchSize)
    }

    func next() async throws(EventError) -> [UInt8]? {
      if index < records.count {
        defer { index += 1 }
        return records[index]
      }
      records.removeAll(keepingCapacity: true)
      index = 0
      while true {
        if Task.isCancelled { return nil }
        do {
          // At most 256 KiB per batch: the arrays of one batch are freed
          // before the next is filled, so the allocator reuses their memory.
          _ = try buffer.consume(limit: batchSize, byteLimit: 256 << 10) { span in
            records.append(span.withUnsafeBytes { Array($0) })
          }
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if !records.isEmpty {
          index = 1
          return records[0]
        }
        guard try await buffer.waitForRecords() else { return nil }
      }
    }
  }
}
