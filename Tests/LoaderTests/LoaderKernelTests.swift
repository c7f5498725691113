import BTF
import Foundation
import Glibc
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// Loading the fixtures into the running kernel. Expected values come from
/// the fixtures' headers, the kernel (program return values, map info) and
/// the system (getpid, /proc).
@Suite(.kernel, .serialized) struct LoaderKernelTests {
  /// Fixtures/README.md: these load on this kernel (struct_ops: its programs).
  static let loadable = ["programs.bpf.o", "globals.bpf.o", "maps.bpf.o", "ringbuf.bpf.o", "core.bpf.o",
                         "cpuv4.bpf.o", "btf_kinds.bpf.o", "usdt.bpf.o", "legacy_maps.bpf.o", "struct_ops.bpf.o"]

  @Test(arguments: loadable) func everyAutoloadProgramLoads(_ fixture: String) throws {
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    let log = LogCapture()
    let object = try Object.open(path: Fixture.object(fixture).path, options: OpenOptions(pinRoot: pins, logger: log.logger))
    let loaded = try object.load()
    defer { loaded.close() }
    let expected = object.programs.filter(\.autoload).map(\.name)
    #expect(!expected.isEmpty)
    #expect(loaded.programs.map(\.name) == expected)
    for program in loaded.programs {
      let info = try program.info()
      #expect(info.translatedLength > 0 && info.translatedLength % 8 == 0, "\(program.name)")
      #expect(info.type == program.type)
    }
    // The object BTF was accepted (no "loaded without it" warning), and
    // nothing else fell back.
    #expect(log.records.allSatisfy { $0.level < .warning }, "\(log.records)")
    #expect(!log.records(.debug, containing: "BTF uploaded").isEmpty, "\(log.records)")
  }

  @Test(arguments: [("null_deref", 39, "R0 invalid mem access 'map_value_or_null'"),
                    ("packet_oob", 48, "R1 offset is outside of the packet")])
  func verifierErrorNamesTheSourceLine(_ program: String, _ line: Int, _ message: String) throws {
    var object = try Object.open(path: Fixture.object("err_verifier.bpf.o").path)
    for other in object.programs where other.name != program {
      try object.withProgram(other.name) { $0.autoload = false }
    }
    let error = try #require(loadError { _ = try object.load() })
    guard case .verifierRejected(let name, let report) = error else {
      Issue.record("unexpected \(error)")
      return
    }
    #expect(name == program)
    #expect(report.errorLine.hasSuffix(message), "\(report.errorLine)")
    #expect(report.source?.line == line)
    #expect(report.source?.file.hasSuffix("err_verifier.bpf.c") == true)
    #expect(error.description.contains("err_verifier.bpf.c:\(line)"))
  }

  @Test func subprogramsCallbacksAndTailCallsRun() throws {
    let loaded = try KernelSupport.load("programs.bpf.o")
    defer { loaded.close() }
    #expect(try KernelSupport.run(loaded, "test_subprogs") == 0)
    // programs.bpf.c: jump_table[first byte]; [0] xdp_pass (2), [1] xdp_drop (1), [2] empty (0).
    func packet(_ first: UInt8) -> [UInt8] { [first] + [UInt8](repeating: 0, count: 63) }
    #expect(try KernelSupport.run(loaded, "xdp_dispatch", data: packet(0)) == 2)
    #expect(try KernelSupport.run(loaded, "xdp_dispatch", data: packet(1)) == 1)
    #expect(try KernelSupport.run(loaded, "xdp_dispatch", data: packet(2)) == 0)
  }

  @Test func globalDataBothWays() throws {
    let loaded = try KernelSupport.load("globals.bpf.o") { object in
      try object.setVariable("data_counter", to: Int32(100))
      try object.setVariable("custom_data", to: Int32(50))
    }
    defer { loaded.close() }
    #expect(try KernelSupport.run(loaded, "check_globals") == 0)
    // The program added 1 to each (globals.bpf.c), seen through the mappings.
    #expect(try loaded.variable("data_counter", as: Int32.self) == 101)
    #expect(try loaded.variable("custom_data", as: Int32.self) == 51)
    #expect(try loaded.variable("bss_runs", as: UInt32.self) == 1)
    #expect(try loaded.variable("bss_total", as: UInt64.self) == 1)
    // Written from Swift, seen by the next run.
    try loaded.setVariable("bss_runs", to: UInt32(10))
    #expect(try KernelSupport.run(loaded, "check_globals") == 0)
    #expect(try loaded.variable("bss_runs", as: UInt32.self) == 11)
    // .rodata: frozen; neither the mapping nor BPF_MAP_UPDATE_ELEM may change it.
    #expect(try loaded.variable("rodata_limit", as: UInt32.self) == 42)
    #expect(throws: LoadError.self) { try loaded.setVariable("rodata_limit", to: UInt32(1)) }
    let rodata = try #require(loaded.data(".rodata")?.borrowedFD)
    var key: UInt32 = 0
    var value = [UInt8](repeating: 0, count: 12)
    #expect(throws: SyscallError.self) {
      try withUnsafePointer(to: &key) { k in try value.withUnsafeMutableBytes { v in
        try BPF.update(map: rodata, key: k, value: v.baseAddress!)
      } }
    }
    // Untyped ksym: the address the loader gave __start_BTF equals /proc/kallsyms.
    // (procfs reports size 0, so read it with grep rather than Foundation.)
    let kallsyms = try runTool("/bin/grep", [" __start_BTF$", "/proc/kallsyms"]).output
    let line = try #require(kallsyms.split(separator: "\n").first { $0.hasSuffix(" __start_BTF") })
    let address = try #require(UInt64(line.split(separator: " ")[0], radix: 16))
    #expect(try loaded.variable("btf_start_address", as: UInt64.self) == address)
  }

  @Test func kconfigMatchesProcConfig() throws {
    guard let zcat = Toolchain.systemTool("zcat") else {
      if TestEnvironment.mustNotSkip { Issue.record("zcat missing") }
      return
    }
    let config = try runTool(zcat, ["/proc/config.gz"]).output
    let hzLine = try #require(config.split(separator: "\n").first { $0.hasPrefix("CONFIG_HZ=") })
    let hz = try #require(Int32(hzLine.dropFirst("CONFIG_HZ=".count)))
    let loaded = try KernelSupport.load("globals.bpf.o")
    defer { loaded.close() }
    // Offsets of the externs as the kernel holds them: the map's BTF DATASEC.
    let map = try #require(loaded.map(named: ".kconfig"))
    let info = try map.info()
    try #require(info.btfID != 0, "the .kconfig map has no BTF")
    let btfFD = try BPF.open(.btf, id: info.btfID)
    let btf = try BTF(bytes: try BPF.btfData(btfFD.borrowed))
    let section = try btf.type(named: ".kconfig", kind: .dataSection)
    var offsets = [String: Int]()
    for v in try btf.variables(of: section) { offsets[try btf.nameString(of: v.type)] = Int(v.offset) }
    func int32(_ name: String) throws -> Int32 {
      let at = try #require(offsets[name], "\(name) not in .kconfig")
      let bytes = try map.read(at: at, count: 4)
      return Int32(bitPattern: u32(bytes, 0))
    }
    #expect(try int32("CONFIG_HZ") == hz)
    #expect(try int32("CONFIG_SWIFTBPF_NOT_A_CONFIG") == 0)
    var names = utsname()
    uname(&names)
    let release = withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    let parts = release.split(whereSeparator: { !$0.isNumber }).prefix(3).compactMap { Int32($0) }
    try #require(parts.count == 3)
    #expect(try int32("LINUX_KERNEL_VERSION") == parts[0] << 16 | parts[1] << 8 | min(parts[2], 255))
    let jit = try #require(offsets["CONFIG_BPF_JIT"])
    #expect(try map.read(at: jit, count: 4) == le32(config.contains("\nCONFIG_BPF_JIT=y") ? 1 : 0))
  }

  @Test func coreReadsOfTheCurrentTask() throws {
    let loaded = try KernelSupport.load("core.bpf.o")
    defer { loaded.close() }
    // /proc/thread-self links to "<pid>/task/<tid>".
    let link = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")
    let tid = try #require(UInt32(link.split(separator: "/").last ?? ""))
    let comm = try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)
      .trimmingCharacters(in: .newlines)
    #expect(try KernelSupport.run(loaded, "core_task") == 0)
    // struct task_info (core.bpf.c): pid, tgid, ppid, in_execve, arg_start, f_flags, f_mode, comm[16].
    let bytes = try loaded.variableBytes("task_out")
    try #require(bytes.count == 48)
    #expect(u32(bytes, 0) == tid)
    #expect(u32(bytes, 4) == UInt32(getpid()))
    #expect(u32(bytes, 8) == UInt32(getppid()))
    #expect(u32(bytes, 12) == 0)
    let name = String(decoding: bytes[32 ..< 48].prefix { $0 != 0 }, as: UTF8.self)
    #expect(name == comm)
  }

  @Test func otherRunnableFixturesReturnZero() throws {
    for (fixture, programs) in [("cpuv4.bpf.o", ["cpuv4_ops", "jumps"]), ("legacy_maps.bpf.o", ["count_legacy"]),
                                ("btf_kinds.bpf.o", ["kinds_probe"])] {
      let loaded = try KernelSupport.load(fixture)
      defer { loaded.close() }
      for program in programs {
        #expect(try KernelSupport.run(loaded, program) == 0, "\(fixture) \(program)")
      }
    }
    let pins = try KernelSupport.bpffsDirectory()
    defer { KernelSupport.removeBPFFSDirectory(pins) }
    let maps = try KernelSupport.load("maps.bpf.o", pinRoot: pins)
    defer { maps.close() }
    #expect(try KernelSupport.run(maps, "exercise_maps") == 0)
    #expect(try KernelSupport.run(maps, "tail_target") == 7)
  }

  /// Where the kernel refuses a minimal fentry program with EPERM
  /// (`TrampolineProbe`, straight through bpf(2)), the loader's refusal of
  /// fentry and freplace programs is a clear, typed error.
  @Test(.enabled(if: TrampolineProbe.refusesFentry || !TrampolineProbe.loadsFentry && Kernel.isRequired,
                 "the kernel does not refuse fentry with EPERM (\(TrampolineProbe.outcome))"))
  func refusalsOfThisKernelAreClearErrors() throws {
    try #require(TrampolineProbe.refusesFentry, "probe: \(TrampolineProbe.outcome)")
    var sections = try Object.open(path: Fixture.object("sections.bpf.o").path)
    for p in sections.programs { try sections.withProgram(p.name) { $0.autoload = p.name == "fentry_unlinkat" } }
    let refused = try #require(loadError { _ = try sections.load() })
    if case .programTypeRefused(let program, let type, let syscall) = refused {
      #expect(program == "fentry_unlinkat" && type == "BPF_PROG_TYPE_TRACING" && syscall.errno == .EPERM)
      #expect(refused.description.contains("locked down"))
    } else {
      Issue.record("unexpected \(refused)")
    }
    // freplace of a loaded program's global function: refused the same way.
    let target = try KernelSupport.load("programs.bpf.o")
    defer { target.close() }
    let targetProgram = try #require(target.program(named: "test_subprogs"))
    for p in sections.programs {
      try sections.withProgram(p.name) {
        $0.autoload = p.name == "freplace_handler"
        $0.attachProgram = targetProgram
        $0.attachTarget = "add_global"
      }
    }
    let freplace = try #require(loadError { _ = try sections.load() })
    if case .programTypeRefused(let program, let type, _) = freplace {
      #expect(program == "freplace_handler" && type == "BPF_PROG_TYPE_EXT")
    } else {
      Issue.record("unexpected \(freplace)")
    }
  }

  /// Typed ksyms of variables resolve through /proc/kallsyms, which lists
  /// variables such as `runqueues` only with CONFIG_KALLSYMS_ALL: where it
  /// does not, the load fails naming the symbol.
  @Test func missingVariableKsymIsAClearError() throws {
    let kallsyms = (try? String(contentsOfFile: "/proc/kallsyms", encoding: .utf8)) ?? ""
    try #require(!kallsyms.isEmpty, "/proc/kallsyms is not readable")
    if kallsyms.split(separator: "\n").contains(where: { $0.hasSuffix(" runqueues") }) {
      try Test.cancel("skipped: this kernel lists runqueues in /proc/kallsyms (CONFIG_KALLSYMS_ALL)")
    }
    var globals = try Object.open(path: Fixture.object("globals.bpf.o").path)
    for p in globals.programs { try globals.withProgram(p.name) { $0.autoload = p.name == "read_percpu_ksyms" } }
    let ksym = try #require(loadError { _ = try globals.load() })
    guard case .programLoad(let program, let syscall, let log) = ksym else { Issue.record("unexpected \(ksym)"); return }
    #expect(program == "read_percpu_ksyms" && syscall.errno == .ENOENT)
    #expect(log?.errorLine.contains("ldimm64 failed to find the address for kernel symbol 'runqueues'") == true)
  }

  @Test func logLevelKeepsTheVerifierLog() throws {
    var object = try Object.open(path: Fixture.object("programs.bpf.o").path)
    try object.withProgram("test_subprogs") { $0.logLevel = 2 }
    let loaded = try object.load()
    defer { loaded.close() }
    let log = try #require(loaded.program(named: "test_subprogs")?.verifierLog)
    #expect(log.contains("processed ") && log.contains("insns"))
    let stats = try #require(loaded.program(named: "test_subprogs")?.verifierStatistics)
    #expect(stats.processedInstructions > 0)
    #expect(loaded.program(named: "xdp_pass")?.verifierLog == nil)
  }
}
