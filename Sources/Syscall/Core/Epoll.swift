import CBPFSys
import Glibc

/// An epoll instance (owned descriptor) for waiting on ring buffers and perf buffers.
package struct Epoll: ~Copyable, Sendable {
  package let fd: OwnedFD

  /// epoll event bits. Kernel: `EPOLLIN` 0x1, `EPOLLOUT` 0x4, `EPOLLERR` 0x8,
  /// `EPOLLHUP` 0x10, `EPOLLONESHOT` 1 << 30, `EPOLLET` 1 << 31
  /// (include/uapi/linux/eventpoll.h).
  package struct Events: OptionSet, Sendable, Hashable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }
    package static let readable = Events(rawValue: 0x001)
    package static let writable = Events(rawValue: 0x004)
    package static let error = Events(rawValue: 0x008)
    package static let hangUp = Events(rawValue: 0x010)
    /// The entry is disabled after one report until `modify` re-arms it.
    package static let oneShot = Events(rawValue: 1 << 30)
    package static let edgeTriggered = Events(rawValue: 1 << 31)
  }

  /// One readiness report: which events, and the `data` given when adding.
  package struct Event: Sendable, Hashable {
    package var events: Events
    package var data: UInt64
    package init(events: Events, data: UInt64) {
      self.events = events
      self.data = data
    }
  }

  /// Creates an epoll instance (close-on-exec). Kernel: epoll_create1(2).
  package init() throws(SyscallError) {
    let raw = epoll_create1(CInt(EPOLL_CLOEXEC))
    if raw == -1 { throw .current(.system("epoll_create1")) }
    fd = try OwnedFD.adopt(raw)
  }

  /// Watches `file` for `events`; `data` comes back with each report.
  package func add(_ file: BorrowedFD, events: Events = .readable, data: UInt64) throws(SyscallError) {
    try control(EPOLL_CTL_ADD, file, events, data, "epoll_ctl(EPOLL_CTL_ADD)")
  }

  /// Changes what `file` is watched for.
  package func modify(_ file: BorrowedFD, events: Events, data: UInt64) throws(SyscallError) {
    try control(EPOLL_CTL_MOD, file, events, data, "epoll_ctl(EPOLL_CTL_MOD)")
  }

  /// Stops watching `file`.
  package func remove(_ file: BorrowedFD) throws(SyscallError) {
    try control(EPOLL_CTL_DEL, file, [], 0, "epoll_ctl(EPOLL_CTL_DEL)")
  }

  private func control(
    _ op: CInt, _ file: BorrowedFD, _ events: Events, _ data: UInt64, _ name: String
  ) throws(SyscallError) {
    var event = epoll_event()
    event.events = events.rawValue
    event.data.u64 = data
    if epoll_ctl(fd.rawValue, op, file.rawValue, &event) == -1 { throw .current(.system(name)) }
  }

  /// Waits up to `timeoutMilliseconds` (-1: forever, 0: poll) and writes the
  /// ready reports into `events`; returns how many. Allocates nothing.
  ///
  /// A signal does not end the wait early: `EINTR` is retried with the time left.
  package func wait(
    into events: UnsafeMutableBufferPointer<Event>, timeoutMilliseconds: Int32
  ) throws(SyscallError) -> Int {
    let capacity = min(events.count, 256)
    if capacity == 0 { return 0 }
    let deadline = timeoutMilliseconds > 0 ? Epoll.now() + Int64(timeoutMilliseconds) : 0
    return try withUnsafeTemporaryAllocation(of: epoll_event.self, capacity: capacity) {
      (raw) throws(SyscallError) -> Int in
      guard let base = raw.baseAddress else { return 0 }
      var timeout = timeoutMilliseconds
      while true {
        let n = epoll_wait(fd.rawValue, base, CInt(capacity), timeout)
        if n >= 0 {
          for i in 0..<Int(n) {
            events[i] = Event(events: Events(rawValue: raw[i].events), data: raw[i].data.u64)
          }
          return Int(n)
        }
        let error = Errno.current
        guard error == .EINTR else { throw .failed(.system("epoll_wait"), error) }
        if timeoutMilliseconds > 0 {
          timeout = Int32(clamping: max(0, deadline - Epoll.now()))
        }
      }
    }
  }

  /// Waits and returns up to `maxEvents` reports (allocates the result).
  package func wait(maxEvents: Int = 16, timeoutMilliseconds: Int32) throws(SyscallError) -> [Event] {
    var result = [Event](repeating: Event(events: [], data: 0), count: max(maxEvents, 1))
    let n = try result.withUnsafeMutableBufferPointer { (buffer) -> Result<Int, SyscallError> in
      Result { () throws(SyscallError) -> Int in
        try wait(into: buffer, timeoutMilliseconds: timeoutMilliseconds)
      }
    }.get()
    return Array(result.prefix(n))
  }

  /// Milliseconds on the monotonic clock.
  static func now() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
  }
}
