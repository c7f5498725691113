extension ObjectBuilder {
  /// Undefined named global or weak symbols: the externs the loader resolves.
  ///
  /// Without BTF the kind comes from the code: a symbol that is called is a
  /// kfunc, one that is only loaded a variable of unknown kind.
  func externs(relocations: [Relocation]) -> [Extern] {
    var called = Set<Int>()
    for relocation in relocations {
      if case .extern(_, .call) = relocation.target { called.insert(relocation.symbolIndex) }
    }
    var result: [Extern] = []
    for symbol in symbols
    where symbol.index > 0 && symbol.isUndefined && !symbol.name.isEmpty
      && (symbol.binding == .global || symbol.binding == .weak)
    {
      let kind: Extern.Kind = called.contains(symbol.index) ? .kfunc : .unknownVariable
      result.append(
        Extern(name: symbol.name, symbolIndex: symbol.index, kind: kind, isWeak: symbol.binding == .weak, btfTypeID: nil))
    }
    return result
  }
}
