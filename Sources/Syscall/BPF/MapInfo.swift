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
