/// `map_flags` of `BPF_MAP_CREATE`.
///
/// Kernel: the anonymous enum of `BPF_F_*` map flags in include/uapi/linux/bpf.h.
public struct MapFlags: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  /// Kernel: `BPF_F_NO_PREALLOC`
  public static let noPrealloc = MapFlags(rawValue: 1 << 0)
  /// Kernel: `BPF_F_NO_COMMON_LRU`
  public static let noCommonLRU = MapFlags(rawValue: 1 << 1)
  /// Kernel: `BPF_F_NUMA_NODE`
  public static let numaNode = MapFlags(rawValue: 1 << 2)
  /// Kernel: `BPF_F_RDONLY` (read-only for user space)
  public static let readOnly = MapFlags(rawValue: 1 << 3)
  /// Kernel: `BPF_F_WRONLY`
  public static let writeOnly = MapFlags(rawValue: 1 << 4)
  /// Kernel: `BPF_F_STACK_BUILD_ID`
  public static let stackBuildID = MapFlags(rawValue: 1 << 5)
  /// Kernel: `BPF_F_ZERO_SEED`
  public static let zeroSeed = MapFlags(rawValue: 1 << 6)
  /// Kernel: `BPF_F_RDONLY_PROG` (read-only for programs)
  public static let readOnlyProgram = MapFlags(rawValue: 1 << 7)
  /// Kernel: `BPF_F_WRONLY_PROG`
  public static let writeOnlyProgram = MapFlags(rawValue: 1 << 8)
  /// Kernel: `BPF_F_CLONE`
  public static let clone = MapFlags(rawValue: 1 << 9)
  /// Kernel: `BPF_F_MMAPABLE` (arrays that user space may mmap)
  public static let mmapable = MapFlags(rawValue: 1 << 10)
  /// Kernel: `BPF_F_PRESERVE_ELEMS`
  public static let preserveElements = MapFlags(rawValue: 1 << 11)
  /// Kernel: `BPF_F_INNER_MAP`
  public static let innerMap = MapFlags(rawValue: 1 << 12)
  /// Kernel: `BPF_F_LINK`
  public static let link = MapFlags(rawValue: 1 << 13)
  /// Kernel: `BPF_F_PATH_FD`
  public static let pathFD = MapFlags(rawValue: 1 << 14)
  /// Kernel: `BPF_F_VTYPE_BTF_OBJ_FD`
  public static let vtypeBTFObjFD = MapFlags(rawValue: 1 << 15)
  /// Kernel: `BPF_F_TOKEN_FD`
  public static let tokenFD = MapFlags(rawValue: 1 << 16)
  /// Kernel: `BPF_F_SEGV_ON_FAULT`
  public static let segvOnFault = MapFlags(rawValue: 1 << 17)
  /// Kernel: `BPF_F_NO_USER_CONV`
  public static let noUserConversion = MapFlags(rawValue: 1 << 18)
}
