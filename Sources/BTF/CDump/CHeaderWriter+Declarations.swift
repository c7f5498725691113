import UAPI

/// C declarations: a type id and a name become `int (*name)[4]`.
///
/// C declarators grow inside out: a pointer puts `*` before the name, an
/// array `[N]` after it, a prototype `(params)` after it, and a pointer to an
/// array or a function needs parentheses around what came before. So the
/// walk starts with the name and wraps it, type by type, until a base type
/// (integer, struct, typedef...) goes in front. Qualifiers above a pointer
/// follow its star (`* const`); above anything else they precede the base.
extension CHeaderWriter {
  /// `type declarator`, e.g. `const char *name`; `indent` is the nesting of
  /// the surrounding body, for anonymous structs written inline.
  func declaration(_ id: BTF.TypeID, _ declarator: String, indent: Int) throws(BTFError) -> String {
    var current = id
    var inner = declarator
    var qualifiers: [String] = []
    for _ in 0 ... btf.typeCount {
      let descriptor = try btf[current]
      switch descriptor {
      case .const(let t):
        if !qualifiers.contains("const") { qualifiers.append("const") }
        current = t
      case .volatile(let t):
        if !qualifiers.contains("volatile") { qualifiers.append("volatile") }
        current = t
      case .restrict(let t):
        if !qualifiers.contains("restrict") { qualifiers.append("restrict") }
        current = t
      case .typeTag(let t):
        qualifiers.append(typeTag(t))
        current = t.type
      case .pointer(let target):
        var star = "*"
        if !qualifiers.isEmpty {
          star += qualifiers.joined(separator: " ") + (inner.isEmpty ? "" : " ")
          qualifiers.removeAll()
        }
        inner = star + inner
        if try needsParentheses(target) { inner = "(" + inner + ")" }
        current = target
      case .array(let a):
        // Qualifiers of an array qualify its elements: keep them for the base.
        inner += "[\(a.count)]"
        current = a.element
      case .functionPrototype:
        inner += try parameterList(current)
        qualifiers.removeAll()  // a qualified function type means nothing in C
        current = descriptor.referencedType ?? .void
      default:
        let base = try baseName(current, descriptor, indent: indent)
        var text = ""
        // Tags go after the base (`int __btf_type_tag("user") *p`), others before.
        let (tags, plain) = (qualifiers.filter { $0.hasPrefix("__") }, qualifiers.filter { !$0.hasPrefix("__") })
        for q in plain { text += q + " " }
        text += base
        for t in tags { text += " " + t }
        if !inner.isEmpty { text += " " + inner }
        return text
      }
    }
    throw .referenceLoop(typeID: id.rawValue, offset: 0)
  }

  /// A TYPE_TAG as an attribute: `__btf_type_tag("rcu")` (the prelude's
  /// macro), or the attribute itself when kind_flag says it is one.
  func typeTag(_ t: BTF.TypeTag) -> String {
    let text = (try? btf.string(of: t.name)) ?? ""
    if t.isAttribute { return "__attribute__((\(text)))" }
    usesTypeTags = true
    return "__btf_type_tag(\"\(Self.escaped(text))\")"
  }

  static func escaped(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      default:
        if scalar.value < 0x20 || scalar.value >= 0x7F { out += "?" } else { out.unicodeScalars.append(scalar) }
      }
    }
    return out
  }

  /// Whether a pointer to `target` must be parenthesized: it points to an
  /// array or a function (through qualifiers).
  func needsParentheses(_ target: BTF.TypeID) throws(BTFError) -> Bool {
    var current = target
    for _ in 0 ..< 64 {
      switch try btf[current] {
      case .const(let t), .volatile(let t), .restrict(let t): current = t
      case .typeTag(let t): current = t.type
      case .array, .functionPrototype: return true
      default: return false
      }
    }
    return false
  }

  /// `(int, char *)`, `(void)`, `(int, ...)`. Parameter names are left out:
  /// a parameter named like a typedef would change how the rest parses.
  func parameterList(_ id: BTF.TypeID) throws(BTFError) -> String {
    let parameters = try btf.parameters(of: id)
    if parameters.isEmpty { return "(void)" }
    var text = "("
    for (i, parameter) in parameters.enumerated() {
      if i > 0 { text += ", " }
      if parameter.isVariadic {
        text += "..."
      } else {
        text += try declaration(parameter.type, "", indent: 0)
      }
    }
    return text + ")"
  }

  /// The base type's spelling: a C scalar, `struct X`, a typedef name, or an
  /// anonymous struct/union/enum written out in full.
  func baseName(_ id: BTF.TypeID, _ descriptor: BTF.Descriptor, indent: Int) throws(BTFError) -> String {
    switch descriptor {
    case .void: return "void"
    case .integer(let t): return integerName(t)
    case .float(let t): return floatName(t)
    case .struct(let c):
      if c.name.isAnonymous { return try compositeText(id, descriptor, indent: indent) }
      return "struct " + tagName(id, .struct)
    case .union(let c):
      if c.name.isAnonymous { return try compositeText(id, descriptor, indent: indent) }
      return "union " + tagName(id, .union)
    case .enum(let e), .enum64(let e):
      if !e.name.isAnonymous { return "enum " + tagName(id, .enum) }
      let index = Int(id.rawValue)
      if state[index] & Flags.defined != 0 { return Self.enumStorageName(e) }
      state[index] |= Flags.defined
      return try enumText(id, e, name: nil, indent: indent)
    case .forward(let f):
      return f.isUnion ? "union " + tagName(id, .forwardUnion) : "struct " + tagName(id, .forwardStruct)
    case .typedef:
      return typedefName(id)
    default:
      // FUNC, VAR, DATASEC, DECL_TAG are not types of values.
      return "void"
    }
  }

  /// An INT by its BTF name when that spells a C type of the same size on
  /// BPF (`long unsigned int`, `_Bool`, `__int128 unsigned`), otherwise the
  /// C type of that size and signedness (pahole's `ssizetype`, Rust's `u8`).
  func integerName(_ t: BTF.Integer) -> String {
    let text = (try? btf.string(of: t.name)) ?? ""
    if let size = Self.cIntegerSize(text), size == Int(t.size) { return text }
    if t.encoding.contains(.bool) && t.size == 1 { return "_Bool" }
    switch (t.size, t.isSigned) {
    case (1, _) where t.encoding.contains(.char): return "char"
    case (1, true): return "signed char"
    case (1, false): return "unsigned char"
    case (2, true): return "short"
    case (2, false): return "unsigned short"
    case (4, true): return "int"
    case (4, false): return "unsigned int"
    case (8, true): return "long long"
    case (8, false): return "unsigned long long"
    case (16, true): return "__int128"
    case (16, false): return "unsigned __int128"
    default: return "unsigned char"
    }
  }

  /// The BPF size of a spelling made of C integer keywords, or nil.
  static func cIntegerSize(_ text: String) -> Int? {
    var longs = 0
    var size: Int?
    var sawAny = false
    for word in text.split(separator: " ") {
      sawAny = true
      switch word {
      case "signed", "unsigned", "int": break
      case "char", "_Bool": size = 1
      case "short": size = 2
      case "long": longs += 1
      case "__int128": size = 16
      default: return nil
      }
    }
    guard sawAny else { return nil }
    if let size { return longs == 0 ? size : nil }
    return longs > 0 ? 8 : 4
  }

  /// A FLOAT by name when BPF gives that name the same size; otherwise a
  /// type of the same size and alignment (BPF has no 16-byte float: the
  /// x86_64 `long double` becomes `__int128`, layout-equal).
  func floatName(_ t: BTF.FloatingPoint) -> String {
    let text = (try? btf.string(of: t.name)) ?? ""
    switch (text, t.size) {
    case ("float", 4), ("double", 8), ("long double", 8): return text
    default: break
    }
    switch t.size {
    case 2: return "short"
    case 4: return "float"
    case 8: return "double"
    case 16: return "__int128"
    default: return "unsigned char"
    }
  }
}
