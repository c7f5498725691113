import Syscall
import UAPI

/// Map facts shared by the buffer readers.
enum EventMap {
  /// A label for errors: the map's kernel name, else its descriptor.
  static func label(_ info: MapInfo?, _ fd: BorrowedFD) -> String {
    if let name = info?.name, !name.isEmpty { return "map \(name)" }
    return "map (\(fd))"
  }

  /// Reads the map's kernel info and checks its type.
  static func inspect(
    _ map: BorrowedFD, expecting type: MapType, kernel: any KernelInterface
  ) throws(EventError) -> (info: MapInfo, label: String) {
    let info: MapInfo
    do { info = try kernel.mapInfo(map) } catch { throw .syscall(error, buffer: label(nil, map)) }
    let name = label(info, map)
    guard info.type == type else {
      throw .wrongMapType(buffer: name, expected: type.description, actual: info.type.description)
    }
    return (info, name)
  }

  /// Duplicates `map` so the reader's lifetime does not depend on the
  /// caller's descriptor.
  static func duplicate(_ map: BorrowedFD, _ name: String) throws(EventError) -> OwnedFD {
    do { return try map.duplicate() } catch { throw .syscall(error, buffer: name) }
  }

  /// mmap(2) with the error labelled for the buffer.
  static func map(
    _ fd: BorrowedFD, length: Int, offset: Int, protection: MappedRegion.Protection,
    _ name: String, kernel: any KernelInterface
  ) throws(EventError) -> MappedRegion {
    do {
      return try kernel.mapRegion(fd, length: length, offset: offset, protection: protection)
    } catch { throw .syscall(error, buffer: name) }
  }

  /// Checks a ring buffer's data size: a power of two, a multiple of the page.
  /// Kernel: `ringbuf_map_alloc` refuses anything else.
  static func checkRingSize(_ size: Int, _ name: String) throws(EventError) {
    guard size > 0, size & (size - 1) == 0, size % SharedMemory.pageSize == 0 else {
      throw .invalidSize(buffer: name, size: size,
                         reason: "not a power of two multiple of the \(SharedMemory.pageSize)-byte page")
    }
  }
}
