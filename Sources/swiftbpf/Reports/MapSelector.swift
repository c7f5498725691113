import SwiftBPF

/// How `map dump` names the map: `id N`, `pinned PATH` or `name NAME`
/// (bpftool's words).
enum MapSelector: Equatable {
  case id(UInt32)
  case pinned(String)
  case name(String)

  /// Parses the two words after `dump`; nil when they are not one of the forms.
  init?(_ words: [String]) {
    guard words.count == 2 else { return nil }
    switch words[0] {
    case "id":
      guard let id = UInt32(words[1]) else { return nil }
      self = .id(id)
    case "pinned": self = .pinned(words[1])
    case "name": self = .name(words[1])
    default: return nil
    }
  }

  /// Opens the map read-only: dumping never writes.
  ///
  /// Kernel: `BPF_MAP_GET_FD_BY_ID`, `BPF_OBJ_GET`; a name is looked up
  /// through every map's info (the kernel keeps the first 15 characters).
  func open() throws(MapCommandError) -> OwnedFD {
    switch self {
    case .id(let id):
      do { return try BPF.open(.map, id: id, flags: .readOnly) } catch { throw .noMapWithID(id, error) }
    case .pinned(let path):
      do { return try BPF.getPinned(at: path, flags: .readOnly) } catch { throw .cannotOpenPinned(path: path, error) }
    case .name(let name):
      let kernelName = String(name.utf8.prefix(15)) ?? name
      let ids = try KernelMaps.list().filter { $0.name == kernelName }.map(\.id)
      guard let id = ids.first else { throw .noMapNamed(name) }
      guard ids.count == 1 else { throw .ambiguousName(name, ids: ids) }
      return try MapSelector.id(id).open()
    }
  }
}

/// The maps in the kernel, in id order.
enum KernelMaps {
  /// Kernel: `BPF_MAP_GET_NEXT_ID`, then each map's info; a map freed
  /// between the two calls is left out.
  static func list() throws(MapCommandError) -> [MapInfo] {
    var infos: [MapInfo] = []
    var id: UInt32 = 0
    while true {
      let next: UInt32?
      do { next = try BPF.nextID(.map, after: id) } catch { throw .syscall(error, map: "(next id after \(id))", id: nil) }
      guard let next else { return infos }
      id = next
      let fd: OwnedFD
      do { fd = try BPF.open(.map, id: id, flags: .readOnly) } catch {
        if error.errno == .ENOENT { continue }
        throw .noMapWithID(id, error)
      }
      do { infos.append(try BPF.mapInfo(fd.borrowed)) } catch { throw .syscall(error, map: "id \(id)", id: id) }
    }
  }
}
