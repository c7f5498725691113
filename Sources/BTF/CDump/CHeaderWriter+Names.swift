import UAPI

/// C names for BTF names: valid identifiers, no keywords, no clashes.
///
/// C has two namespaces that matter at file scope: tags (`struct`, `union`
/// and `enum` share one) and ordinary identifiers (typedef names and
/// enumerators). Two different types may carry one name in BTF (vmlinux has
/// several `struct foo` from different compilation units, and enumerators
/// repeat across enums); the second one to be emitted gets `___2`, the next
/// `___3`, ... — the `___` suffix is a CO-RE flavor, so programs relocating
/// against such a type still find the kernel's. A FWD shares its name with a
/// struct (or union) of that name: `struct foo;` then `struct foo { ... };` is
/// one type.
extension CHeaderWriter {
  /// What claimed a tag name.
  enum TagClass: UInt8 {
    case `struct`, union, `enum`, forwardStruct, forwardUnion
    var isForward: Bool { self == .forwardStruct || self == .forwardUnion }
  }

  /// C keywords (C17 and GNU) and names clang predefines, which a header
  /// cannot declare. `__builtin_va_list` is one: on the BPF target it is an
  /// 8-byte pointer, while the kernel's (x86_64) is a 24-byte array of
  /// `struct __va_list_tag`; renaming the kernel's typedef keeps its layout.
  static let reserved: Set<String> = [
    "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
    "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register",
    "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch",
    "typedef", "union", "unsigned", "void", "volatile", "while", "_Alignas", "_Alignof",
    "_Atomic", "_Bool", "_Complex", "_Generic", "_Imaginary", "_Noreturn", "_Static_assert",
    "_Thread_local", "asm", "typeof", "__asm__", "__asm", "__attribute__", "__attribute",
    "__typeof__", "__typeof", "__inline__", "__inline", "__restrict", "__restrict__",
    "__volatile__", "__volatile", "__const", "__const__", "__signed", "__signed__",
    "__extension__", "__label__", "__int128", "__auto_type", "__alignof__", "__alignof",
    "__real__", "__imag__", "__real", "__imag", "_Float16", "__bf16", "__fp16", "_BitInt",
    "__builtin_va_list", "__builtin_ms_va_list", "__int128_t", "__uint128_t",
    "__builtin_va_arg", "__builtin_offsetof", "__func__", "__FUNCTION__",
    "__PRETTY_FUNCTION__", "__NSConstantString",
  ]

  /// A valid C identifier for a BTF name: other characters become `_`, a
  /// leading digit gets a `_` in front ("" stays "").
  static func identifier(_ text: String) -> String {
    var valid = true
    var first = true
    for byte in text.utf8 {
      let letter = (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
      let digit = byte >= 0x30 && byte <= 0x39
      if !(letter || (digit && !first)) { valid = false; break }
      first = false
    }
    if valid { return text }
    var scalars = String.UnicodeScalarView()
    for (i, scalar) in text.unicodeScalars.enumerated() {
      let v = scalar.value
      let letter = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F
      let digit = v >= 0x30 && v <= 0x39
      if i == 0 && digit { scalars.append("_") }
      scalars.append(letter || digit ? scalar : "_")
    }
    return String(scalars)
  }

  /// A member or parameter name: an identifier, `_` appended to keywords.
  func fieldName(_ name: BTF.Name) -> String {
    guard !name.isAnonymous, let text = try? btf.string(of: name) else { return "" }
    let id = Self.identifier(text)
    return Self.reserved.contains(id) ? id + "_" : id
  }

  /// The tag of a STRUCT, UNION, ENUM, ENUM64 or FWD, decided on first use.
  func tagName(_ id: BTF.TypeID, _ tagClass: TagClass) -> String {
    let index = Int(id.rawValue)
    if let name = names[index] { return name }
    let text = (try? btf.nameString(of: id)) ?? ""
    var base = Self.identifier(text)
    if base.isEmpty { base = "__anon_\(id.rawValue)" }
    var candidate = base
    var counter = 1
    while true {
      if !Self.reserved.contains(candidate) {
        guard let (owner, _) = tagClaims[candidate] else {
          tagClaims[candidate] = (tagClass, id)
          break
        }
        // A forward declaration and the definition of that name are one type.
        if Self.compatible(owner, tagClass) && (owner.isForward || tagClass.isForward) {
          if !tagClass.isForward { tagClaims[candidate] = (tagClass, id) }
          break
        }
      }
      counter += 1
      candidate = "\(base)___\(counter)"
    }
    names[index] = candidate
    return candidate
  }

  static func compatible(_ a: TagClass, _ b: TagClass) -> Bool {
    switch (a, b) {
    case (.struct, .forwardStruct), (.forwardStruct, .struct), (.forwardStruct, .forwardStruct),
      (.union, .forwardUnion), (.forwardUnion, .union), (.forwardUnion, .forwardUnion):
      return true
    default:
      return false
    }
  }

  /// The name of a TYPEDEF, decided on first use.
  func typedefName(_ id: BTF.TypeID) -> String {
    let index = Int(id.rawValue)
    if let name = names[index] { return name }
    let text = (try? btf.nameString(of: id)) ?? ""
    let name = claimOrdinary(Self.identifier(text), fallback: "__anon_typedef_\(id.rawValue)")
    names[index] = name
    return name
  }

  /// Claims an ordinary identifier (typedef name, enumerator), adding
  /// `___N` when it is taken or reserved.
  func claimOrdinary(_ base: String, fallback: String) -> String {
    let base = base.isEmpty ? fallback : base
    var candidate = base
    var counter = 1
    while Self.reserved.contains(candidate) || ordinaryClaims.contains(candidate) {
      counter += 1
      candidate = "\(base)___\(counter)"
    }
    ordinaryClaims.insert(candidate)
    return candidate
  }
}
