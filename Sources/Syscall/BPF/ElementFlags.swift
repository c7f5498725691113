/// `flags` of element updates and lookups.
public struct ElementFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt64
  public init(rawValue: UInt64) { self.rawValue = rawValue }

  /// Kernel: `BPF_ANY` — create or replace.
  public static let any: ElementFlags = []
  /// Kernel: `BPF_NOEXIST` — create only.
  public static let noExist = ElementFlags(rawValue: 1)
  /// Kernel: `BPF_EXIST` — replace only.
  public static let exist = ElementFlags(rawValue: 2)
  /// Kernel: `BPF_F_LOCK` — take the value's `bpf_spin_lock`.
  public static let lock = ElementFlags(rawValue: 4)
}
