import BTF

/// The three CO-RE compatibility relations between a local type and a
/// target type: for field access, for `bpf_core_type_exists`, and the
/// stricter `bpf_core_type_matches`.
///
/// Modifiers and typedefs are skipped on both sides. The relations are
/// written from the documented CO-RE rules (libbpf's behaviour); recursion is
/// bounded, and a chain too deep counts as "not compatible".
struct Compatibility {
  let local: BTF
  let target: BTF

  /// Chains longer than this (pointer to pointer to array ...) do not match.
  static let maximumDepth = 32

  /// Same kind, or ENUM against ENUM64 (a kernel may widen an enum).
  static func kindsAgree(_ a: BTF.Kind, _ b: BTF.Kind) -> Bool {
    a == b || (a.isAnyEnum && b.isAnyEnum)
  }

  /// Whether a target field can stand in for a local one:
  /// structs and unions mix freely; pointers and floats always agree;
  /// enums and forward declarations need the same essential name (or one
  /// anonymous); integers of any size and signedness agree (not the old
  /// INT-with-bit-offset bitfields); arrays agree when their elements do.
  func fieldsAreCompatible(_ localID: BTF.TypeID, _ targetID: BTF.TypeID) throws(BTFError) -> Bool {
    var l = localID, t = targetID
    for _ in 0 ..< Self.maximumDepth {
      l = try local.resolved(l)
      t = try target.resolved(t)
      let ld = try local[l], td = try target[t]
      if ld.kind.isComposite && td.kind.isComposite { return true }
      guard Self.kindsAgree(ld.kind, td.kind) else { return false }
      switch (ld, td) {
      case (.pointer, _), (.float, _):
        return true
      case (.forward, _), (.enum, _), (.enum64, _):
        let ln = try BTF.essentialName(local.string(of: ld.name))
        let tn = try BTF.essentialName(target.string(of: td.name))
        return ln.isEmpty || tn.isEmpty || ln == tn
      case (.integer(let li), .integer(let ti)):
        return li.bitOffset == 0 && ti.bitOffset == 0
      case (.array(let la), .array(let ta)):
        l = la.element
        t = ta.element
      default:
        return false
      }
    }
    return false
  }

  /// `bpf_core_type_exists` (and `type_size`, `type_id_target`): kinds
  /// agree down pointer and array chains; structs, unions, enums and
  /// forward declarations agree by name alone (already checked by the
  /// candidate search); integers always agree unless they carry a bit
  /// offset; function prototypes agree parameter by parameter.
  func typesAreCompatible(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, level: Int = maximumDepth)
    throws(BTFError) -> Bool
  {
    var memo = [MatchKey: Bool]()
    return try typesAreCompatible(localID, targetID, level: level, memo: &memo)
  }

  /// Memoized like `typesMatch` (same key, `behindPointer` unused):
  /// prototypes whose parameters point to prototypes with several
  /// parameters would otherwise be compared parameters^depth times.
  private func typesAreCompatible(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, level: Int,
                                  memo: inout [MatchKey: Bool]) throws(BTFError) -> Bool
  {
    let key = MatchKey(local: localID, target: targetID, behindPointer: false, level: level)
    if let known = memo[key] { return known }
    let result = try typesAreCompatibleUncached(localID, targetID, level: level, memo: &memo)
    memo[key] = result
    return result
  }

  private func typesAreCompatibleUncached(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, level: Int,
                                          memo: inout [MatchKey: Bool]) throws(BTFError) -> Bool
  {
    guard level > 0 else { return false }
    guard Self.kindsAgree(try local.kind(of: localID), try target.kind(of: targetID)) else { return false }
    var l = localID, t = targetID
    for _ in 0 ..< Self.maximumDepth {
      l = try local.resolved(l)
      t = try target.resolved(t)
      let ld = try local[l], td = try target[t]
      guard Self.kindsAgree(ld.kind, td.kind) else { return false }
      switch (ld, td) {
      case (.void, _), (.struct, _), (.union, _), (.enum, _), (.enum64, _), (.forward, _):
        return true
      case (.integer(let li), .integer(let ti)):
        return li.bitOffset == 0 && ti.bitOffset == 0
      case (.pointer(let lp), .pointer(let tp)):
        l = lp
        t = tp
      case (.array(let la), .array(let ta)):
        l = la.element
        t = ta.element
      case (.functionPrototype(let lf), .functionPrototype(let tf)):
        guard lf.parameterCount == tf.parameterCount else { return false }
        let lps = try local.parameters(of: l), tps = try target.parameters(of: t)
        for i in 0 ..< lps.count {
          let lpt = try local.resolved(lps[i].type), tpt = try target.resolved(tps[i].type)
          guard try typesAreCompatible(lpt, tpt, level: level - 1, memo: &memo) else { return false }
        }
        l = lf.returnType
        t = tf.returnType
      default:
        return false
      }
    }
    return false
  }

  /// `bpf_core_type_matches`: names agree at every level (modulo flavor);
  /// integers agree in size and signedness; enums agree in size and every
  /// local enumerator name exists in the target; structs and unions keep
  /// their kind and every local member exists in the target with a
  /// matching type (behind a pointer, only the kind is checked, and a
  /// forward declaration of the right kind is enough); arrays agree in
  /// length; function prototypes agree parameter by parameter.
  func typesMatch(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, behindPointer: Bool = false,
                  level: Int = maximumDepth) throws(BTFError) -> Bool
  {
    var memo = [MatchKey: Bool]()
    return try typesMatch(localID, targetID, behindPointer: behindPointer, level: level, memo: &memo)
  }

  /// One pair of types asked by `typesMatch`.
  struct MatchKey: Hashable {
    var local: BTF.TypeID
    var target: BTF.TypeID
    var behindPointer: Bool
    var level: Int
  }

  /// Each (local, target, behind pointer, level) question is decided once
  /// per query: without the memo, composites whose members repeat a type
  /// (S0 { S1 a; S1 b; }, S1 { S2 a; S2 b; } ...), or a struct holding
  /// itself by value, are compared an exponential number of times. The
  /// level is part of the key, so answers are exactly those of the plain
  /// depth-bounded recursion; the work is at most pairs times depth.
  private func typesMatch(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, behindPointer: Bool,
                          level: Int, memo: inout [MatchKey: Bool]) throws(BTFError) -> Bool
  {
    let key = MatchKey(local: localID, target: targetID, behindPointer: behindPointer, level: level)
    if let known = memo[key] { return known }
    memo[key] = false
    let result = try typesMatchUncached(localID, targetID, behindPointer: behindPointer, level: level, memo: &memo)
    memo[key] = result
    return result
  }

  private func typesMatchUncached(_ localID: BTF.TypeID, _ targetID: BTF.TypeID, behindPointer: Bool,
                                  level: Int, memo: inout [MatchKey: Bool]) throws(BTFError) -> Bool
  {
    guard level > 0 else { return false }
    var l = localID, t = targetID, behindPointer = behindPointer
    for _ in 0 ..< Self.maximumDepth {
      l = try local.resolved(l)
      t = try target.resolved(t)
      let ld = try local[l], td = try target[t]
      guard try namesMatch(ld.name, td.name) else { return false }
      switch ld {
      case .void:
        return td.kind == .void
      case .forward(let lf):
        if case .forward(let tf) = td { return lf.isUnion == tf.isUnion }
        guard behindPointer else { return false }
        return (td.kind == .struct && !lf.isUnion) || (td.kind == .union && lf.isUnion)
      case .enum(let le), .enum64(let le):
        switch td {
        case .enum(let te), .enum64(let te): return try enumsMatch(le, te)
        default: return false
        }
      case .struct(let lc), .union(let lc):
        if behindPointer {
          if ld.kind == td.kind { return true }
          guard case .forward(let tf) = td else { return false }
          return (ld.kind == .union) == tf.isUnion
        }
        guard ld.kind == td.kind else { return false }
        switch td {
        case .struct(let tc), .union(let tc): return try compositesMatch(lc, tc, level: level, memo: &memo)
        default: return false
        }
      case .integer(let li):
        guard case .integer(let ti) = td else { return false }
        return li.size == ti.size && li.isSigned == ti.isSigned
      case .pointer(let lp):
        guard case .pointer(let tp) = td else { return false }
        behindPointer = true
        l = lp
        t = tp
      case .array(let la):
        guard case .array(let ta) = td, la.count == ta.count else { return false }
        l = la.element
        t = ta.element
      case .functionPrototype(let lf):
        guard case .functionPrototype(let tf) = td, lf.parameterCount == tf.parameterCount else { return false }
        let lps = try local.parameters(of: l), tps = try target.parameters(of: t)
        for i in 0 ..< lps.count {
          guard try typesMatch(lps[i].type, tps[i].type, behindPointer: behindPointer, level: level - 1,
                               memo: &memo)
          else {
            return false
          }
        }
        l = lf.returnType
        t = tf.returnType
      default:
        return false
      }
    }
    return false
  }

  /// Essential names equal; an anonymous target matches only an anonymous local.
  func namesMatch(_ localName: BTF.Name, _ targetName: BTF.Name) throws(BTFError) -> Bool {
    let tn = try target.string(of: targetName)
    let ln = try local.string(of: localName)
    if tn.isEmpty { return ln.isEmpty }
    return BTF.essentialName(ln) == BTF.essentialName(tn)
  }

  private func enumsMatch(_ le: BTF.Enumeration, _ te: BTF.Enumeration) throws(BTFError) -> Bool {
    guard le.size == te.size, le.count <= te.count else { return false }
    let targetValues = try target.enumerators(of: te.id)
    for item in try local.enumerators(of: le.id) {
      var found = false
      for candidate in targetValues where try namesMatch(item.name, candidate.name) {
        found = true
        break
      }
      if !found { return false }
    }
    return true
  }

  private func compositesMatch(_ lc: BTF.Composite, _ tc: BTF.Composite, level: Int, memo: inout [MatchKey: Bool])
    throws(BTFError) -> Bool
  {
    guard lc.memberCount <= tc.memberCount else { return false }
    let targetMembers = try target.members(of: tc.id)
    for member in try local.members(of: lc.id) {
      var found = false
      for candidate in targetMembers where try namesMatch(member.name, candidate.name) {
        if try typesMatch(member.type, candidate.type, behindPointer: false, level: level - 1, memo: &memo) {
          found = true
          break
        }
      }
      if !found { return false }
    }
    return true
  }
}

extension BTF.Kind {
  var isAnyEnum: Bool { self == .enum || self == .enum64 }
  var isComposite: Bool { self == .struct || self == .union }
}
