import Syscall

extension PerfBuffer {
  /// One record of a typed perf stream: a sample loaded as `Record`, or a
  /// report of samples the kernel dropped (kept in the stream so a consumer
  /// sees gaps where they happen; `lostSamples` sums them too).
  public enum TypedEvent<Record: BitwiseCopyable> {
    /// A sample from `cpu`, loaded as `Record`.
    case sample(cpu: Int, Record)
    /// The kernel dropped `count` samples of `cpu` because its ring was full.
    case lost(cpu: Int, count: UInt64)
  }

  /// The samples of all CPUs loaded as `Record` (each CPU's in order), with
  /// lost-sample reports in between.
  ///
  /// ```swift
  /// for try await event in perf.events(of: ExecEvent.self) {
  ///   if case .sample(_, let exec) = event { print(exec.pid) }
  /// }
  /// ```
  ///
  /// A sample must be `MemoryLayout<Record>.size` or `.stride` bytes, as
  /// padded by the kernel (the `u32` size field plus the data are rounded up
  /// to 8 bytes, so a 20-byte struct arrives as 20 bytes and a 16-byte one
  /// as 20); others throw `EventError.recordSizeMismatch` at their place in
  /// the stream (skipped; the iteration may go on). `allowLonger` accepts
  /// any longer sample and reads its head. Perf event arrays declare no
  /// record type, so the type itself is not checked against the map.
  public func events<Record: BitwiseCopyable>(
    of type: Record.Type, allowLonger: Bool = false, batchSize: Int = 4096
  ) -> TypedEvents<Record> {
    TypedEvents(buffer: self, batchSize: max(1, batchSize),
                rule: RecordSizeRule(type, allowLonger: allowLonger, perfPadding: true))
  }

  /// The `AsyncSequence` of `events(of:)`: typed samples and lost-sample
  /// reports, until the buffer is closed or the task cancelled.
  public struct TypedEvents<Record: BitwiseCopyable>: AsyncSequence, Sendable {
    public typealias Element = TypedEvent<Record>
    let buffer: PerfBuffer
    let batchSize: Int
    let rule: RecordSizeRule

    public func makeAsyncIterator() -> Iterator {
      Iterator(batch: TypedEventBatch(buffer: buffer, batchSize: batchSize, rule: rule))
    }

    /// Loads each sample of a batch as `Record`, throwing
    /// `EventError.recordSizeMismatch` in place for a sample of another size.
    public struct Iterator: AsyncIteratorProtocol {
      let batch: TypedEventBatch<Record>
      public mutating func next() async throws -> TypedEvent<Record>? { try await batch.next() }
    }
  }

  /// Events loaded from the rings, handed out one by one; a misfit sample
  /// becomes an error at its place.
  final class TypedEventBatch<Record: BitwiseCopyable> {
    enum Item {
      case event(TypedEvent<Record>)
      case failure(EventError)
    }

    let buffer: PerfBuffer
    let batchSize: Int
    let rule: RecordSizeRule
    var items: [Item] = []
    var index = 0

    init(buffer: PerfBuffer, batchSize: Int, rule: RecordSizeRule) {
      self.buffer = buffer
      self.batchSize = batchSize
      self.rule = rule
    }

    func next() async throws(EventError) -> TypedEvent<Record>? {
      while true {
        if index < items.count {
          let item = items[index]
          index += 1
          switch item {
          case .event(let event): return event
          case .failure(let error): throw error
          }
        }
        items.removeAll(keepingCapacity: true)
        index = 0
        if Task.isCancelled { return nil }
        do {
          try buffer.consume(limit: batchSize, { cpu, data in
            if rule.accepts(data.byteCount) {
              items.append(.event(.sample(cpu: cpu, data.unsafeLoadUnaligned(fromByteOffset: 0, as: Record.self))))
            } else {
              items.append(.failure(rule.mismatch(buffer: "\(buffer.label) cpu \(cpu)", recordSize: data.byteCount)))
            }
          }, onLost: { cpu, count in
            items.append(.event(.lost(cpu: cpu, count: count)))
          })
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if !items.isEmpty { continue }
        guard try await buffer.waitForSamples() else { return nil }
      }
    }
  }
}

extension PerfBuffer.TypedEvent: Sendable where Record: Sendable {}
extension PerfBuffer.TypedEvent: Equatable where Record: Equatable {}
