import CBPFSys
import Glibc
import Syscall
import UAPI

/// Loads and stores on memory shared with the kernel, with the ordering the
/// kernel's ring buffer protocols require.
///
/// Swift's `Synchronization.Atomic` cannot wrap foreign (mapped) memory, so
/// these go through the C shim's `__atomic` builtins.
/// Kernel: the producer publishes with `smp_store_release` and the consumer
/// reads with `smp_load_acquire` (Documentation/bpf/ringbuf.rst; perf's
/// `data_head`/`data_tail` in include/uapi/linux/perf_event.h).
enum SharedMemory {
  @inline(__always)
  static func loadAcquire64(_ p: UnsafeRawPointer) -> UInt64 { swiftbpf_load_acquire_u64(p) }
  @inline(__always)
  static func loadAcquire32(_ p: UnsafeRawPointer) -> UInt32 { swiftbpf_load_acquire_u32(p) }
  @inline(__always)
  static func storeRelease64(_ p: UnsafeMutableRawPointer, _ v: UInt64) { swiftbpf_store_release_u64(p, v) }
  @inline(__always)
  static func storeRelease32(_ p: UnsafeMutableRawPointer, _ v: UInt32) { swiftbpf_store_release_u32(p, v) }

  @inline(__always)
  static func prefetch(_ p: UnsafeRawPointer) { swiftbpf_prefetch(p) }

  /// The system page size (ring buffer pages are mapped in these units).
  ///
  /// `getpagesize()` rather than `sysconf(_SC_PAGESIZE)`: naming the
  /// `_SC_PAGESIZE` constant in a file that imports CBPFSys (whose header
  /// includes <unistd.h>) made a whole-module (release) build attribute the
  /// constant to the shim, and other files of Loader that import only Glibc
  /// could no longer find it.
  static let pageSize: Int = {
    let size = Int(getpagesize())
    return size > 0 ? size : 4096
  }()
}

/// Map facts shared by the buffer readers.
enum EventMap {
  /// A label for errors: the map's kernel name, else its descriptor.
  static func label(_ info: MapInfo?, _ fd: BorrowedFD) -> String {
    if let name = info?.name, !name.isEmpty { return "map \(name)" }
    return "map (\(fd))"
  }

  /// Reads the map's kernel info and checks its type.
  static func inspect(
    _ map: BorrowedFD, expecting type: MapType
  ) throws(EventError) -> (info: MapInfo, label: String) {
    let info: MapInfo
    do { info = try BPF.mapInfo(map) } catch { throw .syscall(error, buffer: label(nil, map)) }
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
    _ name: String
  ) throws(EventError) -> MappedRegion {
    do {
      return try MappedRegion.map(fd, length: length, offset: offset, protection: protection)
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
