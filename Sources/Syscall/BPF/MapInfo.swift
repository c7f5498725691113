import UAPI

/// What the kernel reports about a map.
///
/// Kernel: `struct bpf_map_info`.
public struct MapInfo: Sendable, Hashable {
  public var type: MapType
  public var id: UInt32
  public var keySize: UInt32
  public var valueSize: UInt32
  public var maxEntries: UInt32
  public var flags: MapFlags
  public var name: String
  public var ifindex: UInt32
  public var btfVmlinuxValueTypeID: UInt32
  public var netnsDevice: UInt64
  public var netnsInode: UInt64
  public var btfID: UInt32
  public var btfKeyTypeID: UInt32
  public var btfValueTypeID: UInt32
  public var btfVmlinuxID: UInt32
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
