/// `prog_flags` of `BPF_PROG_LOAD`.
public struct ProgramFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Kernel: `BPF_F_STRICT_ALIGNMENT`
  public static let strictAlignment = ProgramFlags(rawValue: 1 << 0)
  /// Kernel: `BPF_F_ANY_ALIGNMENT`
  public static let anyAlignment = ProgramFlags(rawValue: 1 << 1)
  /// Kernel: `BPF_F_TEST_RND_HI32`
  public static let testRandomHigh32 = ProgramFlags(rawValue: 1 << 2)
  /// Kernel: `BPF_F_TEST_STATE_FREQ`
  public static let testStateFrequency = ProgramFlags(rawValue: 1 << 3)
  /// Kernel: `BPF_F_SLEEPABLE`
  public static let sleepable = ProgramFlags(rawValue: 1 << 4)
  /// Kernel: `BPF_F_XDP_HAS_FRAGS`
  public static let xdpHasFrags = ProgramFlags(rawValue: 1 << 5)
  /// Kernel: `BPF_F_XDP_DEV_BOUND_ONLY`
  public static let xdpDeviceBoundOnly = ProgramFlags(rawValue: 1 << 6)
  /// Kernel: `BPF_F_TEST_REG_INVARIANTS`
  public static let testRegisterInvariants = ProgramFlags(rawValue: 1 << 7)
  /// Kernel: `BPF_F_TOKEN_FD`
  public static let tokenFD = ProgramFlags(rawValue: 1 << 16)
}
