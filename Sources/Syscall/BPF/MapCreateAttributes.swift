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
