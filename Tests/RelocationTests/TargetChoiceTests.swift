import BTF
import Foundation
import Instructions
import Relocation
import TestSupport
import Testing
import UAPI

/// Base and module targets, and where decisions say they are.
@Suite struct TargetChoiceTests {
  func loaded() throws -> LoadedObject {
    try LoadedObject(path: Fixture.directory.appendingPathComponent("core/probe.bpf.o").path)
  }

  func target(_ name: String) throws -> TargetBTF {
    TargetBTF(name: name, btf: try BTF(bytes: try Fixture.bytes("core/btf/\(name).btf")))
  }

  /// A type the base lacks is searched in the modules.
  @Test func fallsBackToModules() throws {
    let plan = try loaded().plan([try target("target_ambig"), try target("target_a")])
    let expected = try Expectation.load("target_a")
    let offA = try #require(plan.decisions.first { $0.program == "off_a" })
    #expect(offA.target?.btfName == "target_a")
    #expect(expected["off_a"].map { $0 == .value(offA.newValue ?? .max) } == true)
    // ambig is in the base: found there, so the module is not consulted.
    let amb = try #require(plan.decisions.first { $0.program == "amb_v" })
    #expect(amb.result.isFailed)
  }

  /// When the base has candidates, modules are not searched.
  @Test func baseCandidatesWin() throws {
    let object = try loaded()
    let alone = object.plan([try target("target_a")]).decisions
    let withModule = object.plan([try target("target_a"), try target("target_b")]).decisions
    #expect(alone.count == withModule.count)
    for (a, b) in zip(alone, withModule) {
      #expect(a.result == b.result && a.newValue == b.newValue && a.target == b.target && a.replacement == b.replacement,
              "\(a) / \(b)")
    }
  }

  /// No target at all: existence checks say 0, the rest is poisoned.
  @Test func noTargetPoisonsOrAnswersZero() throws {
    let plan = try loaded().plan([])
    for d in plan.decisions where d.kind != .typeIDLocal {
      if zeroWhenMissing.contains(d.kind.rawValue) {
        #expect(d.result == .patched && d.newValue == 0, "\(d)")
      } else {
        #expect(d.result == .poisoned, "\(d)")
      }
    }
  }

  /// Decisions name the function and the slot inside it as llvm-objdump
  /// numbers them.
  @Test(.enabled(if: Toolchain.tool("llvm-objdump") != nil || TestEnvironment.mustNotSkip, "needs llvm-objdump"))
  func programsAndSlotsMatchObjdump() throws {
    let objdump = try #require(Toolchain.tool("llvm-objdump"), "llvm-objdump is missing")
    let path = Fixture.directory.appendingPathComponent("core/probe.bpf.o").path
    let listing = try runTool(objdump, ["-d", path]).output
    // "0000000000000010 <ld_a>:" → function start in slots.
    var starts = [String: Int]()
    for line in listing.split(separator: "\n") where line.hasSuffix(">:") {
      let parts = line.split(separator: " ")
      guard parts.count == 2, let offset = Int(parts[0], radix: 16) else { continue }
      starts[String(parts[1].dropFirst().dropLast(2))] = offset / 8
    }
    let plan = try loaded().plan([try target("target_a")])
    #expect(plan.decisions.count > 30)
    for d in plan.decisions {
      let start = try #require(starts[d.program], "\(d.program) not in the listing")
      #expect(start + d.instruction == d.sectionSlot, "\(d)")
    }
    let sub = try #require(plan.decisions.first { $0.program == "read_y" })
    #expect(sub.section == ".text")
  }
}

/// A module's split BTF: its own types are candidates only when the base
/// has none, and type ids continue after the base's.
@Suite struct SplitModuleTests {
  /// `bpftool btf dump` text: struct name → (size, member → bit offset).
  static func structs(_ dump: String) -> [String: (size: Int, members: [String: Int])] {
    var result = [String: (size: Int, members: [String: Int])]()
    var current: String?
    for line in dump.split(separator: "\n") {
      if line.hasPrefix("[") {
        current = nil
        guard line.contains("] STRUCT '"), let nameStart = line.range(of: "STRUCT '")?.upperBound,
              let nameEnd = line[nameStart...].firstIndex(of: "'"),
              let sizeStart = line.range(of: "size=")?.upperBound else { continue }
        let name = String(line[nameStart ..< nameEnd])
        result[name] = (Int(line[sizeStart...].prefix { $0.isNumber }) ?? -1, [:])
        current = name
      } else if let current, line.hasPrefix("\t'"), let bits = line.range(of: "bits_offset=")?.upperBound {
        let member = String(line.dropFirst(2).prefix { $0 != "'" })
        result[current]?.members[member] = Int(line[bits...].prefix { $0.isNumber })
      }
    }
    return result
  }

  @Test(.enabled(if: Toolchain.systemTool("bpftool") != nil || TestEnvironment.mustNotSkip, "needs bpftool"))
  func relocatesAgainstBaseAndModule() throws {
    let bpftool = try #require(Toolchain.systemTool("bpftool"), "bpftool is missing")
    let basePath = Fixture.object("split_base.btf").path, modulePath = Fixture.object("split.btf").path
    let base = try BTF(bytes: try Fixture.bytes("obj/split_base.btf"))
    let module = try BTF(bytes: try Fixture.bytes("obj/split.btf"), base: base)
    let dump = try runTool(bpftool, ["btf", "dump", "file", basePath]).output
      + "\n" + (try runTool(bpftool, ["-B", basePath, "btf", "dump", "file", modulePath]).output)
    let layout = Self.structs(dump)
    let thing = try #require(layout["module_thing"]), list = try #require(layout["list_like"])
    let task = try #require(layout["task_like"])
    let expected: [String: (UInt64, String)] = [
      "thing_flags": (UInt64(try #require(thing.members["flags"]) / 8), "module"),
      "thing_prev": (UInt64((try #require(thing.members["node"]) + (try #require(list.members["prev"]))) / 8), "module"),
      "thing_state": (UInt64(try #require(thing.members["state"]) / 8), "module"),
      "task_tgid": (UInt64(try #require(task.members["tgid"]) / 8), "base"),
      "thing_size": (UInt64(thing.size), "module"),
    ]
    let loaded = try LoadedObject(path: Fixture.directory.appendingPathComponent("core/module.bpf.o").path)
    let plan = loaded.plan([TargetBTF(name: "base", btf: base), TargetBTF(name: "module", btf: module)])
    #expect(plan.decisions.count == expected.count)
    for d in plan.decisions {
      let (value, btf) = try #require(expected[d.program], "\(d.program)")
      #expect(d.result == .patched && d.newValue == value, "\(d)")
      #expect(d.target?.btfName == btf, "\(d)")
      if btf == "module" { #expect((d.target?.typeID.rawValue ?? 0) >= module.firstLocalID.rawValue) }
    }
    // Without the module, the module's types are not found: its field
    // relocations (byte_off, per module.bpf.c's header) are poisoned, while a
    // type-based one (type_size) of a missing type is 0, not poisoned.
    let typeBased: Set<String> = ["thing_size"]
    let poisonedExpected = expected.filter { $0.value.1 == "module" && !typeBased.contains($0.key) }.count
    let alone = loaded.plan([TargetBTF(name: "base", btf: base)])
    #expect(alone.decisions.filter { $0.result == .poisoned }.count == poisonedExpected)
    #expect(Set(alone.decisions.filter { $0.result == .poisoned }.map(\.program))
            == Set(expected.keys.filter { expected[$0]?.1 == "module" && !typeBased.contains($0) }))
  }
}

/// Functions the caller names: the decision's program is the last one
/// starting at or before the instruction.
@Suite struct CodeSectionTests {
  @Test func findsTheFunctionHoldingASlot() {
    func function(_ name: String, slot: UInt64) -> Function {
      Function(name: name, section: SectionID(3), sectionName: "tp/x", offset: slot * 8, size: 8, symbolIndex: nil)
    }
    let code = CodeSection(
      id: SectionID(3), name: "tp/x", instructions: InstructionSequence([.exit]),
      functions: [function("second", slot: 10), function("first", slot: 0)])
    #expect(code.function(containing: 3) == ("first", 3))
    #expect(code.function(containing: 10) == ("second", 0))
    #expect(code.function(containing: 12) == ("second", 2))
    let bare = CodeSection(id: SectionID(3), name: "tp/x", instructions: InstructionSequence([.exit]))
    #expect(bare.function(containing: 7) == ("tp/x", 7))
  }
}
