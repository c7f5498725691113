import ELFReader
import Syscall
import UAPI

/// The ARENA map and the `__arena` globals in it (see `Object+Arena.swift`
/// for how they are tied together at open).
///
/// As libbpf: the arena is mapped right after it is created, at its
/// `map_extra` address when it has one (programs' arena pointers assume
/// it), and the variables' initial bytes are copied into its last pages;
/// instructions that name an arena variable point at the arena map with
/// the variable's offset from the start of the arena.
extension LoadContext {
  /// The arena data section's name, when the object has `__arena` variables.
  var arenaSectionName: String? {
    file.dataSections.first(where: { $0.kind == .arena })?.name
  }

  /// Where the arena variables start in the arena map, for the section
  /// named `section`; nil for any other section.
  func arenaDataOffset(section: String) -> Int? {
    guard section == arenaSectionName, let arena = object.maps.first(where: { $0.type == .arena }),
      let bytes = object.sectionBytes[section]
    else { return nil }
    return Object.arenaDataOffset(arenaPages: arena.maxEntries, dataSize: bytes.count, page: kernel.pageSize)
  }

  /// Maps a created arena and copies the `__arena` variables into it.
  func mapArena(_ spec: Object.Map, _ fd: BorrowedFD) throws(LoadError) -> MappedRegion {
    let region = try arenaMapping(spec, fd)
    if let section = arenaSectionName, let bytes = object.sectionBytes[section], !bytes.isEmpty,
      let offset = arenaDataOffset(section: section), offset >= 0, offset + bytes.count <= region.count
    {
      bytes.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(rebasing: region.bytes[offset ..< offset + bytes.count]).copyMemory(from: source)
      }
      log(.debug, "arena: \(bytes.count) bytes of \(section) copied at offset \(offset)", map: spec.name)
    }
    return region
  }

  private func arenaMapping(_ spec: Object.Map, _ fd: BorrowedFD) throws(LoadError) -> MappedRegion {
    let length = Int(spec.maxEntries) * kernel.pageSize
    do throws(SyscallError) {
      return try kernel.mapArena(fd, length: length, address: spec.mapExtra)
    } catch {
      let place = spec.mapExtra == 0 ? "any address" : "0x" + String(spec.mapExtra, radix: 16)
      throw .mapSetup(map: spec.name, operation: "mmap of the arena (\(length) bytes at \(place))", error)
    }
  }
}
