import UAPI

/// Finding types by name: the first few exact-name lookups scan the records,
/// later ones use a hash index built on first need.
extension BTF {
  /// All types with this exact name, optionally of one kind, in id order
  /// (the base's first for split BTF).
  public func types(named name: String, kind: Kind? = nil) -> [TypeID] {
    lookup(name, kind: kind, essential: false, firstOnly: false)
  }

  /// The first type with this name and kind; throws `typeNotFound`.
  public func type(named name: String, kind: Kind) throws(BTFError) -> TypeID {
    guard let id = firstType(named: name, kind: kind) else { throw .typeNotFound(name: name) }
    return id
  }

  /// The first type with this name (and kind), or nil.
  public func firstType(named name: String, kind: Kind? = nil) -> TypeID? {
    lookup(name, kind: kind, essential: false, firstOnly: true).first
  }

  /// Types whose essential name (the name without a `___flavor` suffix) is
  /// `essentialName`: the CO-RE candidates for a local `name___flavor`.
  public func types(essentialName: String, kind: Kind? = nil) -> [TypeID] {
    lookup(essentialName, kind: kind, essential: true, firstOnly: false)
  }

  /// The base's matches, then this blob's, in id order; with `firstOnly`,
  /// at most the first of them.
  func lookup(_ text: String, kind: Kind?, essential: Bool, firstOnly: Bool) -> [TypeID] {
    var result = base?.lookup(text, kind: kind, essential: essential, firstOnly: firstOnly) ?? []
    if text.isEmpty || (firstOnly && !result.isEmpty) { return result }
    var text = text
    text.withUTF8 { utf8 in
      if !essential && scansInsteadOfIndexing() {
        scanNames(utf8, kind: kind, firstOnly: firstOnly, into: &result)
      } else {
        probeIndex(utf8, kind: kind, essential: essential, firstOnly: firstOnly, into: &result)
      }
    }
    return result
  }

  /// Appends the local matches from the hash index, in id order.
  func probeIndex(
    _ utf8: UnsafeBufferPointer<UInt8>, kind: Kind?, essential: Bool, firstOnly: Bool,
    into result: inout [TypeID]
  ) {
    let table = nameTable(essential: essential)
    var local = [TypeID]()
    let h = BTF.hash(utf8)
    let entries = table.entries
    var i = Int(h) & table.mask
    while entries[i] != 0 {
      let entry = entries[i]
      if UInt32(truncatingIfNeeded: entry >> 32) == h {
        let id = TypeID(UInt32(truncatingIfNeeded: entry))
        if kind == nil || (try? self.kind(of: id)) == kind, matches(id, utf8, essential: essential) {
          local.append(id)
        }
      }
      i = (i + 1) & table.mask
    }
    // Probing visits slots in hash order, not id order.
    local.sort()
    if firstOnly, let id = local.first {
      result.append(id)
    } else {
      result.append(contentsOf: local)
    }
  }

  private func matches(_ id: TypeID, _ utf8: UnsafeBufferPointer<UInt8>, essential: Bool) -> Bool {
    guard let name = try? name(of: id) else { return false }
    return (try? withNameBytes(name) { span, start, length in
      let n = essential ? BTF.essentialLength(count: length) { span.byteUnchecked(start + $0) } : length
      guard n == utf8.count else { return false }
      for i in 0 ..< n where span.byteUnchecked(start + i) != utf8[i] { return false }
      return true
    }) ?? false
  }
}
