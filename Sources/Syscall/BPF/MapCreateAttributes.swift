import UAPI

/// Everything `BPF_MAP_CREATE` accepts.
///
/// Kernel: `BPF_MAP_CREATE`; `map_extra` needs Linux 5.16, `value_type_btf_obj_fd`
/// 6.8, `map_token_fd` 6.9. Fields left zero are not sent as features.
public struct MapCreateAttributes: Sendable, Hashable {
  public var type: MapType
  public var keySize: UInt32
  public var valueSize: UInt32
  public var maxEntries: UInt32
  public var flags: MapFlags
  /// For map-in-map types: a map the inner maps must look like.
  public var innerMapFD: BorrowedFD?
  /// NUMA node; sent only with `MapFlags.numaNode`.
  public var numaNode: UInt32
  /// Up to 15 bytes (the kernel keeps 16 with the NUL); longer names are refused.
  public var name: String
  /// Device for offloaded maps.
  public var ifindex: UInt32
  public var btfFD: BorrowedFD?
  public var btfKeyTypeID: UInt32
  public var btfValueTypeID: UInt32
  /// For struct_ops maps: the kernel struct's type ID in vmlinux BTF.
  public var btfVmlinuxValueTypeID: UInt32
  /// Bloom filter hash count, arena address, etc.
  public var mapExtra: UInt64
  /// Module BTF of the struct_ops value type; needs `MapFlags.vtypeBTFObjFD`.
  public var valueTypeBTFObjFD: BorrowedFD?
  /// BPF token; needs `MapFlags.tokenFD`.
  public var tokenFD: BorrowedFD?

  public init(
    type: MapType, keySize: UInt32, valueSize: UInt32, maxEntries: UInt32,
    flags: MapFlags = [], name: String = ""
  ) {
    self.type = type
    self.keySize = keySize
    self.valueSize = valueSize
    self.maxEntries = maxEntries
    self.flags = flags
    self.innerMapFD = nil
    self.numaNode = 0
    self.name = name
    self.ifindex = 0
    self.btfFD = nil
    self.btfKeyTypeID = 0
    self.btfValueTypeID = 0
    self.btfVmlinuxValueTypeID = 0
    self.mapExtra = 0
    self.valueTypeBTFObjFD = nil
    self.tokenFD = nil
  }
}

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
