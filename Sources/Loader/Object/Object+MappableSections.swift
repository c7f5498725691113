import BTF
import ELFReader

extension Object {
  /// Whether the internal map of data section `name` is created
  /// `BPF_F_MMAPABLE` and mapped into this process: only when the section
  /// holds a variable user space can name (`ObjectFile.userVisibleVariables`).
  /// That is libbpf's rule.
  ///
  /// Sections of only static variables are where objects keep what the
  /// kernel will not let a process map: `bpf_spin_lock`, kptrs,
  /// `bpf_list_head`, `bpf_rb_root` (the kernel answers `mmap` of such a map
  /// with ENOTSUPP). Without BTF, or without a `DATASEC` for the section
  /// (`.rodata.str1.1`), nothing says a variable is public: not mapped.
  static func sectionIsMappable(_ name: String, btf: BTF?, file: ObjectFile) -> Bool {
    guard let btf else { return false }
    return !file.userVisibleVariables(in: name, btf: btf).isEmpty
  }
}
