import ArgumentParser
import LibBPFHarness
import SwiftBPF

/// `swiftbpf-bench maps`: element operations on one u32 -> u64 hash map,
/// ours (`TypedMap`) against libbpf's calls, interleaved in the same run:
/// single lookups and updates (one system call each: the targets are
/// ≤ 1.1× libbpf's time), a walk of every key, and a batch read of every
/// entry (target ≤ 1.0×). Both sides sum what they read and the sums are
/// compared. Needs root (CAP_BPF).
struct MapBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "maps", abstract: "Map element operations: SwiftBPF TypedMap vs libbpf.")

  @Option(help: "Entries in the hash map.")
  var entries = 1_000_000

  @Option(help: "Keys per timed lookup/update round.")
  var operations = 100_000

  @Option(help: "Timed rounds per side.")
  var iterations = 10

  @Option(help: "Elements per batch read.")
  var batch = 4096

  @Option(help: "Profiling aid: run only one side's lookups (ours or libbpf) this many rounds, untimed.")
  var onlyLookups: String? = nil

  @Option(help: "Profiling aid: run one workload `iterations` times, untimed, and nothing else: ours-lookups, libbpf-lookups, ours-updates, libbpf-updates, ours-walk, libbpf-walk, ours-batch, libbpf-batch.")
  var profile: String? = nil

  func run() throws {
    let fd = try BPF.createMap(MapCreateAttributes(
      type: .hash, keySize: 4, valueSize: 8, maxEntries: UInt32(entries), name: "bench_map"))
    let raw = fd.rawValue
    let handle = try LoadedObject.Map.adopting(fd, expecting: .hash)
    defer { handle.close() }
    let map = try TypedMap<UInt32, UInt64>(handle)
    // Fill (untimed): key i * Knuth's multiplier, value key * 3.
    let all = (0..<UInt32(entries)).map { $0 &* 2_654_435_761 }
    _ = try map.update(all.map { (key: $0, value: UInt64($0) * 3) })
    var generator = SystemRandomNumberGenerator()
    let keys = (0..<operations).map { _ in all[Int.random(in: 0..<all.count, using: &generator)] }
    let expected = keys.reduce(UInt64(0)) { $0 &+ UInt64($1) * 3 }

    if let workload = profile {
      try runProfile(workload, map: map, raw: raw, keys: keys)
      return
    }
    if let side = onlyLookups {
      var sum: UInt64 = 0
      for _ in 0..<iterations {
        if side == "ours" {
          for key in keys { sum &+= try map.lookup(key) ?? 0 }
        } else {
          sum &+= keys.withUnsafeBufferPointer { lbh_map_lookup_each(raw, $0.baseAddress, Int32($0.count)) }
        }
      }
      print("\(side): sum \(sum)")
      return
    }

    var report = Report(title: "Map operations: a \(entries)-entry u32 -> u64 hash, \(operations) keys per round")
    report.notes.append(Report.machine() + ", libbpf " + String(cString: lbh_version()))

    var oursSum: UInt64 = 0, theirsSum: UInt64 = 0
    let (lookupOurs, lookupTheirs) = try Timing.measurePair(warmup: 1, iterations: iterations, {
      var sum: UInt64 = 0
      for key in keys { sum &+= try map.lookup(key) ?? 0 }
      oursSum = sum
    }, {
      theirsSum = keys.withUnsafeBufferPointer { lbh_map_lookup_each(raw, $0.baseAddress, Int32($0.count)) }
    })
    try check("lookup", oursSum, theirsSum, expected)
    report.addTime("\(operations) single lookups", ours: lookupOurs, libbpf: lookupTheirs, target: 1.1)

    let (updateOurs, updateTheirs) = try Timing.measurePair(warmup: 1, iterations: iterations, {
      for key in keys { try map.update(key, UInt64(key) * 3) }
    }, {
      let result = keys.withUnsafeBufferPointer { lbh_map_update_each(raw, $0.baseAddress, Int32($0.count)) }
      if result != 0 { throw BenchError.mismatch("libbpf update: errno \(-result)") }
    })
    report.addTime("\(operations) single updates", ours: updateOurs, libbpf: updateTheirs, target: 1.1)

    var oursKeys = 0, theirsKeys: Int64 = 0
    let (walkOurs, walkTheirs) = try Timing.measurePair(warmup: 0, iterations: max(1, iterations / 5), {
      var n = 0
      for _ in map.keys { n += 1 }
      oursKeys = n
    }, {
      var keySum: UInt64 = 0
      theirsKeys = lbh_map_walk_keys(raw, &keySum)
    })
    if oursKeys != entries || theirsKeys != Int64(entries) {
      throw BenchError.mismatch("walk: ours \(oursKeys) keys, libbpf \(theirsKeys), expected \(entries)")
    }
    report.addTime("walk all \(entries) keys", ours: walkOurs, libbpf: walkTheirs)

    let total = all.reduce(UInt64(0)) { $0 &+ UInt64($1) * 3 }
    var batchOurs: UInt64 = 0, batchTheirs: UInt64 = 0
    let (readOurs, readTheirs) = try Timing.measurePair(warmup: 1, iterations: max(1, iterations / 2), {
      batchOurs = try map.lookupAll(batchSize: batch).reduce(UInt64(0)) { $0 &+ $1.value }
    }, {
      var sum: UInt64 = 0
      let n = lbh_map_lookup_all_batched(raw, UInt32(batch), &sum)
      if n != Int64(entries) { throw BenchError.mismatch("libbpf batch read \(n) entries") }
      batchTheirs = sum
    })
    try check("batch read", batchOurs, batchTheirs, total)
    report.addTime("batch-read all \(entries) entries", ours: readOurs, libbpf: readTheirs, target: 1.0)

    // The same batches visited in place (`forEachEntry`), the work the
    // libbpf side does: it sums each batch's values and builds nothing.
    var visitOurs: UInt64 = 0, visitTheirs: UInt64 = 0
    let (visitTimeOurs, visitTimeTheirs) = try Timing.measurePair(warmup: 1, iterations: max(1, iterations / 2), {
      var sum: UInt64 = 0
      try map.forEachEntry(batchSize: batch) { _, value in sum &+= value }
      visitOurs = sum
    }, {
      var sum: UInt64 = 0
      let n = lbh_map_lookup_all_batched(raw, UInt32(batch), &sum)
      if n != Int64(entries) { throw BenchError.mismatch("libbpf batch read \(n) entries") }
      visitTheirs = sum
    })
    try check("batch visit", visitOurs, visitTheirs, total)
    report.addTime("visit all \(entries) entries in batches (forEachEntry)", ours: visitTimeOurs, libbpf: visitTimeTheirs,
                   target: 1.0)
    print(report.render())
  }

  /// One workload alone, for `perf record -g` (see `--profile`).
  func runProfile(_ workload: String, map: TypedMap<UInt32, UInt64>, raw: Int32, keys: [UInt32]) throws {
    var sum: UInt64 = 0
    for _ in 0..<iterations {
      switch workload {
      case "ours-lookups": for key in keys { sum &+= try map.lookup(key) ?? 0 }
      case "libbpf-lookups": sum &+= keys.withUnsafeBufferPointer { lbh_map_lookup_each(raw, $0.baseAddress, Int32($0.count)) }
      case "ours-updates": for key in keys { try map.update(key, UInt64(key) * 3) }
      case "libbpf-updates": _ = keys.withUnsafeBufferPointer { lbh_map_update_each(raw, $0.baseAddress, Int32($0.count)) }
      case "ours-walk": for key in map.keys { sum &+= UInt64(key) }
      case "libbpf-walk": var s: UInt64 = 0; _ = lbh_map_walk_keys(raw, &s); sum &+= s
      case "ours-batch": sum &+= try map.lookupAll(batchSize: batch).reduce(UInt64(0)) { $0 &+ $1.value }
      case "libbpf-batch": var s: UInt64 = 0; _ = lbh_map_lookup_all_batched(raw, UInt32(batch), &s); sum &+= s
      default: throw BenchError.mismatch("unknown --profile workload \(workload)")
      }
    }
    print("\(workload): sum \(sum)")
  }

  func check(_ what: String, _ ours: UInt64, _ theirs: UInt64, _ expected: UInt64) throws {
    guard ours == expected, theirs == expected else {
      throw BenchError.mismatch("\(what): ours summed \(ours), libbpf \(theirs), expected \(expected)")
    }
  }
}
