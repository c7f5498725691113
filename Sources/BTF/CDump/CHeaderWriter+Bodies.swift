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
    let index = Int(id.rawValue)
    guard state.indices.contains(index) else { throw .typeIDOutOfRange(typeID: id.rawValue, offset: 0, referenced: id.rawValue) }
    if state[index] & Flags.inlining != 0 {
      throw .invalidType(typeID: id.rawValue, offset: 0,
                         reason: "an anonymous struct or union refers to itself, so C cannot write it inline")
    }
    state[index] |= Flags.inlining
    defer { state[index] &= ~Flags.inlining }
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
    var text = plan.exact ? "{\n" : "{ /* no C layout matches the BTF: members overlap or pass the size */\n"
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
        text += inner
        text += try memberText(c, members[index], index: index, align: align, indent: indent + 1)
      case .shiftedMember(let index, let bits, let packed):
        guard index < members.count else { continue }
        let deeper = Self.tabs(indent + 2)
        text += inner + "struct {\n"
        var at = 0
        while at < bits {
          let chunk = min(bits - at, 64 - at % 64)
          text += deeper + "long: \(chunk);\n"
          at += chunk
        }
        text += deeper
        text += try memberText(c, members[index], index: index, align: 0, indent: indent + 2)
        text += inner + "}" + (packed ? " __attribute__((packed))" : "") + ";\n"
      }
    }
    text += Self.tabs(indent) + "}"
    if plan.packed { text += " __attribute__((packed))" }
    if plan.typeAlign > 0 { text += " __attribute__((aligned(\(plan.typeAlign))))" }
    text += declarationTagText(c.id, component: -1)
    return text
  }

  /// `type name: width attributes;` and a newline.
  func memberText(_ c: BTF.Composite, _ member: BTF.Member, index: Int, align: Int, indent: Int)
    throws(BTFError) -> String
  {
    var name = fieldName(member.name)
    if name.isEmpty, !(try isAnonymousComposite(member.type)) { name = "__anon\(index)" }
    var text = try declaration(member.type, name, indent: indent)
    let (_, width) = placement(member, in: c)
    if width > 0 { text += ": \(width)" }
    if align > 0 { text += " __attribute__((aligned(\(align))))" }
    text += declarationTagText(c.id, component: Int32(index))
    return text + ";\n"
  }

  /// A member without a name is a C anonymous member only when its type is
  /// an untagged struct or union; otherwise it gets a made-up name.
  func isAnonymousComposite(_ id: BTF.TypeID) throws(BTFError) -> Bool {
    switch try btf[id] {
    case .struct(let c), .union(let c): return c.name.isAnonymous
    default: return false
    }
  }

  /// ` __btf_decl_tag("x")` for each DECL_TAG on the type (component -1)
  /// or on one of its members; the attribute itself when kind_flag says the
  /// tag is one (Linux 6.14).
  func declarationTagText(_ id: BTF.TypeID, component: Int32) -> String {
    guard let tags = declarationTags[id.rawValue] else { return "" }
    var text = ""
    for (index, tag) in tags where index == component {
      let value = (try? btf.string(of: tag.name)) ?? ""
      if tag.isAttribute {
        text += " __attribute__((\(value)))"
      } else {
        usesDeclarationTags = true
        text += " __btf_decl_tag(\"\(Self.escaped(value))\")"
      }
    }
    return text
  }

  /// `typedef <declaration>;`.
  func writeTypedef(_ id: BTF.TypeID, _ t: BTF.Typedef) throws(BTFError) {
    let name = typedefName(id)
    out += "typedef "
    out += try declaration(t.type, name, indent: 0)
    out += declarationTagText(id, component: -1)
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
    // A forward-declared enum (size 0, no values) stays what the source
    // had, an incomplete `enum name` (as bpftool writes it): any size given
    // here would be one the BTF does not have.
    let forward = e.size == 0 && e.count == 0
    let fixed = !forward && (e.size != 4 || e.count == 0)
    var text = "enum"
    if let name { text += " " + name }
    if forward { return name == nil ? Self.enumStorageName(e) : text }
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
