import Foundation
import Testing
import TestSupport
@testable import BTF

/// The running kernel's BTF against `bpftool btf dump` (an independent parser).
@Suite struct VmlinuxTests {
  static func vmlinux() throws -> BTF? {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return nil
    }
    return try BTF(contentsOf: Bpftool.vmlinux)
  }

  static func dump() -> [Substring]? {
    guard let dump = Bpftool.vmlinuxDump else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool or /sys/kernel/btf/vmlinux missing")
      return nil
    }
    return dump
  }

  @Test func kindCountsMatchBpftool() throws {
    guard let btf = try Self.vmlinux(), let dump = Self.dump() else { return }
    let expected = Bpftool.kindCounts(dump)
    var counts = [String: Int]()
    for raw in btf.allTypeIDs {
      counts[try btf.kind(of: BTF.TypeID(raw)).kernelName, default: 0] += 1
    }
    #expect(counts == expected)
    #expect(btf.typeCount - 1 == expected.values.reduce(0, +))
  }

  @Test(arguments: ["task_struct", "list_head", "mm_struct", "sk_buff", "bpf_prog", "file", "inode"])
  func structLayoutMatchesBpftool(name: String) throws {
    guard let btf = try Self.vmlinux(), let dump = Self.dump() else { return }
    let expected = try #require(Bpftool.structBlock(dump, name: name))
    let id = try btf.type(named: name, kind: .struct)
    #expect(id.rawValue == expected.id)
    guard case .struct(let composite) = try btf[id] else {
      Issue.record("\(name) is not a struct")
      return
    }
    #expect(Int(composite.size) == expected.size)
    #expect(try btf.size(of: id) == expected.size)
    let members = try btf.members(of: id)
    #expect(members.count == expected.members.count)
    for (member, line) in zip(members, expected.members) {
      let memberName = member.name.isAnonymous ? "(anon)" : try btf.string(of: member.name)
      #expect(memberName == line.name)
      #expect(Int(member.bitOffset) == line.bitOffset)
      #expect(Int(member.bitfieldSize) == line.bitfieldSize)
    }
  }

  /// Every line of bpftool's raw dump: all kinds, names, sizes, members,
  /// enumerators, parameters, DATASEC entries.
  @Test func wholeDumpMatchesBpftool() throws {
    guard let btf = try Self.vmlinux(), let dump = Self.dump() else { return }
    let expected = dump.filter { !$0.isEmpty }
    let ours = try BpftoolFormat.dump(btf)
    #expect(ours.count == expected.count)
    var mismatches = 0
    for (a, b) in zip(ours, expected) where a != b[...] {
      mismatches += 1
      if mismatches <= 5 { Issue.record("ours: \(a) | bpftool: \(b)") }
    }
    #expect(mismatches == 0)
  }

  @Test func everyDescriptorDecodes() throws {
    guard let btf = try Self.vmlinux() else { return }
    var members = 0
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      let descriptor = try btf[id]
      #expect(descriptor.kind == (try btf.kind(of: id)))
      if case .struct = descriptor { members += try btf.members(of: id).count }
    }
    #expect(members > 0)
  }

  /// Prefixes of the kernel's blob: the whole header byte by byte, then cuts
  /// spread over the types and strings. Each must throw, not crash.
  @Test func truncatedVmlinuxThrows() throws {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return
    }
    let bytes = try #require(FileManager.default.contents(atPath: Bpftool.vmlinux)).map { $0 }
    var cuts = Array(0 ..< 64)
    cuts += stride(from: 64, to: bytes.count, by: bytes.count / 40)
    cuts.append(bytes.count - 1)
    for length in cuts {
      #expect(throws: BTFError.self) { try BTF(bytes: Array(bytes.prefix(length))) }
    }
  }
}
