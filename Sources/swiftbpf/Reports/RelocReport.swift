import FoundationEssentials
import SwiftBPF

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
    var old: UInt64?
    var new: UInt64?
    var result: String
    var reason: String
    /// `RelocationError.<case>` for failed decisions.
    var error: String?

    enum CodingKeys: String, CodingKey {
      case program, section, instruction, kind, localType, localTypeID, access, spec, target, old, new,
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
      try c.encode(old, forKey: .old)
      try c.encode(new, forKey: .new)
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
        old: d.oldValue, new: d.newValue, result: d.result.name, reason: d.reason, error: error)
    }
    patched = plan.decisions.filter { $0.result == .patched }.count
    poisoned = plan.decisions.filter { $0.result == .poisoned }.count
    failed = plan.decisions.count - patched - poisoned
  }

  /// The base target: the kernel's BTF, or a file `BTFFile` can open.
  static func loadTarget(_ path: String?) throws -> (BTF, String) {
    guard let path else { return (try BTF.kernel(), "vmlinux") }
    return (try BTFFile.load(path), URL(fileURLWithPath: path).lastPathComponent)
  }

  /// Every code section with CO-RE records, with its functions (programs
  /// and subprograms) by start slot: the loader's own CO-RE input.
  static func codeSections(_ file: ObjectFile, ext: BTF.Extension) throws -> [CodeSection] {
    let input = COREInput(file: file, extension: ext)
    if let (section, error) = input.unavailable.first {
      if let error { throw RelocCommandError.badCode(object: file.name, section: section, error) }
      throw RelocCommandError.noCode(object: file.name, section: section)
    }
    return input.sections
  }

  var text: String {
    var out = "\(object) against \(target): \(relocations.count) CO-RE relocations, "
      + "\(patched) patched, \(poisoned) poisoned, \(failed) failed\n\n"
    let rows = relocations.map { e -> [String] in
      let target = e.target.map { "\($0.btf) \($0.access)" + ($0.spec.map { " (\($0))" } ?? "") } ?? "-"
      return [e.program, String(e.instruction), e.kind, "\(e.access) (\(e.spec))", target,
              e.old.map(String.init) ?? "-", e.new.map(String.init) ?? "-", e.result,
              e.reason]
    }
    out += TextTable(header: ["PROGRAM", "INSN", "KIND", "LOCAL", "TARGET", "OLD", "NEW", "RESULT", "REASON"],
                     rows: rows).rendered
    return out
  }
}
