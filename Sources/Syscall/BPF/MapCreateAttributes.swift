import UAPI

/// Everything `BPF_MAP_CREATE` accepts.
///
/// Kernel: `BPF_MAP_CREATE`; `map_extra` needs Linux 5.16, `value_type_btf_obj_fd`
/// 6.8, `map_token_fd` 6.9. Fields left zero are not sent as features.
public struct MapCreateAttributes: Sendable, Hashable {
  /// The map type (`map_type`).
  public var type: MapType
  /// Key size in bytes (`key_size`; 0 for queues, stacks, ring buffers).
  public var keySize: UInt32
  /// Value size in bytes (`value_size`; 0 for ring buffers).
  public var valueSize: UInt32
  /// Capacity (`max_entries`; for ring buffers a power-of-2 multiple of the
  /// page size, in bytes).
  public var maxEntries: UInt32
  /// Creation flags (`map_flags`).
  public var flags: MapFlags
  /// For map-in-map types: a map the inner maps must look like.
  public var innerMapFD: BorrowedFD?
  /// NUMA node; sent only with `MapFlags.numaNode`.
  public var numaNode: UInt32
  /// Up to 15 bytes (the kernel keeps 16 with the NUL); longer names are refused.
  public var name: String
  /// Device for offloaded maps.
  public var ifindex: UInt32
  /// The BTF describing key and value (`btf_fd`); nil for none.
  public var btfFD: BorrowedFD?
  /// The key's type id in that BTF (`btf_key_type_id`; 0 for none).
  public var btfKeyTypeID: UInt32
  /// The value's type id in that BTF (`btf_value_type_id`).
  public var btfValueTypeID: UInt32
  /// For struct_ops maps: the kernel struct's type ID in vmlinux BTF.
  public var btfVmlinuxValueTypeID: UInt32
  /// Bloom filter hash count, arena address, etc.
  public var mapExtra: UInt64
  /// Module BTF of the struct_ops value type; needs `MapFlags.vtypeBTFObjFD`.
  public var valueTypeBTFObjFD: BorrowedFD?
  /// BPF token; needs `MapFlags.tokenFD`.
  public var tokenFD: BorrowedFD?

  /// A map of `type` with these sizes; every other field zero or nil.
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
