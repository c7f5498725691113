import BTF

/// C enums as raw-value structs: `rawValue` has the enum's size and
/// signedness, each enumerator is a static constant, and any other value (a
/// newer kernel's, a flag combination) is still a value of the type.
extension SwiftTypeGenerator {
  mutating func enumShape(_ id: BTF.TypeID, _ e: BTF.Enumeration, name: String) throws(CodegenError) -> TypeShape {
    // A forward-declared enum (`enum E;`: size 0, no values) is C's
    // incomplete enum, whose storage compilers make an `int`'s; the loader
    // gives it 4 bytes for the kernel as well.
    let size = e.size == 0 && e.count == 0 ? 4 : Int(e.size)
    guard [1, 2, 4, 8].contains(size) else {
      throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                             reason: "an enum of \(size) bytes has no Swift integer type")
    }
    let raw = (e.isSigned ? "Int" : "UInt") + "\(size * 8)"
    var shape = TypeShape(spelling: name, size: size, alignment: size)
    shape.bitfield = .enumeration(name: name, raw: raw)
    shape.exposed = [("rawValue", raw)]
    let origin = "btf \(id.rawValue)"
    if let known = registered[name], known.origin == origin { return known.shape }

    let enumerators: BTF.Enumerators
    do { enumerators = try btf.enumerators(of: id) } catch {
      throw .btf(error, context: "enumerators of \(btf.cDescription(id))")
    }
    var names = MemberNameAllocator(reserved: ["rawValue", "init", "hashValue"])
    let signedness = e.isSigned ? "signed" : "unsigned"
    var lines = [
      "/// C: `\(btf.cDescription(id))`, \(size == 1 ? "1 byte" : "\(size) bytes"), \(signedness); values it does not name are kept.",
      "\(access)struct \(name): RawRepresentable, Hashable, BitwiseCopyable, Sendable {",
      "  \(access)var rawValue: \(raw)",
      "  \(access)init(rawValue: \(raw)) { self.rawValue = rawValue }",
    ]
    if !enumerators.isEmpty { lines.append("") }
    for enumerator in enumerators {
      let cName = try btf.text(enumerator.name, of: id)
      let constant = names.claim(SwiftNames.memberName(cName))
      lines.append("  \(access)static let \(constant) = \(name)(rawValue: \(Self.literal(enumerator.bits, size: size, signed: e.isSigned)))")
    }
    lines.append("}")
    try register(name, Declaration(origin: origin, text: lines.joined(separator: "\n") + "\n", shape: shape,
                                   btfID: id, isEnum: true))
    return shape
  }

  /// The value as a literal of the raw type: its low `size` bytes, read as
  /// signed or unsigned (BTF keeps 64 bits; a 1-byte enum holds 8 of them).
  static func literal(_ bits: UInt64, size: Int, signed: Bool) -> String {
    let width = UInt64(size * 8)
    let low = width == 64 ? bits : bits & ((1 << width) - 1)
    guard signed else { return "\(low)" }
    let shift = 64 - width
    return "\(Int64(bitPattern: low << shift) >> shift)"
  }
}
