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

  /// Return value of helpers, calls and the program. Kernel: `BPF_REG_0`.
  public static let r0 = Register(rawValue: 0)
  /// First argument; at program entry, the context pointer. Kernel: `BPF_REG_1`.
  public static let r1 = Register(rawValue: 1)
  /// Second argument of a call. Kernel: `BPF_REG_2`.
  public static let r2 = Register(rawValue: 2)
  /// Third argument of a call. Kernel: `BPF_REG_3`.
  public static let r3 = Register(rawValue: 3)
  /// Fourth argument of a call. Kernel: `BPF_REG_4`.
  public static let r4 = Register(rawValue: 4)
  /// Fifth argument of a call. Kernel: `BPF_REG_5`.
  public static let r5 = Register(rawValue: 5)
  /// Callee-saved; also the implicit context of legacy packet loads
  /// (`LD_ABS`, `LD_IND`). Kernel: `BPF_REG_6`.
  public static let r6 = Register(rawValue: 6)
  /// Callee-saved. Kernel: `BPF_REG_7`.
  public static let r7 = Register(rawValue: 7)
  /// Callee-saved. Kernel: `BPF_REG_8`.
  public static let r8 = Register(rawValue: 8)
  /// Callee-saved. Kernel: `BPF_REG_9`.
  public static let r9 = Register(rawValue: 9)
  /// The frame pointer. Kernel: `BPF_REG_FP` (`BPF_REG_10`).
  public static let r10 = Register(rawValue: 10)
  /// The read-only frame pointer, `r10`: the stack is below it.
  public static let framePointer = r10

  /// The 64-bit name, `r3`.
  public var description: String { "r\(rawValue)" }

  /// The 32-bit subregister name, `w3`.
  public var name32: String { "w\(rawValue)" }
}
