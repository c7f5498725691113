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
}
