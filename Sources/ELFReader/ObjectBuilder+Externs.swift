import BTF

extension ObjectBuilder {
  /// The BTF-only sections externs are declared in.
  static let kconfigSection = ".kconfig"
  static let ksymsSection = ".ksyms"

  /// What the BTF says about each extern name: `.kconfig` and `.ksyms`
  /// `DATASEC` entries, with their ids.
  struct ExternDeclarations {
    var kconfig: [String: BTF.TypeID] = [:]
    var ksymVariables: [String: (id: BTF.TypeID, typed: Bool)] = [:]
    var ksymFunctions: [String: BTF.TypeID] = [:]
  }

  func externDeclarations(_ btf: BTF) -> ExternDeclarations {
    var result = ExternDeclarations()
    do throws(BTFError) {
      if let section = btf.firstType(named: Self.kconfigSection, kind: .dataSection) {
        for entry in try btf.variables(of: section) {
          result.kconfig[try btf.nameString(of: entry.type)] = entry.type
        }
      }
      if let section = btf.firstType(named: Self.ksymsSection, kind: .dataSection) {
        for entry in try btf.variables(of: section) {
          let name = try btf.nameString(of: entry.type)
          switch try btf[entry.type] {
          case .variable(let variable):
            let typed = !(try btf.resolved(variable.type)).isVoid
            result.ksymVariables[name] = (entry.type, typed)
          case .function:
            result.ksymFunctions[name] = entry.type
          default:
            break
          }
        }
      }
    } catch {
      // Malformed DATASECs: fall back to what the code shows.
    }
    return result
  }

  /// Undefined named global or weak symbols: the externs the loader resolves.
  ///
  /// The kind comes from the BTF `DATASEC` the extern is declared in
  /// (`.kconfig`, `.ksyms`) or, for a kfunc, its extern `FUNC`; without BTF
  /// from the code: a symbol that is called is a kfunc, one that is only
  /// loaded a variable of unknown kind.
  func externs(relocations: [Relocation], btf: BTF?) -> [Extern] {
    var called = Set<Int>()
    for relocation in relocations {
      if case .extern(_, .call) = relocation.target { called.insert(relocation.symbolIndex) }
    }
    let declared = btf.map(externDeclarations) ?? ExternDeclarations()
    var result: [Extern] = []
    for symbol in symbols
    where symbol.index > 0 && symbol.isUndefined && !symbol.name.isEmpty
      && (symbol.binding == .global || symbol.binding == .weak)
    {
      var kind: Extern.Kind = called.contains(symbol.index) ? .kfunc : .unknownVariable
      var id: BTF.TypeID? = nil
      if let found = declared.kconfig[symbol.name] {
        (kind, id) = (.kconfig, found)
      } else if let found = declared.ksymVariables[symbol.name] {
        (kind, id) = (.ksymVariable(typed: found.typed), found.id)
      } else if let found = declared.ksymFunctions[symbol.name] {
        (kind, id) = (.kfunc, found)
      } else if let btf, let found = btf.firstType(named: symbol.name, kind: .function) {
        (kind, id) = (.kfunc, found)
      }
      result.append(
        Extern(name: symbol.name, symbolIndex: symbol.index, kind: kind, isWeak: symbol.binding == .weak, btfTypeID: id))
    }
    return result
  }

  /// `.kconfig` and `.ksyms` as data sections, from their BTF `DATASEC`s,
  /// listing the externs declared there.
  func externSections(_ externs: [Extern], btf: BTF?) -> [DataSection] {
    guard let btf else { return [] }
    var result: [DataSection] = []
    for (name, kind) in [(Self.kconfigSection, DataSection.Kind.kconfig), (Self.ksymsSection, .ksyms)] {
      guard let id = btf.firstType(named: name, kind: .dataSection),
        case .dataSection(let header)? = try? btf[id],
        let entries = try? btf.variables(of: id)
      else { continue }
      let byName = Dictionary(externs.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
      var variables: [DataSection.Variable] = []
      for entry in entries {
        guard let entryName = try? btf.nameString(of: entry.type), let found = byName[entryName] else { continue }
        let symbol = symbols[found.symbolIndex]
        variables.append(
          DataSection.Variable(
            name: entryName, offset: UInt64(entry.offset), size: UInt64(entry.size),
            binding: symbol.binding, visibility: symbol.visibility, symbolIndex: symbol.index))
      }
      result.append(
        DataSection(
          name: name, kind: kind, sectionIndex: nil, size: UInt64(header.size),
          isReadOnly: kind == .kconfig, initialBytes: nil, variables: variables))
    }
    return result
  }
}
