#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Nanoseconds on `CLOCK_MONOTONIC` (never steps back, unaffected by settime).
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

/// Keeps the optimizer from deleting work whose result is otherwise unused.
@inline(never)
func blackHole<T>(_ value: T) {
  withExtendedLifetime(value) {}
}

/// The times of one workload: every sample after the warm-up, in nanoseconds.
struct Timing {
  var samples: [UInt64]

  var median: Double {
    let sorted = samples.sorted()
    guard !sorted.isEmpty else { return .nan }
    let mid = sorted.count / 2
    if sorted.count % 2 == 1 { return Double(sorted[mid]) }
    return (Double(sorted[mid - 1]) + Double(sorted[mid])) / 2
  }

  var minimum: Double { samples.min().map { Double($0) } ?? .nan }

  /// Runs `body` `warmup` times untimed, then `iterations` times timed.
  static func measure<E: Error>(
    warmup: Int, iterations: Int, _ body: () throws(E) -> Void
  ) throws(E) -> Timing {
    for _ in 0 ..< warmup { try body() }
    var samples = [UInt64]()
    samples.reserveCapacity(iterations)
    for _ in 0 ..< iterations {
      let start = monotonicNanoseconds()
      try body()
      samples.append(monotonicNanoseconds() - start)
    }
    return Timing(samples: samples)
  }

  /// Times two workloads interleaved (a, b, b, a, a, b, ...), so that load
  /// from other processes falls on both alike and their ratio stays fair.
  static func measurePair(
    warmup: Int, iterations: Int, _ a: () throws -> Void, _ b: () throws -> Void
  ) throws -> (Timing, Timing) {
    for _ in 0 ..< warmup {
      try a()
      try b()
    }
    var first = [UInt64](), second = [UInt64]()
    first.reserveCapacity(iterations)
    second.reserveCapacity(iterations)
    for round in 0 ..< iterations {
      for step in 0 ..< 2 {
        let runFirst = (round + step) % 2 == 0
        let start = monotonicNanoseconds()
        if runFirst { try a() } else { try b() }
        let elapsed = monotonicNanoseconds() - start
        if runFirst { first.append(elapsed) } else { second.append(elapsed) }
      }
    }
    return (Timing(samples: first), Timing(samples: second))
  }
}
