import BTF

/// Matching a local access spec against one candidate target type.
///
/// Named members are found by name wherever they sit in the target
/// (anonymous structs and unions are searched depth first, as C finds
/// them); array subscripts must stay in bounds (flexible arrays excepted);
/// each matched field must be compatible with the local one.
struct SpecMatcher {
  let local: BTF
  let target: BTF
  let site: RelocationSite

  var compatibility: Compatibility { Compatibility(local: local, target: target) }

  /// The target spec, or nil when the candidate does not match.
  func match(_ spec: AccessSpec, family: KindFamily, kind: BTF.CORERelocation.Kind, candidate: BTF.TypeID)
    throws(RelocationError) -> AccessSpec?
  {
    var result = AccessSpec(root: candidate)
    switch family {
    case .type:
      let ok = try call(site) { () throws(BTFError) in
        kind == .typeMatches
          ? try compatibility.typesMatch(spec.root, candidate)
          : try compatibility.typesAreCompatible(spec.root, candidate)
      }
      return ok ? result : nil
    case .enumValue:
      return try matchEnumerator(spec, candidate)
    case .field:
      var current = candidate
      for (i, accessor) in spec.accessors.enumerated() {
        current = try call(site) { () throws(BTFError) in try target.resolved(current) }
        if accessor.name != nil {
          switch try matchMember(accessor, in: current, &result) {
          case .found(let next): current = next
          case .missing, .incompatible: return nil
          }
        } else {
          if i > 0 {
            guard case .array(let a) = try call(site, { () throws(BTFError) in try target[current] }) else {
              return nil
            }
            let flexible = AccessSpec.isFlexible(a, after: result.accessors.last, in: target)
            guard flexible || accessor.index < Int(a.count) else { return nil }
            current = try call(site) { () throws(BTFError) in try target.resolved(a.element) }
          }
          guard result.raw.count < AccessSpec.maximumLength else {
            throw .accessTooDeep(site, candidate: candidate.rawValue, limit: AccessSpec.maximumLength)
          }
          result.accessors.append(.init(type: current, index: accessor.index, name: nil))
          result.raw.append(accessor.index)
          let size = try call(site) { () throws(BTFError) in try target.size(of: current) }
          let bad = { (reason: String) in RelocationError.notApplicable(site, reason: reason) }
          result.bitOffset = try AccessSpec.added(
            result.bitOffset, try AccessSpec.scaled(accessor.index, size, bad), bad)
        }
      }
      return result
    }
  }

  private func matchEnumerator(_ spec: AccessSpec, _ candidate: BTF.TypeID) throws(RelocationError) -> AccessSpec? {
    guard let wanted = spec.accessors.first?.name else { return nil }
    let id = try call(site) { () throws(BTFError) in try target.resolved(candidate) }
    let descriptor = try call(site) { () throws(BTFError) in try target[id] }
    guard descriptor.kind.isAnyEnum else { return nil }
    let essential = BTF.essentialName(wanted)
    let values = try call(site) { () throws(BTFError) in try target.enumerators(of: id) }
    for (index, value) in values.enumerated() {
      let name = try call(site) { () throws(BTFError) in try target.string(of: value.name) }
      if BTF.essentialName(name) == essential {
        var result = AccessSpec(root: candidate)
        result.raw = [index]
        result.accessors = [.init(type: id, index: index, name: name)]
        return result
      }
    }
    return nil
  }

  enum MemberMatch {
    case found(BTF.TypeID)
    case missing
    /// The name exists but its type is not compatible: the candidate fails.
    case incompatible
  }

  /// Finds the local accessor's member in target composite `id`, descending
  /// into anonymous members; extends `spec` (raw path, offset, accessor).
  private func matchMember(_ accessor: AccessSpec.Accessor, in id: BTF.TypeID, _ spec: inout AccessSpec)
    throws(RelocationError) -> MemberMatch
  {
    var entered = Set<BTF.TypeID>()
    return try matchMember(accessor, in: id, &spec, entered: &entered, root: spec.root)
  }

  /// Each composite is searched at most once per lookup (`entered`): whether
  /// it holds the name does not depend on how it was reached, so a second
  /// visit can only miss again. Without this a crafted target whose
  /// anonymous members repeat (or contain themselves) makes the search
  /// exponential.
  private func matchMember(
    _ accessor: AccessSpec.Accessor, in id: BTF.TypeID, _ spec: inout AccessSpec, entered: inout Set<BTF.TypeID>,
    root: BTF.TypeID
  ) throws(RelocationError) -> MemberMatch {
    let resolved = try call(site) { () throws(BTFError) in try target.resolved(id) }
    guard try call(site, { () throws(BTFError) in try target.kind(of: resolved) }).isComposite else {
      return .missing
    }
    guard entered.insert(resolved).inserted else { return .missing }
    guard let wanted = accessor.name else { return .missing }
    let localMember = try call(site) { () throws(BTFError) in try local.members(of: accessor.type)[accessor.index] }
    let members = try call(site) { () throws(BTFError) in try target.members(of: resolved) }
    let bad = { (reason: String) in RelocationError.notApplicable(site, reason: reason) }
    for (index, member) in members.enumerated() {
      // As libbpf: a path that cannot be written down fails the whole
      // relocation (-E2BIG); calling it "missing" would poison a field
      // that exists.
      guard spec.raw.count < AccessSpec.maximumLength else {
        throw .accessTooDeep(site, candidate: root.rawValue, limit: AccessSpec.maximumLength)
      }
      let saved = spec.bitOffset
      spec.raw.append(index)
      spec.bitOffset = try AccessSpec.added(saved, Int(member.bitOffset), bad)
      if member.name.isAnonymous || target.name(member.name, equals: "") {
        let inner = try matchMember(accessor, in: member.type, &spec, entered: &entered, root: root)
        if case .missing = inner {} else { return inner }
      } else if target.name(member.name, equals: wanted) {
        spec.accessors.append(.init(type: resolved, index: index, name: wanted))
        let compatible = try call(site) { () throws(BTFError) in
          try compatibility.fieldsAreCompatible(localMember.type, member.type)
        }
        return compatible ? .found(member.type) : .incompatible
      }
      spec.raw.removeLast()
      spec.bitOffset = saved
    }
    return .missing
  }
}
