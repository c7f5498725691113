import UAPI

extension BTF {
  /// A C header declaring the types of a BTF, like bpftool's `vmlinux.h`,
  /// that clang compiles for the BPF target (`-target bpf`) into exactly
  /// the layout the BTF describes.
  ///
  /// - Order: every type is declared before it is used; a struct is defined
  ///   before another holds it by value, and `struct X;` is written only
  ///   where a pointer cycle needs it.
  /// - Layout: `__attribute__((packed))`, `__attribute__((aligned(N)))` and
  ///   unnamed bit-field padding exactly where clang's layout of the plain
  ///   declaration would differ from the BTF's offsets and sizes (see
  ///   `CHeaderWriter+Layout.swift`). Enums of 1, 2 and 8 bytes name their
  ///   underlying type (`enum rw_hint : unsigned char`), so clang's `sizeof`
  ///   is the kernel's.
  /// - Names: duplicates and C keywords get `___2`, `___3`... (a CO-RE
  ///   flavor); the kernel's `__builtin_va_list` typedef (24 bytes on
  ///   x86_64, a clang builtin of 8 bytes on BPF) becomes
  ///   `__builtin_va_list___2`, so structs holding a `va_list` keep their size.
  /// - TYPE_TAGs become `__btf_type_tag("...")`, a macro the header defines
  ///   as the `btf_type_tag` attribute when clang has it (and
  ///   `BPF_NO_TYPE_TAGS` is not defined). DECL_TAGs, FUNCs, VARs and
  ///   DATASECs are not written.
  /// - Everything sits between `#pragma clang attribute push
  ///   (__attribute__((preserve_access_index)), apply_to = record)` and its
  ///   `pop` (unless `BPF_NO_PRESERVE_ACCESS_INDEX`), inside an
  ///   `#ifndef __VMLINUX_H__` guard.
  public enum CHeader {
    /// The header for every type of `btf` (and its base), or only for the
    /// types named in `types` and everything they need.
    ///
    /// A name matches every struct, union, enum, typedef or FWD spelled
    /// that way; one matching none throws `typeNotFound`.
    public static func render(_ btf: BTF, types: [String]? = nil) throws(BTFError) -> String {
      guard let types else { return try CHeaderWriter(btf: btf).render(roots: nil) }
      var roots = [TypeID]()
      for name in types {
        let found = btf.types(named: name).filter { id in
          switch (try? btf.kind(of: id)) ?? .void {
          case .struct, .union, .enum, .enum64, .typedef, .forward, .integer, .float: return true
          default: return false
          }
        }
        guard !found.isEmpty else { throw .typeNotFound(name: name) }
        roots += found
      }
      return try CHeaderWriter(btf: btf).render(roots: roots)
    }

    /// The header for the given type ids and everything they need.
    public static func render(_ btf: BTF, typeIDs: [TypeID]) throws(BTFError) -> String {
      for id in typeIDs where Int(id.rawValue) >= btf.typeCount { throw .noSuchType(id.rawValue) }
      return try CHeaderWriter(btf: btf).render(roots: typeIDs)
    }
  }
}
