import UAPI

/// Everything `BPF_PROG_LOAD` accepts, as owned values.
///
/// Kernel: `BPF_PROG_LOAD`. Byte arrays (`instructions`, `funcInfo`,
/// `lineInfo`, `coreRelocations`) are in the kernel's record formats and host
/// byte order; counts are derived from their sizes.
public struct ProgramLoadAttributes: Sendable, Hashable {
  /// The program type (`prog_type`).
  public var type: ProgramType
  /// The instructions, 8 bytes per slot (`ld_imm64` takes two).
  public var instructions: [UInt8]
  /// `"GPL"`, `"Dual BSD/GPL"`…; decides access to GPL-only helpers.
  public var license: String
  /// Up to 15 bytes; longer names are refused before the call.
  public var name: String
  /// Load flags (`prog_flags`: sleepable, XDP frags, strict alignment...).
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
  /// The size of one func_info record (`func_info_rec_size`; 8 today).
  public var funcInfoRecordSize: UInt32
  /// `struct bpf_line_info` records, `lineInfoRecordSize` bytes each.
  public var lineInfo: [UInt8]
  /// The size of one line_info record (`line_info_rec_size`; 16 today).
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
  /// The size of one CO-RE record (`core_relo_rec_size`; 16 today).
  public var coreRelocationRecordSize: UInt32
  /// BPF token; needs `ProgramFlags.tokenFD`.
  public var tokenFD: BorrowedFD?

  /// A program of `type` with its instructions and license; every other field
  /// zero, empty or nil.
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
