import Foundation
import Testing
import TestSupport
@testable import BTF

/// `BTF.RawDump` against bpftool's raw dump of the same blob.
@Suite struct CDumpRawTests {
  /// Our line with the one thing bpftool 7.1 does not print removed: the
  /// kind_flag of attribute tags (Linux 6.14), documented on `RawDump`.
  static func normalized(_ line: Substring) -> Substring {
    guard line.hasSuffix(" kind_flag=1") else { return line }
    return line.dropLast(" kind_flag=1".count)
  }

  @Test func vmlinuxDumpIsBpftools() throws {
    guard Bpftool.hasVmlinux else {
      #expect(!TestEnvironment.mustNotSkip, "/sys/kernel/btf/vmlinux missing")
      return
    }
    guard let expected = Bpftool.vmlinuxDump else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    let btf = try BTF(contentsOf: Bpftool.vmlinux)
    let ours = try BTF.RawDump.render(btf).split(separator: "\n", omittingEmptySubsequences: false)
    #expect(ours.count == expected.count)
    var mismatches = 0
    var flagged = 0
    for (line, (a, b)) in zip(ours, expected).enumerated() {
      if a.hasSuffix(" kind_flag=1") { flagged += 1 }
      if Self.normalized(a) != b {
        mismatches += 1
        if mismatches <= 5 { Issue.record("line \(line + 1): ours '\(a)', bpftool '\(b)'") }
      }
    }
    #expect(mismatches == 0)
    // vmlinux has one attribute tag here (`address_space(1)`); the count
    // comes from the parser, the line itself was compared above.
    var attributeTags = 0
    for raw in btf.allTypeIDs {
      switch try btf[BTF.TypeID(raw)] {
      case .typeTag(let t) where t.isAttribute: attributeTags += 1
      case .declarationTag(let t) where t.isAttribute: attributeTags += 1
      default: break
      }
    }
    #expect(flagged == attributeTags)
  }

  @Test func signedEnum64AndSingleType() throws {
    var good = RawBTF()
    let i = good.type(name: "int", kind: 1, sizeOrType: 4, [1 << 24 | 32])
    good.type(name: "e", kind: 19, vlen: 1, flag: true, sizeOrType: 8, [good.string("NEG"), 0xFFFF_FFFF, 0xFFFF_FFFF])
    good.type(name: "t", kind: 8, sizeOrType: i)
    let btf = try BTF(bytes: good.bytes())
    let text = try BTF.RawDump.render(btf)
    guard let bpftool = try FixtureBTF.bpftoolDump(good.bytes()) else {
      #expect(!TestEnvironment.mustNotSkip, "bpftool missing")
      return
    }
    #expect(text.split(separator: "\n") == bpftool)
    #expect(try BTF.RawDump.render(btf, type: BTF.TypeID(3)) == "[3] TYPEDEF 't' type_id=1\n")
  }
}
