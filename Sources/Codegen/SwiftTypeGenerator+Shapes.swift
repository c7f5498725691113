import BTF

/// From a BTF type to its Swift shape: scalars map to Swift's fixed-width
/// types, arrays to `InlineArray`, pointers to `UInt64` (an address in the
/// BPF program's memory means nothing to Swift), modifiers and typedefs are
/// looked through; structs, unions and enums get declarations.
extension SwiftTypeGenerator {
  /// `hint` names an anonymous struct, union or enum met on the way (the
  /// parent's name and the member's, or a typedef's name).
  mutating func shape(of id: BTF.TypeID, hint: String?) throws(CodegenError) -> TypeShape {
    let descriptor = try btf.descriptor(id)
    switch descriptor {
    case .integer(let t):
      return try integerShape(t, id: id)
    case .float(let t):
      switch t.size {
      case 4: return TypeShape(spelling: "Float", size: 4, alignment: 4)
      case 8: return TypeShape(spelling: "Double", size: 8, alignment: 8)
      default:
        throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                               reason: "a \(t.size)-byte floating-point type has no Swift equivalent")
      }
    case .pointer:
      return btf.pointerSize == 4
        ? TypeShape(spelling: "UInt32", size: 4, alignment: 4)
        : TypeShape(spelling: "UInt64", size: 8, alignment: 8)
    case .array(let a):
      let element = try shape(of: a.element, hint: hint)
      let count = Int(a.count)
      let (size, overflow) = element.size.multipliedReportingOverflow(by: count)
      guard !overflow else {
        throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue, reason: "the array's size overflows")
      }
      var result = TypeShape(spelling: "InlineArray<\(count), \(element.spelling)>", size: size,
                             alignment: element.alignment)
      // Only a one-dimensional char array reads as a string.
      result.isCharArray = element.isChar
      return result
    case .struct(let c), .union(let c):
      let name = try declaredName(id, c.name, hint: hint)
      return try compositeShape(id, c, isUnion: descriptor.kind == .union, name: name)
    case .enum(let e), .enum64(let e):
      let name = try declaredName(id, e.name, hint: hint)
      return try enumShape(id, e, name: name)
    case .typedef(let t):
      var typedefHint = hint
      if let name = try names()[id] { typedefHint = name }
      return try shape(of: t.type, hint: typedefHint)
    case .const(let inner), .volatile(let inner), .restrict(let inner):
      return try shape(of: inner, hint: hint)
    case .typeTag(let t):
      return try shape(of: t.type, hint: hint)
    case .variable(let v):
      return try shape(of: v.type, hint: hint)
    case .void, .forward, .function, .functionPrototype, .dataSection, .declarationTag, .unknown:
      throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                             reason: "a \(descriptor.kind.kernelName) has no size, so no value of it can be stored")
    }
  }

  func integerShape(_ t: BTF.Integer, id: BTF.TypeID) throws(CodegenError) -> TypeShape {
    let size = Int(t.size)
    if t.encoding.contains(.bool) && size == 1 {
      var shape = TypeShape(spelling: "Bool", size: 1, alignment: 1)
      shape.bitfield = .bool
      return shape
    }
    let bits: Int
    switch size {
    case 1, 2, 4, 8, 16: bits = size * 8
    default:
      throw .unrepresentable(type: btf.cDescription(id), id: id.rawValue,
                             reason: "a \(size)-byte integer has no Swift equivalent")
    }
    let spelling = (t.isSigned ? "Int" : "UInt") + "\(bits)"
    var shape = TypeShape(spelling: spelling, size: size, alignment: TypeShape.scalarAlignment(size))
    shape.bitfield = .integer(spelling)
    if size == 1, t.encoding.contains(.char) || (try? btf.string(of: t.name)) == "char" {
      shape.isChar = true
    }
    return shape
  }

  /// The name table, built on first use.
  mutating func names() throws(CodegenError) -> [BTF.TypeID: String] {
    if let nameTable { return nameTable.names }
    let table = try TypeNameTable(btf: btf)
    nameTable = table
    return table.names
  }

  /// The Swift name of a struct, union or enum: from the name table when it
  /// is named (or named by a typedef), else the hint, else from its contents.
  mutating func declaredName(_ id: BTF.TypeID, _ name: BTF.Name, hint: String?) throws(CodegenError) -> String {
    if !name.isAnonymous, let known = try names()[id] { return known }
    if let hint { return hint }
    return try AnonymousName(btf: btf).name(for: id)
  }
}
