import Synchronization
import Syscall

/// Waits on several ring buffers and perf buffers at once (one epoll) and
/// hands each record to one closure with the index of its source.
///
/// ```swift
/// let poller = try EventPoller()
/// let execs = try poller.add(execRing)
/// let net = try poller.add(netPerfBuffer)
/// try poller.poll(timeout: .seconds(1)) { source, record in
///   if source == execs { ... }
/// }
/// ```
///
/// The poller keeps the buffers alive but does not own them: closing a
/// buffer is its owner's business, and a closed buffer is skipped (its
/// descriptors leave the epoll set when they close). Records are handed out
/// in place, as by the buffers' own `consume`.
///
/// Kernel: epoll(7) on the ring buffer map descriptors (readable while data
/// is pending) and on the per-CPU perf event descriptors.
public final class EventPoller: Sendable {
  enum Source: Sendable {
    case ring(RingBuffer)
    case perf(PerfBuffer)
  }

  struct State: Sendable {
    var sources: [Source] = []
  }

  let epoll: Epoll
  let state = Mutex(State())

  /// An empty poller with its own epoll instance.
  ///
  /// Throws `EventError.syscall` when `epoll_create1` fails (the descriptor
  /// limit).
  public init() throws(EventError) {
    do { epoll = try Epoll() } catch { throw .syscall(error, buffer: "event poller") }
  }

  /// Number of sources added.
  public var count: Int { state.withLock { $0.sources.count } }

  /// Adds a ring buffer; returns its source index.
  @discardableResult
  public func add(_ ring: RingBuffer) throws(EventError) -> Int {
    try state.withLock { (s) throws(EventError) -> Int in
      let index = s.sources.count
      try ring.withDescriptor { (fd) throws(EventError) in
        do throws(SyscallError) {
          try epoll.add(fd, events: .readable, data: Self.token(index, 0))
        } catch { throw .syscall(error, buffer: ring.label) }
      }
      s.sources.append(.ring(ring))
      return index
    }
  }

  /// Adds a perf buffer (all its CPUs); returns its source index.
  @discardableResult
  public func add(_ perf: PerfBuffer) throws(EventError) -> Int {
    try state.withLock { (s) throws(EventError) -> Int in
      let index = s.sources.count
      try perf.withEventDescriptors { (fds) throws(EventError) in
        for (ringIndex, fd) in fds.enumerated() {
          do throws(SyscallError) {
            try epoll.add(fd, events: .readable, data: Self.token(index, ringIndex))
          } catch { throw .syscall(error, buffer: perf.label) }
        }
      }
      s.sources.append(.perf(perf))
      return index
    }
  }

  static func token(_ source: Int, _ part: Int) -> UInt64 { UInt64(source) << 32 | UInt64(part) }

  /// Consumes every source without waiting; returns the records handed out.
  @discardableResult
  public func consume(
    limit: Int = .max, _ body: (_ source: Int, _ record: RawSpan) -> Void,
    onLost: (_ source: Int, _ cpu: Int, _ count: UInt64) -> Void = { _, _, _ in }
  ) throws(EventError) -> Int {
    let sources = state.withLock { $0.sources }
    var total = 0
    for index in sources.indices where total < limit {
      total += try consume(sources[index], index, part: nil, limit: limit - total, body, onLost)
    }
    return total
  }

  /// Waits up to `timeout` (nil: forever) until some source has records,
  /// then consumes the sources epoll reported. Returns the records handed
  /// out (0 after a timeout).
  @discardableResult
  public func poll(
    timeout: Duration? = nil, limit: Int = .max, _ body: (_ source: Int, _ record: RawSpan) -> Void,
    onLost: (_ source: Int, _ cpu: Int, _ count: UInt64) -> Void = { _, _, _ in }
  ) throws(EventError) -> Int {
    let milliseconds = timeout.map { Int32(clamping: PollWait.milliseconds($0)) } ?? -1
    let sources = state.withLock { $0.sources }
    return try withUnsafeTemporaryAllocation(of: Epoll.Event.self, capacity: 64) {
      (events) throws(EventError) -> Int in
      let ready: Int
      do throws(SyscallError) { ready = try epoll.wait(into: events, timeoutMilliseconds: milliseconds) } catch {
        throw .syscall(error, buffer: "event poller")
      }
      var total = 0
      for i in 0..<ready where total < limit {
        let index = Int(events[i].data >> 32)
        let part = Int(events[i].data & 0xffff_ffff)
        guard sources.indices.contains(index) else { continue }
        total += try consume(sources[index], index, part: part, limit: limit - total, body, onLost)
      }
      return total
    }
  }

  private func consume(
    _ source: Source, _ index: Int, part: Int?, limit: Int,
    _ body: (_ source: Int, _ record: RawSpan) -> Void,
    _ onLost: (_ source: Int, _ cpu: Int, _ count: UInt64) -> Void
  ) throws(EventError) -> Int {
    do {
      switch source {
      case .ring(let ring):
        return try ring.consume(limit: limit) { record in body(index, record) }
      case .perf(let perf):
        return try perf.consume(ringIndex: part, limit: limit, { _, record in body(index, record) },
                                onLost: { cpu, count in onLost(index, cpu, count) })
      }
    } catch {
      if case .closed = error { return 0 }  // a closed source is skipped
      throw error
    }
  }
}
