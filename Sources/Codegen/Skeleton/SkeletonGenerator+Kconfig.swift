import BTF
import ELFReader

/// The skeleton's `kconfig`: each `__kconfig` extern as an optional override
/// before load (nil: the running kernel's configuration decides) and as a
/// typed value after load, read from the `.kconfig` map.
extension SkeletonGenerator {
  mutating func describeKconfig(into model: inout SkeletonModel) throws(CodegenError) {
    guard let btf = types?.btf else { return }
    var scope = NameScope()
    for extern in file.externs where extern.kind == .kconfig {
      guard let id = extern.btfTypeID,
            let value = try kconfigValue(of: id, in: btf, name: extern.name) else { continue }
      model.kconfig.append(.init(cName: extern.name, property: scope.member(extern.name), value: value))
    }
  }

  /// The Swift shape of a kconfig extern (its `VAR` is `id`); nil for types
  /// the loader does not fill (it refuses them at load).
  mutating func kconfigValue(of id: BTF.TypeID, in btf: BTF, name: String) throws(CodegenError) -> KconfigValue? {
    let shape: (kind: KconfigValue.Kind, type: BTF.TypeID)
    do throws(BTFError) {
      guard case .variable(let variable) = try btf[id] else { return nil }
      let resolved = try btf.resolved(variable.type)
      switch try btf[resolved] {
      case .integer(let integer) where integer.encoding.contains(.bool): shape = (.bool, resolved)
      case .integer: shape = (.integer, resolved)
      case .enum(let enumeration) where try btf.string(of: enumeration.name) == "libbpf_tristate":
        shape = (.tristate, resolved)
      case .array(let array):
        guard case .integer(let element) = try btf.resolvedDescriptor(array.element), element.size == 1 else {
          return nil
        }
        shape = (.string, resolved)
      default:
        return nil
      }
    } catch {
      throw .btf(error, context: "\(file.name): the type of kconfig extern \(name)")
    }
    guard let storage = try types?.typeReference(for: shape.type) else { return nil }
    return KconfigValue(kind: shape.kind, storageType: storage)
  }
}

/// How a kconfig extern reads in Swift and how an override is written.
struct KconfigValue: Equatable {
  enum Kind: Equatable { case bool, integer, tristate, string }

  var kind: Kind
  /// The Swift type of the C storage (`UInt32`, `LibbpfTristate`, `InlineArray<16, Int8>`).
  var storageType: String

  /// The type users see (the override is its optional): `String` for `char[N]`.
  var swiftType: String { kind == .string ? "String" : storageType }

  /// The expression giving the override's config text from `value`.
  func text(_ value: String) -> String {
    kind == .tristate ? "KconfigText.tristate(rawValue: \(value).rawValue)" : "KconfigText.text(\(value))"
  }

  /// The expression reading the loaded value of `name` from `object`.
  func read(_ name: String, from object: String) -> String {
    kind == .string
      ? "try LayoutString.decode(\(object).variable(\"\(name)\", as: \(storageType).self))"
      : "try \(object).variable(\"\(name)\", as: \(storageType).self)"
  }
}
