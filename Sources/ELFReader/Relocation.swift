/// One relocation of a code section (`.rel<section>`), with what it refers to.
///
/// Positions are given in bytes and in 8-byte instruction slots, relative to
/// the section and to the program or subprogram that contains the patched
/// instruction — the numbers `llvm-objdump -dr` prints.
public struct Relocation: Sendable, Hashable {
  /// The code section the relocation patches.
  public let sectionIndex: Int
  /// The name of that section (a SEC() name, or `.text`).
  public let sectionName: String
  /// `r_offset`: the byte offset of the patched instruction in its section.
  public let offset: UInt64
  /// `r_offset / 8`: the instruction slot in the section.
  public var slot: Int { Int(offset / 8) }
  /// The function (program or subprogram) that contains the instruction, if any.
  public let function: String?
  /// The instruction slot relative to the start of `function`.
  public let functionSlot: Int?
  /// `ELF64_R_TYPE(r_info)`.
  public let type: RelocationType
  /// `ELF64_R_SYM(r_info)` and that symbol's name (its section's name for `STT_SECTION`).
  public let symbolIndex: Int
  /// The referenced symbol's name (its section's name for `STT_SECTION`).
  public let symbolName: String
  /// What the instruction refers to.
  public let target: Target

  /// A relocation.
  /// What `ObjectFile` builds while reading an object; tests and tools
  /// may build values directly.
  public init(
    sectionIndex: Int, sectionName: String, offset: UInt64, function: String?, functionSlot: Int?,
    type: RelocationType, symbolIndex: Int, symbolName: String, target: Target
  ) {
    self.sectionIndex = sectionIndex
    self.sectionName = sectionName
    self.offset = offset
    self.function = function
    self.functionSlot = functionSlot
    self.type = type
    self.symbolIndex = symbolIndex
    self.symbolName = symbolName
    self.target = target
  }

  /// What a relocated instruction refers to.
  public enum Target: Sendable, Hashable {
    /// `R_BPF_NONE`: nothing to do.
    case none
    /// A `call` with `src_reg = BPF_PSEUDO_CALL` (1) to a function in a code section.
    case subprogramCall(FunctionReference)
    /// An `ld_imm64` loading a function's address (a callback for `bpf_loop`,
    /// `bpf_for_each_map_elem`...); the loader sets `src_reg = BPF_PSEUDO_FUNC` (4).
    case callbackAddress(FunctionReference)
    /// An `ld_imm64` of a map's address (`src_reg = BPF_PSEUDO_MAP_FD` after loading).
    case map(name: String, sectionName: String, offset: UInt64)
    /// An `ld_imm64` of an address inside a data section
    /// (`src_reg = BPF_PSEUDO_MAP_VALUE`, `offset` into the map value).
    case globalData(section: String, sectionIndex: Int, offset: UInt64, variable: String?)
    /// An undefined symbol: a `.kconfig`/`.ksyms` variable (`ld_imm64`) or a kfunc (`call`).
    case extern(name: String, usage: ExternUsage)
    /// Something the loader cannot do: section, offset and problem.
    case unsupported(UnsupportedRelocation)
  }

  /// How the relocated instruction uses an extern.
  public enum ExternUsage: String, Sendable, Hashable {
    /// `call`: a kfunc call.
    case call
    /// `ld_imm64`: the address or value of a variable (or a kfunc's address).
    case load
  }

  /// A function in a code section, by section and byte offset.
  public struct FunctionReference: Sendable, Hashable {
    /// The ELF index of the code section holding the function.
    public let sectionIndex: Int
    /// That section's name.
    public let sectionName: String
    /// The byte offset of the first instruction in its section.
    public let offset: UInt64
    /// The function symbol starting at `offset`, if there is one.
    public let name: String?

    /// The function at `offset` bytes into section `sectionIndex`.
    public init(sectionIndex: Int, sectionName: String, offset: UInt64, name: String?) {
      self.sectionIndex = sectionIndex
      self.sectionName = sectionName
      self.offset = offset
      self.name = name
    }

    /// The instruction slot in its section.
    public var slot: Int { Int(offset / 8) }
  }
}

/// A BPF ELF relocation type (`ELF64_R_TYPE`), as LLVM's BPF backend defines them.
public struct RelocationType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public var rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// ELF: `R_BPF_NONE`
  public static let none = RelocationType(rawValue: 0)
  /// ELF: `R_BPF_64_64` — the 64-bit immediate of an `ld_imm64` (two slots).
  public static let immediate64 = RelocationType(rawValue: 1)
  /// ELF: `R_BPF_64_ABS64` — a 64-bit address in data (`.maps` `.values`, DWARF).
  public static let absolute64 = RelocationType(rawValue: 2)
  /// ELF: `R_BPF_64_ABS32` — a 32-bit address in data (DWARF, `.BTF`).
  public static let absolute32 = RelocationType(rawValue: 3)
  /// ELF: `R_BPF_64_NODYLD32` — a 32-bit value in `.BTF`/`.BTF.ext`, not applied at load.
  public static let noDynamicLoad32 = RelocationType(rawValue: 4)
  /// ELF: `R_BPF_64_32` — the 32-bit immediate of a `call`.
  public static let call32 = RelocationType(rawValue: 10)

  /// The name `llvm-objdump -r` prints.
  public var description: String {
    switch rawValue {
    case 0: "R_BPF_NONE"
    case 1: "R_BPF_64_64"
    case 2: "R_BPF_64_ABS64"
    case 3: "R_BPF_64_ABS32"
    case 4: "R_BPF_64_NODYLD32"
    case 10: "R_BPF_64_32"
    default: "R_BPF_\(rawValue)"
    }
  }
}
