import ELFReader
import UAPI

#if canImport(Glibc)
import Glibc
#endif

/// `__arena` globals (`.addr_space.1`), as libbpf places them: their initial
/// bytes belong to the one ARENA map the object declares in `.maps`, and
/// are copied into the arena's last pages after the map is mapped.
extension Object {
  /// The arena data section's name and bytes, checked against the object's
  /// ARENA map; nil when the object has no `__arena` variables.
  ///
  /// Refused as libbpf refuses them: `__arena` variables without an ARENA
  /// map in `.maps`, two ARENA maps, or variables that do not fit the
  /// arena's pages.
  static func arenaData(_ file: ObjectFile, maps: [Map]) throws(LoadError) -> (section: String, bytes: [UInt8])? {
    let arenas = maps.filter { $0.type == .arena }
    if arenas.count > 1 {
      throw .mapDefinition(map: arenas[1].name, reason: "is a second ARENA map ('\(arenas[0].name)' is one); an object may declare only one")
    }
    guard let section = file.dataSections.first(where: { $0.kind == .arena }) else { return nil }
    guard let arena = arenas.first else {
      throw .mapDefinition(
        map: section.name,
        reason: "holds __arena variables, but the object declares no ARENA map; declare one in SEC(\".maps\") "
          + "(__uint(type, BPF_MAP_TYPE_ARENA), __uint(map_flags, BPF_F_MMAPABLE), max_entries in pages)")
    }
    let size = Int(clamping: section.size)
    let page = Object.pageSize
    let arenaBytes = Int(arena.maxEntries) * page
    guard roundUp(size, page) <= arenaBytes else {
      throw .mapDefinition(
        map: arena.name,
        reason: "its \(arena.maxEntries) pages (\(arenaBytes) bytes) cannot hold the \(size) bytes of __arena variables in \(section.name); raise max_entries")
    }
    var bytes = section.initialBytes ?? []
    if bytes.count < size { bytes += [UInt8](repeating: 0, count: size - bytes.count) }
    return (section.name, Array(bytes.prefix(size)))
  }

  /// Where the arena variables start in the arena's mapping: the last pages
  /// that hold them (libbpf 1.5's `arena_data_off`), so the arena's first
  /// pages stay free for the program's own allocations.
  static func arenaDataOffset(arenaPages: UInt32, dataSize: Int, page: Int) -> Int {
    Int(arenaPages) * page - roundUp(dataSize, page)
  }

  static func roundUp(_ value: Int, _ multiple: Int) -> Int { (value + multiple - 1) / multiple * multiple }

  /// The host's page size: an arena's `max_entries` counts these.
  static var pageSize: Int { Int(sysconf(Int32(_SC_PAGESIZE))) }
}
