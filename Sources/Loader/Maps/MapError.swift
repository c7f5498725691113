import Syscall
import UAPI

/// Why a typed map view could not be made or an operation on it failed.
///
/// Each case names the map. "Not found" is never an error: lookups return nil.
public enum MapError: Error, Sendable, Equatable, CustomStringConvertible {
  /// The Swift type's size is not the map's key or value size.
  case sizeMismatch(map: String, part: Part, swiftType: String, swiftSize: Int, mapSize: Int)
  /// The map is of a type this view does not serve.
  case wrongType(map: String, type: MapType, use: String)
  /// The handle was closed.
  case closed(map: String)
  /// The kernel refused the operation.
  case syscall(SyscallError, map: String)
  /// A per-CPU update with a number of values other than the possible CPUs.
  case wrongCPUCount(map: String, given: Int, possible: Int)
  /// `unpin()` without a path, on a map that is not pinned.
  case notPinned(map: String)

  /// Which part of an element a size belongs to.
  public enum Part: String, Sendable, Equatable {
    case key, value
  }

  public var description: String {
    switch self {
    case .sizeMismatch(let map, let part, let type, let swiftSize, let mapSize):
      return "map '\(map)': the \(part.rawValue) type \(type) has \(swiftSize) bytes, the map's \(part.rawValue) has \(mapSize); "
        + "declare a Swift type with the C \(part.rawValue)'s size (MemoryLayout<\(type)>.size or .stride must be \(mapSize))"
    case .wrongType(let map, let type, let use):
      return "map '\(map)' is a \(type); \(use)"
    case .closed(let map):
      return "map '\(map)' is closed"
    case .syscall(let error, let map):
      return "map '\(map)': \(error)"
    case .wrongCPUCount(let map, let given, let possible):
      return "map '\(map)': \(given) values given, the kernel has \(possible) possible CPUs: pass one value per CPU"
    case .notPinned(let map):
      return "map '\(map)' is not pinned: pass the path to unpin"
    }
  }
}
