import Foundation
import Testing
import TestSupport

/// `swiftbpf reloc`: the JSON contract, the numbering of instructions (against
/// llvm-objdump) and the values (against the C compiler's reading of each
/// target, `Fixtures/core/expected/*.txt`, printed by the targets built as
/// host programs).
@Suite("swiftbpf reloc")
struct RelocCommandTests {
  static let contractKeys: Set<String> = [
    "program", "section", "instruction", "kind", "localType", "access", "result", "old", "new", "reason",
  ]
  static let kinds: Set<String> = [
    "byte_off", "byte_sz", "field_exists", "signed", "lshift_u64", "rshift_u64", "local_type_id",
    "target_type_id", "type_exists", "type_matches", "type_size", "enumval_exists", "enumval_value",
  ]

  static func decisions(_ arguments: [String]) throws -> (entries: [[String: Any]], status: Int32) {
    let run = try swiftbpf(["reloc", "--json"] + arguments)
    let value = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    return (try #require(value as? [[String: Any]], "not a JSON array: \(run.stdout.prefix(200))"), run.status)
  }

  /// `key value` lines of an expected file.
  static func expected(_ target: String) throws -> [String: String] {
    let text = try String(contentsOf: Fixture.directory.appendingPathComponent("core/expected/\(target).txt"), encoding: .utf8)
    var facts: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1)
      if parts.count == 2 { facts[String(parts[0])] = String(parts[1]) }
    }
    return facts
  }

  @Test("every entry has the contract's keys, kinds and results", arguments: ["target_a", "target_b", "target_c"])
  func contract(target: String) throws {
    let probe = Fixture.directory.appendingPathComponent("core/probe.bpf.o").path
    let btf = Fixture.directory.appendingPathComponent("core/btf/\(target).btf").path
    let (entries, status) = try Self.decisions([probe, "--target-btf", btf])
    #expect(status == 0)
    try #require(!entries.isEmpty)
    for entry in entries {
      #expect(Self.contractKeys.isSubset(of: entry.keys), "\(entry.keys.sorted())")
      #expect(Self.kinds.contains(entry["kind"] as? String ?? ""), "\(entry)")
      #expect(["patched", "poisoned", "failed"].contains(entry["result"] as? String ?? ""))
    }
    // Every kind the engine knows is exercised by this fixture on some target.
    #expect(Set(entries.compactMap { $0["kind"] as? String }).count >= 10)
  }

  @Test("single-question probes compute the values the C compiler gives", arguments: ["target_a", "target_b", "target_c", "target_ambig"])
  func values(target: String) throws {
    let probe = Fixture.directory.appendingPathComponent("core/probe.bpf.o").path
    let btf = Fixture.directory.appendingPathComponent("core/btf/\(target).btf").path
    let (entries, status) = try Self.decisions([probe, "--target-btf", btf])
    let facts = try Self.expected(target)
    let singleValued = ["off_", "sz_", "ex_", "ty_", "tx_", "tm_", "ev_", "signed_"]
    var checked = 0
    for (program, fact) in facts where singleValued.contains(where: program.hasPrefix) {
      let mine = entries.filter { $0["program"] as? String == program }
      guard mine.count == 1, let entry = mine.first else { continue }
      let result = entry["result"] as? String
      switch fact {
      case "missing", "poisoned":
        // Existence questions answer 0; the others poison the instruction.
        if program.hasPrefix("ex_") || program.hasPrefix("tx_") || program.hasPrefix("tm_") {
          #expect(entry["new"] as? UInt64 == 0, "\(target) \(program)")
        } else {
          #expect(result == "poisoned", "\(target) \(program)")
        }
      case "ambiguous":
        #expect(result == "failed", "\(target) \(program)")
      default:
        guard let value = UInt64(fact) else { continue }
        #expect(result == "patched", "\(target) \(program)")
        #expect(entry["new"] as? UInt64 == value, "\(target) \(program): \(entry)")
      }
      checked += 1
    }
    #expect(checked >= 10, "\(target): only \(checked) probes compared")
    // A failed relocation (an ambiguity) makes the command fail.
    #expect((status != 0) == entries.contains { $0["result"] as? String == "failed" })
  }

  @Test("instruction numbers are 8-byte slots within the function, as llvm-objdump counts them")
  func instructionNumbering() throws {
    guard let tool = try objdump() else { return }
    let object = Fixture.object("core.bpf.o")
    let listing = try runTool(tool, ["-d", "--no-show-raw-insn", object.path]).output
    // function name -> (slot within the function -> text)
    var functions: [String: [Int: String]] = [:]
    var current: (name: String, start: Int)?
    for line in listing.split(separator: "\n") {
      if line.hasSuffix(">:"), let open = line.firstIndex(of: "<"), let space = line.firstIndex(of: " "),
        let address = UInt64(line[..<space], radix: 16)
      {
        let name = String(line[line.index(after: open)..<line.index(line.endIndex, offsetBy: -2)])
        if !name.hasPrefix("LBB") { current = (name, Int(address / 8)) }
        continue
      }
      guard let function = current, let colon = line.firstIndex(of: ":"),
        let slot = Int(line[..<colon].trimmingCharacters(in: .whitespaces))
      else { continue }
      functions[function.name, default: [:]][slot - function.start] = String(line[colon...])
    }
    let (entries, _) = try Self.decisions([object.path])
    var compared = 0
    for entry in entries where entry["kind"] as? String == "byte_off" {
      let program = try #require(entry["program"] as? String)
      let slot = try #require(entry["instruction"] as? Int)
      let old = try #require(entry["old"] as? UInt64)
      let text = try #require(functions[program]?[slot], "\(program) has no slot \(slot)")
      // The compiler's offset is the instruction's immediate or memory offset.
      #expect(text.contains("0x" + String(old, radix: 16)), "\(program)+\(slot): \(text) lacks \(old)")
      compared += 1
    }
    #expect(compared > 5)
  }
}
