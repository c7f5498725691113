import Foundation
import Loader
import Syscall
import Testing
import TestSupport
import UAPI

/// struct_ops maps deciding which programs load (Fixtures/src/struct_ops_autoload.bpf.c).
///
/// Expected sets come from libbpf's rules applied to the C source
/// (libbpf.c: init_struct_ops_maps for `?.struct_ops*`,
/// bpf_object_adjust_struct_ops_autoload), and checked with libbpf 1.7
/// (the fixture loaded by a program linking it: the same programs and maps,
/// by default and with swiftbpf_opt_off's autocreate on); member indexes
/// from the kernel's BTF as bpftool dumps it.
@Suite struct StructOpsAutoloadTests {
  static let path = Fixture.object("struct_ops_autoload.bpf.o").path
  static let onPrograms: Set<String> = ["on_ssthresh", "on_cong_avoid", "on_undo_cwnd"]
  static let offPrograms: Set<String> = ["off_ssthresh", "off_cong_avoid", "off_undo_cwnd"]

  @Test func questionMarkMapIsNotCreatedByDefault() throws {
    let object = try Object.open(path: Self.path)
    #expect(object.map(named: "swiftbpf_opt_on")?.autoCreate == true)
    let off = try #require(object.map(named: "swiftbpf_opt_off"))
    #expect(off.autoCreate == false)
    #expect(off.flags.rawValue == 0x2000)  // BPF_F_LINK: ?.struct_ops.link
    // The ELF's own autoload, before the maps decide.
    #expect(object.program(named: "on_ssthresh")?.autoload == false)
    #expect(object.program(named: "off_ssthresh")?.autoload == true)
  }

  @Test func createdMapsDecideWhichProgramsLoad() throws {
    guard let ops = try StructOpsTests.kernelStruct("tcp_congestion_ops") else { return }
    let kernel = FakeKernel()
    let loaded = try Object.open(path: Self.path).load(kernel: kernel)
    defer { loaded.close() }
    #expect(Set(loaded.programs.map(\.name)) == Self.onPrograms)
    #expect(Set(kernel.snapshot.loads.map(\.attributes.name)) == Self.onPrograms)
    #expect(kernel.map("swiftbpf_opt_on") != nil)
    #expect(kernel.map("swiftbpf_opt_off") == nil)
    // Member indexes in the kernel's struct, in bpftool's member order.
    let order = try StructOpsTests.memberOrder("tcp_congestion_ops")
    for (program, member) in [("on_ssthresh", "ssthresh"), ("on_cong_avoid", "cong_avoid"), ("on_undo_cwnd", "undo_cwnd")] {
      let load = try #require(kernel.load(program))
      #expect(load.attributes.attachBTFID == ops.id)
      #expect(load.attributes.expectedAttachType?.rawValue == UInt32(try #require(order.firstIndex(of: member))))
    }
    #expect(loaded.map(named: "swiftbpf_opt_on")?.structOpsValue != nil)
  }

  @Test func turningAutocreateOnLoadsTheMapsPrograms() throws {
    let kernel = FakeKernel()
    var object = try Object.open(path: Self.path)
    try object.withMap("swiftbpf_opt_off") { $0.autoCreate = true }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(Set(loaded.programs.map(\.name)) == Self.onPrograms.union(Self.offPrograms))
    #expect(kernel.map("swiftbpf_opt_off") != nil)
    #expect(loaded.map(named: "swiftbpf_opt_off")?.structOpsValue != nil)
  }

  @Test func turningAutocreateOffUnloadsTheMapsPrograms() throws {
    let kernel = FakeKernel()
    var object = try Object.open(path: Self.path)
    try object.withMap("swiftbpf_opt_on") { $0.autoCreate = false }
    let loaded = try object.load(kernel: kernel)
    defer { loaded.close() }
    #expect(loaded.programs.isEmpty)
    #expect(kernel.snapshot.maps.allSatisfy { $0.attributes.type != .structOps })
  }

  @Test(.kernel) func loadsAndRegistersOnThisKernel() throws {
    let loaded = try Object.open(path: Self.path).load()
    defer { loaded.close() }
    #expect(Set(loaded.programs.map(\.name)) == Self.onPrograms)
    #expect(loaded.map(named: "swiftbpf_opt_off") == nil)
    // The kernel takes the value and registers it through a link.
    let map = try #require(loaded.map(named: "swiftbpf_opt_on"))
    let value = try #require(map.structOpsValue)
    let fd = try #require(map.borrowedFD)
    var key: UInt32 = 0
    try withUnsafePointer(to: &key) { k in try value.withUnsafeBytes { try BPF.update(map: fd, key: k, value: $0.baseAddress!) } }
    let link = try StructOpsAttach.register(map: map)
    #expect(try AttachStructOpsTests.congestionControls().contains("swiftbpf_opt_on"))
    link.close()
    #expect(try !AttachStructOpsTests.congestionControls().contains("swiftbpf_opt_on"))
  }
}
