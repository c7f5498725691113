/// One entry of the object's symbol table.
///
/// Indexes are symbol table indexes (`0` is the null symbol), the numbers
/// relocations refer to.
public struct Symbol: Sendable, Hashable {
  /// The index in `.symtab`.
  public let index: Int
  /// The name from the symbol string table; for `STT_SECTION` symbols
  /// (which have none) the name of their section, as `llvm-objdump --syms` shows.
  public let name: String
  /// `st_value`: in a relocatable object, the offset in its section.
  public let value: UInt64
  /// `st_size`.
  public let size: UInt64
  /// `ELF64_ST_BIND(st_info)`.
  public let binding: Binding
  /// `ELF64_ST_TYPE(st_info)`.
  public let kind: Kind
  /// `ELF64_ST_VISIBILITY(st_other)`.
  public let visibility: Visibility
  /// `st_shndx` (extended through `SHT_SYMTAB_SHNDX` when it is `SHN_XINDEX`).
  public let sectionIndex: Int

  /// A symbol table entry.
  /// What `ObjectFile` builds while reading an object; tests and tools
  /// may build values directly.
  public init(
    index: Int, name: String, value: UInt64, size: UInt64, binding: Binding, kind: Kind,
    visibility: Visibility, sectionIndex: Int
  ) {
    self.index = index
    self.name = name
    self.value = value
    self.size = size
    self.binding = binding
    self.kind = kind
    self.visibility = visibility
    self.sectionIndex = sectionIndex
  }

  /// ELF: `SHN_UNDEF` — an extern the loader must resolve.
  public static let undefinedSection = 0
  /// ELF: `SHN_LORESERVE` — indexes from here on are special, not sections.
  public static let firstReservedSection = 0xff00
  /// ELF: `SHN_ABS`
  public static let absoluteSection = 0xfff1
  /// ELF: `SHN_COMMON`
  public static let commonSection = 0xfff2

  /// The symbol is not defined here (`SHN_UNDEF`).
  public var isUndefined: Bool { sectionIndex == Self.undefinedSection }
  /// The symbol lives in a real section (not undefined, absolute or common).
  public var isInSection: Bool {
    sectionIndex != Self.undefinedSection && sectionIndex < Self.firstReservedSection
  }

  /// Symbol binding.
  public struct Binding: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// ELF: `STB_LOCAL` — `static` in C.
    public static let local = Binding(rawValue: 0)
    /// ELF: `STB_GLOBAL`
    public static let global = Binding(rawValue: 1)
    /// ELF: `STB_WEAK` — `__weak` in C; a weak extern may stay unresolved.
    public static let weak = Binding(rawValue: 2)
    public var description: String {
      switch rawValue {
      case 0: "local"
      case 1: "global"
      case 2: "weak"
      default: "binding(\(rawValue))"
      }
    }
  }

  /// Symbol type.
  public struct Kind: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// ELF: `STT_NOTYPE` — what clang writes for externs.
    public static let none = Kind(rawValue: 0)
    /// ELF: `STT_OBJECT` — variables and maps.
    public static let object = Kind(rawValue: 1)
    /// ELF: `STT_FUNC` — programs and subprograms.
    public static let function = Kind(rawValue: 2)
    /// ELF: `STT_SECTION` — stands for its section (static data, static functions).
    public static let section = Kind(rawValue: 3)
    /// ELF: `STT_FILE`
    public static let file = Kind(rawValue: 4)
    public var description: String {
      switch rawValue {
      case 0: "notype"
      case 1: "object"
      case 2: "func"
      case 3: "section"
      case 4: "file"
      default: "type(\(rawValue))"
      }
    }
  }

  /// Symbol visibility.
  public struct Visibility: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// ELF: `STV_DEFAULT`
    public static let `default` = Visibility(rawValue: 0)
    /// ELF: `STV_INTERNAL`
    public static let `internal` = Visibility(rawValue: 1)
    /// ELF: `STV_HIDDEN` — `__hidden` in C.
    public static let hidden = Visibility(rawValue: 2)
    /// ELF: `STV_PROTECTED`
    public static let protected = Visibility(rawValue: 3)
    public var description: String {
      switch rawValue {
      case 0: "default"
      case 1: "internal"
      case 2: "hidden"
      case 3: "protected"
      default: "visibility(\(rawValue))"
      }
    }
  }
}
