import ELFReader
import Syscall
import UAPI

extension Object {
  /// A map as it will be created: the object's definition with any changes
  /// made before load.
  public struct Map: Sendable {
    /// What the map comes from.
    public enum Role: Sendable, Hashable {
      /// A `.maps` or legacy `maps` definition.
      case defined
      /// A global data section (`.data`, `.rodata.*`, `.bss`…), by name.
      case data(section: String)
      /// The `.kconfig` externs.
      case kconfig
      /// A struct_ops map (`.struct_ops`, `.struct_ops.link`): its value is
      /// the kernel's `bpf_struct_ops_<struct>`, prepared at load.
      case structOps
    }

    /// The symbol name (`hash_map`) or, for internal maps, the kernel name
    /// (`globals.data`).
    public let name: String
    /// The section of an internal map (`.data`); nil for defined maps.
    public let sectionName: String?
    /// What the map comes from: a definition, a data section, `.kconfig`,
    /// struct_ops.
    public let role: Role
    /// The object's definition (nil for internal maps).
    public let definition: MapDefinition?

    /// The map type to create.
    public var type: MapType
    /// Key size in bytes.
    public var keySize: UInt32
    /// Value size in bytes (a data section's size for internal maps).
    public var valueSize: UInt32
    /// 0 for a `PERF_EVENT_ARRAY` means "one per possible CPU".
    public var maxEntries: UInt32
    /// Creation flags (`map_flags`); `BPF_F_MMAPABLE` on data maps with a
    /// variable user space can name (not on sections of only static or
    /// `__hidden` variables, libbpf's rule).
    public var flags: MapFlags
    /// The NUMA node to allocate on, with `MapFlags.numaNode`.
    public var numaNode: UInt32
    /// Type-specific extra (`map_extra`: bloom filter hash count, arena start).
    public var mapExtra: UInt64
    /// The inner map template for map-in-map types.
    public var innerMap: MapDefinition?
    /// Pin at `<pin root>/<name>` (and reuse a compatible pinned map).
    public var pinning: MapDefinition.Pinning
    /// Pin at this path on a BPF file system (and reuse a compatible map
    /// already pinned there), whatever `pinning` says: libbpf's
    /// `bpf_map__set_pin_path`.
    public var pinPath: String?
    /// Use this existing map instead of creating one (its fd is duplicated
    /// at load; the handle may be closed after that).
    public var reusedMap: LoadedObject.Map?
    /// Create the map (false: skip it; programs using it then fail to load).
    /// Off for struct_ops maps of a `?.struct_ops` or `?.struct_ops.link`
    /// section; a struct_ops map not created takes its programs' autoload
    /// with it (see `Object.Program.autoload`).
    public var autoCreate: Bool
    /// A ring buffer's declared record type (`__type(value, struct event)`);
    /// the map itself is created with key and value size 0.
    public let recordType: MapDefinition.RecordType?

    init(definition d: MapDefinition) {
      name = d.name
      sectionName = nil
      role = d.origin == .structOps ? .structOps : .defined
      definition = d
      type = d.type
      keySize = d.keySize
      valueSize = d.valueSize
      maxEntries = d.maxEntries
      flags = MapFlags(rawValue: d.flags)
      numaNode = d.numaNode
      mapExtra = d.mapExtra
      innerMap = d.innerMap
      pinning = d.pinning
      pinPath = nil
      reusedMap = nil
      // `?.struct_ops` and `?.struct_ops.link`: created only when asked for
      // (libbpf's rule, as `?` before a program's section turns autoload off).
      autoCreate = !(d.origin == .structOps && d.sectionName.hasPrefix("?"))
      recordType = d.recordType
    }

    /// `mappable`: the section has a variable user space can name
    /// (`Object.sectionIsMappable`), so the map is `BPF_F_MMAPABLE`.
    init(dataSection section: DataSection, objectName: String, readOnly: Bool, mappable: Bool) {
      name = Object.internalMapName(object: objectName, section: section.name)
      sectionName = section.name
      role = .data(section: section.name)
      definition = nil
      type = .array
      keySize = 4
      valueSize = UInt32(clamping: section.size)
      maxEntries = 1
      flags = readOnly ? [.readOnlyProgram] : []
      if mappable { flags.insert(.mmapable) }
      numaNode = 0
      mapExtra = 0
      innerMap = nil
      pinning = .none
      pinPath = nil
      reusedMap = nil
      autoCreate = true
      recordType = nil
    }

    init(kconfigFor objectName: String) {
      name = Object.internalMapName(object: objectName, section: ".kconfig")
      sectionName = ".kconfig"
      role = .kconfig
      definition = nil
      type = .array
      keySize = 4
      valueSize = 0  // laid out at load
      maxEntries = 1
      flags = [.mmapable, .readOnlyProgram]
      numaNode = 0
      mapExtra = 0
      innerMap = nil
      pinning = .none
      pinPath = nil
      reusedMap = nil
      autoCreate = true
      recordType = nil
    }

    /// The name the kernel gets: at most 15 bytes.
    var kernelName: String { String(decoding: Array(name.utf8.prefix(15)), as: UTF8.self) }
  }

  /// libbpf's internal map name: the object name as a prefix when the section
  /// has a single dot (`globals.data`), none for custom sections
  /// (`.data.custom`), cut to 15 bytes, characters other than letters,
  /// digits, `_` and `.` made `_`.
  static func internalMapName(object: String, section: String) -> String {
    let nameLimit = 16
    let suffix = Array(section.utf8)
    let suffixLength = max(7, suffix.count)
    let customSection = suffix.dropFirst().contains(UInt8(ascii: "."))
    let prefixLength = customSection ? 0 : max(0, min(nameLimit - suffixLength - 1, object.utf8.count))
    var bytes = Array(object.utf8.prefix(prefixLength)) + suffix.prefix(suffixLength)
    bytes = Array(bytes.prefix(nameLimit - 1))
    for i in bytes.indices {
      let c = bytes[i]
      let ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
        || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
      if !ok { bytes[i] = UInt8(ascii: "_") }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
