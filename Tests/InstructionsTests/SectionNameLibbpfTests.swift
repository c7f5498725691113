import Glibc
import Synchronization
import Testing
import TestSupport
import UAPI
@testable import Instructions

@Suite("Section names: against the system libbpf", .serialized,
  .enabled(if: SystemLibbpf.shared != nil || TestEnvironment.mustNotSkip,
    "libbpf.so.1 not found (apt-get install libbpf1); CI=true makes this fail"))
struct SectionNameLibbpfTests {
  /// Rows libbpf gained after 1.1 (the names of `newerSections`).
  static let newerRows = Set(newerSections.map(\.section))

  @Test("libbpf's own row list matches the table (rows newer than it aside)")
  func sameRows() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    guard let theirs = libbpf.rowNames() else { return }  // not x86_64: sameTypes covers the rows
    try #require(theirs.count > 50, "libbpf printed no row list")
    let ours = SectionDefinition.all.map(\.description)
    #expect(Set(theirs).subtracting(ours).isEmpty, "rows libbpf has and we lack")
    let unexplained = Set(ours).subtracting(theirs).subtracting(Self.newerRows)
    #expect(unexplained.isEmpty, "rows neither in libbpf nor among the newer ones")
  }

  @Test("each row libbpf knows has libbpf's program and attach type and attachable flag")
  func sameTypes() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    for row in SectionDefinition.all {
      guard let theirs = libbpf.types(of: row.name) else {
        #expect(Self.newerRows.contains(row.description), "libbpf rejects \(row.name)")
        continue
      }
      let section = try ProgramSection.parse(row.name)
      #expect(section.programType.rawValue == theirs.program, "\(row.name)")
      #expect((section.expectedAttachType?.rawValue ?? 0) == theirs.attach, "\(row.name)")
      let attachable = libbpf.attachableType(of: row.name)
      #expect(section.flags.contains(.attachable) == (attachable != nil), "\(row.name)")
      if let attachable { #expect((section.expectedAttachType?.rawValue ?? 0) == attachable, "\(row.name)") }
    }
  }

  @Test("libbpf and the matcher accept and reject the same names")
  func sameAcceptance() throws {
    let libbpf = try #require(SystemLibbpf.shared)
    let names = targetCases.map(\.section) + malformedTargets + [
      "xdp/foo", "socket/x", "tc/foo", "tcx", "sk_skb/foo", "cgroup/connect4/x", "cgroup/foo",
      "kprobe_foo", "kprobex/do_exit", "kprobe.multix", "uprobe.sx", "kprobe.s/do_exit",
      "xdp.frags/foo", "syscall.s", "", "/", "KPROBE/do_exit", " kprobe", "kprobe ", "license",
      "kprobe/", "fentry/", "tp/", "uprobe/", "usdt/",
    ]
    for name in names {
      let ours = try? ProgramSection.parse(name)
      if let theirs = libbpf.types(of: name) {
        let section = try #require(ours, "libbpf accepts \(name), we do not")
        #expect(section.programType.rawValue == theirs.program, "\(name)")
        #expect((section.expectedAttachType?.rawValue ?? 0) == theirs.attach, "\(name)")
      } else if let ours {
        #expect(Self.newerRows.contains(ours.definition.description), "we accept \(name), libbpf does not")
      }
    }
  }
}
