import BTF

extension ObjectFile {
  /// The variables of data section `section` that user space can name, with
  /// their BTF types: a `VAR` whose linkage is not static and whose ELF
  /// symbol is not hidden (`__hidden` globals count as static, as for
  /// functions) — libbpf's rule for what a section exposes. Empty without a
  /// `DATASEC` for the section (`.rodata.str1.1`) or when the BTF cannot be
  /// read.
  ///
  /// The loader maps a section's map into the process only when this is not
  /// empty; a generated skeleton exposes exactly these variables.
  package func userVisibleVariables(in section: String, btf: BTF) -> [(name: String, type: BTF.TypeID)] {
    guard let id = btf.firstType(named: section, kind: .dataSection), let entries = try? btf.variables(of: id)
    else { return [] }
    let sectionIndex = dataSections.first(where: { $0.name == section })?.sectionIndex
    var visible: [(name: String, type: BTF.TypeID)] = []
    for entry in entries {
      guard case .variable(let variable)? = try? btf[entry.type], variable.linkage != .static,
            let name = try? btf.string(of: variable.name)
      else { continue }
      let symbol = symbols.first {
        $0.name == name && $0.binding != .local && (sectionIndex == nil || $0.sectionIndex == sectionIndex)
      }
      if let symbol, symbol.visibility == .hidden || symbol.visibility == .internal { continue }
      visible.append((name, variable.type))
    }
    return visible
  }
}
