import BTF
import Foundation
import Instructions
import Loader
import Logging
import Syscall
import Testing
import TestSupport
import UAPI

/// What each program is loaded with: attach BTF ids, attach types, flags,
/// the uploaded BTF, CO-RE targets. Expected ids come from bpftool's dump of
/// the kernel's BTF, types from Fixtures/src/sections.bpf.c's header.
@Suite struct ProgramAttributeTests {
  /// Loads only `programs` of sections.bpf.o through a fake kernel.
  func loadSections(_ programs: Set<String>, kernel: FakeKernel) throws -> LoadedObject {
    var object = try Object.open(path: Fixture.object("sections.bpf.o").path)
    for p in object.programs { try object.withProgram(p.name) { $0.autoload = programs.contains(p.name) } }
    return try object.load(kernel: kernel)
  }

  @Test func attachBTFIDsFromTheKernelBTF() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    guard FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux") else {
      if TestEnvironment.mustNotSkip { Issue.record("no /sys/kernel/btf/vmlinux") }
      return
    }
    let dump = try runProcess(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]).stdout
    func id(_ kind: String, _ name: String) throws -> UInt32 {
      let line = try #require(dump.split(separator: "\n").first { $0.contains("] \(kind) '\(name)' ") })
      return try #require(UInt32(line.dropFirst().prefix { $0 != "]" }))
    }
    let kernel = FakeKernel()
    let loaded = try loadSections(["tp_btf_sched_switch", "fentry_unlinkat", "fexit_sleepable", "iter_task",
                                   "lsm_file_open", "lsm_cgroup_bind"], kernel: kernel)
    defer { loaded.close() }
    let expected: [(String, UInt32, AttachType, Bool)] = [
      ("tp_btf_sched_switch", try id("TYPEDEF", "btf_trace_sched_switch"), .traceRawTp, false),
      ("fentry_unlinkat", try id("FUNC", "do_unlinkat"), .traceFentry, false),
      ("fexit_sleepable", try id("FUNC", "do_sys_openat2"), .traceFexit, true),
      ("iter_task", try id("FUNC", "bpf_iter_task"), .traceIter, false),
      ("lsm_file_open", try id("FUNC", "bpf_lsm_file_open"), .lsmMac, false),
      ("lsm_cgroup_bind", try id("FUNC", "bpf_lsm_socket_bind"), .lsmCgroup, false),
    ]
    for (name, btfID, attachType, sleepable) in expected {
      let call = try #require(kernel.load(name), "\(name) not loaded")
      #expect(call.attributes.attachBTFID == btfID, "\(name)")
      #expect(call.attributes.expectedAttachType == attachType, "\(name)")
      #expect(call.attributes.flags.contains(.sleepable) == sleepable, "\(name)")
    }
  }

  @Test func structOpsProgramsGetTheStructAndMemberIndex() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let dump = try runProcess(bpftool, ["btf", "dump", "file", "/sys/kernel/btf/vmlinux"]).stdout
    let line = try #require(dump.split(separator: "\n").first { $0.contains("] STRUCT 'tcp_congestion_ops' ") })
    let structID = try #require(UInt32(line.dropFirst().prefix { $0 != "]" }))
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Fixture.object("struct_ops.bpf.o").path).load(kernel: kernel)
    defer { loaded.close() }
    // struct_ops.bpf.c's header: ssthresh is member 0, cong_avoid 1, undo_cwnd 8.
    for (name, member) in [("reno_ssthresh", 0), ("reno_cong_avoid", 1), ("reno_undo_cwnd", 8),
                           ("legacy_ssthresh", 0), ("legacy_cong_avoid", 1), ("legacy_undo_cwnd", 8)] {
      let call = try #require(kernel.load(name))
      #expect(call.attributes.attachBTFID == structID, "\(name)")
      #expect(call.attributes.expectedAttachType?.rawValue == UInt32(member), "\(name)")
    }
  }

  @Test func btfSanitizedForAnOldKernel() throws {
    var features = KernelFeatures.everything
    features.btf = .minimal
    let kernel = FakeKernel(features: features)
    let loaded = try Object.open(path: Fixture.object("programs.bpf.o").path).load(kernel: kernel)
    defer { loaded.close() }
    let uploaded = try BTF(bytes: try #require(kernel.snapshot.btfUploads.first))
    var kinds = Set<BTF.Kind>()
    for raw in uploaded.localTypeIDs { kinds.insert(try uploaded.kind(of: BTF.TypeID(raw))) }
    #expect(kinds.isSubset(of: BTF.KernelSupport.minimal.kinds), "\(kinds)")
  }

  @Test func uploadedBTFHasSizedDataSectionsAndNoExterns() throws {
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Fixture.object("globals.bpf.o").path).load(kernel: kernel)
    defer { loaded.close() }
    let btf = try BTF(bytes: try #require(kernel.snapshot.btfUploads.first))
    for raw in btf.localTypeIDs {
      let id = BTF.TypeID(raw)
      switch try btf[id] {
      case .dataSection(let d):
        // The kernel refuses DATASECs of size 0 and non-VAR entries.
        let name = try btf.nameString(of: id)
        #expect(d.size > 0, "\(name)")
        for v in try btf.variables(of: id) {
          let kind = try btf.kind(of: v.type)
          #expect(kind == .variable)
        }
      case .variable(let v):
        let name = try btf.nameString(of: id)
        #expect(v.linkage.rawValue <= 1, "\(name) keeps extern linkage")
      case .function(let f):
        let name = try btf.nameString(of: id)
        #expect(f.linkage.rawValue <= 1, "\(name) keeps extern linkage")
      default:
        break
      }
    }
    // .kconfig: 17 bytes as the map (globals.bpf.c's header).
    let kconfig = try btf.type(named: ".kconfig", kind: .dataSection)
    #expect(try btf.size(of: kconfig) == 17)
  }

  @Test func customTargetBTFForCORE() throws {
    // A target that is not BTF at all is refused with its path.
    let error = try #require(loadError {
      _ = try Object.open(path: Fixture.object("core.bpf.o").path,
                          options: OpenOptions(targetBTFPath: Fixture.object("split.btf").path + ".missing"))
        .load(kernel: FakeKernel())
    })
    guard case .targetBTF(let path, _) = error else { Issue.record("unexpected \(error)"); return }
    #expect(path.hasSuffix("split.btf.missing"))
    // The kernel's own file as an explicit target relocates as the default does.
    guard FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux") else {
      if TestEnvironment.mustNotSkip { Issue.record("/sys/kernel/btf/vmlinux is not readable") }
      return
    }
    let a = FakeKernel(), b = FakeKernel()
    try Object.open(path: Fixture.object("core.bpf.o").path).load(kernel: a).close()
    try Object.open(path: Fixture.object("core.bpf.o").path,
                    options: OpenOptions(targetBTFPath: "/sys/kernel/btf/vmlinux")).load(kernel: b).close()
    // The same code, apart from the map fds each fake handed out.
    func code(_ kernel: FakeKernel) throws -> [Instruction] {
      let bytes = try #require(kernel.load("core_task")).attributes.instructions
      return try Instruction.decode(bytes, order: .host).map { insn in
        var copy = insn
        if insn.opcode.isWideLoad && (insn.source.rawValue == 1 || insn.source.rawValue == 2) {
          copy.immediate &= ~0xFFFF_FFFF
        }
        return copy
      }
    }
    let (codeA, codeB) = (try code(a), try code(b))
    #expect(!codeA.isEmpty)
    #expect(codeA == codeB, "the explicit target relocated differently from the default")
  }

  @Test func refusedBTFLoadsWithoutIt() throws {
    // libbpf's behaviour: a kernel that refuses the object's BTF gets the
    // programs and maps without it, and the user a warning.
    let kernel = FakeKernel(refusesBTF: true)
    let log = LogCapture()
    let path = Fixture.object("programs.bpf.o").path
    let loaded = try Object.open(path: path, options: OpenOptions(logger: log.logger)).load(kernel: kernel)
    defer { loaded.close() }
    #expect(loaded.programs.count == 6)
    let refused = log.records(.warning, containing: "refused the object's BTF")
    #expect(refused.count == 1, "\(log.records)")
    #expect(refused.allSatisfy { $0.message.contains("Invalid size") && $0.message.hasSuffix("loaded without it") })
    #expect(refused.first?.metadata == [LogMetadataKey.object: "programs", LogMetadataKey.file: path])
    let call = try #require(kernel.load("test_subprogs"))
    #expect(call.attributes.btfFD == nil && call.attributes.funcInfo.isEmpty && call.attributes.lineInfo.isEmpty)
    #expect(kernel.snapshot.maps.allSatisfy { $0.attributes.btfFD == nil && $0.attributes.btfValueTypeID == 0 })
  }

  @Test func freplaceTargetsAFunctionOfALoadedProgram() throws {
    guard let bpftool = Toolchain.systemTool("bpftool") else {
      if TestEnvironment.mustNotSkip { Issue.record("bpftool missing") }
      return
    }
    let target = Fixture.object("programs.bpf.o")
    let dump = try runProcess(bpftool, ["btf", "dump", "file", target.path]).stdout
    let line = try #require(dump.split(separator: "\n").first { $0.contains("] FUNC 'add_global' ") })
    let id = try #require(UInt32(line.dropFirst().prefix { $0 != "]" }))
    let btf = try #require(try ObjectFileBytes.btf(target))
    let targetFD = try FakeKernel.memfd(size: 8)

    var object = try Object.open(path: Fixture.object("sections.bpf.o").path)
    for p in object.programs { try object.withProgram(p.name) { $0.autoload = p.name == "freplace_handler" } }
    // Without the program to replace a function of, the error says what to set.
    let missing = try #require(loadError { _ = try object.load(kernel: FakeKernel(programBTF: btf)) })
    #expect(missing.description.contains("attachProgram"))

    let targetProgram = LoadedObject.Program.adopting(targetFD, name: "test_subprogs", sectionName: "tc")
    try object.withProgram("freplace_handler") {
      $0.attachProgram = targetProgram
      $0.attachTarget = "add_global"
    }
    let kernel = FakeKernel(programBTF: btf)
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    let call = try #require(kernel.load("freplace_handler"))
    #expect(call.attributes.type == .ext)
    #expect(call.attributes.attachBTFID == id)
    #expect(call.attributes.attachProgramFD == targetProgram.borrowedFD)
  }
}
