import UAPI

/// Declaration order: a depth-first walk that writes what a type needs
/// before the type itself.
///
/// C needs a complete type where a value of it is laid out (a member, an
/// array element) and only a declared one behind a pointer or in a function
/// prototype. So a use is *strong* (by value) or *weak* (behind a pointer, in
/// a prototype). A strong use of a named struct writes its definition first;
/// a weak use needs at most `struct X;`. Typedef names and enums must always
/// be defined before use. A cycle (struct A holds struct B, which points back
/// to A) ends at A being defined already, or being in progress, where
/// `struct A;` is enough for B's pointer: that is the only place forward
/// declarations are written (besides FWD types).
extension CHeaderWriter {
  /// Writes the definition of a named struct/union/enum, a typedef, or an
  /// anonymous enum written standalone; once.
  func define(_ id: BTF.TypeID) throws(BTFError) {
    let index = Int(id.rawValue)
    if state[index] & Flags.defined != 0 { return }
    if state[index] & Flags.visiting != 0 {
      throw .invalidType(typeID: id.rawValue, offset: 0,
                         reason: "type contains itself by value (no C declaration order exists)")
    }
    depth += 1
    defer { depth -= 1 }
    guard depth < Self.maximumDepth else {
      throw .invalidType(typeID: id.rawValue, offset: 0, reason: "types nest too deeply to write as C")
    }
    state[index] |= Flags.visiting
    let descriptor = try btf[id]
    switch descriptor {
    case .struct(let c), .union(let c):
      try requireMembers(of: c)
      try writeComposite(id, descriptor)
    case .typedef(let t):
      try require(t.type, strong: false, inPrototype: false)
      try writeTypedef(id, t)
    case .enum, .enum64:
      try writeEnumDefinition(id)
    default:
      break
    }
    state[index] &= ~Flags.visiting
    state[index] |= Flags.defined
  }

  /// Makes a struct or union name usable behind a pointer: `struct X;`
  /// unless it was already declared or defined. Same for FWD.
  ///
  /// A struct whose definition is in progress (a pointer cycle) needs none
  /// outside prototypes: `struct A *a;` in a member list or a typedef
  /// declares the tag at file scope by itself. Inside a prototype's
  /// parameters it would declare a new, local tag, so there it is needed.
  func declare(_ id: BTF.TypeID, inPrototype: Bool = true) throws(BTFError) {
    let index = Int(id.rawValue)
    if state[index] & (Flags.declared | Flags.defined) != 0 { return }
    if state[index] & Flags.visiting != 0 && !inPrototype { return }
    state[index] |= Flags.declared
    switch try btf[id] {
    case .struct:
      out += "struct \(tagName(id, .struct));\n\n"
    case .union:
      out += "union \(tagName(id, .union));\n\n"
    case .forward(let f):
      out += f.isUnion ? "union \(tagName(id, .forwardUnion));\n\n" : "struct \(tagName(id, .forwardStruct));\n\n"
    default:
      break
    }
  }

  /// Everything the members of a struct or union need (by value).
  func requireMembers(of c: BTF.Composite) throws(BTFError) {
    for member in try btf.members(of: c.id) {
      try require(member.type, strong: true, inPrototype: false)
    }
  }

  /// Writes what a use of `id` needs first: `strong` for a use by value,
  /// `inPrototype` inside a function prototype (where an enum or struct must
  /// not be declared for the first time: it would be local to it).
  func require(_ id: BTF.TypeID, strong: Bool, inPrototype: Bool) throws(BTFError) {
    depth += 1
    defer { depth -= 1 }
    guard depth < Self.maximumDepth else {
      throw .invalidType(typeID: id.rawValue, offset: 0, reason: "types nest too deeply to write as C")
    }
    let descriptor = try btf[id]
    switch descriptor {
    case .void, .integer, .float, .unknown:
      return
    case .pointer(let target):
      try require(target, strong: false, inPrototype: inPrototype)
    case .array(let a):
      // Array elements must be complete even behind a pointer.
      try require(a.element, strong: true, inPrototype: inPrototype)
    case .const(let t), .volatile(let t), .restrict(let t):
      try require(t, strong: strong, inPrototype: inPrototype)
    case .typeTag(let t):
      try require(t.type, strong: strong, inPrototype: inPrototype)
    case .typedef(let t):
      try define(id)
      if strong { try require(t.type, strong: true, inPrototype: inPrototype) }
    case .struct(let c), .union(let c):
      if c.name.isAnonymous {
        // Written inline where used: its members' needs are the user's.
        let index = Int(id.rawValue)
        if state[index] & Flags.visiting != 0 { return }
        state[index] |= Flags.visiting
        defer { state[index] &= ~Flags.visiting }
        for member in try btf.members(of: id) {
          try require(member.type, strong: true, inPrototype: inPrototype)
        }
      } else if strong {
        try define(id)
      } else {
        try declare(id, inPrototype: inPrototype)
      }
    case .enum(let e), .enum64(let e):
      if !e.name.isAnonymous {
        try define(id)
      } else if inPrototype || !inlineEnums[Int(id.rawValue)] {
        try define(id)
      }
    case .forward:
      try declare(id)
    case .functionPrototype(let p):
      try require(p.returnType, strong: false, inPrototype: true)
      for parameter in try btf.parameters(of: id) {
        try require(parameter.type, strong: false, inPrototype: true)
      }
    case .function(let f):
      try require(f.prototype, strong: false, inPrototype: true)
    case .variable(let v):
      try require(v.type, strong: true, inPrototype: inPrototype)
    case .declarationTag(let t):
      try require(t.type, strong: strong, inPrototype: inPrototype)
    case .dataSection:
      return
    }
  }
}
