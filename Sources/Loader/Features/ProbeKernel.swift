import Syscall
import UAPI

/// What one probe saw: success, or the errno and the verifier/BTF log.
public struct ProbeOutcome: Sendable, Hashable {
  /// nil when the kernel accepted the object.
  public var errno: Errno?
  /// The log the kernel wrote (empty when none was asked for or written).
  public var log: String

  /// An outcome: `errno` nil for success.
  public init(errno: Errno?, log: String = "") {
    self.errno = errno
    self.log = log
  }

  /// The kernel accepted the probe, with no log.
  public static let success = ProbeOutcome(errno: nil)
  /// Whether the kernel accepted the probe.
  public var succeeded: Bool { errno == nil }
}

/// The kernel calls feature probing makes, injectable so the probe logic can
/// be tested without root (a fake that refuses a map type simulates an older
/// kernel). Every object a call creates is closed before it returns.
public protocol ProbeKernel: Sendable {
  /// `BPF_BTF_LOAD` of `bytes` (no log).
  func loadBTF(_ bytes: [UInt8]) -> ProbeOutcome
  /// `BPF_MAP_CREATE`. `btf`, when given, is loaded first and passed as
  /// `btf_fd`; `inner`, when given, is created first and passed as the
  /// inner map.
  func createMap(_ attributes: MapCreateAttributes, btf: [UInt8]?, inner: MapCreateAttributes?) -> ProbeOutcome
  /// `BPF_PROG_LOAD` with a level-1 log of `logCapacity` bytes (0: no log).
  /// `map`, when given, is created first and its fd written into every
  /// `ld_imm64` of the program that refers to a map (`BPF_PSEUDO_MAP_FD`,
  /// `BPF_PSEUDO_MAP_VALUE`).
  func loadProgram(_ attributes: ProgramLoadAttributes, map: MapCreateAttributes?, logCapacity: Int) -> ProbeOutcome
}
