/// A section of global variables that becomes an internal array map when the
/// object is loaded (`.data`, `.rodata`, `.bss` and their `.name` variants,
/// `.addr_space.N` arena data), or the extern pseudo-sections `.kconfig` and
/// `.ksyms` that exist only in BTF.
///
/// Kernel: global data is an `BPF_MAP_TYPE_ARRAY` with one element, referenced
/// by `ld_imm64` with `BPF_PSEUDO_MAP_VALUE`; `.rodata` is frozen after load.
public struct DataSection: Sendable, Hashable {
  /// The section name, e.g. `.rodata.str1.1`.
  public let name: String
  /// What the loader does with it.
  public let kind: Kind
  /// The ELF section index; nil for `.kconfig` and `.ksyms`, which are BTF-only.
  public let sectionIndex: Int?
  /// The size in bytes (for `.kconfig`/`.ksyms`, the BTF `DATASEC` size when known, else 0).
  public let size: UInt64
  /// The program may not write it (`.rodata*`, `.kconfig`).
  public let isReadOnly: Bool
  /// The initial contents; nil for `.bss` (zero-filled) and the BTF-only sections.
  public let initialBytes: [UInt8]?
  /// The named variables it holds, by offset.
  public let variables: [Variable]

  /// A data section with these properties.
  /// What `ObjectFile` builds while reading an object; tests and tools
  /// may build values directly.
  public init(
    name: String, kind: Kind, sectionIndex: Int?, size: UInt64, isReadOnly: Bool,
    initialBytes: [UInt8]?, variables: [Variable]
  ) {
    self.name = name
    self.kind = kind
    self.sectionIndex = sectionIndex
    self.size = size
    self.isReadOnly = isReadOnly
    self.initialBytes = initialBytes
    self.variables = variables
  }

  /// The role of a data section.
  public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
    /// `.data`, `.data.*`: initialised, writable.
    case data
    /// `.rodata`, `.rodata.*`: initialised, frozen after load.
    case rodata
    /// `.bss`, `.bss.*`: zero-filled, writable.
    case bss
    /// `.kconfig`: extern `CONFIG_*` values the loader fills in.
    case kconfig
    /// `.ksyms`: extern kernel symbols and kfuncs the loader resolves.
    case ksyms
    /// `.addr_space.N`: data placed in a BPF arena.
    case arena

    public var description: String { rawValue }

    /// The kind of a section by its name, as libbpf recognises them; nil for
    /// sections that are not global data.
    public init?(sectionName name: String) {
      if name == ".data" || name.hasPrefix(".data.") {
        self = .data
      } else if name == ".rodata" || name.hasPrefix(".rodata.") {
        self = .rodata
      } else if name == ".bss" || name.hasPrefix(".bss.") {
        self = .bss
      } else if name.hasPrefix(".addr_space.") {
        self = .arena
      } else if name == ".kconfig" {
        self = .kconfig
      } else if name == ".ksyms" {
        self = .ksyms
      } else {
        return nil
      }
    }
  }

  /// A named variable in a data section (an `STT_OBJECT` symbol, or an extern).
  public struct Variable: Sendable, Hashable {
    /// The symbol name.
    public let name: String
    /// The offset in the section (`st_value`); 0 for externs, which the loader places.
    public let offset: UInt64
    /// The size in bytes (`st_size`); 0 for externs.
    public let size: UInt64
    /// `static` variables are `.local`.
    public let binding: Symbol.Binding
    /// `__hidden` variables are `.hidden`.
    public let visibility: Symbol.Visibility
    /// The symbol table index.
    public let symbolIndex: Int

    /// A variable with these symbol fields.
    public init(
      name: String, offset: UInt64, size: UInt64, binding: Symbol.Binding,
      visibility: Symbol.Visibility, symbolIndex: Int
    ) {
      self.name = name
      self.offset = offset
      self.size = size
      self.binding = binding
      self.visibility = visibility
      self.symbolIndex = symbolIndex
    }
  }
}
