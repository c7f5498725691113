import BTF
import Foundation
import Loader
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
    let kernel = FakeKernel(features: KernelFeatures(btf: .minimal))
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
    guard FileManager.default.isReadableFile(atPath: "/sys/kernel/btf/vmlinux") else { return }
    let a = FakeKernel(), b = FakeKernel()
    try Object.open(path: Fixture.object("core.bpf.o").path).load(kernel: a).close()
    try Object.open(path: Fixture.object("core.bpf.o").path,
                    options: OpenOptions(targetBTFPath: "/sys/kernel/btf/vmlinux")).load(kernel: b).close()
    #expect(a.load("core_task")?.attributes.instructions == b.load("core_task")?.attributes.instructions)
    #expect(a.load("core_task")?.attributes.instructions != nil)
  }
}
