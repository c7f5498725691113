import BTF
import UAPI

/// A map the object defines: a BTF-defined map in `.maps` or a legacy
/// `struct bpf_map_def` in `maps`, decoded into the values `BPF_MAP_CREATE`
/// needs.
///
/// Kernel: `BPF_MAP_CREATE` takes `map_type`, `key_size`, `value_size`,
/// `max_entries`, `map_flags`, `numa_node`, `map_extra`, `btf_key_type_id`,
/// `btf_value_type_id`, `inner_map_fd`.
public struct MapDefinition: Sendable, Hashable {
  /// The map's symbol name.
  public var name: String
  /// Where it is defined.
  public var origin: Origin
  /// `.maps` or `maps`, and the section index.
  public var sectionName: String
  /// The ELF section index of `sectionName`.
  public var sectionIndex: Int
  /// The byte offset of its definition in that section (`st_value`): what
  /// `ld_imm64` relocations name it by.
  public var offset: UInt64
  /// The map symbol's index in the symbol table.
  public var symbolIndex: Int

  /// `type`.
  public var type: MapType
  /// `key_size`, or the BTF size of `key`.
  public var keySize: UInt32
  /// `value_size`, or the BTF size of `value`.
  public var valueSize: UInt32
  /// The BTF type of `key`, when given with `__type(key, ...)`.
  public var keyTypeID: BTF.TypeID?
  /// The BTF type of `value`, when given with `__type(value, ...)`.
  public var valueTypeID: BTF.TypeID?
  /// `max_entries`.
  public var maxEntries: UInt32
  /// `map_flags` (`BPF_F_NO_PREALLOC`, `BPF_F_RDONLY_PROG`...).
  public var flags: UInt32
  /// `numa_node` (meaningful with `BPF_F_NUMA_NODE`).
  public var numaNode: UInt32
  /// `map_extra` (bloom filter hash count, arena start address).
  public var mapExtra: UInt64
  /// `pinning`.
  public var pinning: Pinning
  /// The template for inner maps, for `__array(values, struct inner)` in a
  /// map-in-map (0 or 1 element; an array keeps the type non-recursive).
  public var innerMaps: [MapDefinition]
  /// Initial contents of a map-in-map or program array from `.values = { ... }`.
  public var initialValues: [InitialValue]
  /// For struct_ops maps: the ops struct, its data and its programs.
  public var structOps: StructOpsDefinition?
  /// For ring buffers: the record type named by `__type(value, struct event)`.
  /// The kernel needs key and value size 0 for `BPF_MAP_TYPE_RINGBUF` and
  /// `BPF_MAP_TYPE_USER_RINGBUF`, so such a declaration is kept here (for
  /// readers to check their Swift type against) and `valueSize` stays 0.
  public var recordType: RecordType?

  /// A map definition.
  /// What `ObjectFile` builds while reading an object; tests and tools
  /// may build values directly.
  public init(
    name: String, origin: Origin, sectionName: String, sectionIndex: Int, offset: UInt64,
    symbolIndex: Int, type: MapType, keySize: UInt32 = 0, valueSize: UInt32 = 0,
    keyTypeID: BTF.TypeID? = nil, valueTypeID: BTF.TypeID? = nil, maxEntries: UInt32 = 0,
    flags: UInt32 = 0, numaNode: UInt32 = 0, mapExtra: UInt64 = 0, pinning: Pinning = .none,
    innerMaps: [MapDefinition] = [], initialValues: [InitialValue] = [],
    structOps: StructOpsDefinition? = nil, recordType: RecordType? = nil
  ) {
    self.name = name
    self.origin = origin
    self.sectionName = sectionName
    self.sectionIndex = sectionIndex
    self.offset = offset
    self.symbolIndex = symbolIndex
    self.type = type
    self.keySize = keySize
    self.valueSize = valueSize
    self.keyTypeID = keyTypeID
    self.valueTypeID = valueTypeID
    self.maxEntries = maxEntries
    self.flags = flags
    self.numaNode = numaNode
    self.mapExtra = mapExtra
    self.pinning = pinning
    self.innerMaps = innerMaps
    self.initialValues = initialValues
    self.structOps = structOps
    self.recordType = recordType
  }

  /// The inner map template, if this is a map-in-map with `__array(values, ...)`.
  public var innerMap: MapDefinition? { innerMaps.first }

  /// The C type of a ring buffer's records, declared in its map definition.
  public struct RecordType: Sendable, Hashable, CustomStringConvertible {
    /// The type's id in the object's BTF.
    public var typeID: BTF.TypeID
    /// Its C spelling for messages: `struct event`, `u64`.
    public var name: String
    /// `sizeof` the type, from its BTF.
    public var size: Int

    /// A record type: its BTF id, C spelling and size.
    public init(typeID: BTF.TypeID, name: String, size: Int) {
      self.typeID = typeID
      self.name = name
      self.size = size
    }

    public var description: String { "\(name) (\(size) bytes)" }
  }

  /// Where a map definition comes from.
  public enum Origin: String, Sendable, Hashable {
    /// A BTF-defined map in `.maps` (`__uint`/`__type`/`__array` members).
    case btf
    /// A `struct bpf_map_def` in the legacy `maps` section.
    case legacy
    /// A variable in `.struct_ops` or `.struct_ops.link`.
    case structOps
  }

  /// How the loader pins the map in bpffs.
  public struct Pinning: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    /// libbpf: `LIBBPF_PIN_NONE`
    public static let none = Pinning(rawValue: 0)
    /// libbpf: `LIBBPF_PIN_BY_NAME` — pinned at `<pin root>/<map name>`, reused if present.
    public static let byName = Pinning(rawValue: 1)
    public var description: String {
      switch rawValue {
      case 0: "none"
      case 1: "by-name"
      default: "pinning(\(rawValue))"
      }
    }
  }

  /// One entry of `.values = { [i] = &symbol }`.
  public struct InitialValue: Sendable, Hashable {
    /// The array index (slot of the `values` member).
    public let index: Int
    /// The inner map or program the slot points to.
    public let symbolName: String
    /// That symbol's index in the symbol table.
    public let symbolIndex: Int

    /// Slot `index` pointing to `symbolName`.
    public init(index: Int, symbolName: String, symbolIndex: Int) {
      self.index = index
      self.symbolName = symbolName
      self.symbolIndex = symbolIndex
    }
  }
}
