import Foundation
import Testing
import TestSupport

/// `swiftbpf load`: its JSON contract, and what it reports for objects that
/// load, objects the verifier rejects and objects that load only in part.
/// Expected values come from the fixtures' headers, Fixtures/README.md and
/// bpftool (libbpf) loading the same object.
@Suite("swiftbpf load", .serialized)
struct LoadCommandTests {
  @Test("a missing file is a typed error, without privileges too")
  func missingFile() throws {
    let run = try swiftbpf(["load", "--json", "/nonexistent/x.bpf.o"])
    #expect(run.status != 0)
    let error = try #require(try jsonObject(run.stdout)["error"] as? [String: Any])
    #expect(error["kind"] as? String == "LoadError.open")
    #expect((error["message"] as? String)?.contains("/nonexistent/x.bpf.o") == true)
  }

  @Test("every program of programs.bpf.o loads, with libbpf's translated sizes", .kernel)
  func loadsPrograms() throws {
    let object = Fixture.object("programs.bpf.o")
    let run = try swiftbpf(["load", "--json", object.path])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try jsonObject(run.stdout)
    let programs = try #require(json["programs"] as? [[String: Any]])
    // programs.bpf.c's header, in object order.
    #expect(programs.compactMap { $0["name"] as? String }
            == ["xdp_pass", "xdp_drop", "xdp_dispatch", "test_subprogs", "count_packets", "count_bytes"])
    #expect(programs.allSatisfy { $0["loaded"] as? Bool == true && $0["error"] is NSNull })
    #expect(programs.first?["type"] as? String == "BPF_PROG_TYPE_XDP")
    let maps = try #require(json["maps"] as? [[String: Any]])
    #expect(maps.compactMap { $0["name"] as? String } == ["jump_table", "programs.bss"])
    #expect(maps.allSatisfy { ($0["id"] as? Int ?? 0) > 0 })
    #expect(maps.first?["type"] as? String == "BPF_MAP_TYPE_PROG_ARRAY")
    // bpftool (libbpf 1.1) loading the same object reports the same sizes.
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let dir = "/sys/fs/bpf/swiftbpf-cli-\(getpid())"
    try #require(mkdir(dir, 0o700) == 0)
    defer {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] { unlink("\(dir)/\(name)") }
      rmdir(dir)
    }
    try #require(try runProcess(bpftool, ["prog", "loadall", object.path, dir]).status == 0)
    for program in programs {
      let name = try #require(program["name"] as? String)
      let show = try runProcess(bpftool, ["prog", "show", "pinned", "\(dir)/\(name)", "--json"])
      let info = try jsonObject(show.stdout)
      #expect((info["bytes_xlated"] as? Int).map { $0 / 8 } == program["xlatedInstructions"] as? Int, "\(name)")
      #expect((program["jitedBytes"] as? Int ?? 0) > 0)
    }
  }

  @Test("verifier errors name the source line; the exit status says it failed", .kernel)
  func verifierErrors() throws {
    let run = try swiftbpf(["load", "--json", Fixture.object("err_verifier.bpf.o").path])
    #expect(run.status != 0)
    let programs = try #require(try jsonObject(run.stdout)["programs"] as? [[String: Any]])
    let byName = Dictionary(uniqueKeysWithValues: programs.compactMap { p in (p["name"] as? String).map { ($0, p) } })
    // err_verifier.bpf.c's header: lines 39 and 48.
    for (name, line) in [("null_deref", 39), ("packet_oob", 48)] {
      let program = try #require(byName[name])
      #expect(program["loaded"] as? Bool == false)
      #expect(program["xlatedInstructions"] is NSNull)
      #expect((program["error"] as? String)?.contains("err_verifier.bpf.c:\(line)") == true, "\(name)")
    }
    let text = try swiftbpf(["load", Fixture.object("err_verifier.bpf.o").path])
    #expect(text.status != 0)
    #expect(text.stdout.contains("R0 invalid mem access 'map_value_or_null'"))
  }

  /// The programs of an object as llvm-objdump lists them: function symbols
  /// outside `.text` (which holds subprograms), with their sections.
  static func programSymbols(_ object: URL) throws -> [(name: String, section: String)] {
    guard let objdump = Toolchain.tool("llvm-objdump") else {
      try #require(!TestEnvironment.mustNotSkip, "llvm-objdump missing")
      try Test.cancel("skipped: llvm-objdump missing")
    }
    let run = try runTool(objdump, ["--syms", object.path])
    try #require(run.status == 0)
    var symbols: [(name: String, section: String)] = []
    // "0000000000000000 g     F fentry/do_unlinkat	0000000000000010 fentry_unlinkat"
    for line in run.output.split(separator: "\n") {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let f = fields.firstIndex(of: "F"), f + 3 < fields.count + 1, f + 1 < fields.count else { continue }
      let section = String(fields[f + 1])
      if section == ".text" { continue }
      symbols.append((String(fields[fields.count - 1]), section))
    }
    return symbols
  }

  /// Whether bpftool's kernel feature probe says a program type is missing.
  static func bpftoolSaysUnavailable(programType: String) throws -> Bool? {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      try #require(!TestEnvironment.mustNotSkip, "bpftool missing")
      return nil
    }
    let probe = try runTool(bpftool, ["feature", "probe", "kernel"])
    try #require(probe.status == 0)
    if probe.output.contains("program_type \(programType) is NOT available") { return true }
    if probe.output.contains("program_type \(programType) is available") { return false }
    return nil
  }

  /// Whether libbpf (through bpftool) loads a minimal fentry program on this
  /// kernel: true when it loads, false when the kernel refuses it with EPERM,
  /// nil when clang or bpftool is missing. Independent of swiftbpf.
  static func libbpfLoadsFentry() throws -> Bool? {
    guard let clang = Toolchain.tool("clang"), let bpftool = Toolchain.systemTool("bpftool") else {
      try #require(!TestEnvironment.mustNotSkip, "clang or bpftool missing")
      return nil
    }
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("swiftbpf-fentry-\(getpid())-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let source = dir.appendingPathComponent("probe.bpf.c"), object = dir.appendingPathComponent("probe.bpf.o")
    try """
      #include <linux/bpf.h>
      #include <bpf/bpf_helpers.h>
      SEC("fentry/bpf_fentry_test1") int probe(void *ctx) { return 0; }
      char LICENSE[] SEC("license") = "GPL";
      """.write(to: source, atomically: true, encoding: .utf8)
    #if arch(x86_64)
    let multiarch = "/usr/include/x86_64-linux-gnu"
    #else
    let multiarch = "/usr/include/aarch64-linux-gnu"
    #endif
    let build = try runProcess(clang, ["-target", "bpf", "-O2", "-g", "-I", multiarch, "-c", source.path,
                                       "-o", object.path])
    try #require(build.status == 0, "clang failed on the fentry probe: \(build.stderr)")
    let pin = "/sys/fs/bpf/swiftbpf-fentry-\(getpid())-\(UUID().uuidString.prefix(8))"
    let load = try runProcess(bpftool, ["prog", "load", object.path, pin])
    if load.status == 0 {
      try? FileManager.default.removeItem(atPath: pin)
      return true
    }
    try #require(load.stderr.contains("Operation not permitted"), "bpftool prog load failed otherwise: \(load.stderr)")
    return false
  }

  @Test("one refused program does not hide the others", .kernel)
  func partialLoad() throws {
    let object = Fixture.object("sections.bpf.o")
    let symbols = try Self.programSymbols(object)
    // SEC("?...") programs are not autoloaded.
    let autoloaded = symbols.filter { !$0.section.hasPrefix("?") }
    let notAutoloaded = symbols.filter { $0.section.hasPrefix("?") }.map(\.name)
    try #require(!autoloaded.isEmpty && !notAutoloaded.isEmpty, "sections.bpf.o: \(symbols.count) symbols")

    let run = try swiftbpf(["load", "--json", object.path])
    #expect(run.status != 0)
    let programs = try #require(try jsonObject(run.stdout)["programs"] as? [[String: Any]])
    let names = programs.compactMap { $0["name"] as? String }
    #expect(Set(names) == Set(autoloaded.map(\.name)))
    #expect(programs.count == autoloaded.count)
    for name in notAutoloaded { #expect(!names.contains(name), "\(name) is not autoloaded") }

    // Each program either loaded (with translated instructions) or failed
    // with an error that names it; one refusal does not stop the others.
    var failed = Set<String>()
    for program in programs {
      let name = try #require(program["name"] as? String)
      if program["loaded"] as? Bool == true {
        #expect((program["xlatedInstructions"] as? Int ?? 0) > 0, "\(name)")
        #expect(program["error"] == nil || program["error"] is NSNull, "\(name)")
      } else {
        failed.insert(name)
        let error = try #require(program["error"] as? String, "\(name) failed without an error")
        #expect(error.contains(name), "\(name): \(error)")
      }
    }
    #expect(!failed.isEmpty, "the command exited \(run.status) with no failed program")
    #expect(failed.count < programs.count, "nothing loaded")

    // Every failure is of a kind KERNEL.md lists as refused or missing here
    // (trampolines, freplace, LSM, lirc_mode2) or a struct_ops program,
    // which only loads through a struct_ops map.
    let refusable = ["fentry", "fexit", "fmod_ret", "freplace", "lsm", "lsm_cgroup", "lirc_mode2", "struct_ops"]
    let sectionOf = Dictionary(autoloaded.map { ($0.name, $0.section) }, uniquingKeysWith: { a, _ in a })
    for name in failed {
      let section = sectionOf[name] ?? ""
      let kind = section.split(separator: "/").first.map { $0.split(separator: ".").first.map(String.init) ?? "" } ?? ""
      #expect(refusable.contains(kind), "\(name) (\(section)) failed")
    }
    // The failures, derived without swiftbpf: trampoline programs (fentry,
    // fexit, fmod_ret, freplace, LSM) fail where libbpf's load of a minimal
    // fentry program is refused; lirc_mode2 where bpftool's probe says the
    // type is missing; struct_ops programs where the object has no
    // .struct_ops map section to load them through.
    let fentryLoads = try Self.libbpfLoadsFentry()
    let lircMissing = try Self.bpftoolSaysUnavailable(programType: "lirc_mode2")
    guard let fentryLoads, let lircMissing, let objdump = Toolchain.tool("llvm-objdump") else { return }
    let headers = try runTool(objdump, ["--section-headers", object.path]).output
    let hasStructOpsMap = headers.split(separator: "\n").contains {
      $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first?.hasPrefix(".struct_ops") == true
    }
    let trampolineKinds: Set<String> = ["fentry", "fexit", "fmod_ret", "freplace", "lsm", "lsm_cgroup"]
    var expectedFailed = Set<String>(), trampolinePrograms = Set<String>()
    for (name, section) in autoloaded {
      let kind = section.split(separator: "/").first.map { $0.split(separator: ".").first.map(String.init) ?? "" } ?? ""
      if trampolineKinds.contains(kind) {
        trampolinePrograms.insert(name)
        if !fentryLoads { expectedFailed.insert(name) }
      }
      if kind == "lirc_mode2" && lircMissing { expectedFailed.insert(name) }
      if kind == "struct_ops" && !hasStructOpsMap { expectedFailed.insert(name) }
    }
    if fentryLoads {
      // Where trampolines load, freplace still needs a target program: only
      // the other programs are compared.
      #expect(failed.subtracting(trampolinePrograms) == expectedFailed.subtracting(trampolinePrograms))
    } else {
      #expect(failed == expectedFailed)
      let fentry = programs.first { $0["name"] as? String == "fentry_unlinkat" }
      #expect((fentry?["error"] as? String)?.contains("EPERM") == true)
    }
  }

  @Test("--verbose adds the loader's debug log on stderr and leaves stdout as it was", .kernel)
  func verboseLogsOnStderr() throws {
    let object = Fixture.object("maps.bpf.o").path
    let dir = "/sys/fs/bpf/swiftbpf-cli-verbose-\(getpid())"
    try #require(mkdir(dir, 0o700) == 0)
    defer {
      for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] { unlink("\(dir)/\(name)") }
      rmdir(dir)
    }
    // The first load pins pinned_counts, the next ones reuse it.
    _ = try swiftbpf(["load", "--json", object, "--pin", dir])
    let quiet = try swiftbpf(["load", "--json", object, "--pin", dir])
    let verbose = try swiftbpf(["load", "--json", object, "--pin", dir, "--verbose"])
    #expect(quiet.status == 0 && verbose.status == 0, "\(verbose.stderr)")
    #expect(quiet.stderr.isEmpty, "\(quiet.stderr)")
    // Map ids differ from load to load; everything else is the same.
    func withoutIDs(_ json: String) -> [Substring] {
      json.split(separator: "\n").filter { !$0.contains("\"id\" :") }
    }
    #expect(withoutIDs(verbose.stdout) == withoutIDs(quiet.stdout))
    #expect(!withoutIDs(quiet.stdout).isEmpty)
    // swift-log's StreamLogHandler lines: level, label, metadata, message.
    let lines = verbose.stderr.split(separator: "\n")
    #expect(lines.allSatisfy { $0.contains(" debug swiftbpf: ") && $0.contains("object=maps") }, "\(verbose.stderr)")
    #expect(lines.contains { $0.contains("map=pinned_counts") && $0.hasSuffix("reusing the map pinned at \(dir)/pinned_counts") })
    #expect(lines.contains { $0.contains("program=exercise_maps") && $0.contains("loaded: BPF_PROG_TYPE_RAW_TRACEPOINT") })
    #expect(lines.contains { $0.contains("BTF uploaded") })
  }

}
