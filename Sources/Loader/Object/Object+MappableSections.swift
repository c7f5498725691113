import BTF
import ELFReader

extension Object {
  /// Whether the internal map of data section `name` is created
  /// `BPF_F_MMAPABLE` and mapped into this process: only when the section
  /// holds a variable user space can name, one whose BTF `VAR` is not
  /// static and whose ELF symbol is not hidden (`__hidden` globals count as
  /// static, as for functions). That is libbpf's rule.
  ///
  /// Sections of only static variables are where objects keep what the
  /// kernel will not let a process map: `bpf_spin_lock`, kptrs,
  /// `bpf_list_head`, `bpf_rb_root` (the kernel answers `mmap` of such a map
  /// with ENOTSUPP). Without BTF, or without a `DATASEC` for the section
  /// (`.rodata.str1.1`), nothing says a variable is public: not mapped.
  static func sectionIsMappable(_ name: String, btf: BTF?, file: ObjectFile) -> Bool {
    guard let btf, let id = btf.firstType(named: name, kind: .dataSection),
      let entries = try? btf.variables(of: id)
    else { return false }
    let sectionIndex = file.dataSections.first(where: { $0.name == name })?.sectionIndex
    for entry in entries {
      guard case .variable(let variable)? = try? btf[entry.type], variable.linkage != .static else { continue }
      guard let variableName = try? btf.string(of: variable.name) else { continue }
      let symbol = file.symbols.first {
        $0.name == variableName && $0.binding != .local && (sectionIndex == nil || $0.sectionIndex == sectionIndex)
      }
      if let symbol, symbol.visibility == .hidden || symbol.visibility == .internal { continue }
      return true
    }
    return false
  }
}
