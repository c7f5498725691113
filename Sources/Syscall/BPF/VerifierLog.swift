/// A verifier (or BTF) log: the level asked for, a buffer, and what came back.
///
/// The kernel fills the buffer even when the load fails; that is when it matters.
public struct VerifierLog: Sendable, Hashable {
  /// 1: the path to an error (or stats); 2: every instruction; 4: statistics only.
  public var level: UInt32
  /// Bytes reserved for the log.
  public var capacity: Int
  /// What the kernel wrote, up to the terminating NUL.
  public var bytes: [UInt8]
  /// The size the full log needed (Linux 6.4+; 0 before). Larger than
  /// `capacity` means the log was cut.
  public var trueSize: UInt32

  /// A log request at `level` with a `capacity`-byte buffer (1 MiB by default).
  public init(level: UInt32 = 1, capacity: Int = 1 << 20) {
    self.level = level
    self.capacity = capacity
    self.bytes = []
    self.trueSize = 0
  }

  /// The log as text.
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Takes the kernel's NUL-terminated output from `buffer`.
  mutating func collect(_ buffer: UnsafeMutableRawBufferPointer, trueSize: UInt32) {
    let raw = UnsafeRawBufferPointer(buffer)
    let end = raw.firstIndex(of: 0) ?? raw.count
    bytes = Array(raw[0..<end])
    self.trueSize = trueSize
  }
}
