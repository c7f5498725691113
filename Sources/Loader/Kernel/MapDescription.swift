import Syscall
import UAPI

/// The attributes of an existing map that decide whether it can stand in
/// for a definition (pinned map reuse).
public struct MapDescription: Sendable, Hashable {
  public var type: MapType
  public var keySize: UInt32
  public var valueSize: UInt32
  public var maxEntries: UInt32
  public var flags: MapFlags
  public var mapExtra: UInt64

  public init(type: MapType, keySize: UInt32, valueSize: UInt32, maxEntries: UInt32, flags: MapFlags,
              mapExtra: UInt64) {
    self.type = type
    self.keySize = keySize
    self.valueSize = valueSize
    self.maxEntries = maxEntries
    self.flags = flags
    self.mapExtra = mapExtra
  }
}
