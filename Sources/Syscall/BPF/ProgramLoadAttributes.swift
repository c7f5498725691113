import UAPI

/// Everything `BPF_PROG_LOAD` accepts, as owned values.
///
/// Kernel: `BPF_PROG_LOAD`. Byte arrays (`instructions`, `funcInfo`,
/// `lineInfo`, `coreRelocations`) are in the kernel's record formats and host
/// byte order; counts are derived from their sizes.
public struct ProgramLoadAttributes: Sendable, Hashable {
  public var type: ProgramType
  /// The instructions, 8 bytes per slot (`ld_imm64` takes two).
  public var instructions: [UInt8]
  /// `"GPL"`, `"Dual BSD/GPL"`…; decides access to GPL-only helpers.
  public var license: String
  /// Up to 15 bytes; longer names are refused before the call.
  public var name: String
  public var flags: ProgramFlags
  /// `LINUX_VERSION_CODE`, only checked for kprobes on kernels before 5.0.
  public var kernelVersion: UInt32
  /// Device for offloaded or device-bound XDP programs.
  public var ifindex: UInt32
  /// The attach type the verifier should assume (cgroup, tracing, netfilter…).
  public var expectedAttachType: AttachType?
  /// The program's BTF, needed for func_info, line_info and CO-RE in the kernel.
  public var btfFD: BorrowedFD?
  /// `struct bpf_func_info` records, `funcInfoRecordSize` bytes each.
  public var funcInfo: [UInt8]
  public var funcInfoRecordSize: UInt32
  /// `struct bpf_line_info` records, `lineInfoRecordSize` bytes each.
  public var lineInfo: [UInt8]
  public var lineInfoRecordSize: UInt32
  /// For tracing, LSM, struct_ops, freplace: the BTF type ID of the target.
  public var attachBTFID: UInt32
  /// For freplace/fentry on a BPF program: the target program.
  /// Shares its kernel field with `attachBTFObjectFD`; set at most one.
  public var attachProgramFD: BorrowedFD?
  /// For targets in module BTF: that BTF object. Shares the field with `attachProgramFD`.
  public var attachBTFObjectFD: BorrowedFD?
  /// Descriptors that `BPF_PSEUDO_MAP_IDX`/kfunc instructions index into.
  public var fdArray: [CInt]
  /// `struct bpf_core_relo` records for CO-RE done by the kernel, `coreRelocationRecordSize` each.
  public var coreRelocations: [UInt8]
  public var coreRelocationRecordSize: UInt32
  /// BPF token; needs `ProgramFlags.tokenFD`.
  public var tokenFD: BorrowedFD?

  public init(type: ProgramType, instructions: [UInt8], license: String, name: String = "") {
    self.type = type
    self.instructions = instructions
    self.license = license
    self.name = name
    self.flags = []
    self.kernelVersion = 0
    self.ifindex = 0
    self.expectedAttachType = nil
    self.btfFD = nil
    self.funcInfo = []
    self.funcInfoRecordSize = 0
    self.lineInfo = []
    self.lineInfoRecordSize = 0
    self.attachBTFID = 0
    self.attachProgramFD = nil
    self.attachBTFObjectFD = nil
    self.fdArray = []
    self.coreRelocations = []
    self.coreRelocationRecordSize = 0
    self.tokenFD = nil
  }
}

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
