/// A code relocation the loader cannot apply, with where it is and why.
///
/// Opening the object does not fail on these (so tools can show the whole
/// object); loading a program that contains one does.
public struct UnsupportedRelocation: Sendable, Hashable, CustomStringConvertible {
  /// The code section and byte offset of the patched instruction.
  public let section: String
  /// The patched instruction's byte offset in `section`.
  public let offset: UInt64
  /// Why it cannot be applied.
  public let problem: Problem

  /// The relocation at `offset` in `section` and its problem.
  public init(section: String, offset: UInt64, problem: Problem) {
    self.section = section
    self.offset = offset
    self.problem = problem
  }

  /// What is wrong with the relocation.
  public enum Problem: Sendable, Hashable, CustomStringConvertible {
    /// `R_BPF_64_ABS64`, `R_BPF_64_ABS32`, `R_BPF_64_NODYLD32` or an unknown
    /// type in code, where only `R_BPF_64_64` and `R_BPF_64_32` belong.
    case dataRelocationInCode(RelocationType)
    /// The relocation type does not fit the instruction it patches
    /// (`R_BPF_64_64` on something other than `ld_imm64`, `R_BPF_64_32` on
    /// something other than `call`).
    case typeMismatch(RelocationType, opcode: UInt8)
    /// The relocation names symbol 0 or an unnamed undefined symbol.
    case noSymbol
    /// The symbol is in a special section (`SHN_ABS`, `SHN_COMMON`...): an
    /// uninitialised global that clang left common.
    case specialSection(symbol: String, index: Int)
    /// A `call` relocated against a function but without `src_reg = 1` (`BPF_PSEUDO_CALL`).
    case callWithoutPseudoSource(symbol: String, source: UInt8)
    /// A call or function address into a section that holds no code.
    case notCode(symbol: String, section: String)
    /// The computed callee or address lies outside its section or between instructions.
    case targetOutsideSection(symbol: String, section: String, target: Int64)
    /// An `ld_imm64` into a maps section where no map starts.
    case noMapAtOffset(section: String, offset: Int64)
    /// The symbol lives in a section that is neither code, maps nor data.
    case unrelocatableSection(symbol: String, section: String)

    public var description: String {
      switch self {
      case .dataRelocationInCode(let type):
        "\(type) is a data relocation; in code only R_BPF_64_64 (ld_imm64) and R_BPF_64_32 (call) are valid"
      case .typeMismatch(let type, let opcode):
        "\(type) patches an instruction with opcode 0x\(String(opcode, radix: 16)), "
          + (type == .call32 ? "not a call (0x85)" : "not an ld_imm64 (0x18)")
      case .noSymbol:
        "names no symbol"
      case .specialSection(let symbol, let index):
        "symbol '\(symbol)' is in special section 0x\(String(index, radix: 16)) (an uninitialised common variable? initialise it or make it static)"
      case .callWithoutPseudoSource(let symbol, let source):
        "call with src_reg \(source) relocated against '\(symbol)'; a call to a BPF function has src_reg 1 (BPF_PSEUDO_CALL)"
      case .notCode(let symbol, let section):
        "'\(symbol)' is used as a function but its section '\(section)' holds no code"
      case .targetOutsideSection(let symbol, let section, let target):
        "the address computed from '\(symbol)' (\(target)) lies outside section '\(section)' or between instructions"
      case .noMapAtOffset(let section, let offset):
        "no map starts at offset \(offset) of section '\(section)'"
      case .unrelocatableSection(let symbol, let section):
        "'\(symbol)' is in section '\(section)', which is neither code, a map section nor a data section"
      }
    }
  }

  public var description: String {
    "section '\(section)' offset \(offset) (instruction \(offset / 8)): \(problem)"
  }
}
