import Foundation
import Testing
import TestSupport
import UAPI
@testable import BTF

/// maps.bpf.o's `.maps` DATASEC decoded through the BTF API, against the
/// table in the fixture source's EXPECT comment.
@Suite struct MapDefinitionTests {
  /// (name, BPF_MAP_TYPE_ suffix, key size, value size, max_entries, map_flags)
  static let expected: [(String, String, Int, Int, UInt32, UInt32)] = [
    ("hash_map", "HASH", 4, 8, 128, 0),
    ("array_map", "ARRAY", 4, 8, 8, 0x400),
    ("percpu_array", "PERCPU_ARRAY", 4, 8, 4, 0),
    ("percpu_hash", "PERCPU_HASH", 8, 8, 64, 0),
    ("lru_hash", "LRU_HASH", 4, 8, 32, 0x2),
    ("lpm_trie", "LPM_TRIE", 8, 4, 16, 0x1),
    ("ring_buffer", "RINGBUF", 0, 0, 65536, 0),
    ("user_ring", "USER_RINGBUF", 0, 0, 16384, 0),
    ("queue_map", "QUEUE", 0, 4, 16, 0),
    ("stack_map", "STACK", 0, 4, 16, 0),
    ("bloom_map", "BLOOM_FILTER", 0, 4, 100, 0),
    ("pinned_counts", "HASH", 4, 8, 16, 0),
  ]

  @Test(arguments: ["maps.bpf.o", "maps.bpfeb.bpf.o"])
  func mapsSectionMatchesTheSourceTable(object: String) throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let btf = try BTF(bytes: try #require(try FixtureBTF.section(".BTF", of: Fixture.object(object))))
    let section = try btf.type(named: ".maps", kind: .dataSection)
    var found = [String: BTF.TypeID]()
    for entry in try btf.variables(of: section) {
      guard case .variable(let variable) = try btf[entry.type] else { continue }
      found[try btf.string(of: variable.name)] = try btf.resolved(variable.type)
    }
    for (name, typeName, keySize, valueSize, maxEntries, flags) in Self.expected {
      let definition = try #require(found[name], "\(name) not in .maps")
      var values = [String: UInt32]()
      var sizes = [String: Int]()
      for member in try btf.members(of: definition) {
        let memberName = try btf.string(of: member.name)
        if memberName == "key" || memberName == "value" {
          sizes[memberName] = try btf.size(of: btf.pointee(of: member.type))
        } else if memberName == "type" || memberName == "max_entries" || memberName == "map_flags" {
          values[memberName] = try btf.arrayCount(pointedToBy: member.type)
        }
      }
      #expect(MapType(rawValue: values["type"] ?? 0).description == "BPF_MAP_TYPE_\(typeName)", "\(name)")
      #expect(values["max_entries"] ?? 0 == maxEntries, "\(name)")
      #expect(values["map_flags"] ?? 0 == flags, "\(name)")
      #expect(sizes["key"] ?? 0 == keySize, "\(name)")
      #expect(sizes["value"] ?? 0 == valueSize, "\(name)")
    }
  }

  /// globals.bpf.o's externs, against its EXPECT comment: kconfig VARs and
  /// ksyms (typed/untyped VARs and kfunc FUNCs), all with extern linkage.
  @Test func externsInKconfigAndKsyms() throws {
    guard FixtureBTF.toolsAvailable() else { return }
    let btf = try BTF(bytes: try #require(try FixtureBTF.section(".BTF", of: Fixture.object("globals.bpf.o"))))
    func entries(_ section: String) throws -> [String: (BTF.Kind, BTF.Linkage)] {
      var out = [String: (BTF.Kind, BTF.Linkage)]()
      for entry in try btf.variables(of: try btf.type(named: section, kind: .dataSection)) {
        switch try btf[entry.type] {
        case .variable(let v): out[try btf.string(of: v.name)] = (.variable, v.linkage)
        case .function(let f): out[try btf.string(of: f.name)] = (.function, f.linkage)
        default: Issue.record("\(section): entry \(entry.type) is neither VAR nor FUNC")
        }
      }
      return out
    }
    let kconfig = try entries(".kconfig")
    #expect(Set(kconfig.keys) == ["LINUX_KERNEL_VERSION", "CONFIG_BPF_SYSCALL", "CONFIG_BPF_JIT", "CONFIG_HZ",
                                  "CONFIG_SWIFTBPF_NOT_A_CONFIG"])
    #expect(kconfig.values.allSatisfy { $0 == (.variable, .external) })
    let ksyms = try entries(".ksyms")
    for kfunc in ["bpf_task_from_pid", "bpf_task_release", "bpf_rcu_read_lock", "bpf_rcu_read_unlock"] {
      #expect(ksyms[kfunc].map { $0 == (.function, .external) } == true, "\(kfunc)")
    }
    for variable in ["runqueues", "bpf_prog_active", "__start_BTF", "swiftbpf_no_such_ksym"] {
      #expect(ksyms[variable].map { $0 == (.variable, .external) } == true, "\(variable)")
    }
    // CONFIG_BPF_SYSCALL is a _Bool: a 1-byte INT with the BOOL encoding.
    let syscallVar = try btf.type(named: "CONFIG_BPF_SYSCALL", kind: .variable)
    guard case .integer(let bool) = try btf.resolvedDescriptor(variableType(btf, syscallVar)) else {
      Issue.record("CONFIG_BPF_SYSCALL is not an INT")
      return
    }
    #expect(bool.size == 1 && bool.encoding == .bool)
  }
}

private func variableType(_ btf: BTF, _ id: BTF.TypeID) throws -> BTF.TypeID {
  guard case .variable(let v) = try btf[id] else { throw BTFError.wrongKind(typeID: id.rawValue, expected: "VAR", found: "") }
  return v.type
}
