import Glibc

/// A loop that runs once per `interval` until the duration is over or
/// Ctrl-C: `for _ in Ticks(every: .seconds(1), for: options.duration) { ... }`.
/// The last tick comes at the end of the duration, so a loop that prints
/// counters prints their final values.
public struct Ticks: Sequence, IteratorProtocol {
  private let interval: Duration
  private let start: ContinuousClock.Instant
  private let end: ContinuousClock.Instant?
  private var count = 0
  private var finished = false

  public init(every interval: Duration, for duration: Duration?) {
    let now = ContinuousClock.now
    self.interval = interval
    start = now
    end = duration.map { now + $0 }
  }

  /// Sleeps until the next tick and returns its number (1, 2, ...); nil
  /// when the time is up or Ctrl-C was pressed.
  public mutating func next() -> Int? {
    // Output written so far goes out now: when stdout is a pipe (a test),
    // Swift's print buffers it.
    fflush(nil)
    guard !finished else { return nil }
    var target = start + interval * (count + 1)
    if let end, target >= end {
      target = end
      finished = true
    }
    guard sleep(until: target) else { return nil }
    count += 1
    return count
  }
}

/// Sleeps in short slices so Ctrl-C is noticed quickly; false if it was.
func sleep(until instant: ContinuousClock.Instant) -> Bool {
  while ContinuousClock.now < instant {
    if Interrupt.wasReceived { return false }
    let left = ContinuousClock.now.duration(to: instant)
    let slice = min(left, .milliseconds(50))
    let (_, attoseconds) = slice.components
    usleep(useconds_t(max(1, attoseconds / 1_000_000_000_000)))
  }
  return !Interrupt.wasReceived
}

/// Runs `body` (a loop over an event stream) until it ends, the duration is
/// over or Ctrl-C was pressed; then cancels it, which ends the stream.
public func runUntilStopped(
  for duration: Duration?, _ body: @escaping @Sendable () async throws -> Void
) async throws {
  let end = duration.map { ContinuousClock.now + $0 }
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask {
      do { try await body() } catch is CancellationError {}
    }
    group.addTask {
      while !Interrupt.wasReceived {
        if let end, ContinuousClock.now >= end { break }
        try? await Task.sleep(for: .milliseconds(50))
        if Task.isCancelled { return }
      }
    }
    // Whichever finishes first (the stream or the clock) stops the other.
    try await group.next()
    group.cancelAll()
    try await group.waitForAll()
  }
  fflush(nil)
}
