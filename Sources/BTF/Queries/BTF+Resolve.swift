import UAPI

/// Following references: modifiers, typedefs, sizes, alignments.
extension BTF {
  /// Skips CONST, VOLATILE, RESTRICT, TYPE_TAG and (by default) TYPEDEF.
  ///
  /// Validation rejected loops, so this ends; the bound is a second guard.
  public func resolved(_ id: TypeID, throughTypedefs: Bool = true) throws(BTFError) -> TypeID {
    var current = id
    for _ in 0 ... typeCount {
      let kind = try kind(of: current)
      switch kind {
      case .const, .volatile, .restrict, .typeTag:
        current = TypeID(try rawTypeField(current))
      case .typedef where throughTypedefs:
        current = TypeID(try rawTypeField(current))
      default:
        return current
      }
    }
    throw .referenceLoop(typeID: id.rawValue, offset: recordOffset(id) ?? 0)
  }

  /// The descriptor after `resolved(_:)`.
  public func resolvedDescriptor(_ id: TypeID) throws(BTFError) -> Descriptor {
    try self[resolved(id)]
  }

  /// Size of a pointer: the size of the INT named `long` (or `unsigned long`,
  /// `long int`), 8 when the BTF has none (BPF is a 64-bit target).
  public var pointerSize: Int {
    caches.pointerSize.withLock { cached in
      if let cached { return cached }
      var size = 8
      for name in ["long", "unsigned long", "long int", "long unsigned int"] {
        if let id = firstType(named: name, kind: .integer),
           case .integer(let int)? = try? self[id], int.size == 4 || int.size == 8
        {
          size = Int(int.size)
          break
        }
      }
      cached = size
      return size
    }
  }

  /// Size in bytes of a type, through modifiers, typedefs and arrays.
  ///
  /// VAR gives the size of its type. void, FUNC, FUNC_PROTO and FWD have no size.
  public func size(of id: TypeID) throws(BTFError) -> Int {
    var current = id
    var multiplier = 1
    for _ in 0 ... typeCount {
      let descriptor = try self[current]
      switch descriptor {
      case .integer(let t): return try scaled(Int(t.size), multiplier, id)
      case .pointer: return try scaled(pointerSize, multiplier, id)
      case .struct(let t), .union(let t): return try scaled(Int(t.size), multiplier, id)
      case .enum(let t), .enum64(let t): return try scaled(Int(t.size), multiplier, id)
      case .dataSection(let t): return try scaled(Int(t.size), multiplier, id)
      case .float(let t): return try scaled(Int(t.size), multiplier, id)
      case .array(let a):
        let (product, overflow) = multiplier.multipliedReportingOverflow(by: Int(a.count))
        guard !overflow else { throw .noSize(typeID: id.rawValue, reason: "array size overflows") }
        multiplier = product
        current = a.element
      case .typedef(let t): current = t.type
      case .volatile(let t), .const(let t), .restrict(let t): current = t
      case .typeTag(let t): current = t.type
      case .variable(let v): current = v.type
      case .declarationTag(let t): current = t.type
      case .void, .function, .functionPrototype, .forward:
        throw .noSize(typeID: id.rawValue, reason: "\(descriptor.kind.kernelName) has no size")
      case .unknown(let t):
        throw .noSize(typeID: id.rawValue, reason: "kind \(t.kindNumber) is not known to this parser")
      }
    }
    throw .referenceLoop(typeID: id.rawValue, offset: recordOffset(id) ?? 0)
  }

  private func scaled(_ size: Int, _ multiplier: Int, _ id: TypeID) throws(BTFError) -> Int {
    let (product, overflow) = size.multipliedReportingOverflow(by: multiplier)
    guard !overflow else { throw .noSize(typeID: id.rawValue, reason: "array size overflows") }
    return product
  }

  /// Natural alignment in bytes, as a C compiler for the BPF target lays it
  /// out: scalars align to their size (capped at the pointer size, except
  /// `__int128`: 16, clang's BPF data layout has `i128:128`), arrays
  /// to their element, structs to their most aligned member, or 1 when the
  /// struct is packed (a member sits off its natural alignment or the size
  /// is not a multiple of it).
  public func alignment(of id: TypeID) throws(BTFError) -> Int {
    var known = [TypeID: Int]()
    return try alignment(of: id, depth: 0, known: &known)
  }

  /// Structs nest by value only finitely in C; a blob whose struct contains
  /// itself would recurse forever, so depth is bounded.
  static var maximumNesting: Int { 256 }

  /// `known` remembers each type's alignment within one query: a struct
  /// whose members repeat a struct type (S0 { S1 a; S1 b; }, S1 { S2 a;
  /// S2 b; } ...) would otherwise be walked an exponential number of times.
  /// A type's alignment does not depend on where it was reached, so the
  /// answer is the same; only types whose walk finished are remembered.
  func alignment(of id: TypeID, depth: Int, known: inout [TypeID: Int]) throws(BTFError) -> Int {
    if let align = known[id] { return align }
    let align = try uncachedAlignment(of: id, depth: depth, known: &known)
    known[id] = align
    return align
  }

  private func uncachedAlignment(of id: TypeID, depth: Int, known: inout [TypeID: Int]) throws(BTFError) -> Int {
    guard depth < BTF.maximumNesting else {
      throw .referenceLoop(typeID: id.rawValue, offset: recordOffset(id) ?? 0)
    }
    let target = try resolved(id)
    let descriptor = try self[target]
    switch descriptor {
    case .integer(let t): return t.size == 16 ? 16 : max(1, min(Int(t.size), pointerSize))
    case .enum(let t), .enum64(let t): return max(1, min(Int(t.size), pointerSize))
    case .float(let t): return max(1, min(Int(t.size), pointerSize))
    case .pointer: return pointerSize
    case .array(let a): return try alignment(of: a.element, depth: depth + 1, known: &known)
    case .struct(let t), .union(let t):
      var maximum = 1
      for member in try members(of: target) {
        let align = try alignment(of: member.type, depth: depth + 1, known: &known)
        if !member.isBitfield && member.bitOffset % UInt32(8 * align) != 0 { return 1 }
        maximum = max(maximum, align)
      }
      if t.size % UInt32(maximum) != 0 { return 1 }
      return maximum
    case .variable(let v): return try alignment(of: v.type, depth: depth + 1, known: &known)
    default:
      throw .noSize(typeID: id.rawValue, reason: "\(descriptor.kind.kernelName) has no alignment")
    }
  }
}
