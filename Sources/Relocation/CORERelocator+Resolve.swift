import BTF
import UAPI

/// Candidate search and the per-candidate decision.
extension CORERelocator {
  /// The winning target: which `TargetBTF` and the matched spec there.
  typealias Choice = (target: Int, spec: AccessSpec)

  /// Computes the local and target values of one record.
  func resolve(
    _ record: CORERecord, family: KindFamily, localSpec: AccessSpec, site: RelocationSite, state: inout PlanState
  ) throws(RelocationError) -> (Resolution, Choice?) {
    if record.kind == .typeIDLocal {
      // The local id is its own answer; linking may have renumbered it, so
      // the instruction is not checked.
      var r = Resolution()
      r.original = UInt64(record.type.rawValue)
      r.new = r.original
      r.validate = false
      return (r, nil)
    }
    let localName = try call(site) { () throws(BTFError) in try local.nameString(of: record.type) }
    guard !localName.isEmpty else { throw .anonymousType(site, typeID: record.type.rawValue) }
    let candidates = try self.candidates(for: record.type, named: localName, state: &state, site: site)

    var chosen: (choice: Choice, resolution: Resolution, candidate: Candidate)?
    var matched = [Candidate]()
    for candidate in candidates {
      let target = targets[candidate.target].btf
      let matcher = SpecMatcher(local: local, target: target, site: site)
      guard let spec = try matcher.match(localSpec, family: family, kind: record.kind, candidate: candidate.id) else {
        continue
      }
      let r = try calculate(record.kind, family, localSpec, spec, target, site)
      if let first = chosen {
        let names = [try describe(first.candidate, site), try describe(candidate, site)]
        if first.choice.spec.bitOffset != spec.bitOffset {
          throw .ambiguousCandidates(
            site, candidates: names,
            reason: "the field is at bit \(first.choice.spec.bitOffset) in one and bit \(spec.bitOffset) in the other")
        }
        if first.resolution.poison != r.poison || first.resolution.new != r.new {
          throw .ambiguousCandidates(
            site, candidates: names,
            reason: "they give \(first.resolution.poison ? "poison" : String(first.resolution.new)) and \(r.poison ? "poison" : String(r.new))")
        }
      } else {
        chosen = ((candidate.target, spec), r, candidate)
      }
      matched.append(candidate)
    }
    if !matched.isEmpty { state.candidates[record.type] = matched }
    if let chosen { return (chosen.resolution, chosen.choice) }
    return (try calculate(record.kind, family, localSpec, nil, nil, site), nil)
  }

  /// Target types of the local type's kind (ENUM and ENUM64 mix) whose
  /// essential name is the local one's: in the base first, then in the
  /// modules' own types only if the base has none.
  func candidates(for id: BTF.TypeID, named name: String, state: inout PlanState, site: RelocationSite)
    throws(RelocationError) -> [Candidate]
  {
    if let cached = state.candidates[id] { return cached }
    let essential = String(BTF.essentialName(name))
    let localKind = try call(site) { () throws(BTFError) in try local.kind(of: id) }
    var result = [Candidate]()
    for (index, target) in targets.enumerated() {
      if index > 0 && !result.isEmpty { break }
      let own = index == 0 ? 0 : target.btf.firstLocalID.rawValue
      for candidate in target.btf.types(essentialName: essential) where candidate.rawValue >= own {
        let kind = try call(site) { () throws(BTFError) in try target.btf.kind(of: candidate) }
        if Compatibility.kindsAgree(kind, localKind) { result.append(Candidate(target: index, id: candidate)) }
      }
    }
    state.candidates[id] = result
    return result
  }

  /// `vmlinux [123] struct task_struct`.
  func describe(_ candidate: Candidate, _ site: RelocationSite) throws(RelocationError) -> String {
    let target = targets[candidate.target]
    let name = try Naming(btf: target.btf, site: site).typeName(candidate.id)
    return "\(target.name) \(candidate.id) \(name)"
  }

  /// Local and target values for one kind; a nil target spec means "not
  /// found" (0 for existence and type queries, poison for the rest).
  func calculate(
    _ kind: BTF.CORERelocation.Kind, _ family: KindFamily, _ localSpec: AccessSpec, _ targetSpec: AccessSpec?,
    _ target: BTF?, _ site: RelocationSite
  ) throws(RelocationError) -> Resolution {
    var r = Resolution()
    let order = local.byteOrder
    switch family {
    case .field:
      guard let old = try Resolution.field(kind, localSpec, in: local, order: order, site: site) else {
        throw .notApplicable(site, reason: "the local field has no value")
      }
      r.original = old.value
      r.validate = old.validate
      r.originalSize = old.size
      // A missing target still answers field_exists (with 0).
      guard let new = try Resolution.field(kind, targetSpec, in: target ?? local, order: order, site: site) else {
        r.poison = true
        return r
      }
      r.new = new.value
      r.newSize = new.size
      if r.originalSize != r.newSize {
        // Only zero-extending loads keep the value: pointers, unsigned integers.
        let lt = try old.type.map { (t) throws(RelocationError) in try call(site) { () throws(BTFError) in try local[t] } }
        let targetBTF = target ?? local
        let tt = try new.type.map { (t) throws(RelocationError) in try call(site) { () throws(BTFError) in try targetBTF[t] } }
        switch (lt, tt) {
        case (.pointer?, .pointer?): break
        case (.integer(let a)?, .integer(let b)?) where !a.isSigned && !b.isSigned: break
        default: r.badSizeChange = true
        }
      }
    case .type:
      let old = try Resolution.type(kind, localSpec, in: local, site: site)
      r.original = old.value
      r.validate = old.validate
      if let target, let targetSpec {
        r.new = try Resolution.type(kind, targetSpec, in: target, site: site).value
      } else {
        r.new = 0
      }
    case .enumValue:
      guard let old = try Resolution.enumValue(kind, localSpec, in: local, site: site) else {
        throw .notApplicable(site, reason: "the local enumerator has no value")
      }
      r.original = old
      if let target, let new = try Resolution.enumValue(kind, targetSpec, in: target, site: site) {
        r.new = new
      } else if kind == .enumValueExists {
        r.new = 0
      } else {
        r.poison = true
      }
    }
    return r
  }
}
