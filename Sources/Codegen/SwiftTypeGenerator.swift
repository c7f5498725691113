import BTF
import UAPI

/// Swift declarations with exactly the C layout of BTF types: the engine of
/// `swiftbpf gen types`, also used by the skeleton generator.
///
/// A caller asks for the Swift spelling of the types it needs
/// (`typeReference(for:)`), names extra ones (`include(named:)`) or lays out
/// a global data section (`sectionLayout`); every named declaration those
/// need is registered on the way, and `declarations()` writes them all,
/// sorted by name, so the same input always gives the same bytes.
///
/// The layout rules (see `CompositeLayout`): a struct that is not packed
/// stores each non-bitfield member at its C offset, with explicit padding;
/// bitfields, union members and members of packed structs are computed
/// properties over the record's bytes (`LayoutBits`, `LayoutBytes`); enums
/// are raw-value structs, so values the C enum does not name survive.
package struct SwiftTypeGenerator {
  package struct Options: Sendable {
    /// The access level of the generated declarations.
    package enum Access: String, Sendable, CaseIterable {
      case `public`, `internal`
      /// For several generated files in one module (the layout tests):
      /// file-private types of one file do not clash with another's.
      case `fileprivate`
    }
    package var access: Access
    package init(access: Access = .public) { self.access = access }
  }

  let btf: BTF
  let options: Options
  /// Declarations by Swift name, written in name order.
  var registered: [String: Declaration] = [:]
  /// Declarations being built (a by-value cycle would never finish).
  var inProgress: Set<String> = []
  /// The Swift names of named C types, decided once for the whole BTF.
  var nameTable: TypeNameTable?

  package init(btf: BTF, options: Options = .init()) {
    self.btf = btf
    self.options = options
  }

  /// The Swift spelling of a type used for a member or variable (`UInt32`,
  /// `ExecEvent`, `InlineArray<16, Int8>`), registering every named
  /// declaration it needs. Anonymous structs, unions and enums reached here
  /// without a typedef are named after their contents (`AnonymousStruct_…`).
  package mutating func typeReference(for id: BTF.TypeID) throws(CodegenError) -> String {
    try shape(of: id, hint: nil).spelling
  }

  /// Like `typeReference(for:)`, naming an anonymous struct, union or enum
  /// `anonymousName` (a map's value, a variable) instead of by its contents.
  package mutating func typeReference(for id: BTF.TypeID, anonymousName: String) throws(CodegenError) -> String {
    try shape(of: id, hint: anonymousName).spelling
  }

  /// Registers a named C type (`--type NAME`): a struct, union, enum or a
  /// typedef (through to what it names). Throws when the BTF has none.
  package mutating func include(named name: String) throws(CodegenError) {
    let kinds: [BTF.Kind] = [.struct, .union, .enum, .enum64, .typedef]
    let candidates = kinds.flatMap { btf.types(named: name, kind: $0) }.sorted()
    guard let id = candidates.first else { throw .unknownType(name: name) }
    _ = try shape(of: id, hint: SwiftNames.typeName(name))
  }

  /// Every registered declaration, sorted by Swift name, separated by blank lines.
  package func declarations() -> String {
    registered.keys.sorted().compactMap { registered[$0]?.text }.joined(separator: "\n")
  }

  /// The Swift names registered so far, sorted.
  package var declaredNames: [String] { registered.keys.sorted() }

  /// `public `, `fileprivate ` or nothing (internal is Swift's default).
  var access: String {
    switch options.access {
    case .public: return "public "
    case .internal: return ""
    case .fileprivate: return "fileprivate "
    }
  }
}

/// A registered declaration: its text and the C type it came from, so a
/// second request for the name can tell the same type from a clash.
struct Declaration {
  var origin: String
  var text: String
  /// Its size, alignment and exposed properties, for the types using it.
  var shape: TypeShape
  /// The BTF type it declares (nil for a data section).
  var btfID: BTF.TypeID?
  /// How each C member is reached from Swift, for the layout manifest.
  var members: [ManifestMember] = []
  var isEnum = false
}

/// One C member of a generated record as Swift reaches it.
struct ManifestMember {
  enum Role: String {
    /// A stored property at the member's offset.
    case stored
    /// A computed property loading and storing the member's bytes.
    case computed
    /// A computed property over the member's bits.
    case bitfield
  }
  /// The C name; a member of an anonymous member has its own name, as in C.
  var cName: String
  var swiftName: String
  var role: Role
}
