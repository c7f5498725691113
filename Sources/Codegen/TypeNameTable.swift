import BTF

/// The Swift name of every named C type in a BTF, decided once for the whole
/// BTF so a name never depends on which types a run happens to generate.
///
/// Named structs, unions and enums are named after their tag; a typedef that
/// names an anonymous struct, union or enum (`typedef struct { … } conf_t;`)
/// names it. Other typedefs are resolved, never declared. When several types
/// want one Swift name (`exec_event` and `ExecEvent`, or two `struct foo`
/// from different compilation units), they are ordered by C name, then by
/// type id, and all but the first get `_2`, `_3`, …: adding a type with
/// another name changes nothing here. A name the generated code itself uses
/// (`UInt32`, `String`, `LayoutBits` …) gets `_`.
struct TypeNameTable {
  private(set) var names: [BTF.TypeID: String] = [:]
  private(set) var taken: Set<String> = []

  init(btf: BTF) throws(CodegenError) {
    var wanted: [String: [(cName: String, id: BTF.TypeID)]] = [:]
    for raw in btf.allTypeIDs {
      let id = BTF.TypeID(raw)
      guard let cName = try Self.namingName(btf, id) else { continue }
      var candidate = SwiftNames.typeName(cName)
      if Self.reserved.contains(candidate) { candidate += "_" }
      wanted[candidate, default: []].append((cName, id))
    }
    for (candidate, claimants) in wanted {
      let ordered = claimants.sorted { ($0.cName, $0.id) < ($1.cName, $1.id) }
      for (index, claimant) in ordered.enumerated() {
        names[claimant.id] = index == 0 ? candidate : "\(candidate)_\(index + 1)"
      }
      taken.insert(candidate)
    }
  }

  /// The C name a type is declared under in Swift, or nil when it gets no
  /// declaration of its own name.
  static func namingName(_ btf: BTF, _ id: BTF.TypeID) throws(CodegenError) -> String? {
    let descriptor = try btf.descriptor(id)
    switch descriptor {
    case .struct, .union, .enum, .enum64:
      guard !descriptor.name.isAnonymous else { return nil }
      return try btf.text(descriptor.name, of: id)
    case .typedef(let t):
      let target = try btf.descriptor(try btf.resolvedOrThrow(t.type, throughTypedefs: false))
      switch target {
      case .struct, .union, .enum, .enum64:
        return target.name.isAnonymous ? try btf.text(t.name, of: id) : nil
      default:
        return nil
      }
    default:
      return nil
    }
  }

  /// Names the generated code uses from Swift and from the library.
  static let reserved: Set<String> = [
    "Bool", "Int", "UInt", "Int8", "Int16", "Int32", "Int64", "Int128", "UInt8", "UInt16", "UInt32",
    "UInt64", "UInt128", "Float", "Double", "Float16", "String", "Character", "InlineArray", "Array",
    "RawSpan", "Optional", "Never", "Void", "Sendable", "Hashable", "Equatable", "BitwiseCopyable",
    "RawRepresentable", "MemoryLayout", "KeyPath", "PartialKeyPath", "WritableKeyPath",
    "LayoutBits", "LayoutBytes", "LayoutString", "LayoutTrailing", "ByteOrder", "SwiftBPF", "Swift",
  ]
}

extension BTF {
  /// `self[id]` with the error wrapped for codegen.
  func descriptor(_ id: TypeID) throws(CodegenError) -> Descriptor {
    do { return try self[id] } catch { throw .btf(error, context: "reading type \(id.rawValue)") }
  }

  func resolvedOrThrow(_ id: TypeID, throughTypedefs: Bool = true) throws(CodegenError) -> TypeID {
    do { return try resolved(id, throughTypedefs: throughTypedefs) } catch {
      throw .btf(error, context: "resolving type \(id.rawValue)")
    }
  }

  func text(_ name: Name, of id: TypeID) throws(CodegenError) -> String {
    do { return try string(of: name) } catch { throw .btf(error, context: "the name of type \(id.rawValue)") }
  }

  func membersOrThrow(_ id: TypeID) throws(CodegenError) -> Members {
    do { return try members(of: id) } catch { throw .btf(error, context: "members of type \(id.rawValue)") }
  }

  /// A readable C spelling for messages and comments: `struct exec_event`.
  func cDescription(_ id: TypeID) -> String {
    guard let descriptor = try? self[id] else { return "type \(id.rawValue)" }
    let name = (try? string(of: descriptor.name)) ?? ""
    let shown = name.isEmpty ? "(anonymous)" : name
    switch descriptor {
    case .struct: return "struct \(shown)"
    case .union: return "union \(shown)"
    case .enum, .enum64: return "enum \(shown)"
    case .typedef: return "typedef \(shown)"
    default: return name.isEmpty ? descriptor.kind.kernelName.lowercased() : name
    }
  }
}
