import Syscall
import UAPI

/// The attributes of an existing map that decide whether it can stand in
/// for a definition (pinned map reuse).
public struct MapDescription: Sendable, Hashable {
  /// The map type.
  public var type: MapType
  /// Key size in bytes.
  public var keySize: UInt32
  /// Value size in bytes.
  public var valueSize: UInt32
  /// Capacity (bytes for ring buffers).
  public var maxEntries: UInt32
  /// Creation flags (`map_flags`).
  public var flags: MapFlags
  /// Type-specific extra (`map_extra`).
  public var mapExtra: UInt64

  /// A description with these attributes.
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
