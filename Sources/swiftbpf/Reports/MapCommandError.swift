import SwiftBPF

/// Why `map list`, `map dump` or `run --maps` could not read a map; each
/// case names the map (by its name and id, or how the user designated it).
enum MapCommandError: Error, CustomStringConvertible {
  case noMapWithID(UInt32, SyscallError)
  case cannotOpenPinned(path: String, SyscallError)
  case noMapNamed(String)
  case ambiguousName(String, ids: [UInt32])
  case notDumpable(map: String, id: UInt32, type: MapType)
  case syscall(SyscallError, map: String, id: UInt32?)
  case possibleCPUsUnknown(map: String, id: UInt32)

  var description: String {
    switch self {
    case .noMapWithID(let id, let error):
      "no map with id \(id): \(error)"
    case .cannotOpenPinned(let path, let error):
      "cannot open the map pinned at \(path): \(error)"
    case .noMapNamed(let name):
      "no map named '\(name)' in the kernel (kernel map names are at most 15 characters; see swiftbpf map list)"
    case .ambiguousName(let name, let ids):
      "\(ids.count) maps are named '\(name)' (ids \(ids.map(String.init).joined(separator: ", "))): dump one with id N"
    case .notDumpable(let map, let id, let type):
      "map '\(map)' (id \(id)) is a \(type.kernelName): it has no keys to walk, so no entries to dump"
    case .possibleCPUsUnknown(let map, let id):
      "map '\(map)' (id \(id)) is per-CPU, and /sys/devices/system/cpu/possible cannot be read to size its values"
    case .syscall(let error, let map, let id):
      "map '\(map)'\(id.map { " (id \($0))" } ?? ""): \(error)"
    }
  }
}
