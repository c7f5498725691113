/// One section of a BPF object, copied out of the file when it was opened.
///
/// Indexes are the ELF section header indexes (`0` is the null section), the
/// numbers `llvm-objdump --section-headers` prints in its `Idx` column.
public struct Section: Sendable, Hashable {
  /// The section header index.
  public let index: Int
  /// The section name from the section header string table.
  public let name: String
  /// `sh_type`.
  public let type: SectionType
  /// `sh_flags`.
  public let flags: SectionFlags
  /// `sh_offset`: where the contents start in the file.
  public let fileOffset: UInt64
  /// `sh_size`: the size in bytes (for `SHT_NOBITS`, the size in memory).
  public let size: UInt64
  /// `sh_addralign`.
  public let alignment: UInt64
  /// `sh_link` (for a symbol table: its string table; for a relocation table: its symbol table).
  public let link: UInt32
  /// `sh_info` (for a relocation table: the section it patches).
  public let info: UInt32
  /// `sh_entsize`.
  public let entrySize: UInt64
  /// The contents, for `SHT_PROGBITS` sections; nil for every other type.
  public let data: [UInt8]?

  /// A section header with its contents.
  /// What `ObjectFile` builds while reading an object; tests and tools
  /// may build values directly.
  public init(
    index: Int, name: String, type: SectionType, flags: SectionFlags, fileOffset: UInt64,
    size: UInt64, alignment: UInt64, link: UInt32, info: UInt32, entrySize: UInt64, data: [UInt8]?
  ) {
    self.index = index
    self.name = name
    self.type = type
    self.flags = flags
    self.fileOffset = fileOffset
    self.size = size
    self.alignment = alignment
    self.link = link
    self.info = info
    self.entrySize = entrySize
    self.data = data
  }

  /// The section holds BPF instructions (`SHF_EXECINSTR`).
  public var isExecutable: Bool { flags.contains(.executable) }
}

/// An ELF section type (`sh_type`); values this table does not name keep their number.
public struct SectionType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// ELF: `SHT_NULL`
  public static let null = SectionType(rawValue: 0)
  /// ELF: `SHT_PROGBITS` — code, data, `.BTF`, `license`, `.maps`.
  public static let progbits = SectionType(rawValue: 1)
  /// ELF: `SHT_SYMTAB`
  public static let symbolTable = SectionType(rawValue: 2)
  /// ELF: `SHT_STRTAB`
  public static let stringTable = SectionType(rawValue: 3)
  /// ELF: `SHT_RELA`
  public static let relocationsWithAddend = SectionType(rawValue: 4)
  /// ELF: `SHT_NOTE`
  public static let note = SectionType(rawValue: 7)
  /// ELF: `SHT_NOBITS` — `.bss`: a size but no contents in the file.
  public static let nobits = SectionType(rawValue: 8)
  /// ELF: `SHT_REL` — what clang's BPF backend writes for relocations.
  public static let relocations = SectionType(rawValue: 9)
  /// ELF: `SHT_SYMTAB_SHNDX`
  public static let symbolSectionIndexes = SectionType(rawValue: 18)
  /// LLVM: `SHT_LLVM_ADDRSIG`
  public static let llvmAddrsig = SectionType(rawValue: 0x6fff_4c03)

  public var description: String {
    switch rawValue {
    case 0: "SHT_NULL"
    case 1: "SHT_PROGBITS"
    case 2: "SHT_SYMTAB"
    case 3: "SHT_STRTAB"
    case 4: "SHT_RELA"
    case 7: "SHT_NOTE"
    case 8: "SHT_NOBITS"
    case 9: "SHT_REL"
    case 18: "SHT_SYMTAB_SHNDX"
    case 0x6fff_4c03: "SHT_LLVM_ADDRSIG"
    default: "SHT_0x\(String(rawValue, radix: 16))"
    }
  }
}

/// ELF section flags (`sh_flags`).
public struct SectionFlags: OptionSet, Sendable, Hashable {
  public var rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  /// ELF: `SHF_WRITE`
  public static let writable = SectionFlags(rawValue: 0x1)
  /// ELF: `SHF_ALLOC`
  public static let allocated = SectionFlags(rawValue: 0x2)
  /// ELF: `SHF_EXECINSTR` — the section holds instructions.
  public static let executable = SectionFlags(rawValue: 0x4)
  /// ELF: `SHF_MERGE`
  public static let merge = SectionFlags(rawValue: 0x10)
  /// ELF: `SHF_STRINGS`
  public static let strings = SectionFlags(rawValue: 0x20)
  /// ELF: `SHF_INFO_LINK`
  public static let infoLink = SectionFlags(rawValue: 0x40)
  /// ELF: `SHF_COMPRESSED`
  public static let compressed = SectionFlags(rawValue: 0x800)
}
