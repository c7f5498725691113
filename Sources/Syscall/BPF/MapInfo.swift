import UAPI

/// What the kernel reports about a map.
///
/// Kernel: `struct bpf_map_info`.
public struct MapInfo: Sendable, Hashable {
  /// The map type (`type`).
  public var type: MapType
  /// The kernel's id for the map, as `bpftool map` lists it (`id`).
  public var id: UInt32
  /// Key size in bytes (`key_size`).
  public var keySize: UInt32
  /// Value size in bytes (`value_size`).
  public var valueSize: UInt32
  /// Capacity (`max_entries`; bytes for ring buffers).
  public var maxEntries: UInt32
  /// Creation flags (`map_flags`).
  public var flags: MapFlags
  /// The name given at creation, up to 15 bytes (`name`).
  public var name: String
  /// The device of an offloaded map, 0 otherwise (`ifindex`).
  public var ifindex: UInt32
  /// For struct_ops maps: the kernel struct's BTF id in vmlinux
  /// (`btf_vmlinux_value_type_id`).
  public var btfVmlinuxValueTypeID: UInt32
  /// With `netnsInode`, the network namespace of an offloaded map's device
  /// (`netns_dev`).
  public var netnsDevice: UInt64
  /// The inode of that namespace (`netns_ino`).
  public var netnsInode: UInt64
  /// The id of the BTF describing key and value; 0 for none (`btf_id`).
  public var btfID: UInt32
  /// The key's type id in that BTF (`btf_key_type_id`).
  public var btfKeyTypeID: UInt32
  /// The value's type id in that BTF (`btf_value_type_id`).
  public var btfValueTypeID: UInt32
  /// The id of the kernel BTF object of a struct_ops map (`btf_vmlinux_id`).
  public var btfVmlinuxID: UInt32
  /// Type-specific extra (`map_extra`: bloom filter hash count, arena start).
  public var mapExtra: UInt64
}

extension MapInfo {
  /// A description made outside the kernel (by the project's fakes); the
  /// fields not given are zero.
  package init(type: MapType, id: UInt32, keySize: UInt32, valueSize: UInt32, maxEntries: UInt32,
               flags: MapFlags = [], name: String) {
    self.type = type
    self.id = id
    self.keySize = keySize
    self.valueSize = valueSize
    self.maxEntries = maxEntries
    self.flags = flags
    self.name = name
    ifindex = 0
    btfVmlinuxValueTypeID = 0
    netnsDevice = 0
    netnsInode = 0
    btfID = 0
    btfKeyTypeID = 0
    btfValueTypeID = 0
    btfVmlinuxID = 0
    mapExtra = 0
  }
}
