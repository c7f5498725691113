import UAPI

/// Definitions: struct and union bodies (with the layout plan's attributes
/// and padding), enums, typedefs.
extension CHeaderWriter {
  static let tabs: [String] = (0 ..< 32).map { String(repeating: "\t", count: $0) }

  static func tabs(_ n: Int) -> String { n < tabs.count ? tabs[n] : String(repeating: "\t", count: n) }

  /// `struct name { ... } attributes;` at top level.
  func writeComposite(_ id: BTF.TypeID, _ descriptor: BTF.Descriptor) throws(BTFError) {
    guard case .struct(let c) = descriptor else {
      if case .union(let c) = descriptor {
        let name = tagName(id, .union)
        out += "union \(name) "
        out += try body(c, indent: 0)
        out += ";\n\n"
      }
      return
    }
    let name = tagName(id, .struct)
    out += "struct \(name) "
    out += try body(c, indent: 0)
    out += ";\n\n"
  }

  /// An anonymous struct or union written where it is used.
  func compositeText(_ id: BTF.TypeID, _ descriptor: BTF.Descriptor, indent: Int) throws(BTFError) -> String {
    switch descriptor {
    case .struct(let c): return "struct " + (try body(c, indent: indent))
    case .union(let c): return "union " + (try body(c, indent: indent))
    default: return "void"
    }
  }

  /// `{ members } __attribute__((...))`.
  func body(_ c: BTF.Composite, indent: Int) throws(BTFError) -> String {
    let plan = try plan(c.id)
    let members = try btf.members(of: c.id)
    let inner = Self.tabs(indent + 1)
    var text = "{\n"
    for item in plan.items {
      switch item {
      case .padding(let bits):
        text += inner + "long: \(bits);\n"
      case .unionTail(let bits):
        text += inner + "struct {"
        var at = 0
        while at < bits {
          let chunk = min(bits - at, 64)
          text += " long: \(chunk);"
          at += chunk
        }
        text += " };\n"
      case .member(let index, let align):
        guard index < members.count else { continue }
        let member = members[index]
        var name = fieldName(member.name)
        if name.isEmpty, !(try isAnonymousComposite(member.type)) { name = "__anon\(index)" }
        text += inner
        text += try declaration(member.type, name, indent: indent + 1)
        let (_, width) = placement(member, in: c)
        if width > 0 { text += ": \(width)" }
        if align > 0 { text += " __attribute__((aligned(\(align))))" }
        text += ";\n"
      }
    }
    text += Self.tabs(indent) + "}"
    if plan.packed { text += " __attribute__((packed))" }
    if plan.typeAlign > 0 { text += " __attribute__((aligned(\(plan.typeAlign))))" }
    return text
  }

  /// A member without a name is a C anonymous member only when its type is
  /// an untagged struct or union; otherwise it gets a made-up name.
  func isAnonymousComposite(_ id: BTF.TypeID) throws(BTFError) -> Bool {
    switch try btf[id] {
    case .struct(let c), .union(let c): return c.name.isAnonymous
    default: return false
    }
  }

  /// `typedef <declaration>;`.
  func writeTypedef(_ id: BTF.TypeID, _ t: BTF.Typedef) throws(BTFError) {
    let name = typedefName(id)
    out += "typedef "
    out += try declaration(t.type, name, indent: 0)
    out += ";\n\n"
  }

  /// A named enum, or an anonymous one written on its own.
  func writeEnumDefinition(_ id: BTF.TypeID) throws(BTFError) {
    switch try btf[id] {
    case .enum(let e), .enum64(let e): try writeEnum(id, e)
    default: break
    }
  }

  private func writeEnum(_ id: BTF.TypeID, _ e: BTF.Enumeration) throws(BTFError) {
    if e.name.isAnonymous {
      if e.count == 0 { return }  // declares nothing
      out += try enumText(id, e, name: nil, indent: 0)
    } else {
      out += try enumText(id, e, name: tagName(id, .enum), indent: 0)
    }
    out += ";\n\n"
  }

  /// The C type with an enum's size and signedness.
  static func enumStorageName(_ e: BTF.Enumeration) -> String {
    switch (e.size, e.isSigned) {
    case (1, true): return "signed char"
    case (1, false): return "unsigned char"
    case (2, true): return "short"
    case (2, false): return "unsigned short"
    case (8, true): return "long long"
    case (8, false): return "unsigned long long"
    case (_, true): return "int"
    case (_, false): return "unsigned int"
    }
  }

  /// `enum name { A = 1, ... }`. A 4-byte enum is a plain C enum (clang
  /// makes it `int` or `unsigned int`); other sizes name their underlying
  /// type (`enum rw_hint : unsigned char`, C23, which clang accepts in every
  /// mode), the only spelling that gives clang exactly the kernel's size and
  /// signedness: a plain enum of small values is 4 bytes, and `packed` or
  /// `mode` pick a size from the values, not from the BTF.
  func enumText(_ id: BTF.TypeID, _ e: BTF.Enumeration, name: String?, indent: Int) throws(BTFError) -> String {
    let fixed = e.size != 4 || e.count == 0
    var text = "enum"
    if let name { text += " " + name }
    if fixed { text += " : " + Self.enumStorageName(e) }
    if e.count == 0 {
      // An opaque enum of known size (C23), usable by value.
      return name == nil ? Self.enumStorageName(e) : text
    }
    text += " {\n"
    let inner = Self.tabs(indent + 1)
    for (i, value) in try btf.enumerators(of: id).enumerated() {
      let raw = value.name.isAnonymous ? "" : ((try? btf.string(of: value.name)) ?? "")
      let label = claimOrdinary(Self.identifier(raw), fallback: "__anon_enum_\(id.rawValue)_\(i)")
      text += inner + label + " = " + Self.literal(value.bits, e) + ",\n"
    }
    text += Self.tabs(indent) + "}"
    return text
  }

  /// An enumerator's value as a C literal of the enum's width and sign.
  static func literal(_ bits: UInt64, _ e: BTF.Enumeration) -> String {
    switch (e.size, e.isSigned) {
    case (1, true): return String(Int8(truncatingIfNeeded: bits))
    case (1, false): return String(UInt8(truncatingIfNeeded: bits))
    case (2, true): return String(Int16(truncatingIfNeeded: bits))
    case (2, false): return String(UInt16(truncatingIfNeeded: bits))
    case (8, true):
      let v = Int64(bitPattern: bits)
      return v == Int64.min ? "(-9223372036854775807LL - 1)" : "\(v)LL"
    case (8, false): return "\(bits)ULL"
    case (_, true): return String(Int32(truncatingIfNeeded: bits))
    case (_, false): return String(UInt32(truncatingIfNeeded: bits))
    }
  }
}
