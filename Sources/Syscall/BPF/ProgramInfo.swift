import UAPI

/// What the kernel reports about a loaded program.
///
/// Kernel: `struct bpf_prog_info`. Fields a kernel does not fill (older
/// kernels write a shorter struct) read as zero.
public struct ProgramInfo: Sendable, Hashable {
  public var type: ProgramType
  public var id: UInt32
  /// The program's tag: a hash of its instructions, as `bpftool prog` shows it.
  public var tag: [UInt8]
  public var jitedLength: UInt32
  /// Bytes of the instructions after verifier rewriting (8 per slot).
  public var translatedLength: UInt32
  /// Nanoseconds since boot at load time.
  public var loadTime: UInt64
  public var createdByUID: UInt32
  public var mapCount: UInt32
  public var name: String
  public var ifindex: UInt32
  public var gplCompatible: Bool
  public var netnsDevice: UInt64
  public var netnsInode: UInt64
  public var btfID: UInt32
  public var funcInfoCount: UInt32
  public var lineInfoCount: UInt32
  public var runTimeNanoseconds: UInt64
  public var runCount: UInt64
  public var recursionMisses: UInt64
  public var verifiedInstructions: UInt32
  public var attachBTFObjectID: UInt32
  public var attachBTFID: UInt32
}
