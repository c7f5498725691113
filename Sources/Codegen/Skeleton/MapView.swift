import UAPI

/// The typed view a skeleton gives a loaded map, chosen from the map's type
/// and the Swift types of its BTF key and value (nil when the definition
/// gives sizes only: such maps stay plain handles).
enum MapView: Equatable {
  case keyValue(key: String, value: String)
  case perCPU(key: String, value: String)
  case queue(value: String)
  case bloomFilter(value: String)
  case programArray
  case mapOfMaps
  case stackTrace
  case redirect
  case handle

  init(type: MapType, key: String?, value: String?) {
    switch type {
    case .hash, .lruHash, .array, .lpmTrie:
      if let key, let value { self = .keyValue(key: key, value: value) } else { self = .handle }
    case .percpuHash, .percpuArray, .lruPercpuHash:
      if let key, let value { self = .perCPU(key: key, value: value) } else { self = .handle }
    case .queue, .stack:
      if let value { self = .queue(value: value) } else { self = .handle }
    case .bloomFilter:
      if let value { self = .bloomFilter(value: value) } else { self = .handle }
    case .progArray: self = .programArray
    case .arrayOfMaps, .hashOfMaps: self = .mapOfMaps
    case .stackTrace: self = .stackTrace
    case .sockmap, .sockhash, .xskmap, .devmap, .devmapHash, .cpumap: self = .redirect
    default: self = .handle
    }
  }

  /// The Swift type of the view.
  var swiftType: String {
    switch self {
    case .keyValue(let key, let value): "TypedMap<\(key), \(value)>"
    case .perCPU(let key, let value): "PerCPUMap<\(key), \(value)>"
    case .queue(let value): "QueueMap<\(value)>"
    case .bloomFilter(let value): "BloomFilter<\(value)>"
    case .programArray: "ProgramArray"
    case .mapOfMaps: "MapOfMaps"
    case .stackTrace: "StackTraceMap"
    case .redirect: "RedirectMap"
    case .handle: "LoadedObject.Map"
    }
  }

  /// Whether the view needs a key type, a value type.
  static func needs(_ type: MapType) -> (key: Bool, value: Bool) {
    switch type {
    case .hash, .lruHash, .array, .lpmTrie, .percpuHash, .percpuArray, .lruPercpuHash: (true, true)
    case .queue, .stack, .bloomFilter: (false, true)
    default: (false, false)
    }
  }
}
