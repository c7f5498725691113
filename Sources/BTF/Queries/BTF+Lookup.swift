import UAPI

/// Finding types by name, through lazily built hash indexes.
extension BTF {
  /// All types with this exact name, optionally of one kind, in id order
  /// (the base's first for split BTF).
  public func types(named name: String, kind: Kind? = nil) -> [TypeID] {
    lookup(name, kind: kind, essential: false)
  }

  /// The first type with this name and kind; throws `typeNotFound`.
  public func type(named name: String, kind: Kind) throws(BTFError) -> TypeID {
    guard let id = firstType(named: name, kind: kind) else { throw .typeNotFound(name: name) }
    return id
  }

  /// The first type with this name (and kind), or nil.
  public func firstType(named name: String, kind: Kind? = nil) -> TypeID? {
    types(named: name, kind: kind).first
  }

  /// Types whose essential name (the name without a `___flavor` suffix) is
  /// `essentialName`: the CO-RE candidates for a local `name___flavor`.
  public func types(essentialName: String, kind: Kind? = nil) -> [TypeID] {
    lookup(essentialName, kind: kind, essential: true)
  }

  func lookup(_ text: String, kind: Kind?, essential: Bool) -> [TypeID] {
    var result = base?.lookup(text, kind: kind, essential: essential) ?? []
    if text.isEmpty { return result }
    let table = nameTable(essential: essential)
    var text = text
    var local = [TypeID]()
    text.withUTF8 { utf8 in
      let h = BTF.hash(utf8)
      var i = Int(h) & table.mask
      while table.slots[i] != 0 {
        if table.hashes[i] == h {
          let id = TypeID(table.slots[i])
          if matches(id, utf8, essential: essential),
             kind == nil || (try? self.kind(of: id)) == kind
          {
            local.append(id)
          }
        }
        i = (i + 1) & table.mask
      }
    }
    local.sort()
    result.append(contentsOf: local)
    return result
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
