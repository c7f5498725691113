import ArgumentParser
import LibBPFHarness
import SwiftBPF

#if canImport(Glibc)
import Glibc
#endif

/// `swiftbpf-bench btf`: parsing and C-dumping the kernel's BTF, ours against
/// libbpf, timed in this process and memory-measured in fresh children.
struct BTFBenchmark: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "btf",
    abstract: "Parse + find task_struct, and dump as C: SwiftBPF vs libbpf.")

  @Option(help: "Raw BTF file to use.")
  var path = "/sys/kernel/btf/vmlinux"

  @Option(help: "Timed iterations of parse + find.")
  var iterations = 50

  @Option(help: "Timed iterations of the C dump.")
  var dumpIterations = 10

  @Option(help: "Untimed iterations before each timing.")
  var warmup = 5

  @Option(help: "Child processes per workload for peak memory (the median is kept).")
  var memoryRuns = 3

  @Option(help: "Directory to write ours.h and libbpf.h (the dumps) into.")
  var saveDumps: String?

  @Option(help: "Run only this workload (\(BTFWorkload.allCases.map(\.rawValue).joined(separator: ", "))), for a profiler.")
  var profile: String?

  @Option(help: "Times --profile runs its workload.")
  var repetitions: Int = 100

  @Option(help: .hidden)
  var child: String?

  mutating func validate() throws {
    guard iterations > 0, dumpIterations > 0, warmup >= 0, memoryRuns > 0 else {
      throw ValidationError("iteration counts must be positive")
    }
    for name in [child, profile].compactMap({ $0 }) where BTFWorkload(rawValue: name) == nil {
      throw ValidationError("unknown workload \(name)")
    }
  }

  func run() throws {
    if let child, let workload = BTFWorkload(rawValue: child) {
      // Child: run once, print the peak in bytes, nothing else on stdout.
      blackHole(try workload.run(path: path))
      print(PeakMemory.ofThisProcess())
      return
    }
    if let profile, let workload = BTFWorkload(rawValue: profile) {
      // For `valgrind --tool=callgrind` or `perf record`: the workload alone.
      for _ in 0 ..< repetitions { blackHole(try workload.run(path: path)) }
      return
    }
    var report = Report(title: "BTF: \(path)")
    report.notes.append(Report.machine() + ", libbpf " + String(cString: lbh_version()))
    try describeInput(&report)
    try benchmarkParse(&report)
    try benchmarkDump(&report)
    try measureMemory(&report)
    print(report.render())
  }

  private func describeInput(_ report: inout Report) throws {
    let btf = try BTF(contentsOf: path)
    let libbpf = try LibBPFBTF(path: path)
    guard btf.typeCount == libbpf.typeCount else {
      throw BenchError.mismatch("type count: ours \(btf.typeCount), libbpf \(libbpf.typeCount)")
    }
    report.notes.append("\(btf.byteCount) bytes, \(btf.typeCount) type ids (same count in libbpf)")
  }

  /// (1) parse + look up task_struct; also each half alone, for profiling.
  private func benchmarkParse(_ report: inout Report) throws {
    let ours = try BTFWorkload.oursParseFind(path: path)
    let theirs = try BTFWorkload.libbpfParseFind(path: path)
    guard Int64(ours) == Int64(theirs) else {
      throw BenchError.mismatch("\(BTFWorkload.structName) id: ours \(ours), libbpf \(theirs)")
    }
    report.notes.append("\(BTFWorkload.structName) is type id \(ours) on both sides")

    let path = path
    let (oursTime, theirsTime) = try Timing.measurePair(
      warmup: warmup, iterations: iterations,
      { blackHole(try BTFWorkload.oursParseFind(path: path)) },
      { blackHole(try BTFWorkload.libbpfParseFind(path: path)) })
    report.addTime("parse + find task_struct", ours: oursTime, libbpf: theirsTime, target: 0.5, aim: 0.2)

    // Breakdown: parse alone on both sides, and our first lookup alone.
    let (oursInit, theirsInit) = try Timing.measurePair(
      warmup: warmup, iterations: iterations,
      { blackHole(try BTF(contentsOf: path)) },
      { blackHole(try LibBPFBTF(path: path)) })
    report.addTime("  parse only", ours: oursInit, libbpf: theirsInit)
    // The lookup alone: a fresh BTF each time, so the name index is built.
    var lookupSamples = [UInt64]()
    for index in 0 ..< warmup + iterations {
      let btf = try BTF(contentsOf: path)
      let start = monotonicNanoseconds()
      blackHole(try btf.type(named: BTFWorkload.structName, kind: .struct))
      let elapsed = monotonicNanoseconds() - start
      if index >= warmup { lookupSamples.append(elapsed) }
    }
    report.addTime("  first lookup only (ours)", ours: Timing(samples: lookupSamples), libbpf: nil)

    // The last named type: libbpf's find is a linear scan from id 1, which
    // stops early for task_struct (id ~100); this is the scan's worst case.
    let (late, kind) = try lastNamedType()
    let oursLate = try BTFWorkload.oursParseFind(path: path, name: late, kind: kind)
    let theirsLate = try BTFWorkload.libbpfParseFind(path: path, name: late, kind: kind)
    guard Int64(oursLate) == Int64(theirsLate) else {
      throw BenchError.mismatch("\(late) id: ours \(oursLate), libbpf \(theirsLate)")
    }
    report.notes.append("last named type: \(kind.kernelName) \(late), type id \(oursLate) on both sides")
    let (oursLateTime, theirsLateTime) = try Timing.measurePair(
      warmup: warmup, iterations: iterations,
      { blackHole(try BTFWorkload.oursParseFind(path: path, name: late, kind: kind)) },
      { blackHole(try BTFWorkload.libbpfParseFind(path: path, name: late, kind: kind)) })
    report.addTime("parse + find last named type", ours: oursLateTime, libbpf: theirsLateTime)
  }

  /// The name and kind of the named type with the highest id.
  private func lastNamedType() throws -> (String, BTF.Kind) {
    let btf = try BTF(contentsOf: path)
    for raw in btf.allTypeIDs.reversed() {
      let id = BTF.TypeID(raw)
      let name = try btf.nameString(of: id)
      if !name.isEmpty { return (name, try btf.kind(of: id)) }
    }
    throw BenchError.mismatch("no named type in \(path)")
  }

  /// (2) dump every type as C, both sides from an already parsed BTF.
  private func benchmarkDump(_ report: inout Report) throws {
    let libbpf = try LibBPFBTF(path: path)
    let btf = try BTF(contentsOf: path)
    let theirsBytes = try libbpf.dumpC()
    let oursText = try BTF.CHeader.render(btf)
    report.notes.append("C dump: ours \(oursText.utf8.count) bytes, libbpf \(theirsBytes) bytes")
    if let dir = saveDumps { try save(dir: dir, ours: oursText, libbpf: libbpf) }

    let (oursTime, theirsTime) = try Timing.measurePair(
      warmup: 1, iterations: dumpIterations,
      { blackHole(try BTF.CHeader.render(btf)) },
      { blackHole(try libbpf.dumpC()) })
    report.addTime("dump all types as C", ours: oursTime, libbpf: theirsTime)
  }

  private func save(dir: String, ours: String, libbpf: LibBPFBTF) throws {
    let libbpfPath = "\(dir)/libbpf.h"
    let fd = open(libbpfPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw BenchError.io(path: libbpfPath, errno: errno) }
    defer { close(fd) }
    _ = try libbpf.dumpC(into: fd)
    let oursPath = "\(dir)/ours.h"
    guard let file = fopen(oursPath, "w") else { throw BenchError.io(path: oursPath, errno: errno) }
    defer { fclose(file) }
    fputs(ours, file)
  }

  /// Peak memory of each workload in fresh children, minus a do-nothing child.
  private func measureMemory(_ report: inout Report) throws {
    func peak(_ workload: BTFWorkload) throws -> Int {
      var runs = [Int]()
      for _ in 0 ..< memoryRuns {
        runs.append(try PeakMemory.ofChild(arguments: ["btf", "--path", path, "--child", workload.rawValue]))
      }
      return runs.sorted()[runs.count / 2]
    }
    let baseline = try peak(.none)
    report.notes.append("memory baseline (child doing nothing): \(Report.megabytes(baseline))")
    report.addMemory(
      "parse + find task_struct", ours: try peak(.oursParse) - baseline,
      libbpf: try peak(.libbpfParse) - baseline, target: 1.0)
    report.addMemory(
      "  ours from a copy in memory", ours: try peak(.oursParseCopy) - baseline,
      libbpf: try peak(.libbpfParse) - baseline)
    report.addMemory(
      "parse + dump as C", ours: try peak(.oursDump) - baseline,
      libbpf: try peak(.libbpfDump) - baseline)
  }
}
