/// One of the BPF machine's registers, as the 4-bit field of an instruction.
///
/// The field holds 0...15; the kernel knows r0...r10 (r10 is the read-only
/// frame pointer) and llvm knows r11 as well. Values above that still decode
/// and round-trip, so bytes that are wrong stay visible instead of being lost.
public struct Register: RawRepresentable, Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
  /// The 4-bit field value (0...15).
  public var rawValue: UInt8

  /// Keeps only the low 4 bits: a register field has no room for more.
  public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }

  public static let r0 = Register(rawValue: 0)
  public static let r1 = Register(rawValue: 1)
  public static let r2 = Register(rawValue: 2)
  public static let r3 = Register(rawValue: 3)
  public static let r4 = Register(rawValue: 4)
  public static let r5 = Register(rawValue: 5)
  public static let r6 = Register(rawValue: 6)
  public static let r7 = Register(rawValue: 7)
  public static let r8 = Register(rawValue: 8)
  public static let r9 = Register(rawValue: 9)
  /// The frame pointer. Kernel: `BPF_REG_FP` (`BPF_REG_10`).
  public static let r10 = Register(rawValue: 10)
  public static let framePointer = r10

  /// The 64-bit name, `r3`.
  public var description: String { "r\(rawValue)" }

  /// The 32-bit subregister name, `w3`.
  public var name32: String { "w\(rawValue)" }
}
