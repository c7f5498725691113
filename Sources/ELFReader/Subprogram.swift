import Instructions
import UAPI

/// A function in `.text`: code that programs call (`call` with
/// `BPF_PSEUDO_CALL`) or pass as callbacks, appended to each program that
/// uses it when loading.
///
/// Kernel: `static` subprograms are verified with their caller; global ones
/// (`binding == .global`) are verified once, on their own BTF signature.
public struct Subprogram: Sendable {
  public let name: String
  /// Always `.text` for objects clang builds.
  public let sectionName: String
  public let sectionIndex: Int
  /// The byte offset of the first instruction in the section (`st_value`).
  public let offset: UInt64
  /// The size in bytes (`st_size`), a multiple of 8.
  public let size: UInt64
  /// `.local` for `static` functions, `.global` (or `.weak`) otherwise.
  public let binding: Symbol.Binding
  public let visibility: Symbol.Visibility
  public let symbolIndex: Int
  /// The raw instruction bytes, in the object's byte order.
  public let code: [UInt8]
  /// The decoded instructions (`ld_imm64` as one), with slot positions.
  public let instructions: InstructionSequence

  public init(
    name: String, sectionName: String, sectionIndex: Int, offset: UInt64, size: UInt64,
    binding: Symbol.Binding, visibility: Symbol.Visibility, symbolIndex: Int, code: [UInt8],
    instructions: InstructionSequence
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
  }

  /// The instruction slot of the first instruction in the section.
  public var slot: Int { Int(offset / 8) }
  /// The number of 8-byte instruction slots.
  public var slotCount: Int { Int(size / 8) }
}
