import Syscall

extension PerfBuffer {
  /// One record of a perf buffer, copied out of its ring.
  public enum Event: Sendable, Hashable {
    /// A sample's raw data (with the kernel's padding, see `PerfBuffer`).
    case sample(cpu: Int, data: [UInt8])
    /// The kernel dropped `count` samples on `cpu` because its ring was full.
    case lost(cpu: Int, count: UInt64)
  }

  /// The records of all CPUs as an `AsyncSequence`; each CPU's records in
  /// order (there is no order between CPUs).
  ///
  /// Works like `RingBuffer.events`: batches copied without suspending while
  /// records are there, a dedicated epoll thread while none are; ends on
  /// cancellation or `close()`.
  public var events: Events { Events(buffer: self, batchSize: 4096) }

  /// The records as `events` gives them, copied `batchSize` at a time (at
  /// least 1) between suspensions.
  public func events(batchSize: Int) -> Events { Events(buffer: self, batchSize: max(1, batchSize)) }

  /// Suspends until a CPU's ring signals new data; false when the
  /// iteration should end (closed or cancelled).
  func waitForSamples() async throws(EventError) -> Bool {
    try await EventWaiter.awaitData { () throws(EventError) in try sharedWaiter() }
  }

  func sharedWaiter() throws(EventError) -> EventWaiter {
    try state.withLock { (s) throws(EventError) -> EventWaiter in
      guard let resources = s.resources else { throw .closed(buffer: label) }
      if let waiter = s.waiter { return waiter }
      // Under the lock with the resources present: the descriptors are open.
      let waiter = try EventWaiter(watching: resources.rings.map { $0.fd.borrowed }, label: label)
      s.waiter = waiter
      return waiter
    }
  }

  /// The `AsyncSequence` of `events`: samples and lost-sample reports of every
  /// CPU, until the buffer is closed or the task cancelled.
  public struct Events: AsyncSequence, Sendable {
    public typealias Element = Event
    let buffer: PerfBuffer
    let batchSize: Int

    public func makeAsyncIterator() -> Iterator {
      Iterator(batch: EventBatch(buffer: buffer, batchSize: batchSize))
    }

    /// Hands out the records of a copied batch, and waits on the buffer's
    /// epoll thread when there are none.
    public struct Iterator: AsyncIteratorProtocol {
      let batch: EventBatch
      public mutating func next() async throws -> Event? { try await batch.next() }
    }
  }

  final class EventBatch {
    let buffer: PerfBuffer
    let batchSize: Int
    var events: [Event] = []
    var index = 0

    init(buffer: PerfBuffer, batchSize: Int) {
      self.buffer = buffer
      self.batchSize = batchSize
    }

    func next() async throws(EventError) -> Event? {
      if index < events.count {
        defer { index += 1 }
        return events[index]
      }
      events.removeAll(keepingCapacity: true)
      index = 0
      while true {
        if Task.isCancelled { return nil }
        do {
          try buffer.consume(limit: batchSize, { cpu, data in
            events.append(.sample(cpu: cpu, data: data.withUnsafeBytes { Array($0) }))
          }, onLost: { cpu, count in
            events.append(.lost(cpu: cpu, count: count))
          })
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if !events.isEmpty {
          index = 1
          return events[0]
        }
        guard try await buffer.waitForSamples() else { return nil }
      }
    }
  }
}
