import Syscall

extension PerfBuffer {
  /// Every record of one wake-up, read in place: an `AsyncSequence` of
  /// batches, one `await` per wake-up, no copy and no allocation per sample
  /// (a sample that wraps the end of its CPU's ring is copied into a reused
  /// buffer first, as `consume` does).
  ///
  /// ```swift
  /// for try await batch in perf.batches {
  ///   try batch.forEach { cpu, sample in total += sample.byteCount }
  /// }
  /// ```
  ///
  /// A batch is what every CPU's ring held when it was taken. Its records
  /// stay in the rings while the loop body runs; the rings' space is given
  /// back only when the iteration asks for the next batch (or the iterator
  /// goes away), so a slow body makes the kernel drop samples, which later
  /// batches report (`lostCount`, `lostSamples`). Samples are lent as
  /// `RawSpan`s that cannot outlive the call, and `forEach` on a batch the
  /// iteration has moved past throws `EventError.batchExpired`.
  ///
  /// One consumer at a time: do not `consume`/`poll` the buffer while a
  /// batch is out; `forEach` holds the buffer's lock, so calling the buffer
  /// from its body deadlocks.
  public var batches: Batches { Batches(buffer: self) }

  /// The sequence of `batches`: one `Batch` per wake-up.
  public struct Batches: AsyncSequence, Sendable {
    public typealias Element = Batch
    let buffer: PerfBuffer

    public func makeAsyncIterator() -> Iterator { Iterator(cursor: BatchCursor(buffer: buffer)) }

    /// Hands out one batch at a time; asking for the next gives the
    /// current batch's ring space back.
    public struct Iterator: AsyncIteratorProtocol {
      let cursor: BatchCursor
      public mutating func next() async throws -> Batch? { try await cursor.next() }
    }
  }

  /// The records of one wake-up, valid until the iteration moves on.
  public final class Batch {
    /// One CPU ring's part: ring index and positions.
    struct Part {
      var ring: Int
      var start: UInt64
      var end: UInt64
    }

    let buffer: PerfBuffer
    let parts: [Part]
    /// The samples in it.
    public let count: Int
    /// Samples the kernel reported dropped in it (`PERF_RECORD_LOST`).
    public let lostCount: UInt64
    var isValid = true

    init(buffer: PerfBuffer, parts: [Part], count: Int, lostCount: UInt64) {
      self.buffer = buffer
      self.parts = parts
      self.count = count
      self.lostCount = lostCount
    }

    /// Hands each sample to `body` in place with its CPU, each CPU's in
    /// order. May be called more than once while the batch is current.
    public func forEach(_ body: (_ cpu: Int, _ data: RawSpan) -> Void) throws(EventError) {
      try buffer.state.withLock { (s) throws(EventError) in
        guard let resources = s.resources else { throw .closed(buffer: buffer.label) }
        guard isValid else { throw .batchExpired(buffer: buffer.label) }
        for part in parts where resources.rings.indices.contains(part.ring) {
          _ = try PerfBuffer.walk(resources.rings[part.ring], scratch: s.scratch, label: buffer.label,
                                  from: part.start, to: part.end, limit: .max, body, { _, _ in }, passed: { _ in })
        }
      }
    }

    /// `forEach` loading each sample as `Record` (sizes checked as by
    /// `events(of:)`, the kernel's padding allowed; the first misfit throws
    /// `recordSizeMismatch` after the samples before it were handed out).
    public func forEach<Record: BitwiseCopyable>(
      as type: Record.Type, allowLonger: Bool = false, _ body: (_ cpu: Int, _ record: Record) -> Void
    ) throws(EventError) {
      let rule = RecordSizeRule(type, allowLonger: allowLonger, perfPadding: true)
      var misfit: (cpu: Int, size: Int)?
      try forEach { cpu, span in
        guard misfit == nil else { return }
        guard rule.accepts(span.byteCount) else {
          misfit = (cpu, span.byteCount)
          return
        }
        body(cpu, span.unsafeLoadUnaligned(fromByteOffset: 0, as: Record.self))
      }
      if let misfit { throw rule.mismatch(buffer: "\(buffer.label) cpu \(misfit.cpu)", recordSize: misfit.size) }
    }
  }

  /// The iteration's state: the batch out, whose ring space is given back
  /// when the next is asked for or the iteration ends.
  final class BatchCursor {
    let buffer: PerfBuffer
    var current: Batch?

    init(buffer: PerfBuffer) { self.buffer = buffer }

    deinit { commitCurrent() }

    func commitCurrent() {
      guard let batch = current.take() else { return }
      buffer.state.withLock { s in
        batch.isValid = false
        guard let resources = s.resources else { return }
        for part in batch.parts where resources.rings.indices.contains(part.ring) {
          guard let base = resources.rings[part.ring].region.bytes.baseAddress else { continue }
          RingMemory.storeRelease64(base + PerfBuffer.dataTailOffset, part.end)
        }
      }
    }

    func next() async throws(EventError) -> Batch? {
      commitCurrent()
      while true {
        if Task.isCancelled { return nil }
        let found: Batch?
        do {
          found = try buffer.state.withLock { (s) throws(EventError) -> Batch? in try take(&s) }
        } catch {
          if case .closed = error { return nil }
          throw error
        }
        if let found {
          current = found
          return found
        }
        guard try await buffer.waitForSamples() else { return nil }
      }
    }

    /// What every ring holds now, counted once (lost reports summed into
    /// `lostSamples` here, so a batch read twice does not count them twice);
    /// nil when the rings are empty. Rings holding only lost reports are
    /// given back at once.
    private func take(_ s: inout State) throws(EventError) -> sending Batch? {
      guard let resources = s.resources else { throw .closed(buffer: buffer.label) }
      var parts: [Batch.Part] = []
      var samples = 0
      var lost: UInt64 = 0
      for (index, ring) in resources.rings.enumerated() {
        guard let base = ring.region.bytes.baseAddress else { continue }
        let head = RingMemory.loadAcquire64(base + PerfBuffer.dataHeadOffset)
        let tail = base.load(fromByteOffset: PerfBuffer.dataTailOffset, as: UInt64.self)
        guard head != tail else { continue }
        var end = tail
        let found: Int
        do throws(EventError) {
          found = try PerfBuffer.walk(ring, scratch: s.scratch, label: buffer.label, from: tail, to: head,
                                      limit: .max, { _, _ in }, { _, count in lost &+= count }, passed: { end = $0 })
        } catch {
          // A corrupt record: give the ring back up to its head, as `consume` does.
          RingMemory.storeRelease64(base + PerfBuffer.dataTailOffset, end)
          throw error
        }
        if found == 0 {
          RingMemory.storeRelease64(base + PerfBuffer.dataTailOffset, end)
          continue
        }
        samples += found
        parts.append(.init(ring: index, start: tail, end: end))
      }
      s.lost &+= lost
      guard samples > 0 else { return nil }
      return Batch(buffer: buffer, parts: parts, count: samples, lostCount: lost)
    }
  }
}
