import Instructions
import UAPI

/// A BPF program: a function symbol (`STT_FUNC`, global or `static`) in an
/// executable section other than `.text`. A section may hold several.
///
/// Kernel: each program is loaded with its own `BPF_PROG_LOAD`, together with
/// the subprograms it calls; its type comes from its section name (SEC()).
public struct Program: Sendable {
  /// The function name, the name the kernel shows (truncated to 15 bytes there).
  public let name: String
  /// The section the program is in (its SEC() name).
  public let sectionName: String
  public let sectionIndex: Int
  /// The byte offset of the first instruction in the section (`st_value`).
  public let offset: UInt64
  /// The size in bytes (`st_size`), a multiple of 8.
  public let size: UInt64
  /// `.global` or `.local` (`static`); libbpf refuses static programs.
  public let binding: Symbol.Binding
  public let visibility: Symbol.Visibility
  public let symbolIndex: Int
  /// The raw instruction bytes, in the object's byte order.
  public let code: [UInt8]
  /// The decoded instructions (`ld_imm64` as one), with slot positions.
  public let instructions: InstructionSequence
  /// The SEC() table's reading of `sectionName`: program type, expected
  /// attach type, attach target, sleepable, autoload (`?` prefix). An unknown
  /// name is not an error at open: the type may be set explicitly before load.
  public let definition: Result<ProgramSection, UnknownSectionName>

  public init(
    name: String, sectionName: String, sectionIndex: Int, offset: UInt64, size: UInt64,
    binding: Symbol.Binding, visibility: Symbol.Visibility, symbolIndex: Int, code: [UInt8],
    instructions: InstructionSequence, definition: Result<ProgramSection, UnknownSectionName>
  ) {
    self.name = name
    self.sectionName = sectionName
    self.sectionIndex = sectionIndex
    self.offset = offset
    self.size = size
    self.binding = binding
    self.visibility = visibility
    self.symbolIndex = symbolIndex
    self.code = code
    self.instructions = instructions
    self.definition = definition
  }

  /// The instruction slot of the first instruction in the section.
  public var slot: Int { Int(offset / 8) }
  /// The number of 8-byte instruction slots.
  public var slotCount: Int { Int(size / 8) }
}
