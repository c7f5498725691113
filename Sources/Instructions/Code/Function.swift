import UAPI

/// A function of a BPF object: a program or a subprogram.
///
/// A program is a function in an executable section other than `.text`; it
/// has a SEC() `definition`. A subprogram is a function in `.text`, which
/// programs call (`call` with `BPF_PSEUDO_CALL`) or pass as callbacks; its
/// `definition` is nil. The code itself is not here: it is decoded once per
/// section, in the `CodeSection` named by `section`.
///
/// Kernel: each program is loaded with its own `BPF_PROG_LOAD`, together with
/// the subprograms it reaches; its type comes from its section name (SEC()).
/// `static` subprograms are verified with their caller, global ones once, on
/// their own BTF signature.
public struct Function: Sendable, Hashable {
  /// The symbol name, the name the kernel shows (truncated to 15 bytes there).
  public var name: String
  /// The section holding the function.
  public var section: SectionID
  /// That section's name: the SEC() name of a program, `.text` for a subprogram.
  public var sectionName: String
  /// The byte offset of the first instruction in the section (`st_value`).
  public var offset: UInt64
  /// The size in bytes (`st_size`), a multiple of 8.
  public var size: UInt64
  /// The ELF symbol (binding and visibility are there); nil for a function
  /// known only from `.BTF.ext` func_info.
  public var symbolIndex: Int?
  /// The SEC() table's reading of `sectionName` for a program: program type,
  /// expected attach type, attach target, sleepable, autoload (`?` prefix).
  /// An unknown name is not an error at open: the type may be set before load.
  /// Nil for a subprogram.
  public var definition: Result<ProgramSection, UnknownSectionName>?

  /// A function as the symbol table (or `.BTF.ext` func_info) describes it;
  /// `definition` is the SEC() reading of a program, nil for a subprogram.
  public init(
    name: String, section: SectionID, sectionName: String, offset: UInt64, size: UInt64,
    symbolIndex: Int?, definition: Result<ProgramSection, UnknownSectionName>? = nil
  ) {
    self.name = name
    self.section = section
    self.sectionName = sectionName
    self.offset = offset
    self.size = size
    self.symbolIndex = symbolIndex
    self.definition = definition
  }

  /// A program (it has a SEC() definition), not a subprogram.
  public var isProgram: Bool { definition != nil }
  /// The instruction slot of the first instruction in the section.
  public var slot: Int { Int(offset / 8) }
  /// The number of 8-byte instruction slots.
  public var slotCount: Int { Int(size / 8) }
}
