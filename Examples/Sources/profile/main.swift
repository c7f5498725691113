// profile: sample what every CPU is running, with a perf event program.
//
//   sudo .build/debug/profile [--frequency HZ] [--duration SECONDS]
//
// A software clock event (PERF_COUNT_SW_CPU_CLOCK) fires `frequency` times
// a second on each CPU and runs the program, which sends a sample through
// a ring buffer. No hardware performance counters are needed.
import ExampleSupport
import Synchronization
import SwiftBPF

let options = ExampleOptions(usage: "profile [--frequency HZ] [--duration SECONDS]", valueOptions: ["frequency"])
let frequency = options.value("frequency").flatMap { UInt64($0) } ?? 49

// Kernel: PERF_TYPE_SOFTWARE = 1, PERF_COUNT_SW_CPU_CLOCK = 0.
let perfTypeSoftware: UInt32 = 1
let cpuClock: UInt64 = 0

do {
  let loaded = try Profile().load()
  guard let program = loaded.programs.onSample else { fail(options.name, "on_sample was not loaded") }
  // No cpu and no pid: one event per online CPU, every process.
  let link = try program.attach(to: .perfEvent(type: perfTypeSoftware, config: cpuClock, frequency: frequency))

  print("sampling every CPU at \(frequency) Hz \(options.durationText)")
  let samples = try loaded.samplesEvents()
  let tally = Tally()
  try await runUntilStopped(for: options.duration) {
    for try await sample in samples {
      let comm = sample.pid == 0 ? "(idle)" : sample.commString
      tally.count(comm)
      print("cpu \(sample.cpu)  pid \(sample.pid)  \(comm)\(sample.kernelStackBytes > 0 ? "  [in kernel]" : "")")
    }
  }
  link.close()

  print("\(tally.total) samples; most sampled: " + tally.top(5).map { "\($0.comm) \($0.count)" }.joined(separator: ", "))
} catch {
  fail(options.name, error)
}

/// Samples per command name, counted by the task reading the ring and read
/// at the end.
final class Tally: Sendable {
  private let counts = Mutex<[String: Int]>([:])

  func count(_ comm: String) { counts.withLock { $0[comm, default: 0] += 1 } }

  var total: Int { counts.withLock { $0.values.reduce(0, +) } }

  func top(_ n: Int) -> [(comm: String, count: Int)] {
    counts.withLock { $0 }.sorted { $0.value > $1.value }.prefix(n).map { ($0.key, $0.value) }
  }
}
