import ArgumentParser
import Foundation
import SwiftBPF

/// `swiftbpf reloc OBJ [--target-btf FILE] [--module-btf FILE]... [--json]`:
/// what CO-RE makes of the object's relocations against a target BTF (the
/// running kernel's by default), without loading anything.
///
/// Every `.BTF.ext` CO-RE record becomes one line: the program and
/// instruction, the kind, the local access in C terms, the target match, the
/// old and new value, and `patched`, `poisoned` or `failed` with a reason.
/// The command succeeds when it could compute the decisions, even if some
/// failed (the report says so); it fails only when the object or a target
/// cannot be read.
struct Reloc: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the CO-RE relocation decisions for a BPF object against a target BTF.")

  @Argument(help: "A BPF ELF object built by clang (-target bpf).")
  var object: String

  @Option(name: .long, help: "Target BTF: a raw BTF file or an ELF with a .BTF section (default: the running kernel's).")
  var targetBtf: String?

  @Option(name: .long, help: "A module's split BTF on top of the target (repeatable).")
  var moduleBtf: [String] = []

  @OptionGroup var output: OutputOptions

  func run() throws {
    do {
      let file = try ObjectFile(path: object)
      let report = try RelocReport(file: file, target: targetBtf, modules: moduleBtf)
      if output.json {
        try CommandOutput.printJSON(report)
      } else {
        print(report.text, terminator: "")
      }
    } catch {
      throw ExitCode(CommandOutput.report(error, json: output.json))
    }
  }
}

/// Why `reloc` could not start.
enum RelocCommandError: Error, CustomStringConvertible {
  case noBTF(object: String)
  case noCode(object: String, section: String)
  case badCode(object: String, section: String, InstructionError)

  var description: String {
    switch self {
    case .noBTF(let object):
      "\(object): no .BTF/.BTF.ext section, so no CO-RE relocations (build with clang -g)"
    case .noCode(let object, let section):
      "\(object): .BTF.ext names code section '\(section)', which the object does not have"
    case .badCode(let object, let section, let error):
      "\(object): section '\(section)': \(error)"
    }
  }
}

/// The decisions as the human table and the JSON contract print them.
struct RelocReport: Encodable {
  struct Target: Encodable {
    var btf: String
    var typeID: UInt32
    var type: String
    var access: String
    var spec: String?

    enum CodingKeys: String, CodingKey { case btf, typeID, type, access, spec }

    // Absent values are `null`, not missing keys (the README's contract).
    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(btf, forKey: .btf)
      try c.encode(typeID, forKey: .typeID)
      try c.encode(type, forKey: .type)
      try c.encode(access, forKey: .access)
      try c.encode(spec, forKey: .spec)
    }
  }

  struct Entry: Encodable {
    var program: String
    var section: String
    var instruction: Int
    var kind: String
    var localType: String
    var localTypeID: UInt32
    var access: String
    var spec: String
    var target: Target?
    var oldValue: UInt64?
    var newValue: UInt64?
    var result: String
    var reason: String
    /// `RelocationError.<case>` for failed decisions.
    var error: String?

    enum CodingKeys: String, CodingKey {
      case program, section, instruction, kind, localType, localTypeID, access, spec, target, oldValue, newValue,
        result, reason, error
    }

    func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(program, forKey: .program)
      try c.encode(section, forKey: .section)
      try c.encode(instruction, forKey: .instruction)
      try c.encode(kind, forKey: .kind)
      try c.encode(localType, forKey: .localType)
      try c.encode(localTypeID, forKey: .localTypeID)
      try c.encode(access, forKey: .access)
      try c.encode(spec, forKey: .spec)
      try c.encode(target, forKey: .target)
      try c.encode(oldValue, forKey: .oldValue)
      try c.encode(newValue, forKey: .newValue)
      try c.encode(result, forKey: .result)
      try c.encode(reason, forKey: .reason)
      try c.encode(error, forKey: .error)
    }
  }

  var object: String
  var target: String
  var relocations: [Entry]
  var patched: Int
  var poisoned: Int
  var failed: Int

  init(file: ObjectFile, target: String?, modules: [String]) throws {
    guard let btfBytes = file.btf else { throw RelocCommandError.noBTF(object: file.name) }
    let local = try BTF(bytes: btfBytes)
    // No .BTF.ext: no CO-RE records, an empty report.
    let ext = try file.btfExt.map { (bytes) throws(BTFError) in try BTF.Extension(bytes: bytes, btf: local) }
    let (base, baseName) = try Self.loadTarget(target)
    var targets = [TargetBTF(name: baseName, btf: base)]
    for path in modules {
      let name = URL(fileURLWithPath: path).lastPathComponent
      targets.append(TargetBTF(name: name, btf: try BTF(contentsOf: path, base: base)))
    }
    let plan: RelocationPlan
    if let ext {
      let code = try Self.codeSections(file, ext: ext)
      plan = CORERelocator(local: local, targets: targets).plan(code: code, extension: ext)
    } else {
      plan = RelocationPlan(decisions: [])
    }

    object = file.name
    self.target = target ?? "vmlinux"
    relocations = plan.decisions.map { d in
      var error: String?
      if case .failed(let e) = d.result { error = CommandOutput.kind(of: e) }
      return Entry(
        program: d.program, section: d.section, instruction: d.instruction, kind: d.kind.description,
        localType: d.localTypeName, localTypeID: d.localType.rawValue, access: d.localAccess, spec: d.localSpec,
        target: d.target.map {
          Target(btf: $0.btfName, typeID: $0.typeID.rawValue, type: $0.typeName, access: $0.access,
                 spec: d.targetSpec.flatMap { $0.isEmpty ? nil : $0 })
        },
        oldValue: d.oldValue, newValue: d.newValue, result: d.result.name, reason: d.reason, error: error)
    }
    patched = plan.decisions.filter { $0.result == .patched }.count
    poisoned = plan.decisions.filter { $0.result == .poisoned }.count
    failed = plan.decisions.count - patched - poisoned
  }

  /// The base target: the kernel's BTF, a raw BTF file, or an ELF's `.BTF`
  /// (a `vmlinux`, or an object built with `clang -g` from target types).
  static func loadTarget(_ path: String?) throws -> (BTF, String) {
    guard let path else { return (try BTF.kernel(), "vmlinux") }
    let name = URL(fileURLWithPath: path).lastPathComponent
    let magic = FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 4) }.map(Array.init) ?? []
    if magic == [0x7F, 0x45, 0x4C, 0x46] {
      guard let bytes = try ObjectFile(path: path).btf else { throw RelocCommandError.noBTF(object: path) }
      return (try BTF(bytes: bytes), name)
    }
    return (try BTF(contentsOf: path), name)
  }

  /// Every code section with CO-RE records, with its functions (programs
  /// and subprograms) by start slot.
  static func codeSections(_ file: ObjectFile, ext: BTF.Extension) throws -> [CodeSection] {
    try ext.coreRelocations.map { group in
      guard let section = file.section(named: group.name), let bytes = section.data else {
        throw RelocCommandError.noCode(object: file.name, section: group.name)
      }
      let instructions: InstructionSequence
      do throws(InstructionError) {
        instructions = try InstructionSequence(decoding: bytes, order: file.byteOrder)
      } catch {
        throw RelocCommandError.badCode(object: file.name, section: group.name, error)
      }
      let functions = file.programs.filter { $0.sectionIndex == section.index }
        .map { FunctionSymbol(name: $0.name, slot: $0.slot) }
        + file.subprograms.filter { $0.sectionIndex == section.index }
        .map { FunctionSymbol(name: $0.name, slot: $0.slot) }
      return CodeSection(name: group.name, instructions: instructions, functions: functions)
    }
  }

  var text: String {
    var out = "\(object) against \(target): \(relocations.count) CO-RE relocations, "
      + "\(patched) patched, \(poisoned) poisoned, \(failed) failed\n\n"
    let rows = relocations.map { e -> [String] in
      let target = e.target.map { "\($0.btf) \($0.access)" + ($0.spec.map { " (\($0))" } ?? "") } ?? "-"
      return [e.program, String(e.instruction), e.kind, "\(e.access) (\(e.spec))", target,
              e.oldValue.map(String.init) ?? "-", e.newValue.map(String.init) ?? "-", e.result,
              e.reason]
    }
    out += TextTable(header: ["PROGRAM", "INSN", "KIND", "LOCAL", "TARGET", "OLD", "NEW", "RESULT", "REASON"],
                     rows: rows).rendered
    return out
  }
}
