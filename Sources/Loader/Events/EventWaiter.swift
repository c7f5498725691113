import Glibc
import Synchronization
import Syscall

/// Lets async code wait for buffer descriptors to become readable without
/// blocking a thread of Swift's cooperative pool.
///
/// One dedicated thread sits in `epoll_wait` on the watched descriptors and
/// an eventfd. The descriptors are registered one-shot and only re-armed
/// while some task waits, so a ring that stays readable while nobody waits
/// does not make the thread spin. Waiting tasks suspend on a continuation
/// that the thread resumes; cancelling a task resumes its continuation at
/// once; `stop()` resumes everyone, ends the thread and joins it, so no
/// thread, epoll or eventfd descriptor outlives the buffer.
///
/// The watched descriptors are borrowed: the owner must call `stop()`
/// before closing them.
// @unchecked Sendable: mutable state is behind `state` (a Mutex); `epoll`,
// `wake` and `sources` are immutable after init; `thread` is written once in
// init and read in `stop()`, which runs once (guarded by `state.stopped`).
final class EventWaiter: @unchecked Sendable {
  enum Outcome: Sendable { case ready, cancelled, stopped }

  struct State {
    var waiting: [(id: UInt64, continuation: CheckedContinuation<Outcome, Never>)] = []
    var cancelledEarly: Set<UInt64> = []
    var nextID: UInt64 = 0
    var armed = false
    var stopped = false
    var joined = false
  }

  private let core: Core
  private var thread = pthread_t()

  /// What the thread needs; retained by the thread while it runs.
  final class Core: @unchecked Sendable {
    // @unchecked: immutable after init; Epoll and EventFD are Sendable.
    let epoll: Epoll
    let wake: EventFD
    let sources: [BorrowedFD]
    let state = Mutex(State())
    static let wakeToken = UInt64.max
    init(epoll: consuming Epoll, wake: consuming EventFD, sources: [BorrowedFD]) {
      self.epoll = epoll
      self.wake = wake
      self.sources = sources
    }

    /// A watched descriptor reported readable: resume every waiting task.
    func sourcesReady() {
      let waiting = state.withLock { s -> [CheckedContinuation<Outcome, Never>] in
        s.armed = false
        let taken = s.waiting.map(\.continuation)
        s.waiting.removeAll()
        return taken
      }
      for c in waiting { c.resume(returning: .ready) }
    }
  }

  init(watching sources: [BorrowedFD], label: String) throws(EventError) {
    let epoll = try Self.makeEpoll(label)
    let wake = try Self.makeEventFD(label)
    do throws(SyscallError) {
      try epoll.add(wake.borrowed, events: .readable, data: Core.wakeToken)
      for (i, fd) in sources.enumerated() {
        // Registered disarmed: one-shot with no events until a task waits.
        try epoll.add(fd, events: .oneShot, data: UInt64(i))
      }
    } catch { throw .syscall(error, buffer: label) }
    core = Core(epoll: epoll, wake: wake, sources: sources)
    let context = Unmanaged.passRetained(core).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, 256 * 1024)
    let result = pthread_create(&thread, &attributes, { raw in
      guard let raw else { return nil }
      let core = Unmanaged<EventWaiter.Core>.fromOpaque(raw).takeRetainedValue()
      EventWaiter.run(core)
      return nil
    }, context)
    pthread_attr_destroy(&attributes)
    if result != 0 {
      Unmanaged<Core>.fromOpaque(context).release()
      core.state.withLock {
        $0.stopped = true
        $0.joined = true
      }
      throw .syscall(.failed(.system("pthread_create"), Errno(rawValue: result)), buffer: label)
    }
  }

  deinit { stop() }

  private static func makeEpoll(_ label: String) throws(EventError) -> Epoll {
    do { return try Epoll() } catch { throw .syscall(error, buffer: label) }
  }

  private static func makeEventFD(_ label: String) throws(EventError) -> EventFD {
    do { return try EventFD() } catch { throw .syscall(error, buffer: label) }
  }

  /// Suspends until a watched descriptor is readable, the task is
  /// cancelled, or the waiter stops.
  /// Suspends until a buffer's descriptors signal new data, with the
  /// buffer's shared waiter (`waiter()`, which throws `closed` once the
  /// buffer is closed); false when an iteration should end (closed or
  /// cancelled). Shared by every `events` sequence.
  static func awaitData(_ waiter: () throws(EventError) -> EventWaiter) async throws(EventError) -> Bool {
    let shared: EventWaiter
    do { shared = try waiter() } catch {
      if case .closed = error { return false }
      throw error
    }
    switch await shared.wait() {
    case .ready, .stopped: return true  // stopped: the next consume sees `closed`
    case .cancelled: return false
    }
  }

  func wait() async -> Outcome {
    let id = core.state.withLock { s -> UInt64 in
      s.nextID &+= 1
      return s.nextID
    }
    return await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<Outcome, Never>) in
        enum Action { case none, arm, stopped, cancelled }
        let action = core.state.withLock { s -> Action in
          if s.stopped { return .stopped }
          if s.cancelledEarly.remove(id) != nil { return .cancelled }
          s.waiting.append((id, continuation))
          if s.armed { return .none }
          s.armed = true
          return .arm
        }
        switch action {
        case .none: break
        case .stopped: continuation.resume(returning: .stopped)
        case .cancelled: continuation.resume(returning: .cancelled)
        case .arm: arm()
        }
      }
    } onCancel: {
      let continuation = core.state.withLock { s -> CheckedContinuation<Outcome, Never>? in
        if let index = s.waiting.firstIndex(where: { $0.id == id }) {
          return s.waiting.remove(at: index).continuation
        }
        s.cancelledEarly.insert(id)
        return nil
      }
      continuation?.resume(returning: .cancelled)
    }
  }

  /// Re-enables the one-shot entries; a descriptor readable already reports at once.
  private func arm() {
    for (i, fd) in core.sources.enumerated() {
      // A descriptor that is gone (owner closed it early) cannot be re-armed;
      // the owner's close path stops this waiter, which resumes the waiters.
      try? core.epoll.modify(fd, events: [.readable, .oneShot], data: UInt64(i))
    }
  }

  /// Resumes every waiting task with `.stopped`, ends the thread and joins it.
  /// Idempotent.
  func stop() {
    let (waiting, join) = core.state.withLock { s -> ([CheckedContinuation<Outcome, Never>], Bool) in
      s.stopped = true
      let taken = s.waiting.map(\.continuation)
      s.waiting.removeAll()
      let join = !s.joined
      s.joined = true
      return (taken, join)
    }
    for c in waiting { c.resume(returning: .stopped) }
    guard join else { return }
    core.wake.signal()
    pthread_join(thread, nil)
  }

  /// The thread: wait, then resume whoever waits (or exit when stopped).
  private static func run(_ core: Core) {
    withUnsafeTemporaryAllocation(of: Epoll.Event.self, capacity: 8) { events in
      while true {
        let n: Int
        do {
          n = try core.epoll.wait(into: events, timeoutMilliseconds: -1)
        } catch {
          return
        }
        var sourceReady = false
        var woken = false
        for i in 0..<n {
          if events[i].data == Core.wakeToken {
            woken = true
          } else {
            sourceReady = true
          }
        }
        if woken {
          core.wake.drain()
          return  // only stop() writes the eventfd
        }
        if sourceReady { core.sourcesReady() }
      }
    }
  }
}
