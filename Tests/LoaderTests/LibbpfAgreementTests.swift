import Foundation
import Loader
import Testing
import TestSupport

/// Where libbpf (bpftool 7.1, libbpf 1.1) loads an object on this kernel,
/// SwiftBPF loads the same programs, with the same translated size (the
/// kernel's `xlated_prog_len`, which shows identical code after linking
/// and relocation).
@Suite(.kernel, .serialized) struct LibbpfAgreementTests {
  /// Objects bpftool `prog loadall` loads here (Fixtures/README.md), and
  /// external objects given with SWIFTBPF_EXTERNAL_OBJECTS. maps.bpf.o is
  /// left out: libbpf would pin pinned_counts under the real /sys/fs/bpf.
  static var objects: [String] {
    ["programs.bpf.o", "ringbuf.bpf.o", "core.bpf.o", "cpuv4.bpf.o", "btf_kinds.bpf.o", "usdt.bpf.o"].map {
      Fixture.object($0).path
    } + Fixture.externalObjects.map(\.path)
  }

  @Test(arguments: objects) func sameProgramsAsLibbpf(_ path: String) throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    let run = try runProcess(bpftool, ["prog", "loadall", path, pins])
    guard run.status == 0 else {
      // libbpf could not load it: nothing to agree on (external objects may target other kernels).
      #expect(Fixture.externalObjects.contains { $0.path == path }, "bpftool failed: \(run.stderr)")
      return
    }
    var libbpf = [String: Int]()
    for name in try FileManager.default.contentsOfDirectory(atPath: pins) {
      let show = try runProcess(bpftool, ["prog", "show", "pinned", "\(pins)/\(name)", "--json"])
      let json = try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any]
      libbpf[name] = json?["bytes_xlated"] as? Int
    }
    let loaded = try Object.open(path: path, options: OpenOptions(pinRoot: pins)).load()
    defer { loaded.close() }
    var ours = [String: Int]()
    for program in loaded.programs { ours[program.name] = Int(try program.info().translatedLength) }
    #expect(ours == libbpf)
  }

  /// Global data maps: libbpf's names (object name prefix cut to fit 15
  /// bytes, none for custom sections), value sizes and flags, on a copy of
  /// globals.bpf.o with a long file name.
  @Test func internalMapsAsLibbpfCreatesThem() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("swiftbpf-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let copy = dir.appendingPathComponent("averyveryverylongname.bpf.o")
    try FileManager.default.copyItem(at: Fixture.object("globals.bpf.o"), to: copy)
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    // `prog load` (not loadall, which would pin the not-autoloaded program).
    let load = try runProcess(bpftool, ["prog", "load", copy.path, "\(pins)/prog"])
    try #require(load.status == 0, "\(load.stderr)")
    let prog = try runProcess(bpftool, ["prog", "show", "pinned", "\(pins)/prog", "--json"])
    let ids = try #require((try JSONSerialization.jsonObject(with: Data(prog.stdout.utf8)) as? [String: Any])?["map_ids"] as? [Int])
    var libbpf = [String: [Int]]()
    for id in ids {
      let show = try runProcess(bpftool, ["map", "show", "id", String(id), "--json"])
      let map = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
      libbpf[try #require(map["name"] as? String)] = [map["bytes_value"] as? Int ?? -1, map["flags"] as? Int ?? -1]
    }
    let loaded = try Object.open(path: copy.path).load()
    defer { loaded.close() }
    var ours = [String: [Int]]()
    for map in loaded.maps {
      let info = try map.info()
      ours[info.name] = [Int(info.valueSize), Int(info.flags.rawValue)]
    }
    #expect(ours == libbpf)
  }
}
